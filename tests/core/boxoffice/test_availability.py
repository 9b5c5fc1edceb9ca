"""What the seller is told about each offer: sold out, not yet, no longer, caps, order limits, promo codes."""

from __future__ import annotations

import datetime as dt

import pytest

from gbetix_core.boxoffice import catalog
from gbetix_core.boxoffice.availability import inventory, offers_for
from gbetix_core.boxoffice.sales import Basket, sell_to_customer, sell_walkup
from gbetix_core.errors import SaleRefused
from gbetix_core.models import User
from tests.core.boxoffice.helpers import CURTAIN, NOW


def by_name(performance, **kwargs):
    kwargs.setdefault("now", NOW)
    return {s.ticket_type.name: s for s in offers_for(performance, **kwargs)}


def sell(festival, tickets, performance=None, **kwargs):
    basket = Basket((performance or festival.friday).id, {t.id: n for t, n in tickets.items()})
    kwargs.setdefault("payment", "cash")
    return sell_walkup(kwargs.pop("staff", festival.boxoffice), basket, now=kwargs.pop("now", NOW), **kwargs)


def test_a_fresh_performance_offers_every_type_with_what_remains(festival):
    offers = by_name(festival.friday)
    assert offers["General Admission"].explanation == "8 remaining"
    assert offers["Student"].explanation == "3 remaining"
    assert offers["Weekend Pass"].explanation == "8 remaining"
    assert "Pass admission" not in offers


def test_sold_out_performance_says_so_and_refuses(festival):
    sell(festival, {festival.ga: 6})
    sell(festival, {festival.ga: 2})
    offers = by_name(festival.friday)
    assert {s.explanation for s in offers.values()} == {"Event is sold out"}
    assert offers["General Admission"].quantities() == [0]
    with pytest.raises(SaleRefused, match="Event is sold out"):
        sell(festival, {festival.ga: 1})


def test_not_on_sale_yet_and_no_longer_on_sale(festival):
    early = by_name(festival.friday, now=CURTAIN - dt.timedelta(days=31))["General Admission"]
    assert early.explanation == "Tickets of this type not on sale until Wed 11 Nov 19:30"
    late = by_name(festival.friday, now=CURTAIN + dt.timedelta(hours=1))["General Admission"]
    assert late.explanation == "Tickets of this type not sold after Fri 11 Dec 20:15"
    assert not late.on_sale
    with pytest.raises(SaleRefused, match="not sold after"):
        sell(festival, {festival.ga: 1}, now=CURTAIN + dt.timedelta(hours=1))


def test_per_type_cap_refuses_past_what_is_left_of_that_type(festival):
    sell(festival, {festival.student: 1})
    assert by_name(festival.friday)["Student"].explanation == "2 remaining"
    with pytest.raises(SaleRefused, match="Only 2 Student left"):
        sell(festival, {festival.student: 3})


def test_combined_cap_refuses_with_only_2_seats_left(festival):
    sell(festival, {festival.ga: 6})
    offers = by_name(festival.friday)
    assert offers["Student"].explanation == "2 remaining"
    assert offers["General Admission"].explanation == "2 remaining"
    with pytest.raises(SaleRefused, match="Only 2 seats left"):
        sell(festival, {festival.ga: 1, festival.student: 2})
    assert inventory(festival.friday).sold == 6


def test_quantities_follow_min_and_max_per_order(festival):
    catalog.set_offers(festival.manager, festival.ga, [festival.friday], min_per_order=2, max_per_order=4)
    ga = by_name(festival.friday)["General Admission"]
    assert ga.quantities() == [0, 2, 3, 4]
    with pytest.raises(SaleRefused, match="at least 2 per order"):
        sell(festival, {festival.ga: 1})
    with pytest.raises(SaleRefused, match="at most 4 per order"):
        sell(festival, {festival.ga: 5})
    sell(festival, {festival.ga: 4})
    sell(festival, {festival.ga: 3})
    assert by_name(festival.friday)["General Admission"].quantities() == [0]


def test_promo_code_reveals_an_offer_and_clearing_it_hides_it_again(festival):
    catalog.set_offers(festival.manager, festival.student, [festival.friday], max_sales=3,
                       promo_codes="burly, Tassel")
    hidden = by_name(festival.friday)["Student"]
    assert hidden.hidden and hidden.explanation == "Promo code required"
    shown = by_name(festival.friday, promo_code=" tassel ")["Student"]
    assert shown.on_sale and shown.explanation == "3 remaining"
    assert by_name(festival.friday, promo_code="")["Student"].hidden
    assert by_name(festival.friday, promo_code="nope")["Student"].hidden
    with pytest.raises(SaleRefused, match="Promo code required"):
        sell(festival, {festival.student: 1})
    sell(festival, {festival.student: 1}, promo_code="BURLY")


def test_subscribers_only_offer_needs_a_subscriber(festival):
    member = catalog.add_ticket_type(festival.manager, "Member", "20", 2026, availability="subscribers")
    catalog.set_offers(festival.manager, member, [festival.friday])
    amy = User.create(username="amy", first_name="Amy", last_name="Ames", email="amy@example.org")
    assert by_name(festival.friday, customer=amy)["Member"].explanation == "Subscribers only"
    sell_to_customer(festival.boxoffice, amy, Basket(festival.friday.id, {festival.weekend.id: 1}),
                     payment="card", payment_ref="AUTH-1", now=NOW)
    assert User.get_by_id(amy.id).subscriber
    assert by_name(festival.friday, customer=User.get_by_id(amy.id))["Member"].on_sale


def test_weekend_pass_is_limited_by_its_fullest_performance(festival):
    sell(festival, {festival.ga: 5}, performance=festival.saturday)
    assert by_name(festival.friday)["Weekend Pass"].explanation == "3 remaining"
    sell(festival, {festival.weekend: 3})
    assert inventory(festival.friday).sold == 3
    assert inventory(festival.saturday).sold == 8
    assert by_name(festival.friday)["Weekend Pass"].explanation == "Event is sold out"
