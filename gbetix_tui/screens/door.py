"""Door check-in: find a party by name, email or confirmation number and admit them, with live counts.

With the search box empty the whole door list of the performance is shown;
typing narrows it (the core searches fuzzily). ``enter`` on a party admits
everyone still to come, a digit admits that many; two doors never admit the
same ticket twice (the core locks). Counts refresh every few seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from gbetix_core.boxoffice.catalog import get, label
from gbetix_core.boxoffice.door import DoorCounts, Party, check_in, door_counts, door_list, undo_check_in
from gbetix_core.boxoffice.door_search import search
from gbetix_core.models import Performance
from gbetix_core.overview import next_performance
from gbetix_tui.guard import reported
from gbetix_tui.screens.base import GbetixScreen
from gbetix_tui.widgets.columns import Column, FitTable, LeftOut
from gbetix_tui.widgets.performance_picker import Choice, PerformancePicker, performance_choices
from gbetix_tui.widgets.search_box import SearchBox, after_typing
from gbetix_tui.wording import counted, literal

LIVE_SECONDS = 3.0


@dataclass
class DoorView:
    performance_id: int
    title: str
    parties: list[Party]
    counts: DoorCounts


def load_door(performance_id: int | None, text: str, now) -> DoorView | None:
    if performance_id is None:
        perf = next_performance(now)
        if perf is None:
            return None
        performance_id = perf.id
    if text.strip():
        perf = get(Performance, performance_id, "performance")
        return DoorView(perf.id, label(perf), search(text, perf.id, limit=50), door_counts(perf))
    listing = door_list(performance_id)
    return DoorView(performance_id, label(listing.performance), listing.parties, listing.counts)


class DoorScreen(GbetixScreen):
    CSS_PATH = "door.tcss"
    TITLE = "Door check-in"
    HELP = """\
Admit guests. Type a name, an email or a confirmation number (BPT ticket number or #order);
**down** or **enter** moves to the list. On a party, **enter** checks in everyone still to
come, a digit checks in that many, **u** undoes the party's check-ins (asks first).
**/** goes back to the search box, **p** picks another performance, **c** opens the claim
dialog for a buyer with a confirmation number. Counts refresh every few seconds."""
    ROW_ACTIONS = frozenset({"admit_all", "admit", "undo", "claim"})
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("slash", "focus_search", "Search"),
        Binding("enter", "admit_all", "Check in party", priority=True),
        *[Binding(str(n), f"admit({n})", f"Check in {n}", show=False) for n in range(1, 10)],
        Binding("u", "undo", "Undo check-in"),
        Binding("p", "pick_performance", "Performance"),
        Binding("c", "claim", "Claim"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: DoorView | None = None
        self.choices: list[Choice] = []

    def compose(self) -> ComposeResult:
        yield self.header()
        yield Static("Loading...", id="performance")
        yield Static("", id="counts")
        yield SearchBox(placeholder="name, email or confirmation number", id="search")
        yield Static("", id="notes")
        yield FitTable(id="parties")
        yield LeftOut("parties")
        yield self.footer()

    @reported
    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#parties", FitTable).set_columns((
            Column("Name", 14, 1, "name"), Column("In", 4, 1, "in"), Column("Tickets", 12, 3, "tickets"),
            Column("Confirmation", 10, 2, "conf"), Column("Email", 16, 4, "email")))
        self.query_one("#search", Input).focus()
        self.reload()
        self.set_interval(LIVE_SECONDS, self.reload)
        self.core(performance_choices, done=self._got_choices)

    def _got_choices(self, choices: list[Choice]) -> None:
        self.choices = choices

    @reported
    def reload(self, performance_id: int | None = None) -> None:
        pid = performance_id if performance_id is not None else (self.view.performance_id if self.view else None)
        text = self.query_one("#search", Input).value
        self.core(load_door, pid, text, self.session.now(), done=self._show, group="door")

    def _show(self, view: DoorView | None) -> None:
        if view is None:
            self.query_one("#performance", Static).update("No performance ahead: press p to choose one.")
            return
        self.view = view
        c = view.counts
        self.query_one("#performance", Static).update(f"[b]{literal(view.title)}[/b]")
        self.query_one("#counts", Static).update(
            f"capacity {c.capacity} · sold {c.sold} · [b]checked in {c.checked_in}[/b] · "
            f"to come {c.to_come} · walkups {c.walkups}")
        table = self.query_one("#parties", DataTable)
        row = table.cursor_row
        table.clear()
        for index, party in enumerate(view.parties):
            types = ", ".join(sorted({t.ticket_type for t in party.tickets}))
            table.add_row(party.name, f"{party.checked_in}/{len(party.tickets)}", types,
                          " ".join(party.confirmations), party.email, key=str(index))
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))
        self._show_notes()

    def _party(self) -> Party | None:
        if self.view is None:
            return None
        row = self.query_one("#parties", DataTable).cursor_row
        return self.view.parties[row] if 0 <= row < len(self.view.parties) else None

    def _show_notes(self) -> None:
        party = self._party()
        searched = self.query_one("#search", Input).value.strip()
        if party is not None:
            text = Text.assemble((party.name, "bold"), ": ", "; ".join(party.notes) or f"{party.to_come} still to come")
        elif searched:
            text = Text(f"No party matches {searched!r} for this performance: p picks another.")
        else:
            text = Text("Nobody holds tickets for this performance yet.")
        self.query_one("#notes", Static).update(text)

    @reported
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_notes()

    @reported
    def on_input_changed(self, event: Input.Changed) -> None:
        after_typing(self, self.reload)

    @reported
    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#parties", DataTable).focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_admit_all(self) -> None:
        self._admit(None)

    def action_admit(self, count: int) -> None:
        self._admit(count)

    def _admit(self, count: int | None) -> None:
        party = self._party()
        if party is None:
            self.nothing_to("No party to check in: search for one first.")
            return
        if not party.waiting_ids():
            self.notify(f"{party.name}: everyone is already checked in.", severity="warning", timeout=3)
            return
        every = [t.item_id for t in party.tickets]
        self.core(check_in, self.session.operator, self.view.performance_id, every, count,
                  done=lambda made: self._admitted(party, made))

    def _admitted(self, party: Party, made: list) -> None:
        self.notify(f"{party.name}: {len(made)} checked in.", title="Admitted", timeout=3)
        self.reload()

    def action_undo(self) -> None:
        party = self._party()
        if party is None or not party.checked_in:
            self.nothing_to("Nobody of this party is checked in: nothing to undo.")
            return
        ids = [t.item_id for t in party.tickets if t.checked_in]
        self.app.confirm(f"Undo {counted(len(ids), 'check-in')} of {party.name}?",
                         lambda: self.core(undo_check_in, self.session.operator, ids, "undone at the door",
                                           done=lambda n: self._undone(party, n)), yes="Undo")

    def _undone(self, party: Party, count: int) -> None:
        self.notify(f"{party.name}: {counted(count, 'check-in')} undone.", timeout=3)
        self.reload()

    def action_pick_performance(self) -> None:
        current = self.view.performance_id if self.view else None
        self.app.push_screen(PerformancePicker(self.choices, current),
                             lambda pid: self.reload(pid) if pid is not None else None)

    def action_claim(self) -> None:
        from gbetix_tui.screens.claim import ClaimScreen

        self.app.push_screen(ClaimScreen(), lambda _: self.reload())
