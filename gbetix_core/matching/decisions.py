"""Admins resolve matches by fiat: accept, assign, reject, "not a festival user", split, undo.

Only the ``admin`` role may decide (checked here, not in the faces). Every
decision locks the purchase's match row inside one transaction, keeps the
state before and after in a :class:`MatchDecision` (so it can be undone), is
written to the audit log with the operator and reason, marks the row
``human=True`` so the engine never overwrites it, and moves the tickets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from peewee import JOIN

from gbetix_core import audit, permissions
from gbetix_core.db import write
from gbetix_core.errors import InputError, NotFound
from gbetix_core.mail import notices
from gbetix_core.matching.links import find_user
from gbetix_core.matching.record import describe, lock_match, purchase_by_number, restore, snapshot
from gbetix_core.models import BptPrice, MatchDecision, Purchase, PurchaseMatch, Staff, User
from gbetix_core.models.base import utcnow


def accept_candidate(staff: Staff, ticket_number: str, username: str, reason: str) -> MatchDecision:
    """Link the purchase to one of its ranked candidates."""
    def change(match: PurchaseMatch, state: dict[str, Any]) -> dict[str, Any]:
        user = find_user(username)
        if not any(c["user"] == user.id for c in state["candidates"]):
            raise InputError(f"{username} is not a candidate for {ticket_number}; use assign to give it to anyone.")
        return _linked(state, user, "admin_accept", staff)
    return _decide(staff, ticket_number, "accept", reason, change)


def assign(staff: Staff, ticket_number: str, username: str, reason: str) -> MatchDecision:
    """Link the purchase to any festival user, candidate or not."""
    return _decide(staff, ticket_number, "assign", reason,
                   lambda match, state: _linked(state, find_user(username), "admin_assign", staff))


def reject(staff: Staff, ticket_number: str, reason: str, username: str | None = None) -> MatchDecision:
    """Reject one candidate (``username``), or the link and every candidate when none is named."""
    def change(match: PurchaseMatch, state: dict[str, Any]) -> dict[str, Any]:
        if username is None:
            return {**state, "status": "unmatched", "user": None, "method": "admin_reject", "human": True,
                    "decided_by": staff.id, "candidates": [], "flag": None}
        user = find_user(username)
        left = [c for c in state["candidates"] if c["user"] != user.id]
        if len(left) == len(state["candidates"]) and state["user"] != user.id:
            raise InputError(f"{username} is neither linked to nor a candidate for {ticket_number}.")
        for rank, candidate in enumerate(left, start=1):
            candidate["rank"] = rank
        linked = state["user"] if state["user"] != user.id else None
        status = "linked" if linked else ("candidates" if left else "unmatched")
        score = state["score"] if linked else (left[0]["score"] if left else 0.0)
        return {**state, "status": status, "user": linked, "human": True, "decided_by": staff.id, "candidates": left,
                "method": state["method"] if linked else "admin_reject", "score": score}
    return _decide(staff, ticket_number, "reject", reason, change)


def mark_not_festival(staff: Staff, ticket_number: str, reason: str) -> MatchDecision:
    """The buyer is not a festival user: take the purchase out of the queue; tickets stay with the box office."""
    return _decide(staff, ticket_number, "not_festival", reason, lambda match, state: {
        **state, "status": "not_festival", "user": None, "method": "admin_not_festival", "human": True,
        "decided_by": staff.id, "flag": None})


REJECT = "-"


def owners_from(answers: Mapping[str, str | None]) -> dict[str, str | None]:
    """Typed owners per ticket number: a username, ``-`` to reject, blank to leave that purchase as it is."""
    return {number: None if text.strip() == REJECT else text.strip()
            for number, text in answers.items() if text and text.strip()}


def split_identity(staff: Staff, owners: Mapping[str, str | None], reason: str) -> list[MatchDecision]:
    """One buyer identity used by two people: give each purchase (ticket number) its own user, or None to reject."""
    if not owners:
        raise InputError("Name at least one purchase to decide.")
    purchases = [purchase_by_number(number) for number in owners]
    if len({p.purchaser_id for p in purchases}) > 1:
        raise InputError("These purchases were bought by different buyer identities; decide them one by one.")
    with write():
        return [assign(staff, number, username, reason) if username else reject(staff, number, reason)
                for number, username in owners.items()]


@dataclass(frozen=True)
class BuyerPurchase:
    """One purchase of a buyer identity, as an admin splitting that identity needs to see it."""

    ticket_number: str
    price: str
    quantity: int
    owner: str | None


def buyer_purchases(ticket_number: str) -> list[BuyerPurchase]:
    """Every purchase made under the same buyer identity as ``ticket_number``, oldest first (for a split)."""
    purchaser_id = purchase_by_number(ticket_number).purchaser_id
    rows = (Purchase.select(Purchase.ticket_number, Purchase.quantity, BptPrice.name, BptPrice.price_id, User.username)
            .join(BptPrice).switch(Purchase)
            .join(PurchaseMatch, JOIN.LEFT_OUTER).join(User, JOIN.LEFT_OUTER)
            .where(Purchase.purchaser == purchaser_id).order_by(Purchase.order_time, Purchase.id).tuples())
    return [BuyerPurchase(number, price or f"price {price_id}", quantity, owner)
            for number, quantity, price, price_id, owner in rows]


def undo(staff: Staff, decision_id: int, reason: str) -> MatchDecision:
    """Undo a decision, putting the purchase back as it was; only the latest decision on a purchase can be undone."""
    permissions.require(staff, "decide_match")
    reason = audit.required_reason(reason)
    with write():
        decision = MatchDecision.get_or_none(MatchDecision.id == decision_id)
        if decision is None:
            raise NotFound(f"No match decision {decision_id}.")
        if decision.undone_at is not None:
            raise InputError(f"Decision {decision_id} was already undone.")
        later = MatchDecision.select().where((MatchDecision.purchase == decision.purchase_id)
                                             & (MatchDecision.id > decision.id) & MatchDecision.undone_at.is_null())
        if later.exists():
            raise InputError(f"A later decision on this purchase must be undone first (decision {later.get().id}).")
        purchase = Purchase.get_by_id(decision.purchase_id)
        match = lock_match(purchase)
        current, wanted = snapshot(match), json.loads(decision.before)
        restore(match, wanted, staff, f"undo: {reason}")
        MatchDecision.update(undone_at=utcnow(), undone_by=staff).where(MatchDecision.id == decision.id).execute()
        undo_row = MatchDecision.create(purchase=purchase, staff=staff, action="undo", before=json.dumps(current),
                                        after=json.dumps(wanted), reason=reason)
        audit.record("match.undo", staff=staff, subject=f"purchase:{purchase.ticket_number}", before=current,
                     after=wanted, reason=f"undo of decision {decision_id} ({decision.action}): {reason}")
    return undo_row


def decisions_for(ticket_number: str) -> list[MatchDecision]:
    purchase = purchase_by_number(ticket_number)
    return list(MatchDecision.select().where(MatchDecision.purchase == purchase).order_by(MatchDecision.id))


def _linked(state: dict[str, Any], user: User, method: str, staff: Staff) -> dict[str, Any]:
    return {**state, "status": "linked", "user": user.id, "method": method, "human": True, "decided_by": staff.id,
            "flag": None, "reason": None}


def _decide(staff: Staff, ticket_number: str, action: str, reason: str,
            change: Callable[[PurchaseMatch, dict[str, Any]], dict[str, Any]]) -> MatchDecision:
    """Check the role, lock the row, apply ``change`` to its snapshot, and record the decision."""
    permissions.require(staff, "decide_match")
    reason = audit.required_reason(reason)
    with write():
        purchase = purchase_by_number(ticket_number)
        match = lock_match(purchase)
        before = snapshot(match)
        after = change(match, json.loads(json.dumps(before)))
        after["reason"] = reason
        restore(match, after, staff, f"{action}: {reason}")
        if after["status"] == "linked" and after["user"] and after["user"] != before["user"]:
            notices.purchase_linked(purchase, User.get_by_id(after["user"]))
        decision = MatchDecision.create(purchase=purchase, staff=staff, action=action, before=json.dumps(before),
                                        after=json.dumps(after), reason=reason)
        audit.record(f"match.{action}", staff=staff, subject=f"purchase:{purchase.ticket_number}",
                     before=before, after=after, reason=reason)
    return decision


def summary(decision: MatchDecision) -> str:
    """One line for the operator: what the decision did."""
    return f"decision {decision.id}: {decision.action}; purchase now {describe(json.loads(decision.after))}"

