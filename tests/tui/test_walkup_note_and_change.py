"""At a cash sale: the cash tendered and the change; a note for the door; a paper sale dated when it happened."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from textual.widgets import DataTable

from gbetix_core.models import AuditEntry, Order
from tests.tui.conftest import NOW, open_place, settle
from tests.tui.festival_data import opened


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_change_due_and_a_note_for_the_door(make_app, festival_url):
    app = make_app("Bea Boxoffice")
    async with app.run_test(size=(120, 30)) as pilot:
        await open_place(pilot, "1")
        await pilot.press("2", "n")
        await settle(pilot)
        await pilot.press(*"2 wheelchairs", "enter", "t")
        await settle(pilot)
        await pilot.press(*"100", "enter")
        await settle(pilot)
        assert "tendered $100.00, change due $30.00" in _text(app, "#total")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert "cash, $70.00, change due $30.00" in _text(app, "#receipt")
        await pilot.press("escape", "2")
        await settle(pilot)
        table = app.screen.query_one("#parties", DataTable)
        names = [str(table.get_row_at(row)[0]) for row in range(table.row_count)]
        table.move_cursor(row=next(i for i, name in enumerate(names) if name.startswith("Walkup")))
        await settle(pilot)
        assert "2 wheelchairs" in _text(app, "#notes")
    with opened(festival_url):
        order = Order.get()
        assert (order.comments, order.cash_tendered) == ("2 wheelchairs", Decimal("100.00"))


async def test_a_manager_dates_a_paper_sale_when_it_happened(make_app, festival_url, monkeypatch):
    monkeypatch.setattr("gbetix_core.boxoffice.clock.wall_clock", lambda time_zone=None: NOW + dt.timedelta(hours=14))
    app = make_app("Manny Manager")
    async with app.run_test(size=(120, 30)) as pilot:
        await open_place(pilot, "1")
        await pilot.press("b")
        await settle(pilot)
        await pilot.press(*f"{NOW:%Y-%m-%d} 19:10", "enter", *"paper sale", "enter")
        await settle(pilot)
        assert "DATED" in _text(app, "#performance")
        await pilot.press("1", "enter", "enter")
        await settle(pilot)
        assert "Sold" in _text(app, "#receipt")
        assert "DATED" not in _text(app, "#performance")
    with opened(festival_url):
        assert AuditEntry.get(AuditEntry.action == "sale.backdate").reason == "paper sale"
