"""Bulk writes: rows expected to be new go in whole, and one whose key another writer took meanwhile is skipped."""

import pytest

from gbetix_core.db import COPY_ROWS, insert_new, stamp, write
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
