"""Killing the sender mid-batch and starting it again delivers each message exactly once (by the server's log).

The sender runs as ``gbetix mail send --watch`` in its own process and is
killed with SIGKILL twice, at the two moments that matter: in the middle of a
message (after RCPT, before its end: the message was never finished, so it
must be sent again) and just after the server took a message whose answer the
sender never read (the message was delivered, so it must not be sent again).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gbetix_core import db as dbmod
from gbetix_core.db import write
from gbetix_core.mail.outbox import enqueue
from gbetix_core.models import OutboxMessage
from tests.core.mail.smtp_servers import Recorder, start_server

pytestmark = pytest.mark.slow
MESSAGES = 30
KILL_AT_RCPT, KILL_AT_DATA = 8, 20
PATIENCE = 120.0  # seconds before a hung sender fails the test (not a timing assertion)


def write_config(path: Path, db_url: str, port: int) -> Path:
    path.write_text(f"""
[database]
url = "{db_url}"

[mail]
backend = "smtp"
host = "127.0.0.1"
port = {port}
security = "none"
lease_seconds = 1.0
poll_interval = 0.2
retry_backoff = 0.2
batch_size = 10
""")
    return path


class Sender:
    """The ``gbetix mail send --watch`` process of the moment."""

    def __init__(self, config: Path):
        self.config, self.process = config, None

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "gbetix_core.cli", "--config", str(self.config),
                                         "mail", "send", "--watch"], stdout=subprocess.DEVNULL)

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)

    def wait_dead(self) -> None:
        self.process.wait(timeout=PATIENCE)


def wait_until_all_sent(db_url: str) -> None:
    """Once every row is sent no sender claims anything again, so the server's log is final."""
    database = dbmod.open_database(db_url, upgrade=False)
    deadline = time.monotonic() + PATIENCE
    while (OutboxMessage.select().where(OutboxMessage.status != "sent").exists()
           and time.monotonic() < deadline):
        time.sleep(0.2)
    database.close()


def test_killed_twice_mid_batch_each_message_reaches_the_server_exactly_once(db_url, tmp_path):
    database = dbmod.open_database(db_url, upgrade=False)
    with write():
        for n in range(MESSAGES):
            enqueue("status", f"person{n}@example.net", {"status": f"status number {n}"})
    database.close()
    log_file = tmp_path / "delivered.log"
    recorder = Recorder(log_file=log_file)
    controller = start_server(recorder)
    sender = Sender(write_config(tmp_path / "gbetix.toml", db_url, controller.port))
    recorder.on_rcpt = lambda n: sender.kill() if n == KILL_AT_RCPT else None
    recorder.on_data = lambda n: sender.kill() if n == KILL_AT_DATA else None
    try:
        for _ in range(2):
            sender.start()
            sender.wait_dead()
        sender.start()
        wait_until_all_sent(db_url)
    finally:
        sender.process.terminate()
        sender.process.wait(timeout=PATIENCE)
        controller.stop()
    delivered = log_file.read_text().split()
    assert len(delivered) == MESSAGES and len(set(delivered)) == MESSAGES
    database = dbmod.open_database(db_url, upgrade=False)
    assert {m.status for m in OutboxMessage.select()} == {"sent"}
    assert recorder.rcpts_seen == MESSAGES + 1  # the one killed after RCPT was sent again, nothing else
    database.close()
