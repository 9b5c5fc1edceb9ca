"""Signing in to the app: the operator's PIN, and a lockout after repeated wrong ones.

The count of wrong PINs lives on the staff row and is read and written with
the row locked, so guesses from several terminals at once are all counted.
After ``max_failed_signins`` wrong PINs in a row the account is locked for
``lockout_minutes``; a right PIN (or a new one set by an admin) resets the count.
"""

from __future__ import annotations

import datetime as dt

from gbetix_core.config import StaffConfig
from gbetix_core.db import locked, write
from gbetix_core.errors import PermissionDenied
from gbetix_core.models.base import utcnow
from gbetix_core.models.people import Staff
from gbetix_core.people.pins import pin_matches
from gbetix_core.people.staff import get_staff
from gbetix_core.waiting import try_again

ASK_ADMIN = "ask an admin to set a new PIN"


def sign_in(name: str, pin: str, settings: StaffConfig) -> Staff:
    """The account, when ``pin`` is its PIN; otherwise PermissionDenied saying what to do and when."""
    staff = get_staff(name)
    if not staff.pin_hash:
        raise PermissionDenied(f"{staff.name} has no PIN yet: an admin sets one with "
                               f"gbetix staff passwd {staff.name!r} --as ADMIN")
    with write():
        row = locked(Staff.select().where(Staff.id == staff.id)).get()
        refusal = _locked_out(row) or _check(row, pin, settings)
    if refusal:
        raise PermissionDenied(refusal)
    return row


def _locked_out(row: Staff) -> str | None:
    if row.locked_until is None or row.locked_until <= utcnow():
        return None
    return f"{row.name} is locked after too many wrong PINs. {try_again(row.locked_until, ASK_ADMIN)}"


def _check(row: Staff, pin: str, settings: StaffConfig) -> str | None:
    """Compare the PIN and count the result on the row; the refusal, if any."""
    if pin_matches(row.pin_hash, pin):
        row.failed_signins, row.locked_until = 0, None
        row.save(only=[Staff.failed_signins, Staff.locked_until])
        return None
    row.failed_signins += 1
    left = settings.max_failed_signins - row.failed_signins
    message = f"Wrong PIN for {row.name}; {left} more wrong PIN(s) lock the account."
    if left <= 0:
        row.failed_signins = 0
        row.locked_until = utcnow() + dt.timedelta(minutes=settings.lockout_minutes)
        message = f"Wrong PIN for {row.name}: the account is locked. {try_again(row.locked_until, ASK_ADMIN)}"
    row.save(only=[Staff.failed_signins, Staff.locked_until])
    return message
