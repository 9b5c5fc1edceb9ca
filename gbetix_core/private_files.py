"""Files that hold secrets or personal data are readable by their owner only (mode 0600).

The signing key, tracker and match exports, the SQLite database (users, PIN
hashes) and the app's log (names in messages) are all made this way, whatever
the umask, so another account on the box-office machine cannot read them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

PRIVATE = 0o600


def private_file(path: str | Path, exclusive: bool = False) -> TextIO:
    """Open ``path`` for writing text, 0600; an existing file is emptied and made 0600 too.

    So an export over an old world-readable file does not stay world-readable.
    """
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, PRIVATE)
    os.fchmod(fd, PRIVATE)
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


def touch_private(path: str | Path) -> None:
    """Create ``path`` empty and 0600 if it does not exist yet (SQLite and logging then write into it)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
    except FileExistsError:
        pass
