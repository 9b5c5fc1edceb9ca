"""The outbox: messages to people, written in the same transaction as the event that causes them.

A message is a kind and the facts its templates need (``context``), rendered
only when it is sent, so a festival's template edits apply to what is still
waiting. ``OutboxKey`` rows are the "at most once per person, per purchase,
per kind" rule, kept by a unique index rather than by a read that two
terminals could both pass.
"""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from gbetix_core.models.base import BaseModel, utcnow
from gbetix_core.models.bpt import Purchase
from gbetix_core.models.people import User

OUTBOX_STATUSES = ("pending", "sending", "sent", "failed")


class OutboxMessage(BaseModel):
    """One email to one person; ``status`` moves pending -> sending -> sent (or back, or to failed)."""

    kind = CharField()
    to_email = CharField()
    to_name = CharField(default="")
    user = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    context = TextField(default="{}")
    token = CharField(unique=True)  # the Message-ID's left part: a re-send carries the same Message-ID
    status = CharField(default="pending")
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(default=utcnow)
    lease = CharField(null=True)
    lease_until = DateTimeField(null=True)
    last_error = TextField(null=True)
    created_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True, index=True)

    class Meta:
        indexes = ((("status", "next_attempt_at"), False),)


class OutboxKey(BaseModel):
    """This person was mailed about this purchase (or order) for this kind: never again."""

    kind = CharField()
    subject = CharField()
    email = CharField()
    message = ForeignKeyField(OutboxMessage, backref="keys", on_delete="CASCADE")

    class Meta:
        indexes = ((("kind", "subject", "email"), True),)


class ClaimCode(BaseModel):
    """A one-time code mailed to a purchase's BPT email; only its hash is kept, and it expires."""

    user = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    purchase = ForeignKeyField(Purchase, backref="+", on_delete="CASCADE")
    salt = CharField()
    code_hash = CharField()
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("user", "purchase"), False),)
