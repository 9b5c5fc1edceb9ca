"""How much a buyer and a user look like one person, with reasons a person can read.

The score is the Fellegi-Sunter posterior: the prior plus every field's match
weight (see ``weights``), turned into a probability. Every reason is one
field's share of that sum in bits ("postcode agrees: +6.1", "email differs:
-1.2"), so the explanation adds up to the score. ``identifiers`` records what
besides a name ties the pair (email, phone, street address, signed link):
the rules in ``decide`` never link on a name and a town alone.
"""

from __future__ import annotations

import math

from gbetix_core.matching.compare import CACHE_LIMIT, DIFFERENT, FIELDS, LEVELS, compare
from gbetix_core.matching.normalize import Person
from gbetix_core.matching.weights import Weights

# Signed links are not learned: a verified signature is as good as the user's own word.
TOKEN_BITS = 20.0
SIMILAR_SURNAME = LEVELS["last"].index("similar")
LEGACY_BITS = 3.0
PHRASES: dict[str, tuple[str, ...]] = {
    "first": ("given name agrees", "{buyer} is a form of {user}", "given name one letter off",
              "given name sounds alike", "given name similar", "given name initial agrees", "given name differs"),
    "last": ("surname agrees", "surname one letter off", "surname sounds alike", "surname similar", "surname differs"),
    "email": ("email equals {which} email", "email is one letter from {mailbox} (a typo?)",
              "same mailbox name as {mailbox} at another provider", "email differs"),
    "phone": ("phone matches", "phone one digit off", "phone differs"),
    "number": ("house number agrees", "house number differs"),
    "street": ("street agrees", "street one letter off", "street similar", "street differs"),
    "city": ("town agrees", "town one letter off", "town differs"),
    "zip": ("postcode agrees", "postcode one letter off", "postcode differs"),
    "state": ("state agrees", "state differs"),
}
DEFAULT_WEIGHTS = Weights()
ADDRESS_FIELDS = tuple((name, FIELDS.index(name)) for name in ("number", "street", "city", "zip", "state"))
# An address that, without the name, weighs this much (2^16: a stranger agrees on it once in 65,000) ties the pair
# even when its street differs: where postcodes are small, house number and postcode say where someone lives. In a
# few big towns (one postcode each) the same number on another street weighs about 13.5 bits and does not.
ADDRESS_BITS = 16.0


class Evidence:
    """One user's case for owning a purchase: a probability, its weight in bits, and the reasons.

    The field-by-field reasons are written only when someone reads them (a
    candidate kept, a link made): most compared pairs are dropped unread, so
    only what the reasons are made from is kept (``sources``).
    """

    __slots__ = ("user", "bits", "extra", "name", "email", "identifiers", "sources")

    def __init__(self, user: int, bits: float = 0.0, sources: tuple | None = None):
        self.user = user
        self.bits = bits
        self.extra: list[str] = []
        self.name = "none"
        self.email = ""
        self.identifiers: frozenset[str] = frozenset()
        self.sources = sources  # (weights, buyer, user, levels) the field reasons are written from

    def __repr__(self) -> str:
        return f"Evidence(user={self.user}, score={self.score:.3f}, reasons={self.reasons})"

    @property
    def score(self) -> float:
        """The chance that buyer and user are one person."""
        if self.bits > 60:
            return 1.0
        return 1.0 / (1.0 + math.pow(2.0, -self.bits))

    @property
    def reasons(self) -> list[str]:
        """Each field's match weight in words and bits, then the tracker's."""
        return (_field_reasons(*self.sources) if self.sources else []) + self.extra

    @property
    def name_compatible(self) -> bool:
        return self.name == "compatible"

    def add(self, bits: float, reason: str, identifier: str = "") -> None:
        self.bits += bits
        self.extra.append(f"{reason}: {bits:+.1f}")
        if identifier:
            self.identifiers = self.identifiers | {identifier}


def _field_reasons(weights: Weights, buyer: Person, user: Person, levels: tuple[int, ...]) -> list[str]:
    """Each field's reason. Most texts depend only on the field, level and bits: a run writes about 100,000 pairs'
    reasons from a few hundred such texts, so each is formatted once (and stored once in memory)."""
    reasons = []
    for name, level, bits in weights.explain(buyer, levels):
        if (name, level) in OWN_WORDS or not bits:  # 0.0 and -0.0 are one key but two texts ("+0.0", "-0.0")
            reasons.append(f"{_phrase(name, level, buyer, user)}: {bits:+.1f}")
            continue
        key = (name, level, bits)
        text = _TEXTS.get(key)
        if text is None:
            if len(_TEXTS) >= CACHE_LIMIT:
                _TEXTS.clear()
            text = _TEXTS[key] = f"{PHRASES[name][level]}: {bits:+.1f}"
        reasons.append(text)
    return reasons


