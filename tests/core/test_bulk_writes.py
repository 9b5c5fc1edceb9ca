"""Bulk writes: rows expected to be new go in whole, and one whose key another writer took meanwhile is skipped."""

import pytest

from gbetix_core.db import ARRAY_ROWS, COPY_ROWS, insert_new, insert_returning, stamp, write
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
