"""Tickets follow the match: a linked purchase's tickets go to its user, an undone link gives them back.

BPT tickets are issued to the box-office daemon account. When a purchase is
linked (by the engine, a claim or an admin), the tickets the daemon still
holds move to the linked user; when a link is undone or changed, the tickets
the previous user still holds move on. A ticket its owner has already handed
to someone else (George gave it to Amy) stays where it is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

from gbetix_core.boxoffice.tickets import change_owner
from gbetix_core.db import ids_in
from gbetix_core.models import Item, Staff, User
from gbetix_core.people.accounts import special_account

BATCH = 500


@dataclass(frozen=True)
class Move:
    """Purchase ``purchase``'s tickets held by ``from_user`` go to ``to_user`` (None: the daemon)."""

    purchase: int
    from_user: int | None
    to_user: int | None


def move_tickets(moves: Sequence[Move], staff: Staff | None, reason: str) -> int:
    """Apply ``moves`` inside the caller's transaction; returns how many tickets changed hands."""
    moves = [m for m in moves if m.from_user != m.to_user]
    if not moves:
        return 0
    daemon = special_account("daemon").id
    wanted = {m.purchase: (m.from_user or daemon, m.to_user or daemon) for m in moves}
    groups: dict[int, list[Item]] = defaultdict(list)
    ids = list(wanted)
    for start in range(0, len(ids), BATCH):
        query = Item.select().where(ids_in(Item.purchase, ids[start:start + BATCH]) & (Item.kind == "ticket")
                                    & Item.bundle.is_null())
        for item in query:
            holder, receiver = wanted[item.purchase_id]
            if item.owner_id == holder:
                groups[receiver].append(item)
    moved = 0
    for receiver, items in groups.items():
        moved += change_owner(items, User.get_by_id(receiver), staff, reason)
    return moved
