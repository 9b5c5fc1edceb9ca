"""Who is at the keyboard: pick a staff account; its role decides what the app offers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from gbetix_core.models import Staff
from gbetix_tui.guard import Guarded


class OperatorScreen(Guarded, ModalScreen[Staff | None]):
    CSS_PATH = "operator.tcss"
    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, staff: list[Staff]):
        super().__init__()
        self.staff = staff

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("[b]Who is operating?[/b]", id="prompt")
            if self.staff:
                yield OptionList(*[Option(f"{s.name}  [dim]{s.role}[/dim]", id=str(i)) for i, s in enumerate(self.staff)],
                                 id="staff")
            else:
                yield Static("No staff accounts yet. Add one with:\n  gbetix staff add NAME --role admin", id="none")
            yield Static("[dim]↑↓ choose · enter sign in · ctrl+q quit[/dim]", id="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.staff[int(event.option.id)])

    def action_cancel(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.dismiss(None)
