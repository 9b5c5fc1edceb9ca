"""Selling at the door and at the box office: one order, one payment, all or nothing.

Audience1st checks capacity and then writes without a lock, so two terminals
could sell the same last seat. Here every sale counts and writes inside one
:func:`~gbetix_core.db.write` transaction (``BEGIN IMMEDIATE`` on SQLite) after
locking the rows of every performance it touches (``FOR UPDATE`` on
PostgreSQL, in id order so two sales never deadlock). A refused sale raises
:class:`SaleRefused` and leaves nothing behind. Going past a cap needs the
``override_cap`` permission and is written to the audit log; nothing ever goes
past the house capacity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from gbetix_core import audit, validation
from gbetix_core.boxoffice.availability import Inventory, OfferStatus, judge_offers, promo_matches, room
from gbetix_core.boxoffice.backdating import backdating_reason, record_backdating
from gbetix_core.boxoffice.catalog import get, label, money
from gbetix_core.boxoffice.clock import DEFAULT_TIME_ZONE, festival_now, local_to_utc
from gbetix_core.boxoffice.tickets import issue_tickets
from gbetix_core.db import is_postgres, locked, write
from gbetix_core.errors import InputError, SaleRefused
from gbetix_core.models import (
    AccountCode,
    BundleComponent,
    CheckIn,
    Item,
    Order,
    Performance,
    Product,
    Staff,
    TicketType,
    User,
)
from gbetix_core.models.base import ZERO
from gbetix_core.people.accounts import special_account
from gbetix_core.permissions import require

PAYMENTS = ("cash", "check", "card", "comp")
NEEDS_REFERENCE = {"check": "check number", "card": "card reference"}


@dataclass
class Basket:
    """What a customer asks for: tickets by type id, retail products by id, and a donation."""

    performance: int
    tickets: dict[int, int] = field(default_factory=dict)
    products: dict[int, int] = field(default_factory=dict)
    donation: Decimal = ZERO
    donation_account: int | None = None

    def is_empty(self) -> bool:
        return not any(self.tickets.values()) and not any(self.products.values()) and not self.donation


@dataclass(frozen=True)
class Line:
    label: str
    quantity: int
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Quote:
    """The running total the seller shows while the basket fills."""

    lines: tuple[Line, ...]
    total: Decimal


def quote(basket: Basket, payment: str = "cash") -> Quote:
    """Price a basket (no availability check: :func:`offers_for` says what can be sold)."""
    _check_basket(basket)
    free = payment == "comp"
    lines = []
    types = {t.id: t for t in TicketType.select().where(TicketType.id.in_(list(basket.tickets)))}
    for type_id, qty in basket.tickets.items():
        ttype = types.get(type_id) or get(TicketType, type_id, "ticket type")
        if qty:
            lines.append(_line(ttype.name, qty, ZERO if free else ttype.price))
    lines += _extra_lines(basket)
    return Quote(tuple(lines), sum((line.amount for line in lines), ZERO))


def check_sale(staff: Staff, basket: Basket, payment: str, payment_ref: str | None = None,
               override: bool = False) -> Quote:
    """Refuse now what the sale would refuse without looking at seats, and price it: faces ask this before
    the seller confirms, so a refusal never follows a "yes" and the confirmation names the sum to collect."""
    _check_request(staff, basket, payment, payment_ref, override)
    return quote(basket, payment)


def _extra_lines(basket: Basket) -> list[Line]:
    """Retail items and the donation, priced."""
    lines = [_line(product.name, qty, product.price) for product, qty in _products(basket) if qty]
    if basket.donation:
        lines.append(_line("Donation", 1, money(basket.donation, "donation")))
    return lines


def _products(basket: Basket) -> list[tuple[Product, int]]:
    if not basket.products:
        return []
    found = {p.id: p for p in Product.select().where(Product.id.in_(list(basket.products)))}
    return [(found.get(pid) or get(Product, pid, "product"), qty) for pid, qty in basket.products.items()]


def _line(name: str, quantity: int, unit_price: Decimal) -> Line:
    return Line(name, quantity, unit_price, unit_price * quantity)


def sell_walkup(staff: Staff, basket: Basket, *, payment: str, payment_ref: str | None = None,
                customer: User | None = None, override: bool = False, promo_code: str | None = None,
                now: dt.datetime | None = None, time_zone: str = DEFAULT_TIME_ZONE,
                comments: str | None = None, backdate_reason: str | None = None,
                cash_tendered: Decimal | None = None) -> Order:
    """Sell at the door: walkup-allowed types only; the tickets are checked in as they are sold.

    ``now`` is the sale's own clock (festival-local): the order and its items are
    stamped with it, so a back-dated sale counts in the period it happened in.
    """
    return _sell(staff, basket, source="walkup", payment=payment, payment_ref=payment_ref,
                 customer=customer or special_account("walkup"), override=override, promo_code=promo_code,
                 clock=SaleClock(now or festival_now(time_zone), time_zone, backdate_reason),
                 comments=comments, cash_tendered=cash_tendered)


def sell_to_customer(staff: Staff, customer: User, basket: Basket, *, payment: str, payment_ref: str | None = None,
                     override: bool = False, promo_code: str | None = None, now: dt.datetime | None = None,
                     time_zone: str = DEFAULT_TIME_ZONE, comments: str | None = None,
                     backdate_reason: str | None = None, cash_tendered: Decimal | None = None) -> Order:
    """A box-office order for a named customer (phone, email, comps): tickets held, not checked in."""
    if customer.special:
        raise InputError("A box-office order needs a named customer; use a walkup sale for the door.")
    return _sell(staff, basket, source="boxoffice", payment=payment, payment_ref=payment_ref, customer=customer,
                 override=override, promo_code=promo_code,
                 clock=SaleClock(now or festival_now(time_zone), time_zone, backdate_reason),
                 comments=comments, cash_tendered=cash_tendered)


@dataclass(frozen=True)
class SaleClock:
    """When a sale happened (festival-local), in which zone, and why, if that is before now."""

    now: dt.datetime
    time_zone: str
    backdate_reason: str | None = None

    @property
    def stamp(self) -> dt.datetime:
        """The stored instant (naive UTC) of the order and its items."""
        return local_to_utc(self.now, self.time_zone)


def _sell(staff: Staff, basket: Basket, *, source: str, payment: str, payment_ref: str | None, customer: User,
          override: bool, promo_code: str | None, clock: SaleClock, comments: str | None,
          cash_tendered: Decimal | None) -> Order:
    _check_request(staff, basket, payment, payment_ref, override)
    backdated = backdating_reason(staff, clock.now, clock.time_zone, clock.backdate_reason)
    now = clock.now
    with write():
        perf = get(Performance, basket.performance, "performance")
        types = {t.id: t for t in TicketType.select().where(TicketType.id.in_(list(basket.tickets)))}
        _lock_performances(perf.id, types)
        judged, inv = judge_offers(perf, customer=customer, promo_code=promo_code, now=now,
                                   walkup=source == "walkup", override=override)
        statuses = {s.ticket_type.id: s for s in judged}
        lines = [(_judge(staff, perf, types, statuses, type_id, qty, source), qty)
                 for type_id, qty in basket.tickets.items() if qty]
        _check_promo(promo_code, lines)
        past_caps = _check_seats(lines, inv, override)
        order = _write_order(staff, basket, source, payment, payment_ref, customer, comments, perf, lines)
        _stamp(order, clock.stamp, lines, promo_code, _tendered(order, payment, cash_tendered))
        _record(staff, order, lines, override, past_caps)
        if backdated:
            record_backdating(staff, order, now, backdated, clock.time_zone)
    return order


def _tendered(order: Order, payment: str, cash_tendered: Decimal | None) -> Decimal | None:
    """Cash handed over, which must cover the total (the change due is the difference)."""
    if cash_tendered is None:
        return None
    if payment != "cash":
        raise InputError("Cash tendered is for a cash sale only.")
    tendered = money(cash_tendered, "cash tendered")
    if tendered < order.total:
        raise SaleRefused(f"${tendered:,.2f} tendered does not cover the total of ${order.total:,.2f}.")
    return tendered


def _stamp(order: Order, stamp: dt.datetime, lines: list[tuple[OfferStatus, int]], promo_code: str | None,
           tendered: Decimal | None) -> None:
    """Date the order and its items by the sale's clock; keep the promo code on what it unlocked."""
    Order.update(created_at=stamp, cash_tendered=tendered).where(Order.id == order.id).execute()
    order.created_at, order.cash_tendered = stamp, tendered
    Item.update(created_at=stamp).where(Item.order == order.id).execute()
    unlocked = [s.ticket_type.id for s, _ in lines if not promo_matches(s.offer, None)]
    if unlocked:
        Item.update(promo_code=promo_code.strip().upper()).where(
            (Item.order == order.id) & Item.ticket_type.in_(unlocked) & Item.bundle.is_null()).execute()


