"""Find the few users worth comparing with a buyer, without comparing everyone with everyone.

A user is filed under keys a buyer could share with them. Identifier keys:
each email and the phone. Name keys: (surname, given name) for every surname
part, looked up under every form of the buyer's given name, so Bob finds
Robert. Fuzzy passes, so that one typing error in any field (often two)
still leaves a pass that brings the right user: house number + postcode,
house number + town, house number + street (when postcode and town were both
mistyped), surname + initial + town; street + town, street + postcode,
surname + town (where they are few), postcode + surname, postcode + given
name (each where postcodes are small), postcode + sound of the surname +
initial, postcode + sound of the given name + initial, given name + town +
initial; and, widest, sound of the surname + initial. A street, a surname
beside a postcode, and a town beside a street or surname are keyed by their
first letters (``stem``): a typo or a run-together word past them still
meets. They come in TIERS, so that most buyers are settled before the wide
pass; a buyer who typed the names the wrong way round is looked up both ways
in the SWAPPED passes. Every lookup is a dictionary read, never an
all-against-all comparison.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from gbetix_core.matching.normalize import Person, phonetic

# The fuzzy passes from the most to the least telling: the matcher looks further only when a tier does not settle it.
TIERS = (("nz", "nc", "ns", "lic"), ("zl", "zg", "zs", "zf", "fc", "sc", "zt", "lc"), ("s",))
# The passes also looked up with given name and surname the wrong way round.
SWAPPED = ("zs", "lic", "zl", "lc")
# A fuzzy block this big says little (a big town's most common surname): it is skipped. A postcode with a
# whole name is worth looking through only where postcodes are many and small.
MAX_BLOCK = 400
CAPS = {"zl": 25, "zg": 25, "sc": 25, "zt": 25, "lc": 25}
# Letters of a street name, town or surname a fuzzy key keeps: a typing error or a run-together word
# ("dixonddrive", "winstonhills") past them leaves the key whole.
STEM = 4


def stem(text: str) -> str:
    """The first STEM letters of ``text`` without its spaces ("" when too short to tell anything)."""
    joined = text.replace(" ", "")[:STEM]
    return joined if len(joined) >= 3 else ""


def _identifier_keys(person: Person) -> list[tuple]:
    keys: list[tuple] = [("e", e) for e in (person.email, person.alt_email) if e]
    if person.phone:
        keys.append(("p", person.phone))
    return keys


def _exact_keys(person: Person) -> list[tuple]:
    keys = _identifier_keys(person)
    if person.first:
        keys.extend(("n", part, person.first) for part in person.lasts)
    return keys


def _pass_keys(person: Person, first: str, last: str) -> dict[str, tuple | None]:
    """Each fuzzy pass's key for a person whose given name is ``first`` and surname ``last`` (None: no key).

    Street names and (beside a postcode) surnames are keyed by their stem, so that a typing error after
    their first letters still finds the block; so are towns where a whole street or surname goes with them
    (a town's stem alone, "nort" for North Ryde and North Sydney, would be too wide beside a house number).
    """
    zip_code, city, number, street = person.zip, person.city, person.number, stem(person.street_name)
    surname, town = stem(last), stem(city)
    return {
        "nz": ("nz", number, zip_code) if number and zip_code else None,
        "nc": ("nc", number, city) if number and city else None,
        "ns": ("ns", number, street) if number and street else None,
        "sc": ("sc", street, town) if street and town else None,
        "zt": ("zt", zip_code, street) if street and zip_code else None,
        "lic": ("lic", last, first[:1], city) if last and city else None,
        "lc": ("lc", last, town) if last and town else None,
        "zl": ("zl", zip_code, surname) if surname and zip_code else None,
        "zg": ("zg", zip_code, first) if first and zip_code else None,
        "zs": ("zs", zip_code, phonetic(last), first[:1]) if last and zip_code else None,
        "zf": ("zf", zip_code, phonetic(first), last[:1]) if first and zip_code else None,
        "fc": ("fc", first, city, last[:1]) if first and city else None,
        "s": ("s", phonetic(last), first[:1]) if last else None,
    }


def _user_fuzzy_keys(person: Person) -> list[tuple]:
    return [key for key in _pass_keys(person, person.first, person.last).values() if key]


class UserIndex:
    """Registered users in comparable form, filed under their blocking keys."""

    def __init__(self, people: Iterable[Person] = ()):
        self.people: dict[int, Person] = {}
        self._exact: dict[tuple, list[int]] = defaultdict(list)
        self._fuzzy: dict[tuple, list[int]] = defaultdict(list)
        self._last_keys: tuple = (None, [])  # the last buyer's pass keys: the matcher asks tier after tier
        for person in people:
            self.add(person)

    def __len__(self) -> int:
        return len(self.people)

    def add(self, person: Person) -> None:
        """File a user (replacing an earlier version of the same user)."""
        if person.key in self.people:
            self.remove(person.key)
        self.people[person.key] = person
        for key in _exact_keys(person):
            self._exact[key].append(person.key)
        for key in _user_fuzzy_keys(person):
            self._fuzzy[key].append(person.key)

    def remove(self, key: int) -> None:
        person = self.people.pop(key, None)
        if person is None:
            return
        for table, keys in ((self._exact, _exact_keys(person)), (self._fuzzy, _user_fuzzy_keys(person))):
            for block in keys:
                members = table.get(block)
                if members and key in members:
                    members.remove(key)

    def holders_of_email(self, email: str) -> list[int]:
        """Every user whose login or purchase email is ``email``."""
        return list(self._exact.get(("e", email), ())) if email else []

    def identified(self, buyer: Person) -> set[int]:
        """Users sharing an email or the phone with the buyer."""
        found: set[int] = set()
        for key in _identifier_keys(buyer):
            found.update(self._exact.get(key, ()))
        return found

    def named(self, buyer: Person) -> set[int]:
        """Users with the buyer's surname (or a part of it) and a form of the buyer's given name."""
        found: set[int] = set()
        exact = self._exact
        for part in buyer.lasts:
            for form in buyer.forms:
                found.update(exact.get(("n", part, form), ()))
        return found

    def close(self, buyer: Person) -> set[int]:
        """Users sharing an identifier with the buyer, or their name (Bob finds Robert)."""
        return self.identified(buyer) | self.named(buyer)

    def sounding(self, buyer: Person, tiers: Iterable[int] = range(len(TIERS))) -> set[int]:
        """Users in the fuzzy passes of these TIERS with the buyer (typos, spellings, moves, names the wrong way
        round)."""
        found: set[int] = set()
        by_tier = self._buyer_keys(buyer)
        fuzzy = self._fuzzy
        for tier in tiers:
            for key, cap in by_tier[tier]:
                members = fuzzy.get(key)
                if members and len(members) <= cap:
                    found.update(members)
        return found

    def _buyer_keys(self, buyer: Person) -> list[list[tuple[tuple, int]]]:
        """Each tier's (pass key, largest block worth looking through), the names the wrong way round after
        the right way: worked out once for the tiers of one buyer."""
        last = self._last_keys
        if last[0] is not buyer:
            forward = _pass_keys(buyer, buyer.first, buyer.last)
            swapped = _pass_keys(buyer, buyer.last, buyer.first) if buyer.first and buyer.last else {}
            by_tier = [[(key, CAPS.get(name, MAX_BLOCK))
                        for name in names for key in (forward[name], swapped.get(name) if name in SWAPPED else None)
                        if key]
                       for names in TIERS]
            last = self._last_keys = (buyer, by_tier)
        return last[1]
