"""Deliver the outbox: claim due messages with a lease, send each over SMTP, mark it at the commit point.

The guarantee, honestly: a message is marked ``sent`` in the database in the
instant before the line that ends it (".") is written to the server, with a
check that this sender still holds its lease (a compare-and-set). Killed
before that mark, the sender leaves the message ``sending``; the server never
saw its end and discards it, and once the lease runs out the message is sent
again, with the same Message-ID. Killed after the mark, the message is with
the server and is not sent again. Two senders never both end one message:
the second one's compare-and-set fails and it abandons the message unfinished.

What remains: a crash in the microseconds between that commit and writing
five bytes to the socket loses the message (it is marked sent but the server
never finishes it), and if the server refuses a message after its end while
the sender dies before reading the refusal, it is marked sent too. Both err
towards not sending twice. A refusal that is read is put back for a retry
(4xx) or marked failed (5xx), and so is any failure before the end.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr

from peewee import DoesNotExist

from gbetix_core import db
from gbetix_core.config import Config, MailConfig
from gbetix_core.mail import templates
from gbetix_core.mail.outbox import requeue_stale
from gbetix_core.mail.smtp import Abandoned, AnswerLost, Connection, SmtpProblem
from gbetix_core.matching import claim_codes
from gbetix_core.models import OutboxMessage
from gbetix_core.models.base import utcnow


@dataclass
class Delivery:
    """What one round of sending did."""

    sent: int = 0
    retry: int = 0
    failed: int = 0
    waiting: int = 0
    limited: bool = False
    problems: list[str] = field(default_factory=list)

    def text(self) -> str:
        text = f"{self.sent} sent, {self.retry} to retry, {self.failed} failed, {self.waiting} waiting"
        if self.limited:
            text += " (hourly limit reached)"
        return text + "".join(f"\n  {p}" for p in dict.fromkeys(self.problems))


def deliver(config: Config, now: dt.datetime | None = None) -> Delivery:
    """Send what is due, up to ``[mail] batch_size`` and the hourly limit; nothing with ``outbox-only``."""
    settings = config.mail
    result = Delivery()
    with db.write():
        requeue_stale(now)
    if settings.backend == "outbox-only":
        result.waiting = _waiting()
        return result
    env = templates.environment(settings)  # a bad template folder stops here, before anything is claimed
    lease = uuid.uuid4().hex
    claimed, result.limited = _claim(settings, lease, now or utcnow())
    if claimed:
        _send_all(config, env, claimed, lease, result)
    result.waiting = _waiting()
    return result


def _waiting() -> int:
    return OutboxMessage.select().where(OutboxMessage.status == "pending").count()


def _claim(settings: MailConfig, lease: str, now: dt.datetime) -> tuple[list[OutboxMessage], bool]:
    """Mark up to a batch of due messages ``sending`` under this sender's lease; (claimed, hourly limit hit)."""
    with db.write():
        sent_last_hour = OutboxMessage.select().where(OutboxMessage.sent_at >= now - dt.timedelta(hours=1)).count()
        room = min(settings.batch_size, settings.per_hour - sent_last_hour)
        if room <= 0:
            return [], True
        due = list(db.locked(OutboxMessage.select().where(
            (OutboxMessage.status == "pending") & (OutboxMessage.next_attempt_at <= now))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(room)))
        if due:
            until = now + dt.timedelta(seconds=settings.lease_seconds)
            OutboxMessage.update(status="sending", lease=lease, lease_until=until).where(
                OutboxMessage.id.in_([m.id for m in due])).execute()
    return due, False


def _send_all(config: Config, env, claimed: list[OutboxMessage], lease: str, result: Delivery) -> None:
    settings = config.mail
    left = list(claimed)
    try:
        with Connection(settings) as connection:
            while left and connection.is_open:
                message = left.pop(0)
                _send_one(config, env, connection, message, lease, result)
    except SmtpProblem as exc:
        result.problems.append(str(exc))
        for message in left:
            _retry_later(settings, message, lease, str(exc), result)
        return
    for message in left:
        _unsent(message, lease, status="pending")


