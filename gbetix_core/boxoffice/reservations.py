"""Subscriber reservations: a pass with open admissions ("any 3 shows") is reserved one performance at a time.

As Audience1st's subscribers do, the holder reserves from the box office or
at the door, even when the performance is sold out to the public: the
advance-sales limit holds seats back for them, so the house capacity (and
any cap set on the subscriber offer) bounds a reservation. Each reservation is a ticket of the pass (a component,
free), counted in the house like any other; releasing it gives the admission
back.
"""

from __future__ import annotations

from dataclasses import dataclass

from gbetix_core import audit
from gbetix_core.boxoffice.availability import inventories
from gbetix_core.boxoffice.catalog import get, label
from gbetix_core.boxoffice.sales import lock_performances
from gbetix_core.db import locked, write
from gbetix_core.errors import InputError, SaleRefused
from gbetix_core.models import BundleComponent, CheckIn, Item, Offer, Performance, Staff, TicketType, User
from gbetix_core.models.base import ZERO, utcnow
from gbetix_core.permissions import require


@dataclass(frozen=True)
class Reservation:
    item_id: int
    performance_id: int
    performance: str


@dataclass(frozen=True)
class OpenPass:
    """A pass a user holds, its open admissions, and the performances reserved with it."""

    item_id: int
    name: str
    admissions: int
    reserved: tuple[Reservation, ...]

    @property
    def left(self) -> int:
        return self.admissions - len(self.reserved)


def passes_of(user: User | int) -> list[OpenPass]:
    """The passes with open admissions this user holds, oldest first."""
    user_id = user.id if isinstance(user, User) else user
    passes = list(Item.select(Item, TicketType).join(TicketType, on=(Item.ticket_type == TicketType.id))
                  .where((Item.owner == user_id) & (Item.kind == "ticket") & Item.bundle.is_null()
                         & (TicketType.open_admissions > 0)).order_by(Item.id))
    return [_open_pass(p) for p in passes]


def _open_pass(pass_item: Item) -> OpenPass:
    fixed = {c.component_id: c.quantity for c in BundleComponent.select().where(
        BundleComponent.bundle == pass_item.ticket_type_id)}
    live = list(Item.select().where((Item.bundle == pass_item.id) & (Item.kind == "ticket")).order_by(Item.id))
    reserved = _open_ones(live, fixed)
    perfs = {p.id: p for p in Performance.select().where(Performance.id.in_({r.performance_id for r in reserved}))}
    return OpenPass(pass_item.id, pass_item.ticket_type.name, pass_item.ticket_type.open_admissions,
                    tuple(Reservation(r.id, r.performance_id, label(perfs[r.performance_id])) for r in reserved))


def _open_ones(live: list[Item], fixed: dict[int, int]) -> list[Item]:
    """The pass's tickets that are reservations, not the fixed admissions it was sold with."""
    skipped = dict(fixed)
    found = []
    for item in live:
        if skipped.get(item.ticket_type_id, 0) > 0:
            skipped[item.ticket_type_id] -= 1
        else:
            found.append(item)
    return found


def reserve(staff: Staff, pass_item: Item | int, performance: Performance | int, *, admit: bool = False) -> Item:
    """Reserve a performance with one open admission of a pass; ``admit`` checks the holder in (at the door)."""
    require(staff, "reserve")
    with write():
        held = get(Item, pass_item, "pass")
        perf = get(Performance, performance, "performance")
        lock_performances({perf.id})
        held = list(locked(Item.select().where(Item.id == held.id)))[0]
        shown = _check_pass(held)
        if any(r.performance_id == perf.id for r in shown.reserved):
            raise SaleRefused(f"This pass already holds a reservation for {label(perf)}.")
        admission = _admission_offered(held.ticket_type, perf)
        seat = Item.create(order=held.order_id, kind="ticket", amount=ZERO, ticket_type=admission, performance=perf,
                           owner=held.owner_id, bundle=held, account_code=held.account_code_id)
        if admit:
            CheckIn.create(item=seat, staff=staff)
        audit.record("pass.reserve", staff=staff, subject=f"item:{held.id}",
                     after={"performance": perf.id, "ticket": seat.id, "admitted": admit})
    return seat


def _check_pass(held: Item) -> OpenPass:
    ttype = TicketType.get_by_id(held.ticket_type_id)
    if held.kind != "ticket" or held.bundle_id is not None or not ttype.open_admissions:
        raise InputError(f"Item {held.id} is not a pass with open admissions.")
    shown = _open_pass(held)
    if shown.left <= 0:
        raise SaleRefused(f"All {shown.admissions} admissions of this {shown.name} are reserved.")
    return shown


def _admission_offered(pass_type: TicketType, perf: Performance) -> TicketType:
    """The subscriber ticket type a reservation is: offered for that performance, within its cap and the house.

    The advance-sales limit (what the public may buy) does not bind it; a cap the
    manager set on the subscriber offer does, as Audience1st's do.
    """
    admission = TicketType.get_by_id(pass_type.open_admission_type_id)
    offer = Offer.get_or_none((Offer.performance == perf.id) & (Offer.ticket_type == admission.id))
    if offer is None:
        raise SaleRefused(f"{pass_type.name} cannot be used for {label(perf)}: {admission.name} is not offered there.")
    stock = inventories([perf.id])[perf.id]
    if offer.max_sales is not None and stock.by_type.get(admission.id, 0) >= offer.max_sales:
        raise SaleRefused(f"All {offer.max_sales} {admission.name} seats for {label(perf)} are taken.")
    if stock.house_left < 1:
        raise SaleRefused(f"{label(perf)} is full: no seat is left in the house.")
    return admission


def release(staff: Staff, reservation: Item | int, *, reason: str | None = None) -> None:
    """Give a reservation back to its pass (not once the holder was admitted)."""
    require(staff, "reserve")
    with write():
        seat = get(Item, reservation, "reservation")
        if seat.bundle_id is None or seat.id not in {r.item_id for r in _open_pass(Item.get_by_id(seat.bundle_id)).reserved}:
            raise InputError(f"Item {seat.id} is not a standing reservation of a pass.")
        if CheckIn.select().where((CheckIn.item == seat.id) & CheckIn.undone_at.is_null()).exists():
            raise SaleRefused(f"Ticket {seat.id} was already used at the door; undo the check-in first.")
        Item.update(kind="canceled", original_kind="ticket", canceled_at=utcnow(), canceled_by=staff).where(
            Item.id == seat.id).execute()
        audit.record("pass.release", staff=staff, subject=f"item:{seat.bundle_id}", reason=reason,
                     before={"ticket": seat.id, "performance": seat.performance_id})
