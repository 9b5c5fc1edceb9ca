"""The users' matching index is kept on disk for the next process: read back as built, signed, and built afresh
when the users, the database or the key are not the ones it was kept for."""

import io
import logging
import multiprocessing
import pickle
import stat
import sys
import uuid

import pytest

from gbetix_core.config import Config, DatabaseConfig, TokensConfig
from gbetix_core.demo.buyers import generate_orders
from gbetix_core.demo.people import generate_users, users_csv
from gbetix_core.demo.purchases import store_orders
from gbetix_core.matching import kept_index
from gbetix_core.matching.blocking import UserIndex
from gbetix_core.matching.engine import prepare_matching
from gbetix_core.matching.kept_index import IndexFile
from gbetix_core.matching.users import build_index, load_index
from gbetix_core.models import Setting, User
from gbetix_core.models.base import utcnow
from gbetix_core.people import versions
from gbetix_core.people.users_import import import_users
from tests.core.matching.rematched import matched

SECRET = "kept-index-secret-0123456789abcdef01"


@pytest.fixture
def config(db, monkeypatch, tmp_path) -> Config:
    """300 users and 600 purchases; indexes kept from 100 users (and a database id: PostgreSQL tests empty
    every table, ``setting`` with them)."""
    monkeypatch.setattr(kept_index, "KEEP_FROM", 100)
    if Setting.get_or_none(Setting.key == "database_id") is None:
        Setting.create(key="database_id", value=uuid.uuid4().hex)
    users = generate_users(300, seed=11)
    import_users(io.StringIO(users_csv(users)), source="test users")
    ids = dict(User.select(User.username, User.id).tuples())
    store_orders(generate_orders(users, 600, slots=[("1", "2", "3")], secret=SECRET.encode(), user_ids=ids,
                                 seed=3).orders)
    return Config(data_dir=tmp_path / "kept", tokens=TokensConfig(secret=SECRET))


@pytest.fixture
def place(config) -> IndexFile:
    return IndexFile(config.data_dir, SECRET.encode())


def new_process() -> None:
    """What a new process starts without: the indexes held in memory; and the children that kept them, done."""
    versions._built.clear()
    kept_index._ahead.clear()
    for child in multiprocessing.active_children():
        child.join()


def never_built() -> UserIndex:
    raise AssertionError("built, though an index was kept for these users")


def same(one: UserIndex, other: UserIndex) -> bool:
    return (one.people, one._exact, one._fuzzy) == (other.people, other._exact, other._fuzzy)


