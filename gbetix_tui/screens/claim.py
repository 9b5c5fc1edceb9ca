"""The claim dialog: a festival user at the door with a BPT confirmation number and the buyer's name or email.

First the user is found (as you type); then the core checks the proof,
rate-limits failed attempts, and answers in words: linked, already theirs,
queued for an admin (the purchase belongs to someone else), or refused.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from gbetix_core.matching.claims import ClaimResult, claim
from gbetix_core.people.search import UserHit
from gbetix_tui.answers import TakesAnswers
from gbetix_tui.guard import reported
from gbetix_tui.widgets.user_picker import UserPicker
from gbetix_tui.wording import who


class ClaimScreen(TakesAnswers, ModalScreen[None]):
    CSS_PATH = "claim.tcss"
    TITLE = "Claim a purchase"
    HELP = """\
A festival user claims a BPT purchase: find the user, then type the confirmation number from the
BPT email (like K48213377) and the buyer's last name or the email the tickets were bought with.
**enter** on the last field claims; the answer shows here. **ctrl+u** picks another user;
**escape** closes. Failed attempts are limited per user, per confirmation number and overall;
a refusal says when to try again."""
    BINDINGS = [Binding("escape", "close", "Close"), Binding("ctrl+u", "pick_user", "Other user", priority=True)]

    def __init__(self, user: UserHit | None = None):
        super().__init__()
        self.user = user

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("[b]Claim a BPT purchase[/b]")
            yield Static("", id="claimant")
            yield Label("Confirmation number")
            yield Input(placeholder="K48213377", id="number")
            yield Label("Buyer's last name or email")
            yield Input(id="proof")
            yield Static("", id="answer")
            yield Static("[dim]enter claim · ctrl+u other user · esc close[/dim]")

    @reported
    def on_mount(self) -> None:
        if self.user is None:
            self.action_pick_user()
        else:
            self._show_user()

    def action_pick_user(self) -> None:
        self.app.push_screen(UserPicker("Who is claiming?"), self._picked)

    def _picked(self, user: UserHit | None) -> None:
        if user is None and self.user is None:
            self.dismiss(None)
            return
        self.user = user or self.user
        self._show_user()

    def _show_user(self) -> None:
        self.query_one("#claimant", Static).update(Text.assemble("For ", (who(self.user), "b")))
        self.query_one("#number", Input).focus()

    @reported
    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "number":
            self.query_one("#proof", Input).focus()
            return
        number = self.query_one("#number", Input).value
        self.app.run_core(claim, self.user.username, number, event.value, self.app.session.config.matching,
                          done=self._answered, group="claim", exclusive=True, owner=self)

    def _answered(self, result: ClaimResult) -> None:
        style = "green" if result.ok else "red"
        self.query_one("#answer", Static).update(
            Text.assemble((result.outcome.replace("_", " "), f"b {style}"), f": {result.message}"))
        if result.ok:
            self.notify(result.message, title="Claim", timeout=5)

    def action_close(self) -> None:
        self.dismiss(None)
