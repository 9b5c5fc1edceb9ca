"""Tonight's takings in the app, and a closing count that records the difference."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import DataTable

from gbetix_core.models import DrawerCount
from gbetix_tui.screens.takings import TakingsScreen
from tests.tui.conftest import open_place, settle
from tests.tui.festival_data import opened


async def test_takings_and_a_short_drawer(make_app, festival_url):
    app = make_app("Bea Boxoffice")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "1")
        await pilot.press("2", "enter", "enter")
        await settle(pilot)
        await pilot.press("escape", "9")
        await settle(pilot)
        assert isinstance(app.screen, TakingsScreen)
        table = app.screen.query_one("#takings", DataTable)
        assert [str(c) for c in table.get_row_at(0)] == ["Bea Boxoffice", "cash", "70.00", "0.00", "70.00"]
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("tab", *"65", "enter", *"short", "enter")
        await settle(pilot)
        assert "difference $-5.00" in str(app.screen.query_one("#counts").render())
    with opened(festival_url):
        count = DrawerCount.get()
        assert (count.expected, count.counted, count.difference) == (Decimal("70.00"), Decimal("65.00"),
                                                                     Decimal("-5.00"))
