"""Store one batch while the next is being decided: on PostgreSQL, in a second thread with its own connection.

A sync alternates two kinds of work: Python deciding (matching buyers) and
the database storing what was decided. PostgreSQL does its part in a server
process of its own, so while it stores one batch, this process can decide
the next; done in turn, a first sync of 100,000 lines left one core idle
half the time. Each batch is still one short transaction of its own,
committed in the order it was handed over, so a run killed at any point
leaves every committed batch whole, as before. Batches that touch nothing in
common (matching's, each of other purchases) may be stored by two threads at
once: the server then works on both cores while this process decides, instead
of one batch at a time. SQLite, which stores in this
process under one write lock, and a caller already inside a transaction
(whose uncommitted rows another connection cannot see) store each batch at
once instead.
"""

from __future__ import annotations

import contextlib
import contextvars
import queue
import sys
import threading
from typing import Any, Callable, Iterator

from gbetix_core.db import connection, database, is_postgres

# Batches handed over and not yet stored, at most: the deciding thread runs at most this far ahead.
DEPTH = 2
# While a batch is stored, Python hands its lock between the two threads this often instead of every 5 ms: the
# storing thread waits for each answer of the server, then for the deciding thread to let it run again, a few
# thousand times a sync.
SWITCH_SECONDS = 0.0005
_DONE = object()


class WriteBehind:
    """Runs ``submit``-ted jobs in threads of their own: in order with one, in any order with more (see the
    module's docstring)."""

    def __init__(self, writers: int = 1) -> None:
        self.results: list[Any] = []
        self._error: BaseException | None = None
        self._jobs: queue.Queue = queue.Queue(maxsize=DEPTH * writers)
        self._switch = sys.getswitchinterval()
        sys.setswitchinterval(min(self._switch, SWITCH_SECONDS))
        self._threads = [threading.Thread(target=contextvars.copy_context().run, args=(self._work,),
                                          name="gbetix-write-behind", daemon=True)
                         for _ in range(writers)]  # each with the caller's context: in_background() holds there too
        for thread in self._threads:
            thread.start()

    def submit(self, job: Callable[..., Any], *args: Any) -> None:
        """Store with ``job(*args)`` after the batches handed over before; raises a failure of an earlier one."""
        self._raise_failure()
        self._jobs.put((job, args))

    def drain(self) -> None:
        """Wait until every batch handed over is stored (before work that must not run beside them)."""
        self._jobs.join()
        self._raise_failure()

    def finish(self) -> list[Any]:
        """Wait for every batch handed over; their results in order, or the first failure raised."""
        for thread in self._threads:
            self._jobs.put(_DONE)
        for thread in self._threads:
            thread.join()
        sys.setswitchinterval(self._switch)
        self._raise_failure()
        return self.results

    def _raise_failure(self) -> None:
        if self._error is not None:
            raise self._error

    def _work(self) -> None:
        """Run jobs until told to stop; after a failure, take the rest without running them (the caller hears)."""
        with connection():
            while (item := self._jobs.get()) is not _DONE:
                if self._error is None:
                    job, args = item
                    try:
                        self.results.append(job(*args))
                    except BaseException as exc:  # noqa: BLE001  (raised again in the caller's thread)
                        self._error = exc
                self._jobs.task_done()
            self._jobs.task_done()


class StoreAtOnce:
    """The same interface, storing each batch as it is handed over, in the caller's thread and transaction."""

    def __init__(self) -> None:
        self.results: list[Any] = []

    def submit(self, job: Callable[..., Any], *args: Any) -> None:
        self.results.append(job(*args))

    def drain(self) -> None:
        """Nothing waits: every batch was stored when handed over."""

    def finish(self) -> list[Any]:
        return self.results


@contextlib.contextmanager
def batches(writers: int = 1) -> Iterator[WriteBehind | StoreAtOnce]:
    """A store for batches, drained on leaving the block: then ``store.results`` holds each job's result (in order
    with one writer). When the block fails, what was handed over is stored all the same, then the block's error
    goes on. More than one writer only for batches that may commit in any order and never wait on each other."""
    store = WriteBehind(writers) if is_postgres() and not database.obj.in_transaction() else StoreAtOnce()
    try:
        yield store
    except BaseException:
        with contextlib.suppress(Exception):
            store.finish()
        raise
    store.finish()
