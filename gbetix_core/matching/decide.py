"""The decision for one purchase: link it, rank candidates for a person, or leave it unmatched.

Pure and in memory, so that it is fast and testable without a database; the
engine feeds it normalised buyers and writes what it decides. The rule:
link automatically only on strong, unambiguous evidence, i.e. a probability at
or above ``auto_link``, an identifier (email, phone, street address or signed
link) plus a compatible name, no other user within ``ambiguity_margin``,
nobody else holding the buyer's email, and a tracker that neither conflicts
with the buyer nor is forged or legacy. A name and a town alone never link.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from gbetix_core.config import MatchingConfig
from gbetix_core.matching.blocking import TIERS, UserIndex
from gbetix_core.matching.normalize import Person
from gbetix_core.matching.scoring import LEGACY_BITS, TOKEN_BITS, Evidence, score
from gbetix_core.matching.weights import Weights, frequencies

FLAG_TEXT = {
    "forged": "the purchase link's tracker is forged or tampered with",
    "legacy": "an old ID-n tracker, which anyone could type, names a user the other evidence does not confirm",
    "other_event": "the signed purchase link was made for another event",
    "token_conflict": "a signed-in user's link was used by someone with another name and email",
    "shared_email": "the buyer's email belongs to another registered user (a shared household email?)",
    "namesakes": "two or more users are about equally plausible",
}


@dataclass(frozen=True)
class Link:
    """What the order line's tracker says: ``kind`` as in tokens.Tracker, and the user it names."""

    kind: str = "none"
    user: int | None = None


@dataclass
class Outcome:
    status: str  # linked | candidates | unmatched
    user: int | None = None
    method: str | None = None
    score: float | None = None
    flag: str | None = None
    candidates: list[Evidence] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # why a link was made (candidates are kept only when not linked)
    named: int | None = None  # the user a flagged tracker names (the flag's text names them)


