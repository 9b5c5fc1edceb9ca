"""At the door a manager sees which promo code opens a hidden offer; box-office staff do not see the code."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import DataTable

from gbetix_core.models import Offer, Performance, TicketType
from tests.tui.conftest import NOW, open_place
from tests.tui.festival_data import opened


def _lines(app) -> dict[str, str]:
    table = app.screen.query_one("#offers", DataTable)
    return {str(table.get_row_at(row)[0]): str(table.get_row_at(row)[5]) for row in range(table.row_count)}


async def test_the_manager_sees_the_code_box_office_does_not(make_app, festival_url):
    with opened(festival_url):
        friend = TicketType.create(name="Friend of the Expo", price=Decimal("20.00"), season=NOW.year,
                                   category="revenue", availability="anyone", walkup_allowed=True, display_order=5)
        perf = Performance.select().order_by(Performance.starts_at, Performance.id).first()
        Offer.create(performance=perf, ticket_type=friend, max_sales=12, promo_codes="yorick")
    for operator, expected in (("Manny Manager", "Promo code YORICK required"), ("Bea Boxoffice", None)):
        app = make_app(operator)
        async with app.run_test(size=(120, 30)) as pilot:
            await open_place(pilot, "1")
            assert _lines(app).get("Friend of the Expo") == expected
