"""How much each comparison level is worth: Fellegi-Sunter match weights, with term frequencies.

For every field and level, ``m`` is the chance of that level when buyer and
user are one person and ``u`` when they are two; the level's match weight is
log2(m/u) bits, and a pair's total is the prior (how likely two records taken
at random are one person: one in the number of users) plus its fields'
weights. A value's own frequency replaces ``u`` on exact agreement, so a
shared "Smith" is worth less than a shared "Okonkwo". ``training`` learns m
and u from the festival's own users, purchases and decisions; DEFAULT_M and
DEFAULT_U are the starting point it blends them with, so that a small
festival gets sensible weights too.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from gbetix_core.matching.compare import FIELDS, MISSING
from gbetix_core.matching.normalize import Person

DEFAULT_M: dict[str, tuple[float, ...]] = {
    "first": (0.86, 0.04, 0.04, 0.01, 0.01, 0.01, 0.03),
    "last": (0.90, 0.04, 0.02, 0.02, 0.02),
    "email": (0.55, 0.02, 0.03, 0.40),
    "phone": (0.85, 0.05, 0.10),
    "number": (0.88, 0.12),
    "street": (0.85, 0.07, 0.03, 0.05),
    "city": (0.88, 0.04, 0.08),
    "zip": (0.88, 0.06, 0.06),
    "state": (0.95, 0.05),
}
DEFAULT_U: dict[str, tuple[float, ...]] = {
    "first": (0.008, 0.004, 0.002, 0.003, 0.01, 0.001, 0.972),
    "last": (0.002, 0.001, 0.002, 0.006, 0.989),
    "email": (0.00001, 0.00001, 0.0001, 0.99988),
    "phone": (0.00001, 0.0001, 0.99989),
    "number": (0.01, 0.99),
    "street": (0.001, 0.001, 0.004, 0.994),
    "city": (0.02, 0.005, 0.975),
    "zip": (0.01, 0.02, 0.97),
    "state": (0.25, 0.75),
}
TF_FIELDS = ("first", "last", "street", "city", "zip")
TF_CAP = 4.0  # bits a value's frequency may move an exact agreement's weight, either way
FLOOR = 1e-6
MAX_PATTERNS = 100_000  # patterns of levels whose bits are kept (a run meets a few thousand)


TF_ATTRIBUTES = {"first": "first", "last": "last", "street": "street_name", "city": "city", "zip": "zip"}


def value_of(person: Person, name: str) -> str:
    """The value a term frequency is counted for."""
    return getattr(person, TF_ATTRIBUTES[name])


def frequencies(people: Iterable[Person]) -> dict[str, dict[str, float]]:
    """Each TF field's values and their share among ``people``."""
    counts = {name: Counter() for name in TF_FIELDS}
    total = 0
    for person in people:
        total += 1
        for name in TF_FIELDS:
            value = value_of(person, name)
            if value:
                counts[name][value] += 1
    return {name: {v: c / total for v, c in counter.items()} for name, counter in counts.items()} if total else {}


