"""The places an operator can go: one entry per screen, with the role it needs.

The dashboard, the command palette and the number keys all read this one
table, so a screen appears everywhere or nowhere. Screen modules are imported
only when first opened, which keeps start-up fast.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from textual.screen import Screen


@dataclass(frozen=True)
class Place:
    key: str
    name: str
    title: str
    action: str
    description: str
    target: str

    def screen_class(self) -> type[Screen]:
        return screen_class(self.target)


def screen_class(target: str) -> type[Screen]:
    """The screen class named ``module:Class``, its module imported on first use."""
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)


PLACES: tuple[Place, ...] = (
    Place("1", "walkup", "Walkup sales", "sell", "Sell tickets at the door: performance, quantities, payment.",
          "gbetix_tui.screens.walkup:WalkupScreen"),
    Place("2", "door", "Door check-in", "checkin", "Find a party by name, email or confirmation number; admit them.",
          "gbetix_tui.screens.door:DoorScreen"),
    Place("3", "queue", "Unmatched purchases", "decide_match", "BPT purchases nobody is linked to yet, best guesses first.",
          "gbetix_tui.screens.queue:QueueScreen"),
    Place("4", "transfers", "Ticket transfers", "transfer", "Find a ticket or a user; hand tickets on; pending and history.",
          "gbetix_tui.screens.transfers:TransfersScreen"),
    Place("5", "sync", "BPT sync", "sync", "Recent syncs with Brown Paper Tickets, errors, and sync now.",
          "gbetix_tui.screens.sync:SyncScreen"),
    Place("6", "setup", "Shows and offers", "setup", "Shows, performances, ticket types, offers and the BPT mapping.",
          "gbetix_tui.screens.setup:SetupScreen"),
    Place("7", "claim", "Claim a purchase", "claim", "A buyer at the door with a BPT confirmation number.",
          "gbetix_tui.screens.claim:ClaimScreen"),
    Place("8", "orders", "Orders and receipts", "sell", "An order by its number: receipt, export, cancel, refund, move.",
          "gbetix_tui.screens.orders:OrdersScreen"),
    Place("9", "takings", "Takings and drawer", "count_drawer", "Tonight's takings per payment and operator; closing count.",
          "gbetix_tui.screens.takings:TakingsScreen"),
    Place("0", "reservations", "Reservations", "reserve", "A pass's open admissions: reserve a show, even sold out.",
          "gbetix_tui.screens.reservations:ReservationsScreen"),
    Place("s", "reports", "Reports", "sell", "Revenue of a period, promo codes, sales, door list on paper; CSV.",
          "gbetix_tui.screens.reports:ReportsScreen"),
    Place("m", "merge", "Merge customers", "merge_users", "Two records of one person: suggestions, merge, undo.",
          "gbetix_tui.screens.merge:MergeScreen"),
    Place("e", "outbox", "Mail outbox", "mail", "Messages to people: waiting, sent and failed; send now.",
          "gbetix_tui.screens.outbox:OutboxScreen"),
)

BY_NAME = {place.name: place for place in PLACES}
