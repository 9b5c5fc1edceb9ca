"""The gbetix Textual app: start-up, the operator, navigation, and running core calls off the UI thread.

Every database or network call goes through :meth:`GbetixApp.run_core`, which
runs it in a thread worker with its own database connection and posts the
answer as a message to whoever asked (see ``answers``). A worker that fails
comes back as Textual's ``Worker.StateChanged`` in state ``ERROR``: errors written
for people (``GbetixError``) become notifications; anything else is logged with
its traceback to the log file and reported in one line, so no traceback ever
reaches the screen (handlers and actions are guarded the same way, see ``guard``).
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass
from typing import Any, Callable

from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from gbetix_core import db
from gbetix_core.bootstrap import open_configured
from gbetix_core.errors import DatabaseBusy, GbetixError
from gbetix_core.people.signin import sign_in
from gbetix_core.people.staff import get_staff, list_staff
from gbetix_tui import logs
from gbetix_tui.answers import CoreAnswered, TakesAnswers
from gbetix_tui.commands import PlacesCommands
from gbetix_tui.context import Session
from gbetix_tui.guard import contain, guarded, reported
from gbetix_tui.places import BY_NAME

log = logging.getLogger("gbetix.tui")


@dataclass(frozen=True)
class Notice:
    """A notification as the operator read it (kept so tests and the log can say what was shown)."""

    title: str
    message: str
    severity: str


class GbetixApp(TakesAnswers, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "gbetix"
    COMMANDS = App.COMMANDS | {PlacesCommands}
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+o", "switch_operator", "Operator", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, session: Session, *, operator_name: str | None = None, pin: str | None = None,
                 strict: bool = False, background_sync: bool = False):
        """``operator_name`` offers only that account at sign-in (with its ``pin``, signs in at start);
        ``strict`` lets tests see internal errors instead of hiding them; ``background_sync`` syncs with BPT
        every poll interval while the app runs."""
        super().__init__()
        self.session = session
        self.operator_name = operator_name
        self.pin = pin
        self.last_input = time.monotonic()
        self.strict = strict
        self.background_sync = background_sync
        self.internal_errors: list[BaseException] = []
        self.notices: list[Notice] = []
        self._sync_runner = None
        self._on_failure: dict[Worker, Callable[[BaseException], None]] = {}

    @property
    def sync_runner(self):
        """The one BPT sync worker of this app (made on first use: it loads the HTTP client)."""
        if self._sync_runner is None:
            from gbetix_tui.sync_runner import SyncRunner

            self._sync_runner = SyncRunner(self)
        return self._sync_runner

    @property
    def sync_heard(self) -> str:
        """The last BPT sync in a few words for the header; empty before one has run (no worker is made for it)."""
        return self._sync_runner.heard if self._sync_runner else ""

    @reported
    def on_mount(self) -> None:
        logs.configure(self.session.config.log_file)
        self.sub_title = "opening the database..."
        self.run_core(self._open, done=self._opened, failed=self._cannot_start, group="start", connect=False)

    def _open(self) -> list:
        """Open and bind the database (schema brought forward); this thread's connection closes after."""
        database = open_configured(self.session.config)
        try:
            if self.operator_name and self.pin is not None:
                return [sign_in(self.operator_name, self.pin, self.session.config.staff)]
            return [get_staff(self.operator_name)] if self.operator_name else list_staff()
        finally:
            database.close()

    def _cannot_start(self, exc: BaseException) -> None:
        """Without its database the app has nothing to show: leave with the reason, as the CLI would."""
        self.exit(return_code=2, message=f"gbetix: error: {exc}")

    def _opened(self, staff: list) -> None:
        if self.background_sync:
            self.sync_runner.start_timer()
        idle = self.session.config.staff.idle_minutes * 60
        self.set_interval(min(30.0, idle / 2), self.sign_out_if_idle)
        if self.operator_name and self.pin is not None:
            self.set_operator(staff[0])
            return
        self._ask_sign_in(staff)

    def _ask_sign_in(self, staff: list, notice: str = "") -> None:
        from gbetix_tui.screens.operator import OperatorScreen

        self.push_screen(OperatorScreen(staff, notice), self.set_operator)

    async def on_event(self, event: events.Event) -> None:
        """Every key press or mouse use counts as the operator being there (for the idle sign-out)."""
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.last_input = time.monotonic()
        await super().on_event(event)

    @reported
    def sign_out_if_idle(self) -> None:
        """Sign the operator out after ``[staff] idle_minutes`` without input; the next one signs in with a PIN."""
        idle_minutes = self.session.config.staff.idle_minutes
        if self.session.operator is None or time.monotonic() - self.last_input < idle_minutes * 60:
            return
        log.info("operator %s signed out after %g idle minutes", self.session.operator_label, idle_minutes)
        self.session.operator = None
        self.sub_title = "signed out"
        while len(self.screen_stack) > 1:
            self.pop_screen()
        notice = f"Signed out after {idle_minutes:g} minutes without a key press."
        self.run_core(list_staff, done=lambda staff: self._ask_sign_in(staff, notice), group="start")

    def set_operator(self, staff) -> None:
        """Start (or restart) the session as ``staff`` on the dashboard."""
        if staff is None:
            return
        from gbetix_tui.screens.dashboard import DashboardScreen

        self.session.operator = staff
        self.sub_title = self.session.operator_label
        log.info("operator %s signed in", self.session.operator_label)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(DashboardScreen())

    def run_core(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
        group: str = "core",
        exclusive: bool = False,
        connect: bool = True,
        owner: MessagePump | None = None,
        **kwargs: Any,
    ) -> Worker:
        """Run ``fn(*args, **kwargs)`` in a thread with a database connection; its answer goes to ``done``
        through a message to ``owner`` (the app by default), so a closed screen never hears a late answer."""

        def work() -> Any:
            with db.connection() if connect else contextlib.nullcontext():
                result = fn(*args, **kwargs)
            if done is not None and not get_current_worker().is_cancelled:
                (owner or self).post_message(CoreAnswered(done, result))
            return result

        worker = self.run_worker(work, name=getattr(fn, "__name__", "core"), group=group, thread=True,
                                 exclusive=exclusive, exit_on_error=False)
        if failed is not None:
            self._on_failure[worker] = failed
        return worker

    @on(Worker.StateChanged)
    @reported
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """A worker of the app that failed (and was not replaced by a newer one meanwhile) is reported."""
        if event.state not in (WorkerState.ERROR, WorkerState.SUCCESS, WorkerState.CANCELLED):
            return
        failed = self._on_failure.pop(event.worker, None)
        if event.state == WorkerState.ERROR and not event.worker.is_cancelled:
            self.report_error(event.worker.error, failed)

    @reported
    def on_unmount(self) -> None:
        if self._sync_runner is not None:
            self._sync_runner.stop()

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        """Every action (a key, the palette, a button) runs here: one that fails is reported, not fatal."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as exc:  # noqa: BLE001 (reported and logged, never shown as a traceback)
            contain(self, exc)
            return True

    def push_screen(self, screen, callback=None, wait_for_dismiss: bool = False):
        """Push ``screen``; its result ``callback`` is guarded like a handler."""
        return super().push_screen(screen, guarded(self, callback) if callback else None,
                                   wait_for_dismiss=wait_for_dismiss)

    def report_error(self, exc: BaseException, failed: Callable[[BaseException], None] | None = None) -> None:
        """Tell the operator what went wrong; log the details; let the caller react."""
        exc = db.busy_error(exc) or exc
        if isinstance(exc, DatabaseBusy):
            log.warning("database busy: %s", exc.__cause__ or exc)
            self.notify(str(exc), title="Busy", severity="warning", timeout=8)
        elif isinstance(exc, GbetixError):
            log.warning("%s: %s", type(exc).__name__, exc)
            self.notify(str(exc), title="Not done", severity="error", timeout=8)
        else:
            self._internal_error(exc)
        if failed is not None:
            failed(exc)

    def _internal_error(self, exc: BaseException) -> None:
        log.error("internal error", exc_info=(type(exc), exc, exc.__traceback__))
        self.internal_errors.append(exc)
        self.notify(f"Something went wrong ({type(exc).__name__}); details are in {self.session.config.log_file}",
                    title="Internal error", severity="error", timeout=12)

    def notify(self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Notifications are plain text unless asked: names and notes from the database may hold brackets."""
        self.notices.append(Notice(title, message, severity))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    async def action_quit(self) -> None:
        """Quit, but ask first while a screen holds unfinished work (a sale half made)."""
        unfinished = getattr(self.screen, "unfinished", lambda: None)()
        if unfinished:
            self.confirm(f"{unfinished} Quit anyway and lose it?", self.exit, yes="Quit")
            return
        self.exit()

    def open_place(self, name: str) -> Screen | None:
        """Open a screen from PLACES if the operator's role reaches it; the screen opened, or None."""
        place = BY_NAME[name]
        if self.session.operator is None:
            return None
        if not self.session.can(place.action):
            self.notify(f"{place.title} needs the {self._needed(place.action)} (you are {self.session.operator.role}).",
                        severity="warning")
            return None
        screen = place.screen_class()()
        self.push_screen(screen)
        return screen

    @staticmethod
    def _needed(action: str) -> str:
        from gbetix_core.permissions import ACTIONS

        return f"{ACTIONS[action]} role or higher"

    def action_help(self) -> None:
        from gbetix_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_switch_operator(self) -> None:
        self.run_core(list_staff, done=self._ask_sign_in, group="start")

    def confirm(self, question: str, then: Callable[[], None], yes: str = "Yes", danger: bool = True) -> None:
        """Ask before anything destructive (``danger``) or costly; run ``then`` only on yes."""
        from gbetix_tui.screens.confirm import ConfirmScreen

        self.push_screen(ConfirmScreen(question, yes, danger), lambda ok: then() if ok else None)
