"""``gbetix tui``: open the terminal app on the configured database.

Textual is imported inside the handler so that the core (and every other
verb) never loads it.
"""

from __future__ import annotations

from gbetix_core.config import Config


def register(subparsers, common) -> None:
    tui = subparsers.add_parser("tui", parents=[common], help="open the terminal app")
    tui.add_argument("--as", dest="operator", metavar="STAFF", help="offer only this staff account at sign-in (its PIN is still asked)")
    tui.add_argument("--sync", action="store_true", help="sync with BPT every [bpt] poll_interval while the app runs")
    tui.set_defaults(handler=run_tui)


def run_tui(args, ctx) -> int:
    if args.operator:
        ctx.operator(args.operator)
    return open_app(ctx.config, args.operator, background_sync=args.sync)


def open_app(config: Config, operator: str | None = None, background_sync: bool = False,
             demo_pin: str | None = None) -> int:
    """Run the app until the operator quits; its exit code. ``demo_pin`` is shown on the sign-in screen."""
    from gbetix_tui.app import GbetixApp
    from gbetix_tui.context import Session
    from gbetix_tui.logs import run_logged

    app = GbetixApp(Session(config, demo_pin=demo_pin), operator_name=operator, background_sync=background_sync)
    return run_logged(app, config.log_file)
