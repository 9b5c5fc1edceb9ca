"""Fixed things that happen at the fixed festival: sales, BPT purchases matched by the engine, past syncs.

Everything is seeded, dated and numbered the same way on every run, so the
screens built on it (and their snapshots) do not change from one run to the next.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Iterator

from gbetix_core import db as dbmod
from gbetix_core.boxoffice.sales import Basket, sell_to_customer, sell_walkup
from gbetix_core.bpt.fake.catalog import festival_events, slots
from gbetix_core.config import Config
from gbetix_core.demo.buyers import generate_orders
from gbetix_core.demo.people import generate_users
from gbetix_core.demo.purchases import store_orders
from gbetix_core.matching.engine import match_all_unresolved
from gbetix_core.models import CheckIn, Item, Order, Performance, Staff, SyncRun, TicketType, User
from tests.tui.conftest import NOW, TODAY, USERS


@contextlib.contextmanager
def opened(url: str) -> Iterator[None]:
    """The models bound to the test database for a few direct reads or writes."""
    database = dbmod.open_database(url, upgrade=False)
    try:
        yield
    finally:
        database.close()


def first_performance() -> Performance:
    return Performance.select().order_by(Performance.starts_at, Performance.id).first()


def ticket_type(name: str) -> TicketType:
    return TicketType.get(TicketType.name == name)


SOLD_AT = dt.datetime(2026, 11, 20, 17, 5)


def sell_party(url: str, count: int = 3, customer_index: int = 0) -> tuple[User, int]:
    """A named customer holding ``count`` General Admissions for Friday's Main Event; (customer, order id)."""
    with opened(url):
        customer = User.select().where(User.special.is_null()).order_by(User.id).offset(customer_index).first()
        order = sell_to_customer(Staff.get(Staff.name == "Manny Manager"), customer,
                                 Basket(performance=first_performance().id, tickets={ticket_type("General Admission").id: count}),
                                 payment="cash", now=NOW)
        _sold_at(order, SOLD_AT)
    return customer, order.id


def sell_walkups(url: str) -> None:
    with opened(url):
        order = sell_walkup(Staff.get(Staff.name == "Bea Boxoffice"),
                            Basket(performance=first_performance().id, tickets={ticket_type("Student").id: 2}),
                            payment="cash", now=NOW)
        _sold_at(order, SOLD_AT + dt.timedelta(days=14))


def _sold_at(order: Order, when: dt.datetime) -> None:
    """Date a sale as if it happened at ``when`` (the screens show when tickets were sold)."""
    Order.update(created_at=when).where(Order.id == order.id).execute()
    Item.update(created_at=when).where(Item.order == order.id).execute()
    CheckIn.update(at=when).where(CheckIn.item.in_(Item.select(Item.id).where(Item.order == order.id))).execute()


def add_purchases(url: str, config: Config, count: int = 80) -> None:
    """BPT order lines with the seed's hard cases, stored and matched by the engine."""
    events = festival_events(config.bpt.client, today=TODAY)
    with opened(url):
        user_ids = dict(User.select(User.username, User.id).where(User.special.is_null()).tuples())
        orders = generate_orders(generate_users(USERS, seed=7), count, slots=slots(events, config.bpt.client),
                                 secret=config.tokens.secret.encode(), user_ids=user_ids, seed=11).orders
        store_orders(orders)
        match_all_unresolved(config)


def add_sync_runs(url: str) -> None:
    """Three past syncs: a first import, a quiet one, and one BPT refused."""
    start = dt.datetime(2026, 12, 4, 23, 0)
    with opened(url):
        SyncRun.create(started_at=start, finished_at=start + dt.timedelta(seconds=4.2), status="ok", trigger="cli",
                       new=412, unchanged=0, warnings='["event 4412001: created ticket type \'VIP\' (2026)"]')
        SyncRun.create(started_at=start + dt.timedelta(minutes=5), finished_at=start + dt.timedelta(minutes=5, seconds=1),
                       status="ok", trigger="timer", new=3, unchanged=412)
        SyncRun.create(started_at=start + dt.timedelta(minutes=10), finished_at=start + dt.timedelta(minutes=10, seconds=2),
                       status="failed", trigger="tui", error="BPT refused: 300001 developer id not recognised")
