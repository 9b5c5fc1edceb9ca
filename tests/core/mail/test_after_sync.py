"""The sync worker delivers mail after each run: buyers left unmatched are asked to claim, once."""

from __future__ import annotations

import dataclasses
from functools import partial

from gbetix_core.bpt.worker import SyncWorker
from gbetix_core.mail.rounds import mail_round
from gbetix_core.pipeline import after_purchases_imported
from tests.bpt_support import config, fake, festival as bpt_festival, line  # noqa: F401  (fixtures)
from tests.core.mail.smtp_servers import Recorder, start_server


def test_a_sync_queues_and_sends_the_unmatched_notices_in_the_same_worker(fake, bpt_festival):
    recorder = Recorder()
    controller = start_server(recorder)
    settings = config(fake.url)
    settings = dataclasses.replace(settings, mail=dataclasses.replace(
        settings.mail, backend="smtp", host="127.0.0.1", port=controller.port, security="none",
        unmatched_grace_hours=0))
    fake.dataset.add_orders([line(1, quantity=2), line(2)])
    worker = SyncWorker(settings, after_import=partial(after_purchases_imported, config=settings),
                        after_run=partial(mail_round, settings))
    try:
        worker.run_once()
        worker.run_once()
    finally:
        controller.stop()
    assert sorted(recorder.recipients) == ["buyer1@example.org", "buyer2@example.org"]

