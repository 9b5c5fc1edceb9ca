"""The special accounts every database has (Audience1st's "special customers").

Walkup sales are held by the Walkup customer, BPT imports are processed by
the Box-office daemon, and Anonymous stands for nobody in particular.
"""

from __future__ import annotations

from gbetix_core.models.people import SPECIAL_ACCOUNTS, User

_NAMES = {
    "walkup": ("walkup", "Walkup", "Customer"),
    "daemon": ("boxoffice-daemon", "Box-office", "Daemon"),
    "anonymous": ("anonymous", "Anonymous", ""),
}


def ensure_special_accounts() -> dict[str, User]:
    """Create the special accounts that are missing; return all of them by kind."""
    accounts = {}
    for kind in SPECIAL_ACCOUNTS:
        username, first, last = _NAMES[kind]
        user = User.get_or_none(User.special == kind)
        if user is None:
            user = User.create(username=f"@{username}", first_name=first, last_name=last, special=kind)
        accounts[kind] = user
    return accounts


def special_account(kind: str) -> User:
    """The special account of ``kind`` (walkup, daemon or anonymous), creating it if needed."""
    user = User.get_or_none(User.special == kind)
    return user or ensure_special_accounts()[kind]
