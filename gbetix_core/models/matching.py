"""Who bought what: purchase-to-user matches, ranked candidates, decisions, claims and tokens.

A match is kept per purchase (order line) because one buyer identity can be
used by two people; the engine writes ``human=False`` rows and never
overwrites a row a person decided (``human=True``).
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from gbetix_core.models.base import BaseModel, index_where_set, utcnow
from gbetix_core.models.bpt import Purchase
from gbetix_core.models.people import Staff, User

MATCH_STATUSES = ("linked", "candidates", "unmatched", "not_festival")


class PurchaseMatch(BaseModel):
    purchase = ForeignKeyField(Purchase, unique=True, backref="match", on_delete="CASCADE")
    user = ForeignKeyField(User, null=True, backref="matches", on_delete="RESTRICT")
    status = CharField(default="unmatched")  # indexed with score and purchase, for the queue
    method = CharField(null=True)
    score = FloatField(null=True)
    human = BooleanField(default=False)
    decided_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL", index=False)
    decided_at = DateTimeField(default=utcnow)
    reason = TextField(null=True)
    flag = CharField(null=True)

    class Meta:
        indexes = ((("status", "score", "purchase"), False),)


index_where_set(PurchaseMatch, PurchaseMatch.decided_by, "purchasematch_decided_by_id")
index_where_set(PurchaseMatch, PurchaseMatch.flag, "purchase_match_flag")


class MatchCandidate(BaseModel):
    """A ranked guess at who a purchase belongs to, with reasons a person can read."""

    purchase = ForeignKeyField(Purchase, backref="candidates", on_delete="CASCADE", index=False)
    user = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    rank = IntegerField()
    score = FloatField()
    bits = FloatField(null=True)  # the total match weight (log2 Bayes factor): scores that both round to 1.00 differ here
    reasons = TextField(default="[]")

    class Meta:
        indexes = ((("purchase", "user"), True),)


class MatchDecision(BaseModel):
    """A person's decision on a purchase, with the state before it so it can be undone."""

    purchase = ForeignKeyField(Purchase, backref="decisions", on_delete="CASCADE")
    staff = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")
    action = CharField()
    before = TextField()
    after = TextField()
    reason = TextField(null=True)
    at = DateTimeField(default=utcnow)
    undone_at = DateTimeField(null=True)
    undone_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="SET NULL")


class Claim(BaseModel):
    """A user's attempt to claim a purchase by its confirmation number (kept for rate limits)."""

    user = ForeignKeyField(User, null=True, backref="claims", on_delete="CASCADE")
    username = CharField()
    ticket_number = CharField(index=True)
    ok = BooleanField()
    message = TextField(null=True)
    at = DateTimeField(default=utcnow, index=True)

    class Meta:
        indexes = ((("username", "at"), False), (("ticket_number", "at"), False))


class PurchaseToken(BaseModel):
    """A tracker handed to the festival site for a purchase link.

    ``kind`` is ``user`` (signed for a signed-in user) or ``session`` (a
    visitor not signed in, bound to a user later by ``bound_user``).
    """

    tracker = CharField(unique=True)
    kind = CharField()
    user = ForeignKeyField(User, null=True, backref="tokens", on_delete="CASCADE")
    session_id = CharField(null=True, index=True)
    user_agent = CharField(null=True)
    event_id = CharField(null=True)
    created_at = DateTimeField(default=utcnow)
    bound_user = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    bound_at = DateTimeField(null=True)


class LearnedWeights(BaseModel):
    """The match weights last learned, and what from: the next process reuses them while that still holds.

    Learning takes about a second on 50,000 users; a re-sync of a few new lines
    in a fresh process would spend a quarter of its time learning again what
    the last one learned from the same users, links and rejections.
    """

    basis = TextField()  # JSON: the users table's version and the count of people's links and rejections
    buyers = IntegerField()  # buyers when learned: learned again once they grow by users.RELEARN_GROWTH
    weights = TextField()  # JSON: m and u per field and level, and what they were learned from
    learned_at = DateTimeField(default=utcnow)
