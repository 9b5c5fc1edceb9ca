"""Store generated order lines as BPT purchases in bulk, for benchmarks, tests and the demo.

The real path is the BPT sync (XML, versions, tickets); this loader skips the
wire so that matching can be measured on 100,000 purchases in seconds. It
writes the same rows the sync writes: events, dates, prices, one purchaser per
distinct buyer identity, and one purchase per order line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Sequence

from gbetix_core.db import write
from gbetix_core.models import BptDate, BptEvent, BptPrice, Purchase, Purchaser
from gbetix_core.models.base import utcnow

BUYER_FIELDS = ("fname", "lname", "email", "phone", "address", "city", "state", "zip", "country")
BATCH = 500


def identity(order: dict) -> str:
    """The digest that makes one buyer identity one Purchaser row."""
    text = "\x1f".join((order.get(key) or "").strip().lower() for key in BUYER_FIELDS)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def store_orders(orders: Sequence[dict]) -> dict[str, int]:
    """Insert the order lines (and whatever events, dates, prices and buyers they need); returns ticket_number -> id."""
    with write():
        prices = _slots(orders)
        buyers = _purchasers(orders)
        now = utcnow()
        rows = [{
            "ticket_number": o["ticket_number"], "event": prices[(o["event_id"], o["date_id"], o["price_id"])][0],
            "date": prices[(o["event_id"], o["date_id"], o["price_id"])][1],
            "price": prices[(o["event_id"], o["date_id"], o["price_id"])][2], "purchaser": buyers[identity(o)],
            "quantity": int(o["quantity"]), "order_time": dt.datetime.strptime(o["order_time"], "%Y-%m-%d %H:%M:%S"),
            "tracker": o["tracker_id"] or None, "shipping_method": o["shipping_method"] or None,
            "order_notes": o["order_notes"] or None, "cc": o["cc"] or None, "digest": identity(o), "imported_at": now,
        } for o in orders]
        for start in range(0, len(rows), BATCH):
            Purchase.insert_many(rows[start:start + BATCH]).execute()
    ids: dict[str, int] = {}
    numbers = [o["ticket_number"] for o in orders]
    for start in range(0, len(numbers), BATCH):
        query = Purchase.select(Purchase.ticket_number, Purchase.id).where(Purchase.ticket_number.in_(numbers[start:start + BATCH]))
        ids.update(query.tuples())
    return ids


def _slots(orders: Sequence[dict]) -> dict[tuple[str, str, str], tuple[int, int, int]]:
    found = {}
    for event_id, date_id, price_id in sorted({(o["event_id"], o["date_id"], o["price_id"]) for o in orders}):
        event, _ = BptEvent.get_or_create(event_id=event_id, defaults={"title": f"Event {event_id}"})
        date, _ = BptDate.get_or_create(date_id=date_id, defaults={"event": event})
        price, _ = BptPrice.get_or_create(date=date, price_id=price_id, defaults={"event": event, "name": "General"})
        found[(event_id, date_id, price_id)] = (event.id, date.id, price.id)
    return found


def _purchasers(orders: Sequence[dict]) -> dict[str, int]:
    rows = {}
    for o in orders:
        rows.setdefault(identity(o), {
            "identity": identity(o), "first_name": o["fname"] or None, "last_name": o["lname"] or None,
            "email": o["email"] or None, "phone": o["phone"] or None, "address": o["address"] or None,
            "city": o["city"] or None, "state": o["state"] or None, "zip": o["zip"] or None,
            "country": o["country"] or None, "created_at": utcnow(),
        })
    known = list(rows)
    found: dict[str, int] = {}
    for start in range(0, len(known), BATCH):
        found.update(Purchaser.select(Purchaser.identity, Purchaser.id)
                     .where(Purchaser.identity.in_(known[start:start + BATCH])).tuples())
    new = [row for key, row in rows.items() if key not in found]
    for start in range(0, len(new), BATCH):
        Purchaser.insert_many(new[start:start + BATCH]).execute()
    for start in range(0, len(known), BATCH):
        found.update(Purchaser.select(Purchaser.identity, Purchaser.id)
                     .where(Purchaser.identity.in_(known[start:start + BATCH])).tuples())
    return found