# The (field, level) pairs whose phrase names the buyer's or the user's own values (see _phrase).
OWN_WORDS = frozenset({("first", 1), ("email", 0), ("email", 1), ("email", 2)})
_TEXTS: dict[tuple[str, int, float], str] = {}


def _phrase(name: str, level: int, buyer: Person, user: Person) -> str:
    text = PHRASES[name][level]
    if name == "first" and level == 1:
        return text.format(buyer=buyer.first.title(), user=user.first.title())
    if name == "email" and level == 0:
        return text.format(which="registered" if buyer.email == user.email else "purchase")
    if name == "email" and level in (1, 2):
        local, domain = buyer.mailboxes[0]
        near = next(f"{lo}@{do}" for lo, do in user.mailboxes if (do == domain if level == 1 else lo == local))
        return text.format(mailbox=near)
    return text


def _name(levels: tuple[int, ...]) -> str:
    """Whether the names can be one person's: no other surname and no other given name, and at least one agreeing.

    An initial is not a given name; a missing surname or given name is not a
    different one, but then the other must be there and agree. Another surname
    with the same given name at the very same address is one person who
    married, or typed a surname beyond recognition (the very same: Mitchell Ave
    is not Mitchell St); another given name with
    the same surname there is not (a partner, a child: a household). A surname
    only similar by Jaro-Winkler (Martin, Martinez) fits only at the same home.
    """
    first, last, number, street = levels[0], levels[1], levels[4], levels[5]
    if first in (DIFFERENT["first"], DIFFERENT["first"] - 1):
        return "none"
    if last == DIFFERENT["last"]:
        return "compatible" if 0 <= first <= 2 and _same_home(number, street, 1) and _located(levels) else "none"
    if last < 0:
        return "compatible" if 0 <= first <= 2 else "none"
    if last == SIMILAR_SURNAME:
        return "compatible" if 0 <= first <= 1 and _same_home(number, street) else "none"
    return "compatible" if first >= 0 or last <= 1 else "none"


def _identifiers(levels: tuple[int, ...]) -> set[str]:
    """What ties the pair besides the name: the email, the phone, or the street address.

    A near miss (an email one letter off, a similar street) is evidence but not
    an identifier: namesakes' addresses are often that close; so is a house
    number on another street, unless the address weighs ADDRESS_BITS without
    the name (``score`` checks that, with the weights).
    """
    email, phone, number, street = levels[2:6]
    found = set()
    if email == 0:
        found.add("email")
    if phone == 0:
        found.add("phone")
    if (0 <= street <= 1 or _same_home(number, street) or number == 0 and street < 0) and _located(levels):
        found.add("street")
    return found


def _address_bits(weights: Weights, buyer: Person, levels: tuple[int, ...]) -> float:
    """The address's share of the match weight: what ties the pair besides the name, in bits."""
    return sum(weights.level_weight(name, levels[i], buyer) for name, i in ADDRESS_FIELDS)


def _same_home(number: int, street: int, up_to: int = 2) -> bool:
    """The same house: the number agrees and the street is at most ``up_to`` away (or missing), or there is no
    number and the street is at most ``up_to`` away (2: similar, 1: a typo)."""
    return (number == 0 and street <= up_to) or (number < 0 and 0 <= street <= up_to)


def _located(levels: tuple[int, ...]) -> bool:
    """The same postcode or town, up to a typo."""
    return 0 <= levels[7] <= 1 or 0 <= levels[6] <= 1


def _facts(levels: tuple[int, ...]) -> tuple[str, frozenset[str]]:
    """A pattern of levels' name verdict and identifiers, worked out once per pattern (a run sees a few thousand)."""
    facts = _FACTS.get(levels)
    if facts is None:
        if len(_FACTS) >= CACHE_LIMIT:
            _FACTS.clear()
        facts = _FACTS[levels] = (_name(levels), frozenset(_identifiers(levels)))
    return facts


_FACTS: dict[tuple[int, ...], tuple[str, frozenset[str]]] = {}


def score(buyer: Person, user: Person, weights: Weights = DEFAULT_WEIGHTS, floor: float = -math.inf) -> Evidence | None:
    """Compare a buyer's details with a user's, field by field, and weigh each field (None below ``floor`` bits)."""
    levels = compare(buyer, user)
    bits = weights.total(buyer, levels)
    if bits < floor:
        return None
    evidence = Evidence(user.key, bits, (weights, buyer, user, levels))
    evidence.name, evidence.identifiers = _facts(levels)
    if not evidence.identifiers and evidence.name == "compatible" and _address_bits(weights, buyer, levels) >= ADDRESS_BITS:
        evidence.identifiers = frozenset({"street"})  # not in _facts: it needs the buyer's weights
    if levels[2] == 0:
        evidence.email = "registered" if buyer.email == user.email else "purchase"
    elif levels[2] == 1:
        evidence.email = "near"
    return evidence
