"""Labelled BPT order lines: who really bought each one, and which problem case it shows.

The fake BPT server, the demo and the matching benchmark all need buyers that
look like a real festival's: most are ordinary (a signed-in link, the
registered email), and a realistic few are the seed's hard cases. Each order
line carries the truth (the username of the festival user who bought it, or
None) so that matching can be measured, not guessed at.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from nicknames import NickNamer

from gbetix_core.demo.names import EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES
from gbetix_core.demo.people import ascii_fold, generate_users
from gbetix_core.matching.tokens import session_tracker, user_tracker

# How often each case occurs: ordinary buyers dominate, as at a real festival.
CASE_WEIGHTS = {
    "token": 0.27, "email": 0.22, "purchase_email": 0.04, "other_email": 0.06, "nickname": 0.05,
    "name_form": 0.04, "typo": 0.04, "phone_format": 0.03, "gift": 0.03, "friend_on_browser": 0.015,
    "late_registration": 0.03, "pending_session": 0.03, "shared_household": 0.015, "namesake": 0.015,
    "legacy_tracker": 0.03, "forged_tracker": 0.015, "non_user": 0.07,
}
SHIPPING = ("Will Call", "Will Call", "Print-At-Home", "Print-At-Home", "Mobile Delivery", "Physical")
GIFT_NOTES = ("ticket is for {name}", "gift for {name}", "{name} will pick this up", "for my friend {name}")
PHONE_FORMATS = ("({a}) {b}-{c}", "{a}.{b}.{c}", "+1{a}{b}{c}", "{a}{b}{c}", "1-{a}-{b}-{c}", "{a} {b} {c}")
NAME_FORMS = {"Renée": "Renee", "Zoë": "Zoe", "José": "Jose", "Müller": "Mueller", "O'Brien": "OBrien",
              "O'Connor": "O Connor", "Smith-Jones": "Smith Jones", "De la Cruz": "Delacruz", "McDonald": "Mc Donald",
              "D'Angelo": "DAngelo", "DeSantis": "De Santis", "MacLeod": "Macleod", "Van der Berg": "Vanderberg"}
LATE_SITE_IDS = 900_000_000  # late registrants' site ids count up from here, clear of generate_users' ids
NEW_LATE_USER = 0.7  # share of late-registration orders by someone not seen before (others buy twice)
_NICKNAMER = NickNamer()


@dataclass
class BuyerSet:
    """Order lines (BPT ``<item>`` fields plus ``event_id``) and what is true about each."""

    orders: list[dict] = field(default_factory=list)
    truth: dict[str, str | None] = field(default_factory=dict)
    cases: dict[str, str] = field(default_factory=dict)
    late_users: list[dict] = field(default_factory=list)
    sessions: list[tuple[str, str, str]] = field(default_factory=list)


def generate_orders(
    users: Sequence[dict],
    count: int,
    *,
    slots: Sequence[tuple[str, str, str]],
    secret: bytes,
    user_ids: Mapping[str, int],
    seed: int = 7,
    start: dt.datetime | None = None,
) -> BuyerSet:
    """``count`` labelled order lines bought by ``users`` (and by people who are not users)."""
    if not users or not slots:
        raise ValueError("generate_orders needs at least one user and one (event, date, price) slot")
    maker = _OrderMaker(users, slots, secret, user_ids, random.Random(seed), start or dt.datetime(2026, 9, 1, 9))
    cases, weights = zip(*CASE_WEIGHTS.items())
    for case in maker.rng.choices(cases, weights, k=count):
        maker.add(case)
    return maker.result


class _OrderMaker:
    """Builds one order line per case; keeps the indexes each case needs."""

    def __init__(self, users, slots, secret, user_ids, rng, start):
        self.users, self.slots, self.secret, self.user_ids, self.rng, self.start = users, slots, secret, user_ids, rng, start
        self.result = BuyerSet()
        self.taken_numbers: set[int] = set()
        self.emails = {u["email"].lower() for u in users} | {u["purchase_email"].lower() for u in users if u["purchase_email"]}
        self.with_ids = [u for u in users if u["username"] in user_ids] or list(users)
        self.with_purchase_email = [u for u in users if u["purchase_email"]] or list(users)
        self.with_phone = [u for u in users if u["phone"]] or list(users)
        by_name, by_last = defaultdict(list), defaultdict(list)
        for user in users:
            by_name[(user["first_name"], user["last_name"])].append(user)
            by_last[user["last_name"]].append(user)
        self.namesakes = [group for group in by_name.values() if len(group) > 1] or [[u] for u in users[:1]]
        self.families = [group for group in by_last.values() if len(group) > 1] or [list(users)]
        self.late_pool: list[dict] = []
        self.signed_for: str | None = None  # the event of the tracker just made, for the order line about to be emitted
        self.usernames = {u["username"] for u in users}

    # --- the cases -------------------------------------------------------------------
    def add(self, case: str) -> None:
        getattr(self, f"case_{case}")()

    def case_token(self) -> None:
        user = self.rng.choice(self.with_ids)
        email = user["email"] if self.rng.random() < 0.8 else self.fresh_email(user)
        self.emit("token", user, email=email, truth=user, tracker=self.token(user))

    def case_email(self) -> None:
        user = self.rng.choice(self.users)
        self.emit("email", user, email=self.shuffle_case(user["email"]), truth=user)

    def case_purchase_email(self) -> None:
        user = self.rng.choice(self.with_purchase_email)
        self.emit("purchase_email", user, email=user["purchase_email"], truth=user)

    def case_other_email(self) -> None:
        user = self.rng.choice(self.users)
        self.emit("other_email", user, email=self.fresh_email(user), truth=user, keep_phone=True)

    def case_nickname(self) -> None:
        user = self.rng.choice(self.users)
        forms = sorted(_NICKNAMER.nicknames_of(user["first_name"].lower()) | _NICKNAMER.canonicals_of(user["first_name"].lower()))
        first = self.rng.choice(forms).title() if forms else user["first_name"]
        email = user["email"] if self.rng.random() < 0.4 else self.fresh_email(user)
        self.emit("nickname", user, email=email, truth=user, first=first, keep_phone=True)

    def case_name_form(self) -> None:
        user = self.rng.choice(self.users)
        first, last = self.name_form(user["first_name"]), self.name_form(user["last_name"])
        email = user["email"] if self.rng.random() < 0.4 else self.fresh_email(user)
        self.emit("name_form", user, email=email, truth=user, first=first, last=last, keep_phone=True)

    def case_typo(self) -> None:
        user = self.rng.choice(self.users)
        if self.rng.random() < 0.5:
            first, last = user["first_name"], user["last_name"]
            if self.rng.random() < 0.5:
                first = self.typo(first)
            else:
                last = self.typo(last)
            self.emit("typo", user, email=user["email"], truth=user, first=first, last=last)
        else:
            local, _, domain = user["email"].partition("@")
            self.emit("typo", user, email=f"{self.typo(local)}@{domain}", truth=user, keep_phone=True)

    def case_phone_format(self) -> None:
        user = self.rng.choice(self.with_phone)
        self.emit("phone_format", user, email=self.fresh_email(user), truth=user, phone=self.reformat(user["phone"]))

    def case_gift(self) -> None:
        george = self.rng.choice(self.with_ids)
        amy = self.rng.choice(self.users)
        note = self.rng.choice(GIFT_NOTES).format(name=f"{amy['first_name']} {amy['last_name']}")
        tracker = self.token(george) if self.rng.random() < 0.5 else ""
        self.emit("gift", george, email=george["email"], truth=george, tracker=tracker, notes=note, quantity=2)

    def case_friend_on_browser(self) -> None:
        bob = self.rng.choice(self.with_ids)
        if self.rng.random() < 0.7:
            alice = self.rng.choice(self.users)
            self.emit("friend_on_browser", alice, email=alice["email"], truth=alice, tracker=self.token(bob))
        else:
            self.emit("friend_on_browser", self.stranger(), email=None, truth=None, tracker=self.token(bob))

    def case_late_registration(self) -> None:
        user = self.late_user()
        email = user["email"] if self.rng.random() < 0.8 else self.fresh_email(user)
        self.emit("late_registration", user, email=email, truth=user, keep_phone=True)

    def case_pending_session(self) -> None:
        user = self.rng.choice(self.users)
        tracker, nonce = session_tracker(self.secret, f"{self.rng.getrandbits(40):010x}")
        self.result.sessions.append((nonce, f"sess-{self.rng.getrandbits(64):016x}", user["username"]))
        email = user["email"] if self.rng.random() < 0.5 else self.fresh_email(user)
        self.emit("pending_session", user, email=email, truth=user, tracker=tracker)

    def case_shared_household(self) -> None:
        family = self.rng.choice(self.families)
        holder, other = self.rng.sample(family, 2)
        first, other_first = holder["first_name"].lower(), other["first_name"].lower()
        if first == other_first or other_first in _NICKNAMER.nicknames_of(first) | _NICKNAMER.canonicals_of(first):
            self.case_shared_household()
            return
        self.emit("shared_household", other, email=holder["email"], truth=other, keep_phone=True)

    def case_namesake(self) -> None:
        user = self.rng.choice(self.rng.choice(self.namesakes))
        self.emit("namesake", user, email=self.fresh_email(user), truth=user, keep_phone=self.rng.random() < 0.5)

    def case_legacy_tracker(self) -> None:
        user = self.rng.choice(self.with_ids)
        if self.rng.random() < 0.8:
            email = user["email"] if self.rng.random() < 0.6 else self.fresh_email(user)
            self.emit("legacy_tracker", user, email=email, truth=user, tracker=f"ID-{user['site_id']}")
            return
        signed_in = self.rng.choice(self.with_ids)
        tracker = f"ID-{signed_in['site_id']}"
        if self.rng.random() < 0.5:
            self.emit("legacy_tracker", user, email=user["email"], truth=user, tracker=tracker)
        else:
            self.emit("legacy_tracker", self.stranger(), email=None, truth=None, tracker=tracker)

    def case_forged_tracker(self) -> None:
        user = self.rng.choice(self.users)
        victim_id = self.rng.randrange(1, max(2, len(self.users)))
        tracker = self.rng.choice((
            f"g1u-{victim_id:x}-a-{self.rng.getrandbits(60):012x}"[:32], "fbclid-IwAR3xQ", "<script>", "g1" + "x" * 40,
            "ID-" + "9" * 12, f"g1s-{self.rng.getrandbits(40):010x}-{self.rng.getrandbits(60):012x}",
        ))
        if self.rng.random() < 0.6:
            self.emit("forged_tracker", user, email=user["email"], truth=user, tracker=tracker)
        else:
            self.emit("forged_tracker", self.stranger(), email=None, truth=None, tracker=tracker)

    def case_non_user(self) -> None:
        self.emit("non_user", self.stranger(), email=None, truth=None)

    # --- pieces ----------------------------------------------------------------------
    def emit(self, case, person, *, email, truth, tracker="", first=None, last=None, phone=None,
             keep_phone=False, notes="", quantity=None) -> None:
        rng = self.rng
        event_id, date_id, price_id = rng.choice(self.slots)
        if self.signed_for and self.signed_for != event_id:
            event_id, date_id, price_id = next(slot for slot in self.slots if slot[0] == self.signed_for)
        self.signed_for = None
        number = self.ticket_number()
        if phone is None:
            phone = person.get("phone", "") if (keep_phone or rng.random() < 0.5) else ""
        first = first if first is not None else person["first_name"]
        last = last if last is not None else person["last_name"]
        order = {
            "order_time": (self.start + dt.timedelta(seconds=rng.randrange(60 * 86_400))).strftime("%Y-%m-%d %H:%M:%S"),
            "date_id": date_id, "price_id": price_id,
            "quantity": str(quantity or rng.choice((1, 1, 1, 2, 2, 3, 4))),
            "fname": first, "lname": last,
            "address": person.get("address", "") if rng.random() < 0.6 else "",
            "city": person.get("city", ""), "state": person.get("state", ""), "zip": person.get("zip", ""),
            "country": person.get("country", "") or "United States",
            "email": email if email is not None else self.fresh_email(person), "phone": phone,
            "cc": f"{rng.randrange(10_000):04d}" if rng.random() < 0.9 else "N/A",
            "shipping_method": rng.choice(SHIPPING), "order_notes": notes, "ticket_number": number,
            "section": "", "row": "", "seat": "", "tracker_id": tracker, "event_id": event_id,
        }
        self.result.orders.append(order)
        self.result.truth[number] = truth["username"] if truth else None
        self.result.cases[number] = case

    def ticket_number(self) -> str:
        while True:
            number = self.rng.randrange(10_000_000, 100_000_000)
            if number not in self.taken_numbers:
                self.taken_numbers.add(number)
                return f"K{number}"

    def token(self, user: dict) -> str:
        """A purchase link signed for ``user`` and an event; the next order line is for that event, as BPT's would be."""
        event_id = self.rng.choice(self.slots)[0]
        self.signed_for = event_id
        return user_tracker(self.secret, self.user_ids[user["username"]], event_id)

    def fresh_email(self, person: dict) -> str:
        """An address nobody registered: the buyer's work or second address."""
        first = ascii_fold(person["first_name"]).lower().replace(" ", "")
        last = ascii_fold(person["last_name"]).lower().replace(" ", "").replace("'", "")
        while True:
            local = self.rng.choice((f"{first}{self.rng.randrange(10, 100)}", f"{first[0]}{last}{self.rng.randrange(1, 1000)}",
                                     f"{last}.{first}{self.rng.randrange(10, 100)}", f"{first}.{last}.{self.rng.randrange(100)}"))
            email = f"{local}@{self.rng.choice(EMAIL_DOMAINS)}"
            if email not in self.emails:
                return email

    def stranger(self) -> dict:
        """Someone who is not a festival user (their name may well be a user's name)."""
        city = self.rng.choice(self.users)
        return {"first_name": self.rng.choice(FIRST_NAMES), "last_name": self.rng.choice(LAST_NAMES),
                "phone": "", "address": f"{self.rng.randrange(1, 999)} {self.rng.choice(LAST_NAMES)} Ave",
                "city": city["city"], "state": city["state"], "zip": city["zip"], "country": "United States"}

    def late_user(self) -> dict:
        """A person who buys now and registers later (imported later, to test re-matching)."""
        if self.result.late_users and self.rng.random() > NEW_LATE_USER:
            return self.rng.choice(self.result.late_users)
        while len(self.late_pool) <= len(self.result.late_users):
            self._grow_late_pool()
        user = self.late_pool[len(self.result.late_users)]
        self.result.late_users.append(user)
        return user

    def _grow_late_pool(self) -> None:
        for user in generate_users(256, seed=self.rng.randrange(1 << 30)):
            emails = {user["email"], user["purchase_email"]} - {""}
            if user["username"] in self.usernames or emails & self.emails:
                continue
            self.usernames.add(user["username"])
            self.emails |= emails
            user["site_id"] = str(LATE_SITE_IDS + len(self.late_pool))
            self.late_pool.append(user)

    def name_form(self, name: str) -> str:
        if name in NAME_FORMS and self.rng.random() < 0.7:
            return NAME_FORMS[name]
        return self.rng.choice((name.upper(), name.lower(), ascii_fold(name), f" {name} "))

    def typo(self, text: str) -> str:
        if len(text) < 4:
            return text + text[-1]
        i = self.rng.randrange(1, len(text) - 1)
        kind = self.rng.randrange(3)
        if kind == 0:
            return text[:i] + text[i + 1] + text[i] + text[i + 2:]
        if kind == 1:
            return text[:i] + text[i + 1:]
        return text[:i] + self.rng.choice("aeioursnt") + text[i + 1:]

    def reformat(self, phone: str) -> str:
        digits = "".join(ch for ch in phone if ch.isdigit())[-10:]
        return self.rng.choice(PHONE_FORMATS).format(a=digits[:3], b=digits[3:6], c=digits[6:])

    def shuffle_case(self, email: str) -> str:
        roll = self.rng.random()
        if roll < 0.1:
            return email.upper()
        if roll < 0.2:
            return f" {email.capitalize()}"
        return email
