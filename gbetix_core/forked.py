"""Processes forked to work beside this one: the matching helper, the writer of the kept users' index.

A fork copies this process's signal handlers, which suit it and not a helper.
"""

from __future__ import annotations

import signal


def as_helper() -> None:
    """Signals as a helper needs them. A sync's SIGTERM stops its worker after the event in hand, which would keep
    a helper told to stop at work; an app's event loop wakes on a terminal resize through a descriptor the helper
    would share; Ctrl-C is for this process to handle (the helper ignores it, and ends with the work it was given).
    """
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGWINCH, signal.SIG_DFL)
