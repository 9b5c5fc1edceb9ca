"""Setting up what the box office sells: shows, performances, ticket types, offers, products.

Every change needs the ``setup`` permission and is written to the audit log
in the same transaction. Offers are Audience1st's ValidVouchers: one row per
(performance, ticket type) saying how many may be sold, when and to whom;
:func:`set_offers` writes the same terms onto many performances at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable

from peewee import Model

from gbetix_core import audit, validation
from gbetix_core.db import locked, write
from gbetix_core.errors import InputError, NotFound, SaleRefused
from gbetix_core.models import (
    AccountCode,
    BundleComponent,
    Item,
    Offer,
    Performance,
    Product,
    Show,
    Staff,
    TicketType,
)
from gbetix_core.models.catalog import AVAILABILITY, CATEGORIES
from gbetix_core.permissions import require

SHOW_FIELDS = ("name", "description", "season")
PERFORMANCE_FIELDS = ("starts_at", "house_capacity", "max_advance_sales", "description")
TYPE_FIELDS = ("name", "price", "season", "category", "availability", "walkup_allowed", "subscription",
               "account_code", "display_order", "description", "open_admissions", "open_admission_type")
OFFER_FIELDS = ("max_sales", "sales_start", "sales_end", "promo_codes", "min_per_order", "max_per_order")


@dataclass(frozen=True)
class Component:
    """One ticket a bundle expands into: a type, at a performance (or the one sold for), times ``quantity``."""

    ticket_type: int
    performance: int | None = None
    quantity: int = 1


def get(model: type[Model], ident: Any, what: str) -> Any:
    """Fetch a row by id (or pass a row through); NotFound names what was missing."""
    if isinstance(ident, model):
        return ident
    if ident is None:
        raise InputError(f"Choose the {what} first.")
    row = model.get_or_none(model.id == ident)
    if row is None:
        raise NotFound(f"No {what} with id {ident}.")
    return row


def money(value: Any, what: str = "price") -> Decimal:
    """An amount for a money column: finite, not negative, within DECIMAL(12,2), to the cent."""
    return validation.money(what, value)


def _snapshot(row: Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(row, f"{name}_id" if name in ("account_code", "open_admission_type") else name)
            for name in fields}


def _edit(staff: Staff, model: type[Model], ident: Any, fields: tuple[str, ...], changes: dict[str, Any],
          check: Callable[[Any], None]) -> Any:
    """Change some fields of one setup row, check the result, and audit before and after."""
    require(staff, "setup")
    what = model._meta.table_name
    with write():
        row = get(model, getattr(ident, "id", ident), what.replace("_", " "))
        before = _snapshot(row, fields)
        _apply(row, fields, changes)
        check(row)
        row.save()
        audit.record(f"setup.{what}.edit", staff=staff, subject=f"{what}:{row.id}", before=before,
                     after=_snapshot(row, fields))
    return row


def _apply(row: Model, fields: Iterable[str], changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(fields)
    if unknown:
        raise InputError(f"Cannot change {', '.join(sorted(unknown))}; editable: {', '.join(fields)}.")
    for name, value in changes.items():
        setattr(row, name, value)


# Shows ---------------------------------------------------------------------------------------

def add_show(staff: Staff, name: str, season: int, description: str | None = None) -> Show:
    require(staff, "setup")
    name, season = _name(name, "show"), validation.integer("season", season)
    with write():
        show = Show.create(name=name, season=season, description=description)
        audit.record("setup.show.add", staff=staff, subject=f"show:{show.id}", after=_snapshot(show, SHOW_FIELDS))
    return show


def edit_show(staff: Staff, show: Show | int, **changes: Any) -> Show:
    def check(row: Show) -> None:
        row.name, row.season = _name(row.name, "show"), validation.integer("season", row.season)

    return _edit(staff, Show, show, SHOW_FIELDS, changes, check)


def list_shows(season: int | None = None) -> list[Show]:
    query = Show.select().order_by(Show.season, Show.name)
    return list(query.where(Show.season == season) if season is not None else query)


# Performances ----------------------------------------------------------------------------------

def add_performances(staff: Staff, show: Show | int, starts: Iterable[dt.datetime], house_capacity: int,
                     max_advance_sales: int | None = None, description: str | None = None) -> list[Performance]:
    """Create one performance per curtain time (festival-local), all with the same house."""
    require(staff, "setup")
    starts = sorted(set(starts))
    if not starts:
        raise InputError("Give at least one date and time for the performances.")
    advance = house_capacity if max_advance_sales is None else max_advance_sales
    house_capacity, advance = _check_house(house_capacity, advance)
    with write():
        show = get(Show, show, "show")
        made = [Performance.create(show=show, starts_at=start, house_capacity=house_capacity,
                                   max_advance_sales=advance, description=description) for start in starts]
        for perf in made:
            audit.record("setup.performance.add", staff=staff, subject=f"performance:{perf.id}",
                         after=_snapshot(perf, PERFORMANCE_FIELDS))
    return made


def edit_performance(staff: Staff, performance: Performance | int, **changes: Any) -> Performance:
    """Change a performance; capacity can never drop below the tickets already sold for it."""
    def check(perf: Performance) -> None:
        perf.house_capacity, perf.max_advance_sales = _check_house(perf.house_capacity, perf.max_advance_sales)
        list(locked(Performance.select(Performance.id).where(Performance.id == perf.id)))
        sold = Item.select().where((Item.performance == perf.id) & (Item.kind == "ticket")).count()
        if perf.house_capacity < sold:
            raise SaleRefused(f"{sold} tickets are already sold; the house cannot be smaller than that.")

    return _edit(staff, Performance, performance, PERFORMANCE_FIELDS, changes, check)


def delete_performance(staff: Staff, performance: Performance | int) -> None:
    """Delete a performance nothing was ever sold for (its offers go with it)."""
    require(staff, "setup")
    with write():
        perf = get(Performance, performance, "performance")
        list(locked(Performance.select().where(Performance.id == perf.id)))
        if Item.select().where(Item.performance == perf.id).exists():
            raise SaleRefused(f"Tickets were sold for {label(perf)}; it cannot be deleted.")
        if BundleComponent.select().where(BundleComponent.performance == perf.id).exists():
            raise SaleRefused(f"A pass or bundle includes {label(perf)}; remove it from the bundle first.")
        before = _snapshot(perf, PERFORMANCE_FIELDS)
        Offer.delete().where(Offer.performance == perf.id).execute()
        perf.delete_instance()
        audit.record("setup.performance.delete", staff=staff, subject=f"performance:{perf.id}", before=before)


def list_performances(show: Show | int | None = None) -> list[Performance]:
    query = Performance.select(Performance, Show).join(Show).order_by(Performance.starts_at, Performance.id)
    return list(query.where(Performance.show == show) if show is not None else query)


def label(perf: Performance) -> str:
    """How a performance is named to a person: ``The Main Event, Fri 12 Dec 19:30``."""
    return f"{perf.show.name}, {perf.starts_at:%a %d %b %H:%M}"


def _check_house(house: Any, advance: Any) -> tuple[int, int]:
    """The house capacity and advance-sales limit as whole numbers, advance within the house."""
    house = validation.integer("house capacity", house, low=1)
    advance = validation.integer("advance-sales limit", advance)
    if advance > house:
        raise InputError(f"Advance sales ({advance}) must be between 0 and the house capacity ({house}).")
    return house, advance


def _name(name: str, what: str) -> str:
    return validation.name(f"{what} name", name if name is not None else "")


# Ticket types and bundles ----------------------------------------------------------------------

def add_ticket_type(staff: Staff, name: str, price: Any, season: int, *, category: str = "revenue",
                    availability: str = "anyone", walkup_allowed: bool = True, subscription: bool = False,
                    account_code: AccountCode | int | None = None, display_order: int = 0,
                    description: str | None = None, components: Iterable[Component] = (), open_admissions: int = 0,
                    open_admission_type: TicketType | int | None = None) -> TicketType:
    """Create a ticket type; a bundle (or pass) lists the component tickets it expands into.

    A pass may also (or only) carry ``open_admissions`` ("any 3 shows"): each is
    reserved later for a performance, as an ``open_admission_type`` ticket.
    """
    require(staff, "setup")
    with write():
        ttype = TicketType(name=_name(name, "ticket type"), price=money(price), season=season, category=category,
                           availability=availability, walkup_allowed=walkup_allowed, subscription=subscription,
                           account_code=account_code, display_order=display_order, description=description,
                           open_admissions=open_admissions, open_admission_type=open_admission_type)
        _check_type(ttype)
        ttype.save()
        _write_components(ttype, list(components))
        audit.record("setup.ticket_type.add", staff=staff, subject=f"ticket_type:{ttype.id}",
                     after={**_snapshot(ttype, TYPE_FIELDS), "components": _component_list(ttype)})
    return ttype


def edit_ticket_type(staff: Staff, ticket_type: TicketType | int, components: Iterable[Component] | None = None,
                     **changes: Any) -> TicketType:
    """Change a ticket type; passing ``components`` replaces a bundle's contents (for future sales)."""
    require(staff, "setup")
    with write():
        ttype = get(TicketType, ticket_type, "ticket type")
        before = {**_snapshot(ttype, TYPE_FIELDS), "components": _component_list(ttype)}
        if "price" in changes:
            changes["price"] = money(changes["price"])
        _apply(ttype, TYPE_FIELDS, changes)
        _check_type(ttype)
        ttype.save()
        if components is not None:
            BundleComponent.delete().where(BundleComponent.bundle == ttype.id).execute()
            _write_components(ttype, list(components))
        elif ttype.category != "bundle" and BundleComponent.select().where(BundleComponent.bundle == ttype.id).exists():
            raise InputError("Only a bundle has component tickets; remove them before changing the category.")
        audit.record("setup.ticket_type.edit", staff=staff, subject=f"ticket_type:{ttype.id}", before=before,
                     after={**_snapshot(ttype, TYPE_FIELDS), "components": _component_list(ttype)})
    return ttype


