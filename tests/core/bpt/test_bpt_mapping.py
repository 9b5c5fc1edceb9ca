"""Admins remap BPT dates and prices; imported tickets follow, and it is all audited."""

import pytest

from gbetix_core.audit import entries_for
from gbetix_core.bpt.mapping import map_date, map_price
from gbetix_core.errors import PermissionDenied
from gbetix_core.models import BptDate, BptPrice, Item, Performance, TicketType
from gbetix_core.people.staff import add_staff
from tests.bpt_support import line


def test_remapping_a_date_moves_its_imported_tickets(bpt):
    bpt.dataset.add_orders([line(1, quantity=2), line(2, kind=3)])
    bpt.sync()
    manager = add_staff("Manny", "manager", by=add_staff("Ada", "admin"))
    date = BptDate.get(BptDate.date_id == "5521001")
    target = Performance.select().where(Performance.id != date.performance_id).first()
    moved = map_date(date, target, manager)
    assert moved == 2
    plain = list(Item.select().where(Item.purchase.is_null(False)))
    ga = [i for i in plain if i.ticket_type.name == "General Admission"]
    assert {i.performance_id for i in ga} == {target.id}
    weekend = [i for i in plain if i.ticket_type.name == "Weekend Pass"]
    assert weekend[0].performance_id is None
    [entry] = entries_for("bpt-date:5521001")
    assert entry.staff_id == manager.id and '"tickets_moved": 2' in entry.after
    bpt.sync()
    assert BptDate.get_by_id(date.id).performance_id == target.id


def test_remapping_a_price_changes_the_type_of_its_tickets(bpt):
    bpt.dataset.add_orders([line(1, quantity=2)])
    bpt.sync()
    admin = add_staff("Ada", "admin")
    price = BptPrice.get(BptPrice.price_id == "7730001")
    vip = TicketType.get(TicketType.name == "VIP")
    assert map_price(price, vip, admin) == 2
    tickets = list(Item.select().where(Item.purchase.is_null(False)))
    assert {t.ticket_type_id for t in tickets} == {vip.id}
    assert len(entries_for("bpt-price:7730001")) == 1


def test_remapping_a_price_to_a_pass_reissues_tickets_as_bundles_to_the_same_owner(bpt):
    bpt.dataset.add_orders([line(1)])
    bpt.sync()
    admin = add_staff("Ada", "admin")
    weekend = TicketType.get(TicketType.name == "Weekend Pass")
    map_price(BptPrice.get(BptPrice.price_id == "7730001"), weekend, admin)
    live = list(Item.select().where(Item.purchase.is_null(False) & (Item.kind == "ticket")))
    assert [(t.ticket_type_id, t.seq) for t in live] == [(weekend.id, 2)]
    assert Item.select().where(Item.bundle == live[0].id).count() == 5
    assert Item.select().where(Item.kind == "canceled").count() == 1


def test_only_a_manager_or_above_may_remap(bpt):
    bpt.sync()
    door = add_staff("Dana", "door", by=add_staff("Ada", "admin"))
    date = BptDate.get(BptDate.date_id == "5521001")
    with pytest.raises(PermissionDenied):
        map_date(date, Performance.get_by_id(date.performance_id), door)
    with pytest.raises(PermissionDenied):
        map_price(BptPrice.get(), TicketType.get(), door)
