"""Real SMTP servers on 127.0.0.1 for the mail tests: a good one (aiosmtpd) and three bad ones.

The good server keeps every accepted message in ``log`` (and, when given a
file, appends each Message-ID to it, so another process's deliveries can be
counted). The bad ones refuse at the greeting, never answer, or hang up in
the middle of a message.
"""

from __future__ import annotations

import email
import socket
import socketserver
import ssl
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Callable

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "boxoffice", "s3cret-mail-password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Recorder:
    """The aiosmtpd handler: accept every message and remember it."""

    log_file: Path | None = None
    on_data: Callable[[int], None] | None = None
    on_rcpt: Callable[[int], None] | None = None
    log: list[EmailMessage] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    rcpts_seen: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpts_seen += 1
        if self.on_rcpt:
            self.on_rcpt(self.rcpts_seen)
        if address.endswith("@refused.example"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.log.append(message)
        self.recipients.extend(envelope.rcpt_tos)
        if self.log_file:
            with self.log_file.open("a") as fh:
                fh.write(f"{message['Message-ID']}\n")
        if self.on_data:
            self.on_data(len(self.log))
        return "250 Message accepted for delivery"

    def bodies(self, part: str = "plain") -> list[str]:
        return [m.get_body((part,)).get_content() for m in self.log]


def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


def start_server(recorder: Recorder, *, tls: ssl.SSLContext | None = None, starttls: ssl.SSLContext | None = None,
                 login: bool = False) -> Controller:
    """A running aiosmtpd on 127.0.0.1; ``tls`` for implicit TLS, ``starttls`` to offer and require STARTTLS."""
    kwargs = {}
    if starttls is not None:
        kwargs.update(tls_context=starttls, require_starttls=True)
    if login:
        kwargs.update(authenticator=authenticate, auth_required=True, auth_require_tls=starttls is not None)
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port(), ssl_context=tls, **kwargs)
    controller.start()
    return controller


class _Bad(socketserver.BaseRequestHandler):
    def handle(self):
        behaviour = self.server.behaviour
        self.server.connections += 1
        if behaviour == "refuse":
            self.request.sendall(b"554 5.3.2 not accepting mail now\r\n")
            return
        if behaviour == "silent":
            self.server.done.wait(10)
            return
        self.request.sendall(b"220 flaky ESMTP\r\n")
        reader = self.request.makefile("rb")
        for line in reader:
            command = line.strip().upper()
            if command.startswith((b"EHLO", b"HELO")):
                self.request.sendall(b"250 flaky\r\n")
            elif command.startswith(b"RCPT") and behaviour == "drop":
                return  # hang up in the middle of a message
            elif command == b"DATA":
                self.request.sendall(b"354 go ahead\r\n")
                while reader.readline() not in (b".\r\n", b""):
                    pass
                return  # took the whole message, and hung up without answering
            else:
                self.request.sendall(b"250 OK\r\n")


class BadServer(socketserver.ThreadingTCPServer):
    """``refuse`` (554 greeting), ``silent`` (never answers), ``drop`` (hangs up in the middle of a message)
    or ``mute`` (takes a whole message and hangs up without saying whether it accepted it)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, behaviour: str):
        super().__init__(("127.0.0.1", free_port()), _Bad)
        self.behaviour, self.connections, self.done = behaviour, 0, threading.Event()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def close(self) -> None:
        self.done.set()
        self.shutdown()
        self.server_close()
