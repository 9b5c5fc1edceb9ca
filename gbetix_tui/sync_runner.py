"""The BPT sync worker inside the app: "sync now" and the timed sync, outcomes in the header and as notices.

The core's :class:`SyncWorker` does the work and keeps its status; here its
runs are started in Textual thread workers (never on the UI thread). Every
finished run is named in the header of whatever screen the operator is on;
a notice comes only for a sync someone asked for and for the first failure.
The core's database lock keeps a second terminal or ``gbetix sync --watch``
from importing at the same time.
"""

from __future__ import annotations

import logging
from functools import partial

from gbetix_core.boxoffice.clock import utc_to_local
from gbetix_core.bpt.worker import RunSummary, SyncWorker
from gbetix_core.mail.rounds import mail_round
from gbetix_core.pipeline import after_purchases_imported, before_sync
from gbetix_tui.messages import SyncFinished

log = logging.getLogger("gbetix.tui.sync")


class SyncRunner:
    def __init__(self, app) -> None:
        self.app = app
        config = app.session.config
        self.worker = SyncWorker(config, after_import=partial(after_purchases_imported, config=config),
                                 on_run=self._finished_in_thread, before_run=partial(before_sync, config),
                                 after_run=partial(mail_round, config))
        self.timed = False
        self.asked = False
        self.heard = ""
        self.failing = False

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
        """Name the run in the header; give a notice only when someone asked for it or when syncing starts to
        fail. A timed sync, even one that brought purchases, never covers the screen (the door's detail line is at
        the bottom right, where notices show)."""
        log.info(summary.line())
        failing_before, self.failing = self.failing, summary.status != "ok"
        self.heard = heard_line(summary, self.app.session.config.boxoffice.time_zone)
        self.app.screen.post_message(SyncFinished(summary))
        asked, self.asked = self.asked, False
        if not (asked or self.failing and not failing_before):
            return
        counts = f"{summary.new} new, {summary.changed} changed, {summary.skipped} skipped"
        if summary.status == "ok":
            self.app.notify(f"BPT sync done: {counts}.", title="Sync", timeout=5)
        else:
            detail = (summary.error or "").splitlines()[0] if summary.error else counts
            self.app.notify(f"BPT sync {summary.status}: {detail}", title="Sync", severity="warning", timeout=10)


def heard_line(summary: RunSummary, time_zone: str) -> str:
    """The last run in a few words for the header: when it ended, on the festival's clock, and what it brought."""
    at = f"{utc_to_local(summary.finished_at or summary.started_at, time_zone):%H:%M}"
    if summary.status == "failed":
        return f"sync failed {at}"
    brought = ", ".join(f"{n} {what}" for n, what in ((summary.new, "new"), (summary.changed, "changed"),
                                                      (summary.gone, "gone")) if n)
    return f"synced {at}{'' if summary.status == 'ok' else ' in part'}: {brought or 'nothing new'}"
