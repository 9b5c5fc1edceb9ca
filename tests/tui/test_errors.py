"""Errors never reach the screen as a traceback: the operator reads one line, the log keeps the details."""

from __future__ import annotations

from gbetix_core.demo import DEMO_PIN
from gbetix_tui.harness import build_app
from gbetix_tui.screens.dashboard import DashboardScreen
from tests.tui.conftest import NOW, config_for, settle


async def test_a_failing_handler_is_reported_and_logged_and_the_app_keeps_running(festival_url, tmp_path, monkeypatch):
    config = config_for(festival_url, tmp_path)
    app = build_app(config, operator="Ada Admin", pin=DEMO_PIN, now=NOW, strict=False)

    def broken(self) -> None:
        raise RuntimeError("a bug in a handler")

    monkeypatch.setattr(DashboardScreen, "action_refresh", broken, raising=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, DashboardScreen)
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
        [notice] = [n for n in app._notifications if n.title == "Busy"]
        assert "another terminal is writing" in notice.message and notice.severity == "warning"