def list_ticket_types(season: int | None = None) -> list[TicketType]:
    query = TicketType.select().order_by(TicketType.season, TicketType.display_order, TicketType.name)
    return list(query.where(TicketType.season == season) if season is not None else query)


def components_of(bundle: TicketType | int) -> list[BundleComponent]:
    return list(BundleComponent.select().where(BundleComponent.bundle == bundle).order_by(BundleComponent.id))


def _check_type(ttype: TicketType) -> None:
    ttype.season = validation.integer("season", ttype.season)
    ttype.display_order = validation.integer("display order", ttype.display_order, low=-validation.MAX_INT)
    if ttype.category not in CATEGORIES:
        raise InputError(f"Unknown category {ttype.category!r}: choose one of {', '.join(CATEGORIES)}.")
    if ttype.availability not in AVAILABILITY:
        raise InputError(f"Unknown availability {ttype.availability!r}: choose one of {', '.join(AVAILABILITY)}.")
    if ttype.category in ("subscriber", "comp") and ttype.price != 0:
        raise InputError(f"A {ttype.category} ticket type is free; its price must be 0.")
    if ttype.account_code_id is not None:
        get(AccountCode, ttype.account_code_id, "account code")
    _check_open_admissions(ttype)


def _check_open_admissions(ttype: TicketType) -> None:
    """Open admissions belong to a pass, and are reserved as a free subscriber ticket type."""
    if not isinstance(ttype.open_admissions, int) or ttype.open_admissions < 0:
        raise InputError("The number of open admissions must be a whole number, 0 or more.")
    if not ttype.open_admissions:
        return
    if ttype.category != "bundle":
        raise InputError(f"Only a pass (a bundle) carries open admissions; {ttype.name} is {ttype.category}.")
    if ttype.open_admission_type_id is None:
        raise InputError("A pass with open admissions needs the ticket type they are reserved as.")
    admission = get(TicketType, ttype.open_admission_type_id, "ticket type")
    if admission.category != "subscriber":
        raise InputError(f"Open admissions are reserved as a subscriber ticket type; {admission.name} is not one.")


