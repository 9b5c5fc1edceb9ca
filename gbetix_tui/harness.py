"""Build the app the way tests, snapshots and benchmarks need it (as Posting does).

The configuration comes from ``config`` or, like the CLI, from
``$GBETIX_CONFIG``; ``now`` pins the festival clock so that snapshots are the
same every day; ``operator`` and ``pin`` sign in without the sign-in screen.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from textual.worker import WorkerCancelled, WorkerFailed

from gbetix_core.config import Config, load
from gbetix_tui.app import GbetixApp
from gbetix_tui.context import Session, fixed_clock


def build_app(config: Config | None = None, *, operator: str | None = None, pin: str | None = None,
              now: dt.datetime | None = None, strict: bool = True) -> GbetixApp:
    """An app on ``config`` (default: $GBETIX_CONFIG), its clock fixed at ``now``.

    With ``operator`` and ``pin`` it signs in at start (the core checks the PIN as at the sign-in screen);
    with ``operator`` alone the sign-in screen offers only that account.
    """
    session = Session(config or load(), clock=fixed_clock(now) if now else None)
    return GbetixApp(session, operator_name=operator, pin=pin, strict=strict)


async def finish_workers(app) -> None:
    """Wait for the workers still meant to finish (one replaced by a newer one of its group is cancelled;
    one that failed is reported by the app, see ``GbetixApp.run_core``)."""
    while live := [worker for worker in app.workers if not (worker.is_cancelled or worker.is_finished)]:
        with contextlib.suppress(WorkerCancelled, WorkerFailed):
            await app.workers.wait_for_complete(live)
