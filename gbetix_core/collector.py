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
from typing import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off for the block, back on after it (if it was on)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
