"""Handing tickets on: George bought it, Amy will use it.

A transfer to a registered user moves the tickets at once (a pass moves with
its components) and is written to the owner history. A transfer to a name and
email nobody has registered yet waits as a *pending* transfer; when that
person's account arrives with a users import, :func:`complete_pending_transfers`
gives them the tickets.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable

from gbetix_core import audit
from gbetix_core.boxoffice.tickets import change_owner
from gbetix_core.db import locked, write
from gbetix_core.errors import InputError, NotFound, SaleRefused
from gbetix_core.mail import notices
from gbetix_core.matching.record import purchase_by_number
from gbetix_core.matching.normalize import fold
from gbetix_core.models import CheckIn, Item, Order, OwnershipChange, Staff, Transfer, User
from gbetix_core.models.base import utcnow
from gbetix_core.permissions import require

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class TransferResult:
    moved: int
    pending: list[Transfer]


def transfer_tickets(staff: Staff, item_ids: list[int], *, to_user: User | None = None, to_name: str | None = None,
                     to_email: str | None = None, reason: str | None = None) -> TransferResult:
    """Give tickets to a user, or to a name and email (moved now if that email is registered, else pending).

    A pass travels whole: choosing one of its admissions (as the door search
    lists them) transfers the pass with every component.
    """
    require(staff, "transfer")
    if not item_ids:
        raise InputError("Choose the tickets to transfer.")
    if to_user is None:
        to_name, to_email = check_recipient(to_name, to_email)
    with write():
        chosen = list(Item.select(Item.id, Item.bundle).where(Item.id.in_(item_ids)))
        missing = set(item_ids) - {i.id for i in chosen}
        if missing:
            raise NotFound(f"No ticket {min(missing)}.")
        whole = sorted({i.bundle_id or i.id for i in chosen})
        items = list(locked(Item.select().where(Item.id.in_(whole)).order_by(Item.id)))
        _check_transferable(items)
        recipient = to_user or find_user_by_email(to_email, to_name)
        if recipient is None:
            return TransferResult(0, _pend(staff, items, to_name, to_email, reason))
        if recipient.special:
            raise InputError(f"Tickets cannot be transferred to the {recipient.full_name} account.")
        moved = _move(staff, items, recipient, reason or "transfer")
    return TransferResult(moved, [])


def complete_pending_transfers(users: Iterable[User | int]) -> int:
    """Finish the pending transfers addressed to these (newly imported or updated) users; returns how many.

    Call after a users import with ``ImportResult.user_ids``; users or their ids both do.
    """
    user_ids = {u.id if isinstance(u, User) else u for u in users}
    if not user_ids:
        return 0
    done = 0
    with write():
        pending = list(locked(Transfer.select().where(Transfer.status == "pending").order_by(Transfer.id)))
        emails = list({t.to_email for t in pending})
        by_email: dict[str, list[User]] = {}
        if emails:
            query = User.select().where(User.special.is_null() & (User.email.in_(emails)
                                                                  | User.purchase_email.in_(emails)))
            for user in query.order_by(User.id):
                if user.id in user_ids:
                    for email in {e.lower() for e in (user.email, user.purchase_email) if e}:
                        by_email.setdefault(email, []).append(user)
        given: list[tuple[User, User, Item]] = []
        recipients = {t.id: _recipient(t, by_email.get(t.to_email, [])) for t in pending}
        for transfer in [t for t in pending if recipients[t.id]]:
            item = Item.get_by_id(transfer.item_id)
            if item.kind != "ticket" or item.owner_id != transfer.from_user_id:
                _close(transfer, "canceled", None)
                continue
            recipient = recipients[transfer.id]
            change_owner([item], recipient, transfer.staff, f"pending transfer {transfer.id} completed")
            _close(transfer, "done", recipient)
            audit.record("transfer.complete", subject=f"item:{item.id}",
                         after={"transfer": transfer.id, "to_user": recipient.id})
            done += 1
            given.append((User.get_by_id(transfer.from_user_id), recipient, item))
        notices.gifts_completed(given)
    return done


def _recipient(transfer: Transfer, holders: list[User]) -> User | None:
    """The user a pending transfer goes to: the email's only holder, or, when a household shares the email, the
    one holder whose name is the transfer's (else it waits)."""
    return holders[0] if len(holders) == 1 else _named(holders, transfer.to_name)


