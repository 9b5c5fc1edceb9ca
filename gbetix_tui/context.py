"""What every screen shares: the configuration, who is operating, and the festival clock.

Screens ask the :class:`Session` whether to *offer* an action (the core still
enforces every rule), and read "now" from it, so tests and snapshots can pin
the clock to a fixed festival night.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable
from zoneinfo import ZoneInfo

from gbetix_core.config import Config
from gbetix_core.models import Staff
from gbetix_core.permissions import can


def festival_clock(config: Config) -> Callable[[], dt.datetime]:
    """Festival-local wall time now (naive), the zone performances are stored in."""
    zone = ZoneInfo(config.boxoffice.time_zone)
    return lambda: dt.datetime.now(zone).replace(tzinfo=None, microsecond=0)


def fixed_clock(moment: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock that always reads ``moment``: for snapshots and rehearsals."""
    return lambda: moment


@dataclass
class Session:
    """The running app's config, operator and clock; ``demo_pin`` is shown on the sign-in screen of the demo."""

    config: Config
    operator: Staff | None = None
    clock: Callable[[], dt.datetime] | None = None
    demo_pin: str | None = None

    def __post_init__(self) -> None:
        if self.clock is None:
            self.clock = festival_clock(self.config)

    def now(self) -> dt.datetime:
        """Festival-local wall time (naive)."""
        return self.clock()

    def can(self, action: str) -> bool:
        """Whether to offer ``action`` to the operator; the core checks again when it runs."""
        return can(self.operator, action)

    @property
    def operator_label(self) -> str:
        return f"{self.operator.name} ({self.operator.role})" if self.operator else "nobody"
