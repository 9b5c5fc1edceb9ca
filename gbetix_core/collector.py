"""Python's cycle collector, paused for the long bulk runs (a BPT import, a matching run).

Such a run makes millions of short-lived objects and next to no reference
cycles: reference counting frees them, and any cycle waits for the
collector's next pass. Left on, every full collection during the run walks
everything the process holds (the 50,000 users' index, the buyers) again:
about a tenth of a matching run's time.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from typing import Iterator

_lock = threading.Lock()
_pauses = {"count": 0, "was_on": False}  # blocks paused now (threads may overlap), and the state before the first


def _new_lock() -> None:
    """A forked child (a matching helper) gets a lock of its own: the parent's may have been held by another
    thread at the fork, and would stay held in the child for ever."""
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_new_lock)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off for the block, back on after the last block still paused (if it was on before the
    first): a thread reading the users' index ahead may pause it while a sync's own run does."""
    with _lock:
        if _pauses["count"] == 0:
            _pauses["was_on"] = gc.isenabled()
            gc.disable()
        _pauses["count"] += 1
    try:
        yield
    finally:
        with _lock:
            _pauses["count"] -= 1
            if _pauses["count"] == 0 and _pauses["was_on"]:
                gc.enable()
