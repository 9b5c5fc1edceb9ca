"""Values no form should take: NaN, 10^20, a blank or 20-digit capacity. The app says no in a notice and keeps going."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from gbetix_core.models import Order, Performance, TicketType
from gbetix_tui.screens.setup import SetupScreen
from gbetix_tui.screens.walkup import WalkupScreen
from gbetix_tui.widgets.form import FormDialog
from tests.tui.conftest import open_place, settle
from tests.tui.festival_data import opened


def notices(app) -> list[str]:
    return [n.message for n in app.notices]


async def give_donation(pilot, amount: str) -> None:
    await pilot.press("$")
    await settle(pilot)
    pilot.app.screen.query_one("#f-amount", Input).value = amount
    await pilot.press("enter")
    await settle(pilot)


async def test_a_donation_of_nan_or_ten_to_the_twentieth_is_refused_in_a_notice(make_app, festival_url):
    app = make_app("Bea Boxoffice")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "1")
        await give_donation(pilot, "NaN")
        await give_donation(pilot, "1e20")
        await give_donation(pilot, "99999999999")
        assert isinstance(app.screen, WalkupScreen)
        assert "donation 'NaN': is not an amount of money" in notices(app)
        assert "donation '1e20': is more than 9999999999.99" in notices(app)
        assert "donation '99999999999': is more than 9999999999.99" in notices(app)
        await pilot.press("2")
        await settle(pilot)
        assert "Total $70.00 (2 tickets)" in str(app.screen.query_one("#total").render())
        assert not any("Internal error" in (n.title or "") for n in app.notices)
    with opened(festival_url):
        assert not Order.select().exists()


async def open_new_performance_form(pilot) -> FormDialog:
    await open_place(pilot, "6")
    assert isinstance(pilot.app.screen, SetupScreen)
    pilot.app.screen.query_one("#performances", DataTable).move_cursor(row=0)
    await pilot.press("n")
    await settle(pilot)
    dialog = pilot.app.screen
    dialog.query_one("#f-times", Input).value = "2026-12-06 23:00"
    return dialog


@pytest.mark.parametrize("house, notice", [
    ("", "house capacity (blank): must be a whole number"),
    ("99999999999999999999", "house capacity 99999999999999999999: must be between 1 and 2147483647"),
])
async def test_a_blank_or_twenty_digit_house_capacity_is_refused_in_a_notice(make_app, festival_url, house, notice):
    app = make_app("Manny Manager")
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_new_performance_form(pilot)
        dialog.query_one("#f-house", Input).value = house
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert notice in notices(app)
    with opened(festival_url):
        assert Performance.select().count() == 5


async def test_a_ticket_price_past_the_money_column_is_refused_in_a_notice(make_app, festival_url):
    app = make_app("Manny Manager")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "6")
        await pilot.press("t")
        await settle(pilot)
        app.screen.query_one("#f-name", Input).value = "Gold"
        app.screen.query_one("#f-price", Input).value = "99999999999"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "price '99999999999': is more than 9999999999.99" in notices(app)
    with opened(festival_url):
        assert not TicketType.select().where(TicketType.name == "Gold").exists()
