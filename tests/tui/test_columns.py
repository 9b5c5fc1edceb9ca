"""Narrow tables drop their least important columns rather than cut a value, and say the rest in full below."""

from __future__ import annotations

import pytest
from rich.text import Text

from gbetix_core.models import BptEvent, Purchaser
from gbetix_tui.widgets.columns import FitTable, LeftOut, width_of
from tests.tui.conftest import config_for, open_place, settle
from tests.tui.festival_data import add_purchases, opened, sell_party

LONG_TITLE = "The Great Burlesque Expo of the Year 2026"
LONG_EMAIL = "jacqueline.featherstonehaugh.1987@fastmail.com"


def long_values(url: str) -> None:
    """BPT's event titles and buyers' emails as long as they come."""
    with opened(url):
        BptEvent.update(title=LONG_TITLE).execute()
        Purchaser.update(email=LONG_EMAIL).where(Purchaser.id % 3 == 0).execute()


def _plain(cell) -> str:
    return Text.from_markup(cell).plain if isinstance(cell, str) else getattr(cell, "plain", str(cell))


@pytest.mark.parametrize("operator, place, keys, table_id, size", [
    ("Ada Admin", "3", (), "queue", (80, 24)),
    ("Manny Manager", "6", ("4",), "mapping", (120, 40)),
])
async def test_10_no_value_is_cut_while_a_less_important_column_shows_and_the_line_below_says_it_whole(
        snap_app, sqlite_festival_url, tmp_path, operator, place, keys, table_id, size):
    add_purchases(sqlite_festival_url, config_for(sqlite_festival_url, tmp_path))
    long_values(sqlite_festival_url)
    app = snap_app(operator)
    async with app.run_test(size=size) as pilot:
        await open_place(pilot, place)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        table = app.screen.query_one(f"#{table_id}", FitTable)
        assert table.row_count
        assert len(table.widths) > 1
        for cells in table.stored.values():
            for i, width in table.widths.items():
                whole = min(width_of(cells[i]), table.specs[i].most)
                assert whole <= width, f"{table.specs[i].label} cuts {_plain(cells[i])!r}"
        for row in range(min(table.row_count, 5)):
            table.move_cursor(row=row)
            await settle(pilot)
            [below] = [str(view.render()) for view in app.screen.query(LeftOut) if view.of == table_id]
            for label, cell in table.left_out():
                assert f"{label}: {_plain(cell)}" in below


async def test_a_list_emptied_by_a_search_leaves_nothing_under_it(snap_app, sqlite_festival_url):
    """Found in the tmux walk: the door at 80 columns kept the email of a party no longer listed."""
    sell_party(sqlite_festival_url)
    app = snap_app("Dana Door")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_place(pilot, "2")
        [below] = [view for view in app.screen.query(LeftOut) if view.of == "parties"]
        assert "Email: " in str(below.render()) and below.display
        await pilot.press(*"zzzz nobody")
        await settle(pilot)
        assert app.screen.query_one("#parties", FitTable).row_count == 0
        assert not below.display


async def test_a_table_taken_away_with_its_refit_pending_goes_quietly(snap_app, sqlite_festival_url):
    """Found in the tmux walk: 'Internal error (NoScreen)'. A refit asked for by new rows runs after the next
    repaint; a table taken away before then (its screen closed) has nothing left to fit."""
    sell_party(sqlite_festival_url)
    app = snap_app("Dana Door")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_place(pilot, "2")
        table = app.screen.query_one("#parties", FitTable)
        table.add_row(*["Nobody Late"] * len(table.specs), key="late")
        await table.remove()
        await settle(pilot)
        assert app.internal_errors == []


async def test_the_comparison_says_whole_what_it_cuts_at_80_columns(snap_app, sqlite_festival_url, tmp_path):
    """The candidates' comparison has no cursor: every value it cuts is given in full under it."""
    add_purchases(sqlite_festival_url, config_for(sqlite_festival_url, tmp_path))
    long_values(sqlite_festival_url)
    app = snap_app("Ada Admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_place(pilot, "3")
        await pilot.press("enter")
        await settle(pilot)
        compare = app.screen.query_one("#compare", FitTable)
        buyer_email = next(_plain(cells[1]) for cells in compare.stored.values() if cells[0] == "Email")
        assert width_of(buyer_email) > compare.widths[1], "the comparison is too narrow to show the email whole"
        [below] = [str(view.render()) for view in app.screen.query(LeftOut) if view.of == "compare"]
        assert f"Email · Buyer (BPT): {buyer_email}" in below
