"""Box-office records that are neither sales nor tickets: customer merges and cash-drawer counts."""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from gbetix_core.models.base import BaseModel, MoneyField, utcnow
from gbetix_core.models.people import Staff, User


class UserMerge(BaseModel):
    """Two records of one person merged into ``keep``; everything needed to undo it is kept here.

    ``other`` is the removed record as it was (JSON), ``keep_before`` the kept
    record's fields before the merge, and ``moved`` the ids of every row that
    was pointed from the other record to the kept one, per table and column.
    """

    keep = ForeignKeyField(User, backref="merges", on_delete="RESTRICT")
    other_id = IntegerField(index=True)
    other = TextField()
    keep_before = TextField()
    moved = TextField()
    staff = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
    reason = TextField()
    at = DateTimeField(default=utcnow)
    undone_at = DateTimeField(null=True)
    undone_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")


class DrawerCount(BaseModel):
    """An operator's cash drawer counted at closing: what the sales say, what was counted, the difference."""

    operator = ForeignKeyField(Staff, backref="drawer_counts", on_delete="RESTRICT")
    business_date = DateField(index=True)
    payment_method = CharField(default="cash")
    expected = MoneyField()
    counted = MoneyField()
    difference = MoneyField()
    counted_by = ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    note = TextField(null=True)
    at = DateTimeField(default=utcnow)
