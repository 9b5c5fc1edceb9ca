"""One SMTP connection (plain, STARTTLS or TLS, with login) that ends each message at a commit point.

smtplib's ``send_message`` writes a message and the line that ends it (".")
in one go. Here the message is written first, then ``before_end`` is called,
and only if it says yes is the final "." written. The sender marks the
message sent in ``before_end``: a sender killed before that mark never
finished the message (the server discards a message without its "."), and a
sender killed after it has handed the message over, so it is not sent again.
"""

from __future__ import annotations

import re
import select
import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from typing import Callable

from gbetix_core.config import MailConfig

LEADING_DOT = re.compile(rb"(?m)^\.")


class SmtpProblem(Exception):
    """The server or the network failed; ``permanent`` when retrying this message cannot help (5xx)."""

    def __init__(self, text: str, permanent: bool = False):
        super().__init__(text)
        self.permanent = permanent


class Abandoned(Exception):
    """``before_end`` said no (another sender took the message over); the message was not finished."""


class Connection:
    """An open, logged-in SMTP session; use as a context manager."""

    def __init__(self, settings: MailConfig):
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Connection:
        try:
            self.smtp = self._open()
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise SmtpProblem(f"cannot reach {self.settings.host}:{self.settings.port}: {_describe(exc)}") from None
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context(cafile=s.ca_file or None)
        if s.security == "tls":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        self.smtp = smtp
        smtp.ehlo()
        if s.security == "starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
        if s.username:
            smtp.login(s.username, s.password())
        return smtp

    @property
    def is_open(self) -> bool:
        return self.smtp is not None

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.close()
            except OSError:
                pass
            self.smtp = None

    def send(self, message: EmailMessage, sender: str, recipient: str, before_end: Callable[[], bool]) -> str:
        """Send one message; returns the server's answer. Raises SmtpProblem, or Abandoned before the end."""
        smtp = self.smtp
        assert smtp is not None, "use Connection as a context manager"
        try:
            self._expect(smtp.mail(sender), 250, "MAIL FROM")
            self._expect(smtp.rcpt(recipient), (250, 251), f"RCPT TO <{recipient}>")
            self._expect(smtp.docmd("DATA"), 354, "DATA")
            smtp.send(_dot_stuffed(message))
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise SmtpProblem(_describe(exc)) from None
        if not before_end():
            self.close()
            raise Abandoned()
        return self._finish(smtp)

    def _finish(self, smtp: smtplib.SMTP) -> str:
        """Write the final "." and read the answer: the only step after the commit point."""
        if _hung_up(smtp):
            self.close()
            raise SmtpProblem("the server hung up before the end of the message")
        try:
            smtp.send(b".\r\n")
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise SmtpProblem(f"connection lost before the end of the message: {_describe(exc)}") from None
        try:
            code, answer = smtp.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise AnswerLost(_describe(exc)) from None
        if code != 250:
            raise SmtpProblem(f"message refused: {code} {answer.decode(errors='replace')}", permanent=code >= 500)
        return answer.decode(errors="replace")

    def _expect(self, reply: tuple[int, bytes], wanted: int | tuple[int, ...], step: str) -> None:
        code, answer = reply
        if code not in (wanted if isinstance(wanted, tuple) else (wanted,)):
            if self.smtp is not None:
                self._reset()
            raise SmtpProblem(f"{step}: {code} {answer.decode(errors='replace')}", permanent=code >= 500)

    def _reset(self) -> None:
        try:
            self.smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.close()


class AnswerLost(SmtpProblem):
    """The message was ended but the server's answer never came: it may well have been delivered."""


def _hung_up(smtp: smtplib.SMTP) -> bool:
    """True when the server already closed the connection (or spoke, which it never does in the middle of a
    message but to say goodbye): then the end must not be counted as sent. TLS housekeeping (a session
    ticket) can make the socket readable without a word from the server, so a read is tried to tell."""
    sock = smtp.sock
    if sock is None:
        return True
    if not (select.select([sock], [], [], 0)[0] or (isinstance(sock, ssl.SSLSocket) and sock.pending())):
        return False
    timeout = sock.gettimeout()
    sock.setblocking(False)
    try:
        sock.recv(1)
        return True
    except (ssl.SSLWantReadError, BlockingIOError):
        return False
    except OSError:
        return True
    finally:
        sock.settimeout(timeout)


def _dot_stuffed(message: EmailMessage) -> bytes:
    """The message as SMTP carries it (CRLF lines, leading dots doubled), ending with CRLF."""
    data = LEADING_DOT.sub(b"..", message.as_bytes(policy=SMTP_POLICY))
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timed out"
    if isinstance(exc, smtplib.SMTPResponseException):
        words = exc.smtp_error
        return f"{exc.smtp_code} {words.decode(errors='replace') if isinstance(words, bytes) else words}"
    return str(exc) or type(exc).__name__
