"""Another terminal holding the write lock: the sale waits its busy timeout, then says so; exit 7, no traceback."""

from __future__ import annotations

import contextlib
import sqlite3

import pytest

from gbetix_core import db as dbmod
from gbetix_core.cli import main
from gbetix_core.errors import DatabaseBusy
from gbetix_core.models import Order, Performance


@contextlib.contextmanager
def another_terminal_writing(db_url: str, performance_id: int):
    """A second connection in the middle of a write that holds what a sale needs."""
    if db_url.startswith("sqlite:///"):
        other = sqlite3.connect(db_url[len("sqlite:///"):], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    else:
        import psycopg

        other = psycopg.connect(db_url)
        other.execute("SELECT id FROM performance WHERE id = %s FOR UPDATE", (performance_id,))
    try:
        yield
    finally:
        other.rollback()
        other.close()


@pytest.fixture
def impatient(db_url):
    """The models bound to the same database with a busy timeout of a fifth of a second."""
    dbmod.database.close()
    database = dbmod.open_database(db_url, busy_timeout_ms=200, upgrade=False)
    yield database
    database.close()


def test_a_write_that_waits_too_long_is_a_message_for_a_person(festival, db_url, impatient):
    with another_terminal_writing(db_url, festival.friday.id), pytest.raises(DatabaseBusy) as busy:
        with dbmod.write():
            dbmod.locked(Performance.select().where(Performance.id == festival.friday.id)).get()
            Order.create(source="walkup", customer=festival.boxoffice.id, purchaser=festival.boxoffice.id,
                         payment_method="cash", total=0)
    assert "another terminal is writing" in str(busy.value)
    assert busy.value.exit_code == 7
    assert Order.select().count() == 0


def test_the_command_line_exits_7_with_one_line(festival, db_url, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("gbetix_core.boxoffice.sales.festival_now", lambda zone: festival.friday.starts_at)
    config = tmp_path / "gbetix.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\nbusy_timeout_ms = 200\n'
                      '[boxoffice]\ntime_zone = "America/Chicago"\n')
    with another_terminal_writing(db_url, festival.friday.id):
        code = main(["--config", str(config), "sell", str(festival.friday.id), "General Admission=1",
                     "--payment", "cash", "--as", "Bea"])
    err = capsys.readouterr().err
    assert code == 7
    assert err.startswith("gbetix: error: another terminal is writing") and "Traceback" not in err
    assert Order.select().count() == 0
