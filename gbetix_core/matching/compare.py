"""Compare a buyer with a user field by field: each field lands on one comparison level.

The levels are the Fellegi-Sunter ones: agreeing exactly, a nickname away, one
typing error away, sounding alike, similar by Jaro-Winkler, disagreeing, or
missing on either side (which says nothing). Learning how much each level is
worth is ``weights``' job; this module only says which level a pair is on.

A match of 100,000 purchases compares about 700,000 pairs, but only tens of
thousands of distinct pairs of given names, surnames, streets, towns and
postcodes: each field's level is remembered by its pair of values, so every
distinct pair of values is compared once (emails and phones, nearly all
distinct, are compared directly).
"""

from __future__ import annotations

from functools import lru_cache

import jellyfish
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler, Levenshtein

from gbetix_core.matching.normalize import Person

MISSING = -1
SIMILAR = 0.88
# Each field's levels, strongest first; a pair's level on a field is an index into its tuple.
LEVELS: dict[str, tuple[str, ...]] = {
    "first": ("exact", "form", "typo", "phonetic", "similar", "initial", "different"),
    "last": ("exact", "typo", "phonetic", "similar", "different"),
    "email": ("exact", "typo", "mailbox", "different"),
    "phone": ("exact", "typo", "different"),
    "number": ("exact", "different"),
    "street": ("exact", "typo", "similar", "different"),
    "city": ("exact", "typo", "different"),
    "zip": ("exact", "typo", "different"),
    "state": ("exact", "different"),
}
FIELDS = tuple(LEVELS)
FIELD_INDEX = {name: i for i, name in enumerate(FIELDS)}
DIFFERENT = {name: len(levels) - 1 for name, levels in LEVELS.items()}
_DIFFERENT_FIRST, _DIFFERENT_LAST = DIFFERENT["first"], DIFFERENT["last"]
# Value pairs remembered per field; past this many a field's memory starts again (a long-running app stays small).
CACHE_LIMIT = 300_000
_FIRSTS: dict[tuple, int] = {}
_LASTS: dict[tuple, int] = {}
_STREETS: dict[tuple, int] = {}
_CITIES: dict[tuple, int] = {}
_ZIPS: dict[tuple, int] = {}


@lru_cache(maxsize=200_000)
def text_level(a: str, b: str, phonetic: bool = True) -> int:
    """exact 0, typo 1, phonetic 2, similar 3, different 4 (the surname scale; other fields map onto it)."""
    if a == b:
        return 0
    if min(len(a), len(b)) >= 3 and DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1:
        return 1
    if phonetic and jellyfish.metaphone(a) == jellyfish.metaphone(b):
        return 2
    if JaroWinkler.similarity(a, b) >= SIMILAR:
        return 3
    return 4


def first_level(buyer: Person, user: Person) -> int:
    if not buyer.first or not user.first:
        return MISSING
    if buyer.first == user.first:
        return 0
    if user.first in buyer.forms or buyer.first in user.forms:
        return 1
    level = text_level(buyer.first, user.first)
    if level < 4:
        return level + 1
    return 5 if (len(buyer.first) == 1 or len(user.first) == 1) and buyer.first[0] == user.first[0] else 6


def last_level(buyer: Person, user: Person) -> int:
    if not buyer.last or not user.last:
        return MISSING
    if buyer.last == user.last or buyer.lasts & user.lasts:
        return 0
    return text_level(buyer.last, user.last)


def email_level(buyer: Person, user: Person) -> int:
    if not buyer.email or not user.mailboxes:
        return MISSING
    if buyer.email in (user.email, user.alt_email):
        return 0
    local, domain = buyer.mailboxes[0]
    for known_local, known_domain in user.mailboxes:
        if domain == known_domain and len(local) >= 5 and abs(len(local) - len(known_local)) <= 1 and \
                Levenshtein.distance(local, known_local, score_cutoff=1) <= 1:
            return 1
        if local == known_local and len(local) >= 6:
            return 2
    return 3


def phone_level(buyer: Person, user: Person) -> int:
    if not buyer.phone or not user.phone:
        return MISSING
    if buyer.phone == user.phone:
        return 0
    return 1 if DamerauLevenshtein.distance(buyer.phone, user.phone, score_cutoff=1) <= 1 else 2


def _short_level(a: str, b: str) -> int:
    """Postcodes: exact 0, one typing error 1, different 2."""
    if a == b:
        return 0 if a else MISSING
    if not a or not b:
        return MISSING
    return 1 if DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1 else 2


# The words that say what kind of street it is, in full ("st" is how normalize.street writes "street").
STREET_TYPES = {"st": "street", "ave": "avenue", "rd": "road", "blvd": "boulevard", "dr": "drive", "ln": "lane",
                "ct": "court", "pl": "place", "cres": "crescent", "cct": "circuit", "cl": "close", "tce": "terrace",
                "pde": "parade", **{word: word for word in ("crescent", "circuit", "close", "terrace", "parade", "way")}}


