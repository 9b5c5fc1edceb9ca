"""Door check-in: find a party by name or confirmation number and admit part of it, then the rest."""

from __future__ import annotations

from textual.widgets import DataTable

from gbetix_core.models import CheckIn
from gbetix_tui.screens.door import DoorScreen
from tests.tui.conftest import open_place, settle
from tests.tui.festival_data import opened, sell_party


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_a_party_is_found_by_name_and_checked_in_two_then_one(make_app, festival_url):
    customer, order_id = sell_party(festival_url)
    app = make_app("Dana Door")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "2")
        assert isinstance(app.screen, DoorScreen)
        assert "sold 3 · checked in 0 · to come 3" in _text(app, "#counts")
        await pilot.press(*customer.full_name.lower())
        await settle(pilot)
        await settle(pilot)
        table = app.screen.query_one("#parties", DataTable)
        assert table.get_row_at(0)[0] == customer.full_name
        await pilot.press("down", "2")
        await settle(pilot)
        assert table.get_row_at(0)[1] == "2/3"
        assert "checked in 2 · to come 1" in _text(app, "#counts")
        await pilot.press("enter")
        await settle(pilot)
        assert table.get_row_at(0)[1] == "3/3"
    with opened(festival_url):
        checkins = list(CheckIn.select().where(CheckIn.undone_at.is_null()))
        assert len(checkins) == 3 and all(c.staff.name == "Dana Door" for c in checkins)


async def test_a_confirmation_number_finds_the_order_and_undo_asks_first(make_app, festival_url):
    customer, order_id = sell_party(festival_url)
    app = make_app("Dana Door")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "2")
        await pilot.press(*f"#{order_id}")
        await settle(pilot)
        await settle(pilot)
        table = app.screen.query_one("#parties", DataTable)
        assert table.row_count == 1 and table.get_row_at(0)[0] == customer.full_name
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert table.get_row_at(0)[1] == "3/3"
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert table.get_row_at(0)[1] == "3/3"
        await pilot.press("u", "y")
        await settle(pilot)
        assert table.get_row_at(0)[1] == "0/3"
    with opened(festival_url):
        assert CheckIn.select().where(CheckIn.undone_at.is_null()).count() == 0
        assert CheckIn.select().count() == 3
