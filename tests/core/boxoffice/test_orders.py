"""After the sale: refunding part of an order, moving a walkup sale, deleting a performance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gbetix_core.boxoffice import catalog
from gbetix_core.boxoffice.availability import inventory
from gbetix_core.boxoffice.orders import cancel_items, move_walkup_sale, refunded_total
from gbetix_core.boxoffice.reports import revenue_report
from gbetix_core.boxoffice.sales import Basket, sell_walkup
from gbetix_core.errors import InputError, PermissionDenied, SaleRefused
from gbetix_core.models import AuditEntry, CheckIn, Item, Performance, Product
from tests.core.boxoffice.helpers import NOW


def test_refunding_part_of_an_order(festival):
    programme = Product.create(name="Programme", price=Decimal("5.00"))
    order = sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 3}, {programme.id: 1}),
                        payment="cash", now=NOW)
    tickets = list(Item.select().where((Item.order == order.id) & (Item.kind == "ticket")).order_by(Item.id))
    CheckIn.update(undone_at=dt.datetime(2026, 12, 11), undone_by=festival.door).execute()
    with pytest.raises(PermissionDenied):
        cancel_items(festival.boxoffice, [tickets[0].id])
    [refund] = cancel_items(festival.manager, [tickets[0].id], reason="left at the interval")
    original = Item.get_by_id(tickets[0].id)
    assert (original.kind, original.original_kind, original.amount) == ("canceled", "ticket", Decimal("35.00"))
    assert (refund.kind, refund.amount, refund.refund_of_id) == ("refunded", Decimal("-35.00"), original.id)
    assert Item.select().where(Item.order == order.id).count() == 5
    assert refunded_total(order) == Decimal("35.00")
    assert inventory(festival.friday).sold == 2
    with pytest.raises(SaleRefused, match="already canceled"):
        cancel_items(festival.manager, [tickets[0].id])
    sold_on, refunded_on = NOW.date(), dt.date.today()
    span = (min(sold_on, refunded_on) - dt.timedelta(days=1), max(sold_on, refunded_on) + dt.timedelta(days=1))
    [row] = revenue_report(*span).rows
    assert row[0] == "cash" and row[2:] == (Decimal("110.00"), Decimal("-35.00"), Decimal("75.00"))


def test_a_ticket_used_at_the_door_is_not_refunded(festival):
    order = sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 1}), payment="cash", now=NOW)
    ticket = Item.get(Item.order == order.id)
    with pytest.raises(SaleRefused, match="already used at the door"):
        cancel_items(festival.manager, [ticket.id])
    assert Item.get_by_id(ticket.id).kind == "ticket"


def test_refunding_a_pass_cancels_its_components(festival):
    order = sell_walkup(festival.boxoffice, Basket(festival.saturday.id, {festival.weekend.id: 1}),
                        payment="cash", now=NOW)
    CheckIn.delete().execute()
    parent = Item.get((Item.order == order.id) & Item.bundle.is_null())
    with pytest.raises(SaleRefused, match="part of a pass"):
        cancel_items(festival.manager, [Item.get(Item.bundle == parent.id).id])
    cancel_items(festival.manager, [parent.id])
    assert {i.kind for i in Item.select().where(Item.bundle == parent.id)} == {"canceled"}
    assert inventory(festival.friday).sold == inventory(festival.saturday).sold == 0


def test_moving_a_walkup_sale_to_another_night(festival):
    order = sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 2}), payment="cash", now=NOW)
    with pytest.raises(PermissionDenied):
        move_walkup_sale(festival.boxoffice, order, festival.saturday, now=NOW)
    assert move_walkup_sale(festival.manager, order, festival.saturday, now=NOW) == 2
    assert inventory(festival.friday).sold == 0 and inventory(festival.saturday).sold == 2
    assert CheckIn.select().where(CheckIn.undone_at.is_null()).count() == 0
    assert CheckIn.select().count() == 2


def test_moving_a_sale_is_refused_when_the_other_night_has_no_room(festival):
    sell_walkup(festival.boxoffice, Basket(festival.saturday.id, {festival.ga.id: 6}), payment="cash", now=NOW)
    order = sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 3}), payment="cash", now=NOW)
    with pytest.raises(SaleRefused, match="Only 2"):
        move_walkup_sale(festival.manager, order, festival.saturday, now=NOW)
    assert inventory(festival.friday).sold == 3 and inventory(festival.saturday).sold == 6


def test_a_performance_is_deleted_only_when_nothing_was_sold(festival):
    show = festival.friday.show
    [extra] = catalog.add_performances(festival.manager, show, [dt.datetime(2026, 12, 13, 15, 0)], 50, 40)
    catalog.set_offers(festival.manager, festival.ga, [extra])
    sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 1}), payment="cash", now=NOW)
    with pytest.raises(SaleRefused, match="cannot be deleted"):
        catalog.delete_performance(festival.manager, festival.friday)
    with pytest.raises(PermissionDenied):
        catalog.delete_performance(festival.boxoffice, extra)
    catalog.delete_performance(festival.manager, extra)
    assert not Performance.select().where(Performance.id == extra.id).exists()


def test_offers_are_set_for_many_performances_relative_to_each_curtain(festival):
    offers = catalog.set_offers(festival.manager, festival.student, [festival.friday, festival.saturday],
                                max_sales=5, end_before_curtain=dt.timedelta(minutes=-30))
    assert [o.sales_end for o in offers] == [p.starts_at + dt.timedelta(minutes=30)
                                             for p in (festival.friday, festival.saturday)]
    assert all(o.max_sales == 5 for o in offers)


def test_setup_edits_are_checked_and_audited(festival):
    sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 3}), payment="cash", now=NOW)
    with pytest.raises(SaleRefused, match="3 tickets are already sold"):
        catalog.edit_performance(festival.manager, festival.friday, house_capacity=2, max_advance_sales=2)
    catalog.edit_performance(festival.manager, festival.friday, house_capacity=20)
    assert Performance.get_by_id(festival.friday.id).house_capacity == 20
    [offer] = [o for o in catalog.list_offers(festival.friday) if o.ticket_type_id == festival.student.id]
    with pytest.raises(InputError, match="below the least"):
        catalog.edit_offer(festival.manager, offer, min_per_order=3, max_per_order=2)
    assert catalog.edit_offer(festival.manager, offer, promo_codes=" a , b,A").promo_codes == "A,B"
    assert catalog.edit_show(festival.manager, festival.friday.show_id, name="Main Event").name == "Main Event"
    actions = [e.action for e in AuditEntry.select().where(AuditEntry.action.endswith(".edit"))]
    assert actions == ["setup.performance.edit", "setup.offer.edit", "setup.show.edit"]
