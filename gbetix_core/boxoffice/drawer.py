"""Tonight's takings per payment method and per operator, and the cash drawer counted at closing.

Takings are read from items by the day they were written (the sale's own
clock), as the revenue report reads them. A refund leaves the drawer of the
operator who gave it, so it counts against them, not against the seller. At
closing the operator's cash is counted; the count, what the sales say, and
the difference are kept (as pretix's and Audience1st's cash reconciliations
do), so a short drawer is on record rather than corrected away.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN, Case, fn

from gbetix_core import audit
from gbetix_core.boxoffice.catalog import get, money
from gbetix_core.boxoffice.clock import DEFAULT_TIME_ZONE, local_to_utc
from gbetix_core.boxoffice.reports import as_money
from gbetix_core.db import write
from gbetix_core.models import DrawerCount, Item, Order, Staff
from gbetix_core.models.base import ZERO
from gbetix_core.permissions import require

Original = Item.alias("original")
Operator = Staff.alias("operator")


@dataclass(frozen=True)
class Taking:
    operator: str
    payment: str
    sales: Decimal
    refunds: Decimal

    @property
    def net(self) -> Decimal:
        return self.sales + self.refunds


def takings(day: dt.date, time_zone: str = DEFAULT_TIME_ZONE) -> list[Taking]:
    """Money taken on a festival-local day, per operator and payment method (BPT sales have no drawer)."""
    since = local_to_utc(dt.datetime.combine(day, dt.time()), time_zone)
    until = local_to_utc(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()), time_zone)
    who = fn.COALESCE(Original.canceled_by, Order.processed_by)
    refund = Case(None, [(Item.kind == "refunded", Item.amount)], 0)
    query = (Item.select(Operator.name, Order.payment_method, fn.SUM(Item.amount) - fn.SUM(refund), fn.SUM(refund))
             .join(Order).switch(Item).join(Original, JOIN.LEFT_OUTER, on=(Item.refund_of == Original.id))
             .join(Operator, on=(Operator.id == who))
             .where((Item.created_at >= since) & (Item.created_at < until) & Item.bundle.is_null()
                    & (Order.payment_method != "bpt"))
             .group_by(Operator.name, Order.payment_method).order_by(Operator.name, Order.payment_method).tuples())
    return [Taking(name, method, as_money(sales), as_money(refunds)) for name, method, sales, refunds in query]


def expected_cash(operator: Staff, day: dt.date, time_zone: str = DEFAULT_TIME_ZONE) -> Decimal:
    """What the operator's cash drawer should hold from the day's sales and refunds (the float aside)."""
    return sum((t.net for t in takings(day, time_zone) if t.operator == operator.name and t.payment == "cash"), ZERO)


def close_drawer(staff: Staff, operator: Staff | int, day: dt.date, counted, *, note: str | None = None,
                 time_zone: str = DEFAULT_TIME_ZONE) -> DrawerCount:
    """Record the closing count of an operator's cash: counted, expected and the difference (counted - expected).

    Operators count their own drawer; counting someone else's needs a manager.
    """
    require(staff, "count_drawer")
    operator = get(Staff, operator, "operator")
    if operator.id != staff.id:
        require(staff, "refund")
    amount = money(counted, "amount counted")
    with write():
        expected = expected_cash(operator, day, time_zone)
        count = DrawerCount.create(operator=operator, business_date=day, expected=expected, counted=amount,
                                   difference=amount - expected, counted_by=staff, note=(note or "").strip() or None)
        audit.record("drawer.count", staff=staff, subject=f"drawer:{operator.name}:{day}", reason=count.note,
                     after={"expected": expected, "counted": amount, "difference": amount - expected})
    return count


def drawer_counts(day: dt.date) -> list[DrawerCount]:
    """The counts recorded for a day, in the order they were made."""
    return list(DrawerCount.select(DrawerCount, Operator).join(Operator, on=(DrawerCount.operator == Operator.id))
                .where(DrawerCount.business_date == day).order_by(DrawerCount.id))
