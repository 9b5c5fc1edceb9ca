"""Read and write one purchase's match as a whole: the row, its candidates, and a snapshot of both.

Decisions and claims change a purchase's match by hand; each one locks the
row, snapshots it (for the audit log and for undo), writes the new state and
moves the tickets. Call everything here inside ``write()``.
"""

from __future__ import annotations

import json
from typing import Any

from gbetix_core import validation
from gbetix_core.db import locked
from gbetix_core.errors import NotFound
from gbetix_core.matching.disposition import Move, move_tickets
from gbetix_core.models import MatchCandidate, Purchase, PurchaseMatch, Staff, User
from gbetix_core.models.base import utcnow


def purchase_by_number(ticket_number: str) -> Purchase:
    number = validation.text("confirmation number", ticket_number, required=True).upper()
    purchase = Purchase.get_or_none(Purchase.ticket_number == number)
    if purchase is None:
        raise NotFound(f"No purchase with confirmation number {ticket_number.strip()!r}.")
    return purchase


def lock_match(purchase: Purchase) -> PurchaseMatch:
    """The purchase's match row, locked for this transaction (made, unmatched, if it never had one)."""
    match = locked(PurchaseMatch.select().where(PurchaseMatch.purchase == purchase.id)).first()
    if match is None:
        PurchaseMatch.insert(purchase=purchase.id, status="unmatched", score=0.0, human=False,
                             decided_at=utcnow()).on_conflict_ignore().execute()
        match = locked(PurchaseMatch.select().where(PurchaseMatch.purchase == purchase.id)).get()
    return match


def snapshot(match: PurchaseMatch) -> dict[str, Any]:
    """Everything a decision may change, in a form that can be stored and restored."""
    candidates = [{"user": c.user_id, "rank": c.rank, "score": c.score, "bits": c.bits, "reasons": json.loads(c.reasons)}
                  for c in MatchCandidate.select().where(MatchCandidate.purchase == match.purchase_id).order_by(MatchCandidate.rank)]
    return {"status": match.status, "user": match.user_id, "method": match.method, "score": match.score,
            "human": match.human, "flag": match.flag, "reason": match.reason,
            "decided_by": match.decided_by_id, "candidates": candidates}


def restore(match: PurchaseMatch, state: dict[str, Any], staff: Staff | None, why: str) -> None:
    """Put a purchase back in ``state`` (as taken by :func:`snapshot`), tickets included."""
    previous_user = match.user_id
    PurchaseMatch.update(status=state["status"], user=state["user"], method=state["method"], score=state["score"],
                         human=state["human"], flag=state["flag"], reason=state["reason"],
                         decided_by=state["decided_by"], decided_at=utcnow()).where(PurchaseMatch.id == match.id).execute()
    MatchCandidate.delete().where(MatchCandidate.purchase == match.purchase_id).execute()
    existing = set(User.select(User.id).where(User.id.in_([c["user"] for c in state["candidates"]])).tuples())
    rows = [{"purchase": match.purchase_id, "user": c["user"], "rank": c["rank"], "score": c["score"],
             "bits": c.get("bits"), "reasons": json.dumps(c["reasons"])} for c in state["candidates"] if (c["user"],) in existing]
    if rows:
        MatchCandidate.insert_many(rows).execute()
    move_tickets([Move(match.purchase_id, previous_user, state["user"])], staff, why)


def describe(state: dict[str, Any]) -> str:
    """A short line for messages: who a purchase is linked to, or its state."""
    if state["status"] == "linked" and state["user"]:
        return f"linked to {User.get_by_id(state['user']).username}"
    return {"not_festival": "marked not a festival user", "candidates": "waiting with candidates"}.get(state["status"], "unmatched")