def test_an_index_is_kept_privately_and_read_back_as_built(place):
    first = place.load_or_build(build_index)
    new_process()
    assert same(place.load_or_build(never_built), first)
    assert stat.S_IMODE(place.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(place.folder.stat().st_mode) == 0o700
    assert [p.name for p in place.folder.iterdir()] == [kept_index.FILE_NAME]  # no scratch file left


def test_the_next_sync_matches_alike_from_the_kept_index(config, monkeypatch):
    first = matched(config)
    new_process()
    monkeypatch.setattr("gbetix_core.matching.users.UserIndex", lambda people: never_built())
    assert matched(config) == first


def test_a_change_to_the_users_builds_the_index_afresh(place):
    place.load_or_build(build_index)
    new_process()
    bob = User.select().where(User.special.is_null()).order_by(User.id).first()
    User.update(first_name="Bartholomew", updated_at=utcnow()).where(User.id == bob.id).execute()
    fresh = place.load_or_build(build_index)
    assert fresh.people[bob.id].first == "bartholomew"
    new_process()
    assert same(place.load_or_build(never_built), fresh)


@pytest.mark.parametrize("damage", ["another key", "a byte changed", "cut short", "not an index file"])
def test_a_file_this_key_did_not_sign_is_never_unpickled(place, monkeypatch, caplog, damage):
    place.load_or_build(build_index)
    new_process()
    data = place.path.read_bytes()
    if damage == "another key":
        IndexFile(place.folder, b"x" * 32).keep(kept_index._basis(), build_index()).join()
    elif damage == "a byte changed":
        place.path.write_bytes(data[:-100] + bytes([data[-100] ^ 1]) + data[-99:])
    elif damage == "cut short":
        place.path.write_bytes(data[:len(data) // 2])
    else:
        place.path.write_bytes(b"PK\x03\x04 not what was kept")
    monkeypatch.setattr(pickle, "loads", lambda payload: pytest.fail("unpickled a file it could not trust"))
    with caplog.at_level(logging.WARNING):
        assert same(place.load_or_build(build_index), build_index())
    assert ("not signed" in caplog.text) == (damage != "not an index file")


def test_another_database_or_too_few_users_keep_nothing(place, monkeypatch):
    place.load_or_build(build_index)
    new_process()
    Setting.update(value=uuid.uuid4().hex).where(Setting.key == "database_id").execute()
    assert place.load(kept_index._basis()) is None
    Setting.delete().where(Setting.key == "database_id").execute()
    assert kept_index._basis() is None
    Setting.create(key="database_id", value="a copy")
    monkeypatch.setattr(kept_index, "KEEP_FROM", 10_000)
    assert kept_index._basis() is None


def test_load_index_keeps_and_reads_through_the_data_folder(place):
    first = load_index(place)
    new_process()
    assert place.path.exists()
    assert same(load_index(place), first)


@pytest.fixture
def thousand(db, db_url, tmp_path) -> Config:
    """As many users as an index is kept for in a process that knows no test's settings."""
    if Setting.get_or_none(Setting.key == "database_id") is None:
        Setting.create(key="database_id", value=uuid.uuid4().hex)
    import_users(io.StringIO(users_csv(generate_users(kept_index.KEEP_FROM, seed=4))), source="test users")
    return Config(data_dir=tmp_path / "kept", database=DatabaseConfig(url=db_url), tokens=TokensConfig(secret=SECRET))


def test_a_sync_has_the_index_built_aside_and_matching_reads_it(thousand, monkeypatch):
    """Before a sync imports, a process of its own builds and keeps the index; matching waits for it, then reads
    it instead of building it."""
    place = IndexFile(thousand.data_dir, SECRET.encode())
    prepare_matching(thousand)
    assert kept_index._ahead[place.path].builder is not None
    monkeypatch.setattr("gbetix_core.matching.users.UserIndex", lambda people: never_built())
    index = load_index(place)
    assert kept_index._ahead == {}
    monkeypatch.undo()
    assert same(index, build_index())


def test_a_builder_for_users_since_changed_is_waited_for_and_not_used(thousand):
    place = IndexFile(thousand.data_dir, SECRET.encode())
    prepare_matching(thousand)
    builder = kept_index._ahead[place.path].builder
    bob = User.select().where(User.special.is_null()).order_by(User.id).first()
    User.update(first_name="Bartholomew", updated_at=utcnow()).where(User.id == bob.id).execute()
    assert load_index(place).people[bob.id].first == "bartholomew"
    assert builder.poll() is not None  # done before the index built here was kept: it cannot overwrite it
    new_process()
    assert load_index(place).people[bob.id].first == "bartholomew"


def test_nothing_is_built_aside_when_kept_or_held_already(config, place, monkeypatch):
    load_index(place)
    new_process()
    monkeypatch.setattr(kept_index.subprocess, "Popen", lambda *a, **k: pytest.fail("built aside again"))
    prepare_matching(config)  # kept on disk
    load_index(place)
    place.path.unlink()
    prepare_matching(config)  # held in this process


def test_a_kept_index_is_read_ahead_and_taken_by_matching(config, place, monkeypatch):
    """Before a sync imports, a thread reads the kept index; matching takes it instead of reading the file."""
    first = load_index(place)
    new_process()
    monkeypatch.setattr(kept_index.subprocess, "Popen", lambda *a, **k: pytest.fail("built aside, though kept"))
    prepare_matching(config)
    ahead = kept_index._ahead[place.path]
    assert ahead.builder is None and same(ahead.result(), first)
    monkeypatch.setattr(IndexFile, "load", lambda self, basis: pytest.fail("read again, though read ahead"))
    assert same(load_index(place), first)


def test_an_index_read_ahead_for_users_since_changed_is_not_used(config, place):
    load_index(place)
    new_process()
    prepare_matching(config)
    kept_index._ahead[place.path].result()
    bob = User.select().where(User.special.is_null()).order_by(User.id).first()
    User.update(first_name="Bartholomew", updated_at=utcnow()).where(User.id == bob.id).execute()
    assert load_index(place).people[bob.id].first == "bartholomew"
    assert kept_index._ahead == {}


def test_a_process_building_aside_that_fails_leaves_matching_to_build_it(config, place, monkeypatch):
    place.path.unlink(missing_ok=True)
    place.prepare("sqlite:////nowhere/at/all.db")
    assert same(place.load_or_build(build_index), build_index())
    new_process()
    assert same(place.load_or_build(never_built), build_index())



def test_a_folder_that_cannot_take_the_index_is_one_line_not_a_traceback(place, capfd, monkeypatch):
    """A full or read-only data folder: the child that keeps the index says so in one line; nothing is kept and
    the next process builds the index, as before any was kept."""
    said = logging.Logger("kept-index-test")  # its own, not the registry's: a handler per test
    said.addHandler(logging.StreamHandler(sys.stderr))
    said.propagate = False
    monkeypatch.setattr(kept_index, "log", said)  # the forked child inherits it: what it logs reaches stderr
    place.folder.parent.mkdir(parents=True, exist_ok=True)
    place.folder.write_text("a file where the folder should be")
    first = place.load_or_build(build_index)
    new_process()
    err = capfd.readouterr().err
    assert "could not be kept" in err and "Traceback" not in err and err.count("\n") == 1
    assert same(place.load_or_build(build_index), first)
