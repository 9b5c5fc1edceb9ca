"""When mail goes out: after every BPT sync (the app's and ``gbetix sync``'s worker), or ``gbetix mail send``.

A round first queues what time has made due (purchases still unmatched
after the grace period), then delivers what is due. ``watch`` repeats rounds
until told to stop, stopping only between messages, never inside one.
"""

from __future__ import annotations

import threading
from typing import Callable

from gbetix_core.config import Config
from gbetix_core.mail import notices
from gbetix_core.mail.sender import Delivery, deliver


def mail_round(config: Config) -> Delivery:
    """Queue the unmatched-purchase notices now due, then send a batch (nothing with ``outbox-only``)."""
    notices.unmatched_after_grace(config.mail.unmatched_grace_hours, buyers=config.mail.batch_size)
    return deliver(config)


def watch(config: Config, stop: threading.Event, report: Callable[[Delivery], None] = lambda d: None) -> None:
    """Rounds every ``[mail] poll_interval`` seconds (at once again while a full batch went out) until ``stop``."""
    while not stop.is_set():
        delivery = mail_round(config)
        report(delivery)
        busy = delivery.sent >= config.mail.batch_size and not delivery.limited
        if not busy:
            stop.wait(config.mail.poll_interval)