def _check_request(staff: Staff, basket: Basket, payment: str, payment_ref: str | None, override: bool) -> None:
    """Everything that can be refused before touching the database."""
    require(staff, "sell")
    _check_basket(basket)
    if basket.is_empty():
        raise InputError("The order is empty: choose tickets, items or a donation.")
    if payment not in PAYMENTS:
        raise InputError(f"Unknown payment {payment!r}: choose one of {', '.join(PAYMENTS)}.")
    if payment in NEEDS_REFERENCE and not (payment_ref or "").strip():
        raise InputError(f"A {payment} payment needs the {NEEDS_REFERENCE[payment]}.")
    if payment == "comp":
        require(staff, "comp")
        if basket.products or basket.donation:
            raise InputError("A comp order holds tickets only; sell items and donations separately.")
    if override:
        require(staff, "override_cap")


def _check_basket(basket: Basket) -> None:
    for what, counts in (("ticket", basket.tickets), ("item", basket.products)):
        for key, qty in counts.items():
            validation.integer(f"number of {what}s", qty, high=validation.MAX_QUANTITY)
    if basket.donation and money(basket.donation, "donation") <= 0:
        raise InputError("A donation must be more than zero.")


def _lock_performances(perf_id: int, types: dict[int, TicketType]) -> None:
    """Lock every performance the sale takes seats from (a bundle's components too)."""
    ids = {perf_id}
    bundles = [t.id for t in types.values() if t.category == "bundle"]
    if bundles and is_postgres():
        query = BundleComponent.select(BundleComponent.performance).where(BundleComponent.bundle.in_(bundles))
        ids |= {c.performance_id for c in query if c.performance_id}
    lock_performances(ids)