def _write_components(bundle: TicketType, components: list[Component]) -> None:
    if components and bundle.category != "bundle":
        raise InputError(f"{bundle.name} is not a bundle: only bundles have component tickets.")
    if bundle.category == "bundle" and not components and not bundle.open_admissions:
        raise InputError(f"The bundle {bundle.name} needs at least one component ticket.")
    for part in components:
        component = get(TicketType, part.ticket_type, "ticket type")
        if component.category == "bundle" or component.id == bundle.id:
            raise InputError(f"{component.name} is a bundle; a bundle cannot contain another bundle.")
        if part.performance is not None:
            get(Performance, part.performance, "performance")
        if part.quantity < 1:
            raise InputError("A component's quantity must be at least 1.")
        BundleComponent.create(bundle=bundle, component=component, performance=part.performance,
                               quantity=part.quantity)


def _component_list(ttype: TicketType) -> list[list[int | None]]:
    return [[c.component_id, c.performance_id, c.quantity] for c in components_of(ttype)]


# Offers --------------------------------------------------------------------------------------

def set_offers(staff: Staff, ticket_type: TicketType | int, performances: Iterable[Performance | int], *,
               max_sales: int | None = None, sales_start: dt.datetime | None = None,
               sales_end: dt.datetime | None = None, start_before_curtain: dt.timedelta | None = None,
               end_before_curtain: dt.timedelta | None = None, promo_codes: str | None = None,
               min_per_order: int = 1, max_per_order: int | None = None) -> list[Offer]:
    """Offer a ticket type for many performances at once (creating or replacing each offer).

    Windows are festival-local. ``end_before_curtain`` is relative to each
    performance's curtain: ``timedelta(hours=1)`` stops sales an hour before,
    ``timedelta(minutes=-45)`` keeps selling until 45 minutes after it starts.
    """
    require(staff, "setup")
    if sales_end is not None and end_before_curtain is not None:
        raise InputError("Give the end of sales either as a date or relative to the curtain, not both.")
    if sales_start is not None and start_before_curtain is not None:
        raise InputError("Give the start of sales either as a date or relative to the curtain, not both.")
    with write():
        ttype = get(TicketType, ticket_type, "ticket type")
        perfs = [get(Performance, p, "performance") for p in performances]
        if not perfs:
            raise InputError("Choose at least one performance for the offer.")
        offers = []
        for perf in perfs:
            terms = {
                "max_sales": max_sales, "promo_codes": clean_codes(promo_codes),
                "min_per_order": min_per_order, "max_per_order": max_per_order,
                "sales_start": perf.starts_at - start_before_curtain if start_before_curtain is not None else sales_start,
                "sales_end": perf.starts_at - end_before_curtain if end_before_curtain is not None else sales_end,
            }
            offers.append(_upsert_offer(staff, perf, ttype, terms))
    return offers


