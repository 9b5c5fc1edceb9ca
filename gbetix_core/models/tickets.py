"""Ticket disposition and the door: owner history, transfers and check-ins."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from gbetix_core.models.base import BaseModel, index_where_set, utcnow
from gbetix_core.models.people import Staff, User
from gbetix_core.models.sales import Item

TRANSFER_STATUSES = ("pending", "done", "canceled")


class OwnershipChange(BaseModel):
    """Every change of a ticket's owner, so the door can say "bought by George, for Amy"."""

    item = ForeignKeyField(Item, backref="ownership", on_delete="CASCADE")
    from_user = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    to_user = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    at = DateTimeField(default=utcnow)
    staff = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL", index=False)
    reason = TextField(null=True)


index_where_set(OwnershipChange, OwnershipChange.staff, "ownershipchange_staff_id")


class Transfer(BaseModel):
    """A ticket handed on, to a user or to a name and email not registered yet (pending)."""

    item = ForeignKeyField(Item, backref="transfers", on_delete="CASCADE")
    from_user = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    to_user = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    to_name = CharField(null=True)
    to_email = CharField(null=True, index=True)
    status = CharField(default="pending", index=True)
    created_at = DateTimeField(default=utcnow)
    completed_at = DateTimeField(null=True)
    staff = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")


class CheckIn(BaseModel):
    """A ticket admitted at the door: when and by whom; undoing keeps the row."""

    item = ForeignKeyField(Item, backref="checkins", on_delete="CASCADE")
    at = DateTimeField(default=utcnow)
    staff = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
    undone_at = DateTimeField(null=True)
    undone_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
