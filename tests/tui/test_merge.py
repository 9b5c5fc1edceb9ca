"""Merge customers in the app: a suggestion merged with a reason, then undone."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable

from gbetix_core.models import AuditEntry, User
from gbetix_tui.screens.merge import MergeScreen
from tests.tui.conftest import open_place, settle
from tests.tui.festival_data import opened


async def test_a_suggested_pair_is_merged_and_undone(make_app, festival_url):
    with opened(festival_url):
        User.create(username="rosa_old", first_name="Rosa", last_name="Delgado", email="rosa@old.example",
                    phone="+16175550142", updated_at=dt.datetime(2024, 1, 1))
        User.create(username="rosa_new", first_name="Rosa", last_name="Delgado", email="rosa@new.example",
                    phone="+16175550142", updated_at=dt.datetime(2026, 6, 1))
    app = make_app("Ada Admin")
    async with app.run_test(size=(120, 30)) as pilot:
        await open_place(pilot, "m")
        assert isinstance(app.screen, MergeScreen)
        table = app.screen.query_one("#suggestions", DataTable)
        rows = [str(table.get_row_at(r)[0]) for r in range(table.row_count)]
        table.move_cursor(row=next(i for i, name in enumerate(rows) if "rosa_new" in name))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"same person", "enter")
        await settle(pilot)
        assert any(n.title == "Merged" for n in app.notices)
        await pilot.press("z", "y")
        await settle(pilot)
    with opened(festival_url):
        assert User.get(User.username == "rosa_old").email == "rosa@old.example"
        assert AuditEntry.select().where(AuditEntry.action == "user.merge.undo").count() == 1
