"""Fuzzing the money fields of the app's forms: a value is taken or refused in a notice; the screen keeps working.

Each example types several values into one running app (starting the app is
the slow part), on the SQLite festival.
"""

from __future__ import annotations

import asyncio

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Input

from gbetix_core import validation
from gbetix_core.demo import DEMO_PIN
from gbetix_core.errors import InputError
from gbetix_tui.harness import build_app
from gbetix_tui.screens.setup import SetupScreen
from gbetix_tui.screens.walkup import WalkupScreen
from tests.fuzz_support import values
from tests.tui.conftest import NOW, config_for, open_place, settle
from tests.tui.test_hostile_input import give_donation

AMOUNTS = st.lists(values(), min_size=5, max_size=5)


def expected(amount: str):
    try:
        return validation.money("donation", amount or "0")
    except InputError:
        return None


@settings(max_examples=2)
@given(amounts=AMOUNTS)
def test_any_donation_typed_in_the_walkup_form_is_taken_or_refused(sqlite_festival_url, tmp_path, amounts):
    async def type_them() -> None:
        app = build_app(config_for(sqlite_festival_url, tmp_path), operator="Bea Boxoffice", pin=DEMO_PIN, now=NOW)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_place(pilot, "1")
            for amount in amounts:
                before = app.screen.sale.donation
                await give_donation(pilot, amount)
                assert isinstance(app.screen, WalkupScreen)
                assert app.screen.sale.donation == (expected(amount) if expected(amount) is not None else before)
                assert "Total $" in str(app.screen.query_one("#total").render())
        assert app.internal_errors == []

    asyncio.run(type_them())


@settings(max_examples=2)
@given(prices=AMOUNTS)
def test_any_ticket_price_typed_in_the_setup_form_is_taken_or_refused(sqlite_festival_url, tmp_path, prices):
    async def type_them() -> None:
        app = build_app(config_for(sqlite_festival_url, tmp_path), operator="Manny Manager", pin=DEMO_PIN, now=NOW)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_place(pilot, "6")
            for number, price in enumerate(prices):
                await pilot.press("t")
                await settle(pilot)
                app.screen.query_one("#f-name", Input).value = f"Fuzz {number}"
                app.screen.query_one("#f-price", Input).value = price
                await pilot.press("ctrl+s")
                await settle(pilot)
                assert isinstance(app.screen, SetupScreen)
        assert app.internal_errors == []

    asyncio.run(type_them())
