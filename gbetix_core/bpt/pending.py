"""Purchases stored but not matched yet: what makes matching durable across killed syncs.

The importer sets ``Purchase.needs_match`` in the transaction that stores or
changes a line; the sync clears it only after matching has run over the line
and returned. A
sync killed anywhere in between (importing, matching, moving tickets) leaves
the flag set, and the next sync (or the worker's next start) matches those
purchases before anything else. Matching twice is harmless: the engine
writes only what changed and never touches a person's decision.
"""

from __future__ import annotations

from typing import Sequence

from gbetix_core.bpt import unissued
from gbetix_core.db import ids_in, write
from gbetix_core.models import Purchase

CHUNK = 5_000  # purchases per write transaction: each holds SQLite's write lock about 20 ms


def awaiting_match() -> list[int]:
    """Ids of every purchase stored or changed since matching last ran over it."""
    return [row[0] for row in Purchase.select(Purchase.id).where(Purchase.needs_match == True)  # noqa: E712
            .order_by(Purchase.id).tuples()]


def mark_matched(purchase_ids: Sequence[int]) -> None:
    """Matching has run over these purchases and committed: a later sync need not match them again.

    Tickets a sync's ``after_import`` left waiting (one that does not decide them all: a script's) go to the
    daemon first, in the same transaction: once the flag is cleared, nothing would issue them.
    """
    ids = list(purchase_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        with write():
            unissued.issue(dict.fromkeys(chunk))
            Purchase.update(needs_match=None).where(ids_in(Purchase.id, chunk)).execute()
