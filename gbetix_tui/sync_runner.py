"""The BPT sync worker inside the app: "sync now" and the timed sync, outcomes as notifications.

The core's :class:`SyncWorker` does the work and keeps its status; here its
runs are started in Textual thread workers (never on the UI thread) and each
finished run becomes a notification on whatever screen the operator is on.
The core's database lock keeps a second terminal or ``gbetix sync --watch``
from importing at the same time.
"""

from __future__ import annotations

import logging
from functools import partial

from textual.message import Message

from gbetix_core.bpt.worker import RunSummary, SyncWorker
from gbetix_core.mail.rounds import mail_round
from gbetix_core.pipeline import after_purchases_imported

log = logging.getLogger("gbetix.tui.sync")


class SyncFinished(Message):
    """A sync of this app ended: sent to the screen on show, so a screen listing syncs shows it at once."""

    def __init__(self, summary: RunSummary) -> None:
        super().__init__()
        self.summary = summary


class SyncRunner:
    def __init__(self, app) -> None:
        self.app = app
        config = app.session.config
        self.worker = SyncWorker(config, after_import=partial(after_purchases_imported, config=config),
                                 on_run=self._finished_in_thread, after_run=partial(mail_round, config))
        self.timed = False
        self.asked = False

    def sync_now(self) -> bool:
        """Start one sync; False when this app is already syncing."""
        if self.worker.status == "syncing":
            return False
        self.asked = True
        self.app.run_core(self.worker.run_once, "tui", done=self._once_done, group="sync-now")
        return True

    def start_timer(self) -> None:
        """Sync now and then every poll interval (backing off after failures) until the app closes."""
        if not self.timed:
            self.timed = True
            self.app.run_worker(self.worker.run_forever, name="bpt-sync", group="sync-timer", thread=True,
                                exit_on_error=False)

    def stop(self) -> None:
        self.worker.stop(timeout=0)

    def snapshot(self) -> tuple:
        """Changes whenever something worth redrawing changed."""
        progress = self.worker.progress
        last = self.worker.last_run
        return (self.worker.status, progress, last.id if last else None, self.worker.last_error)

    def _once_done(self, summary: RunSummary | None) -> None:
        if summary is None:
            self.app.notify(f"No sync started: {self.worker.last_error}.", severity="warning", timeout=5)

    def _finished_in_thread(self, summary: RunSummary) -> None:
        try:
            self.app.call_from_thread(self.finished, summary)
        except RuntimeError:
            log.info("%s (app closed)", summary.line())

    def finished(self, summary: RunSummary) -> None:
        """Say how a sync went when someone asked for it, when it brought something, or when it failed: a timed
        sync that found nothing new stays in the log, so a notice every poll never covers the screen."""
        log.info(summary.line())
        self.app.screen.post_message(SyncFinished(summary))
        asked, self.asked = self.asked, False
        if not (asked or summary.status != "ok" or summary.new or summary.gone):
            return
        counts = f"{summary.new} new, {summary.changed} changed, {summary.skipped} skipped"
        if summary.status == "ok":
            self.app.notify(f"BPT sync done: {counts}.", title="Sync", timeout=5)
        else:
            detail = (summary.error or "").splitlines()[0] if summary.error else counts
            self.app.notify(f"BPT sync {summary.status}: {detail}", title="Sync", severity="warning", timeout=10)
