"""Mail tests: a festival (from the matching tests) and a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import dataclasses

import pytest

from gbetix_core.config import MailConfig
from tests.core.matching.festival import Festival
from tests.core.mail.smtp_servers import Recorder, start_server


@pytest.fixture
def festival(db) -> Festival:
    return Festival()


@pytest.fixture
def smtp():
    """A plain SMTP server that accepts everything; ``smtp.recorder.log`` holds what it accepted."""
    recorder = Recorder()
    controller = start_server(recorder)
    yield SmtpSetup(recorder, MailConfig(backend="smtp", host="127.0.0.1", port=controller.port, security="none",
                                         retry_backoff=1.0))
    controller.stop()


@dataclasses.dataclass
class SmtpSetup:
    recorder: Recorder
    settings: MailConfig


def with_mail(festival: Festival, settings: MailConfig, **changes):
    """The festival's config with these mail settings."""
    return dataclasses.replace(festival.config, mail=dataclasses.replace(settings, **changes))
