"""The mail path: STARTTLS or TLS with login; servers that refuse, time out or hang up: nothing lost, nothing twice."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import trustme

from gbetix_core.config import Config, MailConfig
from gbetix_core.db import write
from gbetix_core.errors import ConfigError
from gbetix_core.mail.outbox import enqueue, list_outbox
from gbetix_core.mail.sender import Delivery, _claim, _send_all, deliver
from gbetix_core.mail.templates import environment
from gbetix_core.models import OutboxMessage
from gbetix_core.models.base import utcnow
from tests.core.mail.smtp_servers import PASSWORD, USER, BadServer, Recorder, start_server


def queue_status_messages(count: int) -> None:
    with write():
        for n in range(count):
            enqueue("status", f"person{n}@example.net", {"status": f"status number {n}"}, to_name=f"Person {n}")


@pytest.fixture
def certificates(tmp_path):
    ca = trustme.CA()
    server = ca.issue_cert("127.0.0.1", "localhost")
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return ca, server, ca_file


def server_context(server_cert):
    import ssl
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_cert.configure_cert(context)
    return context


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # implicit TLS is TLS
@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_delivery_over_starttls_or_tls_with_a_login_from_the_environment(db, certificates, monkeypatch, security):
    _, server_cert, ca_file = certificates
    recorder = Recorder()
    context = server_context(server_cert)
    controller = start_server(recorder, login=True, **({"starttls": context} if security == "starttls"
                                                      else {"tls": context}))
    monkeypatch.setenv("GBETIX_MAIL_PASSWORD", PASSWORD)
    settings = MailConfig(backend="smtp", host="127.0.0.1", port=controller.port, security=security,
                          username=USER, ca_file=str(ca_file))
    try:
        queue_status_messages(2)
        assert deliver(Config(mail=settings)).sent == 2
        monkeypatch.setenv("GBETIX_MAIL_PASSWORD", "wrong")
        queue_status_messages(1)
        refused = deliver(Config(mail=settings))
    finally:
        controller.stop()
    assert len(recorder.log) == 2
    assert (refused.sent, refused.retry) == (0, 1) and "535" in refused.problems[0]


def test_the_password_can_come_from_a_file_and_never_from_the_database(db, tmp_path):
    secret = tmp_path / "mail.password"
    secret.write_text(PASSWORD + "\n")
    assert MailConfig(password_file=str(secret)).password() == PASSWORD
    with pytest.raises(ConfigError, match="password_file"):
        MailConfig(password_file=str(tmp_path / "missing")).password()


@pytest.mark.parametrize("behaviour", ["refuse", "silent", "drop"])
def test_a_server_that_refuses_times_out_or_hangs_up_loses_nothing_and_sends_nothing_twice(db, behaviour):
    bad = BadServer(behaviour)
    settings = MailConfig(backend="smtp", host="127.0.0.1", port=bad.port, security="none", timeout=0.5,
                          retry_backoff=30.0)
    queue_status_messages(3)
    try:
        failed = deliver(Config(mail=settings))
    finally:
        bad.close()
    tried = 1 if behaviour == "drop" else 3  # a hang-up in a message leaves the rest of the batch untried
    assert (failed.sent, failed.retry) == (0, tried)
    assert {"refuse": "554", "silent": "timed out", "drop": "closed"}[behaviour] in " ".join(failed.problems).lower()
    rows = list(OutboxMessage.select().order_by(OutboxMessage.id))
    assert [(m.status, m.attempts) for m in rows] == [("pending", 1)] * tried + [("pending", 0)] * (3 - tried)
    assert all(m.next_attempt_at > utcnow() + dt.timedelta(seconds=25) for m in rows[:tried])
    recorder = Recorder()
    good = start_server(recorder)
    try:
        again = dataclasses.replace(settings, port=good.port)
        assert deliver(Config(mail=again)).sent == 3 - tried  # the ones tried are backing off
        assert deliver(Config(mail=again), now=utcnow() + dt.timedelta(seconds=31)).sent == tried
        assert deliver(Config(mail=again), now=utcnow() + dt.timedelta(hours=2)).sent == 0
    finally:
        good.stop()
    assert sorted(recorder.recipients) == [f"person{n}@example.net" for n in range(3)]


def test_a_message_whose_answer_never_comes_counts_as_sent_never_twice(db):
    mute = BadServer("mute")
    settings = MailConfig(backend="smtp", host="127.0.0.1", port=mute.port, security="none", timeout=0.5)
    queue_status_messages(1)
    try:
        result = deliver(Config(mail=settings))
    finally:
        mute.close()
    (line,) = list_outbox()
    assert (result.sent, line.status) == (1, "sent")
    assert "answer was lost" in line.last_error


def test_a_message_that_keeps_failing_is_marked_failed_and_a_refused_address_at_once(db, smtp):
    with write():
        enqueue("status", "nobody@refused.example", {"status": "x"})
    result = deliver(Config(mail=smtp.settings))
    assert (result.sent, result.failed) == (0, 1)
    assert list_outbox("failed")[0].last_error.startswith("RCPT TO <nobody@refused.example>: 550")
    queue_status_messages(1)
    dead = dataclasses.replace(smtp.settings, port=BadServer("refuse").port, max_attempts=2, retry_backoff=1.0)
    later = utcnow()
    for _ in range(2):
        later += dt.timedelta(seconds=5)
        deliver(Config(mail=dead), now=later)
    assert [line.last_error.startswith("gave up after 2 attempts") for line in list_outbox("failed")] == [True, False]


def test_the_hourly_limit_holds_the_rest_for_later(db, smtp):
    queue_status_messages(5)
    settings = dataclasses.replace(smtp.settings, per_hour=3)
    first = deliver(Config(mail=settings))
    second = deliver(Config(mail=settings))
    assert (first.sent, second.sent, second.limited, second.waiting) == (3, 0, True, 2)
    later = deliver(Config(mail=settings), now=utcnow() + dt.timedelta(hours=1, minutes=1))
    assert later.sent == 2 and len(smtp.recorder.log) == 5


def test_outbox_only_sends_nothing(db, smtp):
    queue_status_messages(2)
    result = deliver(Config(mail=dataclasses.replace(smtp.settings, backend="outbox-only")))
    assert (result.sent, result.waiting, smtp.recorder.log) == (0, 2, [])


def test_a_festival_template_replaces_the_shipped_one_and_a_broken_one_fails_its_message(db, smtp, tmp_path):
    (tmp_path / "status.subject.txt").write_text("Your {{ festival }} news")
    (tmp_path / "status.txt").write_text("Dear {{ to_name }}: {{ status }}")
    queue_status_messages(1)
    assert deliver(Config(mail=dataclasses.replace(smtp.settings, templates=str(tmp_path)))).sent == 1
    (message,) = smtp.recorder.log
    assert message["Subject"] == "Your Great Burlesque Expo news"
    assert message.get_body(("plain",)).get_content().strip() == "Dear Person 0: status number 0"
    assert "Great Burlesque Expo box office" in message.get_body(("html",)).get_content()
    (tmp_path / "status.txt").write_text("{{ no_such_fact }}")
    queue_status_messages(1)
    with pytest.raises(ConfigError, match="not a folder"):
        deliver(Config(mail=dataclasses.replace(smtp.settings, templates=str(tmp_path / "missing"))))
    assert list_outbox("pending")  # a bad folder claims nothing
    broken = deliver(Config(mail=dataclasses.replace(smtp.settings, templates=str(tmp_path))))
    assert broken.failed == 1 and "no_such_fact" in list_outbox("failed")[0].last_error


def test_a_sender_whose_lease_ran_out_abandons_its_messages_to_the_one_that_took_them_over(db, smtp):
    queue_status_messages(3)
    config = Config(mail=smtp.settings)
    slow, _ = _claim(smtp.settings, "slow-sender", utcnow())
    later = utcnow() + dt.timedelta(seconds=smtp.settings.lease_seconds + 1)
    assert deliver(config, now=later).sent == 3
    _send_all(config, environment(smtp.settings), slow, "slow-sender", Delivery())
    assert len(smtp.recorder.log) == 3 and smtp.recorder.rcpts_seen == 4  # the slow one got as far as one RCPT
    assert {m.status for m in OutboxMessage.select()} == {"sent"}
