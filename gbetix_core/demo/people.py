"""Deterministic generated festival users, for the demo, tests and benchmarks."""

from __future__ import annotations

import csv
import io
import random
import unicodedata

from gbetix_core.demo.names import CITIES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES
from gbetix_core.people.users_import import COLUMNS


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def email_local(first: str, last: str, rng: random.Random) -> str:
    first, last = ascii_fold(first).lower(), ascii_fold(last).lower().replace(" ", "").replace("'", "")
    return rng.choice((f"{first}.{last}", f"{first}{last}", f"{first[0]}{last}", f"{first}_{last}", f"{last}{first[0]}"))


def phone_number(rng: random.Random) -> str:
    area = rng.choice(("617", "857", "781", "401", "212", "718", "207", "860", "508"))
    return rng.choice(("{a}-555-{n:04d}", "({a}) 555-{n:04d}", "{a}555{n:04d}", "+1 {a} 555 {n:04d}")).format(
        a=area, n=rng.randrange(10_000)
    )


def generate_users(count: int, seed: int = 2026) -> list[dict]:
    """``count`` users as CSV-ready dicts: unique usernames and emails, some purchase emails, the site's user ids.

    Site ids are unique for one seed.
    """
    rng = random.Random(seed)
    users, usernames, emails = [], set(), set()
    while len(users) < count:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = email_local(first, last, rng)
        email = f"{local}@{rng.choice(EMAIL_DOMAINS)}"
        username = local.replace(".", "")[:20]
        while username in usernames:
            username = f"{local.replace('.', '')[:16]}{rng.randrange(1000)}"
        if email in emails:
            continue
        city, state, zip_code = rng.choice(CITIES)
        purchase_email = f"{ascii_fold(first).lower()}.work@{rng.choice(EMAIL_DOMAINS)}" if rng.random() < 0.08 else ""
        usernames.add(username)
        emails.add(email)
        users.append({
            "username": username, "first_name": first, "last_name": last, "email": email,
            "phone": phone_number(rng) if rng.random() < 0.7 else "", "purchase_email": purchase_email,
            "address": f"{rng.randrange(1, 999)} {rng.choice(LAST_NAMES)} St", "city": city, "state": state,
            "zip": zip_code, "country": "United States", "site_id": str(seed % 1000 * 100_000 + len(users) + 1),
        })
    return users


def users_csv(users: list[dict]) -> str:
    """The festival site's export format, as ``gbetix users import`` reads it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(users)
    return out.getvalue()
