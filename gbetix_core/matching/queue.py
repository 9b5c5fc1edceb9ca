"""What the match queue screen asks: pages of purchases to resolve, counts, and one purchase's candidates.

Pages are keyset-paged on the (status, score, purchase) index with LIMIT, so that
page 400 of 100,000 rows costs what page 1 costs (the engine always writes a
score, 0 when nothing matched); filters and search narrow the same indexed
query. :func:`candidates_for` returns the buyer beside each candidate with the
differences field by field, so a person sees at once why a guess was made.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from peewee import JOIN, Value, fn

from gbetix_core import validation
from gbetix_core.errors import InputError, NotFound
from gbetix_core.matching import normalize
from gbetix_core.matching.export import link_evidence
from gbetix_core.models import BptEvent, MatchCandidate, Purchase, Purchaser, PurchaseMatch, User
from gbetix_core.models.base import utcnow

QUEUE_STATUSES = ("candidates", "unmatched", "linked", "not_festival")
PAGE = 50
COMPARED = ("first_name", "last_name", "email", "phone", "address", "zip")


@dataclass(frozen=True)
class QueueRow:
    purchase_id: int
    ticket_number: str
    buyer: str
    email: str | None
    event_id: str
    order_time: dt.datetime | None
    status: str
    score: float | None
    flag: str | None


@dataclass(frozen=True)
class Page:
    rows: list[QueueRow]
    next_after: tuple[float, int] | None


def queue_page(status: str = "candidates", *, event_id: str | None = None, older_than_days: int | None = None,
               search: str | None = None, flag: str | None = None, after: tuple[float, int] | None = None,
               limit: int = PAGE) -> Page:
    """One page of purchases in ``status``, most confident first, then newest; pass ``next_after`` back for more.

    Both keys descend so the index is walked backwards: with mixed directions
    a queue of equal scores (nothing matched) would be sorted on every page.

    ``flag`` narrows to one kind of trouble (token_conflict, shared_email, namesakes, legacy, forged,
    disputed_claim).
    """
    if status not in QUEUE_STATUSES:
        raise InputError(f"Unknown queue {status!r}: choose one of {', '.join(QUEUE_STATUSES)}.")
    query = (PurchaseMatch.select(Purchase.id, Purchase.ticket_number, Purchaser.first_name, Purchaser.last_name,
                                  Purchaser.email, BptEvent.event_id, Purchase.order_time, PurchaseMatch.status,
                                  PurchaseMatch.score, PurchaseMatch.flag)
             .join(Purchase).join(Purchaser).join_from(Purchase, BptEvent)
             .where(PurchaseMatch.status == status))
    query = _filtered(query, event_id, older_than_days, search)
    if flag:
        query = query.where(PurchaseMatch.flag == flag)
    if after is not None:
        # Compare in the column's own type: PostgreSQL stores scores as REAL, and a
        # float8 parameter would never equal the REAL value it was read from.
        last_score = Value(after[0]).cast("REAL")
        query = query.where((PurchaseMatch.score < last_score)
                            | ((PurchaseMatch.score == last_score) & (PurchaseMatch.purchase < after[1])))
    rows = [QueueRow(r[0], r[1], f"{r[2] or ''} {r[3] or ''}".strip(), r[4], r[5], r[6], r[7], _rounded(r[8]), r[9])
            for r in query.order_by(PurchaseMatch.score.desc(), PurchaseMatch.purchase.desc()).limit(limit).tuples()]
    last = rows[-1] if len(rows) == limit else None
    return Page(rows, (last.score or 0.0, last.purchase_id) if last else None)


def _rounded(score: float | None) -> float | None:
    """Scores are written with 3 decimals; PostgreSQL's REAL reads them back with float noise."""
    return round(score, 3) if score is not None else None


def _filtered(query, event_id: str | None, older_than_days: int | None, search: str | None):
    if event_id:
        query = query.where(BptEvent.event_id == event_id)
    if older_than_days is not None:
        query = query.where(Purchase.order_time <= utcnow() - dt.timedelta(days=older_than_days))
    text = validation.text("search", search or "").lower()
    if text:
        query = query.where((Purchase.ticket_number == text.upper()) | (fn.LOWER(Purchaser.email).contains(text))
                            | fn.LOWER(Purchaser.last_name).contains(text)
                            | fn.LOWER(Purchaser.first_name).contains(text))
    return query