def _named(holders: list[User], name: str | None) -> User | None:
    """The one holder of a shared email called ``name`` (full name, or given name), if exactly one is."""
    wanted = fold(name)
    named = [u for u in holders if wanted and wanted in (fold(u.full_name), fold(u.first_name))]
    return named[0] if len(named) == 1 else None


def cancel_transfer(staff: Staff, transfer_id: int) -> None:
    require(staff, "transfer")
    with write():
        transfer = Transfer.get_or_none(Transfer.id == transfer_id)
        if transfer is None or transfer.status != "pending":
            raise NotFound(f"No pending transfer {transfer_id}.")
        _close(transfer, "canceled", None)
        audit.record("transfer.cancel", staff=staff, subject=f"item:{transfer.item_id}",
                     before={"transfer": transfer.id, "to_email": transfer.to_email})


def cancel_transfers_of(staff: Staff, item_ids: list[int]) -> int:
    """Cancel the pending transfer of each of these tickets (a pass's, when one of its admissions is named)."""
    bundles = {i.bundle_id or i.id for i in Item.select(Item.id, Item.bundle).where(Item.id.in_(item_ids))}
    pending = [t.id for t in Transfer.select(Transfer.id).where(Transfer.item.in_(list(bundles))
                                                                & (Transfer.status == "pending"))]
    if not pending:
        raise NotFound("None of these tickets has a pending transfer.")
    for transfer_id in pending:
        cancel_transfer(staff, transfer_id)
    return len(pending)


def tickets_named(names: list[str]) -> list[int]:
    """Ticket ids from what a person types: ``12`` or ``#12`` (a ticket), or a BPT confirmation (its live tickets,
    when one person holds them all: a confirmation never moves a ticket already handed on to someone else)."""
    ids: list[int] = []
    for name in names:
        text = name.strip()
        if text.lstrip("#").isdigit():
            ids.append(int(text.lstrip("#")))
            continue
        purchase = purchase_by_number(text)
        found = list(Item.select(Item.id, Item.owner).where((Item.purchase == purchase.id) & (Item.kind == "ticket")
                                                            & Item.bundle.is_null()).order_by(Item.id).tuples())
        if not found:
            raise NotFound(f"{purchase.ticket_number} has no live tickets.")
        if len({owner for _, owner in found}) > 1:
            raise InputError(f"{purchase.ticket_number}'s tickets are held by several people now; name the tickets "
                             f"({', '.join(f'#{i}' for i, _ in found)}).")
        ids.extend(i for i, _ in found)
    return list(dict.fromkeys(ids))


def pending_transfers() -> list[Transfer]:
    return list(Transfer.select().where(Transfer.status == "pending").order_by(Transfer.created_at))


def find_user_by_email(email: str | None, name: str | None = None) -> User | None:
    """The registered (non-special) user with this login or purchase email, ignoring case; when a household
    shares the email, the one called ``name`` (a box-office person is asked to choose when none or several are)."""
    if not email:
        return None
    email = email.strip().lower()
    holders = list(User.select().where(User.special.is_null() & ((User.email == email) | (User.purchase_email == email)))
                   .order_by((User.email == email).desc(), User.id))
    if len(holders) <= 1:
        return holders[0] if holders else None
    chosen = _named(holders, name)
    if chosen is None:
        raise InputError(f"{len(holders)} users share {email} ({', '.join(u.username for u in holders)}) and the name "
                         f"does not say which: transfer to one of them by username.")
    return chosen


@dataclass(frozen=True)
class HistoryEvent:
    at: dt.datetime
    what: str


