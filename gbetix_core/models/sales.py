"""What was sold: orders, the items in them (tickets, donations, retail), and check-ins.

All items live in one table, as in Audience1st: ``kind`` is ``ticket``,
``donation``, ``retail``, ``canceled`` or ``refunded``. Nothing is deleted:
cancelling marks the item canceled (``original_kind`` remembers what it was),
and a refund is a new negative ``refunded`` row pointing at the original.
"""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from gbetix_core.models.base import BaseModel, MoneyField, index_where_set, utcnow, ZERO
from gbetix_core.models.bpt import Purchase
from gbetix_core.models.catalog import AccountCode, Performance, Product, TicketType
from gbetix_core.models.people import Staff, User

SOURCES = ("bpt", "walkup", "boxoffice")
PAYMENT_METHODS = ("cash", "check", "card", "comp", "bpt", "none")
ITEM_KINDS = ("ticket", "donation", "retail", "canceled", "refunded")


class Order(BaseModel):
    """One payment transaction; ``customer`` holds the items, ``purchaser`` paid for them."""

    source = CharField()
    external_ref = CharField(null=True, unique=True)
    customer = ForeignKeyField(User, backref="orders", on_delete="RESTRICT")
    purchaser = ForeignKeyField(User, backref="orders_paid", on_delete="RESTRICT")
    processed_by = ForeignKeyField(Staff, null=True, backref="orders", on_delete="SET NULL", index=False)
    payment_method = CharField()
    payment_ref = CharField(null=True)
    total = MoneyField(default=ZERO)
    comments = TextField(null=True)
    cash_tendered = MoneyField(null=True)
    created_at = DateTimeField(default=utcnow, index=True)


index_where_set(Order, Order.processed_by, "order_processed_by_id")


class Item(BaseModel):
    """A ticket (one seat), donation or retail sale; tickets have one current ``owner``."""

    order = ForeignKeyField(Order, backref="items", on_delete="RESTRICT")
    kind = CharField()
    original_kind = CharField(null=True)
    amount = MoneyField(default=ZERO)
    ticket_type = ForeignKeyField(TicketType, null=True, backref="items", on_delete="RESTRICT")
    performance = ForeignKeyField(Performance, null=True, backref="items", on_delete="RESTRICT", index=False)
    owner = ForeignKeyField(User, backref="items", on_delete="RESTRICT")
    purchase = ForeignKeyField(Purchase, null=True, backref="items", on_delete="RESTRICT", index=False)
    seq = IntegerField(null=True)
    bundle = ForeignKeyField("self", null=True, backref="components", on_delete="RESTRICT", index=False)
    refund_of = ForeignKeyField("self", null=True, backref="refunds", on_delete="RESTRICT", index=False)
    account_code = ForeignKeyField(AccountCode, null=True, backref="items", on_delete="SET NULL", index=False)
    product = ForeignKeyField(Product, null=True, backref="items", on_delete="RESTRICT", index=False)
    comments = TextField(null=True)
    promo_code = CharField(null=True)
    created_at = DateTimeField(default=utcnow)
    canceled_at = DateTimeField(null=True)
    canceled_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL", index=False)

    class Meta:
        indexes = (
            (("purchase", "seq"), True),
            (("performance", "kind", "ticket_type"), False),
        )


index_where_set(Item, Item.bundle, "item_bundle_id")
index_where_set(Item, Item.refund_of, "item_refund_of_id")
index_where_set(Item, Item.promo_code, "item_promo_code")
