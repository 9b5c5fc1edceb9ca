"""Registered users in the matcher's form, and the weights learned on them, reused while nothing changes.

Loading and normalising 50,000 users takes about a second, so the index is
rebuilt only when the users table changes (see people.versions); the
weights are learned again when the users, the buyers or people's links change,
and kept in the database so that the next process reuses them.
"""

from __future__ import annotations

import json
import random
import time
from typing import Iterable

from gbetix_core.db import plain_rows, write
from gbetix_core.matching.blocking import UserIndex
from gbetix_core.matching.kept_index import IndexFile
from gbetix_core.matching.normalize import Person, person
from gbetix_core.matching.training import MIN_SAMPLE, SAMPLE, learn, users_in_order
from gbetix_core.matching.weights import Weights, frequencies
from gbetix_core.models import LearnedWeights, MatchDecision, Purchase, Purchaser, PurchaseMatch, User
from gbetix_core.people.versions import held, per_users_version, users_version

USER_FIELDS = (User.id, User.first_name, User.last_name, User.email, User.phone, User.address, User.zip,
               User.purchase_email, User.city, User.state)


def buyer_person(first, last, email, phone, address, zip_code, city=None, state=None) -> Person:
    """A BPT buyer in comparable form (key 0: a buyer is not a user)."""
    return person(0, first, last, email, phone, address, zip_code, city_raw=city, state_raw=state)


def _user_person(row: tuple) -> Person:
    key, first, last, email, phone, address, zip_code, purchase_email, city, state = row
    return person(key, first, last, email, phone, address, zip_code, purchase_email, city, state)


def people_for_query(query) -> list[Person]:
    return [_user_person(row) for row in plain_rows(query)]


def load_index(kept: IndexFile | None = None) -> UserIndex:
    """Every registered user, filed for blocking (:func:`build_index`); reused while users are unchanged, in this
    process and, with ``kept``, by the next one (see kept_index)."""
    return per_users_version("matching_index", (lambda: kept.load_or_build(build_index)) if kept else build_index)


def build_index() -> UserIndex:
    """Every registered user (special accounts excluded), filed for blocking, built afresh.

    In id order: the weights draw random users from the index by position, so an index in whatever order the
    database returns rows (PostgreSQL: where an update left them) would learn other weights from the same users.
    """
    everyone = User.select(*USER_FIELDS).where(User.special.is_null()).order_by(User.id)
    return UserIndex(people_for_query(everyone))


def prepare_index(kept: IndexFile, url: str) -> None:
    """Have the index read ahead (built aside when none is kept) unless this process holds it: a sync calls
    this before it imports, so that its matching, seconds later, finds the index ready (see IndexFile.prepare)."""
    if not held("matching_index"):
        kept.prepare(url)


BUYER_FIELDS = (Purchaser.first_name, Purchaser.last_name, Purchaser.email, Purchaser.phone, Purchaser.address,
                Purchaser.zip, Purchaser.city, Purchaser.state)
_learned: dict[str, tuple[tuple, int, Weights]] = {}
REJECTING = ("reject", "not_festival")  # decisions that say a user linked or ranked for a purchase is not its buyer
# The weights are learned again when the buyers have grown by this share since (or users or decisions changed).
RELEARN_GROWTH = 1.25


def load_weights(index: UserIndex, relearn: bool = False) -> Weights:
    """Weights learned from a sample of the stored buyers, every link a person made and every user a person took
    off a purchase (see training).

    A sync matches event by event: learning again after every event would cost
    more than it teaches, so the weights are kept until the users or people's
    links change, or the buyers grow by a quarter (or ``relearn`` asks); they
    are kept in the database for the next process on the same terms. Every
    query here is read in a fixed order: learning draws its samples by
    position and adds its sums in the order it reads, so rows in another
    order (another backend, a table rewritten) would give other weights.
    """
    human = PurchaseMatch.select(PurchaseMatch.user, *BUYER_FIELDS).join(Purchase).join(Purchaser).where(
        (PurchaseMatch.human == True) & (PurchaseMatch.status == "linked")).order_by(PurchaseMatch.purchase)  # noqa: E712
    rejections = MatchDecision.select(MatchDecision.action, MatchDecision.before, MatchDecision.after, *BUYER_FIELDS).join(Purchase).join(
        Purchaser).where(MatchDecision.action.in_(REJECTING) & MatchDecision.undone_at.is_null()).order_by(MatchDecision.id)
    version, count = (users_version(), human.count(), rejections.count()), Purchaser.select().count()
    cached = _learned.get("weights")
    if not (cached and cached[0] == version):
        cached = _kept(version, count, index)
    if cached and not _grown(cached[1], count) and not relearn:
        _learned["weights"] = cached
        return cached[2]
    started = time.perf_counter()
    # By identity (a digest of what the buyer typed), not id: a sync stores batches two at once on PostgreSQL, so
    # the same buyers may get their ids in another order, and the sample drawn by position would differ.
    identities = [row[0] for row in Purchaser.select(Purchaser.identity).order_by(Purchaser.identity).tuples()]
    sample = sorted(random.Random(0).sample(identities, min(SAMPLE, len(identities))))
    buyers = [buyer_person(*row) for start in range(0, len(sample), 500) for row in plain_rows(
        Purchaser.select(*BUYER_FIELDS).where(Purchaser.identity.in_(sample[start:start + 500]))
        .order_by(Purchaser.identity))]
    weights = learn(index, buyers, [(buyer_person(*row[1:]), row[0]) for row in plain_rows(human)],
                    rejected=list(_rejected_pairs(plain_rows(rejections))))
    weights.seconds = time.perf_counter() - started
    _learned["weights"] = (version, len(identities), weights)
    _keep(version, len(identities), weights)
    return weights


def _basis(version: tuple) -> str:
    """``version`` as the database keeps it: without the first part of the users' version, which names this
    process's connection."""
    users, links, rejections = version
    return json.dumps([list(users[1:]), links, rejections])


def _kept(version: tuple, buyers: int, index: UserIndex) -> tuple[tuple, int, Weights] | None:
    """The weights an earlier process learned from the same users, links and rejections, and from enough of
    today's ``buyers`` not to be learned again; or None."""
    row = LearnedWeights.select().where(LearnedWeights.basis == _basis(version)).order_by(
        LearnedWeights.id.desc()).first()
    if row is None or _grown(row.buyers, buyers):
        return None
    return version, row.buyers, Weights.from_kept(json.loads(row.weights), frequencies(users_in_order(index)))


def _keep(version: tuple, buyers: int, weights: Weights) -> None:
    """Keep the weights just learned for later processes, in place of any kept before."""
    with write():
        LearnedWeights.delete().execute()
        LearnedWeights.create(basis=_basis(version), buyers=buyers, weights=json.dumps(weights.kept()))


def _rejected_pairs(rows) -> Iterable[tuple[Person, int]]:
    """(buyer, user) for every user a standing decision took off a purchase: linked or ranked before, not after
    (after "not a festival user", none of them is the buyer)."""
    for action, before, after, *buyer in rows:
        was, now = json.loads(before), json.loads(after)
        kept = set() if action == "not_festival" else {now["user"]} | {c["user"] for c in now["candidates"]}
        for user in ({was["user"]} | {c["user"] for c in was["candidates"]}) - kept - {None}:
            yield buyer_person(*buyer), user


def _grown(learned_on: int, buyers: int) -> bool:
    return buyers >= MIN_SAMPLE and buyers >= learned_on * RELEARN_GROWTH
