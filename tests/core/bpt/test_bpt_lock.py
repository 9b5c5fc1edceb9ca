"""One sync at a time: the lock refuses a second holder and gives way when the first is dead."""

import datetime as dt
import subprocess
import sys

import pytest

from gbetix_core.bpt.lock import SYNC_LOCK, SyncBusy, acquire, make_holder
from gbetix_core.models import SyncLock
from gbetix_core.models.base import utcnow


def test_a_second_sync_is_refused_while_the_first_holds_the_lock(db):
    first = acquire(stale_after=60)
    with pytest.raises(SyncBusy, match="Another sync is running"):
        acquire(stale_after=60)
    first.release()
    acquire(stale_after=60).release()


def test_a_lock_whose_heartbeat_went_stale_is_taken_over(db):
    acquire(stale_after=60, holder="elsewhere:1:abc")
    SyncLock.update(heartbeat_at=utcnow() - dt.timedelta(seconds=120)).execute()
    handle = acquire(stale_after=60)
    assert SyncLock.get_by_id(SYNC_LOCK).holder == handle.holder
    handle.release()


def test_a_lock_held_by_a_dead_process_of_this_machine_is_taken_over_at_once(db):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    host = make_holder().split(":")[0]
    acquire(stale_after=3600, holder=f"{host}:{dead.stdout.strip()}:abc")
    acquire(stale_after=3600).release()


def test_releasing_only_frees_our_own_hold(db):
    mine = acquire(stale_after=60)
    SyncLock.update(holder="someone-else").execute()
    mine.release()
    assert SyncLock.get_by_id(SYNC_LOCK).holder == "someone-else"


def test_a_heartbeat_keeps_the_lock_fresh(db):
    handle = acquire(stale_after=60)
    SyncLock.update(heartbeat_at=utcnow() - dt.timedelta(seconds=30)).execute()
    assert handle.beat()
    assert SyncLock.get_by_id(SYNC_LOCK).heartbeat_at > utcnow() - dt.timedelta(seconds=5)
    handle.release()
    assert not handle.beat()
