"""Send the app's log to the configured log file, never to the screen.

A Textual app owns the terminal, so tracebacks must go somewhere a person
can read later: ``config.log_file``. Operators see a short notification.
"""

from __future__ import annotations

import logging
from pathlib import Path

from gbetix_core.private_files import touch_private

LOGGER = logging.getLogger("gbetix")
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def configure(log_file: Path) -> None:
    """Attach one file handler for ``log_file`` to the gbetix logger (idempotent)."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    target = str(log_file.resolve())
    for handler in LOGGER.handlers:
        if isinstance(handler, logging.FileHandler) and handler.baseFilename == target:
            return
    touch_private(target)
    handler = logging.FileHandler(target, encoding="utf-8")
    handler.setFormatter(logging.Formatter(_FORMAT))
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)
