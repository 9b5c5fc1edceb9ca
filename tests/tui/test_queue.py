"""The queue: pages from the database, counts, and filters that narrow what a person reviews."""

from __future__ import annotations

from gbetix_core.models import PurchaseMatch
from gbetix_tui.screens.queue import QueueScreen
from gbetix_tui.widgets.paged_table import PagedTable
from tests.tui.conftest import config_for, open_place, settle
from tests.tui.festival_data import add_purchases, opened


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_pages_move_through_the_whole_queue_and_filters_narrow_it(make_app, festival_url, tmp_path):
    add_purchases(festival_url, config_for(festival_url, tmp_path), count=240)
    with opened(festival_url):
        linked = PurchaseMatch.select().where(PurchaseMatch.status == "linked").count()
        legacy = PurchaseMatch.select().where(PurchaseMatch.flag == "legacy").count()
    app = make_app("Ada Admin")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "3")
        assert isinstance(app.screen, QueueScreen)
        table = app.screen.query_one(PagedTable)
        app.screen.query_one("#status").value = "linked"
        await settle(pilot)
        assert f"Linked {linked:,}" in _text(app, "#counts")
        assert f"1-50 of {linked}" in _text(app, "#position")
        first_page = table.current_key()
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert f"51-100 of {linked}" in _text(app, "#position") and table.current_key() != first_page
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert table.current_key() != first_page and table.cursor_row == table.row_count - 1
        app.screen.query_one("#status").value = "candidates"
        app.screen.query_one("#flag").value = "legacy"
        await settle(pilot)
        flags = {cells[5] for cells in table.stored.values()}
        assert flags <= {"legacy"} and table.row_count <= legacy
        await pilot.press("slash", *"zzzz-nobody")
        await settle(pilot)
        await settle(pilot)
        assert table.row_count == 0 and "nothing to show" in _text(app, "#position")
