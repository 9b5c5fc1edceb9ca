"""Learn the match weights from the festival's own users, purchases and decisions.

The Fellegi-Sunter way, as Splink does it: u (how often two different people
agree) is counted on buyer-user pairs drawn at random, which are almost all
different people; m (how often one person agrees with themselves) is learned
by expectation-maximisation, with u held fixed, on the pairs blocking brings
together, a mixture of true pairs and others. Holding u fixed keeps EM from
"discovering" a class that is not the person (everyone from one town). Each
pair is a short vector of levels and there are few distinct vectors, so EM
runs on (vector, count) rows in milliseconds. Every link a person made
(accept, assign, claim) is a labelled true pair and adds to m. The defaults
count as PRIOR_PAIRS pairs, so that a festival with a handful of purchases
still gets sensible weights.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from typing import Sequence

from gbetix_core.matching.blocking import UserIndex
from gbetix_core.matching.compare import FIELDS, LEVELS, MISSING, compare
from gbetix_core.matching.normalize import Person
from gbetix_core.matching.weights import DEFAULT_M, DEFAULT_U, Weights, frequencies

SAMPLE = 5_000  # buyers whose blocked pairs the weights are learned from
MIN_SAMPLE = 200  # below this many buyers the defaults and the prior of one in the number of users stay
PRIOR_PAIRS = 200.0  # how many pairs the default m and u count as
LABEL_PAIRS = 5.0  # how many pairs one decision by a person counts as
ITERATIONS = 25
# Nearly every blocking pass keys on the place, so blocked pairs agree on it whoever they are: EM judges
# pairs without these fields (else it learns "same town" instead of "same person"), and only counts them.
BLOCKED_ON = ("city", "zip", "state")
RANDOM_PAIRS = 20_000  # random buyer-user pairs u is counted on
START_PRIOR = 0.1  # the share of blocked pairs first assumed to be one person


def learn(index: UserIndex, buyers: Sequence[Person], labelled: Sequence[tuple[Person, int]] = (),
          seed: int = 0) -> Weights:
    """Weights for ``index``'s users, learned from a sample of ``buyers`` and the labelled (buyer, user) pairs."""
    rng = random.Random(seed)
    sample = rng.sample(list(buyers), min(SAMPLE, len(buyers))) if len(buyers) >= MIN_SAMPLE else []
    people = index.people
    users = list(people.values())
    patterns: Counter[tuple[int, ...]] = Counter()
    for buyer in sample:
        for key in index.close(buyer) | index.sounding(buyer):
            patterns[compare(buyer, people[key])] += 1
    u = _blend(_counts(Counter(compare(rng.choice(sample), rng.choice(users))
                               for _ in range(RANDOM_PAIRS if sample and users else 0)).items()), DEFAULT_U)
    labels = Counter(compare(buyer, people[key]) for buyer, key in labelled if key in people)
    m, share = _em(patterns, labels, u)
    weights = Weights(m=m, u=u, tf=frequencies(users), population=len(people),
                      pairs=sum(patterns.values()), decisions=sum(labels.values()))
    if sample and patterns:
        at_random = share * sum(patterns.values()) / (len(sample) * len(users))
        weights.prior = math.log2(at_random / (1 - at_random))
    return weights


def _em(patterns: Counter, labels: Counter, u: dict) -> tuple[dict, float]:
    """m and the share of true pairs that best explain the pattern counts, u fixed (labels count as true pairs)."""
    m, share = dict(DEFAULT_M), START_PRIOR
    total = sum(patterns.values())
    for _ in range(ITERATIONS if total else 0):
        posteriors = [(levels, _posterior(levels, m, u, share) * count) for levels, count in patterns.items()]
        matched = sum(weight for _, weight in posteriors)
        m = _blend(_counts(posteriors + [(levels, count * LABEL_PAIRS) for levels, count in labels.items()]),
                   DEFAULT_M)
        share = min(0.5, max(1e-6, matched / total))
    return m, share


def _counts(weighted) -> dict[str, list[float]]:
    """Per field, the total weight of the (levels, weight) rows on each level."""
    counts = {name: [0.0] * len(LEVELS[name]) for name in FIELDS}
    for levels, weight in weighted:
        for name, level in zip(FIELDS, levels):
            if level != MISSING:
                counts[name][level] += weight
    return counts


def _posterior(levels: tuple[int, ...], m: dict, u: dict, share: float) -> float:
    """The chance a pair is one person, judged without the place fields (see BLOCKED_ON)."""
    like_m, like_u = share, 1 - share
    for name, level in zip(FIELDS, levels):
        if level != MISSING and name not in BLOCKED_ON:
            like_m *= m[name][level]
            like_u *= u[name][level]
    return like_m / (like_m + like_u) if like_m + like_u else 0.0


def _blend(counts: dict, default: dict) -> dict:
    """Counts turned into probabilities, with the defaults as PRIOR_PAIRS pseudo-pairs."""
    blended = {}
    for name in FIELDS:
        row = [c + PRIOR_PAIRS * d for c, d in zip(counts[name], default[name])]
        total = sum(row)
        blended[name] = tuple(value / total for value in row)
    return blended
