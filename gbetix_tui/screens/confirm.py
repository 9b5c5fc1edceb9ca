"""Asked before anything destructive (or costly): says what will happen; y confirms, n or escape does nothing.

A destructive question is red and starts on "No"; a sale starts on its yes,
so enter confirms it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from gbetix_tui.guard import reported



class ConfirmScreen(ModalScreen[bool]):
    CSS_PATH = "confirm.tcss"
    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str, yes: str = "Yes", danger: bool = True):
        super().__init__()
        self.question = question
        self.yes = yes
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, id="question", markup=False)
            with Horizontal(id="buttons"):
                yield Button(f"{self.yes} (y)", variant="error" if self.danger else "success", id="yes")
                yield Button("No (n)", id="no")

    @reported
    def on_mount(self) -> None:
        self.set_class(not self.danger, "-calm")
        self.query_one("#no" if self.danger else "#yes", Button).focus()

    @reported
    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
