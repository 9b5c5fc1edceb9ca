"""How the festival stands at a glance: what the main menu shows before anything is opened.

Three cheap queries (purchase match counts, the next performance, the last
sync), so the first screen appears at once even on a large database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from gbetix_core.models import Performance, Purchase, PurchaseMatch, Show, SyncRun


DOOR_GRACE = dt.timedelta(minutes=45)


def next_performance(now: dt.datetime) -> Performance | None:
    """The performance the door is working on: the first whose curtain is at most DOOR_GRACE ago.

    A show that went up twenty minutes ago still has latecomers at the door,
    so it stays "next" until the grace has passed. ``now`` is festival-local.
    """
    return (Performance.select(Performance, Show).join(Show)
            .where(Performance.starts_at >= now - DOOR_GRACE)
            .order_by(Performance.starts_at, Performance.id).first())


@dataclass(frozen=True)
class Overview:
    purchases: int
    linked: int
    not_festival: int
    next_show: str | None
    next_starts_at: dt.datetime | None
    last_sync: SyncRun | None

    @property
    def to_review(self) -> int:
        """Purchases nobody is linked to yet (no match row counts as unmatched)."""
        return self.purchases - self.linked - self.not_festival


def overview(now: dt.datetime) -> Overview:
    """The figures of the main menu; ``now`` is festival-local wall time."""
    counts = dict(
        PurchaseMatch.select(PurchaseMatch.status, fn.COUNT(PurchaseMatch.id))
        .where(PurchaseMatch.status.in_(("linked", "not_festival")))
        .group_by(PurchaseMatch.status)
        .tuples()
    )
    upcoming = next_performance(now)
    return Overview(
        purchases=Purchase.select().count(),
        linked=counts.get("linked", 0),
        not_festival=counts.get("not_festival", 0),
        next_show=upcoming.show.name if upcoming else None,
        next_starts_at=upcoming.starts_at if upcoming else None,
        last_sync=SyncRun.select().order_by(SyncRun.id.desc()).first(),
    )
