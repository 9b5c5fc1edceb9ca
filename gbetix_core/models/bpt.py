"""The mirror of Brown Paper Tickets: written only by the importer.

Vendor columns keep what BPT said; the few local columns (``show``,
``performance``, ``ticket_type``, ``local_title``) are the festival's own
mapping and edits, which a later sync never overwrites.
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from gbetix_core.models.base import BaseModel, MoneyField, index_where_set, utcnow
from gbetix_core.models.catalog import Performance, Show, TicketType


class BptEvent(BaseModel):
    event_id = CharField(unique=True)
    title = CharField(null=True)
    link = CharField(null=True)
    description = TextField(null=True)
    live = BooleanField(default=True)
    venue = TextField(null=True)
    contact = TextField(null=True)
    local_title = CharField(null=True)
    show = ForeignKeyField(Show, null=True, backref="bpt_events", on_delete="SET NULL")
    seen_at = DateTimeField(default=utcnow)


class BptDate(BaseModel):
    date_id = CharField(unique=True)
    event = ForeignKeyField(BptEvent, backref="dates", on_delete="CASCADE")
    live = BooleanField(default=True)
    date_start = DateField(null=True)
    date_end = DateField(null=True)
    time_start = CharField(null=True)
    time_end = CharField(null=True)
    available = IntegerField(null=True)
    performance = ForeignKeyField(Performance, null=True, backref="bpt_dates", on_delete="SET NULL")
    seen_at = DateTimeField(default=utcnow)


class BptPrice(BaseModel):
    """A price of one BPT date; maps to a ticket type (a pass type covers several performances)."""

    price_id = CharField()
    event = ForeignKeyField(BptEvent, backref="prices", on_delete="CASCADE")
    date = ForeignKeyField(BptDate, backref="prices", on_delete="CASCADE")
    live = BooleanField(default=True)
    name = CharField(null=True)
    value = MoneyField(null=True)
    service_fee = MoneyField(null=True)
    venue_fee = MoneyField(null=True)
    available = IntegerField(null=True)
    ticket_type = ForeignKeyField(TicketType, null=True, backref="bpt_prices", on_delete="SET NULL")
    seen_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("date", "price_id"), True),)


class Purchaser(BaseModel):
    """A buyer identity exactly as BPT gave it; ``identity`` is a digest of the normalised fields."""

    identity = CharField(unique=True)
    first_name = CharField(null=True)
    last_name = CharField(null=True)
    email = CharField(null=True, index=True)
    phone = CharField(null=True)
    address = CharField(null=True)
    city = CharField(null=True)
    state = CharField(null=True)
    zip = CharField(null=True)
    country = CharField(null=True)
    created_at = DateTimeField(default=utcnow)


class SyncRun(BaseModel):
    """One sync with BPT: when, what it counted, and how it ended."""

    started_at = DateTimeField(default=utcnow)
    finished_at = DateTimeField(null=True)
    status = CharField(default="running")
    trigger = CharField(default="manual")
    new = IntegerField(default=0)
    unchanged = IntegerField(default=0)
    changed = IntegerField(default=0)
    skipped = IntegerField(default=0)
    gone = IntegerField(default=0)
    warnings = TextField(default="[]")
    error = TextField(null=True)


class Purchase(BaseModel):
    """One BPT order line: ``quantity`` tickets of one price, bought by one purchaser."""

    ticket_number = CharField(unique=True)
    event = ForeignKeyField(BptEvent, backref="purchases", on_delete="RESTRICT")
    date = ForeignKeyField(BptDate, null=True, backref="purchases", on_delete="RESTRICT")
    price = ForeignKeyField(BptPrice, backref="purchases", on_delete="RESTRICT")
    purchaser = ForeignKeyField(Purchaser, backref="purchases", on_delete="RESTRICT")
    quantity = IntegerField()
    order_time = DateTimeField(null=True)
    tracker = CharField(null=True)
    shipping_method = CharField(null=True)
    order_notes = TextField(null=True)
    cc = CharField(null=True)
    section = CharField(null=True)
    row = CharField(null=True)
    seat = CharField(null=True)
    digest = CharField()
    version = IntegerField(default=1)
    first_run = ForeignKeyField(SyncRun, null=True, backref="+", on_delete="SET NULL", index=False)
    # The run that last stored, changed or brought back the line. Unchanged lines are not stamped again (a re-sync
    # would rewrite 100,000 rows to say nothing new): a line not gone was listed by every later sync of its event.
    last_seen_run = ForeignKeyField(SyncRun, null=True, backref="+", on_delete="SET NULL", index=False)
    gone_at = DateTimeField(null=True)
    imported_at = DateTimeField(default=utcnow)
    # True from the transaction that stores or changes the line until matching has run over it (then NULL):
    # a sync killed in between leaves it set, and the next sync matches it (see bpt/pending.py).
    needs_match = BooleanField(null=True)


index_where_set(Purchase, Purchase.tracker, "purchase_tracker")


class WaitingSeats(BaseModel):
    """Seats BPT sold whose tickets are not issued yet, by performance and ticket type.

    A sync stores a new line, then matching names who holds its tickets. The
    tickets are issued then, once, to that holder (not to the box office's
    daemon and moved a moment later: a second write of every ticket and of its
    owner history). Meanwhile the seats wait here: the importer adds them in
    the transaction that stores the line, and the issue takes them off in the
    transaction that creates the tickets, so tickets plus waiting seats, which
    the door counts in one statement, never miss a BPT sale.
    """

    performance = ForeignKeyField(Performance, backref="+", on_delete="CASCADE", index=False)
    ticket_type = ForeignKeyField(TicketType, backref="+", on_delete="CASCADE", index=False)
    count = IntegerField(default=0)

    class Meta:
        indexes = ((("performance", "ticket_type"), True),)


class PurchaseVersion(BaseModel):
    """An earlier state of a purchase whose details changed at BPT: kept, never overwritten."""

    purchase = ForeignKeyField(Purchase, backref="versions", on_delete="CASCADE")
    version = IntegerField()
    purchaser = ForeignKeyField(Purchaser, backref="+", on_delete="RESTRICT")
    quantity = IntegerField()
    price = ForeignKeyField(BptPrice, backref="+", on_delete="RESTRICT")
    tracker = CharField(null=True)
    order_notes = TextField(null=True)
    digest = CharField()
    replaced_at = DateTimeField(default=utcnow)
    replaced_by_run = ForeignKeyField(SyncRun, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        indexes = ((("purchase", "version"), True),)


class SyncLock(BaseModel):
    """One row per lock name; a sync holds it so that two processes never import at once."""

    name = CharField(primary_key=True)
    holder = CharField(null=True)
    acquired_at = DateTimeField(null=True)
    heartbeat_at = DateTimeField(null=True)
