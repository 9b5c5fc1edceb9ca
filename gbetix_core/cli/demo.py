"""``gbetix demo``: a festival to try, on SQLite, with the built-in fake BPT selling as you watch.

The fake BPT runs in this process on a free loopback port, already holding
some orders and selling a few more every minute; the app syncs with it on a
short timer, so purchases arrive, are matched, and wait in the queue.
"""

from __future__ import annotations

import dataclasses
import itertools

from gbetix_core import db
from gbetix_core.bootstrap import token_secret
from gbetix_core.bpt.fake.catalog import festival_events, slots
from gbetix_core.bpt.fake.dataset import Dataset
from gbetix_core.bpt.fake.server import FakeBpt, start_fake_bpt
from gbetix_core.cli.tui import open_app
from gbetix_core.config import Config
from gbetix_core.demo import DEMO_PIN, DEMO_USERS, demo_dir, prepare_demo
from gbetix_core.demo.buyers import generate_orders
from gbetix_core.demo.people import generate_users
from gbetix_core.models import User

DEMO_ORDERS = 400
SALES_PER_MINUTE = 6.0
DEMO_POLL_SECONDS = 20.0


def register(subparsers, common) -> None:
    demo = subparsers.add_parser("demo", parents=[common], help="open the app on a demo festival (made on first run)")
    demo.add_argument("--reset", action="store_true", help="throw the demo database away and start over")
    demo.add_argument("--no-tui", action="store_true", help="prepare the demo database and print where it is")
    demo.set_defaults(handler=run_demo)


def run_demo(args, ctx) -> int:
    demo = prepare_demo(ctx.config.data_dir, reset=args.reset)
    print(f"demo database {'created' if demo.created else 'reused'}: {demo.path}")
    if args.no_tui:
        return 0
    config = demo_config(ctx.config, demo.url)
    fake = start_demo_bpt(config)
    try:
        return open_app(dataclasses.replace(config, bpt=dataclasses.replace(config.bpt, base_url=fake.url)),
                        background_sync=True, demo_pin=DEMO_PIN)
    finally:
        fake.stop()


def start_demo_bpt(config: Config) -> FakeBpt:
    """The fake BPT for the demo festival, selling to the demo's users with every hard case of the seed.

    Buyers use other emails, nicknames, a friend's signed-in browser...; so
    the queue has real work in it. It keeps selling while the demo runs.
    """
    events = festival_events(config.bpt.client)
    places = slots(events, config.bpt.client)
    users = generate_users(DEMO_USERS)
    secret = token_secret(config)
    user_ids = _user_ids(config.database_url)
    batches = itertools.count(1)

    def orders(count: int) -> list[dict]:
        return generate_orders(users, count, slots=places, secret=secret, user_ids=user_ids,
                               seed=next(batches)).orders

    dataset = Dataset(developer_id=config.bpt.developer_id, client=config.bpt.client, events=events)
    dataset.add_orders(orders(DEMO_ORDERS))
    return start_fake_bpt(dataset, seller=orders, sell_rate=SALES_PER_MINUTE)


def _user_ids(url: str) -> dict[str, int]:
    """Username to id of the demo's registered users (the signed purchase links name users by id)."""
    database = db.open_database(url, upgrade=False)
    try:
        return dict(User.select(User.username, User.id).where(User.special.is_null()).tuples())
    finally:
        database.close()


def demo_config(config: Config, database_url: str) -> Config:
    """The operator's config pointed at the demo database and its own data folder, syncing often."""
    folder = demo_dir(config.data_dir)
    return dataclasses.replace(
        config,
        database=dataclasses.replace(config.database, url=database_url),
        bpt=dataclasses.replace(config.bpt, poll_interval=DEMO_POLL_SECONDS),
        data_dir=folder,
    )
