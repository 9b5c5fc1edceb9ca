"""Starting the app: the operator picks who they are, and the role decides what is offered."""

from __future__ import annotations

from textual.widgets import OptionList

from gbetix_tui.screens.dashboard import DashboardScreen
from tests.tui.conftest import open_place, settle


async def test_the_operator_picks_themself_and_sees_the_places_their_role_reaches(make_app):
    app = make_app(operator=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        names = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert any("Dana Door" in n for n in names)
        app.screen.query_one(OptionList).highlighted = next(i for i, n in enumerate(names) if "Dana Door" in n)
        await pilot.press("enter")
        await settle(pilot)
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
        names = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        app.screen.query_one(OptionList).highlighted = next(i for i, n in enumerate(names) if "Ada Admin" in n)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen) and len(app.screen_stack) == 2
        assert all(not o.disabled for o in app.screen.query_one("#places", OptionList).options)
        assert "Ada Admin (admin)" in app.sub_title
