"""Keep a failing handler from taking the box office down with it.

Textual ends the app, printing a traceback, when a handler, an action or a
callback raises. Every such entry point of gbetix goes through :func:`reported`
(handlers and timer methods as a decorator, screen results and palette
commands through :func:`guarded`, actions through ``GbetixApp.run_action``),
so an error becomes a notice in one line and a traceback in the log, and the
screen keeps running. Tests run the app ``strict``: there the error propagates
and fails them.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, TypeVar

from textual.app import App

Handler = TypeVar("Handler", bound=Callable[..., Any])


def contain(app: App, exc: Exception) -> None:
    """Report ``exc`` on ``app`` (see ``GbetixApp.report_error``), or let it through when the app runs strict."""
    if getattr(app, "strict", True):
        raise exc
    app.report_error(exc)


def reported(handler: Handler) -> Handler:
    """Decorate a method of a screen, widget or the app: an error in it is reported, not fatal."""
    if inspect.iscoroutinefunction(handler):
        @functools.wraps(handler)
        async def guarded_async(self, *args: Any, **kwargs: Any) -> Any:
            try:
                return await handler(self, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 (reported and logged, never shown as a traceback)
                contain(self.app, exc)
        return guarded_async  # type: ignore[return-value]

    @functools.wraps(handler)
    def guarded_method(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return handler(self, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            contain(self.app, exc)
    return guarded_method  # type: ignore[return-value]


def guarded(app: App, callback: Callable[..., Any]) -> Callable[..., Any]:
    """``callback`` (a screen's result callback, a palette command) with its errors reported on ``app``."""
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            contain(app, exc)
    return run
