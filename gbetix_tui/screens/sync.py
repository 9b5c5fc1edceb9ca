"""BPT sync status: recent runs with their counts, warnings and errors; sync now; live progress."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, ProgressBar, Static

from gbetix_core.bpt.history import recent_runs, warnings_of
from gbetix_core.models import SyncRun
from gbetix_tui.guard import reported
from gbetix_tui.screens.base import GbetixScreen
from gbetix_tui.messages import SyncFinished
from gbetix_tui.widgets.columns import FitTable, LeftOut
from gbetix_tui.wording import literal

WATCH_SECONDS = 0.25
STATUS_STYLES = {"ok": "green", "partial": "yellow", "failed": "red"}


class SyncScreen(GbetixScreen):
    CSS_PATH = "sync.tcss"
    TITLE = "BPT sync"
    HELP = """\
Syncs with Brown Paper Tickets, newest first, with what each brought (new, changed, unchanged,
skipped, gone from BPT) and how it ended. **s** syncs now: progress shows while it runs, and a
notification says how it went wherever you are. Highlight a run to read its warnings and error.
Only one sync runs at a time, across every terminal."""
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("s", "sync_now", "Sync now"),
        Binding("r", "refresh(True)", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.runs: list[SyncRun] = []
        self._seen: tuple | None = None

    def compose(self) -> ComposeResult:
        yield self.header()
        yield Static("", id="state")
        yield ProgressBar(id="progress", show_eta=False)
        yield FitTable(id="runs", empty="No sync yet: s syncs now.",
                       enter="The highlighted run's warnings and error are shown below the list.")
        yield LeftOut("runs")
        yield Static("", id="detail")
        yield self.footer()

    @reported
    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#runs", FitTable).set_columns((
            ("Started (UTC)", 15, 1), ("By", 6, 3), ("Status", 8, 1), ("New", 5, 1), ("Changed", 7, 2), ("Same", 5, 3),
            ("Skipped", 7, 2), ("Gone", 5, 3), ("Took", 6, 4)))
        self.query_one("#runs", DataTable).focus()
        self.action_refresh()
        self.set_interval(WATCH_SECONDS, self._watch)

    @property
    def runner(self):
        return self.app.sync_runner

    def action_sync_now(self) -> None:
        if not self.runner.sync_now():
            self.notify("A sync is already running.", severity="warning", timeout=3)

    def action_refresh(self, asked: bool = False) -> None:
        self.core(recent_runs, 20, done=self.then_said(self._show_runs, asked, "Sync runs"), group="runs")

    @reported
    def _watch(self) -> None:
        seen = self.runner.snapshot()
        if seen == self._seen:
            return
        self._seen = seen
        worker = self.runner.worker
        syncing = worker.status == "syncing"
        bar = self.query_one("#progress", ProgressBar)
        bar.display = syncing
        if syncing:
            self.query_one("#state", Static).update(self._progress_text(worker.progress))
            if worker.progress is not None:
                bar.update(total=max(worker.progress.events_total, 1), progress=worker.progress.events_done)
        else:
            last = f"last: {worker.last_run.line()}" if worker.last_run else "press s to sync now"
            problem = f"  [b red]{literal(worker.last_error)}[/]" if worker.last_error else ""
            self.query_one("#state", Static).update(f"{worker.status.capitalize()} · {last}{problem}")

    @on(SyncFinished)
    @reported
    def _sync_finished(self, event: SyncFinished) -> None:
        self.action_refresh()

    @staticmethod
    def _progress_text(progress) -> str:
        if progress is None or not progress.events_total:
            return "Syncing: asking BPT for the events..."
        counts = ", ".join(f"{v} {k}" for k, v in progress.counts.items() if v)
        event = min(progress.events_done + 1, progress.events_total)
        return f"Syncing: event {event} of {progress.events_total} ({progress.phase} {progress.event_id or ''}) {counts}"

    def _show_runs(self, runs: list[SyncRun]) -> None:
        self.runs = runs
        table = self.query_one("#runs", DataTable)
        table.clear()
        for run in runs:
            took = f"{(run.finished_at - run.started_at).total_seconds():.1f}s" if run.finished_at else "…"
            status = Text(run.status, STATUS_STYLES.get(run.status, ""))
            table.add_row(f"{run.started_at:%d %b %H:%M:%S}", run.trigger, status, str(run.new), str(run.changed),
                          str(run.unchanged), str(run.skipped), str(run.gone), took, key=str(run.id))
        if not runs:
            self.query_one("#detail", Static).update("No sync yet: press s.")
        self._detail()

    @reported
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def _detail(self) -> None:
        row = self.query_one("#runs", DataTable).cursor_row
        if not 0 <= row < len(self.runs):
            return
        run = self.runs[row]
        lines = [f"[b red]Error:[/] {literal(run.error)}"] if run.error else []
        warnings = warnings_of(run)
        lines += [f"[yellow]•[/] {literal(w)}" for w in warnings[:6]]
        if len(warnings) > 6:
            lines.append(f"… and {len(warnings) - 6} more warnings")
        self.query_one("#detail", Static).update("\n".join(lines) or "No warnings.")
