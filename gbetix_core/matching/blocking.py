"""Find the few users worth comparing with a buyer, without comparing everyone with everyone.

A user is filed under keys a buyer could share with them. Identifier keys:
each email and the phone. Name keys: (surname, given name) for every surname
part, looked up under every form of the buyer's given name, so Bob finds
Robert. Fuzzy keys, several passes so that one typing error in any field
still leaves a pass that brings the right user: postcode + sound of the
surname, postcode + sound of the given name, house number + postcode, house
number + town, given name + town, surname + initial + town, and sound of the
surname + initial. A buyer who
typed the names the wrong way round is looked up both ways. Every lookup is a
dictionary read: 50,000 users answer 100,000 buyers in seconds.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from gbetix_core.matching.normalize import Person, phonetic

# A fuzzy block this big says little (a big town's most common surname): it is skipped.
MAX_BLOCK = 400


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


def _fuzzy_keys(person: Person, first: str, last: str) -> list[tuple]:
    """The fuzzy passes' keys for a person whose given name is ``first`` and surname ``last``."""
    keys: list[tuple] = []
    initial, zip_code = first[:1], person.zip
    if last:
        keys.append(("s", phonetic(last), initial))
        if zip_code:
            keys.append(("zs", zip_code, phonetic(last)))
        if person.city:
            keys.append(("lic", last, initial, person.city))
    if first and zip_code:
        keys.append(("zf", zip_code, phonetic(first)))
    if person.number and zip_code:
        keys.append(("nz", person.number, zip_code))
    if person.city:
        if person.number:
            keys.append(("nc", person.number, person.city))
        if first:
            keys.append(("fc", first, person.city))
    return keys


def _user_fuzzy_keys(person: Person) -> list[tuple]:
    return _fuzzy_keys(person, person.first, person.last)


class UserIndex:
    """Registered users in comparable form, filed under their blocking keys."""

    def __init__(self, people: Iterable[Person] = ()):
        self.people: dict[int, Person] = {}
        self._exact: dict[tuple, list[int]] = defaultdict(list)
        self._fuzzy: dict[tuple, list[int]] = defaultdict(list)
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

    def sounding(self, buyer: Person) -> set[int]:
        """Users in any fuzzy pass with the buyer (typos, spellings, moves, names the wrong way round)."""
        found: set[int] = set()
        keys = _fuzzy_keys(buyer, buyer.first, buyer.last)
        if buyer.first and buyer.last:
            keys += _fuzzy_keys(buyer, buyer.last, buyer.first)
        fuzzy = self._fuzzy
        for key in keys:
            members = fuzzy.get(key)
            if members and len(members) <= MAX_BLOCK:
                found.update(members)
        return found
