"""The door: who is coming tonight, finding them fast, and admitting them.

The door list holds every ticket for a performance whatever its source (BPT,
walkup, box office, comps, pass components), grouped by holder. A BPT ticket
not yet matched to a festival user is still held by the daemon account, so it
is grouped under the buyer's name from BPT. Check-ins are rows with time and
operator; undoing one stamps it ``undone_at``/``undone_by`` and keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peewee import JOIN, Case, fn

from gbetix_core import audit
from gbetix_core.boxoffice.catalog import get, label
from gbetix_core.db import database, locked, write
from gbetix_core.errors import InputError, SaleRefused
from gbetix_core.models import CheckIn, Item, Order, Performance, Purchase, Purchaser, Staff, TicketType, User
from gbetix_core.models.base import utcnow
from gbetix_core.permissions import require

Holder = User.alias("holder")
Bundle = Item.alias("bundle_item")
Buyer = User.alias("buyer")
ActiveCheckIn = CheckIn.alias("active_checkin")


@dataclass(frozen=True)
class DoorTicket:
    item_id: int
    ticket_type: str
    source: str
    order_id: int
    confirmation: str
    checkin_id: int | None

    @property
    def checked_in(self) -> bool:
        return self.checkin_id is not None


@dataclass
class Party:
    """Everyone under one holder for one performance: their tickets, and notes for the door."""

    key: tuple
    performance_id: int
    name: str
    email: str
    tickets: list[DoorTicket] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    buyers: list[str] = field(default_factory=list)

    @property
    def checked_in(self) -> int:
        return sum(t.checked_in for t in self.tickets)

    @property
    def to_come(self) -> int:
        return len(self.tickets) - self.checked_in

    @property
    def confirmations(self) -> list[str]:
        return sorted({t.confirmation for t in self.tickets})

    def waiting_ids(self) -> list[int]:
        return [t.item_id for t in self.tickets if not t.checked_in]


@dataclass(frozen=True)
class DoorCounts:
    capacity: int
    sold: int
    checked_in: int
    walkups: int

    @property
    def to_come(self) -> int:
        return self.sold - self.checked_in


@dataclass(frozen=True)
class DoorList:
    performance: Performance
    parties: list[Party]
    counts: DoorCounts


def door_list(performance: Performance | int) -> DoorList:
    """Every party holding tickets for the performance, by name, with live counts."""
    perf = get(Performance, performance, "performance")
    parties = parties_where(Item.performance == perf.id)
    return DoorList(perf, sorted(parties, key=lambda p: (p.name.lower(), p.key)), door_counts(perf))


def door_counts(performance: Performance | int) -> DoorCounts:
    """Capacity, seats sold, admitted and walkups, from one aggregate query."""
    perf = get(Performance, performance, "performance")
    walkup = fn.SUM(Case(None, [(Order.source == "walkup", 1)], 0))
    sold, admitted, walkups = (
        Item.select(fn.COUNT(Item.id), fn.COUNT(ActiveCheckIn.id), walkup)
        .join(TicketType).switch(Item).join(Order)
        .switch(Item).join(ActiveCheckIn, JOIN.LEFT_OUTER,
                           on=(ActiveCheckIn.item == Item.id) & ActiveCheckIn.undone_at.is_null())
        .where((Item.performance == perf.id) & (Item.kind == "ticket") & (TicketType.category != "nonticket"))
        .tuples().get())
    return DoorCounts(perf.house_capacity, sold, admitted, int(walkups or 0))


def parties_where(condition) -> list[Party]:
    """Live tickets matching ``condition`` grouped into parties (one query, then notes in Python).

    Rows come straight from the cursor: every column is an id or text, and
    skipping Peewee's per-value conversion halves the time for a big house.
    A pass admission carries no purchase of its own: it is read through its
    pass, so an unmatched BPT pass stands under the buyer's name and number.
    """
    purchase_id = fn.COALESCE(Item.purchase, Bundle.purchase)
    query = (Item.select(Item.id, Item.performance, TicketType.name, Order.source, Order.id, Order.payment_method,
                         Order.comments, purchase_id,
                         Purchase.ticket_number, Purchase.gone_at,
                         Holder.id, Holder.first_name, Holder.last_name, Holder.username,
                         Holder.email, Holder.special, Buyer.id, Buyer.first_name, Buyer.last_name, Buyer.username,
                         Purchaser.id, Purchaser.first_name, Purchaser.last_name, Purchaser.email, ActiveCheckIn.id)
             .join(TicketType).switch(Item).join(Holder, on=(Item.owner == Holder.id))
             .switch(Item).join(Order).join(Buyer, on=(Order.purchaser == Buyer.id))
             .switch(Item).join(Bundle, JOIN.LEFT_OUTER, on=(Item.bundle == Bundle.id))
             .switch(Item).join(Purchase, JOIN.LEFT_OUTER, on=(Purchase.id == purchase_id))
             .join(Purchaser, JOIN.LEFT_OUTER)
             .switch(Item).join(ActiveCheckIn, JOIN.LEFT_OUTER,
                                on=(ActiveCheckIn.item == Item.id) & ActiveCheckIn.undone_at.is_null())
             .where(condition & (Item.kind == "ticket") & Item.performance.is_null(False))
             .order_by(Item.id))
    parties: dict[tuple, Party] = {}
    for row in database.execute(query):
        _add(parties, *row)
    return list(parties.values())


def _add(parties: dict[tuple, Party], item_id, perf_id, type_name, source, order_id, payment, comments, purchase_id,
         ticket_number, gone_at, holder_id, h_first, h_last, h_user, h_email, special, buyer_id, b_first, b_last, b_user,
         purchaser_id, p_first, p_last, p_email, checkin_id) -> None:
    """Put one ticket row under its party: the holder, or the BPT buyer while the daemon holds it.

    The order's comment ("2 wheelchairs") is a note while any of its tickets
    stands, so it goes when the order is cancelled.
    """
    holder = _name(h_first, h_last, h_user)
    bpt_buyer = _name(p_first, p_last, "") if purchase_id else ""
    buyer = ""
    if special == "daemon" and purchase_id:
        key, name, email = (perf_id, "purchaser", purchaser_id), bpt_buyer or "BPT buyer", p_email or ""
        note = f"BPT order {ticket_number}: not matched to a festival user yet"
    elif special == "walkup":
        key, name, email, note = (perf_id, "order", order_id), f"Walkup (order {order_id})", "", ""
    else:
        key, name, email = (perf_id, "user", holder_id), holder, h_email or ""
        buyer = bpt_buyer or _name(b_first, b_last, b_user)
        buyer = buyer if buyer != holder else ""
        note = f"bought by {buyer}, for {holder}" if buyer else ""
    party = parties.get(key)
    if party is None:
        party = parties[key] = Party(key, perf_id, name, email)
    confirmation = ticket_number if purchase_id else f"#{order_id}"
    party.tickets.append(DoorTicket(item_id, type_name, "bpt" if purchase_id else source, order_id, confirmation,
                                    checkin_id))
    gone = f"BPT no longer lists order {ticket_number} (refunded or cancelled there?): check before admitting" \
        if gone_at else ""
    for text, into in ((gone, party.notes), (note, party.notes), ((comments or "").strip(), party.notes),
                       ("comp" if payment == "comp" else "", party.notes), (buyer, party.buyers)):
        if text and text not in into:
            into.append(text)


def _name(first: str | None, last: str | None, fallback: str) -> str:
    return f"{first or ''} {last or ''}".strip() or fallback


def check_in(staff: Staff, performance: Performance | int, item_ids: list[int], count: int | None = None) -> list[CheckIn]:
    """Admit ``count`` of these tickets (all still waiting when ``count`` is None); two doors never admit one twice."""
    require(staff, "checkin")
    if not item_ids:
        raise InputError("Choose the tickets to check in.")
    if count is not None and count < 1:
        raise InputError("Check in at least one person.")
    with write():
        perf = get(Performance, performance, "performance")
        items = list(locked(Item.select().where(Item.id.in_(item_ids)).order_by(Item.id)))
        _check_door_tickets(perf, items, set(item_ids))
        admitted = _active_checkins([i.id for i in items])
        waiting = [i for i in items if i.id not in admitted]
        count = len(waiting) if count is None else count
        if count > len(waiting):
            raise SaleRefused(f"Only {len(waiting)} of these tickets {_is(len(waiting))} still to check in; "
                              f"{len(admitted)} already {_is(len(admitted))}.")
        now = utcnow()
        made = [CheckIn.create(item=item, at=now, staff=staff) for item in waiting[:count]]
        audit.record("checkin", staff=staff, subject=f"performance:{perf.id}",
                     after={"items": [c.item_id for c in made]})
    return made


def undo_check_in(staff: Staff, item_ids: list[int], reason: str | None = None) -> int:
    """Take back admissions of these tickets (kept, stamped undone); returns how many were undone."""
    require(staff, "checkin")
    with write():
        active = list(locked(CheckIn.select().where(CheckIn.item.in_(item_ids) & CheckIn.undone_at.is_null())))
        if not active:
            raise SaleRefused("None of these tickets is checked in.")
        CheckIn.update(undone_at=utcnow(), undone_by=staff).where(CheckIn.id.in_([c.id for c in active])).execute()
        audit.record("checkin.undo", staff=staff, subject=f"items:{','.join(str(c.item_id) for c in active)}",
                     before={"checkins": [c.id for c in active]}, reason=reason)
    return len(active)


def _is(count: int) -> str:
    return "is" if count == 1 else "are"


def _check_door_tickets(perf: Performance, items: list[Item], wanted: set[int]) -> None:
    missing = wanted - {i.id for i in items}
    if missing:
        raise InputError(f"No ticket {min(missing)}.")
    for item in items:
        if item.kind != "ticket":
            raise SaleRefused(f"Ticket {item.id} is {item.kind}; it does not admit anyone.")
        if item.performance_id != perf.id:
            where = label(Performance.get_by_id(item.performance_id)) if item.performance_id else "a whole pass"
            raise SaleRefused(f"Ticket {item.id} is for {where}, not {label(perf)}.")


def _active_checkins(item_ids: list[int]) -> set[int]:
    query = CheckIn.select(CheckIn.item).where(CheckIn.item.in_(item_ids) & CheckIn.undone_at.is_null())
    return {row.item_id for row in query}
