"""A small modal form: labelled inputs (or choices), enter on the last field or ctrl+s submits.

Values come back as text (or the chosen value); the screen converts obvious
types and the core judges them, refusing in words what it cannot accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from gbetix_tui.guard import reported
from gbetix_tui.wording import literal


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: str = ""
    placeholder: str = ""
    choices: tuple[tuple[str, Any], ...] | None = None
    user: bool = False


class FormDialog(ModalScreen[dict[str, Any] | None]):
    CSS_PATH = "form.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "submit", "Save", priority=True),
                Binding("ctrl+u", "find_user", "Find user", priority=True)]

    def __init__(self, title: str, fields: list[Field], hint: str = ""):
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(f"[b]{literal(self.form_title)}[/b]", id="form-title")
            for field in self.fields:
                yield Label(field.label)
                if field.choices is not None:
                    yield Select(field.choices, value=field.value if field.value != "" else Select.NULL,
                                 id=f"f-{field.key}", allow_blank=field.value == "")
                else:
                    yield Input(field.value, placeholder=field.placeholder, id=f"f-{field.key}")
            yield Static(self.hint or "[dim]enter next/save · ctrl+s save · esc cancel[/dim]", id="form-hint")

    @reported
    def on_input_submitted(self, event: Input.Submitted) -> None:
        last = f"f-{self.fields[-1].key}"
        if event.input.id == last:
            self.action_submit()
        else:
            self.focus_next()

    def values(self) -> dict[str, Any]:
        result = {}
        for field in self.fields:
            widget = self.query_one(f"#f-{field.key}")
            value = widget.value
            result[field.key] = None if value is Select.NULL else (value.strip() if isinstance(value, str) else value)
        return result

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "find_user":
            return self._user_input() is not None
        return True

    def _user_input(self) -> Input | None:
        """The focused field when it takes a username (ctrl+u finds the user instead of typing it)."""
        users = {f"f-{field.key}" for field in self.fields if field.user}
        focused = self.focused
        return focused if isinstance(focused, Input) and focused.id in users else None

    def action_find_user(self) -> None:
        from gbetix_tui.widgets.user_picker import UserPicker

        field = self._user_input()
        if field is not None:
            self.app.push_screen(UserPicker("Which user?"), lambda user: self._fill(field, user))

    @staticmethod
    def _fill(field: Input, user) -> None:
        if user is not None:
            field.value = user.username
            field.focus()

    def action_submit(self) -> None:
        self.dismiss(self.values())

    def action_cancel(self) -> None:
        self.dismiss(None)
