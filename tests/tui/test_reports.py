"""Reports in the app: the revenue of a period, and what a promo code sold, with CSV."""

from __future__ import annotations

from decimal import Decimal

from gbetix_core.boxoffice.sales import Basket, sell_walkup
from gbetix_core.models import Offer, Staff, TicketType
from gbetix_tui.screens.reports import ReportsScreen
from tests.tui.conftest import NOW, open_place, settle
from tests.tui.festival_data import first_performance, opened


async def test_revenue_and_promo_reports(make_app, festival_url, tmp_path):
    with opened(festival_url):
        friend = TicketType.create(name="Friend of the Expo", price=Decimal("20.00"), season=NOW.year)
        perf = first_performance()
        Offer.create(performance=perf, ticket_type=friend, promo_codes="YORICK")
        sell_walkup(Staff.get(Staff.name == "Bea Boxoffice"), Basket(perf.id, {friend.id: 2}), payment="cash",
                    promo_code="yorick", now=NOW)
    app = make_app("Manny Manager")
    async with app.run_test(size=(120, 30)) as pilot:
        await open_place(pilot, "s")
        assert isinstance(app.screen, ReportsScreen)
        await pilot.press("enter")
        await settle(pilot)
        text = str(app.screen.query_one("#report").render())
        assert "Revenue" in text and "40.00" in text
        app.screen.query_one("#name").value = "promo"
        app.screen.query_one("#start").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "YORICK" in str(app.screen.query_one("#report").render())
        await pilot.press("c")
        await settle(pilot)
    assert "YORICK" in (tmp_path / "data" / "reports" / "promo.csv").read_text()
