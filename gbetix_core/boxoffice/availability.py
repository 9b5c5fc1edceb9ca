"""What can be sold now, and why not: one inventory for BPT, walkup and box-office tickets.

A performance's saleable seats are its advance-sales limit minus every ticket
sold for it, whatever the source (BPT imports, walkups, comps, bundle
components), and the seats of BPT lines whose tickets wait for matching
(``WaitingSeats``). A ticket type's remaining count is the lesser of its offer's cap
and the saleable seats. Counts come from one aggregate query over all the
performances involved, never a query per ticket.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from peewee import fn

from gbetix_core.boxoffice.clock import describe
from gbetix_core.models import BundleComponent, Item, Offer, Performance, Staff, TicketType, User, WaitingSeats
from gbetix_core.permissions import can

UNLIMITED = 10**9
SOLD_OUT = "Event is sold out"
PROMO_REQUIRED = "Promo code required"


@dataclass(frozen=True)
class Inventory:
    """Tickets sold for one performance: seats taken in all, and by ticket type."""

    performance: Performance
    sold: int
    by_type: dict[int, int]

    @property
    def saleable(self) -> int:
        """Seats still on sale within the advance-sales limit."""
        return max(0, self.performance.max_advance_sales - self.sold)

    @property
    def house_left(self) -> int:
        """Seats left in the house: the hard limit nothing may pass."""
        return max(0, self.performance.house_capacity - self.sold)


def inventories(performance_ids: set[int] | list[int],
                known: dict[int, Performance] | None = None) -> dict[int, Inventory]:
    """Inventory of each performance, from one grouped count (non-ticket categories take no seat).

    The count reads only the (performance, kind, ticket_type) index: no join, no table rows.
    """
    ids = sorted(set(performance_ids))
    if not ids:
        return {}
    perfs = {pid: perf for pid, perf in (known or {}).items() if pid in ids}
    missing = [pid for pid in ids if pid not in perfs]
    if missing:
        perfs.update({p.id: p for p in Performance.select().where(Performance.id.in_(missing))})
    seatless = {t.id for t in TicketType.select(TicketType.id).where(TicketType.category == "nonticket")}
    by_type: dict[int, dict[int, int]] = {pid: {} for pid in perfs}
    seats: dict[int, int] = dict.fromkeys(perfs, 0)
    issued = (Item.select(Item.performance, Item.ticket_type, fn.COUNT(Item.id))
              .where(Item.performance.in_(ids) & (Item.kind == "ticket"))
              .group_by(Item.performance, Item.ticket_type))
    waiting = (WaitingSeats.select(WaitingSeats.performance, WaitingSeats.ticket_type, WaitingSeats.count)
               .where(WaitingSeats.performance.in_(ids) & (WaitingSeats.count != 0)))
    # UNION ALL in one statement, so one snapshot: matching issues tickets and takes their waiting seats off in one
    # commit, and two statements could see the tickets before it and the seats after (or the reverse on PostgreSQL).
    for perf_id, type_id, count in (issued + waiting).tuples():
        by_type[perf_id][type_id] = by_type[perf_id].get(type_id, 0) + count
        if type_id not in seatless:
            seats[perf_id] += count
    return {pid: Inventory(perfs[pid], seats[pid], by_type[pid]) for pid in perfs}


def inventory(performance: Performance | int) -> Inventory:
    pid = performance.id if isinstance(performance, Performance) else performance
    return inventories([pid])[pid]


@dataclass(frozen=True)
class Need:
    """Seats one ticket of a type takes at one performance, and the offer that caps them there."""

    performance: int
    ticket_type: int
    per_ticket: int
    offer: Offer | None


@dataclass(frozen=True)
class OfferStatus:
    """One ticket type for one performance as the seller sees it, with its reason in words."""

    ticket_type: TicketType
    performance: Performance
    offer: Offer | None
    price: Decimal
    remaining: int
    reason: str | None
    needs: tuple[Need, ...] = field(default=())

    @property
    def on_sale(self) -> bool:
        return self.reason is None and self.remaining > 0

    @property
    def hidden(self) -> bool:
        """An offer that needs a promo code is not shown until one is entered."""
        return self.reason == PROMO_REQUIRED

    @property
    def min_per_order(self) -> int:
        return self.offer.min_per_order if self.offer else 1

    @property
    def max_per_order(self) -> int | None:
        return self.offer.max_per_order if self.offer else None

    @property
    def explanation(self) -> str:
        return self.reason or f"{self.remaining} remaining"

    def quantities(self) -> list[int]:
        """The quantities a seller may choose: none, or between the order limits and what is left."""
        if not self.on_sale:
            return [0]
        top = min(self.remaining, self.max_per_order or UNLIMITED)
        return [0, *range(self.min_per_order, top + 1)]


def offers_for(performance: Performance | int, *, customer: User | None = None, promo_code: str | None = None,
               now: dt.datetime, walkup: bool = False, override: bool = False) -> list[OfferStatus]:
    """Every ticket type offered for a performance (bundles included), each with why it can or cannot sell.

    ``now`` is festival-local wall time; ``walkup`` keeps only types sold at the door; ``override``
    (a manager's decision) lifts per-type caps and the advance-sales limit, never the house capacity.
    """
    return judge_offers(performance, customer=customer, promo_code=promo_code, now=now, walkup=walkup,
                        override=override)[0]


def judge_offers(performance: Performance | int, *, customer: User | None, promo_code: str | None,
                 now: dt.datetime, walkup: bool, override: bool) -> tuple[list[OfferStatus], dict[int, Inventory]]:
    """:func:`offers_for`, also returning the inventories it counted (a sale checks its basket against them)."""
    perf = performance if isinstance(performance, Performance) else Performance.get_by_id(performance)
    pid = perf.id
    offers = list(Offer.select(Offer, TicketType).join(TicketType).where(Offer.performance == pid))
    bundles = _bundles_at(pid, {o.ticket_type_id for o in offers})
    types = {o.ticket_type_id: o.ticket_type for o in offers}
    types.update({b.id: b for b in bundles})
    needs = needs_for(list(types.values()), pid, {(pid, o.ticket_type_id): o for o in offers})
    inv = inventories({n.performance for ns in needs.values() for n in ns} | {pid}, {pid: perf})
    own = {o.ticket_type_id: o for o in offers}
    statuses = []
    for ttype in sorted(types.values(), key=lambda t: (t.display_order, t.name)):
        if walkup and not ttype.walkup_allowed:
            continue
        if ttype.category == "subscriber":
            continue
        statuses.append(status_of(ttype, inv[pid].performance, own.get(ttype.id), needs[ttype.id], inv,
                                  customer=customer, promo_code=promo_code, now=now, override=override))
    return statuses, inv


def needs_for(types: list[TicketType], performance_id: int,
              known: dict[tuple[int, int], Offer] | None = None) -> dict[int, tuple[Need, ...]]:
    """What one ticket of each type takes, and where: itself, or its bundle's components.

    ``known`` holds offers already read, keyed by (performance id, ticket type id).
    """
    bundle_ids = [t.id for t in types if t.category == "bundle"]
    parts = list(BundleComponent.select().where(BundleComponent.bundle.in_(bundle_ids))) if bundle_ids else []
    pairs = {(p.performance_id or performance_id, p.component_id) for p in parts}
    pairs |= {(performance_id, t.id) for t in types if t.category != "bundle"}
    offers = dict(known or {})
    offers.update(_offers_on({pair for pair in pairs if pair not in offers}))
    needs: dict[int, tuple[Need, ...]] = {}
    for ttype in types:
        if ttype.category == "bundle":
            needs[ttype.id] = tuple(
                Need(p.performance_id or performance_id, p.component_id, p.quantity,
                     offers.get((p.performance_id or performance_id, p.component_id)))
                for p in parts if p.bundle_id == ttype.id)
        else:
            needs[ttype.id] = (Need(performance_id, ttype.id, 1, offers.get((performance_id, ttype.id))),)
    return needs


def status_of(ttype: TicketType, performance: Performance, offer: Offer | None, needs: tuple[Need, ...],
              inv: dict[int, Inventory], *, customer: User | None, promo_code: str | None,
              now: dt.datetime, override: bool = False) -> OfferStatus:
    """Judge one type at one performance; the first reason that stops the sale is the one given."""
    # A pass of open admissions only takes no seat when sold; the house bounds how many one sale may hold.
    remaining = min((room(need, inv, override) for need in needs),
                    default=performance.house_capacity if ttype.open_admissions else 0)
    if offer is not None and offer.max_sales is not None and ttype.category == "bundle" and not override:
        remaining = min(remaining, max(0, offer.max_sales - bundles_sold(ttype.id)))
    reason = _reason(ttype, offer, needs, inv, remaining, customer=customer, promo_code=promo_code, now=now,
                     override=override)
    return OfferStatus(ttype, performance, offer, ttype.price, remaining if reason is None else 0, reason, needs)


def room(need: Need, inv: dict[int, Inventory], override: bool = False) -> int:
    """How many tickets this need allows: per-type cap and saleable seats, or the house with an override."""
    stock = inv[need.performance]
    if override:
        return stock.house_left // need.per_ticket
    cap_left = UNLIMITED
    if need.offer is not None and need.offer.max_sales is not None:
        cap_left = max(0, need.offer.max_sales - stock.by_type.get(need.ticket_type, 0))
    return min(cap_left, stock.saleable) // need.per_ticket


def bundles_sold(bundle_id: int) -> int:
    return Item.select().where((Item.ticket_type == bundle_id) & (Item.kind == "ticket")
                               & Item.bundle.is_null()).count()


def promo_matches(offer: Offer | None, promo_code: str | None) -> bool:
    """No code needed, or the code entered is one of the offer's (ignoring case and spaces)."""
    wanted = promo_codes_of(offer)
    if not wanted:
        return True
    return bool(promo_code) and promo_code.strip().upper() in wanted


def promo_codes_of(offer: Offer | None) -> list[str]:
    """The codes that open an offer, as a seller types them (upper case)."""
    if offer is None or not offer.promo_codes:
        return []
    return [code.strip().upper() for code in offer.promo_codes.split(",") if code.strip()]


def explanation_for(status: OfferStatus, staff: Staff | None) -> str:
    """The offer in words for this operator: a manager is told which code opens it, others only that one does.

    As Audience1st does, the code itself is kept from box-office staff, who
    must hear it from the customer.
    """
    codes = promo_codes_of(status.offer)
    if status.reason == PROMO_REQUIRED and codes and can(staff, "see_promo_codes"):
        return f"Promo code {' or '.join(codes)} required"
    return status.explanation


def _reason(ttype: TicketType, offer: Offer | None, needs: tuple[Need, ...], inv: dict[int, Inventory],
            remaining: int, *, customer: User | None, promo_code: str | None, now: dt.datetime,
            override: bool) -> str | None:
    if not promo_matches(offer, promo_code):
        return PROMO_REQUIRED
    if ttype.availability == "subscribers" and not (customer is not None and customer.subscriber):
        return "Subscribers only"
    if not needs and not ttype.open_admissions:
        return "This bundle has no tickets in it"
    if any((inv[n.performance].house_left if override else inv[n.performance].saleable) == 0 for n in needs):
        return SOLD_OUT
    if offer is not None and offer.sales_start is not None and now < offer.sales_start:
        return f"Tickets of this type not on sale until {describe(offer.sales_start)}"
    if offer is not None and offer.sales_end is not None and now > offer.sales_end:
        return f"Tickets of this type not sold after {describe(offer.sales_end)}"
    if remaining <= 0:
        return "Tickets of this type are sold out"
    return None


def _bundles_at(performance_id: int, offered: set[int]) -> list[TicketType]:
    """Bundles sold at this performance: those offered here, and passes that include it."""
    query = (TicketType.select().distinct().join(BundleComponent, on=(BundleComponent.bundle == TicketType.id))
             .where((TicketType.category == "bundle") & (BundleComponent.performance == performance_id)))
    found = {t.id: t for t in query}
    return [t for t in found.values() if t.id not in offered]


def _offers_on(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], Offer]:
    if not pairs:
        return {}
    perf_ids = {p for p, _ in pairs}
    type_ids = {t for _, t in pairs}
    query = Offer.select().where(Offer.performance.in_(perf_ids) & Offer.ticket_type.in_(type_ids))
    return {(o.performance_id, o.ticket_type_id): o for o in query if (o.performance_id, o.ticket_type_id) in pairs}
