"""Batches stored behind the caller: in the order handed over, each committed, a failure heard by the caller."""

import threading

import pytest

from gbetix_core.db import database, is_postgres, write
from gbetix_core.models import PurchaseToken
from gbetix_core.write_behind import batches


def store_token(n: int) -> tuple[int, str]:
    """One batch: a row in a transaction of its own; returns what it stored and the thread that stored it."""
    with write():
        PurchaseToken.create(tracker=f"T{n}", kind="session", session_id=f"s{n}")
    return n, threading.current_thread().name


def stored() -> list[str]:
    return [row[0] for row in PurchaseToken.select(PurchaseToken.tracker).order_by(PurchaseToken.id).tuples()]


def fail() -> None:
    raise ValueError("this batch failed")


def test_batches_are_committed_in_the_order_handed_over_with_their_results_in_that_order(db):
    with batches() as store:
        for n in range(6):
            store.submit(store_token, n)
    assert [n for n, _ in store.results] == list(range(6))
    assert stored() == [f"T{n}" for n in range(6)]


def test_postgres_stores_beside_the_caller_and_sqlite_in_the_callers_thread(db):
    with batches() as store:
        store.submit(store_token, 1)
    [(_, thread)] = store.results
    assert (thread != threading.current_thread().name) == is_postgres()


def test_inside_a_transaction_batches_are_part_of_it(db):
    with database.atomic() as transaction:
        with batches() as store:
            store.submit(store_token, 1)
        assert store.results == [(1, threading.current_thread().name)]
        transaction.rollback()
    assert stored() == []


def test_drain_waits_until_every_batch_handed_over_is_committed(db):
    with batches() as store:
        for n in range(3):
            store.submit(store_token, n)
        store.drain()
        assert stored() == ["T0", "T1", "T2"]


def test_a_failed_batch_is_raised_to_the_caller_and_no_later_batch_is_stored(db):
    with pytest.raises(ValueError, match="this batch failed"):
        with batches() as store:
            store.submit(store_token, 1)
            store.submit(fail)
            store.submit(store_token, 2)
    assert stored() == ["T1"]


def test_when_the_caller_fails_what_it_handed_over_is_stored_and_its_error_goes_on(db):
    with pytest.raises(KeyError):
        with batches() as store:
            store.submit(store_token, 1)
            raise KeyError("the caller failed")
    assert stored() == ["T1"]


def test_two_writers_store_every_batch_each_committed_on_postgresql_in_two_threads(db):
    with batches(writers=2) as store:
        for n in range(8):
            store.submit(store_token, n)
    assert sorted(n for n, _ in store.results) == list(range(8))
    assert sorted(stored()) == sorted(f"T{n}" for n in range(8))
    threads = {thread for _, thread in store.results}
    assert (threading.current_thread().name not in threads) == is_postgres()
