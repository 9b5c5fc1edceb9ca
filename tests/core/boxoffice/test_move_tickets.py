"""Moving part of an order to another performance: the chosen tickets only, seats checked there."""

from __future__ import annotations

import pytest

from gbetix_core.boxoffice import catalog
from gbetix_core.boxoffice.orders import move_tickets
from gbetix_core.boxoffice.sales import Basket, sell_to_customer
from gbetix_core.errors import InputError, PermissionDenied, SaleRefused
from gbetix_core.models import AuditEntry, Item, User
from tests.core.boxoffice.helpers import NOW


@pytest.fixture
def party_of_four(festival):
    rosa = User.create(username="rosa", first_name="Rosa", last_name="Delgado", email="rosa@example.org")
    order = sell_to_customer(festival.boxoffice, rosa, Basket(festival.friday.id, {festival.ga.id: 4}),
                             payment="cash", now=NOW)
    return order, [i.id for i in Item.select().where(Item.order == order.id).order_by(Item.id)]


def test_two_of_a_party_of_four_move_to_saturday(festival, party_of_four):
    order, tickets = party_of_four
    assert move_tickets(festival.manager, order, tickets[:2], festival.saturday, now=NOW, reason="two come later") == 2
    where = {i.id: i.performance_id for i in Item.select().where(Item.order == order.id)}
    assert [where[t] for t in tickets] == [festival.saturday.id] * 2 + [festival.friday.id] * 2
    entry = AuditEntry.get(AuditEntry.action == "sale.move")
    assert entry.reason == "two come later" and entry.subject == f"order:{order.id}"


def test_an_empty_selection_and_other_orders_tickets_are_refused(festival, party_of_four):
    order, tickets = party_of_four
    with pytest.raises(InputError, match="none is selected"):
        move_tickets(festival.manager, order, [], festival.saturday, now=NOW)
    with pytest.raises(PermissionDenied):
        move_tickets(festival.boxoffice, order, tickets[:1], festival.saturday, now=NOW)
    with pytest.raises(SaleRefused, match="already for"):
        move_tickets(festival.manager, order, tickets[:1], festival.friday, now=NOW)


def test_the_target_performance_must_have_the_seats(festival, party_of_four):
    order, tickets = party_of_four
    catalog.edit_performance(festival.manager, festival.saturday, max_advance_sales=3)
    with pytest.raises(SaleRefused, match="Only 3"):
        move_tickets(festival.manager, order, tickets, festival.saturday, now=NOW)
    assert {i.performance_id for i in Item.select().where(Item.order == order.id)} == {festival.friday.id}


def test_moving_from_the_command_line(festival, party_of_four, db_url, tmp_path, capsys, monkeypatch):
    from gbetix_core.cli import main

    monkeypatch.setattr("gbetix_core.boxoffice.orders.festival_now", lambda zone: NOW)
    order, tickets = party_of_four
    config = tmp_path / "gbetix.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n')
    base = ["--config", str(config), "move", f"#{order.id}", str(festival.saturday.id), "--as", "Manny"]
    assert main(base) == 2
    assert "--ticket ID" in capsys.readouterr().err
    assert main([*base, "--ticket", str(tickets[0])]) == 0
    assert "1 ticket(s) moved" in capsys.readouterr().out
    assert Item.get_by_id(tickets[0]).performance_id == festival.saturday.id
