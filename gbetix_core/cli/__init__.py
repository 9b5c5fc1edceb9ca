"""The ``gbetix`` command: a thin face over the core for scripts and operators.

Each verb group lives in its own module with a ``register(subparsers, common)``
function. Handlers take the parsed arguments and a :class:`Context`, call the
core, and print. Errors of the core become ``gbetix: error: ...`` on stderr
and the exception's exit code (2 for bad input), with nothing written.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import threading
from typing import NoReturn

from peewee import OperationalError

from gbetix_core.cli.context import Context, common_parser
from gbetix_core.db import busy_error
from gbetix_core.errors import GbetixError

VERB_MODULES = ("database", "people", "demo", "boxoffice", "frontdesk", "drawer", "sync", "tui", "matching", "mail", "transfer")


def build_parser() -> argparse.ArgumentParser:
    common = common_parser()
    parser = argparse.ArgumentParser(
        prog="gbetix",
        parents=[common],
        description="Box office and Brown Paper Tickets matching for festivals.",
    )
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    for name in VERB_MODULES:
        importlib.import_module(f"gbetix_core.cli.{name}").register(subparsers, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    context = Context(args)
    try:
        return args.handler(args, context) or 0
    except GbetixError as exc:
        print(f"gbetix: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OperationalError as exc:
        return _busy(exc)
    except KeyboardInterrupt:
        print("gbetix: interrupted", file=sys.stderr)
        return 130
    finally:
        context.close()


def run() -> NoReturn:
    """The ``gbetix`` command: :func:`main`, then out of the process without tearing the interpreter down.

    A sync or a match leaves millions of small objects behind (the users
    index, the buyers, the decisions): freeing them one by one as Python
    shuts down took 1 to 1.5 s of a 5 s re-sync, after everything was done.
    By the time main() returns, it has closed the database and every worker;
    what is left to do is flush the output and the log, done here. A bug
    that escapes main() still goes the usual way, with its traceback.
    """
    try:
        code = main()
    except SystemExit as exc:  # argparse: --help, or arguments it refused
        code = _exit_code(exc)
    leave(code)


def _exit_code(exc: SystemExit) -> int:
    """The code Python would exit with for ``exc``: None is 0, and a message is printed and exits 1."""
    if exc.code is None or isinstance(exc.code, int):
        return exc.code or 0
    print(exc.code, file=sys.stderr)
    return 1


def leave(code: int) -> NoReturn:
    """End the process with ``code`` once every non-daemon thread has finished (as Python's own exit waits for
    them: a batch being stored ends whole) and the output and the log are flushed, skipping the interpreter's
    teardown (see :func:`run`)."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (gbetix ... | head), or a closed stream
            pass
    os._exit(code)


def _busy(exc: OperationalError) -> int:
    """A write outside a transaction (a run's counts, a heartbeat) met another writer: say so, exit 7."""
    busy = busy_error(exc)
    if busy is None:
        raise exc
    print(f"gbetix: error: {busy}", file=sys.stderr)
    return busy.exit_code


if __name__ == "__main__":
    run()
