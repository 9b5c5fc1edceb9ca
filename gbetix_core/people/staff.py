"""Staff operators: who runs the box office, and with which role."""

from __future__ import annotations

from gbetix_core import audit
from gbetix_core.db import write
from gbetix_core.errors import InputError, NotFound
from gbetix_core.models.people import ROLES, Staff


def add_staff(name: str, role: str, by: Staff | None = None) -> Staff:
    """Create an operator, or change the role of an existing one (re-activating it)."""
    name = name.strip()
    if not name:
        raise InputError("A staff name cannot be empty.")
    if role not in ROLES:
        raise InputError(f"Unknown role {role!r}: choose one of {', '.join(ROLES)}.")
    with write():
        staff = Staff.get_or_none(Staff.name == name)
        before = {"role": staff.role, "active": staff.active} if staff else None
        if staff is None:
            staff = Staff.create(name=name, role=role)
        else:
            staff.role, staff.active = role, True
            staff.save()
        audit.record("staff.add", staff=by, subject=f"staff:{name}", before=before, after={"role": role})
    return staff


def get_staff(name: str) -> Staff:
    staff = Staff.get_or_none((Staff.name == name) & (Staff.active == True))  # noqa: E712
    if staff is None:
        raise NotFound(f"No active staff member called {name!r}. Add one with: gbetix staff add NAME --role ROLE")
    return staff


def list_staff() -> list[Staff]:
    return list(Staff.select().where(Staff.active == True).order_by(Staff.name))  # noqa: E712
