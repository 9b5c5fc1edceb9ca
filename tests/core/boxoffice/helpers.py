"""Shared scenery for the box-office tests: the festival's clock and BPT purchases as the importer writes them."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from gbetix_core.boxoffice.tickets import issue_tickets
from gbetix_core.db import write
from gbetix_core.models import (
    BptDate,
    BptEvent,
    BptPrice,
    Order,
    Performance,
    Purchase,
    Purchaser,
    TicketType,
)
from gbetix_core.people.accounts import special_account

CURTAIN = dt.datetime(2026, 12, 11, 19, 30)
NOW = CURTAIN - dt.timedelta(hours=2)


def bpt_purchase(performance: Performance, ticket_type: TicketType, quantity: int, first: str, last: str,
                 email: str, ticket_number: str | None = None) -> Purchase:
    """A BPT purchase imported as the importer does it: held by the daemon account until matched."""
    number = ticket_number or f"K{uuid.uuid4().int % 10**8}"
    with write():
        event, _ = BptEvent.get_or_create(event_id="E1", defaults={"title": "GBE 2026"})
        date, _ = BptDate.get_or_create(date_id=f"D{performance.id}", defaults={"event": event,
                                                                                "performance": performance})
        price, _ = BptPrice.get_or_create(price_id=f"P{ticket_type.id}", date=date,
                                          defaults={"event": event, "value": ticket_type.price,
                                                    "ticket_type": ticket_type})
        buyer = Purchaser.create(identity=uuid.uuid4().hex, first_name=first, last_name=last, email=email)
        purchase = Purchase.create(ticket_number=number, event=event, date=date, price=price, purchaser=buyer,
                                   quantity=quantity, digest="d")
        daemon = special_account("daemon")
        order = Order.create(source="bpt", external_ref=number, customer=daemon, purchaser=daemon,
                             payment_method="bpt", total=Decimal(ticket_type.price) * quantity)
        issue_tickets(order, ticket_type, performance, quantity, daemon, ticket_type.price, purchase=purchase)
    return purchase
