"""What every working screen shares: header, footer, the session, and core calls off the UI thread."""

from __future__ import annotations

from typing import Any, Callable

from rich.cells import cell_len
from textual import events, on
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header

from gbetix_tui.answers import TakesAnswers
from gbetix_tui.context import Session
from gbetix_tui.guard import reported
from gbetix_tui.messages import SyncFinished
from gbetix_tui.widgets.footer import FittingFooter

HEADER_SIDES = 18  # the header's icon (8 cells) and the room kept for its clock (10)


class GbetixScreen(TakesAnswers, Screen):
    """A screen with the app header and footer; ``HELP`` is shown by the help screen (F1).

    ``NEEDS`` names the permission an action needs beyond the screen's own
    (the footer, the palette and the help offer it only to roles that have it);
    ``ROW_ACTIONS`` act on the highlighted row of a list, so their keys work
    only while a list has the focus (elsewhere the key goes to the search box
    or the filter that has it).
    """

    TITLE = ""
    HELP = ""
    BINDINGS = [Binding("escape", "back", "Back")]
    NEEDS: dict[str, str] = {}
    ROW_ACTIONS: frozenset[str] = frozenset()

    @property
    def session(self) -> Session:
        return self.app.session

    @reported
    def on_mount(self) -> None:
        self.title = f"gbetix · {self.TITLE}" if self.TITLE else "gbetix"
        self.show_who_and_sync()

    @on(events.ScreenResume)
    @on(events.Resize)
    @on(SyncFinished)
    @reported
    def show_who_and_sync(self) -> None:
        """The header names the operator and, where it has room, the last BPT sync: a timed sync says what it
        brought there, covering nothing, instead of in a notice over the screen (the sync screen says it whole)."""
        who, heard = self.session.operator_label, self.app.sync_heard
        whole = f"{who} · {heard}"
        fits = cell_len(f"{self.title} — {whole}") <= self.size.width - HEADER_SIDES
        self.sub_title = whole if heard and fits else who

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        spelled = f"{action}({', '.join(map(repr, parameters))})" if parameters else action
        if not allowed(self, spelled, self.session):
            return False
        if action in self.ROW_ACTIONS and not isinstance(self.focused, DataTable):
            return False
        return True

    @reported
    def on_key(self, event: events.Key) -> None:
        """A key of this screen that the operator's role may not use says why (the footer does not offer it)."""
        for binding in self.BINDINGS:
            binding = binding if isinstance(binding, Binding) else Binding(*binding)
            if event.key in binding.key.split(",") and not allowed(self, binding.action, self.session):
                from gbetix_core.permissions import ACTIONS

                needed = ACTIONS[self.NEEDS.get(binding.action) or self.NEEDS[binding.action.partition("(")[0]]]
                self.notify(f"{binding.description} needs the {needed} role or higher "
                            f"(you are {self.session.operator.role}).", severity="warning", timeout=4)
                event.stop()
                return

    def core(self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], None] | None = None,
             group: str | None = None, **kwargs: Any) -> None:
        """Run a core call in a thread worker; newer calls of the same group replace older ones; the answer
        comes back to this screen only while it is open."""
        self.app.run_core(fn, *args, done=done, group=group or f"{id(self)}-core", exclusive=group is not None,
                          owner=self, **kwargs)

    def then_said(self, show: Callable[[Any], None], asked: bool, what: str) -> Callable[[Any], None]:
        """``show`` for a reloaded answer; when the operator asked for it (r), then a short notice that ``what`` is
        up to date, so a refresh that changes nothing on the screen is not a silent key."""
        if not asked:
            return show

        def shown(answer: Any) -> None:
            show(answer)
            self.notify(f"{what} up to date at {self.session.now():%H:%M:%S}.", timeout=2)
        return shown

    def nothing_to(self, what: str) -> None:
        """A key pressed with nothing to act on says so instead of doing nothing."""
        self.notify(what, severity="warning", timeout=3)

    def action_back(self) -> None:
        """Back to the menu; a screen holding unfinished work (a sale half made) asks first, as quitting does."""
        if len(self.app.screen_stack) <= 2:
            return
        unfinished = getattr(self, "unfinished", lambda: None)()
        if unfinished:
            self.app.confirm(f"{unfinished} Leave anyway and lose it?", self.app.pop_screen, yes="Leave")
            return
        self.app.pop_screen()

    def header(self) -> Header:
        return Header(icon="")

    def footer(self) -> FittingFooter:
        return FittingFooter()


def allowed(screen: type[Screen] | Screen, action: str, session: Session) -> bool:
    """Whether the operator's role may use ``action`` of ``screen`` (as spelled in a binding, or by its name)."""
    name = action.partition("(")[0]
    needs = getattr(screen, "NEEDS", {})
    permission = needs.get(action, needs.get(name))
    return permission is None or session.can(permission)
