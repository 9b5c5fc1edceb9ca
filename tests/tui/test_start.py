"""Starting the app: the operator signs in with their PIN, and the role decides what is offered."""

from __future__ import annotations

from textual.widgets import OptionList, Static

from gbetix_core.demo import DEMO_PIN
from gbetix_tui.screens.dashboard import DashboardScreen
from gbetix_tui.screens.operator import OperatorScreen
from tests.tui.conftest import open_place, settle


async def sign_in_as(pilot, name: str, pin: str = DEMO_PIN) -> None:
    """On the sign-in screen: choose ``name``, type ``pin``, press enter, wait for the core's answer."""
    staff = pilot.app.screen.query_one(OptionList)
    names = [str(o.prompt) for o in staff.options]
    staff.focus()
    staff.highlighted = next(i for i, n in enumerate(names) if name in n)
    await pilot.press("enter", *pin, "enter")
    await settle(pilot)


async def test_the_operator_signs_in_with_their_pin_and_sees_the_places_their_role_reaches(make_app):
    app = make_app(operator=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OperatorScreen)
        await sign_in_as(pilot, "Dana Door")
        assert isinstance(app.screen, DashboardScreen)
        places = app.screen.query_one("#places", OptionList)
        enabled = {o.id for o in places.options if not o.disabled}
        assert enabled == {"door", "claim"}
        assert "Dana Door (door)" in app.sub_title


async def test_a_door_operator_is_told_why_a_place_is_closed(make_app):
    app = make_app(operator="Dana Door")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "6")
        assert isinstance(app.screen, DashboardScreen)
        assert any("manager role" in n.message for n in app.notices)


async def test_the_main_menu_shows_the_next_performance(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one("#overview").render())
        assert "The Main Event" in text and "Fri 04 Dec 19:30" in text


async def test_the_command_palette_opens_a_place_and_offers_the_screens_actions(make_app):
    from textual.command import CommandPalette

    from gbetix_tui.screens.door import DoorScreen

    app = make_app("Dana Door")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"door check")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DoorScreen)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"undo check")
        await settle(pilot)
        await settle(pilot)
        found = [str(option.prompt) for option in app.screen.query("CommandList").first().options]
        assert any("Door check-in: Undo check-in" in text for text in found)
        assert not any("Walkup" in text for text in found)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"performance")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "PerformancePicker"


async def test_switching_operator_starts_over_on_the_menu_with_the_new_role(make_app):
    app = make_app("Dana Door")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "2")
        await pilot.press("ctrl+o")
        await settle(pilot)
        await sign_in_as(pilot, "Ada Admin")
        assert isinstance(app.screen, DashboardScreen) and len(app.screen_stack) == 2
        assert all(not o.disabled for o in app.screen.query_one("#places", OptionList).options)
        assert "Ada Admin (admin)" in app.sub_title


async def test_a_wrong_pin_is_refused_on_the_sign_in_screen_and_nobody_is_signed_in(make_app):
    app = make_app(operator=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await sign_in_as(pilot, "Ada Admin", pin="1357")
        assert isinstance(app.screen, OperatorScreen) and app.session.operator is None
        assert "Wrong PIN for Ada Admin; 4 more" in str(app.screen.query_one("#message", Static).render())
        await pilot.press("escape")
        assert isinstance(app.screen, OperatorScreen)


async def test_ctrl_o_asks_the_pin_of_the_account_chosen_before_switching(make_app):
    app = make_app("Dana Door")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        await sign_in_as(pilot, "Ada Admin", pin="0000")
        assert isinstance(app.screen, OperatorScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen) and app.session.operator.name == "Dana Door"


async def test_five_wrong_pins_lock_the_account_even_for_the_right_pin(make_app):
    app = make_app(operator=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in range(5):
            await sign_in_as(pilot, "Bea Boxoffice", pin="9999")
        await sign_in_as(pilot, "Bea Boxoffice")
        assert isinstance(app.screen, OperatorScreen)
        assert "locked" in str(app.screen.query_one("#message", Static).render())


async def test_an_idle_operator_is_signed_out_and_the_next_one_signs_in(make_app):
    app = make_app("Manny Manager")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "2")
        app.last_input -= app.session.config.staff.idle_minutes * 60 + 1
        app.sign_out_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, OperatorScreen) and app.session.operator is None
        assert "Signed out after 15 minutes" in str(app.screen.query_one("#message", Static).render())
        await pilot.press("escape")
        assert isinstance(app.screen, OperatorScreen)
        await sign_in_as(pilot, "Dana Door")
        assert isinstance(app.screen, DashboardScreen) and app.session.operator.name == "Dana Door"


async def test_a_key_press_keeps_the_operator_signed_in(make_app):
    app = make_app("Manny Manager")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.last_input -= app.session.config.staff.idle_minutes * 60 + 1
        await pilot.press("down")
        app.sign_out_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen) and app.session.operator.name == "Manny Manager"
