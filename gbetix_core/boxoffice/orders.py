"""After the sale: cancel and refund per item, comps, and moving tickets to another night.

Nothing is deleted. Cancelling marks the item ``canceled`` (``original_kind``
keeps what it was, so the seat is free again); a refund is a new negative
``refunded`` row pointing at the original, so revenue reports add up by date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gbetix_core import audit
from gbetix_core.boxoffice.availability import inventories, offers_for
from gbetix_core.boxoffice.catalog import get, label
from gbetix_core.boxoffice.clock import DEFAULT_TIME_ZONE, festival_now
from gbetix_core.boxoffice.sales import Basket, sell_to_customer
from gbetix_core.db import locked, write
from gbetix_core.errors import InputError, SaleRefused
from gbetix_core.matching.record import purchase_by_number
from gbetix_core.models import CheckIn, Item, Order, Performance, Staff, TicketType, User
from gbetix_core.models.base import ZERO, utcnow
from gbetix_core.permissions import require

LIVE_KINDS = ("ticket", "donation", "retail")


def cancel_items(staff: Staff, item_ids: list[int], *, refund: bool = True, reason: str | None = None) -> list[Item]:
    """Cancel these items (a pass with its components); with ``refund``, add the negative refund rows.

    Returns the refund rows written. A component of a pass is cancelled only
    with its pass; a ticket already used at the door cannot be cancelled.
    """
    require(staff, "refund")
    if not item_ids:
        raise InputError("Choose the items to cancel.")
    with write():
        items = list(locked(Item.select().where(Item.id.in_(item_ids)).order_by(Item.id)))
        _check_cancellable(items, set(item_ids))
        components = list(Item.select().where(Item.bundle.in_([i.id for i in items]) & (Item.kind == "ticket")))
        now = utcnow()
        refunds = []
        for item in items + components:
            Item.update(kind="canceled", original_kind=item.kind, canceled_at=now, canceled_by=staff).where(
                Item.id == item.id).execute()
            if refund and item.amount:
                refunds.append(Item.create(order=item.order_id, kind="refunded", amount=-item.amount,
                                           ticket_type=item.ticket_type_id, product=item.product_id,
                                           owner=item.owner_id, refund_of=item, account_code=item.account_code_id,
                                           created_at=now, comments=reason))
        audit.record("order.refund" if refund else "order.cancel", staff=staff,
                     subject=f"order:{items[0].order_id}", reason=reason,
                     before={"items": [i.id for i in items + components]},
                     after={"refunded": sum((-r.amount for r in refunds), ZERO), "refund_rows": [r.id for r in refunds]})
    return refunds


def standing_items(confirmation: str) -> list[Item]:
    """What still stands on ``#123`` (a gbetix order) or ``K…`` (a BPT confirmation): passes whole, no components."""
    text = (confirmation or "").strip()
    if text.lstrip("#").isdigit():
        where = Item.order == get(Order, int(text.lstrip("#")), "order").id
    else:
        where = Item.purchase == purchase_by_number(text).id
    return list(Item.select().where(where & Item.kind.in_(LIVE_KINDS) & Item.bundle.is_null()).order_by(Item.id))


def cancel_confirmation(staff: Staff, confirmation: str, *, refund: bool = True, reason: str) -> tuple[int, Decimal]:
    """Cancel everything still standing on an order or BPT confirmation; (items cancelled, amount refunded)."""
    reason = audit.required_reason(reason)
    items = standing_items(confirmation)
    if not items:
        raise InputError(f"Nothing left to cancel on {confirmation}: every item is already cancelled or refunded.")
    refunds = cancel_items(staff, [i.id for i in items], refund=refund, reason=reason)
    return len(items), sum((-r.amount for r in refunds), ZERO)


def cancel_order_items(staff: Staff, order: Order | int, item_ids: list[int], *, refund: bool = True,
                       reason: str) -> tuple[int, Decimal]:
    """Cancel the chosen items of one order (all that stand when none is chosen); (items cancelled, refunded)."""
    reason = audit.required_reason(reason)
    order = get(Order, order, "order")
    standing = {i.id for i in standing_items(f"#{order.id}")}
    chosen = item_ids or sorted(standing)
    if not chosen:
        raise InputError(f"Nothing left to cancel on order {order.id}: every item is already cancelled or refunded.")
    strangers = set(chosen) - standing
    if strangers:
        raise InputError(f"Item {min(strangers)} is not standing on order {order.id}.")
    refunds = cancel_items(staff, chosen, refund=refund, reason=reason)
    return len(chosen), sum((-r.amount for r in refunds), ZERO)


def _check_cancellable(items: list[Item], wanted: set[int]) -> None:
    found = {i.id for i in items}
    if wanted - found:
        raise InputError(f"No item with id {min(wanted - found)}.")
    used = {c.item_id for c in CheckIn.select(CheckIn.item).where(CheckIn.item.in_(_seat_ids(items))
                                                                  & CheckIn.undone_at.is_null())}
    for item in items:
        if item.kind not in LIVE_KINDS:
            raise SaleRefused(f"Item {item.id} is already {item.kind}.")
        if item.bundle_id is not None:
            raise SaleRefused(f"Item {item.id} is part of a pass; cancel the pass (item {item.bundle_id}).")
        if item.id in used or any(c in used for c in _component_ids(item)):
            raise SaleRefused(f"Ticket {item.id} was already used at the door; undo the check-in first.")


def _seat_ids(items: list[Item]) -> list[int]:
    ids = [i.id for i in items]
    return ids + [c.id for c in Item.select(Item.id).where(Item.bundle.in_(ids))]


