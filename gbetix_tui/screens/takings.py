"""Tonight's takings per payment method and per operator, and the cash drawer counted at closing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from gbetix_core.boxoffice.drawer import Taking, close_drawer, drawer_counts, takings
from gbetix_core.people.staff import get_staff
from gbetix_tui.guard import reported
from gbetix_tui.screens.base import GbetixScreen
from gbetix_tui.widgets.columns import Column, FitTable, LeftOut
from gbetix_tui.widgets.form import Field, FormDialog


@dataclass(frozen=True)
class Night:
    day: dt.date
    takings: list[Taking]
    counts: list[str]


def load_night(day: dt.date, time_zone: str) -> Night:
    counts = [f"{c.operator.name}: counted ${c.counted:,.2f}, expected ${c.expected:,.2f}, "
              f"difference ${c.difference:,.2f}" + (f" ({c.note})" if c.note else "") for c in drawer_counts(day)]
    return Night(day, takings(day, time_zone), counts)


def count_drawer(staff, operator_name: str, day: dt.date, counted: str, note: str, time_zone: str):
    return close_drawer(staff, get_staff(operator_name), day, counted, note=note, time_zone=time_zone)


class TakingsScreen(GbetixScreen):
    CSS_PATH = "takings.tcss"
    TITLE = "Takings and cash drawer"
    HELP = """\
Today's takings (the festival day), per operator and payment method: sales, refunds given and
net. **c** (or **enter**) records a closing count of a cash drawer (yours; a manager may count anyone's): the
count, what the sales say, and the difference are kept. **r** refreshes."""
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("c", "count", "Count drawer"),
        Binding("enter", "count", "Count drawer", show=False),
        Binding("r", "reload(True)", "Refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield self.header()
        yield Static("", id="day")
        takings = FitTable(id="takings")
        takings.can_focus = False  # a few lines to read; enter counts the drawer
        yield takings
        yield LeftOut("takings")
        yield Static("", id="counts")
        yield self.footer()

    @reported
    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#takings", FitTable).set_columns((
            Column("Operator", 12, 1), Column("Payment", 7, 1), Column("Sales", 9, 2), Column("Refunds", 9, 3),
            Column("Net", 9, 1)))
        self.action_reload()

    @property
    def zone(self) -> str:
        return self.session.config.boxoffice.time_zone

    def action_reload(self, asked: bool = False) -> None:
        self.core(load_night, self.session.now().date(), self.zone, done=self.then_said(self._show, asked, "Takings"),
                  group="takings")

    def _show(self, night: Night) -> None:
        table = self.query_one("#takings", FitTable)
        table.clear()
        for t in night.takings:
            table.add_row(t.operator, t.payment, f"{t.sales:,.2f}", f"{t.refunds:,.2f}", f"{t.net:,.2f}")
        cash = sum(t.net for t in night.takings if t.payment == "cash")
        self.query_one("#day", Static).update(f"[b]Takings {night.day:%a %d %b %Y}[/b]   cash in drawers "
                                              f"[b]${cash:,.2f}[/b]")
        self.query_one("#counts", Static).update("\n".join(["[b]Drawer counts[/b]", *night.counts])
                                                 if night.counts else "No drawer counted yet today.")

    def action_count(self) -> None:
        fields = [Field("operator", "Whose drawer", self.session.operator.name),
                  Field("counted", "Cash counted (less the float)"), Field("note", "Note (optional)")]
        self.app.push_screen(FormDialog("Closing count", fields), self._counted)

    def _counted(self, values: dict | None) -> None:
        if values is not None:
            self.core(count_drawer, self.session.operator, values["operator"], self.session.now().date(),
                      values["counted"], values["note"], self.zone, done=self._recorded)

    def _recorded(self, count) -> None:
        self.notify(f"{count.operator.name}'s drawer: difference ${count.difference:,.2f}", title="Counted", timeout=6)
        self.action_reload()
