"""Who may do what. The core checks; the faces only use :func:`can` to decide what to offer.

Roles are ranked: a role may do everything a weaker role may.
"""

from __future__ import annotations

from gbetix_core.errors import PermissionDenied
from gbetix_core.models.people import ROLES, Staff

ACTIONS = {
    "checkin": "door",
    "claim": "door",
    "sell": "boxoffice",
    "transfer": "boxoffice",
    "sync": "boxoffice",
    "mail": "boxoffice",
    "reserve": "boxoffice",
    "count_drawer": "boxoffice",
    "comp": "manager",
    "override_cap": "manager",
    "refund": "manager",
    "move_sale": "manager",
    "backdate": "manager",
    "see_promo_codes": "manager",
    "setup": "manager",
    "map_bpt": "manager",
    "decide_match": "admin",
    "manage_staff": "admin",
    "merge_users": "admin",
}


def rank(role: str) -> int:
    return ROLES.index(role)


def can(staff: Staff | None, action: str) -> bool:
    """True when ``staff`` is active and its role reaches the one ``action`` needs."""
    needed = ACTIONS[action]
    return bool(staff and staff.active and rank(staff.role) >= rank(needed))


def require(staff: Staff | None, action: str) -> None:
    """Raise PermissionDenied, in words for the operator, unless ``staff`` may do ``action``."""
    if can(staff, action):
        return
    needed = ACTIONS[action]
    who = f"{staff.name} ({staff.role})" if staff else "An unknown operator"
    raise PermissionDenied(f"{who} may not {action.replace('_', ' ')}: it needs the {needed} role or higher.")
