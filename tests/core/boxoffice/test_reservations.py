"""A pass with open admissions ("any 3 shows"): reserved show by show, even when sold out to the public."""

from __future__ import annotations

import pytest

from gbetix_core.boxoffice import catalog
from gbetix_core.boxoffice.availability import inventory
from gbetix_core.boxoffice.reservations import passes_of, release, reserve
from gbetix_core.boxoffice.sales import Basket, sell_to_customer, sell_walkup
from gbetix_core.errors import InputError, SaleRefused
from gbetix_core.models import CheckIn, Item, User
from tests.core.boxoffice.helpers import NOW


@pytest.fixture
def flex(festival):
    """A Flex Pass: any 2 shows, sold on Friday; Rosa buys one."""
    flex = catalog.add_ticket_type(festival.manager, "Flex Pass", "50", 2026, category="bundle", subscription=True,
                                   open_admissions=2, open_admission_type=festival.admission.id)
    catalog.set_offers(festival.manager, flex, [festival.friday])
    rosa = User.create(username="rosa", first_name="Rosa", last_name="Delgado", email="rosa@example.org")
    order = sell_to_customer(festival.boxoffice, rosa, Basket(festival.friday.id, {flex.id: 1}), payment="cash",
                             now=NOW)
    return rosa, Item.get((Item.order == order.id) & Item.bundle.is_null())


def test_the_pass_takes_no_seat_until_a_show_is_reserved(festival, flex):
    rosa, held = flex
    assert inventory(festival.friday).sold == 0
    assert User.get_by_id(rosa.id).subscriber
    [shown] = passes_of(rosa)
    assert (shown.name, shown.admissions, shown.left) == ("Flex Pass", 2, 2)


def test_reserving_even_when_sold_out_to_the_public(festival, flex):
    rosa, held = flex
    sell_walkup(festival.boxoffice, Basket(festival.saturday.id, {festival.ga.id: 6}), payment="cash", now=NOW)
    sell_walkup(festival.boxoffice, Basket(festival.saturday.id, {festival.student.id: 2}), payment="cash", now=NOW)
    assert inventory(festival.saturday).saleable == 0
    seat = reserve(festival.boxoffice, held, festival.saturday)
    assert (seat.performance_id, seat.bundle_id, seat.amount) == (festival.saturday.id, held.id, 0)
    assert inventory(festival.saturday).sold == 9
    with pytest.raises(SaleRefused, match="already holds a reservation"):
        reserve(festival.boxoffice, held, festival.saturday)
    door = reserve(festival.boxoffice, held, festival.friday, admit=True)
    assert CheckIn.select().where(CheckIn.item == door.id).exists()
    with pytest.raises(SaleRefused, match="All 2 admissions"):
        reserve(festival.boxoffice, held, festival.saturday)
    release(festival.boxoffice, seat, reason="cannot come")
    assert passes_of(rosa)[0].left == 1
    with pytest.raises(SaleRefused, match="already used at the door"):
        release(festival.boxoffice, door)


def test_the_house_capacity_still_holds(festival, flex):
    rosa, held = flex
    for _ in range(2):
        sell_walkup(festival.manager, Basket(festival.saturday.id, {festival.ga.id: 5}), payment="cash", now=NOW,
                    override=True)
    with pytest.raises(SaleRefused, match="full"):
        reserve(festival.boxoffice, held, festival.saturday)
    with pytest.raises(InputError, match="not a pass"):
        reserve(festival.boxoffice, Item.get(Item.ticket_type == festival.ga.id), festival.friday)


def test_a_cap_on_subscriber_seats_holds(festival, flex):
    rosa, held = flex
    catalog.set_offers(festival.manager, festival.admission, [festival.friday], max_sales=0)
    with pytest.raises(SaleRefused, match="All 0 Pass admission seats"):
        reserve(festival.boxoffice, held, festival.friday)
    with pytest.raises(SaleRefused, match="not offered"):
        reserve(festival.boxoffice, held, catalog.add_performances(festival.manager, festival.friday.show_id,
                                                                   [NOW], house_capacity=5, max_advance_sales=5)[0])


def test_reserving_from_the_command_line(festival, flex, db_url, tmp_path, capsys):
    from gbetix_core.cli import main

    rosa, held = flex
    config = tmp_path / "gbetix.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n')
    base = ["--config", str(config)]
    assert main([*base, "passes", "rosa"]) == 0
    assert f"pass {held.id}: Flex Pass, 2 of 2 admissions left" in capsys.readouterr().out
    assert main([*base, "reserve", str(held.id), str(festival.saturday.id), "--as", "Bea"]) == 0
    assert "reserved" in capsys.readouterr().out
    assert main([*base, "passes", "rosa"]) == 0
    assert "1 of 2 admissions left" in capsys.readouterr().out
