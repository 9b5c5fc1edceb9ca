"""Issuing tickets and changing their owner: the two writes every source of tickets shares.

BPT imports, walkup sales and box-office orders all create tickets here, so a
bundle (or weekend pass) always expands into its component tickets, one row
per seat, and every change of owner is written to the owner history.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from gbetix_core.db import bulk_insert, ids_in, insert_returning, plain_rows, set_by_id, stamp
from gbetix_core.models import BundleComponent, Item, Order, OwnershipChange, Performance, Purchase, Staff, TicketType, User
from gbetix_core.models.base import ZERO, utcnow

CHUNK = 5_000


def issue_tickets(
    order: Order,
    ticket_type: TicketType,
    performance: Performance | None,
    count: int,
    owner: User,
    amount_each: Decimal,
    purchase: Purchase | None = None,
    first_seq: int = 1,
) -> list[Item]:
    """Create ``count`` tickets; each bundle ticket also gets its component tickets.

    Returns the top-level tickets (bundle parents or plain tickets). Call inside
    the transaction that checked capacity.
    """
    components = list(BundleComponent.select().where(BundleComponent.bundle == ticket_type))
    issued = []
    for offset in range(count):
        parent = Item.create(order=order, kind="ticket", amount=amount_each, ticket_type=ticket_type,
                             performance=None if components or ticket_type.open_admissions else performance, owner=owner, purchase=purchase,
                             seq=first_seq + offset if purchase else None, account_code=ticket_type.account_code_id)
        for component in components:
            for _ in range(component.quantity):
                Item.create(order=order, kind="ticket", amount=ZERO, ticket_type=component.component_id,
                            performance=component.performance_id or performance, owner=owner, bundle=parent,
                            account_code=ticket_type.account_code_id)
        issued.append(parent)
    return issued


def change_owner(items: list[Item], to_user: User, staff: Staff | None, reason: str) -> int:
    """Give ``items`` (and their bundle components) to ``to_user``; record each change. Returns how many moved."""
    parents = [(item.id, item.owner_id, to_user.id) for item in items]
    moved = change_owners(parents, staff.id if staff else None, reason)
    for item in items:
        item.owner = to_user
    return moved


OWNERSHIP_COLUMNS = ("item", "from_user", "to_user", "at", "staff", "reason")


def change_owners(parents: Sequence[tuple[int, int, int]], staff_id: int | None, reason: str) -> int:
    """Move many tickets at once: ``(item id, its owner now, its new owner)``, bundle components following.

    One read of the components, one multi-row insert of the owner history
    and one UPDATE joined to the new owners, whatever the count: matching 100,000
    purchases moves their tickets in seconds, not minutes. Tickets already
    with their new owner are left alone. Returns how many tickets moved.
    """
    changes = [(item, owner, to) for item, owner, to in parents if owner != to]
    receiver = {item: to for item, _, to in parents}
    for start in range(0, len(parents), CHUNK):
        chunk = [item for item, _, _ in parents[start:start + CHUNK]]
        components = plain_rows(Item.select(Item.id, Item.owner, Item.bundle).where(ids_in(Item.bundle, chunk)))
        changes += [(item, owner, receiver[bundle]) for item, owner, bundle in components
                    if owner != receiver[bundle]]
    if not changes:
        return 0
    now = stamp(utcnow())
    bulk_insert(OwnershipChange, OWNERSHIP_COLUMNS, [(item, owner, to, now, staff_id, reason)
                                                     for item, owner, to in changes])
    set_by_id(Item, "owner", [(item, to) for item, _, to in changes])
    return len(changes)


@dataclass(frozen=True)
class TicketLine:
    """``count`` tickets of one order line for ``owner_id``, for :func:`issue_ticket_lines`."""

    order_id: int
    ticket_type_id: int
    performance_id: int | None
    count: int
    amount_each: Decimal
    purchase_id: int
    owner_id: int
    first_seq: int = 1


ITEM_COLUMNS = ("order", "kind", "amount", "ticket_type", "performance", "owner", "purchase", "seq", "bundle",
                "account_code", "created_at")


def issue_ticket_lines(lines: Sequence[TicketLine]) -> int:
    """Issue the tickets of many purchase lines at once, as :func:`issue_tickets` would one by one.

    For imports of tens of thousands of lines: bundle components are read once
    per ticket type and rows go in through prepared multi-row statements.
    Returns how many top-level tickets were issued.
    """
    if not lines:
        return 0
    types, components = _types_of(lines)
    now = stamp(utcnow())
    plain = [line for line in lines if not components[line.ticket_type_id]]
    bundled = [line for line in lines if components[line.ticket_type_id]]
    bulk_insert(Item, ITEM_COLUMNS, _parent_rows(plain, types, now, bundles=False))
    if bundled:
        parents = insert_returning(Item, ITEM_COLUMNS, _parent_rows(bundled, types, now, bundles=True),
                                   ("id", "purchase", "seq"))
        by_purchase = {line.purchase_id: line for line in bundled}
        bulk_insert(Item, ITEM_COLUMNS, [
            (line.order_id, "ticket", ZERO, component.component_id, component.performance_id or line.performance_id,
             line.owner_id, None, None, parent_id, types[line.ticket_type_id].account_code_id, now)
            for parent_id, purchase_id, _seq in parents
            for line in (by_purchase[purchase_id],)
            for component in components[line.ticket_type_id] for _ in range(component.quantity)])
    return sum(line.count for line in lines)


def seats_of(lines: Sequence[TicketLine]) -> Counter[tuple[int, int]]:
    """The seats the tickets of ``lines`` take once issued, by (performance, ticket type), as inventories count them:
    a plain ticket at its performance, a bundle's components at theirs (the bundle ticket itself takes none)."""
    if not lines:
        return Counter()
    _types, components = _types_of(lines)
    seats: Counter[tuple[int, int]] = Counter()
    for line in lines:
        parts = components[line.ticket_type_id]
        if not parts and line.performance_id is not None:
            seats[line.performance_id, line.ticket_type_id] += line.count
        for part in parts:
            performance = part.performance_id or line.performance_id
            if performance is not None:
                seats[performance, part.component_id] += part.quantity * line.count
    return seats


def _types_of(lines: Sequence[TicketLine]) -> tuple[dict[int, TicketType], dict[int, list[BundleComponent]]]:
    types = {t.id: t for t in TicketType.select().where(TicketType.id.in_({line.ticket_type_id for line in lines}))}
    return types, _components_of(types)


def _parent_rows(lines: Sequence[TicketLine], types: dict[int, TicketType], now, bundles: bool) -> list[tuple]:
    return [(line.order_id, "ticket", line.amount_each, line.ticket_type_id, None if bundles else line.performance_id,
             line.owner_id, line.purchase_id, line.first_seq + offset, None, types[line.ticket_type_id].account_code_id,
             now)
            for line in lines for offset in range(line.count)]


def _components_of(types: dict[int, TicketType]) -> dict[int, list[BundleComponent]]:
    found: dict[int, list[BundleComponent]] = {type_id: [] for type_id in types}
    for component in BundleComponent.select().where(BundleComponent.bundle.in_(list(types))):
        found[component.bundle_id].append(component)
    return found
