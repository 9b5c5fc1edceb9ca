"""A first sync sets the random-keyed indexes aside on SQLite and builds them again, whatever stops it."""

import io

import pytest

from gbetix_core import bulk_indexes
from gbetix_core.db import database, is_postgres
from gbetix_core.demo.people import users_csv
from gbetix_core.models import Item, Purchase, Setting
from gbetix_core.people.users_import import import_users
from tests.bpt_support import line
from tests.core.matching.festival import user_rows


def indexes() -> dict[str, str]:
    """Every index of the database, by name: its definition (SQLite) or its table (PostgreSQL)."""
    if is_postgres():
        query = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
    else:
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
    return dict(database.obj.execute_sql(query).fetchall())


@pytest.fixture
def lines(bpt, monkeypatch):
    """Twelve lines, and any orderlist counted as big enough to set the indexes aside for."""
    import_users(io.StringIO(users_csv(user_rows())))
    monkeypatch.setattr(bulk_indexes, "BULK_BYTES", 1)
    bpt.dataset.add_orders([line(number, quantity=2) for number in range(1, 13)])
    return bpt


def test_the_random_keyed_indexes_are_all_in_a_new_database(db):
    assert set(bulk_indexes.RANDOM_KEYED) <= set(indexes())


def test_a_first_sync_loads_without_them_and_builds_them_again_as_they_were(lines, db):
    before = indexes()
    during = []
    lines.sync(after_import=lambda ids: during.append(set(indexes())))
    aside = set(bulk_indexes.RANDOM_KEYED)
    assert during == [set(before) if is_postgres() else set(before) - aside]  # PostgreSQL keeps them
    assert indexes() == before
    assert Setting.get_or_none(Setting.key == bulk_indexes.SETTING) is None
    assert Item.select().where(Item.owner.is_null(False)).count() == 24


def test_a_sync_of_lines_already_stored_keeps_them(lines, db):
    lines.sync()
    lines.dataset.add_orders([line(13)])
    during = []
    lines.sync(after_import=lambda ids: during.append(set(indexes())))
    assert during == [set(indexes())] and Purchase.select().count() == 13


def test_a_sync_interrupted_while_they_are_aside_builds_them_before_it_ends(lines, db):
    before = indexes()

    def interrupted(ids):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        lines.sync(after_import=interrupted)
    assert indexes() == before


SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # PostgreSQL never sets them aside


@SQLITE_ONLY
@pytest.mark.parametrize("left", [1, len(bulk_indexes.RANDOM_KEYED)])
def test_what_a_killed_sync_left_aside_the_next_sync_builds_first(lines, db, left):
    """A sync killed between dropping them and building them all again left its record; the next one, with
    nothing to set aside for itself, reads it first."""
    lines.sync()
    before = indexes()
    bulk_indexes.set_aside()
    for _ in range(len(bulk_indexes.RANDOM_KEYED) - left):  # killed part-way through building them again
        bulk_indexes.build_one()
    assert len(set(before) - set(indexes())) == left
    lines.dataset.add_orders([line(13)])
    assert lines.sync().status == "ok"
    assert indexes() == before and Setting.get_or_none(Setting.key == bulk_indexes.SETTING) is None


@SQLITE_ONLY
def test_a_failure_to_build_them_again_is_a_warning_and_the_next_sync_builds_them(lines, db, monkeypatch):
    before = indexes()
    real = bulk_indexes.build_again
    calls = []

    def failing() -> None:
        calls.append(1)
        if len(calls) == 2:  # the first call builds a killed sync's leftovers (none); the second fails
            raise OSError("disk full")
        real()

    monkeypatch.setattr(bulk_indexes, "build_again", failing)
    run = lines.sync()
    assert run.status == "ok" and "disk full" in run.warnings and set(indexes()) < set(before)
    monkeypatch.setattr(bulk_indexes, "build_again", real)
    lines.sync()
    assert indexes() == before

