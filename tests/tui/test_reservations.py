"""A subscriber's open admission reserved in the app, and admitted at the door in the same step."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import DataTable

from gbetix_core.boxoffice.sales import Basket, sell_to_customer
from gbetix_core.models import CheckIn, Item, Offer, Staff, TicketType, User
from gbetix_tui.screens.reservations import ReservationsScreen
from tests.tui.conftest import NOW, open_place, settle
from tests.tui.festival_data import first_performance, opened, ticket_type


def _flex_pass(url: str) -> User:
    with opened(url):
        admission = ticket_type("Pass admission")
        flex = TicketType.create(name="Flex Pass", price=Decimal("90.00"), season=NOW.year, category="bundle",
                                 subscription=True, open_admissions=3, open_admission_type=admission)
        perf = first_performance()
        Offer.create(performance=perf, ticket_type=flex)
        holder = User.select().where(User.special.is_null()).order_by(User.id).first()
        sell_to_customer(Staff.get(Staff.name == "Bea Boxoffice"), holder, Basket(perf.id, {flex.id: 1}),
                         payment="cash", now=NOW)
        return holder


async def test_reserve_and_admit_one_show(make_app, festival_url):
    holder = _flex_pass(festival_url)
    app = make_app("Bea Boxoffice")
    async with app.run_test(size=(120, 30)) as pilot:
        await open_place(pilot, "0")
        assert isinstance(app.screen, ReservationsScreen)
        await pilot.press("u", *holder.username)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one("#passes", DataTable)
        assert [str(c) for c in table.get_row_at(0)][::2] == ["Flex Pass", "3 of 3"]
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert str(table.get_row_at(0)[2]) == "2 of 3"
    with opened(festival_url):
        seat = Item.get(Item.bundle.is_null(False))
        assert seat.performance_id == first_performance().id
        assert CheckIn.select().where(CheckIn.item == seat.id).exists()
