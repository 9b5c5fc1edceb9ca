"""The search field above a list: typing narrows the list (once typing pauses), down moves into the list."""

from __future__ import annotations

import asyncio
from typing import Callable

from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import DataTable, Input

from gbetix_tui.guard import guarded

TYPING_DELAY = 0.15


class SearchBox(Input):
    BINDINGS = [Binding("down", "to_results", "Results", show=False)]

    def action_to_results(self) -> None:
        self.screen.focus_next(DataTable)


def after_typing(node: DOMNode, then: Callable[[], object], delay: float = TYPING_DELAY) -> None:
    """Run ``then`` once typing pauses: each keystroke replaces the waiting worker of the one before.

    A worker rather than a timer, so tests wait for it like any other answer
    (``app.workers.wait_for_complete``) instead of sleeping.
    """
    async def wait_then() -> None:
        await asyncio.sleep(delay)
        guarded(node.app, then)()

    node.run_worker(wait_then, name="after typing", group=f"typing-{id(node)}", exclusive=True, exit_on_error=False)
