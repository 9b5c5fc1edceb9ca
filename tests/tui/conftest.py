"""A fixed festival for the terminal app: same people, same shows, same clock, every run.

The festival weekend is placed from a fixed "today" and the app's clock is
pinned to Friday evening before the first curtain, so snapshots never depend
on the day the tests run.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from gbetix_core import db as dbmod
from gbetix_core.config import Config, DatabaseConfig, TokensConfig
from gbetix_core.demo import DEMO_PIN, add_demo_staff
from gbetix_core.demo.festival import build_festival
from gbetix_core.demo.people import generate_users, users_csv
from gbetix_core.people.accounts import ensure_special_accounts
from gbetix_core.people.users_import import import_users
from gbetix_tui.harness import build_app, finish_workers

TODAY = dt.date(2026, 12, 1)
NOW = dt.datetime(2026, 12, 4, 18, 45)
USERS = 60


def seed_festival(url: str) -> None:
    """The demo festival on a fixed weekend, a few users and one staff member of each role."""
    database = dbmod.open_database(url, upgrade=False)
    with dbmod.write():
        ensure_special_accounts()
        build_festival(today=TODAY)
    import_users(io.StringIO(users_csv(generate_users(USERS, seed=7))), source="test users")
    add_demo_staff()
    database.close()


@pytest.fixture
def festival_url(db_url) -> str:
    """A festival database of each backend."""
    seed_festival(db_url)
    return db_url


@pytest.fixture
def sqlite_festival_url(tmp_path, sqlite_template) -> str:
    """The same festival on SQLite only: snapshots need identical ids and order."""
    import shutil

    path = tmp_path / "snap.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    seed_festival(url)
    return url


def config_for(url: str, tmp_path) -> Config:
    return Config(database=DatabaseConfig(url=url), tokens=TokensConfig(secret="tui-tests-secret-0123456789abcdef"),
                  data_dir=tmp_path / "data", source="tests")


@pytest.fixture
def make_app(festival_url, tmp_path):
    """Build the app on the festival database, signed in as ``operator``, clock at NOW.

    After the test, no app may have hit an internal error (they are logged and
    notified in production, which would otherwise hide them from the test).
    """
    apps = []

    def make(operator: str | None = "Ada Admin"):
        app = build_app(config_for(festival_url, tmp_path), operator=operator, pin=DEMO_PIN, now=NOW)
        apps.append(app)
        return app

    yield make
    for app in apps:
        assert app.internal_errors == [], app.internal_errors


@pytest.fixture
def snap_app(sqlite_festival_url, tmp_path):
    def make(operator: str | None = "Ada Admin"):
        return build_app(config_for(sqlite_festival_url, tmp_path), operator=operator, pin=DEMO_PIN, now=NOW)

    return make


async def settle(pilot) -> None:
    """Wait until every core call started so far has answered and the screen has redrawn."""
    for _ in range(3):
        await finish_workers(pilot.app)
        await pilot.pause()


async def press_each(pilot, *keys: str) -> None:
    """Press keys one at a time, each answered (its core calls done, the screen redrawn) before the next."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def open_place(pilot, key: str) -> None:
    """Wait for start-up, press a main-menu number, wait for the screen to load."""
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)


