"""Learn the match weights from the festival's own users, purchases and decisions.

The Fellegi-Sunter way, as Splink does it: u (how often two different people
agree) is counted on buyer-user pairs drawn at random, which are almost all
different people; m (how often one person agrees with themselves) is learned
by expectation-maximisation, with u held fixed, on the pairs blocking brings
together, a mixture of true pairs and others, with each buyer at most one
of the users brought to them. Holding u fixed keeps EM from
"discovering" a class that is not the person (everyone from one town). Each
pair is a short vector of levels and there are few distinct vectors, so EM
runs on (vector, count) rows in milliseconds. Every link a person made
(accept, assign, claim) is a labelled true pair and adds to m; every user a
person rejected for a purchase (reject, not a festival user) is a labelled
pair of two people and adds to u, so that what fooled the engine once weighs
less next time. The defaults
count as PRIOR_PAIRS pairs, so that a festival with a handful of purchases
still gets sensible weights.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Sequence

from gbetix_core.matching.blocking import UserIndex
from gbetix_core.matching.compare import FIELDS, LEVELS, MISSING, compare
from gbetix_core.matching.normalize import Person
from gbetix_core.matching.weights import DEFAULT_M, DEFAULT_U, Weights, frequencies

LEARNED_TIERS = (0, 1)  # the blocking tiers whose pairs EM learns from (the wide one adds cost, not knowledge)
SAMPLE = 2_000  # buyers whose blocked pairs the weights are learned from
MIN_SAMPLE = 200  # below this many buyers the default m and u stay
PRIOR_PAIRS = 200.0  # how many pairs the default m and u count as
LABEL_PAIRS = 5.0  # how many pairs one decision by a person counts as
ITERATIONS = 25
# Nearly every blocking pass keys on the place, so blocked pairs agree on it whoever they are: EM judges
# pairs without these fields (else it learns "same town" instead of "same person"), and only counts them.
BLOCKED_ON = ("city", "zip", "state")
RANDOM_PAIRS = 10_000  # random buyer-user pairs u is counted on
# EM on a festival whose users share few surnames may take "same surname, same town" for "same person";
# people rarely type their own name as another, so a name's "different" level is capped in m.
MAX_NAME_DIFFERENT = 0.15
START_FOUND = 0.8  # the share of buyers first assumed to be among the users blocking brings them


def learn(index: UserIndex, buyers: Sequence[Person], labelled: Sequence[tuple[Person, int]] = (),
          seed: int = 0, rejected: Sequence[tuple[Person, int]] = ()) -> Weights:
    """Weights for ``index``'s users, learned from a sample of ``buyers``, the labelled (buyer, user) pairs that are
    one person and the ``rejected`` ones that are not.

    ``buyers`` must come in a fixed order (users.load_weights reads them by id): the sample is drawn by position.
    """
    rng = random.Random(seed)
    sample = rng.sample(list(buyers), min(SAMPLE, len(buyers))) if len(buyers) >= MIN_SAMPLE else []
    people = index.people
    users = users_in_order(index)
    patterns: dict[tuple[int, ...], int] = {}
    groups = [[patterns.setdefault(compare(buyer, people[key]), len(patterns))
               for key in sorted(index.close(buyer) | index.sounding(buyer, LEARNED_TIERS))] for buyer in sample]
    others = Counter(compare(buyer, people[key]) for buyer, key in rejected if key in people)
    random_pairs = Counter(compare(rng.choice(sample), rng.choice(users))
                           for _ in range(RANDOM_PAIRS if sample and users else 0))
    u = _blend(_counts(list(random_pairs.items()) + _labelled_rows(others)), DEFAULT_U)
    labels = Counter(compare(buyer, people[key]) for buyer, key in labelled if key in people)
    m = _em(list(patterns), [g for g in groups if g], labels, u)
    return Weights(m=m, u=u, tf=frequencies(users), population=len(people), pairs=sum(len(g) for g in groups),
                   decisions=sum(labels.values()) + sum(others.values()), rejections=sum(others.values()))


def users_in_order(index: UserIndex) -> list[Person]:
    """The index's users in id order, whatever built it: learning draws from them by position and sums their
    term frequencies in this order, so the same users always give the same weights."""
    people = index.people
    return [people[key] for key in sorted(people)]


def _labelled_rows(labels: Counter) -> list[tuple[tuple[int, ...], float]]:
    """(levels, weight) rows for pairs a person labelled: each counts as LABEL_PAIRS pairs."""
    return [(levels, count * LABEL_PAIRS) for levels, count in labels.items()]


def _em(patterns: list[tuple[int, ...]], groups: list[list[int]], labels: Counter, u: dict) -> dict:
    """The m that best explains each buyer's blocked pairs, u fixed; labels count as true pairs.

    A buyer is at most one of the users blocking brought: the E-step shares one
    buyer's chance of being a user (``found``) among their pairs by likelihood
    ratio, so a block of namesakes in one town cannot all pass for the buyer.
    """
    m, found = dict(DEFAULT_M), START_FOUND
    for _ in range(ITERATIONS if groups else 1):
        ratios = [_ratio(levels, m, u) for levels in patterns]
        shares = [0.0] * len(patterns)
        for group in groups:
            denominator = (1 - found) * len(group) + found * sum(ratios[i] for i in group)
            for i in group:
                shares[i] += found * ratios[i] / denominator
        found = min(0.99, max(0.01, sum(shares) / len(groups))) if groups else found
        rows = list(zip(patterns, shares)) + _labelled_rows(labels)
        m = _bounded(_blend(_counts(rows), DEFAULT_M))
    return m


def _bounded(m: dict) -> dict:
    """m with each name's "different" level capped at MAX_NAME_DIFFERENT (the rest scaled up to fill the gap)."""
    bounded = dict(m)
    for name in ("first", "last"):
        row = m[name]
        if row[-1] > MAX_NAME_DIFFERENT:
            scale = (1 - MAX_NAME_DIFFERENT) / (1 - row[-1])
            bounded[name] = tuple(value * scale for value in row[:-1]) + (MAX_NAME_DIFFERENT,)
    return bounded


def _counts(weighted) -> dict[str, list[float]]:
    """Per field, the total weight of the (levels, weight) rows on each level."""
    counts = {name: [0.0] * len(LEVELS[name]) for name in FIELDS}
    for levels, weight in weighted:
        for name, level in zip(FIELDS, levels):
            if level != MISSING:
                counts[name][level] += weight
    return counts


def _ratio(levels: tuple[int, ...], m: dict, u: dict) -> float:
    """How much likelier the pair's levels are for one person than for two, without the place (see BLOCKED_ON)."""
    ratio = 1.0
    for name, level in zip(FIELDS, levels):
        if level != MISSING and name not in BLOCKED_ON:
            ratio *= m[name][level] / u[name][level]
    return ratio


def _blend(counts: dict, default: dict) -> dict:
    """Counts turned into probabilities, with the defaults as PRIOR_PAIRS pseudo-pairs."""
    blended = {}
    for name in FIELDS:
        row = [c + PRIOR_PAIRS * d for c, d in zip(counts[name], default[name])]
        total = sum(row)
        blended[name] = tuple(value / total for value in row)
    return blended