def edit_offer(staff: Staff, offer: Offer | int, **changes: Any) -> Offer:
    if "promo_codes" in changes:
        changes["promo_codes"] = clean_codes(changes["promo_codes"])
    return _edit(staff, Offer, offer, OFFER_FIELDS, changes, _check_offer)


def delete_offer(staff: Staff, offer: Offer | int) -> None:
    """Stop offering a type for a performance; tickets already sold stay sold."""
    require(staff, "setup")
    with write():
        offer = get(Offer, offer, "offer")
        before = {**_snapshot(offer, OFFER_FIELDS), "performance": offer.performance_id,
                  "ticket_type": offer.ticket_type_id}
        offer.delete_instance()
        audit.record("setup.offer.delete", staff=staff, subject=f"offer:{offer.id}", before=before)


def list_offers(performance: Performance | int) -> list[Offer]:
    return list(Offer.select(Offer, TicketType).join(TicketType).where(Offer.performance == performance)
                .order_by(TicketType.display_order, TicketType.name))


def clean_codes(codes: str | None) -> str | None:
    """Promo codes as stored: comma-separated, trimmed, upper-case (matching ignores case)."""
    parts = [part.strip().upper() for part in (codes or "").split(",") if part.strip()]
    return ",".join(dict.fromkeys(parts)) or None


