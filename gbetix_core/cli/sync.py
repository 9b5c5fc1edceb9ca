"""``gbetix sync [--watch]`` and ``gbetix fake-bpt``: pull from BPT, or pretend to be it.

Like the app's worker, ``gbetix sync`` hands each event's new and changed
purchases to the matching engine as soon as the event is committed.
"""

from __future__ import annotations

import itertools
import signal
import sys
import threading
from functools import partial
from typing import Callable

from gbetix_core.bpt.fake.catalog import festival_events, slots
from gbetix_core.bpt.fake.dataset import Dataset, load
from gbetix_core.bpt.fake.server import Faults, FakeBpt
from gbetix_core.bpt.sync import SyncProgress
from gbetix_core.bpt.worker import RunSummary, SyncWorker
from gbetix_core.bootstrap import token_secret
from gbetix_core.cli.context import fraction, non_negative_float, non_negative_int, port_number, positive_int
from gbetix_core.demo.buyers import generate_orders
from gbetix_core.errors import InputError
from gbetix_core.mail.rounds import mail_round
from gbetix_core.pipeline import after_purchases_imported, before_sync
from gbetix_core.models import User
from gbetix_core.people.users_import import COLUMNS

EXIT = {"ok": 0, "partial": 1, "failed": 5}


def register(subparsers, common) -> None:
    sync = subparsers.add_parser("sync", parents=[common], help="import orders from Brown Paper Tickets")
    sync.add_argument("--watch", action="store_true",
                      help="keep syncing every [bpt] poll_interval seconds (backing off after failures) until "
                           "Ctrl-C or SIGTERM")
    sync.add_argument("--quiet", action="store_true", help="print only the summary of each run")
    sync.set_defaults(handler=run_sync_verb)

    fake = subparsers.add_parser("fake-bpt", parents=[common], help="serve a fake BPT api2 on 127.0.0.1")
    fake.add_argument("--port", type=port_number, default=8765, help="port to listen on (default 8765; 0: any)")
    source = fake.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", metavar="DIR", help="serve a dataset saved with --save")
    source.add_argument("--generate", metavar="N", type=positive_int,
                        help="generate N order lines bought by the configured database's registered users")
    fake.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    fake.add_argument("--save", metavar="DIR", help="write the dataset to DIR and exit")
    fake.add_argument("--fail-rate", type=fraction, default=0.0, help="answer this share of requests with HTTP 500")
    fake.add_argument("--fail-first", type=non_negative_int, default=0, help="answer the first N requests with 500")
    fake.add_argument("--slow", type=non_negative_float, default=0.0, metavar="SECONDS",
                      help="wait this long before every answer")
    fake.add_argument("--truncate", action="store_true", help="cut every orderlist answer off half-way")
    fake.add_argument("--sell-rate", type=non_negative_float, default=0.0, metavar="PER_MINUTE",
                      help="keep selling new order lines at this average rate (to the database's users)")
    fake.set_defaults(handler=run_fake)


def run_sync_verb(args, ctx) -> int:
    ctx.open()
    worker = SyncWorker(ctx.config, after_import=partial(after_purchases_imported, config=ctx.config),
                        on_progress=None if args.quiet else _print_progress, on_run=_print_run,
                        before_run=partial(before_sync, ctx.config), after_run=partial(mail_round, ctx.config))
    if not args.watch:
        summary = worker.run_once(trigger="cli")
        if summary is None:
            print(f"gbetix: {worker.last_error}", file=sys.stderr)
            return 6
        return EXIT[summary.status]
    _stop_on_sigterm(worker)
    print(f"syncing every {ctx.config.bpt.poll_interval:g} s from {ctx.config.bpt.base_url}; Ctrl-C stops")
    worker.start()
    try:
        while worker.alive:
            worker.join(0.5)
    except KeyboardInterrupt:
        print("stopping after the event in hand...", file=sys.stderr)
        worker.stop()
    return 0


def _stop_on_sigterm(worker: SyncWorker) -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: worker.stop(timeout=0))


def _print_progress(progress: SyncProgress) -> None:
    if progress.phase in ("fetch", "import") and progress.event_id:
        print(f"  {progress.phase} event {progress.event_id} ({progress.events_done}/{progress.events_total})",
              file=sys.stderr)


def _print_run(summary: RunSummary) -> None:
    print(summary.line())
    for warning in summary.warnings:
        print(f"  warning: {warning}")
    if summary.error:
        for line in summary.error.splitlines():
            print(f"  error: {line}")
    sys.stdout.flush()


def run_fake(args, ctx) -> int:
    config = ctx.config.bpt
    if args.data:
        dataset = load(args.data)
    else:
        dataset = Dataset(developer_id=config.developer_id, client=config.client,
                          events=festival_events(config.client))
    seller = None
    if args.generate or args.sell_rate:
        seller = _buyers(ctx, slots(dataset.events, dataset.client), args.seed)
    if args.generate:
        dataset.add_orders(seller(args.generate))
    if args.save:
        print(f"saved {len(dataset.orders)} order lines to {dataset.save(args.save)}")
        return 0
    faults = Faults(fail_rate=args.fail_rate, fail_first=args.fail_first, slow=args.slow, truncate=args.truncate)
    fake = FakeBpt(dataset, args.port, faults, seller, args.sell_rate).warm().start()
    print(f"fake BPT at {fake.url} (developer id {dataset.developer_id!r}, client {dataset.client!r}, "
          f"{len(dataset.orders)} order lines); Ctrl-C stops", flush=True)
    stopped = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    fake.stop()
    return 0


def _buyers(ctx, places: list[tuple[str, str, str]], seed: int) -> Callable[[int], list[dict]]:
    """Order lines bought by the configured festival's registered users, every hard case of the seed included."""
    ctx.open()
    users = registered_users()
    if not users:
        raise InputError("The database has no registered users to sell to: import them first "
                         "(gbetix users import FILE.csv), or try gbetix demo.")
    user_ids = {user["username"]: user["id"] for user in users}
    secret = token_secret(ctx.config)
    batches = itertools.count(seed)

    def sell(count: int) -> list[dict]:
        return generate_orders(users, count, slots=places, secret=secret, user_ids=user_ids,
                               seed=next(batches)).orders

    return sell


def registered_users() -> list[dict]:
    """Every registered (not special) user as the CSV-shaped dict the buyer generator takes."""
    fields = [User.id, *(getattr(User, name) for name in COLUMNS)]
    return [{key: value if value is not None else "" for key, value in row.items()}
            for row in User.select(*fields).where(User.special.is_null()).order_by(User.id).dicts()]
