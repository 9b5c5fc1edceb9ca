"""One BPT event imported in short transactions: catalog upserts, then its order lines in batches, idempotently.

BPT has no "since" filter, so every sync reads every line again; the cost of
a line already held must be a hash and a dict lookup. Existing lines'
fingerprints are read once per event, a line whose bytes match one is skipped
without being parsed or queried (:mod:`orderlines`), new lines go in with
multi-row INSERTs in batches, and only the few lines that
changed are handled one by one: the old state is kept as a PurchaseVersion
and the tickets are resized or retargeted, never deleted. Lines missing from
BPT's answer are flagged ``gone_at``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, NamedTuple
from zoneinfo import ZoneInfo

from gbetix_core.boxoffice.availability import inventories
from gbetix_core.boxoffice.catalog import label
from gbetix_core.boxoffice.sales import lock_performances
from gbetix_core.boxoffice.tickets import TicketLine, issue_ticket_lines
from gbetix_core.bpt import adjust, catalog, orderlines, unissued
from gbetix_core.collector import collector_paused
from gbetix_core.db import (
    commit_without_waiting, database, ids_by, ids_in, insert_returning, refresh_statistics, write,
)
from gbetix_core.models import (
    BptDate,
    BptEvent,
    BptPrice,
    BundleComponent,
    Item,
    Order,
    Purchase,
    Purchaser,
    PurchaseVersion,
    TicketType,
)
from gbetix_core.models.base import utcnow
from gbetix_core.people.accounts import special_account
from gbetix_core.validation import MAX_QUANTITY, record_problem, shown
from gbetix_core.write_behind import StoreAtOnce, WriteBehind, batches

PARSE_BATCH = 1000
# New lines per write transaction, resized after each batch so that one holds the write lock about LOCK_TARGET
# seconds: a sale in another terminal waits at most one batch, and a fast machine writes fewer, larger batches
# (every commit rewrites the index pages it touched, so tiny batches cost the sync dearly).
FIRST_WRITE_BATCH, MIN_WRITE_BATCH, MAX_WRITE_BATCH = 300, 50, 5000
LOCK_TARGET = 0.08
# Batches of new lines stored at once on PostgreSQL (see write_behind.py): the server works on both cores while
# this process parses. Each batch has lines of its own; buyers they share are inserted in one order (_buyers).
WRITERS = 2
CHANGE_BATCH = 200  # changed lines held before they are stored, a transaction of LOCK_TARGET seconds at a time
# Lines flagged gone per statement: each one a short write transaction of its own (5,000 rows updated by id hold
# SQLite's lock about 20 ms).
STAMP_BATCH = 5000
BUYER_FIELDS = ("fname", "lname", "email", "phone", "address", "city", "state", "zip", "country")
NAME_FIELDS = tuple(name for name in BUYER_FIELDS if name != "phone")
SPACES = re.compile(r"\s+")
NON_DIGITS = re.compile(r"\D+")
PURCHASER_COLUMNS = ("first_name", "last_name", "email", "phone", "address", "city", "state", "zip", "country")
VENDOR_FIELDS = ("tracker_id", "shipping_method", "order_notes", "cc", "section", "row", "seat")
VENDOR_COLUMNS = ("tracker", "shipping_method", "order_notes", "cc", "section", "row", "seat")
ORDER_COLUMNS = ("source", "external_ref", "customer", "purchaser", "payment_method", "payment_ref", "total",
                 "created_at")
PURCHASE_COLUMNS = ("ticket_number", "event", "date", "price", "purchaser", "quantity", "order_time",
                    *VENDOR_COLUMNS, "digest", "version", "first_run", "last_seen_run", "imported_at", "needs_match")
UTC = dt.timezone.utc


@dataclass
class EventResult:
    """What one event's import did; ``purchase_ids`` are the new or changed purchases."""

    event_id: str
    new: int = 0
    unchanged: int = 0
    changed: int = 0
    skipped: int = 0
    gone: int = 0
    warnings: list[str] = field(default_factory=list)
    purchase_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class EventFeed:
    """Everything fetched from BPT for one event, ready to import.

    ``None`` in place of the event's record, its dates or a date's prices
    means BPT's answer failed or came back empty and the catalog held from
    the last good sync stands for it.
    """

    event: dict | None
    event_id: str
    dates: list[tuple[dict, list[dict] | None]] | None
    orders: IO[bytes]