def _upsert_offer(staff: Staff, perf: Performance, ttype: TicketType, terms: dict[str, Any]) -> Offer:
    offer = Offer.get_or_none((Offer.performance == perf.id) & (Offer.ticket_type == ttype.id))
    before = _snapshot(offer, OFFER_FIELDS) if offer else None
    offer = offer or Offer(performance=perf, ticket_type=ttype)
    _apply(offer, OFFER_FIELDS, terms)
    _check_offer(offer)
    offer.save()
    audit.record("setup.offer.set", staff=staff, subject=f"offer:{offer.id}", before=before,
                 after={**_snapshot(offer, OFFER_FIELDS), "performance": perf.id, "ticket_type": ttype.id})
    return offer


def _check_offer(offer: Offer) -> None:
    if offer.max_sales is not None:
        offer.max_sales = validation.integer("most that may be sold", offer.max_sales)
    offer.min_per_order = validation.integer("least per order", offer.min_per_order, low=1)
    if offer.max_per_order is not None:
        offer.max_per_order = validation.integer("most per order", offer.max_per_order, low=1)
    if offer.promo_codes is not None:
        offer.promo_codes = validation.text("promo codes", offer.promo_codes)
    if offer.max_per_order is not None and offer.max_per_order < offer.min_per_order:
        raise InputError(f"The most per order ({offer.max_per_order}) is below the least ({offer.min_per_order}).")
    if offer.sales_start and offer.sales_end and offer.sales_end <= offer.sales_start:
        raise InputError("Sales must end after they start.")


# Account codes and retail products -----------------------------------------------------------------

def add_account_code(staff: Staff, code: str, name: str, description: str | None = None) -> AccountCode:
    require(staff, "setup")
    with write():
        if AccountCode.select().where(AccountCode.code == code.strip()).exists():
            raise InputError(f"Account code {code!r} already exists.")
        account = AccountCode.create(code=_name(code, "account code"), name=_name(name, "account"),
                                     description=description)
        audit.record("setup.account_code.add", staff=staff, subject=f"account_code:{account.id}",
                     after={"code": account.code, "name": account.name})
    return account


def list_account_codes() -> list[AccountCode]:
    return list(AccountCode.select().order_by(AccountCode.code))


def add_product(staff: Staff, name: str, price: Any, account_code: AccountCode | int | None = None) -> Product:
    require(staff, "setup")
    with write():
        if Product.select().where(Product.name == name.strip()).exists():
            raise InputError(f"A product called {name!r} already exists.")
        product = Product.create(name=_name(name, "product"), price=money(price), account_code=account_code)
        audit.record("setup.product.add", staff=staff, subject=f"product:{product.id}",
                     after={"name": product.name, "price": product.price, "account_code": product.account_code_id})
    return product


def list_products(active_only: bool = True) -> list[Product]:
    query = Product.select().order_by(Product.name)
    return list(query.where(Product.active == True) if active_only else query)  # noqa: E712
