"""Staff operators: who runs the box office, with which role, and the PIN they sign in with.

Only an admin (the ``manage_staff`` permission) adds, re-roles, disables or
sets the PIN of an account, except for the very first account: on an empty
staff table anyone with the database may create the first admin, as
``gbetix init`` does. The last active admin can be neither demoted nor
disabled, so the festival is never left without one.
"""

from __future__ import annotations

from gbetix_core import audit
from gbetix_core.config import StaffConfig
from gbetix_core.db import write
from gbetix_core.errors import InputError, NotFound
from gbetix_core.models.people import ROLES, Staff
from gbetix_core.people.pins import check_pin, hash_pin
from gbetix_core.people.staff_names import clean_staff_name, skeleton
from gbetix_core.permissions import require
from gbetix_core.validation import name as clean_name

DEFAULTS = StaffConfig()


def add_staff(name: str, role: str, by: Staff | None = None, pin: str | None = None,
              settings: StaffConfig = DEFAULTS) -> Staff:
    """Create an operator (with ``pin``, if given), or change the role of an existing one (re-activating it)."""
    name = clean_staff_name(name)
    if role not in ROLES:
        raise InputError(f"role {role!r}: unknown; choose one of {', '.join(ROLES)}")
    pin_hash = hash_pin(check_pin(pin, settings.min_pin_length)) if pin is not None else None
    with write():
        _require_admin_or_first(by, role)
        staff = Staff.get_or_none(Staff.name == name)
        before = {"role": staff.role, "active": staff.active} if staff else None
        if staff is None:
            _refuse_lookalike(name)
            staff = Staff.create(name=name, role=role, pin_hash=pin_hash)
        else:
            if role != "admin":
                _keep_an_admin(staff)
            staff.role, staff.active = role, True
            staff.pin_hash = pin_hash or staff.pin_hash
            staff.save()
        audit.record("staff.add", staff=by, subject=f"staff:{name}", before=before, after={"role": role})
    return staff


def set_pin(name: str, pin: str, by: Staff, settings: StaffConfig = DEFAULTS) -> Staff:
    """Give an account a new PIN (an admin for anyone, or the operator for themself); lifts any lockout."""
    pin_hash = hash_pin(check_pin(pin, settings.min_pin_length))
    with write():
        staff = get_staff(name)
        if by is None or by.id != staff.id:
            require(by, "manage_staff")
        Staff.update(pin_hash=pin_hash, failed_signins=0, locked_until=None).where(Staff.id == staff.id).execute()
        audit.record("staff.pin", staff=by, subject=f"staff:{staff.name}", reason="PIN set")
    return staff


def disable_staff(name: str, by: Staff) -> Staff:
    """Stop an account from signing in or acting; its past actions keep its name."""
    with write():
        require(by, "manage_staff")
        staff = get_staff(name)
        _keep_an_admin(staff)
        Staff.update(active=False).where(Staff.id == staff.id).execute()
        audit.record("staff.disable", staff=by, subject=f"staff:{staff.name}", before={"active": True},
                     after={"active": False})
    return staff


def get_staff(name: str) -> Staff:
    """The active account called ``name`` (compared after normalising and trimming)."""
    staff = Staff.get_or_none((Staff.name == clean_name("staff name", name)) & (Staff.active == True))  # noqa: E712
    if staff is None:
        raise NotFound(f"No active staff member called {name!r}. Add one with: gbetix staff add NAME --role ROLE")
    return staff


def list_staff() -> list[Staff]:
    return list(Staff.select().where(Staff.active == True).order_by(Staff.name))  # noqa: E712


def has_staff() -> bool:
    return Staff.select().exists()


def _require_admin_or_first(by: Staff | None, role: str) -> None:
    """Anyone may create the first account, and it must be an admin; after that only an admin may."""
    if has_staff():
        require(by, "manage_staff")
    elif role != "admin":
        raise InputError(f"role {role!r}: the first staff account must be an admin (it adds the others)")


def _refuse_lookalike(name: str) -> None:
    shape = skeleton(name)
    for other in Staff.select(Staff.name):
        if skeleton(other.name) == shape:
            raise InputError(f"staff name {name!r}: looks like the existing account {other.name!r}; choose another")


def _keep_an_admin(staff: Staff) -> None:
    if staff.role != "admin" or not staff.active:
        return
    admins = Staff.select().where((Staff.role == "admin") & (Staff.active == True) & (Staff.id != staff.id))  # noqa: E712
    if not admins.exists():
        raise InputError(f"staff {staff.name!r}: the only active admin; make another admin first")
