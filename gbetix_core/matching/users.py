"""Registered users in the matcher's form, loaded once and reused while nobody changes.

Loading and normalising 50,000 users takes about a second, so the index is
rebuilt only when the users table changes (see people.versions).
"""

from __future__ import annotations

from typing import Sequence

from gbetix_core.db import ids_in, plain_rows
from gbetix_core.matching.blocking import UserIndex
from gbetix_core.matching.normalize import Person, person
from gbetix_core.models import User
from gbetix_core.people.versions import per_users_version

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


def load_index() -> UserIndex:
    """Every registered user (special accounts excluded), filed for blocking; reused while users are unchanged."""
    everyone = User.select(*USER_FIELDS).where(User.special.is_null())
    return per_users_version("matching_index", lambda: UserIndex(people_for_query(everyone)))


def people_for(user_ids: Sequence[int]) -> list[Person]:
    """These users (not special accounts) in comparable form."""
    ids = list(user_ids)
    found: list[Person] = []
    for start in range(0, len(ids), 500):
        chunk = ids_in(User.id, ids[start:start + 500])
        found.extend(people_for_query(User.select(*USER_FIELDS).where(chunk & User.special.is_null())))
    return found
