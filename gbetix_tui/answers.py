"""Answers of core calls come back as messages to whoever asked.

A thread worker (see ``GbetixApp.run_core``) posts :class:`CoreAnswered` to
the screen or widget that started the call; Textual hands it over on the UI
thread, in order with everything else that screen receives. A screen closed
in the meantime no longer runs, so the late answer is dropped there instead
of reaching a callback of a screen nobody sees.
"""

from __future__ import annotations

from typing import Any, Callable

from textual import on
from textual.message import Message
from textual.message_pump import MessagePump

from gbetix_tui.guard import reported


class CoreAnswered(Message, bubble=False):
    """A core call's result and the callback of whoever asked for it."""

    def __init__(self, done: Callable[[Any], None], result: Any) -> None:
        super().__init__()
        self.done = done
        self.result = result


class TakesAnswers(MessagePump):
    """Mixed into the app, its screens and the widgets that ask the core themselves."""

    @on(CoreAnswered)
    @reported
    def _answered(self, message: CoreAnswered) -> None:
        message.done(message.result)
