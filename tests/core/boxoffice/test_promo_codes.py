"""Promo codes are kept on what they sold, reported by code, and named only to managers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gbetix_core.boxoffice import catalog
from gbetix_core.boxoffice.availability import explanation_for, offers_for
from gbetix_core.boxoffice.reports import promo_report, run_report, sales_report
from gbetix_core.boxoffice.sales import Basket, sell_to_customer, sell_walkup
from gbetix_core.errors import InputError
from gbetix_core.models import Item, Offer, User
from tests.core.boxoffice.helpers import NOW


@pytest.fixture
def yorick(festival):
    """Student tickets on Friday need the code YORICK."""
    offer = Offer.get((Offer.performance == festival.friday.id) & (Offer.ticket_type == festival.student.id))
    catalog.edit_offer(festival.manager, offer, promo_codes="yorick")
    return offer


def test_the_code_used_is_kept_on_the_tickets_it_sold(festival, yorick):
    rosa = User.create(username="rosa", first_name="Rosa", last_name="Delgado", email="rosa@example.org")
    order = sell_to_customer(festival.boxoffice, rosa, Basket(festival.friday.id, {festival.student.id: 2,
                                                                                   festival.ga.id: 1}),
                             payment="cash", promo_code=" Yorick ", now=NOW)
    codes = {(i.ticket_type.name, i.promo_code) for i in Item.select().where(Item.order == order.id)}
    assert codes == {("Student", "YORICK"), ("General Admission", None)}


def test_reports_filter_and_group_by_promo_code(festival, yorick):
    sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.student.id: 2}), payment="cash",
                promo_code="yorick", now=NOW)
    sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 1}), payment="cash", now=NOW)
    assert promo_report().rows == [("YORICK", "Student", 2, Decimal("50.00"))]
    assert [row[2:] for row in sales_report(promo="yorick").rows] == [("Student", 2, Decimal("50.00"))]
    assert len(sales_report().rows) == 2
    assert run_report("promo", promo="nobody").rows == []
    with pytest.raises(InputError, match="does not filter by promo code"):
        run_report("walkup", promo="yorick")


def test_a_manager_sees_which_code_box_office_only_that_one_is_needed(festival, yorick):
    [student] = [s for s in offers_for(festival.friday, now=NOW) if s.ticket_type.name == "Student"]
    assert explanation_for(student, festival.manager) == "Promo code YORICK required"
    assert explanation_for(student, festival.boxoffice) == "Promo code required"


def test_offers_from_the_command_line(festival, yorick, db_url, tmp_path, capsys):
    from gbetix_core.cli import main

    config = tmp_path / "gbetix.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n')
    assert main(["--config", str(config), "offers", str(festival.friday.id), "--as", "Manny"]) == 0
    assert "Promo code YORICK required" in capsys.readouterr().out
    assert main(["--config", str(config), "offers", str(festival.friday.id), "--as", "Bea"]) == 0
    out = capsys.readouterr().out
    assert "Promo code required" in out and "YORICK" not in out
