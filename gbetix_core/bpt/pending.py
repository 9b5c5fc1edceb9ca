"""Purchases stored but not matched yet: what makes matching durable across killed syncs.

The importer sets ``Purchase.needs_match`` in the transaction that stores or
changes a line. It is cleared in the transaction that stores what matching
decided for the line (the engine does so chunk by chunk), and by the sync, once
matching has returned, for what its matching hook left flagged. A sync killed
anywhere in between (importing, matching, moving tickets) leaves the flag set
on every line whose decision was not committed, and the next sync (or the
worker's next start) matches those purchases before anything else. Matching
twice is harmless: the engine writes only what changed and never touches a
person's decision.
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

    The engine clears the flag itself as it stores each chunk (:func:`clear`), so this is mostly a read. It clears
    what a sync's ``after_import`` left flagged (one that does not store what it decides: a script's), and gives
    their waiting tickets to the daemon first, in the same transaction: once the flag is cleared, nothing would
    issue them.
    """
    ids = set(purchase_ids)
    flagged = [pid for pid in awaiting_match() if pid in ids]
    for start in range(0, len(flagged), CHUNK):
        chunk = flagged[start:start + CHUNK]
        with write():
            unissued.issue(dict.fromkeys(chunk))
            clear(chunk)


def clear(purchase_ids: Sequence[int]) -> None:
    """Note these purchases as matched; call in the transaction that stores what matching decided for them, so a
    sync killed a moment later does not match them again."""
    Purchase.update(needs_match=None).where(ids_in(Purchase.id, purchase_ids)
                                            & (Purchase.needs_match == True)).execute()  # noqa: E712