def ticket_history(item_id: int) -> list[HistoryEvent]:
    """Everything that happened to one ticket, oldest first, in sentences for the door."""
    item = Item.get_or_none(Item.id == item_id)
    if item is None:
        raise NotFound(f"No ticket {item_id}.")
    order = Order.get_by_id(item.order_id)
    events = [HistoryEvent(item.created_at, f"sold in order {order.id} ({order.source}) to {order.purchaser.full_name}")]
    for change in OwnershipChange.select().where(OwnershipChange.item == item.id):
        giver = change.from_user.full_name if change.from_user_id else "nobody"
        events.append(HistoryEvent(change.at, f"passed from {giver} to {change.to_user.full_name}: {change.reason}"))
    for transfer in Transfer.select().where(Transfer.item == item.id):
        events.append(HistoryEvent(transfer.created_at,
                                   f"transfer to {transfer.to_name or ''} <{transfer.to_email or ''}>: {transfer.status}"))
    for checkin in CheckIn.select().where(CheckIn.item == item.id):
        events.append(HistoryEvent(checkin.at, f"checked in by {_who(checkin.staff)}"))
        if checkin.undone_at:
            events.append(HistoryEvent(checkin.undone_at, f"check-in undone by {_who(checkin.undone_by)}"))
    if item.canceled_at:
        events.append(HistoryEvent(item.canceled_at, f"canceled by {_who(item.canceled_by)}"))
    return sorted(events, key=lambda e: e.at)


def _who(staff: Staff | None) -> str:
    return staff.name if staff else "the system"


def check_recipient(name: str | None, email: str | None) -> tuple[str, str]:
    """The new holder's name and email, cleaned; refused in words when the email is missing or malformed."""
    name, email = (name or "").strip(), (email or "").strip().lower()
    if not email or not EMAIL.match(email):
        raise InputError(f"Give the new holder's email address (got {email!r}).")
    return name, email


def _check_transferable(items: list[Item]) -> None:
    ids = [i.id for i in items]
    seats = ids + [c.id for c in Item.select(Item.id).where(Item.bundle.in_(ids))]
    if CheckIn.select().where(CheckIn.item.in_(seats) & CheckIn.undone_at.is_null()).exists():
        raise SaleRefused("A ticket that was already used at the door cannot be transferred.")
    if Transfer.select().where(Transfer.item.in_(ids) & (Transfer.status == "pending")).exists():
        raise SaleRefused("A transfer of this ticket is already pending; cancel it first.")
    for item in items:
        if item.kind != "ticket":
            raise SaleRefused(f"Item {item.id} is not a live ticket ({item.kind}).")


def _move(staff: Staff, items: list[Item], recipient: User, reason: str) -> int:
    now = utcnow()
    notices.ticket_given(items, User.get_by_id(items[0].owner_id), recipient)
    for item in items:
        Transfer.create(item=item, from_user=item.owner_id, to_user=recipient, to_name=recipient.full_name,
                        to_email=recipient.email, status="done", created_at=now, completed_at=now, staff=staff)
    moved = change_owner(items, recipient, staff, reason)
    audit.record("transfer", staff=staff, subject=f"user:{recipient.id}", reason=reason,
                 after={"items": [i.id for i in items], "to_user": recipient.id, "seats_moved": moved})
    return moved


def _pend(staff: Staff, items: list[Item], name: str, email: str, reason: str | None) -> list[Transfer]:
    made = [Transfer.create(item=item, from_user=item.owner_id, to_name=name, to_email=email, staff=staff)
            for item in items]
    audit.record("transfer.pending", staff=staff, subject=f"email:{email}", reason=reason,
                 after={"items": [i.id for i in items], "to_name": name})
    notices.gift_waiting(items, User.get_by_id(items[0].owner_id), name, email)
    return made


def _close(transfer: Transfer, status: str, recipient: User | None) -> None:
    Transfer.update(status=status, completed_at=utcnow(), to_user=recipient).where(
        Transfer.id == transfer.id).execute()
