"""What every model shares: the database proxy, UTC timestamps and money."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from peewee import DecimalField, Model

from gbetix_core.db import database


def utcnow() -> dt.datetime:
    """Naive UTC: every stored instant is UTC; performances keep festival-local wall time."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class MoneyField(DecimalField):
    """Two-decimal amounts; Decimal in Python so totals never drift."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("auto_round", True)
        super().__init__(**kwargs)


ZERO = Decimal("0.00")


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False
