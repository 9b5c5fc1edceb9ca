"""Send the app's log to the configured log file, never to the screen.

A Textual app owns the terminal, so tracebacks must go somewhere a person
can read later: ``config.log_file``. Operators see a short notification.
"""

from __future__ import annotations

import contextlib
import io
import logging
import sys
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


def run_logged(app, log_file: Path, **options) -> int:
    """Run ``app`` until it ends; its exit code.

    The guards (``guard``) keep errors from ending the app; should Textual
    itself still stop on one, it prints the traceback to stderr as it closes.
    That goes to the log file here, and the person reads one line instead.
    """
    configure(log_file)
    said = io.StringIO()
    with contextlib.redirect_stderr(said):
        app.run(**options)
    if app.return_code == 1:
        LOGGER.error("the app stopped on an internal error:\n%s", said.getvalue())
        print(f"gbetix stopped on an internal error; details are in {log_file}", file=sys.stderr)
    else:
        sys.stderr.write(said.getvalue())
    return app.return_code or 0
