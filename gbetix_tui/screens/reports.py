"""Reports in the app: the same reports as ``gbetix report``, by name, with their dates, performance or promo code.

The revenue of a period (a back-dated paper sale counts in the night it
happened), what each promo code sold, the door list of a performance on paper.
**c** writes the report shown as CSV into the data folder's reports/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Select, Static

from gbetix_core.boxoffice.reports import REPORTS, Report, run_report
from gbetix_core.errors import InputError
from gbetix_tui.guard import reported
from gbetix_tui.screens.base import GbetixScreen


def build_report(name: str, start: str, end: str, performance: str, promo: str, time_zone: str) -> Report:
    """Read the typed fields (blank means not given) and ask the core for the report."""
    return run_report(name, performance=_whole(performance), start=_day(start), end=_day(end),
                      time_zone=time_zone, promo=promo or None)


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise InputError(f"{text!r} is not a date (YYYY-MM-DD).") from None


def _whole(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise InputError(f"{text!r} is not a performance number.")
    return int(text)


def write_csv(report: Report, name: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    path.write_text(report.to_csv(), encoding="utf-8")
    return path


class ReportsScreen(GbetixScreen):
    CSS_PATH = "reports.tcss"
    TITLE = "Reports"
    HELP = """\
Choose a report, fill what it needs (revenue: from and to dates; door: a performance number;
sales and promo: optionally a promo code) and press **enter** (in a box or on the report: it runs again). **c** writes the report
shown as CSV into the data folder's reports/."""
    BINDINGS = [Binding("escape", "back", "Back"), Binding("ctrl+r", "run", "Run"), Binding("c", "csv", "CSV"),
                Binding("enter", "run", "Run", show=False)]

    def __init__(self) -> None:
        super().__init__()
        self.shown: tuple[str, Report] | None = None

    def compose(self) -> ComposeResult:
        yield self.header()
        with Horizontal(id="fields"):
            yield Select([(name, name) for name in REPORTS], value="revenue", allow_blank=False, id="name")
            today = self.session.now().date().isoformat()
            yield Input(today, placeholder="from YYYY-MM-DD", id="start")
            yield Input(today, placeholder="to YYYY-MM-DD", id="end")
            yield Input(placeholder="perf. no.", id="performance")
            yield Input(placeholder="promo", id="promo")
        with VerticalScroll(id="output"):
            yield Static("", id="report")
        yield self.footer()

    @reported
    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#start", Input).focus()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "csv" and isinstance(self.focused, Input):
            return False
        return super().check_action(action, parameters)

    @reported
    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_run()

    def action_run(self) -> None:
        name = str(self.query_one("#name", Select).value)
        values = [self.query_one(f"#{key}", Input).value.strip() for key in ("start", "end", "performance", "promo")]
        self.core(build_report, name, *values, self.session.config.boxoffice.time_zone,
                  done=lambda report: self._show(name, report), group="report")

    def _show(self, name: str, report: Report) -> None:
        text = report.to_text()
        if self.shown is not None and self.shown[1].to_text() == text:
            self.notify(f"Run again at {self.session.now():%H:%M:%S}: nothing changed.", timeout=2)
        self.shown = (name, report)
        self.query_one("#report", Static).update(text)
        self.query_one("#output", VerticalScroll).focus()

    def action_csv(self) -> None:
        if self.shown is not None:
            name, report = self.shown
            self.core(write_csv, report, name, self.session.config.data_dir / "reports",
                      done=lambda path: self.notify(f"Written: {path}", title="CSV", timeout=6))
