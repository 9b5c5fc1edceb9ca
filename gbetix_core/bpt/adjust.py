"""Keeping a purchase's tickets in step with its BPT line and its mappings.

Tickets are never deleted: a surplus ticket is marked canceled (with its
bundle components), and a ticket that must change into or out of a bundle is
canceled and issued again to the same owner, so the owner history survives.
"""

from __future__ import annotations

from decimal import Decimal

from peewee import fn

from gbetix_core.boxoffice.tickets import issue_tickets
from gbetix_core.models import Item, Order, Performance, Purchase, Staff, TicketType, User
from gbetix_core.models.base import utcnow


def live_tickets(purchase_id: int) -> list[Item]:
    """The purchase's top-level tickets that are still valid, by seq."""
    return list(Item.select().where((Item.purchase == purchase_id) & (Item.kind == "ticket")).order_by(Item.seq))


def cancel(items: list[Item], staff: Staff | None = None) -> int:
    """Mark tickets (and their bundle components) canceled; returns how many top-level tickets."""
    ids = [item.id for item in items]
    if not ids:
        return 0
    Item.update(kind="canceled", original_kind="ticket", canceled_at=utcnow(), canceled_by=staff).where(
        (Item.kind == "ticket") & (Item.id.in_(ids) | Item.bundle.in_(ids))).execute()
    return len(ids)


def retarget(purchase: Purchase, ticket_type: TicketType, performance: Performance | None, amount: Decimal,
             staff: Staff | None = None) -> int:
    """Point the purchase's live tickets at a ticket type and performance; returns how many changed."""
    tickets = live_tickets(purchase.id)
    stale = [t for t in tickets if t.ticket_type_id != ticket_type.id
             or (t.performance_id != (performance.id if performance else None) and not _is_bundle(ticket_type))
             or t.amount != amount]
    if not stale:
        return 0
    if _is_bundle(ticket_type) or any(_is_bundle_id(t.ticket_type_id) for t in stale):
        _reissue(purchase, stale, ticket_type, performance, amount, staff)
    else:
        Item.update(ticket_type=ticket_type, performance=performance, amount=amount,
                    account_code=ticket_type.account_code_id).where(Item.id.in_([t.id for t in stale])).execute()
    return len(stale)


def resize(purchase: Purchase, count: int, ticket_type: TicketType, performance: Performance | None,
           amount: Decimal, owner: User) -> None:
    """Issue or cancel tickets so the purchase holds exactly ``count`` live ones (surplus: highest seq first)."""
    tickets = live_tickets(purchase.id)
    if len(tickets) > count:
        cancel(tickets[count:])
    elif len(tickets) < count:
        owner_id = tickets[0].owner_id if tickets else owner.id
        issue_tickets(_order_of(purchase), ticket_type, performance, count - len(tickets), owner_id, amount,
                      purchase=purchase, first_seq=next_seq(purchase.id))


def next_seq(purchase_id: int) -> int:
    """Seqs are never reused, canceled tickets keep theirs."""
    return (Item.select(fn.MAX(Item.seq)).where(Item.purchase == purchase_id).scalar() or 0) + 1


def _reissue(purchase: Purchase, stale: list[Item], ticket_type: TicketType, performance: Performance | None,
             amount: Decimal, staff: Staff | None) -> None:
    cancel(stale, staff)
    order = _order_of(purchase)
    for ticket in stale:
        issue_tickets(order, ticket_type, performance, 1, ticket.owner_id, amount, purchase=purchase,
                      first_seq=next_seq(purchase.id))


def _order_of(purchase: Purchase) -> Order:
    return Order.get(Order.external_ref == purchase.ticket_number)


def _is_bundle(ticket_type: TicketType) -> bool:
    return ticket_type.category == "bundle"


def _is_bundle_id(ticket_type_id: int) -> bool:
    return TicketType.select().where((TicketType.id == ticket_type_id) & (TicketType.category == "bundle")).exists()
