"""BPT's events, dates and prices mirrored locally, each mapped to the festival's own catalog.

Vendor columns are refreshed on every sync; the local columns (``local_title``
and the show / performance / ticket-type mappings) are the festival's and a
sync never overwrites them. A date or price with no mapping yet is mapped
automatically when exactly one local choice fits (created when none exists);
when several fit it stays unmapped and the sync says so, for an admin to map.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from decimal import Decimal

from peewee import fn

from gbetix_core import validation
from gbetix_core.errors import BptError, InputError
from gbetix_core.models import BptDate, BptEvent, BptPrice, Performance, Show, TicketType
from gbetix_core.models.base import utcnow

PASS_WORDS = ("pass", "bundle", "package", "subscription")
MAX_AMOUNT = Decimal(1_000_000)


def upsert_event(record: dict) -> BptEvent:
    """Create or refresh the mirror of one ``<event>``."""
    _check(record, "event")
    values = {
        "title": _display(record.get("title")),
        "link": record.get("link"),
        "description": _display(record.get("description")),
        "live": record.get("live") != "n",
        "venue": _json_of(record, "e_"),
        "contact": _json_of(record, "c_"),
        "seen_at": utcnow(),
    }
    event = BptEvent.get_or_none(BptEvent.event_id == record["event_id"])
    if event is None:
        return BptEvent.create(event_id=record["event_id"], **values)
    BptEvent.update(values).where(BptEvent.id == event.id).execute()
    return BptEvent.get_by_id(event.id)


def _check(record: dict, kind: str) -> None:
    """A catalog record whose short fields no column can hold stops its event with a BPT error, never a crash.

    The description and the venue and contact details go to text columns of any length.
    """
    short = {k: v for k, v in record.items() if k != "description" and not k.startswith(("e_", "c_"))}
    problem = validation.record_problem(short)
    if problem:
        raise BptError(f"BPT's {kind} cannot be stored: {problem}")


def _json_of(record: dict, prefix: str) -> str | None:
    fields = {k[len(prefix):]: v for k, v in record.items() if k.startswith(prefix) and v is not None}
    return json.dumps(fields, sort_keys=True) if fields else None


def upsert_date(event: BptEvent, record: dict) -> tuple[BptDate, list[str]]:
    """Create or refresh one ``<date>``; map it to a performance if it has none yet."""
    _check(record, "date")
    values = {
        "event": event,
        "live": record.get("live") != "n",
        "date_start": _date(record.get("datestart")),
        "date_end": _date(record.get("dateend")),
        "time_start": record.get("timestart"),
        "time_end": record.get("timeend"),
        "available": _int(record.get("date_available")),
        "seen_at": utcnow(),
    }
    date = BptDate.get_or_none(BptDate.date_id == record["date_id"])
    if date is None:
        date = BptDate.create(date_id=record["date_id"], **values)
    else:
        BptDate.update(values).where(BptDate.id == date.id).execute()
        date = BptDate.get_by_id(date.id)
    warnings = [] if date.performance_id else _automap_date(event, date)
    return date, warnings


def upsert_price(event: BptEvent, date: BptDate, record: dict) -> tuple[BptPrice, list[str]]:
    """Create or refresh one ``<price>`` of a date; map it to a ticket type if it has none yet."""
    _check(record, "price")
    values = {
        "event": event,
        "live": record.get("live") != "n",
        "name": _display(record.get("name")),
        "value": _money(record.get("value")),
        "service_fee": _money(record.get("service_fee")),
        "venue_fee": _money(record.get("venue_fee")),
        "available": _int(record.get("price_available")),
        "seen_at": utcnow(),
    }
    price = BptPrice.get_or_none((BptPrice.date == date) & (BptPrice.price_id == record["price_id"]))
    if price is None:
        price = BptPrice.create(date=date, price_id=record["price_id"], **values)
    else:
        BptPrice.update(values).where(BptPrice.id == price.id).execute()
        price = BptPrice.get_by_id(price.id)
    warnings = [] if price.ticket_type_id else _automap_price(date, price)
    if price.value is None:
        warnings.append(f"BPT price {price.price_id} '{price.name or ''}' has no amount that can be read "
                        f"({record.get('value')!r}); its order lines are skipped until BPT gives one")
    return price, warnings


def local_start(date: BptDate) -> dt.datetime | None:
    """The date's start as festival-local wall time (what Performance.starts_at holds)."""
    if date.date_start is None or not date.time_start:
        return None
    try:
        hour, minute = (int(part) for part in date.time_start.split(":")[:2])
        return dt.datetime.combine(date.date_start, dt.time(hour, minute))
    except ValueError:
        return None


