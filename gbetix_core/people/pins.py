"""Staff PINs and passphrases: only a slow salted hash is ever stored.

Argon2id (argon2-cffi) rather than the standard library's scrypt: it is the
password hash OWASP puts first, it is memory-hard, and its hashes carry their
own parameters, so the cost can be raised later and old hashes still verify.
The parameters are OWASP's minimum for Argon2id (19 MiB, two passes), which
keeps a sign-in at the door well under a second on a small machine. A
four-digit PIN is still only 10,000 guesses for anyone holding the database:
the lockout in :mod:`gbetix_core.people.signin` protects it in the app, and a
passphrase protects it better.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from gbetix_core.errors import InputError

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MAX_PIN_LENGTH = 128


def check_pin(pin: str, min_length: int) -> str:
    """The PIN as given, or InputError saying what a usable PIN is (the PIN itself is never echoed)."""
    if len(pin) < min_length:
        raise InputError(f"PIN: too short; use at least {min_length} characters (a passphrase is safer).")
    if len(pin) > MAX_PIN_LENGTH:
        raise InputError(f"PIN: too long; use at most {MAX_PIN_LENGTH} characters.")
    if any(not ch.isprintable() for ch in pin):
        raise InputError("PIN: has a control character; use letters, digits, spaces or punctuation.")
    return pin


def hash_pin(pin: str) -> str:
    return HASHER.hash(pin)


def pin_matches(pin_hash: str | None, pin: str) -> bool:
    """True when ``pin`` is the one ``pin_hash`` was made from (an account without a PIN matches nothing)."""
    if not pin_hash:
        return False
    try:
        return HASHER.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False
