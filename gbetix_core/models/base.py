"""What every model shares: the database proxy, UTC timestamps and money."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from peewee import DecimalField, Field, Model

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



def index_where_set(model: type[Model], field: Field, name: str) -> None:
    """Declare ``field``'s index as partial: only the rows where it holds a value (migration 0014).

    These columns are NULL on nearly every row a sync writes, and every query asks for a value, so a full index
    would file each NULL for nothing. ``name`` is the name the index had when it was full.
    """
    model.add_index(model.index(field, name=name).where(field.is_null(False)))
