"""Walkup and box-office sales: payments, comps, overrides, BPT tickets sharing the inventory."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gbetix_core.boxoffice import catalog
from gbetix_core.boxoffice.availability import inventory, offers_for
from gbetix_core.boxoffice.orders import comp_tickets
from gbetix_core.boxoffice.sales import Basket, quote, sell_to_customer, sell_walkup
from gbetix_core.errors import InputError, PermissionDenied, SaleRefused
from gbetix_core.models import AuditEntry, CheckIn, Item, Order, Product, User
from gbetix_core.people.accounts import special_account
from tests.core.boxoffice.helpers import NOW, bpt_purchase


def ga_status(festival):
    return {s.ticket_type.name: s for s in offers_for(festival.friday, now=NOW, walkup=True)}["General Admission"]


def test_walkup_cash_and_check_sales_leave_1_left(festival):
    programme = Product.create(name="Programme", price=Decimal("5.00"))
    cash = sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 5}, {programme.id: 2},
                                                  donation=Decimal("10")), payment="cash", now=NOW)
    check = sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.student.id: 2}),
                        payment="check", payment_ref="1042", now=NOW)
    assert cash.total == Decimal("195.00") and check.total == Decimal("50.00")
    assert Order.get_by_id(check.id).payment_ref == "1042"
    assert ga_status(festival).explanation == "1 remaining"
    walkup = special_account("walkup")
    assert {i.owner_id for i in Item.select().where(Item.order.in_([cash.id, check.id]))} == {walkup.id}
    admitted = CheckIn.select().join(Item).where(Item.order.in_([cash.id, check.id])).count()
    assert admitted == 7
    assert AuditEntry.select().where(AuditEntry.action == "sale").count() == 2


def test_running_total_prices_the_basket(festival):
    programme = Product.create(name="Programme", price=Decimal("5.00"))
    basket = Basket(festival.friday.id, {festival.ga.id: 2, festival.student.id: 1}, {programme.id: 1},
                    donation=Decimal("7.5"))
    priced = quote(basket)
    assert priced.total == Decimal("107.50")
    assert [(line.label, line.quantity, line.amount) for line in priced.lines] == [
        ("General Admission", 2, Decimal("70.00")), ("Student", 1, Decimal("25.00")),
        ("Programme", 1, Decimal("5.00")), ("Donation", 1, Decimal("7.50"))]


def test_check_and_card_need_their_reference(festival):
    basket = Basket(festival.friday.id, {festival.ga.id: 1})
    with pytest.raises(InputError, match="check number"):
        sell_walkup(festival.boxoffice, basket, payment="check", now=NOW)
    with pytest.raises(InputError, match="card reference"):
        sell_walkup(festival.boxoffice, basket, payment="card", payment_ref=" ", now=NOW)
    order = sell_walkup(festival.boxoffice, basket, payment="card", payment_ref="AUTH 77", now=NOW)
    assert order.payment_ref == "AUTH 77"


def test_a_failed_sale_leaves_inventory_untouched(festival):
    sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 6}), payment="cash", now=NOW)
    before = (Item.select().count(), Order.select().count(), CheckIn.select().count())
    with pytest.raises(SaleRefused, match="Only 2 seats left"):
        sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 1, festival.student.id: 2}),
                    payment="cash", now=NOW)
    assert (Item.select().count(), Order.select().count(), CheckIn.select().count()) == before
    assert inventory(festival.friday).sold == 6


def test_comps_are_refused_to_a_boxoffice_operator_and_allowed_to_a_manager(festival):
    guest = User.create(username="vip", first_name="Val", last_name="Ink", email="val@example.org")
    with pytest.raises(PermissionDenied, match="comp"):
        comp_tickets(festival.boxoffice, guest, festival.friday, festival.comp, 2, now=NOW)
    with pytest.raises(PermissionDenied):
        sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 1}), payment="comp", now=NOW)
    assert Order.select().count() == 0
    order = comp_tickets(festival.manager, guest, festival.friday, festival.comp, 2, reason="press", now=NOW)
    assert order.payment_method == "comp" and order.total == 0
    assert Item.select().where((Item.order == order.id) & (Item.owner == guest.id)).count() == 2
    assert inventory(festival.friday).sold == 2


def test_override_sells_past_a_cap_with_an_audit_entry_but_never_past_the_house(festival):
    sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 6}), payment="cash", now=NOW)
    with pytest.raises(PermissionDenied):
        sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.student.id: 3}), payment="cash",
                    override=True, now=NOW)
    sell_walkup(festival.manager, Basket(festival.friday.id, {festival.student.id: 3}), payment="cash",
                override=True, now=NOW)
    entry = AuditEntry.get(AuditEntry.action == "sale.override")
    assert "advance-sales limit" in entry.reason and entry.operator == "Manny"
    sell_walkup(festival.manager, Basket(festival.friday.id, {festival.student.id: 1}), payment="cash",
                override=True, now=NOW)
    with pytest.raises(SaleRefused, match="Event is sold out"):
        sell_walkup(festival.manager, Basket(festival.friday.id, {festival.ga.id: 1}), payment="cash",
                    override=True, now=NOW)
    assert inventory(festival.friday).sold == festival.friday.house_capacity


def test_walkup_sells_only_walkup_allowed_types(festival):
    vip = catalog.add_ticket_type(festival.manager, "VIP", "60", 2026, walkup_allowed=False)
    catalog.set_offers(festival.manager, vip, [festival.friday])
    with pytest.raises(SaleRefused, match="VIP is not sold at the door"):
        sell_walkup(festival.boxoffice, Basket(festival.friday.id, {vip.id: 1}), payment="cash", now=NOW)
    amy = User.create(username="amy", first_name="Amy", last_name="Ames", email="amy@example.org")
    order = sell_to_customer(festival.boxoffice, amy, Basket(festival.friday.id, {vip.id: 1}), payment="cash", now=NOW)
    assert order.source == "boxoffice" and CheckIn.select().count() == 0


def test_bpt_imported_tickets_count_against_capacity(festival):
    bpt_purchase(festival.friday, festival.ga, 5, "Pat", "Buyer", "pat@example.org")
    assert inventory(festival.friday).sold == 5
    assert ga_status(festival).explanation == "3 remaining"
    with pytest.raises(SaleRefused, match="Only 3 seats left"):
        sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 2, festival.student.id: 2}),
                    payment="cash", now=NOW)
