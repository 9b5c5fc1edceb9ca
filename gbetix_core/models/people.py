"""Registered festival users, staff operators, and the special accounts."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from gbetix_core.models.base import BaseModel, utcnow

ROLES = ("door", "boxoffice", "manager", "admin")
SPECIAL_ACCOUNTS = ("walkup", "daemon", "anonymous")


class User(BaseModel):
    """A person registered on the festival site (or a special account).

    ``email`` is stored lower-cased so that lookups ignore case. It is not
    unique: couples and families share one mailbox (usernames are unique).
    ``purchase_email`` is the address the user says they buy tickets with,
    when it is not their login address. ``site_id`` is the festival site's
    own id for the user, which old ``ID-<n>`` purchase trackers carry.
    """

    username = CharField(unique=True)
    site_id = CharField(null=True, unique=True)
    first_name = CharField(default="")
    last_name = CharField(default="")
    email = CharField(null=True, index=True)
    purchase_email = CharField(null=True, index=True)
    phone = CharField(null=True)
    address = CharField(null=True)
    city = CharField(null=True)
    state = CharField(null=True)
    zip = CharField(null=True)
    country = CharField(null=True)
    special = CharField(null=True, unique=True)
    subscriber = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, index=True)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.username


class Staff(BaseModel):
    """An operator of the box office; ``role`` is one of ROLES, weakest first.

    ``pin_hash`` is the Argon2 hash of the PIN the app asks for (never the PIN
    itself); ``failed_signins`` and ``locked_until`` lock the account for a
    while after repeated wrong PINs, across terminals.
    """

    name = CharField(unique=True)
    role = CharField()
    user = ForeignKeyField(User, null=True, backref="staff_accounts", on_delete="SET NULL")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    pin_hash = CharField(null=True)
    failed_signins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
