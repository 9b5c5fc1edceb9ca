"""Subscriber reservations: find the holder, see their passes' open admissions, reserve a performance for one.

At the box office **r** reserves; at the door **a** reserves and admits at
once. A reservation may be made when the performance is sold out to the
public (the core allows it within the house) and released again with **x**.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from gbetix_core.boxoffice.reservations import OpenPass, passes_of, release, reserve
from gbetix_core.people.search import UserHit
from gbetix_tui.guard import reported
from gbetix_tui.screens.base import GbetixScreen
from gbetix_tui.widgets.columns import Column, FitTable, LeftOut
from gbetix_tui.widgets.performance_picker import PerformancePicker, performance_choices
from gbetix_tui.widgets.user_picker import UserPicker


@dataclass(frozen=True)
class Row:
    """A line of the table: a pass (``reservation`` None) or one of its reservations."""

    pass_id: int
    reservation: int | None


class ReservationsScreen(GbetixScreen):
    CSS_PATH = "reservations.tcss"
    TITLE = "Subscriber reservations"
    HELP = """\
**u** finds the subscriber. Their passes with open admissions are listed with what is reserved.
On a pass, **r** reserves a performance with one admission, even when it is sold out to the
public (the house and any subscriber cap still limit it); **a** reserves and checks the holder
in at once, at the door. On a reservation, **x** gives it back to the pass."""
    ROW_ACTIONS = frozenset({"reserve", "release"})
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("u", "find", "Subscriber"),
        Binding("r", "reserve(False)", "Reserve"),
        Binding("a", "reserve(True)", "Reserve and admit"),
        Binding("x", "release", "Release"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.holder: UserHit | None = None
        self.rows: list[Row] = []

    def compose(self) -> ComposeResult:
        yield self.header()
        yield Static("Press u to find the subscriber.", id="holder")
        yield FitTable(id="passes", empty="No passes listed: u finds the subscriber.",
                       enter="r reserves a show on the highlighted pass; a reserves it and admits.")
        yield LeftOut("passes")
        yield self.footer()

    @reported
    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#passes", FitTable).set_columns((Column("Pass or reservation", 24, 1, most=60),
                                                         Column("Ticket", 7, 2), Column("Left", 9, 1)))
        self.query_one("#passes", FitTable).focus()

    def action_find(self) -> None:
        self.app.push_screen(UserPicker("Whose passes?"), self._found)

    def _found(self, user: UserHit | None) -> None:
        if user is not None:
            self.holder = user
            self._reload()

    def _reload(self) -> None:
        if self.holder is not None:
            self.core(passes_of, self.holder.id, done=self._show, group="passes")

    def _show(self, passes: list[OpenPass]) -> None:
        self.query_one("#holder", Static).update(
            f"[b]{self.holder.name}[/b] ({self.holder.username})" + ("" if passes else ": no pass with open admissions"))
        table = self.query_one("#passes", FitTable)
        table.clear()
        self.rows = []
        for held in passes:
            table.add_row(held.name, str(held.item_id), f"{held.left} of {held.admissions}")
            self.rows.append(Row(held.item_id, None))
            for r in held.reserved:
                table.add_row(f"  {r.performance}", str(r.item_id), "")
                self.rows.append(Row(held.item_id, r.item_id))

    def _row(self) -> Row | None:
        row = self.query_one("#passes", FitTable).cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def action_reserve(self, admit: bool) -> None:
        row = self._row()
        if row is None:
            self.nothing_to("No pass to reserve on: press u to find the subscriber.")
        else:
            self.core(performance_choices, done=lambda choices: self.app.push_screen(
                PerformancePicker(choices, None), lambda perf: self._reserve(row.pass_id, perf, admit)))

    def _reserve(self, pass_id: int, performance_id: int | None, admit: bool) -> None:
        if performance_id is not None:
            self.core(reserve, self.session.operator, pass_id, performance_id, admit=admit, done=self._reserved)

    def _reserved(self, seat) -> None:
        self.notify(f"Ticket {seat.id} reserved.", title="Reserved", timeout=4)
        self._reload()

    def action_release(self) -> None:
        row = self._row()
        if row is None or row.reservation is None:
            self.nothing_to("Highlight a reservation (listed under its pass) to release it.")
        else:
            seat = row.reservation
            self.app.confirm(f"Give reservation {seat} back to its pass?",
                             lambda: self.core(release, self.session.operator, seat, reason="released in the app",
                                               done=lambda _: self._reload()))