class PriceInfo(NamedTuple):
    id: int
    date_pk: int
    value: Decimal
    ticket_type_id: int | None
    performance_id: int | None
    name: str


def import_event(data: EventFeed, run_id: int | None, zone: ZoneInfo, issue_later: bool = False) -> EventResult:
    """Import one event: its catalog in one transaction, then its order lines in short ones.

    New lines' tickets go to the box office's daemon, or with ``issue_later``
    (a sync that matches what it imports) wait, their seats counted, for
    matching to issue them to their holder (:mod:`unissued`).

    The whole orderlist is checked first (a cut-off or malformed answer
    imports nothing). Each batch of lines then commits on its own, holding
    the write lock for a moment, so a walkup sale or a check-in in another
    terminal never waits for a whole event. A failure mid-way leaves every
    committed batch whole; the next sync finds those lines held and imports
    the rest.
    """
    orderlines.check_whole(data.orders)
    with write():
        event = (catalog.upsert_event(data.event) if data.event is not None
                 else BptEvent.get(BptEvent.event_id == data.event_id))
        result = EventResult(event.event_id)
        for date_record, price_records in data.dates or []:
            date, warnings = catalog.upsert_date(event, date_record)
            result.warnings += warnings
            for price_record in price_records or []:
                result.warnings += catalog.upsert_price(event, date, price_record)[1]
    performances = _performances_of(event)
    with collector_paused():
        OrderImport(event, run_id, zone, result, performances, issue_later).run(data.orders)
    issued = () if issue_later else (Item,)  # waiting tickets are written, and counted, by matching
    # Before matching reads them back; aside, while it loads its index and learns its weights.
    refresh_statistics(result.new, Purchase, Purchaser, Order, *issued, aside=True)
    result.warnings += _overbooked(performances)
    return result


def _performances_of(event: BptEvent) -> set[int]:
    """Every performance this event's tickets take seats at: its dates' and its passes' components."""
    dates = BptDate.select(BptDate.performance).where((BptDate.event == event.id) & BptDate.performance.is_null(False))
    bundles = BptPrice.select(BptPrice.ticket_type).where(BptPrice.event == event.id)
    components = BundleComponent.select(BundleComponent.performance).where(
        BundleComponent.bundle.in_(bundles) & BundleComponent.performance.is_null(False))
    return {row[0] for query in (dates, components) for row in query.tuples()}


def _overbooked(performances: set[int]) -> list[str]:
    """BPT sells elsewhere, so its tickets are never refused; a box-office manager must hear of an overbooking."""
    warnings = []
    for inv in inventories(performances).values():
        perf = inv.performance
        limit, what = ((perf.house_capacity, "house capacity") if inv.sold > perf.house_capacity
                       else (perf.max_advance_sales, "advance-sales limit"))
        if inv.sold > limit:
            warnings.append(f"{label(perf)}: {inv.sold} tickets sold with BPT's, over its {what} of {limit}")
    return warnings


def purchaser_identity(line: dict) -> str:
    """Digest of the normalised buyer fields: the same buyer typed differently is one identity.

    Case and runs of spaces are ignored, and a phone number is only its digits.
    """
    text = "\0".join([value or "" for value in map(line.get, NAME_FIELDS)])
    text = SPACES.sub(" ", text.casefold()).replace(" \0", "\0").replace("\0 ", "\0").strip()
    phone = NON_DIGITS.sub("", line.get("phone") or "")
    return hashlib.blake2b(f"{text}\0{phone}".encode(), digest_size=20).hexdigest()


def order_time_utc(text: str | None, zone: ZoneInfo) -> dt.datetime | None:
    """BPT's wall-clock order time (in ``[bpt] order_time_zone``) as naive UTC."""
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None


