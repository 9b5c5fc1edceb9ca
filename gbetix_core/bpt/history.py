"""Past syncs with BPT as the sync screen and the main menu show them: newest first."""

from __future__ import annotations

import json

from gbetix_core.models import SyncRun


def recent_runs(limit: int = 20) -> list[SyncRun]:
    """The latest ``limit`` sync runs, newest first (each row is self-contained: no lazy lookups)."""
    return list(SyncRun.select().order_by(SyncRun.id.desc()).limit(limit))


def warnings_of(run: SyncRun) -> list[str]:
    """A run's warnings as a list (stored as JSON text)."""
    try:
        found = json.loads(run.warnings or "[]")
    except ValueError:
        return [run.warnings]
    return [str(w) for w in found] if isinstance(found, list) else [str(found)]
