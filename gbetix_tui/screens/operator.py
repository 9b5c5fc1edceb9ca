"""Who is at the keyboard: pick your staff account and type its PIN; the role decides what the app offers.

The core checks the PIN (and locks the account after repeated wrong ones);
this screen only asks and shows the answer. It opens at start, on **ctrl+o**
and after the app signed an idle operator out; it can be closed only while
someone is still signed in underneath.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from gbetix_core.models import Staff
from gbetix_core.people.signin import sign_in
from gbetix_tui.guard import reported


class OperatorScreen(ModalScreen[Staff | None]):
    CSS_PATH = "operator.tcss"
    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, staff: list[Staff], notice: str = ""):
        super().__init__()
        self.staff = staff
        self.notice = notice

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("[b]Sign in: who is operating?[/b]", id="prompt")
            if not self.staff:
                yield Static("No staff accounts yet. Create the first admin with:\n  gbetix staff add NAME --role admin",
                             id="none")
                return
            yield OptionList(*[Option(f"{s.name}  [dim]{s.role}[/dim]", id=str(i)) for i, s in enumerate(self.staff)],
                             id="staff")
            yield Input(placeholder="PIN", password=True, id="pin")
            yield Static(self.notice, id="message")
            if self.app.session.demo_pin:
                yield Static(f"demo PIN: [b]{self.app.session.demo_pin}[/b]", id="demo-pin")
            yield Static("[dim]↑↓ choose · enter, then the PIN · ctrl+q quit[/dim]", id="hint")

    @reported
    def on_mount(self) -> None:
        if len(self.staff) == 1:
            self.query_one("#pin", Input).focus()

    @reported
    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The PIN field names whose PIN it asks for, so nobody types theirs into someone else's account."""
        self.query_one("#pin", Input).placeholder = f"PIN for {self.staff[int(event.option.id)].name}"

    @reported
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    @reported
    def submit_pin(self, event: Input.Submitted) -> None:
        staff = self.staff[self.query_one("#staff", OptionList).highlighted or 0]
        event.input.value = ""
        self.query_one("#message", Static).update("checking...")
        self.app.run_core(sign_in, staff.name, event.value, self.app.session.config.staff,
                          done=self.dismiss, failed=self._refused, group="sign-in", exclusive=True)

    def _refused(self, exc: BaseException) -> None:
        self.query_one("#message", Static).update(f"[red]{exc}[/red]")
        self.query_one("#pin", Input).focus()

    def action_cancel(self) -> None:
        if self.app.session.operator is not None:
            self.dismiss(None)
