"""Words for a refusal that lifts by itself: when to try again."""

from __future__ import annotations

import datetime as dt
import math

from gbetix_core.models.base import utcnow


def try_again(at: dt.datetime, then: str) -> str:
    """"Try again in N minute(s), at HH:MM UTC, or ``then``." for an instant ``at`` in naive UTC."""
    minutes = max(1, math.ceil((at - utcnow()).total_seconds() / 60))
    return f"Try again in {minutes} minute(s), at {at:%H:%M} UTC, or {then}."
