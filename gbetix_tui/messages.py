"""Messages the app sends to whatever screen is on show, kept apart so screens need not load what sends them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from gbetix_core.bpt.worker import RunSummary


class SyncFinished(Message):
    """A sync of this app ended: sent to the screen on show, so a screen listing syncs shows it at once."""

    def __init__(self, summary: RunSummary) -> None:
        super().__init__()
        self.summary = summary
