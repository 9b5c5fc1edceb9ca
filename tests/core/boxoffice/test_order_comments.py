"""A comment entered with a sale ("2 wheelchairs") reaches the door, and goes when the order is cancelled."""

from __future__ import annotations

from gbetix_core.boxoffice.door import door_list
from gbetix_core.boxoffice.orders import cancel_confirmation
from gbetix_core.boxoffice.reports import door_report
from gbetix_core.boxoffice.sales import Basket, sell_to_customer
from gbetix_core.models import User
from tests.core.boxoffice.helpers import NOW


def _notes(festival) -> dict[str, list[str]]:
    return {p.name: p.notes for p in door_list(festival.friday).parties}


def test_the_comment_is_on_the_door_list_and_report_until_the_order_is_cancelled(festival):
    rosa = User.create(username="rosa", first_name="Rosa", last_name="Delgado", email="rosa@example.org")
    order = sell_to_customer(festival.boxoffice, rosa, Basket(festival.friday.id, {festival.ga.id: 2}),
                             payment="cash", now=NOW, comments=" 2 wheelchairs ")
    assert _notes(festival) == {"Rosa Delgado": ["2 wheelchairs"]}
    assert door_report(festival.friday).rows[0][-1] == "2 wheelchairs"
    cancel_confirmation(festival.manager, f"#{order.id}", reason="changed plans")
    assert _notes(festival) == {}
    assert door_report(festival.friday).rows == []


def test_the_door_report_from_the_command_line_shows_the_comment(festival, db_url, tmp_path, capsys):
    from gbetix_core.cli import main

    config = tmp_path / "gbetix.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n')
    rosa = User.create(username="rosa", first_name="Rosa", last_name="Delgado", email="rosa@example.org")
    sell_to_customer(festival.boxoffice, rosa, Basket(festival.friday.id, {festival.ga.id: 1}), payment="cash",
                     now=NOW, comments="needs the aisle seat")
    assert main(["--config", str(config), "report", "door", "--performance", str(festival.friday.id)]) == 0
    assert "needs the aisle seat" in capsys.readouterr().out
