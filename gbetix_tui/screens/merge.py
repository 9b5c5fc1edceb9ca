"""Merge customers: two records of one person, from the matching engine's suggestions or picked by hand.

An admin confirms each merge with a reason; the core keeps every order,
ticket and match of both, removes the other record and can undo it exactly
(**z** undoes the last merge made here).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from gbetix_core.people.merge import Suggestion, merge_suggestions, merge_users, undo_merge
from gbetix_core.people.search import UserHit
from gbetix_tui.guard import reported
from gbetix_tui.screens.base import GbetixScreen
from gbetix_tui.widgets.columns import Column, FitTable, LeftOut
from gbetix_tui.widgets.form import Field, FormDialog
from gbetix_tui.widgets.user_picker import UserPicker


class MergeScreen(GbetixScreen):
    CSS_PATH = "merge.tcss"
    TITLE = "Merge customers"
    HELP = """\
Pairs of accounts the matching evidence says are one person (a shared email, phone or street,
and names that agree), the one updated last first. **enter** merges the highlighted pair after
you give a reason; **p** picks the two records by hand (the one to keep first); **z** undoes the
last merge made here, putting the other record back as it was. Special accounts and staff
accounts are never merged."""
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "merge_highlighted", "Merge", priority=True),
        Binding("p", "pick", "Pick two"),
        Binding("z", "undo", "Undo last"),
        Binding("r", "reload(True)", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.suggestions: list[Suggestion] = []
        self.last_merge: int | None = None
        self._keep: UserHit | None = None

    def compose(self) -> ComposeResult:
        yield self.header()
        yield FitTable(id="suggestions")
        yield LeftOut("suggestions")
        yield Static("", id="why")
        yield self.footer()

    @reported
    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#suggestions", FitTable).set_columns((Column("Keep", 20, 1), Column("Merge into it", 20, 1),
                                                              Column("Score", 5, 2)))
        self.query_one("#suggestions", FitTable).focus()
        self.action_reload()

    def action_reload(self, asked: bool = False) -> None:
        self.core(merge_suggestions, done=self.then_said(self._show, asked, "Merge suggestions"), group="suggestions")

    def _show(self, suggestions: list[Suggestion]) -> None:
        self.suggestions = suggestions
        table = self.query_one("#suggestions", FitTable)
        table.clear()
        for s in suggestions:
            table.add_row(s.keep_name, s.other_name, f"{s.score:.2f}")
        self._explain()

    @reported
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._explain()

    def _explain(self) -> None:
        row = self.query_one("#suggestions", FitTable).cursor_row
        text = "; ".join(self.suggestions[row].reasons) if 0 <= row < len(self.suggestions) else \
            "No accounts look like one person twice. p picks two records by hand."
        self.query_one("#why", Static).update(text)

    def action_merge_highlighted(self) -> None:
        row = self.query_one("#suggestions", FitTable).cursor_row
        if not 0 <= row < len(self.suggestions):
            self.nothing_to("No suggestion to merge: p picks two records by hand.")
            return
        s = self.suggestions[row]
        self._ask(s.keep, s.other, f"Merge {s.other_name} into {s.keep_name}")

    def action_pick(self) -> None:
        self.app.push_screen(UserPicker("The record to keep"), self._picked_keep)

    def _picked_keep(self, user: UserHit | None) -> None:
        if user is not None:
            self._keep = user
            self.app.push_screen(UserPicker(f"Merge which record into {user.name} ({user.username})?"),
                                 self._picked_other)

    def _picked_other(self, user: UserHit | None) -> None:
        if user is not None and self._keep is not None:
            self._ask(self._keep.id, user.id, f"Merge {user.name} ({user.username}) into {self._keep.name} "
                                              f"({self._keep.username})")

    def _ask(self, keep: int, other: int, title: str) -> None:
        self.app.push_screen(FormDialog(title, [Field("reason", "Reason (goes to the audit log)")]),
                             lambda values: self._merge(keep, other, values))

    def _merge(self, keep: int, other: int, values: dict | None) -> None:
        if values is not None:
            self.core(merge_users, self.session.operator, keep, other, reason=values["reason"], done=self._merged)

    def _merged(self, merge) -> None:
        self.last_merge = merge.id
        self.notify(f"Merged (merge {merge.id}); z undoes it.", title="Merged", timeout=6)
        self.action_reload()

    def action_undo(self) -> None:
        if self.last_merge is None:
            self.notify("No merge made here to undo.", severity="warning", timeout=3)
            return
        merge = self.last_merge
        self.app.confirm(f"Undo merge {merge}: put the other record back as it was?",
                         lambda: self.core(undo_merge, self.session.operator, merge, reason="undone in the app",
                                           done=self._undone))

    def _undone(self, user) -> None:
        self.notify(f"{user.full_name} ({user.username}) is back.", title="Undone", timeout=6)
        self.last_merge = None
        self.action_reload()
