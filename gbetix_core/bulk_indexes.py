"""Indexes a first sync sets aside on SQLite: built once after its lines are in, not kept up batch by batch.

A first sync writes 100,000 lines in about two hundred short transactions,
so that a sale in another terminal never waits long for the write lock. An
index whose keys fall all over the table (a ticket's holder, a buyer's email,
a tracker, a match's user or score) has most of its pages rewritten by every
one of them, and each commit copies every page it rewrote into the WAL:
measured at 100,000 lines, keeping the six indexes below up cost a first sync
0.5 to 3 s (the more, the busier the disk), and building them afterwards
0.4 s. So a sync whose event
arrives with many lines and none stored yet drops them (one short
transaction) and builds them again when it ends, each in a transaction of its
own; meanwhile a query that would use one reads its table through (tens of
milliseconds at that size). Unique indexes stay: they keep lines from being
stored twice.

What was set aside is written down (the :class:`Setting` ``SETTING``: each
index's name and its own ``CREATE INDEX``) in the transaction that drops it,
and crossed off in the one that builds it again, so a sync killed between the
two leaves the record, and the next sync builds them before anything else.

PostgreSQL keeps them: dropping an index there locks its table against every
reader until the transaction ends, and its server keeps them up on a core of
its own.
"""

from __future__ import annotations

import json
import logging

from peewee import SqliteDatabase

from gbetix_core.db import database, write
from gbetix_core.models import BptEvent, Purchase, Setting

log = logging.getLogger(__name__)

SETTING = "indexes_set_aside"
# Non-unique indexes on the tables a sync fills whose keys are in no order the sync writes in.
RANDOM_KEYED = ("item_owner_id", "purchaser_email", "purchase_tracker", "purchasematch_user_id",
                "purchase_match_status_score_purchase_id", "matchcandidate_user_id")
# An event's orderlist this large (about 5,000 lines) is worth building the indexes again for.
BULK_BYTES = 4_000_000


def worth_setting_aside(event_id: str, feed_bytes: int) -> bool:
    """Whether an event's lines are better loaded with the indexes set aside: on SQLite, many lines, none of the
    event's stored yet (a first sync). The cheap tests first: most syncs ask no query here."""
    if feed_bytes < BULK_BYTES or not isinstance(database.obj, SqliteDatabase):
        return False
    return not Purchase.select().join(BptEvent).where(BptEvent.event_id == event_id).exists()


def set_aside() -> None:
    """Drop the random-keyed indexes, writing down how each was made; those already set aside stay so."""
    with write():
        held = _held()
        found = dict(database.obj.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN "
            f"({', '.join('?' for _ in RANDOM_KEYED)})", RANDOM_KEYED).fetchall())
        if not found:
            return
        Setting.insert(key=SETTING, value=json.dumps(held | found)).on_conflict_replace().execute()
        for name in found:
            database.obj.execute_sql(f'DROP INDEX "{name}"')
    log.info("set aside %d indexes for a first sync: %s", len(found), ", ".join(found))


def build_again() -> None:
    """Build every index set aside (by this sync, or by one that was killed), each in a transaction of its own."""
    if not isinstance(database.obj, SqliteDatabase) or not _held():  # read without the write lock: mostly nothing
        return
    while build_one():
        pass


def build_one() -> bool:
    """Build one index set aside and cross it off; False when none is left."""
    with write():
        held = _held()
        if not held:
            return False
        name, sql = next(iter(held.items()))
        database.obj.execute_sql(sql.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
        del held[name]
        if held:
            Setting.update(value=json.dumps(held)).where(Setting.key == SETTING).execute()
        else:
            Setting.delete().where(Setting.key == SETTING).execute()
    return True


def _held() -> dict[str, str]:
    """The indexes set aside and not built again yet: name to its CREATE INDEX statement."""
    row = Setting.get_or_none(Setting.key == SETTING)
    return json.loads(row.value) if row else {}
