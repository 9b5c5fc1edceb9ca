"""Which events tell whom, and with which facts: one message per event, never a flood.

Each function is called inside the transaction of its event (a transfer, an
admin's link, a gift completed) and queues at most one message per person,
whatever the number of tickets; the outbox keys keep a person from being told
about the same purchase twice for the same kind.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Iterable, Sequence

from peewee import fn

from gbetix_core.boxoffice.catalog import label
from gbetix_core.db import write
from gbetix_core.errors import InputError
from gbetix_core.mail.outbox import enqueue
from gbetix_core.matching.links import find_user
from gbetix_core.matching.status import status_message
from gbetix_core.models import (
    BptEvent,
    Item,
    OutboxKey,
    OutboxMessage,
    Performance,
    Purchase,
    Purchaser,
    PurchaseMatch,
    TicketType,
    User,
)
from gbetix_core.models.base import utcnow

UNMATCHED_STATUSES = ("unmatched", "candidates")


def subject_of(item: Item) -> str:
    """The purchase a ticket came from, as people know it: a BPT confirmation number, or ``#order``."""
    return item.purchase.ticket_number if item.purchase_id else f"#{item.order_id}"


def ticket_lines(items: Sequence[Item]) -> list[str]:
    """What the tickets are, grouped: ``2 x General Admission, The Main Event, Fri 27 Nov 19:30``."""
    counted = Counter(_what(item) for item in items if item.bundle_id is None)
    return [f"{count} x {what}" if count > 1 else what for what, count in counted.items()]


def _what(item: Item) -> str:
    ticket_type = TicketType.get_by_id(item.ticket_type_id).name
    if item.performance_id is None:
        return f"{ticket_type} (every performance it covers)"
    return f"{ticket_type}, {label(Performance.get_by_id(item.performance_id))}"


def ticket_given(items: Sequence[Item], giver: User, recipient: User) -> OutboxMessage | None:
    """Tickets moved at once to a registered user: tell the recipient."""
    email = recipient.email or recipient.purchase_email
    if not email:
        return None
    return enqueue("ticket_received", email, _gift_facts(items, giver), to_name=recipient.full_name, user=recipient,
                   subjects=[subject_of(i) for i in items])


def gift_waiting(items: Sequence[Item], giver: User, to_name: str, to_email: str) -> OutboxMessage | None:
    """Tickets waiting for someone not registered: ask them to register with that email."""
    return enqueue("gift", to_email, _gift_facts(items, giver), to_name=to_name,
                   subjects=[subject_of(i) for i in items])


def gifts_completed(completed: Iterable[tuple[User, User, Item]]) -> int:
    """Pending transfers just completed: tell each recipient and each giver once; returns messages queued."""
    by_pair: dict[tuple[int, int], list[Item]] = defaultdict(list)
    people: dict[int, User] = {}
    for giver, recipient, item in completed:
        by_pair[(giver.id, recipient.id)].append(item)
        people[giver.id], people[recipient.id] = giver, recipient
    queued = 0
    for (giver_id, recipient_id), items in by_pair.items():
        giver, recipient = people[giver_id], people[recipient_id]
        subjects = [subject_of(i) for i in items]
        facts = {**_gift_facts(items, giver), "recipient": recipient.full_name}
        for kind, person in (("gift_received", recipient), ("gift_delivered", giver)):
            if person.email and enqueue(kind, person.email, facts, to_name=person.full_name, user=person,
                                        subjects=subjects):
                queued += 1
    return queued


def _gift_facts(items: Sequence[Item], giver: User) -> dict:
    return {"giver": giver.full_name, "tickets": ticket_lines(items),
            "count": sum(1 for item in items if item.bundle_id is None)}


def purchase_facts(purchase: Purchase) -> dict:
    """A purchase as a message names it: its number, what it is for, and how many tickets."""
    event = BptEvent.get_by_id(purchase.event_id)
    items = list(Item.select().where((Item.purchase == purchase.id) & Item.bundle.is_null()))
    what = _what(items[0]) if items else (event.local_title or event.title or f"BPT event {event.event_id}")
    return {"number": purchase.ticket_number, "what": what, "quantity": purchase.quantity}


def purchase_linked(purchase: Purchase, user: User) -> OutboxMessage | None:
    """An admin linked a purchase to a user: tell them what is now theirs."""
    email = user.email or user.purchase_email
    if not email:
        return None
    items = list(Item.select().where((Item.purchase == purchase.id) & (Item.kind == "ticket")))
    return enqueue("linked", email, {**purchase_facts(purchase), "tickets": ticket_lines(items)},
                   to_name=user.full_name, user=user, subjects=[purchase.ticket_number])


def unmatched_after_grace(grace_hours: float, now: dt.datetime | None = None, buyers: int = 50) -> int:
    """Buyers whose purchases are still unmatched ``grace_hours`` after import: one message per buyer email.

    At most ``buyers`` buyers per call, read before one short write transaction: a first round over a
    festival's whole backlog must not hold the database for a minute while the door is selling; the next
    rounds (after each sync) take the next buyers, as fast as the hourly limit sends them anyway. A buyer
    queued meanwhile by another terminal is not queued twice (the outbox keys are unique).
    """
    cutoff = (now or utcnow()) - dt.timedelta(hours=grace_hours)
    told = OutboxKey.select().where((OutboxKey.kind == "unmatched") & (OutboxKey.subject == Purchase.ticket_number))
    due = (Purchase.select(Purchase, Purchaser).join(Purchaser).switch(Purchase).join(PurchaseMatch)
           .where(PurchaseMatch.status.in_(UNMATCHED_STATUSES) & (Purchase.imported_at <= cutoff)
                  & Purchase.gone_at.is_null() & Purchaser.email.is_null(False) & (Purchaser.email != "")
                  & ~fn.EXISTS(told)))
    emails = [e for (e,) in due.select(Purchaser.email).distinct().order_by(Purchaser.email).limit(buyers).tuples()]
    by_email: dict[str, list[Purchase]] = defaultdict(list)
    for purchase in due.where(Purchaser.email.in_(emails)).order_by(Purchase.id):
        by_email[purchase.purchaser.email.strip().lower()].append(purchase)
    letters = [(email, purchases[0].purchaser, [purchase_facts(p) for p in purchases],
                [p.ticket_number for p in purchases]) for email, purchases in by_email.items()]
    queued = 0
    with write():
        for email, buyer, facts, numbers in letters:
            name = f"{buyer.first_name or ''} {buyer.last_name or ''}".strip()
            if enqueue("unmatched", email, {"purchases": facts}, to_name=name, subjects=numbers):
                queued += 1
    return queued


def status_on_demand(username: str) -> OutboxMessage:
    """A user asked to be sent their status: the text of ``gbetix status``, as it stands now."""
    user = find_user(username)
    email = user.email or user.purchase_email
    if not email:
        raise InputError(f"{user.username} has no email address to send the status to.")
    return enqueue("status", email, {"status": status_message(user)}, to_name=user.full_name, user=user)
