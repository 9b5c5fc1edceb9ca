"""What every working screen shares: header, footer, the session, and core calls off the UI thread."""

from __future__ import annotations

from typing import Any, Callable

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header

from gbetix_tui.context import Session
from gbetix_tui.guard import Guarded


class GbetixScreen(Guarded, Screen):
    """A screen with the app header and footer; ``HELP`` is shown by the help screen (F1)."""

    TITLE = ""
    HELP = ""
    BINDINGS = [Binding("escape", "back", "Back")]

    @property
    def session(self) -> Session:
        return self.app.session

    def on_mount(self) -> None:
        self.title = f"gbetix · {self.TITLE}" if self.TITLE else "gbetix"
        self.sub_title = self.session.operator_label

    def core(self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], None] | None = None,
             group: str | None = None, **kwargs: Any) -> None:
        """Run a core call in a thread worker; newer calls of the same group replace older ones."""
        self.app.run_core(fn, *args, done=done, group=group or f"{id(self)}-core", exclusive=group is not None,
                          **kwargs)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def header(self) -> Header:
        return Header(icon="")

    def footer(self) -> Footer:
        return Footer(compact=True)