class Matcher:
    """Decides purchases against one index of users with one set of thresholds."""

    def __init__(self, index: UserIndex, settings: MatchingConfig, weights: Weights | None = None):
        self.index = index
        self.settings = settings
        self.weights = weights or Weights(population=len(index), tf=frequencies(index.people.values()))
        self.floor = math.log2(settings.candidate_min / (1 - settings.candidate_min))  # candidate_min in bits

    def decide(self, buyer: Person, link: Link = Link()) -> Outcome:
        """Score users sharing an identifier first; look through the other passes only when that does not settle it.

        A link on a signed tracker, the email or the phone, with a compatible
        name, cannot be challenged by a user who shares neither: the (many)
        namesakes and sound-alikes need not be scored. Then the exact name and
        the fuzzy passes, tier by tier (blocking.TIERS): a tier is scored only
        when the ones before do not lead to a link, and the wide last one only
        when nobody so far has a name that could be the buyer's.
        """
        seen = self.index.identified(buyer) | ({link.user} if link.user else set())
        evidence = self._scored(buyer, seen)
        self._add_link(evidence, link)
        outcome = self._conclude(buyer, link, evidence)
        if outcome.status == "linked" and outcome.method in SETTLED:
            return outcome
        index = self.index
        for tier in range(len(TIERS)):
            if tier and (outcome.status == "linked" or tier == WIDE and any(e.name_compatible for e in evidence.values())):
                return outcome
            found = (index.sounding(buyer, (tier,)) | (index.named(buyer) if tier == 0 else set())) - seen
            seen |= found
            evidence.update(self._scored(buyer, found, self.floor))
            outcome = self._conclude(buyer, link, evidence)
        return outcome

    def _conclude(self, buyer: Person, link: Link, evidence: dict[int, Evidence]) -> Outcome:
        flag = self._flag(link, evidence)
        ranked = sorted((e for e in evidence.values() if e.score >= self.settings.candidate_min or e.user == link.user),
                        key=lambda e: (-e.score, e.user))
        if not ranked:
            return Outcome("unmatched", score=0.0, flag=flag)
        best = ranked[0]
        if flag == "legacy" and _confirms(best, link):
            flag = None
        holders = self.index.holders_of_email(buyer.email)
        if flag is None and holders and (best.user not in holders or not best.name_compatible):
            flag = "shared_email"
        if flag is None and len(ranked) > 1 and self._rivals(best, ranked[1]):
            flag = "shared_email" if {best.user, ranked[1].user} <= set(holders) else "namesakes"
        if flag is None and self._strong(best):
            return Outcome("linked", user=best.user, method=_method(best), score=best.score, reasons=best.reasons)
        top = ranked[: self.settings.max_candidates]
        if link.user in evidence and evidence[link.user] not in top:
            top = top[: self.settings.max_candidates - 1] + [evidence[link.user]]
        named = link.user if flag in ("legacy", "other_event", "token_conflict") else None
        return Outcome("candidates", score=best.score, flag=flag, candidates=top, named=named)

    def _rivals(self, best: Evidence, second: Evidence) -> bool:
        """Whether the runner-up is about as plausible as the best: within the margin and not far behind in
        weight, and with a name that could be the buyer's (when the best's could: then the name decides)."""
        if second.name_compatible < best.name_compatible:
            return False
        return second.score > best.score - self.settings.ambiguity_margin and second.bits > best.bits - DECISIVE_BITS

    def _scored(self, buyer: Person, keys: set[int], floor: float = -math.inf) -> dict[int, Evidence]:
        """Evidence for each of these users that weighs at least ``floor`` bits (the rest could not be candidates)."""
        people, weights = self.index.people, self.weights
        scored = (score(buyer, people[key], weights, floor) for key in keys if key in people)
        return {evidence.user: evidence for evidence in scored if evidence is not None}

    @staticmethod
    def _add_link(evidence: dict[int, Evidence], link: Link) -> None:
        found = evidence.get(link.user) if link.user is not None else None
        if found is None:
            return
        if link.kind == "user":
            found.add(TOKEN_BITS, "signed purchase link made for this user", "token")
        elif link.kind == "session":
            found.add(TOKEN_BITS, "purchase link from a browser that signed in as this user", "session")
        elif link.kind == "legacy":
            found.add(LEGACY_BITS, "old ID-n tracker names this user (anyone could type it)")
        elif link.kind == "other_event":
            found.add(LEGACY_BITS, "signed purchase link made for this user, but for another event")

    @staticmethod
    def _flag(link: Link, evidence: dict[int, Evidence]) -> str | None:
        """Trouble with the tracker: forged, legacy, another event's, or a signed-in user's link used by someone else."""
        if link.kind in ("forged", "legacy", "other_event"):
            return link.kind
        named = evidence.get(link.user) if link.kind in ("user", "session") else None
        if named is not None and not named.name_compatible and named.email not in ("registered", "purchase"):
            return "token_conflict"
        return None

    def _strong(self, best: Evidence) -> bool:
        """Enough evidence to link: the probability, an identifier and a compatible name (or a signed link and the email)."""
        if best.score < self.settings.auto_link:
            return False
        if {"token", "session"} & best.identifiers and "email" in best.identifiers:
            return True
        return best.name_compatible and bool(best.identifiers)


def _confirms(best: Evidence, link: Link) -> bool:
    """An old tracker agreeing with strong independent evidence: it names the best user, whose email and name fit."""
    return best.user == link.user and "email" in best.identifiers and best.name_compatible


WIDE = len(TIERS) - 1  # the tier scored only when no one with a fitting name was found
# A best candidate this many bits (2^10: a thousand times) likelier than the runner-up is not ambiguous.
DECISIVE_BITS = 10.0
# Methods whose link no namesake or sound-alike can outweigh: no need to look further.
SETTLED = ("token", "session", "email", "purchase_email", "phone")


def _method(best: Evidence) -> str:
    """How a link was made, strongest evidence first (shown in the export and the queue)."""
    for identifier in ("token", "session"):
        if identifier in best.identifiers:
            return identifier
    if best.email in ("registered", "purchase"):
        return "email" if best.email == "registered" else "purchase_email"
    for identifier in ("phone", "street"):
        if identifier in best.identifiers:
            return identifier
    return "name"
