"""Show and offer setup: a manager adds performances and offers a type for them, deletes with a question, remaps BPT."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from textual.widgets import DataTable

from gbetix_core.models import BptDate, BptEvent, BptPrice, Offer, Performance, Show, TicketType
from gbetix_tui.screens.confirm import ConfirmScreen
from gbetix_tui.screens.setup import SetupScreen
from tests.tui.conftest import open_place, settle
from tests.tui.festival_data import opened


async def test_a_manager_adds_two_performances_and_offers_general_admission(make_app, festival_url):
    app = make_app("Manny Manager")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "6")
        assert isinstance(app.screen, SetupScreen)
        perfs = app.screen.query_one("#performances", DataTable)
        assert perfs.row_count == 5
        await pilot.press("s")
        await pilot.press(*"Late Cabaret", "tab", "tab", "ctrl+s")
        await settle(pilot)
        assert any("Late Cabaret" in n.message for n in app.notices)
    with opened(festival_url):
        show = Show.get(Show.name == "Late Cabaret")
    app = make_app("Manny Manager")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "6")
        app.screen.query_one("#performances", DataTable).move_cursor(row=0)
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#f-show").value = show.id
        dialog.query_one("#f-times").value = "2026-12-04 23:00, 2026-12-05 23:00"
        dialog.query_one("#f-house").value = "80"
        await pilot.press("ctrl+s")
        await settle(pilot)
        perfs = app.screen.query_one("#performances", DataTable)
        assert perfs.row_count == 7
        late = next(i for i in range(perfs.row_count) if perfs.get_row_at(i)[0] == "Late Cabaret")
        perfs.move_cursor(row=late)
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        dialog = app.screen
        ga = next(value for label, value in dialog.fields[0].choices if label == "General Admission")
        dialog.query_one("#f-type").value = ga
        dialog.query_one("#f-cap").value = "60"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("2 offers set" in n.message for n in app.notices)
        offers = app.screen.query_one("#offers", DataTable)
        assert offers.get_row_at(0)[:2] == ["General Admission", "60"]
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.query_one("#performances", DataTable).row_count == 6
    with opened(festival_url):
        late = list(Performance.select().where(Performance.show == show))
        assert [(p.house_capacity, p.max_advance_sales) for p in late] == [(80, 80)]
        assert Offer.select().where(Offer.performance == late[0]).get().max_sales == 60


async def test_an_unmapped_bpt_price_is_remapped_to_a_performance_and_ticket_type(make_app, festival_url):
    with opened(festival_url):
        event = BptEvent.create(event_id="4412001", title="The Great Burlesque Expo")
        date = BptDate.create(date_id="5521009", event=event, date_start=dt.date(2026, 12, 5), time_start="23:00")
        price = BptPrice.create(price_id="7730099", event=event, date=date, name="Late Night", value=Decimal("20"))
        target = Performance.select().order_by(Performance.starts_at).first()
        student = TicketType.get(TicketType.name == "Student")
    app = make_app("Manny Manager")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "6")
        await pilot.press("4")
        await settle(pilot)
        assert "1 BPT price, 1 not mapped" in str(app.screen.query_one("#mapping-summary").render())
        await pilot.press("m")
        await settle(pilot)
        app.screen.query_one("#f-performance").value = target.id
        app.screen.query_one("#f-type").value = student.id
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen), "a remap moves tickets: it asks first"
        assert "Up to 0 imported tickets move with it" in str(app.screen.query_one("#question").render())
        await pilot.press("y")
        await settle(pilot)
        assert "all mapped" in str(app.screen.query_one("#mapping-summary").render())
    with opened(festival_url):
        assert BptDate.get_by_id(date.id).performance_id == target.id
        assert BptPrice.get_by_id(price.id).ticket_type_id == student.id
