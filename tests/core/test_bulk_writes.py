"""Bulk writes: rows expected to be new go in whole, and one whose key another writer took meanwhile is skipped."""

import pytest

from gbetix_core import db as dbmod
from gbetix_core.db import (
    ARRAY_ROWS, COPY_ROWS, insert_new, insert_returning, read_through_indexes, refresh_statistics, stamp,
    statistics_refreshed, write,
)
from gbetix_core.models import PurchaseToken
from gbetix_core.models.base import utcnow

COLUMNS = ("tracker", "kind", "session_id", "created_at")


def tokens(count: int) -> list[tuple]:
    now = stamp(utcnow())
    return [(f"T{n}", "session", f"s{n}", now) for n in range(count)]


@pytest.mark.parametrize("count", [3, COPY_ROWS + 50])
def test_new_rows_go_in_whole(db, count):
    with write():
        assert insert_new(PurchaseToken, COLUMNS, tokens(count), key="tracker") == count
    assert sorted(PurchaseToken.select(PurchaseToken.session_id).tuples()) == sorted((f"s{n}",) for n in range(count))


@pytest.mark.parametrize("count", [3, COPY_ROWS + 50])
def test_a_row_whose_key_was_taken_meanwhile_is_skipped_and_the_rest_go_in(db, count):
    PurchaseToken.create(tracker="T1", kind="session", session_id="taken first")
    with write():
        assert insert_new(PurchaseToken, COLUMNS, tokens(count), key="tracker") == count - 1
    assert PurchaseToken.select().count() == count
    assert PurchaseToken.get(PurchaseToken.tracker == "T1").session_id == "taken first"


@pytest.mark.parametrize("count", [3, ARRAY_ROWS + 50])
def test_insert_returning_skips_a_row_whose_key_is_there_and_returns_the_ids_of_the_others(db, count):
    PurchaseToken.create(tracker="T1", kind="session", session_id="there first")
    with write():
        returned = dict(insert_returning(PurchaseToken, COLUMNS, tokens(count), ("tracker", "id"),
                                         skip_existing="tracker"))
    assert sorted(returned) == sorted(f"T{n}" for n in range(count) if n != 1)
    assert returned == {t.tracker: t.id for t in PurchaseToken.select() if t.tracker != "T1"}
    assert PurchaseToken.get(PurchaseToken.tracker == "T1").session_id == "there first"


@pytest.mark.parametrize("count", [3, COPY_ROWS + 50])
def test_insert_returning_returns_each_new_row_with_its_id_and_a_later_insert_takes_the_next_ids(db, count):
    """From COPY_ROWS rows, PostgreSQL takes the ids from the table's sequence first and COPYs the rows with them."""
    with write():
        returned = dict(insert_returning(PurchaseToken, COLUMNS, tokens(count), ("tracker", "id")))
    assert returned == {t.tracker: t.id for t in PurchaseToken.select()}
    assert len(set(returned.values())) == count
    assert PurchaseToken.create(tracker="after", kind="session", session_id="s").id > max(returned.values())


@pytest.mark.postgres
def test_a_batch_reading_through_indexes_looks_rows_up_by_key_in_a_table_with_no_statistics_yet(pg_db):
    """PostgreSQL plans a table a sync fills from empty as if it were tiny (SQLite plans without statistics)."""
    db = pg_db
    with write():
        insert_new(PurchaseToken, COLUMNS, tokens(5000), key="tracker")
    wanted = [f"T{n}" for n in range(0, 5000, 5)]
    with write():
        read_through_indexes()
        plan = "\n".join(row[0] for row in db.execute_sql(
            "EXPLAIN SELECT * FROM purchase_token WHERE tracker = ANY(%s) FOR UPDATE", [wanted]).fetchall())
    assert "Index" in plan and "Seq Scan" not in plan
    assert db.execute_sql("SHOW enable_seqscan").fetchone()[0] == "on"  # for that transaction only


def analysed_rows(db, table: str) -> float:
    """What the planner thinks the table holds: -1 until an ANALYZE (or VACUUM) counted it."""
    return db.execute_sql("SELECT reltuples FROM pg_class WHERE relname = %s", [table]).fetchone()[0]


@pytest.mark.postgres
def test_statistics_refreshed_aside_are_there_once_waited_for(pg_db, monkeypatch):
    """The import's ANALYZE runs in a thread of its own while matching starts; matching waits for it first."""
    monkeypatch.setattr(dbmod, "REFRESH_STATISTICS", 100)
    with write():
        insert_new(PurchaseToken, COLUMNS, tokens(500), key="tracker")
    assert analysed_rows(pg_db, "purchase_token") < 0
    refresh_statistics(500, PurchaseToken, aside=True)
    assert [thread.name for thread in dbmod._ANALYSING] == ["gbetix-analyse"]
    statistics_refreshed()
    assert analysed_rows(pg_db, "purchase_token") == 500 and not dbmod._ANALYSING


@pytest.mark.postgres
def test_statistics_asked_for_inside_a_transaction_are_refreshed_there(pg_db, monkeypatch):
    """Another connection would not see the rows this transaction wrote: the ANALYZE runs here, at once."""
    monkeypatch.setattr(dbmod, "REFRESH_STATISTICS", 100)
    with write():
        insert_new(PurchaseToken, COLUMNS, tokens(500), key="tracker")
        refresh_statistics(500, PurchaseToken, aside=True)
        assert not dbmod._ANALYSING and analysed_rows(pg_db, "purchase_token") == 500
