"""Unmatched purchases: the queue of BPT purchases a person must resolve, most confident guesses first.

Paged from the database (keyset pages of 50), so it opens as fast on
100,000 purchases as on 100. Filters (status, BPT event, age) and the search
box narrow the same core query; the counts say how much is left. ``enter``
opens the purchase's candidates, where one key decides and moves on.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from gbetix_core.bpt.mapping import event_choices
from gbetix_core.matching.decide import FLAG_TEXT
from gbetix_core.matching.queue import QUEUE_STATUSES, QueueRow, queue_counts, queue_page
from gbetix_tui.guard import reported
from gbetix_tui.screens.base import GbetixScreen
from gbetix_tui.widgets.paged_table import Page, PagedTable
from gbetix_tui.widgets.columns import LeftOut
from gbetix_tui.widgets.search_box import SearchBox, after_typing

STATUS_NAMES = {"candidates": "Candidates", "unmatched": "No candidate", "linked": "Linked",
                "not_festival": "Not festival users"}
AGES = (("Any age", None), ("1+ days old", 1), ("7+ days old", 7), ("30+ days old", 30))


def queue_cells(row: QueueRow, events: dict[str, str]) -> list[str]:
    """A purchase as the queue lists it; a score only where there is a candidate to score."""
    score = "" if row.score is None or row.status not in ("candidates", "linked") else f"{row.score:.2f}"
    return [score, row.ticket_number, row.buyer, row.email or "", f"{row.order_time:%d %b}" if row.order_time else "",
            (row.flag or "").replace("_", " "), events.get(row.event_id, row.event_id)]


def event_titles() -> dict[str, str]:
    """BPT event ids and their titles, so the queue names events as people do."""
    return {event_id: title.removesuffix(f" ({event_id})") for title, event_id in event_choices()}


class QueueScreen(GbetixScreen):
    CSS_PATH = "queue.tcss"
    TITLE = "Unmatched purchases"
    HELP = """\
