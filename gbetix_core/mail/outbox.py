"""Queue messages inside the event's transaction, and read the outbox back.

Nothing here talks to a mail server: a message is a row, so an event and its
message commit (or roll back) together, and a mail server being down never
stops a transfer or a decision.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any, Sequence

from peewee import fn

from gbetix_core.errors import InputError
from gbetix_core.models import OutboxKey, OutboxMessage, User
from gbetix_core.models.base import utcnow
from gbetix_core.models.mail import OUTBOX_STATUSES


def enqueue(kind: str, to_email: str, context: dict[str, Any], *, to_name: str = "", user: User | int | None = None,
            subjects: Sequence[str] = ()) -> OutboxMessage | None:
    """Queue one message; call it inside the event's ``write()`` transaction.

    ``subjects`` are the purchases (BPT confirmation numbers, or ``#order``)
    the message is about. The person is mailed about each subject at most once
    per kind: when every subject was already covered, nothing is queued and
    None comes back. The keys are inserted with ON CONFLICT DO NOTHING and read
    back, so two terminals racing on the same event queue one message, not two.
    """
    email = to_email.strip().lower()
    message = OutboxMessage.create(kind=kind, to_email=email, to_name=to_name or "", user=user,
                                   context=json.dumps(context, default=str, sort_keys=True), token=uuid.uuid4().hex)
    if not subjects:
        return message
    for subject in dict.fromkeys(subjects):
        OutboxKey.insert(kind=kind, subject=subject, email=email, message=message.id).on_conflict_ignore().execute()
    if not OutboxKey.select().where(OutboxKey.message == message.id).exists():
        message.delete_instance()
        return None
    return message


@dataclass(frozen=True)
class OutboxLine:
    """One message as ``gbetix mail list`` and the app show it."""

    id: int
    kind: str
    to: str
    status: str
    attempts: int
    created_at: Any
    sent_at: Any
    last_error: str | None

    def line(self) -> str:
        when = f"sent {self.sent_at:%Y-%m-%d %H:%M}" if self.sent_at else f"queued {self.created_at:%Y-%m-%d %H:%M}"
        tries = f", {self.attempts} attempt(s)" if self.attempts else ""
        error = f": {self.last_error}" if self.last_error else ""
        return f"{self.id:>6}  {self.status:<8} {self.kind:<16} {self.to}  ({when}{tries}){error}"


def list_outbox(status: str | None = None, limit: int = 100) -> list[OutboxLine]:
    """The newest messages first, optionally of one status."""
    if status is not None and status not in OUTBOX_STATUSES:
        raise InputError(f"Status must be one of {', '.join(OUTBOX_STATUSES)} (got {status!r}).")
    query = OutboxMessage.select().order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    return [OutboxLine(m.id, m.kind, f"{m.to_name} <{m.to_email}>" if m.to_name else m.to_email, m.status,
                       m.attempts, m.created_at, m.sent_at, m.last_error) for m in query]


def counts() -> dict[str, int]:
    """How many messages are in each status (for a status bar or a summary line)."""
    found = dict.fromkeys(OUTBOX_STATUSES, 0)
    for status, count in OutboxMessage.select(OutboxMessage.status, fn.COUNT(OutboxMessage.id)).group_by(
            OutboxMessage.status).tuples():
        found[status] = count
    return found


def requeue_stale(now=None) -> int:
    """Put back messages whose sender died before their commit point; returns how many.

    A ``sending`` row with an expired lease never reached the point where the
    sender marks it sent just before ending the SMTP message, so the server
    discarded the unfinished message and sending it again cannot duplicate it.
    """
    now = now or utcnow()
    return (OutboxMessage.update(status="pending", lease=None, lease_until=None)
            .where((OutboxMessage.status == "sending") & (OutboxMessage.lease_until < now)).execute())