def lock_performances(ids: set[int]) -> None:
    """Row-lock these performances, lowest id first so that two writers never deadlock.

    Every writer of tickets (sales and the BPT importer) takes these locks before
    counting seats, so a count is never stale by the time its tickets commit. On
    SQLite the ``BEGIN IMMEDIATE`` of :func:`write` already holds the only write lock.
    """
    if ids and is_postgres():
        list(locked(Performance.select(Performance.id).where(Performance.id.in_(sorted(ids))).order_by(Performance.id)))


def _judge(staff: Staff, perf: Performance, types: dict[int, TicketType], statuses: dict[int, OfferStatus],
           type_id: int, qty: int, source: str) -> OfferStatus:
    """Refuse one line of the basket, in words, or return its offer status."""
    ttype = types.get(type_id) or get(TicketType, type_id, "ticket type")
    status = statuses.get(type_id)
    if status is None:
        where = "at the door" if source == "walkup" else "for this performance"
        raise SaleRefused(f"{ttype.name} is not sold {where} ({label(perf)}).")
    if ttype.category == "comp":
        require(staff, "comp")
    if status.reason:
        raise SaleRefused(f"{ttype.name}: {status.reason}.")
    if qty < status.min_per_order:
        raise SaleRefused(f"{ttype.name}: at least {status.min_per_order} per order.")
    if status.max_per_order is not None and qty > status.max_per_order:
        raise SaleRefused(f"{ttype.name}: at most {status.max_per_order} per order.")
    if qty > status.remaining:
        raise SaleRefused(f"Only {status.remaining} {ttype.name} left for {label(perf)}: you asked for {qty}.")
    return status


