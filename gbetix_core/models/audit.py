"""The append-only audit log (the database refuses UPDATE and DELETE on it)."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from gbetix_core.models.base import BaseModel, utcnow
from gbetix_core.models.people import Staff


class AuditEntry(BaseModel):
    at = DateTimeField(default=utcnow, index=True)
    staff = ForeignKeyField(Staff, null=True, backref="audit_entries", on_delete="RESTRICT")
    operator = CharField()
    action = CharField(index=True)
    subject = CharField(null=True, index=True)
    before = TextField(null=True)
    after = TextField(null=True)
    reason = TextField(null=True)


class Setting(BaseModel):
    """A global option (Audience1st's Options): a key and its text value."""

    key = CharField(primary_key=True)
    value = TextField()
