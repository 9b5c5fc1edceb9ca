"""One sync at a time across processes and terminals, held in the database's SyncLock row.

Taking the lock is a single conditional UPDATE, so two processes racing for it
cannot both win. A holder refreshes ``heartbeat_at`` while it works; a lock
whose heartbeat is older than ``[bpt] lock_stale_after`` seconds, or whose
holder was a process on this machine that no longer exists, is taken over, so
a killed sync never blocks the next one for long.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import uuid

from peewee import OperationalError

from gbetix_core import db
from gbetix_core.errors import GbetixError
from gbetix_core.models import SyncLock
from gbetix_core.models.base import utcnow

SYNC_LOCK = "bpt-sync"


class SyncBusy(GbetixError):
    """Another sync holds the lock: this one did nothing."""

    exit_code = 6


def make_holder() -> str:
    """``host:pid:nonce``: names the process so a dead holder on this machine is recognised."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class SyncLockHandle:
    """A held lock; refresh it with :meth:`beat` (or :meth:`start_heartbeat`) and :meth:`release` it."""

    def __init__(self, name: str, holder: str):
        self.name, self.holder = name, holder
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def beat(self) -> bool:
        """Refresh the heartbeat; False if the lock was taken over meanwhile."""
        updated = (SyncLock.update(heartbeat_at=utcnow())
                   .where((SyncLock.name == self.name) & (SyncLock.holder == self.holder)).execute())
        return updated == 1

    def start_heartbeat(self, every: float) -> None:
        """Beat from a thread of its own, so a long download keeps the lock fresh."""
        self._thread = threading.Thread(target=self._beat_loop, args=(every,), name="sync-heartbeat", daemon=True)
        self._thread.start()

    def _beat_loop(self, every: float) -> None:
        with db.connection():
            while not self._stop.wait(every):
                try:
                    self.beat()
                except OperationalError:
                    continue

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        SyncLock.update(holder=None, acquired_at=None, heartbeat_at=None).where(
            (SyncLock.name == self.name) & (SyncLock.holder == self.holder)).execute()

    def __enter__(self) -> SyncLockHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def acquire(stale_after: float, name: str = SYNC_LOCK, holder: str | None = None) -> SyncLockHandle:
    """Take the lock or raise SyncBusy saying who holds it and since when."""
    holder = holder or make_holder()
    now = utcnow()
    try:
        SyncLock.insert(name=name).on_conflict_ignore().execute()
        current = SyncLock.get_by_id(name)
        free = SyncLock.holder.is_null() | (SyncLock.heartbeat_at < now - dt.timedelta(seconds=stale_after))
        if current.holder and _dead_here(current.holder):
            free = free | (SyncLock.holder == current.holder)
        taken = (SyncLock.update(holder=holder, acquired_at=now, heartbeat_at=now)
                 .where((SyncLock.name == name) & free).execute())
    except OperationalError as exc:
        raise SyncBusy(f"Another sync is writing to the database right now ({exc}); try again in a moment.") from None
    if taken != 1:
        current = SyncLock.get_by_id(name)
        since = f"since {current.acquired_at:%H:%M:%S} UTC" if current.acquired_at else "just now"
        raise SyncBusy(f"Another sync is running ({current.holder}, {since}); this one did nothing.")
    return SyncLockHandle(name, holder)


def _dead_here(holder: str) -> bool:
    """True when ``holder`` was a process of this machine that has exited."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