@dataclass
class Weights:
    """m and u per field and level, the value frequencies, the prior, and what they were learned from."""

    m: dict[str, tuple[float, ...]] = field(default_factory=lambda: dict(DEFAULT_M))
    u: dict[str, tuple[float, ...]] = field(default_factory=lambda: dict(DEFAULT_U))
    tf: dict[str, dict[str, float]] = field(default_factory=dict)
    population: int = 1
    pairs: int = 0
    decisions: int = 0  # people's links and rejections the weights learned from
    rejections: int = 0  # of which rejections (a user who is not the buyer)
    seconds: float = 0.0

    def __post_init__(self) -> None:
        self.table = {name: tuple(_bits(m, u) for m, u in zip(self.m[name], self.u[name])) for name in FIELDS}
        self.prior = -math.log2(max(self.population, 1))
        self._tf_adjust = {name: _tf_adjustments(self.tf.get(name, {})) for name in TF_FIELDS}
        self._tables = tuple(self.table[name] for name in FIELDS)
        self._tf_by_field = tuple(self._tf_adjust.get(name) for name in FIELDS)
        self._tf_attributes = tuple(TF_ATTRIBUTES.get(name, "") for name in FIELDS)
        self._patterns: dict[tuple[int, ...], tuple[float, tuple]] = {}
        self._explained: dict[tuple[int, ...], tuple] = {}

    def level_weight(self, name: str, level: int, buyer: Person) -> float:
        """Bits for ``name`` on ``level``; exact agreement adjusted by how common the buyer's value is."""
        if level == MISSING:
            return 0.0
        bits = self.table[name][level]
        if level == 0 and name in self._tf_adjust:
            bits += self._tf_adjust[name].get(value_of(buyer, name), 0.0)
        return bits

    def total(self, buyer: Person, levels: tuple[int, ...]) -> float:
        """The prior plus every field's bits: the pair's match weight.

        A run meets a few thousand patterns of levels in 700,000 pairs: each
        pattern's own bits are summed once, and only the term frequencies of
        the fields it agrees on exactly are looked up for each pair.
        """
        pattern = self._patterns.get(levels)
        if pattern is None:
            pattern = self._pattern(levels)
        bits, adjustments = pattern
        for adjust, attribute in adjustments:
            bits += adjust.get(getattr(buyer, attribute), 0.0)
        return bits

    def _pattern(self, levels: tuple[int, ...]) -> tuple[float, tuple]:
        """(the prior plus the levels' bits, (term frequencies, attribute) of each field agreeing exactly), kept:
        the sum of the fields :meth:`explain` lists for the pattern."""
        bits = self.prior
        adjustments = []
        for _, _, field_bits, adjust, attribute in self._explained.get(levels) or self._explain_plan(levels):
            bits += field_bits
            if adjust:
                adjustments.append((adjust, attribute))
        if len(self._patterns) >= MAX_PATTERNS:
            self._patterns.clear()
        pattern = self._patterns[levels] = (bits, tuple(adjustments))
        return pattern

    def explain(self, buyer: Person, levels: tuple[int, ...]) -> list[tuple[str, int, float]]:
        """(field, level, bits) for every field with something to say, as :meth:`level_weight` weighs it.

        Written for every link and candidate (100,000 in a first sync) from a few thousand patterns of levels:
        each pattern's fields, bits and term frequencies are worked out once.
        """
        plan = self._explained.get(levels)
        if plan is None:
            plan = self._explain_plan(levels)
        return [(name, level, bits if adjust is None else bits + adjust.get(getattr(buyer, attribute), 0.0))
                for name, level, bits, adjust, attribute in plan]

    def _explain_plan(self, levels: tuple[int, ...]) -> tuple:
        """(field, level, its bits, the term frequencies that adjust them or None, the buyer's attribute) of each
        field not missing, kept."""
        plan = tuple((name, level, table[level], adjust if level == 0 else None, attribute)
                     for name, level, table, adjust, attribute
                     in zip(FIELDS, levels, self._tables, self._tf_by_field, self._tf_attributes) if level != MISSING)
        if len(self._explained) >= MAX_PATTERNS:
            self._explained.clear()
        self._explained[levels] = plan
        return plan

    def kept(self) -> dict:
        """What a later process needs to rebuild these weights, as JSON-ready values (term frequencies are
        counted again from the users, who must be unchanged for the weights to be reused at all)."""
        return {"m": self.m, "u": self.u, "population": self.population, "pairs": self.pairs,
                "decisions": self.decisions, "rejections": self.rejections, "seconds": self.seconds}

    @classmethod
    def from_kept(cls, kept: dict, tf: dict[str, dict[str, float]]) -> Weights:
        """The weights :meth:`kept` described, with the users' term frequencies ``tf``."""
        tables = {key: {name: tuple(row) for name, row in kept[key].items()} for key in ("m", "u")}
        return cls(**{**kept, **tables}, tf=tf)

    def learned_from(self) -> str:
        """One line for people: what the weights were learned from (the decisions by people count), and how long it took."""
        decisions = f"{self.decisions:,} decisions by people ({self.rejections:,} of them rejections)"
        if not self.pairs:
            return f"match weights: the defaults, refined by {decisions}"
        return f"match weights learned from {self.pairs:,} compared pairs and {decisions} in {self.seconds:.2f}s"


def _tf_adjustments(shares: dict[str, float]) -> dict[str, float]:
    """Bits to add to an exact agreement on each value: log2(average chance two people share a value / this
    value's share), capped at TF_CAP either way."""
    typical = sum(share * share for share in shares.values())
    return {value: max(-TF_CAP, min(TF_CAP, math.log2(max(typical, FLOOR) / max(share, FLOOR))))
            for value, share in shares.items()}


def _bits(m: float, u: float) -> float:
    return math.log2(max(m, FLOOR) / max(u, FLOOR))
