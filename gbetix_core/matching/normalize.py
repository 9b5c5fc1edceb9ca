"""Put buyer and user details in one comparable form: emails, names, phones, addresses.

BPT gives whatever the buyer typed ("ROSA Delgado", "(617) 555-0142",
"Rosa.Delgado+gbe@Gmail.com"); the festival site has what the user typed on
another day. Matching compares only normalised values, so that a difference
of case, accent, punctuation or format is never mistaken for a different
person. Everything here is pure and cached: it runs for 150,000 records.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
import phonenumbers
from nicknames import NickNamer

GMAIL_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_NON_DIGIT = re.compile(r"\D+")
_STREET_WORDS = {"street": "st", "avenue": "ave", "road": "rd", "boulevard": "blvd", "drive": "dr", "lane": "ln",
                 "court": "ct", "place": "pl", "apartment": "apt", "north": "n", "south": "s", "east": "e", "west": "w"}
_NICKNAMER = NickNamer()


def fold(text: str | None) -> str:
    """Lower case, accents removed, apostrophes dropped, other punctuation to single spaces."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_NON_ALNUM.sub(" ", text.lower().replace("'", "")).split())


def email(raw: str | None) -> str:
    """The mailbox an address delivers to: case and spaces ignored, +tags dropped, Gmail dots dropped."""
    text = (raw or "").strip().lower()
    local, at, domain = text.rpartition("@")
    if not at or not local or "." not in domain:
        return ""
    local = local.split("+", 1)[0]
    domain = GMAIL_DOMAINS.get(domain, domain)
    if domain == "gmail.com":
        local = local.replace(".", "")
    return f"{local}@{domain}"


def phone(raw: str | None, region: str = "US") -> str:
    """E.164 (``+16175550142``), or "" when the text is not a plausible number."""
    text = (raw or "").strip()
    digits = _NON_DIGIT.sub("", text)
    if region == "US" and (not text.startswith("+") or text.startswith("+1")):
        if len(digits) == 11 and digits[0] == "1":
            digits = digits[1:]
        if len(digits) == 10 and digits[0] not in "01":
            return f"+1{digits}"
    if len(digits) < 7:
        return ""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=100_000)
def surname(raw: str | None) -> str:
    """A surname as one token: "O'Brien", "OBrien" and "o brien" all become "obrien"."""
    return fold(raw).replace(" ", "")


@lru_cache(maxsize=100_000)
def surname_parts(raw: str | None) -> frozenset[str]:
    """The joined surname and each part of a double-barrelled one ("smith-jones" -> smith, jones)."""
    folded = fold(raw)
    parts = {part for part in folded.split() if len(part) >= 3}
    return frozenset(parts | ({folded.replace(" ", "")} if folded else set()))


@lru_cache(maxsize=100_000)
def given_name(raw: str | None) -> str:
    """The first given name only ("Mary Ann" -> "mary"), folded."""
    folded = fold(raw)
    return folded.split()[0] if folded else ""


@lru_cache(maxsize=20_000)
def name_forms(given: str) -> frozenset[str]:
    """A folded given name with every nickname and formal form it can stand for (Bob <-> Robert)."""
    if not given:
        return frozenset()
    return frozenset({given} | _NICKNAMER.nicknames_of(given) | _NICKNAMER.canonicals_of(given))


@lru_cache(maxsize=100_000)
def phonetic(surname_token: str) -> str:
    """A sound-alike key for a surname, so that "Smyth" and "Smith" meet in one block."""
    return jellyfish.soundex(surname_token) if surname_token else ""


@lru_cache(maxsize=100_000)
def street(raw: str | None) -> str:
    """A street address with its common words abbreviated ("637 Galli Street" -> "637 galli st")."""
    return " ".join(_STREET_WORDS.get(word, word) for word in fold(raw).split())


@lru_cache(maxsize=100_000)
def street_parts(normalised: str) -> tuple[str, str]:
    """(house number, street name) of a normalised street address: "637 galli st" -> ("637", "galli st").

    The number is the first word with a digit in it; the name is the words after it
    (or all words, when there is no number).
    """
    words = normalised.split()
    for i, word in enumerate(words):
        if any(ch.isdigit() for ch in word):
            return word, " ".join(w for w in words[i + 1:] if not any(ch.isdigit() for ch in w))
    return "", normalised


@lru_cache(maxsize=100_000)
def zip_code(raw: str | None) -> str:
    """The first five letters and digits of a postcode ("02143-1234" -> "02143")."""
    return "".join(ch for ch in (raw or "") if ch.isalnum())[:5].lower()


@dataclass(slots=True)
class Person:
    """One identity in comparable form: a registered user or a BPT buyer.

    ``alt_email`` is a user's purchase email (a buyer has none); ``mailboxes``
    holds each email split into (local part, domain), for near-miss checks.
    The address is kept whole (``street``) and in parts (``number``, ``street_name``,
    ``city``, ``state``), so that a typo in one part leaves the others as evidence.
    Treat it as read-only (not frozen only because frozen instances are slow to build).
    """

    key: int
    first: str
    last: str
    lasts: frozenset[str]
    forms: frozenset[str]
    email: str
    alt_email: str
    mailboxes: tuple[tuple[str, str], ...]
    phone: str
    street: str
    zip: str
    number: str = ""
    street_name: str = ""
    city: str = ""
    state: str = ""


@lru_cache(maxsize=10_000)
def place(raw: str | None) -> str:
    """A town or state, folded (a few hundred values, repeated on every record)."""
    return fold(raw)


def person(key: int, first: str | None, last: str | None, email_raw: str | None, phone_raw: str | None,
           street_raw: str | None = None, zip_raw: str | None = None, alt_email_raw: str | None = None,
           city_raw: str | None = None, state_raw: str | None = None) -> Person:
    """Normalise one identity's raw fields.

    Runs for every buyer and user of a match (150,000 in a first sync): the
    fields go to Person in order, without keywords, and a missing purchase
    email skips its parsing.
    """
    given = given_name(first)
    main = email(email_raw)
    alt = email(alt_email_raw) if alt_email_raw else ""
    address = street(street_raw)
    number, name = street_parts(address)
    mailboxes = (_mailbox(main),) if main else ()
    if alt:
        mailboxes += (_mailbox(alt),)
    return Person(key, given, surname(last), surname_parts(last), name_forms(given), main, "" if alt == main else alt,
                  mailboxes, phone(phone_raw), address, zip_code(zip_raw), number, name, place(city_raw),
                  place(state_raw))


def _mailbox(address: str) -> tuple[str, str]:
    """(local part, domain) of a normalised email."""
    local, _, domain = address.partition("@")
    return local, domain
