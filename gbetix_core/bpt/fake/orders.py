"""Plain order lines for the fake BPT: every buyer a registered user, typed exactly as registered.

Fast and predictable, for tests that need volume rather than realism; the
demo and ``gbetix fake-bpt --generate`` use :mod:`gbetix_core.demo.buyers`,
which adds every problem case of the seed.

Each line is a dict holding every orderlist ``<item>`` field by tag name
(``""`` for an empty tag) plus ``event_id``: the shape :class:`Dataset` serves.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Sequence

SHIPPING = ("Will Call", "Print-At-Home", "Mobile Delivery", "Physical", "Online Access")


def generate_lines(users: Sequence[dict], count: int, *, slots: Sequence[tuple[str, str, str]], seed: int = 7,
                   start: dt.datetime | None = None, first_number: int = 0) -> list[dict]:
    """``count`` order lines bought by ``users`` (CSV-ready dicts) at the given slots."""
    rng = random.Random(seed)
    start = start or dt.datetime(2026, 9, 1, 9, 0)
    lines = []
    for offset in range(count):
        number = first_number + offset
        user = users[rng.randrange(len(users))]
        event_id, date_id, price_id = slots[rng.randrange(len(slots))]
        at = start + dt.timedelta(seconds=number * 37 + rng.randrange(30))
        lines.append({
            "event_id": event_id, "order_time": f"{at:%Y-%m-%d %H:%M:%S}", "date_id": date_id,
            "price_id": price_id, "quantity": str(rng.choice((1, 1, 1, 2, 2, 3, 4))),
            "fname": user["first_name"], "lname": user["last_name"], "address": user.get("address", ""),
            "city": user.get("city", ""), "state": user.get("state", ""), "zip": user.get("zip", ""),
            "country": user.get("country", ""), "email": user["email"], "phone": user.get("phone", ""),
            "cc": f"{rng.randrange(10_000):04d}" if rng.random() < 0.9 else "N/A",
            "shipping_method": rng.choice(SHIPPING), "order_notes": "", "ticket_number": f"K{48_000_000 + number}",
            "section": "", "row": "", "seat": "", "tracker_id": "",
        })
    return lines
