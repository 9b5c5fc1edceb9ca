"""The BPT mapping: which performance and ticket type each BPT date and price sells, and remapping it.

The importer maps new dates and prices automatically when that is
unambiguous; :func:`price_mappings` lists the result for the setup screen,
one row per BPT price, unmapped ones first so they are seen. Admins remap
with :func:`map_date` and :func:`map_price`: a remap moves the tickets
already imported for that date or price, is audited, and is never undone by
a later sync.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN

from gbetix_core import audit
from gbetix_core.bpt import adjust, unissued
from gbetix_core.db import locked, write
from gbetix_core.models import BptDate, BptEvent, BptPrice, Item, Performance, Purchase, Show, Staff, TicketType
from gbetix_core.permissions import require


@dataclass(frozen=True)
class PriceMapping:
    price_id: int
    event: str
    date: str
    price: str
    value: Decimal | None
    performance: str | None
    starts_at: dt.datetime | None
    ticket_type: str | None

    @property
    def mapped(self) -> bool:
        return self.performance is not None and self.ticket_type is not None


def price_mappings() -> list[PriceMapping]:
    """Every BPT price with its event and date and what it maps to; unmapped first, then by event and date."""
    query = (BptPrice.select(BptPrice, BptDate, BptEvent, Performance, Show, TicketType)
             .join(BptDate).switch(BptPrice).join(BptEvent)
             .switch(BptDate).join(Performance, JOIN.LEFT_OUTER).join(Show, JOIN.LEFT_OUTER)
             .switch(BptPrice).join(TicketType, JOIN.LEFT_OUTER))
    rows = [_row(price) for price in query]
    return sorted(rows, key=lambda r: (r.mapped, r.event, r.date, r.price))


def _row(price: BptPrice) -> PriceMapping:
    date, event = price.date, price.event
    perf = date.performance if date.performance_id else None
    when = " ".join(part for part in (str(date.date_start or ""), date.time_start or "") if part) or date.date_id
    return PriceMapping(
        price_id=price.id,
        event=event.local_title or event.title or event.event_id,
        date=when,
        price=price.name or price.price_id,
        value=price.value,
        performance=perf.show.name if perf else None,
        starts_at=perf.starts_at if perf else None,
        ticket_type=price.ticket_type.name if price.ticket_type_id else None,
    )


def event_choices() -> list[tuple[str, str]]:
    """BPT events as (title, event id), for filters."""
    query = BptEvent.select(BptEvent.event_id, BptEvent.title, BptEvent.local_title).order_by(BptEvent.event_id)
    return [(f"{e.local_title or e.title or e.event_id} ({e.event_id})", e.event_id) for e in query]


def tickets_remapped(price: BptPrice, date_too: bool, price_too: bool) -> int:
    """How many imported tickets a remap would move: of every purchase on the price's date when the date is
    remapped, of the purchases at this price when the price is (asked before, so the operator can say no)."""
    if date_too:
        chosen = Purchase.date == price.date_id
    elif price_too:
        chosen = Purchase.price == price.id
    else:
        return 0
    purchases = Purchase.select(Purchase.id).where(chosen)
    issued = Item.select().where(Item.purchase.in_(purchases) & (Item.kind == "ticket")).count()
    return issued + unissued.waiting_tickets(chosen)


def map_date(date: BptDate, performance: Performance, staff: Staff) -> int:
    """Map ``date`` to ``performance``; returns how many imported tickets moved there."""
    require(staff, "map_bpt")
    with write():
        date = locked(BptDate.select().where(BptDate.id == date.id)).get()
        before = date.performance_id
        unissued.issue_waiting(Purchase.date == date.id)
        BptDate.update(performance=performance).where(BptDate.id == date.id).execute()
        bundles = TicketType.select(TicketType.id).where(TicketType.category == "bundle")
        purchases = Purchase.select(Purchase.id).where(Purchase.date == date.id)
        moved = (Item.update(performance=performance)
                 .where(Item.purchase.in_(purchases) & (Item.kind == "ticket") & Item.ticket_type.not_in(bundles))
                 .execute())
        audit.record("bpt.map_date", staff=staff, subject=f"bpt-date:{date.date_id}",
                     before={"performance": before}, after={"performance": performance.id, "tickets_moved": moved})
    return moved


def map_price(price: BptPrice, ticket_type: TicketType, staff: Staff) -> int:
    """Map ``price`` to ``ticket_type``; returns how many imported tickets changed type."""
    require(staff, "map_bpt")
    with write():
        price = locked(BptPrice.select().where(BptPrice.id == price.id)).get()
        before = price.ticket_type_id
        unissued.issue_waiting(Purchase.price == price.id)
        BptPrice.update(ticket_type=ticket_type).where(BptPrice.id == price.id).execute()
        performance = BptDate.get_by_id(price.date_id).performance
        amount = price.value if price.value is not None else ticket_type.price
        moved = sum(adjust.retarget(purchase, ticket_type, performance, amount, staff)
                    for purchase in Purchase.select().where(Purchase.price == price.id))
        audit.record("bpt.map_price", staff=staff, subject=f"bpt-price:{price.price_id}",
                     before={"ticket_type": before}, after={"ticket_type": ticket_type.id, "tickets_moved": moved})
    return moved
