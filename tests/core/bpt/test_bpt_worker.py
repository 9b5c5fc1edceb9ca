"""The sync worker the CLI's --watch and the TUI share: runs, status, backoff, and a clean stop."""

import threading

import pytest

from gbetix_core.bpt.worker import SyncWorker
from gbetix_core.models import Purchase
from tests.bpt_support import config, line


def test_run_once_syncs_and_keeps_the_last_run(fake, festival):
    fake.dataset.add_orders([line(1), line(2)])
    runs = []
    worker = SyncWorker(config(fake.url), on_run=runs.append)
    summary = worker.run_once()
    assert (summary.status, summary.new) == ("ok", 2)
    assert worker.last_run == summary == runs[0]
    assert worker.status == "idle" and worker.progress.phase == "done"
    assert summary.line().startswith(f"sync {summary.id} ok: 2 new, 0 unchanged")


@pytest.mark.parametrize("hook", ["before_run", "after_run"])
def test_a_failing_hook_never_fails_the_sync(fake, festival, hook):
    """Before a sync: matching's index, built aside; after it: the mail outbox. Neither may fail the sync."""
    def broken() -> None:
        raise RuntimeError("on fire")
    fake.dataset.add_orders([line(1)])
    summary = SyncWorker(config(fake.url), **{hook: broken}).run_once()
    assert (summary.status, summary.new) == ("ok", 1)


def test_the_timer_loop_backs_off_after_failures_and_stops_cleanly(fake, festival):
    fake.faults.vendor_error = ("100003", "Invalid developer ID")
    worker = SyncWorker(config(fake.url, poll_interval=30.0))
    finished = threading.Event()
    worker.on_run = lambda summary: finished.set()
    worker.start()
    assert finished.wait(10)
    assert worker.last_run.status == "failed" and "Invalid developer ID" in worker.last_error
    assert worker.failures == 1 and worker.delay() == 60.0
    worker.stop(timeout=10)
    assert not worker.alive and worker.status == "stopped"


def test_wake_syncs_now_instead_of_waiting(fake, festival):
    worker = SyncWorker(config(fake.url, poll_interval=600.0))
    runs = []
    second = threading.Event()
    worker.on_run = lambda summary: (runs.append(summary), len(runs) == 2 and second.set())
    worker.start()
    fake.dataset.add_orders([line(1)])
    while not runs:
        threading.Event().wait(0.05)
    worker.wake()
    assert second.wait(10)
    worker.stop(timeout=10)
    assert sum(r.new for r in runs) == 1 and Purchase.select().count() == 1


def test_a_second_run_in_the_same_worker_is_refused_while_one_is_going(fake, festival):
    fake.faults.slow = 0.5
    fake.dataset.add_orders([line(1)])
    worker = SyncWorker(config(fake.url))
    first = threading.Thread(target=worker.run_once)
    first.start()
    while worker.status != "syncing":
        threading.Event().wait(0.01)
    assert worker.run_once() is None and "already running" in worker.last_error
    first.join()
    assert worker.last_run.new == 1
