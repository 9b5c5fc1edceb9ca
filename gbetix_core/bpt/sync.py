"""A whole sync with BPT, recorded as a SyncRun: every event in short write transactions.

Full sync: eventlist, then per event its datelist, a pricelist per date, and
the orderlist with trackers. Everything of an event is downloaded before its
first transaction opens, so the box office is never kept waiting on the
network, and lines are written in small batches (:mod:`importer`). An event
that fails (vendor refusal, network, cut-off XML) keeps the batches already
committed, whole, and the sync goes on with the next;
the run ends ``ok`` (all imported), ``partial`` (something skipped or failed)
or ``failed`` (nothing could be imported).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import IO, Callable
from zoneinfo import ZoneInfo

from gbetix_core import bulk_indexes
from gbetix_core.bpt import unissued
from gbetix_core.bpt.client import BptClient
from gbetix_core.bpt.importer import EventFeed, EventResult, import_event
from gbetix_core.bpt.lock import acquire
from gbetix_core.bpt.pending import awaiting_match, mark_matched
from gbetix_core.config import Config
from gbetix_core.db import statistics_refreshed, write
from gbetix_core.errors import BptError, GbetixError
from gbetix_core.models import BptDate, BptEvent, BptPrice, SyncRun
from gbetix_core.models.base import utcnow

log = logging.getLogger(__name__)
COUNTS = ("new", "unchanged", "changed", "skipped", "gone")
HEARTBEAT_SECONDS = 5.0
MAX_WARNINGS = 200
HELD = "held"  # marks an event record standing in for BPT's, from the catalog of the last good sync


@dataclass(frozen=True)
class SyncProgress:
    """What a running sync is doing, for a live display."""

    phase: str  # "events", "fetch", "import", "done"
    event_id: str | None = None
    events_done: int = 0
    events_total: int = 0
    counts: dict[str, int] = field(default_factory=dict)


ProgressFn = Callable[[SyncProgress], None]
AfterImportFn = Callable[[list[int]], None]


def run_sync(
    config: Config,
    trigger: str = "manual",
    progress: ProgressFn | None = None,
    after_import: AfterImportFn | None = None,
    client: BptClient | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> SyncRun:
    """Run one full sync under the sync lock and return its SyncRun.

    Raises SyncBusy (and records nothing) when another sync holds the lock.
    ``after_import`` receives the ids of new or changed purchases after each
    event commits; an error it raises is recorded as a warning, never undoes
    the import. Purchases are noted as matched only once it returns: those an
    earlier run stored but did not get through it are handed to it first. ``should_stop`` is asked between events: a worker being shut
    down ends the run after the event in hand, recorded as ``partial``.
    """
    with acquire(config.bpt.lock_stale_after) as lock:
        lock.start_heartbeat(HEARTBEAT_SECONDS)
        _close_abandoned_runs()
        run = SyncRun.create(trigger=trigger)
        own_client = client is None
        client = client or BptClient(config.bpt)
        try:
            _Sync(config, run, client, progress or (lambda _p: None), after_import, should_stop).run()
        finally:
            if own_client:
                client.close()
    return SyncRun.get_by_id(run.id)


def held_events(wanted: tuple[str, ...] | list[str]) -> list[str]:
    """The BPT event ids a previous sync stored (those of ``[bpt] event_ids`` when it is set)."""
    query = BptEvent.select(BptEvent.event_id).order_by(BptEvent.event_id)
    if wanted:
        query = query.where(BptEvent.event_id.in_(list(wanted)))
    return [row[0] for row in query.tuples()]


def held_dates(event_id: str) -> list[str]:
    return [row[0] for row in BptDate.select(BptDate.date_id).join(BptEvent)
            .where(BptEvent.event_id == event_id).tuples()]


def held_prices(date_id: str) -> list[str]:
    return [row[0] for row in BptPrice.select(BptPrice.price_id).join(BptDate)
            .where(BptDate.date_id == date_id).tuples()]


def _capped(warnings: list[str]) -> list[str]:
    """The first MAX_WARNINGS warnings and a count of the rest: a broken price can skip thousands of lines."""
    if len(warnings) <= MAX_WARNINGS:
        return warnings
    return warnings[:MAX_WARNINGS] + [f"... and {len(warnings) - MAX_WARNINGS} more warnings like these"]


def _close_abandoned_runs() -> None:
    """Runs left "running" by a killed process: with the lock in hand, none of them is still going."""
    SyncRun.update(status="failed", finished_at=utcnow(),
                   error="interrupted: the process running this sync stopped before it finished").where(
        SyncRun.status == "running").execute()


class _Sync:
    def __init__(self, config: Config, run: SyncRun, client: BptClient, progress: ProgressFn,
                 after_import: AfterImportFn | None, should_stop: Callable[[], bool] | None):
        self.run_row, self.client, self.progress, self.after_import = run, client, progress, after_import
        self.should_stop = should_stop or (lambda: False)
        self.zone = ZoneInfo(config.bpt.order_time_zone)
        self.wanted = config.bpt.event_ids
        self.counts = dict.fromkeys(COUNTS, 0)
        self.warnings: list[str] = []
        self.errors: list[str] = []
        self.imported = 0
        self.waiting: list[int] = []
        self.aside = False  # whether this sync set indexes aside (see bulk_indexes)

    def run(self) -> None:
        try:
            bulk_indexes.build_again()  # those a killed sync left aside
            if self.after_import:
                self.waiting = awaiting_match()
            else:  # nobody will decide who holds them: the tickets an earlier sync left waiting go to the daemon
                with write():
                    unissued.issue_waiting()
            self.progress(SyncProgress("events", counts=dict(self.counts)))
            events = self._or_held("BPT's event list", self.client.events, held_events(self.wanted))
            if events is None:
                events = [{"event_id": event_id, HELD: True} for event_id in held_events(self.wanted)]
            listed = {event.get("event_id") for event in events}
            self.warnings += [f"event {event_id} of [bpt] event_ids is not among {self.client.config.client}'s "
                              "events at BPT; check the id" for event_id in self.wanted if event_id not in listed]
            for number, event in enumerate(events):
                if self.should_stop():
                    self.errors.append(f"stopped before event {event.get('event_id')}: the worker is shutting down")
                    break
                self._event(event, number, len(events))
            self._catch_up()
        except BptError as exc:
            self.errors.append(str(exc))
        except Exception as exc:
            log.exception("BPT sync failed")
            self.errors.append(f"the sync stopped on an unexpected error: {type(exc).__name__}: {exc}")
            raise
        except BaseException:
            self.errors.append("the sync was interrupted")
            raise
        finally:
            statistics_refreshed()  # an import's ANALYZE no matching waited for ends before the run does
            self._build_again()
            self._finish()

    def _catch_up(self) -> None:
        """Match what an earlier sync stored but was stopped before matching (killed, crashed, power cut).

        Purchases left waiting are matched with the first event that imports anything, in one call with
        its new purchases, so a sync killed mid-import ends as a clean run would (the engine learns its
        weights from the buyers it sees together); what is still waiting after the last event is
        matched here.
        """
        waiting, self.waiting = self.waiting, []
        if not waiting:
            return
        try:
            self.after_import(waiting)
        except Exception as exc:
            log.exception("matching purchases left by an earlier sync failed")
            self.warnings.append(f"matching {len(waiting)} purchases an earlier sync left unmatched failed: {exc}")
            return
        mark_matched(waiting)
        self._caught_up(waiting)

    def _caught_up(self, waiting: list[int]) -> None:
        if waiting:
            self.warnings.append(f"matched {len(waiting)} purchases an earlier sync stored but did not finish matching")

    def _event(self, event: dict, number: int, total: int) -> None:
        event_id = event.get("event_id") or "?"
        self.progress(SyncProgress("fetch", event_id, number, total, dict(self.counts)))
        try:
            data = self._fetch(event)
            try:
                self._set_aside_for(event_id, data.orders)
                self.progress(SyncProgress("import", event_id, number, total, dict(self.counts)))
                result = import_event(data, self.run_row.id, self.zone, issue_later=self.after_import is not None)
            finally:
                data.orders.close()
        except GbetixError as exc:  # BPT's failure, or the database kept busy by another terminal
            self.errors.append(f"event {event_id}: {exc}")
            return
        except Exception as exc:
            log.exception("importing BPT event %s failed", event_id)
            self.errors.append(f"event {event_id}: nothing imported, an unexpected error: {type(exc).__name__}: {exc}")
            return
        self.imported += 1
        self._add(result)
        self.progress(SyncProgress("import", event_id, number + 1, total, dict(self.counts)))
        if self.after_import and result.purchase_ids:
            fresh = set(result.purchase_ids)
            to_match = [pk for pk in self.waiting if pk not in fresh] + list(result.purchase_ids)
            try:
                self.after_import(to_match)
            except Exception as exc:
                log.exception("after_import failed")
                self.warnings.append(f"event {event_id}: imported, but matching the new purchases failed: {exc}")
            else:
                mark_matched(to_match)
                self._caught_up(self.waiting)
                self.waiting = []

    def _set_aside_for(self, event_id: str, orders: IO[bytes]) -> None:
        """Set the random-keyed indexes aside before the first event that brings many lines and has none stored."""
        if self.aside:
            return
        at = orders.tell()
        size = orders.seek(0, 2)
        orders.seek(at)
        if bulk_indexes.worth_setting_aside(event_id, size):
            bulk_indexes.set_aside()
            self.aside = True

    def _build_again(self) -> None:
        """Build the indexes this sync set aside. A failure is a warning: the next sync builds them."""
        if not self.aside:
            return
        try:
            bulk_indexes.build_again()
        except Exception as exc:
            log.exception("building the indexes set aside failed")
            self.warnings.append(f"building the indexes set aside for this sync failed ({exc}); the next sync "
                                 "builds them")

    def _fetch(self, event: dict) -> EventFeed:
        event_id = event["event_id"]
        dates = self._or_held(f"event {event_id}: BPT's date list", lambda: self.client.dates(event_id),
                              held_dates(event_id))
        priced = None if dates is None else [
            (date, self._or_held(f"event {event_id}: BPT's price list of date {date['date_id']}",
                                 lambda: self.client.prices(event_id, date["date_id"]),
                                 held_prices(date["date_id"])))
            for date in dates]
        return EventFeed(None if event.get(HELD) else event, event_id, priced, self.client.orders(event_id))

    def _or_held(self, what: str, call: Callable[[], list[dict]], held: list) -> list[dict] | None:
        """BPT's answer to a catalog call; None (with a warning) when it failed or was empty and a catalog is held.

        Orders are still imported then, against the events, dates and prices
        of the last good sync; with nothing held the failure stands.
        """
        try:
            records = call()
        except BptError as exc:
            if not held:
                raise
            self.warnings.append(f"{what} failed ({exc}); used the one from the last good sync")
            return None
        if not records and held:
            self.warnings.append(f"{what} came back empty; used the one from the last good sync")
            return None
        return records

    def _add(self, result: EventResult) -> None:
        for key in COUNTS:
            self.counts[key] += getattr(result, key)
        self.warnings += [f"event {result.event_id}: {w}" for w in result.warnings]
        self._save(status="running")

    def _save(self, **extra) -> None:
        SyncRun.update(warnings=json.dumps(_capped(self.warnings)), error="\n".join(self.errors) or None,
                       **self.counts, **extra).where(SyncRun.id == self.run_row.id).execute()

    def _finish(self) -> None:
        if self.errors and not self.imported:
            status = "failed"
        elif self.errors or self.counts["skipped"]:
            status = "partial"
        else:
            status = "ok"
        self._save(status=status, finished_at=utcnow())
        self.progress(SyncProgress("done", None, self.imported, self.imported, dict(self.counts)))
