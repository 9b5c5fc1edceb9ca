"""Tickets follow the match: a linked purchase's tickets go to its user, an undone link gives them back.

BPT tickets are issued to the box-office daemon account, or wait for the
first decision on their purchase, which issues them straight to its holder
(:mod:`gbetix_core.bpt.unissued`). When a purchase is linked (by the engine,
a claim or an admin), the tickets the daemon still holds move to the linked
user; when a link is undone or changed, the tickets the previous user still
holds move on. A ticket its owner has already handed to someone else (George
gave it to Amy) stays where it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from gbetix_core.boxoffice.tickets import change_owners
from gbetix_core.bpt import unissued
from gbetix_core.db import ids_in, plain_rows
from gbetix_core.models import Item, Staff
from gbetix_core.people.accounts import special_account

BATCH = 5_000


@dataclass(frozen=True)
class Move:
    """Purchase ``purchase``'s tickets held by ``from_user`` go to ``to_user`` (None: the daemon)."""

    purchase: int
    from_user: int | None
    to_user: int | None


def move_tickets(moves: Sequence[Move], staff: Staff | None, reason: str) -> int:
    """Apply ``moves`` inside the caller's transaction; returns how many tickets changed hands.

    Tickets still waiting to be issued are issued to the move's receiver: they change no hands.
    """
    issued = unissued.issue({m.purchase: m.to_user for m in moves})
    moves = [m for m in moves if m.from_user != m.to_user and m.purchase not in issued]
    if not moves:
        return 0
    daemon = special_account("daemon").id
    wanted = {m.purchase: (m.from_user or daemon, m.to_user or daemon) for m in moves}
    parents = []
    ids = list(wanted)
    for start in range(0, len(ids), BATCH):
        # The bundle test is done here, not in SQL: SQLite would pick the bundle index for "IS NULL" and walk
        # nearly every ticket (150 ms a chunk at 100,000 purchases) instead of the purchase index.
        query = Item.select(Item.id, Item.purchase, Item.owner, Item.bundle).where(
            ids_in(Item.purchase, ids[start:start + BATCH]) & (Item.kind == "ticket"))
        for item, purchase, owner, bundle in plain_rows(query):
            holder, receiver = wanted[purchase]
            if bundle is None and owner == holder:
                parents.append((item, owner, receiver))
    return change_owners(parents, staff.id if staff else None, reason)
