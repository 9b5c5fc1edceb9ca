"""What the orders screen asks the core: an order's receipt and the items still standing on it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from gbetix_core.boxoffice.orders import cancel_order_items, move_tickets, standing_items
from gbetix_core.boxoffice.receipts import Receipt, item_names, receipt
from gbetix_core.errors import InputError


@dataclass(frozen=True)
class Standing:
    """An item that can still be cancelled, refunded or (a ticket for one night) moved."""

    item_id: int
    what: str
    kind: str
    amount: Decimal


@dataclass(frozen=True)
class OrderView:
    order_id: int
    receipt: Receipt
    standing: list[Standing]


def order_number(text: str) -> int:
    """``42`` or ``#42`` as an order number, refused in words otherwise."""
    number = text.strip().lstrip("#")
    if not number.isdigit():
        raise InputError(f"{text.strip()!r} is not an order number: type the digits, e.g. 42.")
    return int(number)


def load_order(text: str, time_zone: str) -> OrderView:
    number = order_number(text)
    shown = receipt(number, time_zone)
    items = standing_items(f"#{number}")
    names = item_names(items)
    return OrderView(number, shown, [Standing(i.id, names[i.id], i.kind, i.amount) for i in items])


def cancel_and_reload(staff, number: int, item_ids: list[int], refund: bool, reason: str,
                      time_zone: str) -> tuple[OrderView, int, Decimal]:
    count, refunded = cancel_order_items(staff, number, item_ids, refund=refund, reason=reason)
    return load_order(str(number), time_zone), count, refunded


def move_and_reload(staff, number: int, item_ids: list[int], performance_id: int, reason: str, now,
                    time_zone: str) -> tuple[OrderView, int]:
    moved = move_tickets(staff, number, item_ids, performance_id, now=now, time_zone=time_zone, reason=reason)
    return load_order(str(number), time_zone), moved
