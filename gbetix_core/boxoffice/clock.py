"""Festival-local wall time: performances and sales windows are kept as the venue's clock reads.

Stored instants (created_at, check-in times) are naive UTC; curtain times and
offer windows are naive local time in ``[boxoffice] time_zone``. These helpers
are the only place the two meet.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from gbetix_core.config import BoxOfficeConfig

DEFAULT_TIME_ZONE = BoxOfficeConfig.time_zone


def festival_now(time_zone: str = DEFAULT_TIME_ZONE) -> dt.datetime:
    """The festival's wall-clock time now, naive, comparable with ``Performance.starts_at``."""
    return dt.datetime.now(ZoneInfo(time_zone)).replace(tzinfo=None)


def wall_clock(time_zone: str = DEFAULT_TIME_ZONE) -> dt.datetime:
    """The real festival-local time a sale's own clock is compared with to tell a back-dated sale.

    Kept apart from :func:`festival_now` (which a sale may be given instead) so
    that tests can pin the wall clock and never depend on the day they run.
    """
    return festival_now(time_zone)


def local_to_utc(moment: dt.datetime, time_zone: str = DEFAULT_TIME_ZONE) -> dt.datetime:
    """A festival-local wall time as naive UTC (for comparing with stored instants)."""
    aware = moment.replace(tzinfo=ZoneInfo(time_zone))
    return aware.astimezone(dt.timezone.utc).replace(tzinfo=None)


def utc_to_local(moment: dt.datetime, time_zone: str = DEFAULT_TIME_ZONE) -> dt.datetime:
    """A stored instant (naive UTC) as festival-local wall time, naive."""
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)


def describe(moment: dt.datetime) -> str:
    """How a box-office person reads a local time: ``Fri 12 Dec 19:30``."""
    return moment.strftime("%a %d %b %H:%M")
