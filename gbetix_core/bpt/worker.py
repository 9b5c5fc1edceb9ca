"""The sync worker: one run on demand, or a run every poll interval, backing off after failures.

Plain Python threads, no Textual: the TUI runs :meth:`SyncWorker.run_once` in
a thread worker for "sync now" or :meth:`SyncWorker.start` for the timer, and
reads ``status``, ``progress`` and ``last_run`` to show them. ``gbetix sync
--watch`` runs the same loop in the foreground.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable

from gbetix_core import db
from gbetix_core.bpt.lock import SyncBusy
from gbetix_core.bpt.sync import AfterImportFn, SyncProgress, run_sync
from gbetix_core.config import Config
from gbetix_core.models import SyncRun

log = logging.getLogger(__name__)
MAX_BACKOFF_STEPS = 5


@dataclass(frozen=True)
class RunSummary:
    """A finished run, detached from the database so any thread can show it."""

    id: int | None
    status: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    new: int = 0
    unchanged: int = 0
    changed: int = 0
    skipped: int = 0
    gone: int = 0
    warnings: tuple[str, ...] = ()
    error: str | None = None

    @classmethod
    def of(cls, run: SyncRun) -> RunSummary:
        return cls(run.id, run.status, run.started_at, run.finished_at, run.new, run.unchanged, run.changed,
                   run.skipped, run.gone, tuple(json.loads(run.warnings or "[]")), run.error)

    def line(self) -> str:
        """One line for a log or a status bar."""
        text = (f"sync {self.id or '-'} {self.status}: {self.new} new, {self.unchanged} unchanged, "
                f"{self.changed} changed, {self.skipped} skipped, {self.gone} gone")
        if self.finished_at:
            text += f" ({(self.finished_at - self.started_at).total_seconds():.1f} s)"
        return text


class SyncWorker:
    """Runs syncs one at a time; thread-safe to ask for status from any thread."""

    def __init__(self, config: Config, after_import: AfterImportFn | None = None,
                 on_progress: Callable[[SyncProgress], None] | None = None,
                 on_run: Callable[[RunSummary], None] | None = None,
                 before_run: Callable[[], object] | None = None,
                 after_run: Callable[[], object] | None = None):
        self.config = config
        self.after_import, self.on_progress, self.on_run = after_import, on_progress, on_run
        self.before_run, self.after_run = before_run, after_run
        self.status = "idle"
        self.progress: SyncProgress | None = None
        self.last_run: RunSummary | None = None
        self.last_error: str | None = None
        self.failures = 0
        self.next_run_at: float | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._running = threading.Lock()
        self._thread: threading.Thread | None = None

    def run_once(self, trigger: str = "manual") -> RunSummary | None:
        """Sync now, in the calling thread; None when another sync (here or elsewhere) is running."""
        if not self._running.acquire(blocking=False):
            self.last_error = "a sync is already running"
            return None
        try:
            self.status = "syncing"
            with db.connection(), db.in_background():
                self._hook(self.before_run, "before-sync")
                run = run_sync(self.config, trigger=trigger, progress=self._progress,
                               after_import=self.after_import, should_stop=self._stop.is_set)
                self._hook(self.after_run, "after-sync")
            summary = RunSummary.of(run)
            self.last_run, self.last_error = summary, summary.error
            self.failures = self.failures + 1 if summary.status == "failed" else 0
            if self.on_run:
                self.on_run(summary)
            return summary
        except SyncBusy as exc:
            self.last_error = str(exc)
            return None
        finally:
            self.status = "stopped" if self._stop.is_set() else "idle"
            self._running.release()

    @staticmethod
    def _hook(hook: Callable[[], object] | None, name: str) -> None:
        """A hook that runs before every sync (matching's index, read ahead or built aside) or after it (the mail
        outbox: queue and deliver); it never fails the sync."""
        if hook is None:
            return
        try:
            hook()
        except Exception:
            log.exception("%s hook failed", name)

    def _progress(self, progress: SyncProgress) -> None:
        self.progress = progress
        if self.on_progress:
            self.on_progress(progress)

    def delay(self) -> float:
        """Seconds until the next timed run: the poll interval, doubled per failure in a row (capped)."""
        return self.config.bpt.poll_interval * 2 ** min(self.failures, MAX_BACKOFF_STEPS)

    def run_forever(self) -> None:
        """Sync every poll interval until :meth:`stop`; an unexpected error is logged and backed off."""
        while not self._stop.is_set():
            try:
                self.run_once(trigger="timer")
            except Exception as exc:
                log.exception("sync worker run failed")
                self.failures += 1
                self.last_error = f"{type(exc).__name__}: {exc}"
            if self._stop.is_set():
                break
            wait = self.delay()
            self.next_run_at = time.time() + wait
            self.status = "backing off" if self.failures else "waiting"
            self._wake.wait(wait)
            self._wake.clear()
        self.status = "stopped"

    def start(self) -> None:
        """Run :meth:`run_forever` in a background thread."""
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self.run_forever, name="bpt-sync-worker", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Cut the current wait short: the loop syncs now."""
        self._wake.set()

    def stop(self, timeout: float | None = None) -> None:
        """Stop after the event in hand commits; wait for the thread up to ``timeout`` seconds."""
        self._stop.set()
        self._wake.set()
        if self._thread and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def join(self, timeout: float | None = None) -> None:
        if self._thread:
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return bool(self._thread and self._thread.is_alive())
