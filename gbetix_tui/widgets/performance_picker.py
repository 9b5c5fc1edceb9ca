"""Choose a performance from a list: used by the walkup and door screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from gbetix_core.boxoffice.catalog import label, list_performances
from gbetix_tui.guard import Guarded
from gbetix_tui.wording import literal


@dataclass(frozen=True)
class Choice:
    """A performance as the picker shows it (the caller loads these off the UI thread)."""

    id: int
    label: str


def performance_choices() -> list[Choice]:
    """Every performance, in curtain order, named as the box office says it (call off the UI thread)."""
    return [Choice(p.id, label(p)) for p in list_performances()]


class PerformancePicker(Guarded, ModalScreen[int | None]):
    CSS_PATH = "performance_picker.tcss"
    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, choices: list[Choice], current: int | None):
        super().__init__()
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("[b]Which performance?[/b]  [dim]enter choose · esc cancel[/dim]")
            yield OptionList(*[Option(literal(c.label), id=str(c.id)) for c in self.choices], id="choices")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [c.id for c in self.choices]
        if self.current in ids:
            options.highlighted = ids.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
