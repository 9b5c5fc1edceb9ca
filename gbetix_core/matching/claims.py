"""A user claims a purchase with its confirmation number and the buyer's last name or email.

The answer is always clear: linked, already yours, queued for an admin
(because the purchase is already someone else's, or a person decided it), or refused with what to
check. Failed attempts are counted per user and per confirmation number (from
all users) within ``claim_window_minutes``, and from everybody within an hour;
past any limit further attempts are refused without checking, saying when to
try again, so confirmation numbers cannot be guessed, not even by many
accounts sharing the work. Counting and recording run one claim at a time
(:func:`~gbetix_core.db.serialize`), so attempts sent at the same moment from
many terminals are all counted. The refusal never says which half of the
proof was wrong.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Callable

from gbetix_core import audit, validation
from gbetix_core.config import MatchingConfig
from gbetix_core.db import serialize, write
from gbetix_core.errors import InputError
from gbetix_core.matching import normalize
from gbetix_core.matching.links import find_user
from gbetix_core.matching.record import lock_match, restore, snapshot
from gbetix_core.models import Claim, MatchCandidate, Purchase, Purchaser, User
from gbetix_core.models.base import utcnow
from gbetix_core.waiting import try_again

MAX_NUMBER = 40


@dataclass(frozen=True)
class ClaimResult:
    outcome: str  # linked | already_yours | queued | refused | rate_limited
    message: str

    @property
    def ok(self) -> bool:
        return self.outcome in ("linked", "already_yours", "queued")


def claim(username: str, ticket_number: str, last_name_or_email: str, settings: MatchingConfig) -> ClaimResult:
    """Check the proof and link the purchase to ``username`` (or queue it for an admin)."""
    number = validation.text("confirmation number", ticket_number or "").upper()
    proof = validation.text("last name or email", last_name_or_email or "")
    if not number or len(number) > MAX_NUMBER or not proof:
        raise InputError("A claim needs the confirmation number (like K48213377) and the buyer's last name or email.")
    return checked_claim(find_user(username), number, lambda purchase: _proves(purchase.purchaser, proof), settings,
                         f"No purchase {number} was bought under that last name or email. Check the confirmation "
                         "number in your BPT email and use the buyer's last name or the email the tickets were "
                         "bought with.")


def checked_claim(user: User, number: str, proves: Callable[[Purchase], bool], settings: MatchingConfig,
                  refusal: str) -> ClaimResult:
    """One claim whose proof ``proves`` checks (the buyer's name or email, or a mailed code), under the same limits."""
    with write():
        serialize("gbetix.claims")
        limited = _rate_limited(user.username, number, settings)
        if limited:
            return _answer(user, number, ClaimResult("rate_limited", limited))
        purchase = Purchase.get_or_none(Purchase.ticket_number == number)
        if purchase is None or not proves(purchase):
            return _answer(user, number, ClaimResult("refused", refusal))
        return _answer(user, number, _link(user, purchase))


def _rate_limited(username: str, number: str, settings: MatchingConfig) -> str | None:
    """The refusal when a limit is reached, saying when the oldest counted failure stops counting."""
    now = utcnow()
    window = dt.timedelta(minutes=settings.claim_window_minutes)
    limits = (
        (Claim.username == username, window, settings.claim_max_failures, f"from {username}"),
        (Claim.ticket_number == number, window, settings.claim_number_max_failures, f"for {number}"),
        (None, dt.timedelta(hours=1), settings.claim_max_failures_per_hour, "from everybody in the last hour"),
    )
    for which, span, most, whose in limits:
        failed = Claim.select(Claim.at).where((Claim.ok == False) & (Claim.at >= now - span))  # noqa: E712
        if which is not None:
            failed = failed.where(which)
        times = [row.at for row in failed.order_by(Claim.at.desc()).limit(most)]
        if len(times) >= most:
            then = "ask an admin to link the purchase from the unmatched purchases"
            return f"Too many failed claims {whose}. {try_again(times[-1] + span, then)}"
    return None


def _proves(buyer: Purchaser, proof: str) -> bool:
    if "@" in proof:
        return bool(normalize.email(proof)) and normalize.email(proof) == normalize.email(buyer.email)
    return bool(normalize.surname(proof)) and normalize.surname(proof) == normalize.surname(buyer.last_name)


def _link(user: User, purchase: Purchase) -> ClaimResult:
    match = lock_match(purchase)
    before = snapshot(match)
    number = purchase.ticket_number
    if match.status == "linked" and match.user_id == user.id:
        return ClaimResult("already_yours", f"{number} is already yours.")
    if (match.status == "linked" and match.user_id is not None) or match.human:
        why = "claimed while linked to another user" if match.user_id else "claimed after the box office decided it"
        _queue(match, before, user, why)
        audit.record("match.claim_queued", subject=f"purchase:{number}", before=before, after=snapshot(match),
                     operator=user.username, reason=why)
        return ClaimResult("queued", f"{number} is already linked to another user or was decided by the box office; "
                                     "an admin will decide and you will see the result in your status.")
    after = {**before, "status": "linked", "user": user.id, "method": "claim", "human": True, "flag": None,
             "reason": "claimed with confirmation number and buyer's name or email"}
    restore(match, after, None, f"claimed by {user.username}")
    audit.record("match.claim", subject=f"purchase:{number}", before=before, after=after, operator=user.username,
                 reason=after["reason"])
    return ClaimResult("linked", f"{number} is now yours: its tickets are in your account.")


def _queue(match, before: dict, user: User, why: str) -> None:
    """Keep the link, add the claimant as a candidate, and flag the purchase for an admin (the engine keeps off)."""
    MatchCandidate.delete().where((MatchCandidate.purchase == match.purchase_id) & (MatchCandidate.user == user.id)).execute()
    rank = max([c["rank"] for c in before["candidates"]] or [0]) + 1
    MatchCandidate.create(purchase=match.purchase_id, user=user, rank=rank, score=1.0,
                          reasons=json.dumps(["claimed with confirmation number and buyer's name or email"]))
    match.flag, match.human = "disputed_claim", True
    match.reason = f"{user.username} {why}"
    match.save(only=[type(match).flag, type(match).reason, type(match).human])


def _answer(user: User, number: str, result: ClaimResult) -> ClaimResult:
    Claim.create(user=user, username=user.username, ticket_number=number, ok=result.ok, message=result.message)
    return result