def _automap_date(event: BptEvent, date: BptDate) -> list[str]:
    starts = local_start(date)
    if starts is None:
        return [f"BPT date {date.date_id} has no usable start date and time; map it to a performance by hand"]
    if date.date_end and date.date_start and date.date_end > date.date_start:
        return [f"BPT date {date.date_id} runs from {date.date_start:%a %d %b} to {date.date_end:%a %d %b}: "
                "it is not one performance; its prices should be passes (map them to a bundle ticket type)"]
    query = Performance.select().where(Performance.starts_at == starts)
    if event.show_id:
        query = query.where(Performance.show == event.show_id)
    else:
        query = query.where(Performance.id.not_in(_taken_by_other_events(event)))
    found = list(query.limit(2))
    if len(found) > 1:
        return [f"BPT date {date.date_id} ({starts:%a %d %b %H:%M}) matches several performances; map it by hand"]
    if found:
        performance = found[0]
        warnings = []
    else:
        performance = Performance.create(show=_show_for(event, starts.year), starts_at=starts, house_capacity=0,
                                         max_advance_sales=0, description="created by the BPT sync")
        warnings = [f"created performance {starts:%a %d %b %H:%M} for BPT date {date.date_id}: "
                    "set its house capacity"]
    BptDate.update(performance=performance).where(BptDate.id == date.id).execute()
    date.performance = performance
    return warnings


def _taken_by_other_events(event: BptEvent):
    """Performances another BPT event sells (through its dates or its show): never shared with this one.

    A workshop at 19:00 and a show at 19:00 are two performances, however alike their hours.
    """
    dated = BptDate.select(BptDate.performance).where((BptDate.event != event.id) & BptDate.performance.is_null(False))
    shows = BptEvent.select(BptEvent.show).where((BptEvent.id != event.id) & BptEvent.show.is_null(False))
    return Performance.select(Performance.id).where(Performance.id.in_(dated) | Performance.show.in_(shows))


def _show_for(event: BptEvent, season: int) -> Show:
    """The show a BPT event maps to: its mapping, else a show of the same name, else a new one."""
    if event.show_id:
        return event.show
    name = event.local_title or event.title or f"BPT event {event.event_id}"
    show = (Show.select().where((fn.LOWER(Show.name) == name.lower()) & (Show.season == season)).first()
            or Show.create(name=name, season=season, description="created by the BPT sync"))
    BptEvent.update(show=show).where(BptEvent.id == event.id).execute()
    event.show = show
    return show


def _automap_price(date: BptDate, price: BptPrice) -> list[str]:
    name = " ".join((price.name or "").split())
    if not name:
        return [f"BPT price {price.price_id} has no name; map it to a ticket type by hand"]
    season = date.date_start.year if date.date_start else utcnow().year
    passlike = any(word in name.lower() for word in PASS_WORDS)
    same_name = list(TicketType.select().where((fn.LOWER(TicketType.name) == name.lower())
                                               & (TicketType.season == season)))
    same_value = same_name if price.value is None else [t for t in same_name if t.price == price.value]
    bundles = [t for t in same_value if t.category == "bundle"]
    plain = [t for t in same_value if t.category != "bundle"]
    choices = bundles if passlike and bundles else plain or bundles
    if len(choices) > 1:
        return [f"BPT price {price.price_id} '{name}' matches several ticket types of {season}; map it by hand"]
    warnings = []
    if choices:
        ticket_type = choices[0]
    elif price.value is None:
        return [f"BPT price {price.price_id} '{name}' has no amount that can be read; map it by hand"]
    else:
        ticket_type, warnings = _new_type(price, name, season, same_name)
        if passlike:
            warnings.append(f"'{name}' looks like a pass but no bundle ticket type has that name: "
                            "it was made a plain ticket; remap it to the pass")
    BptPrice.update(ticket_type=ticket_type).where(BptPrice.id == price.id).execute()
    price.ticket_type = ticket_type
    return warnings


def _new_type(price: BptPrice, name: str, season: int, same_name: list[TicketType]) -> tuple[TicketType, list[str]]:
    """A ticket type for a price no type of its name and value fits; never merged with another value.

    "General" at $35 for the show and "General" at $15 for a class are two
    types: the second is named with its amount, and the admin is told.
    """
    label_ = f"{name} ${price.value:,.2f}" if same_name else name
    existing = TicketType.get_or_none((TicketType.name == label_) & (TicketType.season == season)
                                      & (TicketType.price == price.value))
    if existing:
        return existing, []
    ticket_type = TicketType.create(name=label_, price=price.value, season=season, walkup_allowed=False,
                                    description="created by the BPT sync")
    warnings = [f"created ticket type '{label_}' ({season}) for BPT price {price.price_id}"]
    if same_name:
        others = ", ".join(f"${t.price:,.2f}" for t in same_name)
        warnings.append(f"BPT price {price.price_id} '{name}' costs ${price.value:,.2f} but ticket type '{name}' "
                        f"costs {others}: kept apart as '{label_}'; remap it if they are the same ticket")
    return ticket_type, warnings


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    """A count from BPT, or None when it is missing or no integer column could hold it."""
    try:
        return validation.integer("count", text, low=-validation.MAX_INT) if text else None
    except InputError:
        return None


def _money(text: str | None) -> Decimal | None:
    """An amount BPT sent, when it is one a money column holds: not negative, not NaN or infinite, under a million."""
    try:
        return validation.money("amount", text, high=MAX_AMOUNT) if text else None
    except InputError:
        return None


def _display(text: str | None) -> str | None:
    """BPT writes titles and descriptions HTML-escaped inside the XML (``Burlesque &amp;amp; Cabaret``)."""
    return html.unescape(text) if text else text
