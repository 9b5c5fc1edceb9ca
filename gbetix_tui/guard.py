"""Keep a failing handler from taking the box office down with it.

Textual stops a widget's message loop (and with the app's, the app) when a
handler raises. Screens and the app mix this in: an error in a handler is
reported as a notification and logged with its traceback instead, and the
screen keeps running. Tests run the app ``strict`` so that such an error
fails them.
"""

from __future__ import annotations

from textual.message import Message


class Guarded:
    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)
        except Exception as exc:  # noqa: BLE001 (reported and logged, never shown as a traceback)
            app = self.app
            if getattr(app, "strict", True):
                raise
            app.contain(exc)
