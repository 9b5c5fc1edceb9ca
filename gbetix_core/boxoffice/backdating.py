"""The sale's clock: a sale is stamped with the time it was made, which may be earlier than now.

A paper sale taken during the show and entered the next morning belongs to
last night's takings. gbetix lets a manager date it so, with a reason that
goes to the audit log; anyone else is refused. A few minutes of difference
(a slow terminal, a sale confirmed after a pause) is not back-dating.
"""

from __future__ import annotations

import datetime as dt

from gbetix_core import audit
from gbetix_core.boxoffice import clock
from gbetix_core.errors import InputError
from gbetix_core.models import Order, Staff
from gbetix_core.permissions import require

GRACE = dt.timedelta(minutes=15)


def backdating_reason(staff: Staff, now: dt.datetime, time_zone: str, reason: str | None) -> str | None:
    """None for a sale made now; for an earlier date, the reason once the staff may back-date."""
    if now >= clock.wall_clock(time_zone) - GRACE:
        return None
    require(staff, "backdate")
    reason = (reason or "").strip()
    if not reason:
        raise InputError(f"This sale is dated {clock.describe(now)}, before now: back-dating it needs a reason "
                         "(it goes to the audit log with your name).")
    return reason


def record_backdating(staff: Staff, order: Order, now: dt.datetime, reason: str, time_zone: str) -> None:
    """Audit a back-dated sale: when it says it happened, when it was entered (both festival time), and why."""
    audit.record("sale.backdate", staff=staff, subject=f"order:{order.id}", reason=reason,
                 after={"dated": now, "entered": clock.wall_clock(time_zone)})
