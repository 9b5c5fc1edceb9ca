"""What a user sees about their tickets: purchases, tickets held, transfers waiting, and what to do.

The seed asks that users be told their ticketing status, including when they
need a purchase and none has been matched: then we say which emails we look
for and how to claim a purchase made under another address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import JOIN

from gbetix_core.matching.links import find_user
from gbetix_core.models import BptEvent, Item, MatchCandidate, Performance, Purchase, PurchaseMatch, Show, TicketType, Transfer, User


@dataclass(frozen=True)
class PurchaseLine:
    ticket_number: str
    event: str
    quantity: int
    method: str | None


@dataclass(frozen=True)
class TicketLine:
    item_id: int
    ticket_type: str
    performance: str
    from_purchase: str | None


@dataclass(frozen=True)
class TransferLine:
    item_id: int
    direction: str  # "out" (you are giving it) or "in" (waiting for you)
    other: str
    created_at: dt.datetime


@dataclass
class UserStatus:
    username: str
    name: str
    emails: list[str]
    purchases: list[PurchaseLine] = field(default_factory=list)
    tickets: list[TicketLine] = field(default_factory=list)
    transfers: list[TransferLine] = field(default_factory=list)
    under_review: int = 0

    @property
    def advice(self) -> str | None:
        """What to do when nothing is matched to this user yet."""
        if self.purchases or self.tickets:
            return None
        emails = " or ".join(self.emails) or "no email"
        review = (f" {self.under_review} purchase(s) that may be yours are waiting for the box office to confirm."
                  if self.under_review else "")
        return (f"No purchases are linked to you yet. We match purchases made with {emails}.{review} If you bought "
                "with another email or name, claim it with the confirmation number from your BPT email: "
                f"gbetix claim {self.username} <confirmation number> <buyer's last name or email>, or have a code "
                f"mailed to the address it was bought with: gbetix claim-code {self.username} <confirmation number>.")

    def lines(self) -> list[str]:
        out = [f"{self.name} ({self.username})"]
        out += [f"purchase {p.ticket_number}: {p.quantity} x {p.event} (matched by {p.method or 'hand'})" for p in self.purchases]
        out += [f"ticket #{t.item_id}: {t.ticket_type}, {t.performance}" + (f" (from {t.from_purchase})" if t.from_purchase else "")
                for t in self.tickets]
        out += [f"transfer of ticket #{t.item_id} {'to' if t.direction == 'out' else 'from'} {t.other}: pending"
                for t in self.transfers]
        if self.advice:
            out.append(self.advice)
        return out


def status_message(user: User | str) -> str:
    """The words of ``gbetix status``, the same for the terminal, a mail and the festival site."""
    return "\n".join(user_status(user if isinstance(user, str) else user.username).lines())


def user_status(username: str) -> UserStatus:
    user = find_user(username)
    status = UserStatus(user.username, user.full_name, [e for e in (user.email, user.purchase_email) if e])
    linked = (Purchase.select(Purchase.ticket_number, BptEvent.title, BptEvent.event_id, Purchase.quantity, PurchaseMatch.method)
              .join(PurchaseMatch).join_from(Purchase, BptEvent)
              .where((PurchaseMatch.user == user) & (PurchaseMatch.status == "linked")).order_by(Purchase.order_time).tuples())
    status.purchases = [PurchaseLine(n, title or f"BPT event {eid}", q, m) for n, title, eid, q, m in linked]
    tickets = (Item.select(Item.id, TicketType.name, Show.name, Performance.starts_at, Purchase.ticket_number)
               .join(TicketType).join_from(Item, Performance).join(Show).join_from(Item, Purchase, join_type=JOIN.LEFT_OUTER)
               .where((Item.owner == user) & (Item.kind == "ticket")).order_by(Performance.starts_at, Item.id).tuples())
    status.tickets = [TicketLine(i, t, f"{show} {start:%a %d %b %H:%M}", number) for i, t, show, start, number in tickets]
    status.tickets += _passes(user)
    status.transfers = _transfers(user)
    status.under_review = _under_review(user)
    return status


def _passes(user: User) -> list[TicketLine]:
    """Tickets with no single performance (passes, bundles): shown once, not per component."""
    query = (Item.select(Item.id, TicketType.name, Purchase.ticket_number).join(TicketType)
             .join_from(Item, Purchase, join_type=JOIN.LEFT_OUTER)
             .where((Item.owner == user) & (Item.kind == "ticket") & Item.performance.is_null()).tuples())
    return [TicketLine(i, t, "any performance it covers", number) for i, t, number in query]


def _transfers(user: User) -> list[TransferLine]:
    pending = Transfer.select().where(Transfer.status == "pending")
    out = [TransferLine(t.item_id, "out", t.to_name or t.to_email or (t.to_user.username if t.to_user else "?"), t.created_at)
           for t in pending.where(Transfer.from_user == user)]
    incoming = pending.where((Transfer.to_user == user) | (Transfer.to_email.in_([e for e in (user.email, user.purchase_email) if e])))
    out += [TransferLine(t.item_id, "in", t.from_user.full_name, t.created_at) for t in incoming]
    return out


def _under_review(user: User) -> int:
    """Purchases still waiting for a person in which this user is a candidate."""
    return (MatchCandidate.select().join(PurchaseMatch, on=(PurchaseMatch.purchase == MatchCandidate.purchase))
            .where((MatchCandidate.user == user) & (PurchaseMatch.status == "candidates")).count())
