"""Errors never reach the screen as a traceback: the operator reads one line, the log keeps the details."""

from __future__ import annotations

import pytest

from gbetix_core.demo import DEMO_PIN
from gbetix_tui.harness import build_app
from gbetix_tui.screens.dashboard import DashboardScreen
from tests.tui.conftest import NOW, config_for, settle


@pytest.mark.parametrize("owner, method, key", [("screen", "action_refresh", "r"), ("app", "open_place", "enter")],
                         ids=["an action", "a message handler"])
async def test_a_failing_handler_is_reported_and_logged_and_the_app_keeps_running(festival_url, tmp_path, monkeypatch,
                                                                                 owner, method, key):
    from gbetix_tui.app import GbetixApp

    config = config_for(festival_url, tmp_path)
    app = build_app(config, operator="Ada Admin", pin=DEMO_PIN, now=NOW, strict=False)

    def broken(self, *args) -> None:
        raise RuntimeError("a bug in a handler")

    monkeypatch.setattr(DashboardScreen if owner == "screen" else GbetixApp, method, broken, raising=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, DashboardScreen)
        assert {type(e) for e in app.internal_errors} == {RuntimeError}
        assert any(n.title == "Internal error" and str(config.log_file) in n.message for n in app.notices)
    assert "RuntimeError: a bug in a handler" in config.log_file.read_text()
    assert "Traceback" in config.log_file.read_text()


async def test_a_refusal_of_the_core_is_a_notification_in_its_own_words(make_app):
    from gbetix_core.people.staff import get_staff

    app = make_app("Dana Door")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.run_core(get_staff, "Nobody Here")
        await settle(pilot)
        assert app.is_running
        errors = [n for n in app.notices if n.severity == "error"]
        assert [n.title for n in errors] == ["Not done"]
        assert "No active staff member called 'Nobody Here'" in errors[0].message


async def test_a_database_that_cannot_be_opened_ends_the_app_with_the_reason(tmp_path):
    from gbetix_core.config import Config, DatabaseConfig

    folder = tmp_path / "not-a-dir"
    folder.write_text("a file where the database folder should be")
    config = Config(database=DatabaseConfig(url=f"sqlite:///{folder}/gbetix.db"), data_dir=tmp_path / "data")
    app = build_app(config, now=NOW, strict=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    assert app.return_code == 2
    assert "File exists" in config.log_file.read_text()


async def test_a_busy_database_is_a_notice_to_try_again_not_an_internal_error(make_app):
    from peewee import OperationalError

    def locked_by_another_terminal() -> None:
        raise OperationalError("database is locked")

    app = make_app("Dana Door")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.run_core(locked_by_another_terminal)
        await settle(pilot)
        assert app.is_running and app.internal_errors == []
        [notice] = [n for n in app.notices if n.title == "Busy"]
        assert "another terminal is writing" in notice.message and notice.severity == "warning"


async def test_a_failing_answer_of_the_core_and_a_failing_dialog_result_are_reported(festival_url, tmp_path,
                                                                                      monkeypatch):
    from gbetix_tui.screens.confirm import ConfirmScreen

    config = config_for(festival_url, tmp_path)
    app = build_app(config, operator="Ada Admin", pin=DEMO_PIN, now=NOW, strict=False)

    def broken_show(self, picture) -> None:
        raise ValueError("cannot draw the night")

    monkeypatch.setattr(DashboardScreen, "_show", broken_show, raising=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert {type(e) for e in app.internal_errors} == {ValueError}
        app.confirm("Really?", lambda: 1 / 0)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, DashboardScreen)
        assert {type(e) for e in app.internal_errors} == {ValueError, ZeroDivisionError}


def test_an_error_textual_itself_stops_on_goes_to_the_log_and_the_person_reads_one_line(
        festival_url, tmp_path, monkeypatch, capsys):
    from gbetix_tui.logs import run_logged

    config = config_for(festival_url, tmp_path)
    app = build_app(config, operator="Ada Admin", pin=DEMO_PIN, now=NOW, strict=False)

    def broken_compose(self):
        raise RuntimeError("a screen that cannot be built")

    monkeypatch.setattr(DashboardScreen, "compose", broken_compose, raising=True)
    assert run_logged(app, config.log_file, headless=True, size=(100, 30)) == 1
    said = capsys.readouterr().err
    assert said.strip() == f"gbetix stopped on an internal error; details are in {config.log_file}"
    logged = config.log_file.read_text()
    assert "a screen that cannot be built" in logged and "Traceback" in logged


def test_the_app_uses_no_private_textual_hook_and_guards_every_handler():
    """Handlers are guarded by ``reported`` (see ``gbetix_tui.guard``), not by overriding Textual's internals."""
    import ast
    from pathlib import Path

    import gbetix_tui

    unguarded, private = [], []
    for path in Path(gbetix_tui.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            names = [ast.unparse(d).split("(")[0] for d in node.decorator_list]
            if node.name in {"_dispatch_message", "_handle_exception", "_on_message", "_fatal_error"}:
                private.append(f"{path.name}:{node.name}")
            handler = node.name.startswith("on_") and node.name != "on_event" or "on" in names
            if handler and "reported" not in names:
                unguarded.append(f"{path.name}:{node.name}")
    assert private == [] and unguarded == []
