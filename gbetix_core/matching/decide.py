"""The decision for one purchase: link it, rank candidates for a person, or leave it unmatched.

Pure and in memory, so that it is fast and testable without a database; the
engine feeds it normalised buyers and writes what it decides. The rule:
link automatically only on strong, unambiguous evidence, i.e. a score at or
above ``auto_link`` from an identifier plus a compatible name, no other user
within ``ambiguity_margin``, nobody else holding the buyer's email, and a
tracker that neither conflicts with the buyer nor is forged or legacy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gbetix_core.config import MatchingConfig
from gbetix_core.matching.blocking import UserIndex
from gbetix_core.matching.normalize import Person
from gbetix_core.matching.scoring import NAME_ONLY_MAX, W_LEGACY, W_TOKEN, Evidence, score

FLAG_TEXT = {
    "forged": "the purchase link's tracker is forged or tampered with",
    "legacy": "an old ID-n tracker, which anyone could type, names a user",
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


class Matcher:
    """Decides purchases against one index of users with one set of thresholds."""

    def __init__(self, index: UserIndex, settings: MatchingConfig):
        self.index = index
        self.settings = settings

    def decide(self, buyer: Person, link: Link = Link()) -> Outcome:
        """Score users sharing an identifier first; look at namesakes only when that does not settle it.

        A user found by name alone scores at most NAME_ONLY_MAX, so a link whose
        score is more than the ambiguity margin above that cannot be challenged
        by any namesake, and the (many) namesakes need not be scored.
        """
        evidence = self._scored(buyer, self.index.identified(buyer) | ({link.user} if link.user else set()))
        self._add_link(evidence, link)
        outcome = self._conclude(buyer, link, evidence)
        if outcome.status == "linked" and outcome.score - NAME_ONLY_MAX > self.settings.ambiguity_margin:
            return outcome
        evidence.update(self._scored(buyer, self.index.named(buyer) - evidence.keys()))
        if not any(e.score >= self.settings.auto_link or e.name in ("exact", "form") for e in evidence.values()):
            evidence.update(self._scored(buyer, self.index.sounding(buyer) - evidence.keys()))
        return self._conclude(buyer, link, evidence)

    def _conclude(self, buyer: Person, link: Link, evidence: dict[int, Evidence]) -> Outcome:
        flag = self._flag(link, evidence)
        ranked = sorted((e for e in evidence.values() if e.score >= self.settings.candidate_min),
                        key=lambda e: (-e.score, e.user))
        if not ranked:
            return Outcome("unmatched", score=0.0, flag=flag)
        best = ranked[0]
        holders = self.index.holders_of_email(buyer.email)
        if flag is None and holders and (best.user not in holders or not best.name_compatible):
            flag = "shared_email"
        if flag is None and len(ranked) > 1 and ranked[1].score > best.score - self.settings.ambiguity_margin:
            flag = "shared_email" if {best.user, ranked[1].user} <= set(holders) else "namesakes"
        if flag is None and self._strong(best):
            return Outcome("linked", user=best.user, method=_method(best), score=best.score, reasons=best.reasons)
        top = ranked[: self.settings.max_candidates]
        return Outcome("candidates", score=best.score, flag=flag, candidates=top)

    def _scored(self, buyer: Person, keys: set[int]) -> dict[int, Evidence]:
        people = self.index.people
        return {key: score(buyer, people[key]) for key in keys if key in people}

    @staticmethod
    def _add_link(evidence: dict[int, Evidence], link: Link) -> None:
        found = evidence.get(link.user) if link.user is not None else None
        if found is None:
            return
        if link.kind == "user":
            found.add(W_TOKEN, "signed purchase link made for this user", "token")
        elif link.kind == "session":
            found.add(W_TOKEN, "purchase link from a browser that signed in as this user", "session")
        elif link.kind == "legacy":
            found.add(W_LEGACY, "old ID-n tracker names this user (anyone could type it)")

    @staticmethod
    def _flag(link: Link, evidence: dict[int, Evidence]) -> str | None:
        """Trouble with the tracker: forged, legacy, or a signed-in user's link used by someone else."""
        if link.kind == "forged":
            return "forged"
        if link.kind == "legacy":
            return "legacy"
        named = evidence.get(link.user) if link.kind in ("user", "session") else None
        if named is not None and not named.name_compatible and named.email not in ("registered", "purchase"):
            return "token_conflict"
        return None

    def _strong(self, best: Evidence) -> bool:
        """Enough evidence to link: the score, and a compatible name (or a signed link and the email)."""
        if best.score < self.settings.auto_link:
            return False
        return best.name_compatible or bool({"token", "session"} & best.identifiers and "email" in best.identifiers)


def _method(best: Evidence) -> str:
    """How a link was made, strongest evidence first (shown in the export and the queue)."""
    for identifier in ("token", "session"):
        if identifier in best.identifiers:
            return identifier
    if best.email in ("registered", "purchase"):
        return "email" if best.email == "registered" else "purchase_email"
    for identifier in ("phone", "street", "email_near"):
        if identifier in best.identifiers:
            return identifier
    return "name"
