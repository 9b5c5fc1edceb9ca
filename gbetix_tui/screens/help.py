"""F1: the keys of the screen underneath and what it is for, plus the keys that work everywhere."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

from gbetix_tui.commands import described_bindings

GLOBAL_KEYS = """\
- **ctrl+p** command palette: every screen and action
- **F1** this help
- **escape** back
- **ctrl+o** switch operator
- **ctrl+q** quit
"""


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    def __init__(self, under: Screen):
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Markdown(self._text())

    def _text(self) -> str:
        title = getattr(self.under, "TITLE", "") or "gbetix"
        parts = [f"# {title}", getattr(self.under, "HELP", "")]
        keys = [(self.app.get_key_display(b), b.description) for b in described_bindings(self.under)]
        if keys:
            parts.append("## Keys here\n\n" + "\n".join(f"- **{k}** {d}" for k, d in keys))
        parts += ["## Everywhere", GLOBAL_KEYS]
        return "\n\n".join(p for p in parts if p)

    def action_close(self) -> None:
        self.dismiss(None)