def street_level(buyer: Person, user: Person) -> int:
    if buyer.street_name == user.street_name:
        return 0 if buyer.street_name else MISSING
    if not buyer.street_name or not user.street_name:
        return MISSING
    level = text_level(buyer.street_name, user.street_name, phonetic=False)
    if level > 1 and _type_typo(buyer.street_name, user.street_name):
        return 1
    return {0: 0, 1: 1, 3: 2}.get(level, 3)


@lru_cache(maxsize=100_000)
def _type_typo(a: str, b: str) -> bool:
    """The same street name with a typing error in or around its type word ("banks srteet", "dallasplace" and
    "grace p lace" for "banks st", "dallas pl" and "grace pl"): one side's name, then its type word up to two
    errors, spaces ignored."""
    return _typed_as(a, b) or _typed_as(b, a)


def _typed_as(clean: str, typed: str) -> bool:
    *name, kind = clean.split()
    full = STREET_TYPES.get(kind)
    stem = "".join(name)
    if not full or len(stem) < 3:
        return False
    joined = typed.replace(" ", "")
    return joined.startswith(stem) and DamerauLevenshtein.distance(joined[len(stem):], full, score_cutoff=2) <= 2


def city_level(buyer: Person, user: Person) -> int:
    if buyer.city == user.city:
        return 0 if buyer.city else MISSING
    if not buyer.city or not user.city:
        return MISSING
    return {0: 0, 1: 1, 3: 1}.get(text_level(buyer.city, user.city, phonetic=False), 2)


def _crosswise(buyer: Person, user: Person) -> tuple[int, int] | None:
    """(given name level, surname level) of names typed the wrong way round, or None when they were not.

    The buyer's given name must be the user's surname (or a part of it) up to a
    similarity; the buyer's surname is then read as their given name, whatever
    it is, so that another given name at the user's address is still another
    person (a household), and "Mary Paul" is not read as "Paul Smith" crosswise.
    The swap is itself an error: the levels are at least a typo.
    """
    if not (buyer.first and buyer.last and user.first and user.last):
        return None
    surname = 0 if buyer.first in user.lasts else _near(buyer.first, user.last)
    if surname is None:
        return None
    given = 0 if user.first in buyer.lasts else text_level(buyer.last, user.first)
    return max(2, given + 1 if given < _DIFFERENT_LAST else _DIFFERENT_FIRST), max(1, surname)


def _near(a: str, b: str) -> int | None:
    """The surname level of ``a`` and ``b`` when they are at most similar, else None; words that start with
    different letters and differ in length by more than a typo are ruled out before any string distance."""
    if a[0] != b[0] and abs(len(a) - len(b)) > 1:
        return None
    level = text_level(a, b)
    return level if level < _DIFFERENT_LAST else None


def compare(buyer: Person, user: Person) -> tuple[int, ...]:
    """The pair's level on every field, in FIELDS order (MISSING where either side has nothing).

    Equal values settle a name or address field at once (exact, or missing on
    both sides); other pairs of values are looked up among those already
    compared (a surname by its parts, which its level depends on), and worked
    out by the field's function only the first time.
    """
    if buyer.first == user.first:
        first = 0 if buyer.first else MISSING
    else:
        key = (buyer.first, user.first)
        first = _FIRSTS.get(key)
        if first is None:
            first = _remember(_FIRSTS, key, first_level(buyer, user))
    if buyer.last == user.last:
        last = 0 if buyer.last else MISSING
    else:
        key = (buyer.lasts, user.lasts)
        last = _LASTS.get(key)
        if last is None:
            last = _remember(_LASTS, key, last_level(buyer, user))
    if first == _DIFFERENT_FIRST and last == _DIFFERENT_LAST:
        first, last = _crosswise(buyer, user) or (first, last)
    number = MISSING if not buyer.number or not user.number else (0 if buyer.number == user.number else 1)
    if buyer.street_name == user.street_name:
        street = 0 if buyer.street_name else MISSING
    else:
        key = (buyer.street_name, user.street_name)
        street = _STREETS.get(key)
        if street is None:
            street = _remember(_STREETS, key, street_level(buyer, user))
    if buyer.city == user.city:
        city = 0 if buyer.city else MISSING
    else:
        key = (buyer.city, user.city)
        city = _CITIES.get(key)
        if city is None:
            city = _remember(_CITIES, key, city_level(buyer, user))
    if buyer.zip == user.zip:
        zip_level = 0 if buyer.zip else MISSING
    else:
        key = (buyer.zip, user.zip)
        zip_level = _ZIPS.get(key)
        if zip_level is None:
            zip_level = _remember(_ZIPS, key, _short_level(buyer.zip, user.zip))
    state = (0 if buyer.state else MISSING) if buyer.state == user.state else (1 if buyer.state and user.state else MISSING)
    return (first, last, email_level(buyer, user), phone_level(buyer, user), number, street, city, zip_level, state)


def _remember(cache: dict[tuple, int], key: tuple, level: int) -> int:
    if len(cache) >= CACHE_LIMIT:
        cache.clear()
    cache[key] = level
    return level
