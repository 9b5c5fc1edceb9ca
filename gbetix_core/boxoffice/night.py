"""A picture of the night: how full each coming performance is and how tickets have been selling.

The manager's dashboard draws these as bars and a sparkline; two grouped
queries (seats by performance and source, tickets by day) keep it cheap
enough to refresh every few seconds while the doors are open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, Case, fn

from gbetix_core.boxoffice.catalog import label
from gbetix_core.boxoffice.door import ActiveCheckIn
from gbetix_core.models import Item, Order, Performance, Show, TicketType
from gbetix_core.overview import DOOR_GRACE


@dataclass(frozen=True)
class House:
    """One performance's seats: sold through BPT, at the door, by the box office; admitted; left."""

    performance_id: int
    title: str
    capacity: int
    bpt: int
    door: int
    boxoffice: int
    checked_in: int

    @property
    def sold(self) -> int:
        return self.bpt + self.door + self.boxoffice

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.sold, 0)


def coming_houses(now: dt.datetime, limit: int = 6) -> list[House]:
    """The next ``limit`` performances (one still at its doors counts), with their seats by source."""
    performances = list(Performance.select(Performance, Show).join(Show)
                        .where(Performance.starts_at >= now - DOOR_GRACE)
                        .order_by(Performance.starts_at, Performance.id).limit(limit))
    counts = _seats([p.id for p in performances])
    houses = []
    for perf in performances:
        bpt, door, boxoffice, admitted = counts.get(perf.id, (0, 0, 0, 0))
        houses.append(House(perf.id, label(perf), perf.house_capacity, bpt, door, boxoffice, admitted))
    return houses


def _seats(performance_ids: list[int]) -> dict[int, tuple[int, int, int, int]]:
    """Per performance: tickets from BPT, the door and the box office, and how many are checked in."""
    if not performance_ids:
        return {}

    def of(source: str):
        return fn.SUM(Case(None, [(Order.source == source, 1)], 0))

    rows = (Item.select(Item.performance, of("bpt"), of("walkup"), of("boxoffice"), fn.COUNT(ActiveCheckIn.id))
            .join(TicketType).switch(Item).join(Order)
            .switch(Item).join(ActiveCheckIn, JOIN.LEFT_OUTER,
                               on=(ActiveCheckIn.item == Item.id) & ActiveCheckIn.undone_at.is_null())
            .where(Item.performance.in_(performance_ids) & (Item.kind == "ticket")
                   & (TicketType.category != "nonticket") & Item.canceled_at.is_null())
            .group_by(Item.performance).tuples())
    return {pid: (int(bpt or 0), int(door or 0), int(box or 0), int(admitted or 0))
            for pid, bpt, door, box, admitted in rows}


def tickets_by_day(today: dt.date, days: int = 21) -> list[int]:
    """Tickets sold on each of the ``days`` days up to ``today`` (oldest first), every source together."""
    first = today - dt.timedelta(days=days - 1)
    day = fn.DATE(Item.created_at)
    rows = (Item.select(day, fn.COUNT(Item.id)).join(TicketType)
            .where((Item.kind == "ticket") & (TicketType.category != "nonticket")
                   & (Item.created_at >= dt.datetime.combine(first, dt.time())) & Item.canceled_at.is_null())
            .group_by(day).tuples())
    counts = [0] * days
    for when, count in rows:
        index = (dt.date.fromisoformat(str(when)[:10]) - first).days
        if 0 <= index < days:
            counts[index] += count
    return counts
