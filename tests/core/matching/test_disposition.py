"""Tickets follow the match in bulk: every ticket and pass component moves, once, with its history."""

from __future__ import annotations

from gbetix_core.db import write
from gbetix_core.matching.disposition import Move, move_tickets
from gbetix_core.models import Item, OwnershipChange, Purchase, User
from tests.bpt_support import bpt, festival, line  # noqa: F401  (fixtures)


def held_by(user: User) -> list[Item]:
    return list(Item.select().where((Item.owner == user) & (Item.kind == "ticket")))


def test_many_purchases_move_to_many_owners_with_their_pass_components_and_history(bpt):
    bpt.dataset.add_orders([line(1, quantity=2), line(2, kind=3), line(3)])
    bpt.sync()
    rosa, sam, amy = (User.create(username=name, email=f"{name}@example.org") for name in ("rosa", "sam", "amy"))
    first, passes, third = (Purchase.get(Purchase.ticket_number == f"K4821300{n}") for n in (1, 2, 3))
    given = Item.get((Item.purchase == third.id) & (Item.kind == "ticket"))
    with write():
        move_tickets([Move(third.id, None, amy.id)], staff=None, reason="test")
    with write():
        moved = move_tickets([Move(first.id, None, rosa.id), Move(passes.id, None, sam.id),
                              Move(third.id, None, rosa.id)], staff=None, reason="matched by the engine")
    assert moved == 2 + 1 + 5
    assert len(held_by(rosa)) == 2 and len(held_by(sam)) == 6
    assert [i.id for i in held_by(amy)] == [given.id]
    history = OwnershipChange.select().where(OwnershipChange.reason == "matched by the engine")
    assert history.count() == 8 and {h.from_user_id for h in history} == {User.get(User.special == "daemon").id}
    with write():
        assert move_tickets([Move(first.id, None, rosa.id)], staff=None, reason="again") == 0
