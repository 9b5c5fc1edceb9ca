"""One function writes the audit log, so every decision, sale and check-in reads alike."""

from __future__ import annotations

import json
from typing import Any

from gbetix_core.errors import InputError
from gbetix_core.models import AuditEntry, Staff


def to_json(value: Any) -> str | None:
    """Serialise a before/after snapshot; dates and decimals become strings."""
    if value is None:
        return None
    return json.dumps(value, default=str, sort_keys=True)


def record(
    action: str,
    *,
    staff: Staff | None = None,
    subject: str | None = None,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
    operator: str | None = None,
) -> AuditEntry:
    """Append one entry; call it inside the transaction that makes the change."""
    return AuditEntry.create(
        staff=staff,
        operator=operator or (staff.name if staff else "system"),
        action=action,
        subject=subject,
        before=to_json(before),
        after=to_json(after),
        reason=reason,
    )


def required_reason(reason: str | None) -> str:
    """The reason a person gave for an audited change, stripped; refused when there is none."""
    reason = (reason or "").strip()
    if not reason:
        raise InputError("Give a reason: it goes to the audit log with your name.")
    return reason


def entries_for(subject: str) -> list[AuditEntry]:
    """The history of one subject (e.g. ``purchase:K48213377``), oldest first."""
    return list(AuditEntry.select().where(AuditEntry.subject == subject).order_by(AuditEntry.id))
