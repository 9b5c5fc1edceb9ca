"""Choose a performance from a list, with its seats left: used by the walkup, door and orders screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from gbetix_core.boxoffice.availability import inventories
from gbetix_core.boxoffice.catalog import label, list_performances
from gbetix_tui.guard import reported
from gbetix_tui.wording import literal


@dataclass(frozen=True)
class Choice:
    """A performance as the picker shows it (the caller loads these off the UI thread)."""

    id: int
    label: str
    seats_left: int = 0

    @property
    def shown(self) -> str:
        left = "sold out" if self.seats_left == 0 else f"{self.seats_left} seats left"
        return f"{literal(self.label)}  [dim]·[/dim] {left}"


def performance_choices() -> list[Choice]:
    """Every performance, in curtain order, named as the box office says it, with its seats left
    (one grouped count for all of them; call off the UI thread)."""
    performances = list_performances()
    stock = inventories([p.id for p in performances], {p.id: p for p in performances})
    return [Choice(p.id, label(p), stock[p.id].saleable) for p in performances]


class PerformancePicker(ModalScreen[int | None]):
    CSS_PATH = "performance_picker.tcss"
    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, choices: list[Choice], current: int | None):
        super().__init__()
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("[b]Which performance?[/b]  [dim]enter choose · esc cancel[/dim]")
            yield OptionList(*[Option(c.shown, id=str(c.id)) for c in self.choices], id="choices")

    @reported
    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [c.id for c in self.choices]
        if self.current in ids:
            options.highlighted = ids.index(self.current)
        options.focus()

    @reported
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
