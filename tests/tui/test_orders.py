"""Orders and receipts: the receipt again from its number, refund one ticket, move one, export text and PDF."""

from __future__ import annotations

from textual.widgets import DataTable

from gbetix_core.models import Item, Performance
from gbetix_tui.screens.orders import OrdersScreen
from tests.tui.conftest import open_place, settle
from tests.tui.festival_data import opened, sell_party


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_refund_one_ticket_move_another_and_export(make_app, festival_url, tmp_path):
    customer, order_id = sell_party(festival_url)
    app = make_app("Manny Manager")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_place(pilot, "8")
        assert isinstance(app.screen, OrdersScreen)
        await pilot.press(*f"#{order_id}", "enter")
        await settle(pilot)
        assert f"Order #{order_id}" in _text(app, "#receipt")
        assert f"Customer: {customer.full_name}" in _text(app, "#receipt")
        assert app.screen.query_one("#items", DataTable).row_count == 3
        await pilot.press("space", "r")
        await settle(pilot)
        await pilot.press(*"could not come", "enter")
        await settle(pilot)
        assert "(refund)" in _text(app, "#receipt")
        assert app.screen.query_one("#items", DataTable).row_count == 2
        await pilot.press("space", "m")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
    with opened(festival_url):
        kinds = sorted(i.kind for i in Item.select().where(Item.order == order_id))
        assert kinds == ["canceled", "refunded", "ticket", "ticket"]
        places = {i.performance_id for i in Item.select().where((Item.order == order_id) & (Item.kind == "ticket"))}
        assert len(places) == 2
        assert Performance.select().count() > 1
    assert (tmp_path / "data" / "receipts" / f"receipt-{order_id}.pdf").exists()


async def test_box_office_staff_cannot_refund_from_here(make_app, festival_url):
    _, order_id = sell_party(festival_url)
    app = make_app("Bea Boxoffice")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "8")
        await pilot.press(*str(order_id), "enter")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
    with opened(festival_url):
        assert Item.select().where(Item.kind == "refunded").count() == 0
