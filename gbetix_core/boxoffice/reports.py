"""Box-office reports as tables: shown as aligned text or written as CSV.

Each report is one or two aggregate queries. Revenue is read from items by
the date each item was written, so a refund given on Sunday for a ticket sold
on Friday lowers Sunday's takings, as the cash drawer saw it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from peewee import JOIN, Case, fn

from gbetix_core.boxoffice.catalog import get, label
from gbetix_core.boxoffice.clock import DEFAULT_TIME_ZONE, local_to_utc
from gbetix_core.boxoffice.door import door_list
from gbetix_core.boxoffice.orders import LIVE_KINDS
from gbetix_core.errors import InputError
from gbetix_core.models import (
    AccountCode,
    BptEvent,
    Item,
    Order,
    Performance,
    Purchase,
    Purchaser,
    PurchaseMatch,
    Show,
    TicketType,
)

FORMATS = ("text", "csv")


@dataclass(frozen=True)
class Report:
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows([_cell(v) for v in row] for row in self.rows)
        return out.getvalue()

    def to_text(self) -> str:
        cells = [list(self.columns)] + [[_cell(v) for v in row] for row in self.rows]
        widths = [max(len(row[i]) for row in cells) for i in range(len(self.columns))]
        numeric = [all(isinstance(row[i], (int, Decimal)) for row in self.rows) and bool(self.rows)
                   for i in range(len(self.columns))]
        lines = [self.title, ""]
        for n, row in enumerate(cells):
            lines.append("  ".join(c.rjust(w) if numeric[i] else c.ljust(w)
                                   for i, (c, w) in enumerate(zip(row, widths))).rstrip())
            if n == 0:
                lines.append("  ".join("-" * w for w in widths))
        if not self.rows:
            lines.append("(nothing to report)")
        return "\n".join(lines) + "\n"

    def render(self, fmt: str) -> str:
        if fmt not in FORMATS:
            raise InputError(f"Unknown format {fmt!r}: choose text or csv.")
        return self.to_csv() if fmt == "csv" else self.to_text()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def door_report(performance: Performance | int) -> Report:
    """The door list on paper: one row per party, with its counts and notes."""
    listing = door_list(performance)
    rows = [(p.name, p.email, len(p.tickets), p.checked_in, ", ".join(p.confirmations), "; ".join(p.notes))
            for p in listing.parties]
    c = listing.counts
    title = (f"Door list: {label(listing.performance)} - capacity {c.capacity}, sold {c.sold}, "
             f"checked in {c.checked_in}, to come {c.to_come}, walkups {c.walkups}")
    return Report(title, ("holder", "email", "tickets", "checked in", "confirmation", "notes"), rows)


def _promo_filter(promo: str | None):
    """Items sold with this promo code (any code ignores case and spaces), or every item."""
    return (Item.promo_code == promo.strip().upper()) if promo else True


def sales_report(promo: str | None = None) -> Report:
    """Tickets sold and their takings, per performance and ticket type (all sources), or those of one promo code."""
    query = (Item.select(Show.name, Performance.starts_at, TicketType.name, fn.COUNT(Item.id), fn.SUM(Item.amount))
             .join(Performance).join(Show).switch(Item).join(TicketType)
             .where((Item.kind == "ticket") & _promo_filter(promo))
             .group_by(Show.name, Performance.id, Performance.starts_at, TicketType.name)
             .order_by(Performance.starts_at, Show.name, TicketType.name).tuples())
    rows = [(show, starts, ttype, count, as_money(amount)) for show, starts, ttype, count, amount in query]
    passes = (Item.select(TicketType.name, fn.COUNT(Item.id), fn.SUM(Item.amount)).join(TicketType)
              .where((Item.kind == "ticket") & Item.performance.is_null() & Item.bundle.is_null()
                     & _promo_filter(promo))
              .group_by(TicketType.name).tuples())
    rows += [("(pass)", None, ttype, count, as_money(amount)) for ttype, count, amount in passes]
    title = "Sales by performance and ticket type" + (f" with promo code {promo.strip().upper()}" if promo else "")
    return Report(title, ("show", "performance", "ticket type", "sold", "amount"), rows)


def promo_report(promo: str | None = None) -> Report:
    """Tickets each promo code sold (still standing), per code and ticket type: what a campaign brought in."""
    query = (Item.select(Item.promo_code, TicketType.name, fn.COUNT(Item.id), fn.SUM(Item.amount))
             .join(TicketType)
             .where((Item.kind == "ticket") & Item.promo_code.is_null(False) & _promo_filter(promo))
             .group_by(Item.promo_code, TicketType.name)
             .order_by(Item.promo_code, TicketType.name).tuples())
    rows = [(code, ttype, count, as_money(amount)) for code, ttype, count, amount in query]
    return Report("Tickets sold with a promo code", ("promo code", "ticket type", "sold", "amount"), rows)


def revenue_report(start: dt.date, end: dt.date, time_zone: str = DEFAULT_TIME_ZONE) -> Report:
    """Money taken from ``start`` to ``end`` (festival-local dates, inclusive) by payment and account code."""
    if end < start:
        raise InputError(f"The report ends ({end}) before it starts ({start}).")
    since = local_to_utc(dt.datetime.combine(start, dt.time()), time_zone)
    until = local_to_utc(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()), time_zone)
    refunds = fn.SUM(Case(None, [(Item.kind == "refunded", Item.amount)], 0))
    query = (Item.select(Order.payment_method, AccountCode.code, fn.SUM(Item.amount) - refunds, refunds,
                         fn.SUM(Item.amount))
             .join(Order).switch(Item).join(AccountCode, JOIN.LEFT_OUTER)
             .where((Item.created_at >= since) & (Item.created_at < until) & Item.bundle.is_null())
             .group_by(Order.payment_method, AccountCode.code)
             .order_by(Order.payment_method, AccountCode.code).tuples())
    rows = [(method, code or "(none)", as_money(gross), as_money(back), as_money(net)) for method, code, gross, back, net in query]
    return Report(f"Revenue {start} to {end} by payment method and account code",
                  ("payment", "account code", "sales", "refunds", "net"), rows)


def walkup_report() -> Report:
    """Door sales per performance and payment method."""
    query = (Order.select(Show.name, Performance.starts_at, Order.payment_method, fn.COUNT(fn.DISTINCT(Order.id)),
                          fn.SUM(Case(None, [(Item.kind == "ticket", 1)], 0)), fn.SUM(Item.amount))
             .join(Item).join(Performance, JOIN.LEFT_OUTER).join(Show, JOIN.LEFT_OUTER)
             .where((Order.source == "walkup") & (Item.kind.in_(("ticket", "retail", "donation", "refunded",
                                                                 "canceled"))))
             .group_by(Show.name, Performance.id, Performance.starts_at, Order.payment_method)
             .order_by(Performance.starts_at, Order.payment_method).tuples())
    rows = [(show or "(passes and items)", starts, method, orders, int(tickets or 0), as_money(amount))
            for show, starts, method, orders, tickets, amount in query]
    return Report("Walkup sales", ("show", "performance", "payment", "orders", "tickets", "amount"), rows)


def unmatched_report() -> Report:
    """BPT purchases not linked to a festival user: never matched, or waiting on a person."""
    query = (Purchase.select(Purchase.ticket_number, Purchaser.first_name, Purchaser.last_name, Purchaser.email,
                             Purchase.quantity, BptEvent.title, Purchase.order_time, PurchaseMatch.status)
             .join(Purchaser).switch(Purchase).join(BptEvent)
             .switch(Purchase).join(PurchaseMatch, JOIN.LEFT_OUTER)
             .where(PurchaseMatch.id.is_null() | (PurchaseMatch.status != "linked"))
             .order_by(Purchase.order_time, Purchase.ticket_number).tuples())
    rows = [(number, f"{first or ''} {last or ''}".strip(), email, qty, title, when, status or "not matched yet")
            for number, first, last, email, qty, title, when, status in query]
    return Report("BPT purchases not linked to a user",
                  ("confirmation", "buyer", "email", "tickets", "event", "ordered", "status"), rows)


def gone_report() -> Report:
    """BPT lines that BPT no longer lists (refunded or cancelled there) and how many of their tickets still stand."""
    standing = fn.SUM(Case(None, [(Item.kind.in_(LIVE_KINDS), 1)], 0))
    query = (Purchase.select(Purchase.ticket_number, Purchaser.first_name, Purchaser.last_name, Purchaser.email,
                             BptEvent.title, Purchase.quantity, standing, Purchase.gone_at)
             .join(Purchaser).switch(Purchase).join(BptEvent)
             .switch(Purchase).join(Item, JOIN.LEFT_OUTER, on=(Item.purchase == Purchase.id) & Item.bundle.is_null())
             .where(Purchase.gone_at.is_null(False))
             .group_by(Purchase.id, Purchase.ticket_number, Purchaser.first_name, Purchaser.last_name, Purchaser.email,
                       BptEvent.title, Purchase.quantity, Purchase.gone_at)
             .order_by(Purchase.gone_at, Purchase.ticket_number).tuples())
    rows = [(number, f"{first or ''} {last or ''}".strip(), email, title, qty, int(left or 0), gone)
            for number, first, last, email, title, qty, left, gone in query]
    return Report("BPT lines BPT no longer lists (cancel what still stands: gbetix cancel CONFIRMATION)",
                  ("confirmation", "buyer", "email", "event", "bought", "still standing", "gone since (UTC)"), rows)


def as_money(value: Any) -> Decimal:
    """A sum from the database as two-decimal money (SQLite hands back floats or integers)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


REPORTS: dict[str, Callable[..., Report]] = {
    "door": door_report,
    "sales": sales_report,
    "revenue": revenue_report,
    "walkup": walkup_report,
    "promo": promo_report,
    "unmatched": unmatched_report,
    "gone": gone_report,
}


def run_report(name: str, *, performance: int | None = None, start: dt.date | None = None,
               end: dt.date | None = None, time_zone: str = DEFAULT_TIME_ZONE, promo: str | None = None) -> Report:
    """Build a report by name with the parameters it takes (the CLI and the TUI call this)."""
    if name not in REPORTS:
        raise InputError(f"Unknown report {name!r}: choose one of {', '.join(REPORTS)}.")
    if name == "door":
        if performance is None:
            raise InputError("The door report needs a performance.")
        return door_report(get(Performance, performance, "performance"))
    if name == "revenue":
        if start is None or end is None:
            raise InputError("The revenue report needs a date range: --from and --to.")
        return revenue_report(start, end, time_zone)
    if name in ("sales", "promo"):
        return REPORTS[name](promo)
    if promo:
        raise InputError(f"The {name} report does not filter by promo code; the sales and promo reports do.")
    return REPORTS[name]()