def _check_promo(promo_code: str | None, lines: list[tuple[OfferStatus, int]]) -> None:
    """A promo code given for a sale none of whose offers takes one is a mistake to point out, not to ignore."""
    if promo_code and promo_code.strip() and not any(s.offer and s.offer.promo_codes for s, _ in lines):
        raise InputError(f"promo code {promo_code!r}: no ticket in this sale is offered with a promo code; "
                         "sell without it")


def _check_seats(lines: list[tuple[OfferStatus, int]], inv: dict[int, Inventory], override: bool) -> list[str]:
    """The basket as a whole must fit each performance (counted under the lock); return limits an override passed."""
    demand: dict[int, int] = {}
    for status, qty in lines:
        if status.ticket_type.category == "nonticket":
            continue
        for need in status.needs:
            demand[need.performance] = demand.get(need.performance, 0) + qty * need.per_ticket
    for pid, seats in demand.items():
        limit = inv[pid].house_left if override else inv[pid].saleable
        if seats > limit:
            raise SaleRefused(f"Only {limit} seats left for {label(inv[pid].performance)}: this order needs {seats}.")
    if not override:
        return []
    past = [f"advance-sales limit of {label(inv[pid].performance)}" for pid, seats in demand.items()
            if seats > inv[pid].saleable]
    past += [f"cap on {status.ticket_type.name}" for status, qty in lines
             if any(qty > room(need, inv) for need in status.needs)]
    return past


def _write_order(staff: Staff, basket: Basket, source: str, payment: str, payment_ref: str | None, customer: User,
                 comments: str | None, perf: Performance, lines: list[tuple[OfferStatus, int]]) -> Order:
    free = payment == "comp"
    prices = [(status, qty, ZERO if free else status.price) for status, qty in lines]
    total = sum((price * qty for _, qty, price in prices), ZERO) + sum((line.amount for line in _extra_lines(basket)), ZERO)
    order = Order.create(source=source, customer=customer, purchaser=customer, processed_by=staff,
                         payment_method=payment, payment_ref=(payment_ref or "").strip() or None, comments=comments,
                         total=total)
    seats = []
    for status, qty, price in prices:
        seats += issue_tickets(order, status.ticket_type, perf, qty, customer, price)
        if status.ticket_type.subscription and not customer.special and not customer.subscriber:
            User.update(subscriber=True).where(User.id == customer.id).execute()
            customer.subscriber = True
    _write_extras(order, basket, customer)
    if source == "walkup":
        _check_in_at_door(order, perf, staff, seats)
    return order


def _write_extras(order: Order, basket: Basket, customer: User) -> None:
    for product, qty in _products(basket):
        if qty and not product.active:
            raise SaleRefused(f"{product.name} is no longer sold.")
        for _ in range(qty):
            Item.create(order=order, kind="retail", amount=product.price, product=product, owner=customer,
                        account_code=product.account_code_id)
    if basket.donation:
        account = get(AccountCode, basket.donation_account, "account code") if basket.donation_account else None
        Item.create(order=order, kind="donation", amount=money(basket.donation, "donation"), owner=customer,
                    account_code=account)


def _check_in_at_door(order: Order, perf: Performance, staff: Staff, issued: list[Item]) -> None:
    """A walkup ticket is used on the spot: admit each seat for this performance now (pass components too)."""
    seats = [item.id for item in issued if item.performance_id == perf.id]
    if any(item.performance_id is None for item in issued):
        seats += [row.id for row in Item.select(Item.id).where((Item.order == order.id) & (Item.performance == perf.id)
                                                                & Item.bundle.is_null(False))]
    if seats:
        CheckIn.insert_many([{"item": seat, "staff": staff.id} for seat in seats]).execute()


def _record(staff: Staff, order: Order, lines: list[tuple[OfferStatus, int]], override: bool,
            past_caps: list[str]) -> None:
    after = {"source": order.source, "payment": order.payment_method, "total": order.total,
             "customer": order.customer_id, "tickets": {s.ticket_type.name: qty for s, qty in lines}}
    audit.record("sale", staff=staff, subject=f"order:{order.id}", after=after)
    if override and past_caps:
        audit.record("sale.override", staff=staff, subject=f"order:{order.id}", after=after,
                     reason="sold past the " + "; ".join(past_caps))
