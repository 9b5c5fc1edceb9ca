"""Who writes next on SQLite: a terminal waiting for the write lock goes before the sync's next batch.

SQLite has one write lock and no queue: a sync that took the lock again a few
milliseconds after each batch (``db.GIVE_WAY_SECONDS``) made a walkup sale whose
process was not scheduled in that instant wait a whole batch more, sometimes
several, and the naps cost a first sync seconds. So a terminal that found the lock taken
says so by holding a shared ``flock`` on a file beside the database until it
gets the lock, and the sync does not begin a batch while anyone holds it
(waiting at most ``MAX_YIELD_SECONDS``, so terminals writing without pause
cannot stop a sync), with no nap between batches. Where ``flock`` does not
exist (Windows), the sync naps after each batch and writers take their turns
as SQLite's busy loop gives them.
"""

from __future__ import annotations

import contextlib
import os
import time
from typing import Iterator

from gbetix_core.private_files import PRIVATE

try:
    import fcntl
except ImportError:  # pragma: no cover  (not on Windows)
    fcntl = None

MAX_YIELD_SECONDS = 1.0
POLL_SECONDS = 0.002


def turns_file(database_path: str) -> str | None:
    """The file beside a SQLite database that waiting terminals mark; None for memory or without flock."""
    if fcntl is None or not database_path or database_path == ":memory:":
        return None
    return database_path + "-writers"


class Waiting:
    """A terminal's place in the queue: marked at its first refusal, released once it has the lock."""

    def __init__(self, path: str | None):
        self.path, self.fd = path, None

    def mark(self) -> None:
        if self.path is None or self.fd is not None:
            return
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE)
        fcntl.flock(self.fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


@contextlib.contextmanager
def waiting(path: str | None) -> Iterator[Waiting]:
    """A terminal's wait for the write lock; call ``mark()`` once it has been refused."""
    place = Waiting(path)
    try:
        yield place
    finally:
        place.release()


def let_terminals_go_first(path: str | None) -> None:
    """For the background writer, before each batch: wait until no terminal is waiting (at most a second)."""
    if path is None or not os.path.exists(path):
        return
    fd = os.open(path, os.O_RDWR)
    try:
        deadline = time.monotonic() + MAX_YIELD_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return
            time.sleep(POLL_SECONDS)
    finally:
        os.close(fd)