def _send_one(config: Config, env, connection: Connection, message: OutboxMessage, lease: str,
              result: Delivery) -> None:
    settings = config.mail
    try:
        email = build(config, env, message)
    except templates.TemplateError as exc:
        _fail(message, lease, str(exc), result)
        return
    except (DoesNotExist, KeyError, ValueError) as exc:
        _fail(message, lease, f"cannot build the message: {type(exc).__name__}: {exc}", result)
        return
    committed = False

    def commit() -> bool:
        nonlocal committed
        committed = _mark_sent(message, lease)
        return committed

    try:
        connection.send(email, parseaddr(settings.sender)[1], message.to_email, before_end=commit)
    except Abandoned:
        return
    except AnswerLost as exc:
        _note(message, f"sent; the server's answer was lost ({exc}), so it may have been delivered")
        result.sent += 1
        return
    except SmtpProblem as exc:
        result.problems.append(f"message {message.id} to {message.to_email}: {exc}")
        held = None if committed else lease
        if exc.permanent:
            _fail(message, held, str(exc), result)
        else:
            _retry_later(settings, message, held, str(exc), result)
        return
    result.sent += 1


def build(config: Config, env, message: OutboxMessage) -> EmailMessage:
    """The email for one outbox row: headers, plain text and HTML alternatives."""
    settings = config.mail
    context = json.loads(message.context)
    context.setdefault("to_name", message.to_name)
    context.setdefault("email", message.to_email)
    if message.kind == "claim_code":
        context["code"] = claim_codes.mailed_code(config, context["claim_code"])
    rendered = templates.render(env, settings, message.kind, context)
    email = EmailMessage()
    email["From"] = settings.sender
    email["To"] = formataddr((message.to_name, message.to_email)) if message.to_name else message.to_email
    email["Subject"] = rendered.subject
    email["Date"] = formatdate(localtime=False, usegmt=True)
    email["Message-ID"] = message_id(message, settings)
    email.set_content(rendered.text)
    email.add_alternative(rendered.html, subtype="html")
    return email


def message_id(message: OutboxMessage, settings: MailConfig) -> str:
    """The same for every attempt at one outbox row, so a receiver can tell a re-send from a new message."""
    domain = parseaddr(settings.sender)[1].rpartition("@")[2] or "gbetix.invalid"
    return f"<outbox.{message.id}.{message.token}@{domain}>"


def _mark_sent(message: OutboxMessage, lease: str) -> bool:
    """The commit point: sent, if this sender still holds the lease (else another sender took it over)."""
    with db.write():
        changed = (OutboxMessage.update(status="sent", sent_at=utcnow(), lease=None, lease_until=None,
                                        attempts=OutboxMessage.attempts + 1, last_error=None)
                   .where((OutboxMessage.id == message.id) & (OutboxMessage.status == "sending")
                          & (OutboxMessage.lease == lease)).execute())
    return changed == 1


def _unsent(message: OutboxMessage, lease: str | None, **changes) -> None:
    """Take back a message this sender holds: by its lease before the end, or its sent mark when refused after.

    Messages never tried (the connection closed earlier in the batch) come back with only ``status``.
    """
    held = (OutboxMessage.lease == lease) if lease else (OutboxMessage.status == "sent")
    with db.write():
        OutboxMessage.update(lease=None, lease_until=None, sent_at=None, **changes).where(
            (OutboxMessage.id == message.id) & held).execute()


def _retry_later(settings: MailConfig, message: OutboxMessage, lease: str | None, error: str, result: Delivery) -> None:
    attempts = message.attempts + 1
    if attempts >= settings.max_attempts:
        _fail(message, lease, f"gave up after {attempts} attempts: {error}", result)
        return
    wait = min(settings.retry_backoff * 2 ** (attempts - 1), settings.retry_backoff_max)
    _unsent(message, lease, status="pending", attempts=attempts, last_error=error,
            next_attempt_at=utcnow() + dt.timedelta(seconds=wait))
    result.retry += 1


def _fail(message: OutboxMessage, lease: str | None, error: str, result: Delivery) -> None:
    _unsent(message, lease, status="failed", attempts=message.attempts + 1, last_error=error)
    result.failed += 1


def _note(message: OutboxMessage, text: str) -> None:
    with db.write():
        OutboxMessage.update(last_error=text).where(OutboxMessage.id == message.id).execute()