def queue_counts(event_id: str | None = None) -> dict[str, int]:
    """How many purchases are in each state (purchases never matched count as unmatched)."""
    counts = {status: 0 for status in QUEUE_STATUSES}
    if event_id is None:
        counts.update(PurchaseMatch.select(PurchaseMatch.status, fn.COUNT(PurchaseMatch.id))
                      .group_by(PurchaseMatch.status).tuples())
        counts["unmatched"] += Purchase.select().count() - PurchaseMatch.select().count()
        return counts
    counts.update(PurchaseMatch.select(PurchaseMatch.status, fn.COUNT(PurchaseMatch.id)).join(Purchase).join(BptEvent)
                  .where(BptEvent.event_id == event_id).group_by(PurchaseMatch.status).tuples())
    never = (Purchase.select().join(PurchaseMatch, JOIN.LEFT_OUTER).join_from(Purchase, BptEvent)
             .where(PurchaseMatch.id.is_null() & (BptEvent.event_id == event_id)))
    counts["unmatched"] += never.count()
    return counts


@dataclass
class CandidateView:
    user_id: int
    username: str
    name: str
    rank: int
    score: float
    reasons: list[str]
    fields: dict[str, tuple[str, str, bool]] = field(default_factory=dict)
    bits: float | None = None  # the total match weight; None for a link made before weights were kept

    @property
    def strength(self) -> str:
        """The probability, and beside it the match weight in bits ("1.00 +23.4"): two household members whose
        probabilities both round to 1.00 are still told apart by their weights."""
        return f"{self.score:.2f}" if self.bits is None else f"{self.score:.2f} {self.bits:+.1f}"


@dataclass
class PurchaseView:
    purchase_id: int
    ticket_number: str
    buyer: dict[str, str]
    status: str
    user: str | None
    method: str | None
    flag: str | None
    human: bool
    notes: str | None
    candidates: list[CandidateView]


def candidates_for(purchase_id: int) -> PurchaseView:
    """The buyer beside each ranked candidate: per field (buyer's value, user's value, same?)."""
    row = (Purchase.select(Purchase, Purchaser).join(Purchaser).where(Purchase.id == purchase_id).first())
    if row is None:
        raise NotFound(f"No purchase with id {purchase_id}.")
    buyer = row.purchaser
    values = {"first_name": buyer.first_name, "last_name": buyer.last_name, "email": buyer.email,
              "phone": buyer.phone, "address": buyer.address, "zip": buyer.zip}
    match = PurchaseMatch.get_or_none(PurchaseMatch.purchase == purchase_id)
    ranked = (MatchCandidate.select(MatchCandidate, User).join(User)
              .where(MatchCandidate.purchase == purchase_id).order_by(MatchCandidate.rank))
    views = [CandidateView(c.user.id, c.user.username, c.user.full_name, c.rank, _rounded(c.score), json.loads(c.reasons),
                           _differences(values, c.user), c.bits) for c in ranked]
    linked = User.get_by_id(match.user_id) if match and match.user_id else None
    if linked and match.status == "linked" and all(v.user_id != linked.id for v in views):
        evidence = link_evidence(linked.username, match.score, match.reason, match.human)
        views.insert(0, CandidateView(linked.id, linked.username, linked.full_name, 0, evidence["score"] or 0.0,
                                      evidence["reasons"], _differences(values, linked)))
    return PurchaseView(purchase_id, row.ticket_number, {k: v or "" for k, v in values.items()},
                        match.status if match else "unmatched", linked.username if linked else None,
                        match.method if match else None,
                        match.flag if match else None, bool(match and match.human), row.order_notes, views)


def _same_given_name(a: str | None, b: str | None) -> bool:
    a, b = normalize.given_name(a), normalize.given_name(b)
    return bool(a) and (a == b or b in normalize.name_forms(a) or a in normalize.name_forms(b))


def _differences(buyer: dict, user: User) -> dict[str, tuple[str, str, bool]]:
    email = normalize.email(buyer["email"])
    by_purchase_email = bool(email) and email == normalize.email(user.purchase_email)
    phone = normalize.phone(buyer["phone"])
    same = {
        "first_name": _same_given_name(buyer["first_name"], user.first_name),
        "last_name": normalize.surname(buyer["last_name"]) == normalize.surname(user.last_name),
        "email": bool(email) and (email == normalize.email(user.email) or by_purchase_email),
        "phone": bool(phone) and phone == normalize.phone(user.phone),
        "address": bool(buyer["address"]) and normalize.street(buyer["address"]) == normalize.street(user.address),
        "zip": bool(buyer["zip"]) and normalize.zip_code(buyer["zip"]) == normalize.zip_code(user.zip),
    }
    theirs = {key: getattr(user, key) or "" for key in COMPARED}
    if by_purchase_email:
        theirs["email"] = user.purchase_email
    return {key: (buyer[key] or "", theirs[key], same[key]) for key in COMPARED}