BPT purchases not yet linked to a festival user, most confident guesses first. Choose what to
list with the filters (status, BPT event, age, kind of trouble) and narrow it with the search box
(name, email or ticket number). **enter** reviews the highlighted purchase's candidates. Moving past the last row,
**pagedown** at the bottom, or **]** loads the next page; **[** the previous one. **s** switches
status, **/** searches, **r** refreshes."""
    ROW_ACTIONS = frozenset({"review", "next_status", "refresh"})
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "review", "Review", priority=True),
        Binding("s", "next_status", "Status"),
        Binding("slash", "focus_search", "Search"),
        Binding("r", "refresh(True)", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, QueueRow] = {}
        self.counts: dict[str, int] = {}
        self.events: dict[str, str] = {}
        self._filters_now: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield self.header()
        yield Static("", id="counts")
        with Horizontal(id="filters"):
            yield Select([(STATUS_NAMES[s], s) for s in QUEUE_STATUSES], value="candidates", allow_blank=False,
                         id="status", compact=True)
            yield Select([], prompt="Every event", id="event", compact=True)
            yield Select(AGES, value=None, allow_blank=False, id="age", compact=True)
        with Horizontal(id="more-filters"):
            yield Select([(name.replace("_", " "), name) for name in FLAG_TEXT], prompt="Any flag", id="flag",
                         compact=True)
            yield SearchBox(placeholder="search name, email, ticket #", id="search", compact=True)
        yield PagedTable(self.fetch, id="queue")
        yield LeftOut("queue")
        yield Static("", id="position")
        yield self.footer()

    @reported
    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one(PagedTable)
        table.set_columns((("Score", 5, 1), ("Ticket", 9, 1), ("Buyer", 14, 1), ("Email", 16, 3), ("Date", 6, 5),
                           ("Flag", 12, 2), ("Event", 12, 4)))
        table.focus()
        self.core(event_choices, done=self._got_events)
        self.action_refresh()

    def _got_events(self, events: list[tuple[str, str]]) -> None:
        self.query_one("#event", Select).set_options(events)

    def filters(self) -> dict[str, Any]:
        event = self.query_one("#event", Select).value
        flag = self.query_one("#flag", Select).value
        chosen = {
            "status": self.query_one("#status", Select).value,
            "event_id": None if event is Select.NULL else event,
            "older_than_days": self.query_one("#age", Select).value,
            "search": self.query_one("#search", Input).value.strip() or None,
        }
        return chosen if flag is Select.NULL else {**chosen, "flag": flag}

    def fetch(self, cursor: tuple[float, int] | None, limit: int) -> Page:
        """Runs in a worker: one page of the queue with the current filters."""
        found = queue_page(**self._filters_now, after=cursor, limit=limit)
        if not self.events:
            self.events = event_titles()
        for row in found.rows:
            self.rows[str(row.purchase_id)] = row
        return Page([(str(r.purchase_id), queue_cells(r, self.events)) for r in found.rows], found.next_after)

    def action_refresh(self, asked: bool = False) -> None:
        """Count again and reload from the first page (r, and when coming back from a review)."""
        self._reload(recount=True, asked=asked)

    def _reload(self, recount: bool, asked: bool = False) -> None:
        """Counts and the first page are asked for at once; each shows when it arrives.

        Counts depend only on the event, so switching status or typing a search
        asks for a page alone.
        """
        event_before = self._filters_now.get("event_id")
        self._filters_now = self.filters()
        if recount or self._filters_now["event_id"] != event_before or not self.counts:
            self.counts = {}
            self.core(queue_counts, self._filters_now["event_id"], group="counts",
                      done=self.then_said(self._show_counts, asked, "Unmatched purchases"))
        self.query_one(PagedTable).restart()

    def _show_counts(self, counts: dict[str, int]) -> None:
        self.counts = counts
        parts = [f"{STATUS_NAMES[s]} [b]{counts.get(s, 0):,}[/b]" for s in QUEUE_STATUSES]
        self.query_one("#counts", Static).update(" · ".join(parts))
        self._show_position()

    @reported
    def on_paged_table_loaded(self, event: PagedTable.Loaded) -> None:
        self._show_position()

    def _show_position(self) -> None:
        table = self.query_one(PagedTable)
        narrowed = (self._filters_now["search"] or "flag" in self._filters_now
                    or self._filters_now["older_than_days"] is not None)
        total = None if narrowed else self.counts.get(self._filters_now["status"])
        where = table.position + (f" of {total:,}" if total is not None and table.row_count else "")
        more = "  ·  ] next page" if table.page_index + 1 < len(table.cursors) else ""
        self.query_one("#position", Static).update(f"{where}{more}")

    @reported
    def on_select_changed(self, event: Select.Changed) -> None:
        if self.filters() != self._filters_now:
            self._reload(recount=False)

    @reported
    def on_input_changed(self, event: Input.Changed) -> None:
        after_typing(self, lambda: self._reload(recount=False))

    @reported
    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(PagedTable).focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_next_status(self) -> None:
        select = self.query_one("#status", Select)
        select.value = QUEUE_STATUSES[(QUEUE_STATUSES.index(select.value) + 1) % len(QUEUE_STATUSES)]

    def action_review(self) -> None:
        key = self.query_one(PagedTable).current_key()
        if key is None or key not in self.rows:
            self.nothing_to("No purchase to review here: choose another status or clear the filters.")
            return
        from gbetix_tui.screens.candidates import CandidatesScreen

        self.app.push_screen(CandidatesScreen(self.rows[key], self.next_after), lambda _changed: self.action_refresh())

    def next_after(self, row: QueueRow) -> QueueRow | None:
        """Runs in a worker: the purchase after ``row`` in the queue's order, with the same filters."""
        found = queue_page(**self._filters_now, after=(row.score or 0, row.purchase_id), limit=1)
        return found.rows[0] if found.rows else None
