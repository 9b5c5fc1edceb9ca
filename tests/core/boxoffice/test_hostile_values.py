"""Hostile values at the box office: patterns, NaN, 10^20, out-of-range integers, a promo code nobody takes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gbetix_core.boxoffice import catalog
from gbetix_core.boxoffice.sales import Basket, sell_walkup
from gbetix_core.errors import InputError
from gbetix_core.models import Item, Order, TicketType
from tests.core.boxoffice.helpers import NOW
from tests.core.boxoffice.test_cli import cli  # noqa: F401 (a fixture)


@pytest.mark.parametrize("pattern", ["Gen%=1", "%=1", "General_Admission=1", "G*=1"])
def test_a_ticket_type_name_is_matched_exactly_never_as_a_pattern(cli, festival, capsys, pattern):
    assert cli("sell", str(festival.friday.id), pattern, "--payment", "cash", "--as", "Bea") == 2
    assert "No single ticket type called" in capsys.readouterr().err
    assert not Order.select().exists()


@pytest.mark.parametrize("argv, message", [
    (("99999999999999999999", "General Admission=1"), "must be between 1 and 2147483647"),
    (("1", "99999999999999999999=1"), "ticket type id '99999999999999999999': must be between 1 and 2147483647"),
    (("1", "General Admission=99999999999999999999"), "must be between 1 and 2147483647"),
    (("1", "General Admission=20000"), "number of tickets 20000: must be between 0 and 10000"),
    (("1", "Gen\x00eral=1"), "has a control character"),
    (("1", "General Admission=1", "--donation", "1e20"), "donation Decimal('1E+20'): is more than 9999999999.99"),
    (("1", "General Admission=1", "--donation", "NaN"), "'NaN' must be more than zero"),
    (("1", "General Admission=1", "--promo", "FRIENDS"), "promo code 'FRIENDS': no ticket in this sale is offered"),
    (("1", "General Admission=1", "--customer", "a\x00b"), "username 'a\\x00b': has a control character"),
    (("1", "General Admission=1", "--donation", "5", "--donation-account", "41\x00"), "--donation-account '41\\x00'"),
])
def test_out_of_range_values_exit_2_in_one_line_and_sell_nothing(cli, festival, capsys, monkeypatch, argv, message):
    monkeypatch.setattr("gbetix_core.boxoffice.sales.festival_now", lambda zone: NOW)
    try:
        code = cli("sell", *argv, "--payment", "cash", "--as", "Bea")
    except SystemExit as exit_:  # argparse: usage, then the one line that says what is wrong
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 2 and message in err.strip().splitlines()[-1] and "Traceback" not in err
    assert not Order.select().exists()


@pytest.mark.parametrize("donation", [Decimal("NaN"), Decimal("Infinity"), Decimal("1e20"), Decimal("-5")])
def test_the_core_refuses_a_donation_no_money_column_can_hold(festival, donation):
    with pytest.raises(InputError, match="donation"):
        sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 1}, donation=donation),
                    payment="cash", now=NOW)
    assert not Item.select().exists()


@pytest.mark.parametrize("price", ["99999999999", "NaN", "inf", "-1", "1e20", None])
def test_a_ticket_price_must_fit_the_money_column(festival, price):
    with pytest.raises(InputError, match="price"):
        catalog.add_ticket_type(festival.manager, "Gold", price, 2026)
    assert not TicketType.select().where(TicketType.name == "Gold").exists()


@pytest.mark.parametrize("house", [None, "", 0, 2**31, 10**20, 1.5, float("nan")])
def test_a_house_capacity_must_be_a_whole_number_the_column_holds(festival, house):
    with pytest.raises(InputError, match="house capacity"):
        catalog.add_performances(festival.manager, festival.friday.show_id, [NOW], house)
    with pytest.raises(InputError, match="house capacity"):
        catalog.edit_performance(festival.manager, festival.friday, house_capacity=house)


def test_a_promo_code_for_an_offer_with_none_is_refused_not_ignored(festival):
    with pytest.raises(InputError, match="promo code 'FRIENDS': no ticket in this sale is offered with a promo code"):
        sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 1}), payment="cash",
                    promo_code="FRIENDS", now=NOW)
    assert not Order.select().exists()


def test_a_name_with_accents_is_found_whatever_its_case_on_both_databases(cli, festival, capsys, monkeypatch):
    monkeypatch.setattr("gbetix_core.boxoffice.sales.festival_now", lambda zone: NOW)
    elite = catalog.add_ticket_type(festival.manager, "Élite", "50", 2026)
    catalog.set_offers(festival.manager, elite, [festival.friday])
    assert cli("sell", str(festival.friday.id), "élite=1", "--payment", "cash", "--as", "Bea") == 0, capsys.readouterr()
    assert Item.select().where(Item.ticket_type == elite.id).count() == 1
