"""Find any registered user as you type (the core's user search) and pick one: transfers, assignments, claims."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from gbetix_core.people.search import UserHit, search_users
from gbetix_tui.answers import TakesAnswers
from gbetix_tui.guard import reported
from gbetix_tui.widgets.search_box import after_typing
from gbetix_tui.wording import literal



class UserPicker(TakesAnswers, ModalScreen[UserHit | None]):
    CSS_PATH = "user_picker.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("down", "to_list", "Results", show=False)]

    def __init__(self, title: str, search: Callable[[str, int], list[UserHit]] = search_users, limit: int = 12):
        super().__init__()
        self.picker_title = title
        self.search = search
        self.limit = limit
        self.found: list[UserHit] = []
        self._downs = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(f"[b]{literal(self.picker_title)}[/b]")
            yield Input(placeholder="name, username, email or phone", id="query")
            yield OptionList(id="found")
            yield Static("[dim]type to search · ↓ results · enter pick · esc cancel[/dim]")

    @reported
    def on_input_changed(self, event: Input.Changed) -> None:
        self._downs = 0
        after_typing(self, self._search)

    def _search(self) -> None:
        text = self.query_one("#query", Input).value
        self.app.run_core(self.search, text, self.limit, done=self._show, group=f"users-{id(self)}", exclusive=True,
                          owner=self)

    def _show(self, users: list[UserHit]) -> None:
        self.found = users
        options = self.query_one("#found", OptionList)
        options.clear_options()
        options.add_options([Option(Text.assemble(u.name, (f"  {u.username} · {u.email or 'no email'}", "dim")),
                                    id=str(i)) for i, u in enumerate(users)])
        if users:
            options.highlighted = min(max(self._downs - 1, 0), len(users) - 1)
            if self._downs:
                options.focus()

    @reported
    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.found:
            self.dismiss(self.found[self.query_one("#found", OptionList).highlighted or 0])
            return
        text = event.value.strip()
        self.notify(f"Nobody found for {text!r}." if text else "Type a name, username, email or phone first.",
                    severity="warning", timeout=3)

    def action_to_list(self) -> None:
        """Down from the search box: into the results, one row further for each down pressed.

        Downs typed quickly arrive before the focus has moved (or before the
        results have): each one counts, none is lost. Until there are results
        the focus stays here, so that the next down is counted too (the empty
        list would swallow it); the results take the focus when they come.
        """
        self._downs += 1
        if not self.found:
            return
        options = self.query_one("#found", OptionList)
        options.highlighted = min(self._downs - 1, len(self.found) - 1)
        options.focus()

    @reported
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.found[int(event.option.id)])

    def action_cancel(self) -> None:
        self.dismiss(None)