def _component_ids(item: Item) -> list[int]:
    return [c.id for c in Item.select(Item.id).where(Item.bundle == item.id)]


def refunded_total(order: Order | int) -> Decimal:
    """How much of an order has been given back."""
    rows = Item.select(Item.amount).where((Item.order == order) & (Item.kind == "refunded"))
    return -sum((r.amount for r in rows), ZERO)


def comp_tickets(staff: Staff, customer: User, performance: Performance | int, ticket_type: TicketType | int,
                 count: int, *, reason: str | None = None, now: dt.datetime | None = None,
                 time_zone: str = DEFAULT_TIME_ZONE) -> Order:
    """Give free tickets to a named guest (manager only): an order paid by ``comp``."""
    ttype = get(TicketType, ticket_type, "ticket type")
    perf = get(Performance, performance, "performance")
    return sell_to_customer(staff, customer, Basket(perf.id, {ttype.id: count}), payment="comp",
                            now=now or festival_now(time_zone), comments=reason)


def move_walkup_sale(staff: Staff, order: Order | int, to_performance: Performance | int, *,
                     now: dt.datetime | None = None, time_zone: str = DEFAULT_TIME_ZONE,
                     reason: str | None = None) -> int:
    """Move a walkup order's tickets to another performance if it has room; returns the seats moved.

    The tickets leave the door count of the first night (their check-ins are
    undone, kept in history) and are admitted again when the guest arrives.
    """
    order = get(Order, order, "order")
    if order.source != "walkup":
        raise SaleRefused(f"Order {order.id} is not a walkup sale.")
    tickets = [t.id for t in Item.select(Item.id).where((Item.order == order.id) & (Item.kind == "ticket"))]
    if not tickets:
        raise SaleRefused(f"Order {order.id} has no tickets left to move.")
    return move_tickets(staff, order, tickets, to_performance, now=now, time_zone=time_zone, reason=reason)


def move_tickets(staff: Staff, order: Order | int, item_ids: list[int], to_performance: Performance | int, *,
                 now: dt.datetime | None = None, time_zone: str = DEFAULT_TIME_ZONE, reason: str | None = None) -> int:
    """Move the chosen tickets of an order to another performance, if its offers and seats allow; returns how many.

    The rest of the order stays where it was (a party of four of whom two
    come on Saturday instead). Check-ins of the moved tickets are undone.
    """
    require(staff, "move_sale")
    if not item_ids:
        raise InputError("Choose the tickets to move: none is selected.")
    now = now or festival_now(time_zone)
    with write():
        order = get(Order, order, "order")
        target = get(Performance, to_performance, "performance")
        tickets = list(Item.select().where(Item.id.in_(item_ids)).order_by(Item.id))
        _check_movable(order, tickets, set(item_ids), target)
        source_ids = {t.performance_id for t in tickets}
        ids = sorted(source_ids | {target.id})
        list(locked(Performance.select(Performance.id).where(Performance.id.in_(ids)).order_by(Performance.id)))
        _check_room(target, tickets, now, walkup=order.source == "walkup")
        Item.update(performance=target).where(Item.id.in_([t.id for t in tickets])).execute()
        CheckIn.update(undone_at=utcnow(), undone_by=staff).where(
            CheckIn.item.in_([t.id for t in tickets]) & CheckIn.undone_at.is_null()).execute()
        audit.record("sale.move", staff=staff, subject=f"order:{order.id}", reason=reason,
                     before={"performances": sorted(source_ids), "items": [t.id for t in tickets]},
                     after={"performance": target.id, "tickets": len(tickets)})
    return len(tickets)


def _check_movable(order: Order, tickets: list[Item], wanted: set[int], target: Performance) -> None:
    """Only standing tickets of this order, for one performance each, not already at the target."""
    missing = wanted - {t.id for t in tickets}
    if missing:
        raise InputError(f"No ticket {min(missing)}.")
    for ticket in tickets:
        if ticket.order_id != order.id:
            raise InputError(f"Ticket {ticket.id} is not on order {order.id}.")
        if ticket.kind != "ticket":
            raise SaleRefused(f"Ticket {ticket.id} is {ticket.kind}; only standing tickets move.")
        if ticket.bundle_id is not None or ticket.performance_id is None:
            raise SaleRefused("A pass covers several performances; it cannot be moved.")
    if {t.performance_id for t in tickets} == {target.id}:
        raise SaleRefused(f"These tickets are already for {label(target)}.")


def _check_room(target: Performance, tickets: list[Item], now: dt.datetime, walkup: bool) -> None:
    """The moved seats must fit the target: each type offered there (at the door, for a walkup), within caps."""
    wanted: dict[int, int] = {}
    for ticket in tickets:
        wanted[ticket.ticket_type_id] = wanted.get(ticket.ticket_type_id, 0) + 1
    statuses = {s.ticket_type.id: s for s in offers_for(target, now=now, walkup=walkup)}
    for type_id, count in wanted.items():
        status = statuses.get(type_id)
        name = TicketType.get_by_id(type_id).name
        if status is None:
            raise SaleRefused(f"{name} is not sold {'at the door ' if walkup else ''}for {label(target)}.")
        if status.reason:
            raise SaleRefused(f"{name} for {label(target)}: {status.reason}.")
        if status.remaining < count:
            raise SaleRefused(f"Only {status.remaining} {name} left for {label(target)}: the order has {count}.")
    left = inventories([target.id])[target.id].saleable
    if left < len(tickets):
        raise SaleRefused(f"Only {left} seats left for {label(target)}: the order has {len(tickets)}.")
