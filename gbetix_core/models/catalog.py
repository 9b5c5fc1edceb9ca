"""What the box office sells: shows, performances, ticket types and the offers that join them.

Modelled on Audience1st (see the seed on vouchers): a ticket type is a
template with a price; an :class:`Offer` (Audience1st's "ValidVoucher") says
that up to N of a type may be sold for a performance, when, and to whom.
Offers govern selling only; what *was* sold is read from items.
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from gbetix_core.models.base import BaseModel, MoneyField, utcnow

CATEGORIES = ("revenue", "comp", "bundle", "subscriber", "nonticket")
AVAILABILITY = ("anyone", "subscribers", "boxoffice")


class AccountCode(BaseModel):
    """A fund or revenue line that sales and donations are booked to."""

    code = CharField(unique=True)
    name = CharField()
    description = TextField(null=True)


class Show(BaseModel):
    name = CharField()
    description = TextField(null=True)
    season = IntegerField()
    created_at = DateTimeField(default=utcnow)


class Performance(BaseModel):
    """One performance of a show; ``starts_at`` is festival-local wall time."""

    show = ForeignKeyField(Show, backref="performances", on_delete="RESTRICT")
    starts_at = DateTimeField(index=True)
    house_capacity = IntegerField()
    max_advance_sales = IntegerField()
    description = CharField(null=True)
    created_at = DateTimeField(default=utcnow)


class TicketType(BaseModel):
    """A named price point for a season (Audience1st's Vouchertype).

    A pass may carry ``open_admissions`` ("any 3 shows"): its holder reserves a
    performance for each later, as an ``open_admission_type`` ticket.
    """

    name = CharField()
    price = MoneyField()
    season = IntegerField()
    category = CharField(default="revenue")
    availability = CharField(default="anyone")
    walkup_allowed = BooleanField(default=True)
    subscription = BooleanField(default=False)
    account_code = ForeignKeyField(AccountCode, null=True, backref="ticket_types", on_delete="SET NULL")
    display_order = IntegerField(default=0)
    description = TextField(null=True)
    open_admissions = IntegerField(default=0)
    open_admission_type = ForeignKeyField("self", null=True, backref="+", on_delete="RESTRICT")


class BundleComponent(BaseModel):
    """A ticket a bundle (or weekend pass) expands into when sold."""

    bundle = ForeignKeyField(TicketType, backref="components", on_delete="CASCADE")
    component = ForeignKeyField(TicketType, backref="+", on_delete="RESTRICT")
    performance = ForeignKeyField(Performance, null=True, backref="+", on_delete="RESTRICT")
    quantity = IntegerField(default=1)


class Offer(BaseModel):
    """Up to ``max_sales`` tickets of a type may be sold for a performance, within a window."""

    performance = ForeignKeyField(Performance, backref="offers", on_delete="CASCADE")
    ticket_type = ForeignKeyField(TicketType, backref="offers", on_delete="RESTRICT")
    max_sales = IntegerField(null=True)
    sales_start = DateTimeField(null=True)
    sales_end = DateTimeField(null=True)
    promo_codes = CharField(null=True)
    min_per_order = IntegerField(default=1)
    max_per_order = IntegerField(null=True)

    class Meta:
        indexes = ((("performance", "ticket_type"), True),)


class Product(BaseModel):
    """A retail item the box office sells (programme, t-shirt)."""

    name = CharField(unique=True)
    price = MoneyField()
    account_code = ForeignKeyField(AccountCode, null=True, backref="products", on_delete="SET NULL")
    active = BooleanField(default=True)
