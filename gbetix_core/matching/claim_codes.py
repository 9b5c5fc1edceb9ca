"""Claims proven by email: a one-time code goes to the address a purchase was bought with.

A signed-in user who cannot name the buyer asks for a code; it is mailed to
the purchase's BPT email, and entering it within ``[mail] claim_code_minutes``
links the purchase by the usual rules of :mod:`gbetix_core.matching.claims`
(failed attempts rate-limited, queued for an admin when the purchase is
someone else's). The database keeps only a salt and a hash: the code itself
is derived from the salt with the token key, which lives outside the
database, at the moment the message is rendered, and exists only in the mail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from peewee import ModelSelect

from gbetix_core.bootstrap import token_secret
from gbetix_core.config import Config, MatchingConfig
from gbetix_core.db import write
from gbetix_core.errors import InputError
from gbetix_core.mail.notices import purchase_facts
from gbetix_core.mail.outbox import enqueue
from gbetix_core.matching.claims import MAX_NUMBER, ClaimResult, checked_claim
from gbetix_core.matching.links import find_user
from gbetix_core.models import ClaimCode, Purchase, User
from gbetix_core.models.base import utcnow
from gbetix_core.waiting import try_again

CODE_DIGITS = 8


@dataclass(frozen=True)
class CodeRequest:
    """The answer to "mail me a code": ``ok`` when a code is (or already was) on its way, and what to tell the user."""

    ok: bool
    message: str


def request_code(username: str, ticket_number: str, config: Config) -> CodeRequest:
    """Mail a one-time code for ``ticket_number`` to its buyer's email.

    One live code per user and purchase, and at most ``claim_max_failures`` codes per user in
    ``claim_window_minutes``, so nobody can flood a buyer's inbox; an unknown number counts as a failed
    claim, so numbers cannot be guessed here either.
    """
    number = _number(ticket_number)
    user = find_user(username)
    settings = config.matching
    now = utcnow()
    with write():
        purchase = Purchase.get_or_none(Purchase.ticket_number == number)
        email = purchase.purchaser.email.strip().lower() if purchase and purchase.purchaser.email else ""
        if not email:
            refused = checked_claim(user, number, lambda _: False, settings, (
                f"No purchase {number} with an email address at BPT: check the confirmation number, or claim it "
                "with the buyer's last name."))
            return CodeRequest(False, refused.message)
        mine = ClaimCode.select().where(ClaimCode.user == user)
        live = mine.where((ClaimCode.purchase == purchase) & ClaimCode.used_at.is_null()
                          & (ClaimCode.expires_at > now)).first()
        if live:
            return CodeRequest(True, f"A code was already mailed to {_masked(email)}; it works until "
                                     f"{live.expires_at:%H:%M} UTC.")
        limited = _too_many_codes(mine, now, settings)
        if limited:
            return CodeRequest(False, f"Too many codes asked for by {user.username}. {limited}")
        code = _mail_new_code(user, purchase, email, now, config)
    return CodeRequest(True, f"A code was mailed to {_masked(email)}, the address the purchase was bought with; "
                             f"it works until {code.expires_at:%H:%M} UTC.")


def _too_many_codes(mine: ModelSelect, now: dt.datetime, settings: MatchingConfig) -> str | None:
    """When the user's codes in the window reach the limit: when the oldest stops counting, and who else can help
    (the staff who read this may be the box office itself, so it names an admin, as the claim limit does)."""
    window = dt.timedelta(minutes=settings.claim_window_minutes)
    asked = [row.created_at for row in mine.where(ClaimCode.created_at >= now - window)
             .order_by(ClaimCode.created_at.desc()).limit(settings.claim_max_failures)]
    if len(asked) < settings.claim_max_failures:
        return None
    return try_again(asked[-1] + window, "ask an admin to link the purchase from the unmatched purchases")


def enter_code(username: str, ticket_number: str, code: str, config: Config) -> ClaimResult:
    """Check a code the user typed; a right one links the purchase (or queues it), a wrong one counts as a failure."""
    number = _number(ticket_number)
    typed = "".join((code or "").split())
    if not typed.isdigit():
        raise InputError(f"A claim code is {CODE_DIGITS} digits, as in the email.")
    user = find_user(username)
    return checked_claim(user, number, lambda purchase: _use(user, purchase, typed), config.matching,
                         f"That code is wrong or has expired for {number}. Ask for a new one, or check the email "
                         "for the latest code.")


def mailed_code(config: Config, claim_code_id: int) -> str:
    """The code of one request, derived again for its message (the database alone cannot tell it)."""
    return _derive(token_secret(config), ClaimCode.get_by_id(claim_code_id).salt)


def _mail_new_code(user: User, purchase: Purchase, email: str, now: dt.datetime, config: Config) -> ClaimCode:
    """Keep a new code's salt and hash, and queue its message (the code itself is derived when it is sent)."""
    salt = secrets.token_hex(16)
    digest = _hash(salt, _derive(token_secret(config), salt))
    code = ClaimCode.create(user=user, purchase=purchase, salt=salt, code_hash=digest, created_at=now,
                            expires_at=now + dt.timedelta(minutes=config.mail.claim_code_minutes))
    buyer = purchase.purchaser
    enqueue("claim_code", email, {**purchase_facts(purchase), "claim_code": code.id, "claimant": user.username,
                                  "minutes": config.mail.claim_code_minutes},
            to_name=f"{buyer.first_name or ''} {buyer.last_name or ''}".strip())
    return code


def _use(user: User, purchase: Purchase, typed: str) -> bool:
    """True, and the code spent, when ``typed`` is a live code of this user for this purchase."""
    now = utcnow()
    live = ClaimCode.select().where((ClaimCode.user == user) & (ClaimCode.purchase == purchase)
                                    & ClaimCode.used_at.is_null() & (ClaimCode.expires_at > now))
    for row in live:
        if hmac.compare_digest(row.code_hash, _hash(row.salt, typed)):
            ClaimCode.update(used_at=now).where(ClaimCode.id == row.id).execute()
            return True
    return False


def _derive(secret: bytes, salt: str) -> str:
    digest = hmac.new(secret, f"claim-code:{salt}".encode(), hashlib.sha256).digest()
    return str(int.from_bytes(digest[:8], "big") % 10 ** CODE_DIGITS).zfill(CODE_DIGITS)


def _hash(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def _number(ticket_number: str) -> str:
    number = (ticket_number or "").strip().upper()
    if not number or len(number) > MAX_NUMBER:
        raise InputError("Give the confirmation number from the BPT email (like K48213377).")
    return number


def _masked(email: str) -> str:
    """``r***@example.org``: enough for the buyer to recognise, too little to harvest."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"