class OrderImport:
    """The order lines of one event, written in short transactions of their own (see :func:`import_event`)."""

    def __init__(self, event: BptEvent, run_id: int | None, zone: ZoneInfo, result: EventResult,
                 performances: set[int], issue_later: bool = False):
        self.event, self.run_id, self.zone, self.result = event, run_id, zone, result
        self.performances, self.issue_later = performances, issue_later
        self.daemon = special_account("daemon")
        self.now = utcnow()
        self.existing = {tn: (pk, digest, gone is not None) for tn, pk, digest, gone in database.execute(
            Purchase.select(Purchase.ticket_number, Purchase.id, Purchase.digest, Purchase.gone_at)
            .where(Purchase.event == event.id))}
        self.prices = self._prices()
        self.bundles = {row[0] for row in TicketType.select(TicketType.id).where(TicketType.category == "bundle")
                        .tuples()}
        self.purchasers: dict[str, int] = {}
        self.seen: set[str] = set()
        self.pending: list[tuple[dict, str, PriceInfo, str]] = []
        self.changes: list[tuple[int, dict, str, PriceInfo, int]] = []
        self.write_batch = FIRST_WRITE_BATCH
        self.store: WriteBehind | StoreAtOnce = StoreAtOnce()

    def _prices(self) -> dict[tuple[str, str], PriceInfo]:
        rows = (BptPrice.select(BptDate.date_id, BptPrice.price_id, BptPrice.id, BptDate.id, BptPrice.value,
                                BptPrice.ticket_type, BptDate.performance, BptPrice.name)
                .join(BptDate).where(BptPrice.event == self.event.id).tuples())
        return {(date_id, price_id): PriceInfo(pk, date_pk, value, tt, perf, name or price_id)
                for date_id, price_id, pk, date_pk, value, tt, perf, name in rows}

    def run(self, orders: IO[bytes]) -> None:
        """Lines whose bytes match a held line's fingerprint are unchanged and never parsed."""
        known = {digest: number for number, (_, digest, gone) in self.existing.items() if not gone}
        with batches(writers=WRITERS) as self.store:
            for held, parsed in orderlines.classify(orders, known, PARSE_BATCH):
                for number in held:
                    if number in self.seen:
                        self._skip(f"ticket {number} appears twice in BPT's answer; the repeat was skipped")
                    else:
                        self.seen.add(number)
                        self.result.unchanged += 1
                for record, digest in parsed:
                    self._line(record, digest)
            self._flush()
            self._flush_changes()
        for stored in self.store.results:
            self.result.new += len(stored)
            self.result.purchase_ids += stored
        self._flag_gone()

    def _line(self, line: dict, digest: str) -> None:
        number = line.get("ticket_number")
        if not number:
            self._skip("an order line without a ticket number was skipped")
            return
        problem = record_problem(line)
        if problem:
            self._skip(f"ticket {shown(number)}: {problem}; line skipped")
            return
        if number in self.seen:
            self._skip(f"ticket {number} appears twice in BPT's answer; the repeat was skipped")
            return
        self.seen.add(number)
        held = self.existing.get(number)
        if held is not None and held[1] == digest and not held[2]:
            self.result.unchanged += 1
            return
        price = self._price_of(line)
        quantity = _quantity(line.get("quantity"))
        if price is None or quantity is None:
            if price is not None:
                self._skip(_bad_quantity(number, line.get("quantity")))
            return
        if held is None:
            self.pending.append((line, digest, price, purchaser_identity(line)))
            if len(self.pending) >= self.write_batch:
                self._flush()
        else:
            self.changes.append((held[0], line, digest, price, quantity))
            if len(self.changes) >= CHANGE_BATCH:
                self._flush_changes()

    def _price_of(self, line: dict) -> PriceInfo | None:
        number = line["ticket_number"]
        price = self.prices.get((line.get("date_id"), line.get("price_id")))
        if price is None:
            self._skip(f"ticket {number}: price {line.get('price_id')} of date {line.get('date_id')} is not in "
                       f"BPT's price list for event {self.event.event_id}; line skipped")
        elif price.ticket_type_id is None:
            self._skip(f"ticket {number}: BPT price '{price.name}' is not mapped to a ticket type; "
                       "map it and sync again")
            return None
        elif price.performance_id is None and price.ticket_type_id not in self.bundles:
            self._skip(f"ticket {number}: BPT date {line.get('date_id')} is not mapped to a performance; "
                       "map it and sync again")
            return None
        elif price.value is None:
            self._skip(f"ticket {number}: BPT price '{price.name}' has no amount that can be read; line skipped "
                       "until BPT's price list gives one")
            return None
        return price

    def _order_time(self, line: dict) -> dt.datetime | None:
        """The line's order time in UTC; one BPT wrote that cannot be read is reported and left empty."""
        text = line.get("order_time")
        at = order_time_utc(text, self.zone)
        if text and at is None:
            self.result.warnings.append(f"ticket {line['ticket_number']}: order time {text!r} is not a date and "
                                        "time; stored without one")
        return at

    def _skip(self, warning: str) -> None:
        self.result.skipped += 1
        self.result.warnings.append(warning)

    def _flush(self) -> None:
        """Hand the pending new lines over to be stored (see :meth:`_write`); parsing goes on meanwhile."""
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        self.store.submit(self._write, batch, [self._order_time(line) for line, *_ in batch])

    def _write(self, batch: list[tuple[dict, str, PriceInfo, str]], times: list[dt.datetime | None]) -> list[int]:
        """Insert new lines in one transaction: purchasers, orders, purchases, then their tickets (or seats).
        Returns the new purchases' ids.

        Its commit does not wait for the disk (:func:`commit_without_waiting`): BPT keeps every line and each
        sync reads them all again, so lines a server crash lost are simply new to the next sync.
        """
        started = time.perf_counter()
        with write():
            commit_without_waiting()
            buyers = self._buyers([(identity, line) for line, _, _, identity in batch])
            stored = self._insert(batch, times, buyers)
        self.purchasers.update(buyers)  # committed: another batch's purchases may refer to them now
        held = max(time.perf_counter() - started, 0.001)
        self.write_batch = max(MIN_WRITE_BATCH, min(MAX_WRITE_BATCH, int(len(batch) * LOCK_TARGET / held)))
        return stored

    def _flush_changes(self) -> None:
        """Store the pending changed lines, as many to a transaction as fit in about LOCK_TARGET seconds.

        Each changed line costs a few queries (its old state kept, its tickets
        resized or retargeted); one transaction per line made a re-sync of
        20,000 changed lines commit 20,000 times. The new lines handed over
        before are stored first: a changed line may share their buyer.
        """
        self.store.drain()
        while self.changes:
            deadline = time.perf_counter() + LOCK_TARGET
            with write():
                lock_performances(self.performances)
                while self.changes and time.perf_counter() < deadline:
                    self._change(*self.changes.pop(0))

    def _insert(self, batch: list[tuple[dict, str, PriceInfo, str]], times: list[dt.datetime | None],
                purchaser_ids: dict[str, int]) -> list[int]:
        daemon = self.daemon.id
        order_ids = dict(insert_returning(Order, ORDER_COLUMNS, [
            ("bpt", line["ticket_number"], daemon, daemon, "bpt", line.get("cc"),
             price.value * int(line["quantity"]), at or self.now)
            for (line, _, price, _), at in zip(batch, times)], ("external_ref", "id")))
        purchase_ids = dict(insert_returning(Purchase, PURCHASE_COLUMNS, [
            (line["ticket_number"], self.event.id, price.date_pk, price.id,
             purchaser_ids[identity], int(line["quantity"]), at, *_vendor_values(line),
             digest, 1, self.run_id, self.run_id, self.now, True)
            for (line, digest, price, identity), at in zip(batch, times)], ("ticket_number", "id")))
        lines = [TicketLine(order_ids[line["ticket_number"]], price.ticket_type_id, price.performance_id,
                            int(line["quantity"]), price.value, purchase_ids[line["ticket_number"]], daemon)
                 for line, _, price, _ in batch]
        lock_performances(self.performances)  # last: the door waits only for the seats to be counted and committed
        if self.issue_later:
            unissued.hold(lines)
        else:
            issue_ticket_lines(lines)
        return list(purchase_ids.values())

    def _buyers(self, buyers: list[tuple[str, dict]]) -> dict[str, int]:
        """Ids of ``(identity, line)`` buyers by identity: those known from committed batches, the new ones created
        in one statement that skips those held already (most buyers of a first sync are new), then those looked
        up. Until this transaction commits, only it may refer to the ones it created: another batch stored at
        once would not see them."""
        found = {}
        wanted = {}
        for identity, line in buyers:
            if identity in self.purchasers:
                found[identity] = self.purchasers[identity]
            else:
                wanted.setdefault(identity, line)
        if wanted:
            # In identity order: two batches stored at once that bring the same new buyer reach their common
            # buyers in the same order, so one waits for the other and never both for each other.
            new = dict(insert_returning(Purchaser, ("identity", "created_at", *PURCHASER_COLUMNS), [
                (identity, self.now, *(line.get(name) for name in BUYER_FIELDS))
                for identity, line in sorted(wanted.items())], ("identity", "id"), skip_existing="identity"))
            found.update(new)
            held = [identity for identity in wanted if identity not in new]
            if held:
                found.update(ids_by(Purchaser, "identity", held))
        return found

    def _purchaser_id(self, line: dict) -> int:
        """A changed line's buyer, in the transaction storing the change (no batch is being stored beside it)."""
        identity = purchaser_identity(line)
        self.purchasers.update(self._buyers([(identity, line)]))
        return self.purchasers[identity]

    def _change(self, purchase_id: int, line: dict, digest: str, price: PriceInfo, quantity: int) -> None:
        """A line held already whose details changed (or that came back): keep the old state, then update.

        Tickets still waiting to be issued are issued first, as the line said before, so that the update below
        resizes or retargets them like any others.
        """
        unissued.issue({purchase_id: None})
        purchase = Purchase.get_by_id(purchase_id)
        if purchase.digest != digest and self._same_content(purchase, line, price, quantity):
            Purchase.update(digest=digest).where(Purchase.id == purchase_id).execute()
            self.result.unchanged += 1
            return
        if purchase.digest != digest:
            PurchaseVersion.create(purchase=purchase, version=purchase.version, purchaser=purchase.purchaser_id,
                                   quantity=purchase.quantity, price=purchase.price_id, tracker=purchase.tracker,
                                   order_notes=purchase.order_notes, digest=purchase.digest,
                                   replaced_at=self.now, replaced_by_run=self.run_id)
            row = dict(zip(VENDOR_COLUMNS, _vendor_values(line)))
            row.update(date=price.date_pk, price=price.id,
                       purchaser=self._purchaser_id(line), quantity=quantity,
                       order_time=self._order_time(line), digest=digest,
                       version=purchase.version + 1, gone_at=None, last_seen_run=self.run_id, needs_match=True)
            Purchase.update(row).where(Purchase.id == purchase_id).execute()
            self._retickets(Purchase.get_by_id(purchase_id), price, quantity)
        else:
            self.result.warnings.append(f"ticket {purchase.ticket_number} is back in BPT's list")
            Purchase.update(gone_at=None, last_seen_run=self.run_id, needs_match=True).where(
                Purchase.id == purchase_id).execute()
        self.result.changed += 1
        self.result.purchase_ids.append(purchase_id)

    def _same_content(self, purchase: Purchase, line: dict, price: PriceInfo, quantity: int) -> bool:
        """True when only the line's bytes changed (BPT's layout), not anything it says."""
        held = (purchase.price_id, purchase.quantity, purchase.order_time,
                *(getattr(purchase, column) for column in VENDOR_COLUMNS), purchase.purchaser.identity)
        now = (price.id, quantity, order_time_utc(line.get("order_time"), self.zone), *_vendor_values(line),
               purchaser_identity(line))
        return purchase.gone_at is None and held == now

    def _retickets(self, purchase: Purchase, price: PriceInfo, quantity: int) -> None:
        ticket_type = TicketType.get_by_id(price.ticket_type_id)
        performance = BptDate.get_by_id(price.date_pk).performance
        adjust.retarget(purchase, ticket_type, performance, price.value)
        adjust.resize(purchase, quantity, ticket_type, performance, price.value, self.daemon)
        Order.update(total=price.value * quantity).where(Order.external_ref == purchase.ticket_number).execute()

    def _flag_gone(self) -> None:
        gone = [pk for number, (pk, _, was_gone) in self.existing.items()
                if not was_gone and number not in self.seen]
        for start in range(0, len(gone), STAMP_BATCH):
            with write():
                Purchase.update(gone_at=self.now).where(ids_in(Purchase.id, gone[start:start + STAMP_BATCH])).execute()
        self.result.gone += len(gone)


def _quantity(text: str | None) -> int | None:
    """A line's quantity, when it is a whole number a real order could hold."""
    if not text or not text.strip().isdigit() or len(text.strip()) > len(str(MAX_QUANTITY)):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_QUANTITY else None


def _bad_quantity(number: str, text: str | None) -> str:
    if not text:
        return f"ticket {number} has no quantity; line skipped"
    shown = text if len(text) <= 12 else text[:12] + "..."
    return f"ticket {number}: quantity {shown!r} is not a whole number from 1 to {MAX_QUANTITY:,}; line skipped"


def _vendor_values(line: dict) -> tuple:
    return tuple(line.get(name) for name in VENDOR_FIELDS)
