"""Fixtures shared by every test: a fresh, migrated database on SQLite and on PostgreSQL.

Tests that take ``db`` (or ``db_url``) run once per backend. PostgreSQL runs
when ``GBETIX_TEST_PG_URL`` names a server (``.ci/run`` sets it); elsewhere
those cases skip with a message saying how to enable them, except under CI,
where a missing or unreachable server fails the run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from gbetix_core import db as dbmod
from gbetix_core.models import ALL_MODELS
from gbetix_core.people import pins
from gbetix_core.people.accounts import ensure_special_accounts

PG_ENV = "GBETIX_TEST_PG_URL"
PG_HINT = (
    f"PostgreSQL tests skipped: set {PG_ENV}=postgresql://postgres@127.0.0.1:5432/test "
    "(any database the user may CREATE DATABASE from) to run them"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


TEST_WALL_CLOCK = dt.datetime(2026, 1, 1)


def pytest_addoption(parser, pluginmanager):
    """With ``-p no:xdist`` the xdist options in pyproject's addopts are accepted and the tests run in this one process."""
    if not pluginmanager.hasplugin("xdist"):
        parser.addoption("--numprocesses", help="ignored: pytest-xdist is disabled")
        parser.addoption("--dist", help="ignored: pytest-xdist is disabled")


@pytest.fixture(autouse=True)
def _pinned_wall_clock(monkeypatch):
    """Sales dated after 1 January 2026 are never back-dated here, whatever day the tests run."""
    monkeypatch.setattr("gbetix_core.boxoffice.clock.wall_clock", lambda time_zone=None: TEST_WALL_CLOCK)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """No test touches the real data dir or a config file from the environment."""
    monkeypatch.setenv("GBETIX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("GBETIX_CONFIG", raising=False)


@pytest.fixture(scope="session", autouse=True)
def _cheap_pin_hashes():
    """PINs hashed at the least Argon2 cost: at the production cost each hash and each sign-in takes ~70 ms.

    Tests hash and check PINs by the hundred (every staff account, every
    sign-in of the app). A hash carries its own parameters, so checking one
    made here is as cheap and exercises the same code; CLI runs in a child
    process still hash at the production cost, which test_pins checks.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pins, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        yield


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, made once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = dbmod.open_database(f"sqlite:///{path}")
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """A throwaway PostgreSQL database for this test session (or xdist worker), migrated once.

    Its commits do not wait for the disk (``synchronous_commit = off``, this
    database only): a commit costs ~0.3 ms instead of a ~4 ms fsync, and a
    crash of the server, the one thing that would lose them, is not a test.
    """
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        if IN_CI:
            pytest.fail(f"CI must run the PostgreSQL tests but {PG_ENV} is not set")
        pytest.skip(PG_HINT)
    import psycopg

    name = f"gbetix_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
            conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at {admin_url} is unreachable: {exc}")
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    database = dbmod.open_database(url)
    database.close()
    yield url
    drop_database_later(admin_url, name)


DROP_DATABASE = """
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
"""
_dropping: list[subprocess.Popen] = []


def drop_database_later(admin_url: str, name: str) -> None:
    """Drop a test database from a process of its own, which nothing waits for.

    DROP DATABASE waits for a checkpoint of the whole server: a few seconds on
    a quiet one, a minute while other work fills its buffers (seen here: 37 to
    66 s). No test needs the drop to be over; the list keeps the handles so that
    no "still running" warning is reported mid-session.
    """
    _dropping.append(subprocess.Popen([sys.executable, "-c", DROP_DATABASE, admin_url, name], start_new_session=True,
                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL))


def _truncate_postgres(database) -> None:
    tables = ", ".join(f'"{m._meta.table_name}"' for m in ALL_MODELS)
    database.execute_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """The URL of an empty, migrated database of each backend."""
    if request.param == "sqlite":
        path = tmp_path / "gbetix.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return _emptied_postgres(request.getfixturevalue("pg_server_url"))


def _emptied_postgres(url: str) -> str:
    database = dbmod.make_database(url)
    database.connect()
    _truncate_postgres(database)
    database.close()
    return url


@pytest.fixture
def db(db_url):
    """The models bound to a fresh database of each backend, special accounts created."""
    yield from _bound(db_url)


@pytest.fixture
def pg_db(pg_server_url):
    """For tests about PostgreSQL alone (its planner, its storage): the models bound to a fresh one."""
    yield from _bound(_emptied_postgres(pg_server_url))


def _bound(url: str):
    database = dbmod.open_database(url, upgrade=False)
    with dbmod.write():
        ensure_special_accounts()
    yield database
    database.close()


@pytest.fixture
def sqlite_db(tmp_path, sqlite_template):
    """For tests that are about the single-file embedded default only."""
    path = tmp_path / "gbetix.db"
    shutil.copy(sqlite_template, path)
    database = dbmod.open_database(f"sqlite:///{path}", upgrade=False)
    with dbmod.write():
        ensure_special_accounts()
    yield database
    database.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_db_url(request, tmp_path) -> str:
    """The URL of a database with no schema at all, of each backend (for migration tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    request.getfixturevalue("pg_server_url")
    import psycopg

    # The server's own URL, not the session database's: dropping that one ends every connection to it.
    admin_url = os.environ[PG_ENV]
    name = f"gbetix_empty_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    yield admin_url.rsplit("/", 1)[0] + "/" + name
    dbmod.database.close()
    drop_database_later(admin_url, name)
