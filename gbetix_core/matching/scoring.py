"""How much a buyer and a user look like one person, with reasons a person can read.

Each piece of evidence adds a fixed weight and a sentence. The weights are set
so that a score at or above the auto-link threshold (0.90) needs an identifier
(signed link, email, phone or street address) AND a compatible name, and a
name alone (0.40) never gets near it: namesakes stay for a person to decide.
"""

from __future__ import annotations

from rapidfuzz.distance import JaroWinkler, Levenshtein

from gbetix_core.matching.normalize import Person

W_TOKEN = 0.60
W_EMAIL = 0.58
W_PHONE = 0.55
W_STREET = 0.50
W_EMAIL_NEAR = 0.30
W_EMAIL_NAME = 0.20
W_LEGACY = 0.20
W_NAME = {"exact": 0.40, "form": 0.38, "close": 0.35, "fuzzy": 0.25, "initial": 0.12, "surname": 0.08}
CLOSE = 0.88
# The most a user who shares no identifier (email, phone, street, tracker) with the buyer can score.
NAME_ONLY_MAX = W_NAME["exact"] + max(W_EMAIL_NEAR, W_EMAIL_NAME)


class Evidence:
    """One user's case for owning a purchase: a score in [0, 1] and the reasons for it."""

    __slots__ = ("user", "score", "reasons", "name", "email", "identifiers")

    def __init__(self, user: int):
        self.user = user
        self.score = 0.0
        self.reasons: list[str] = []
        self.name = "none"
        self.email = ""
        self.identifiers: set[str] = set()

    def __repr__(self) -> str:
        return f"Evidence(user={self.user}, score={self.score:.2f}, reasons={self.reasons})"

    @property
    def name_compatible(self) -> bool:
        return self.name in ("exact", "form", "close", "fuzzy")

    def add(self, weight: float, reason: str, identifier: str = "") -> None:
        self.score = min(1.0, self.score + weight)
        self.reasons.append(reason)
        if identifier:
            self.identifiers.add(identifier)


def _first_name(buyer: Person, user: Person) -> str:
    if not buyer.first or not user.first:
        return "none"
    if buyer.first == user.first:
        return "exact"
    if user.first in buyer.forms or buyer.first in user.forms:
        return "form"
    if JaroWinkler.similarity(buyer.first, user.first) >= CLOSE:
        return "close"
    return "initial" if buyer.first[0] == user.first[0] else "none"


def _last_name(buyer: Person, user: Person) -> str:
    if not buyer.last or not user.last:
        return "none"
    if buyer.last == user.last or buyer.lasts & user.lasts:
        return "exact"
    return "close" if JaroWinkler.similarity(buyer.last, user.last) >= CLOSE else "none"


def name_level(first: str, last: str) -> str:
    """Combine the given-name and surname comparisons into one level of W_NAME."""
    if last == "exact":
        return {"exact": "exact", "form": "form", "close": "close", "initial": "initial"}.get(first, "surname")
    if last == "close":
        return {"exact": "close", "form": "fuzzy", "close": "fuzzy"}.get(first, "none")
    return "none"


def _name_reason(level: str, buyer_first: str, user_first: str) -> str:
    if level == "form":
        return f"{buyer_first.title()} is a form of {user_first.title()}"
    return {"exact": "name matches", "close": "name nearly matches (a typo?)", "fuzzy": "name is similar",
            "initial": "same surname and initial", "surname": "same surname"}[level]


def _email(evidence: Evidence, buyer: Person, user: Person) -> None:
    if buyer.email == user.email:
        evidence.email = "registered"
        evidence.add(W_EMAIL, "email equals registered email", "email")
        return
    if buyer.email == user.alt_email:
        evidence.email = "purchase"
        evidence.add(W_EMAIL, "email equals purchase email", "email")
        return
    local, domain = buyer.mailboxes[0]
    for known_local, known_domain in user.mailboxes:
        if domain == known_domain and len(local) >= 5 and Levenshtein.distance(local, known_local, score_cutoff=1) <= 1:
            evidence.email = "near"
            evidence.add(W_EMAIL_NEAR, f"email is one letter from {known_local}@{known_domain} (a typo?)", "email_near")
            return
        if local == known_local and len(local) >= 6:
            evidence.email = "name"
            evidence.add(W_EMAIL_NAME, f"same mailbox name as {known_local}@{known_domain} at another provider")
            return


def score(buyer: Person, user: Person) -> Evidence:
    """Compare a buyer's details with a user's: email, name, phone and street address."""
    evidence = Evidence(user.key)
    if buyer.email:
        _email(evidence, buyer, user)
    level = name_level(_first_name(buyer, user), _last_name(buyer, user))
    evidence.name = level
    if level != "none":
        evidence.add(W_NAME[level], _name_reason(level, buyer.first, user.first))
    if buyer.phone and buyer.phone == user.phone:
        evidence.add(W_PHONE, "phone matches", "phone")
    if buyer.street and buyer.street == user.street and buyer.zip == user.zip:
        evidence.add(W_STREET, "street address matches", "street")
    return evidence
