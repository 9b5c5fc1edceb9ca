"""Run the matcher over stored purchases and write what it decides, never over a person's decision.

Entry points for the rest of gbetix: the BPT sync calls :func:`match_purchases`
after each event commits, the users import calls :func:`rematch_users`, and
``gbetix match`` calls :func:`match_all_unresolved`. Each reads purchases in
bulk, decides in memory, and writes in chunks; every chunk re-reads its
PurchaseMatch rows under lock inside the transaction and skips those a person
decided (``human=True``), so a decision made while a sync runs always wins.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from peewee import JOIN

from gbetix_core.bootstrap import token_secret
from gbetix_core.bpt import pending
from gbetix_core.collector import collector_paused
from gbetix_core.config import Config
from gbetix_core.db import (
    bulk_insert, commit_without_waiting, ids_in, insert_new, locked, plain_rows, read_through_indexes,
    refresh_statistics, stamp, statistics_refreshed, update_by_id, write,
)
from gbetix_core.matching import trackers
from gbetix_core.matching.blocking import UserIndex
from gbetix_core.matching.decide import FLAG_TEXT, Matcher, Outcome
from gbetix_core.matching.deciding import Chunk, deciders
from gbetix_core.matching.disposition import Move, move_tickets
from gbetix_core.matching.kept_index import IndexFile
from gbetix_core.matching.normalize import Person
from gbetix_core.matching.users import buyer_person, load_index, load_weights, prepare_index
from gbetix_core.models import BptEvent, Item, MatchCandidate, Purchase, Purchaser, PurchaseMatch, User
from gbetix_core.models.base import utcnow
from gbetix_core.write_behind import batches

CHUNK = 2_000
WRITE_CHUNK = 1000  # purchases per write transaction: the write lock for tens of milliseconds, never a whole sync
# Chunks stored at once on PostgreSQL: each of other purchases, so they never wait on each other but for a moment
# at the end (the waiting seats they take off, see bpt/unissued.py), and the server works on both cores.
WRITERS = 2
LINK_REASONS = "; "  # an engine link keeps its reasons in PurchaseMatch.reason, joined by this
RESOLVED = ("linked", "not_festival")


@dataclass
class MatchSummary:
    """What a matching run did, for the sync report, the CLI and the TUI."""

    seen: int = 0
    linked: int = 0
    candidates: int = 0
    unmatched: int = 0
    skipped_human: int = 0
    changed: int = 0
    weights: str = ""  # what the weights were learned from, when this run used learned weights

    def add(self, other: "MatchSummary") -> None:
        for name in self.__dataclass_fields__:
            mine, theirs = getattr(self, name), getattr(other, name)
            setattr(self, name, mine + theirs if isinstance(mine, int) else theirs or mine)

    def text(self) -> str:
        counts = (f"{self.seen} purchases: {self.linked} linked, {self.candidates} with candidates, "
                  f"{self.unmatched} unmatched; {self.changed} changed, {self.skipped_human} kept as decided by a person")
        return f"{counts}\n{self.weights}" if self.weights else counts


def match_purchases(purchase_ids: Sequence[int], config: Config) -> MatchSummary:
    """Match these purchases (the sync calls this after importing an event)."""
    if not purchase_ids:
        return MatchSummary()
    with collector_paused():
        return _match_purchases(purchase_ids, config)


def _match_purchases(purchase_ids: Sequence[int], config: Config) -> MatchSummary:
    index = load_index(_kept(config))
    weights = load_weights(index)
    matcher = Matcher(index, config.matching, weights)
    secret = token_secret(config)
    summary = MatchSummary(weights=weights.learned_from())
    ids = sorted(set(purchase_ids))  # in id order, so that runs over the same purchases write (and lock) alike
    statistics_refreshed()  # the import's ANALYZE: its reads are planned on it, and the helper is forked next
    with deciders(matcher, len(ids)) as decide, batches(writers=WRITERS) as store:
        for outcomes in decide(_chunks(ids, secret)):
            store.submit(_store_chunk, outcomes)  # stored while the next chunks are decided
    for stored in store.results:
        summary.add(stored)
    refresh_statistics(summary.changed, PurchaseMatch, MatchCandidate, Item)  # tickets a sync left waiting
    return summary


def match_all_unresolved(config: Config) -> MatchSummary:
    """Match every purchase that is not linked, not marked "not a festival user", and not decided by a person."""
    decided = PurchaseMatch.select(PurchaseMatch.purchase).where(
        (PurchaseMatch.human == True) | PurchaseMatch.status.in_(RESOLVED))  # noqa: E712
    ids = [row[0] for row in plain_rows(Purchase.select(Purchase.id).where(Purchase.id.not_in(decided)))]
    return match_purchases(ids, config)


def rematch_users(user_ids: Sequence[int], config: Config) -> MatchSummary:
    """Match again every purchase that these (new or changed) users could own or were ranked for.

    A purchase is affected when it shares an identifier or a name with one of
    the users; one still unresolved is affected by a sound-alike name too.
    """
    affected = set(_purchases_ranking(user_ids))
    with collector_paused():
        _add_affected(affected, user_ids, _kept(config))
    return match_purchases(sorted(affected), config)


def prepare_matching(config: Config) -> None:
    """Before a sync imports: have the users' index read ahead, or built aside, for the matching that follows (see
    users.prepare_index)."""
    prepare_index(_kept(config), config.database_url)


def _kept(config: Config) -> IndexFile:
    """Where the users' index is kept for the next process: after a users import, the next sync reads it."""
    return IndexFile(config.data_dir, token_secret(config))


def _add_affected(affected: set[int], user_ids: Sequence[int], kept: IndexFile) -> None:
    """Add the open purchases whose buyer shares an identifier or a name with one of these users (or, still
    unresolved, sounds like one)."""
    buyers = _open_buyers() if user_ids else []
    index = load_index(kept) if buyers else UserIndex()
    changed = [index.people[key] for key in dict.fromkeys(user_ids) if key in index.people]
    if not changed:
        return
    small = index if len(changed) == len(index) else UserIndex(changed)
    for purchase_id, status, buyer in buyers:
        if small.close(buyer) or (status != "linked" and small.sounding(buyer)):
            affected.add(purchase_id)


def _purchases_ranking(user_ids: Sequence[int]) -> Iterable[int]:
    """Purchases whose machine-made link or candidates name one of these users."""
    ids = list(user_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        ranked = MatchCandidate.select(MatchCandidate.purchase).where(ids_in(MatchCandidate.user, chunk))
        yield from (r[0] for r in ranked.tuples())
        yield from (r[0] for r in PurchaseMatch.select(PurchaseMatch.purchase).where(
            ids_in(PurchaseMatch.user, chunk) & (PurchaseMatch.human == False)).tuples())  # noqa: E712


def _open_buyers() -> list[tuple[int, str | None, Person]]:
    """Every purchase a machine may still change, with its match status and its buyer normalised."""
    query = (Purchase.select(Purchase.id, PurchaseMatch.status, Purchaser.first_name, Purchaser.last_name,
                             Purchaser.email, Purchaser.phone, Purchaser.address, Purchaser.zip, Purchaser.city, Purchaser.state)
             .join_from(Purchase, Purchaser).join_from(Purchase, PurchaseMatch, JOIN.LEFT_OUTER)
             .where(PurchaseMatch.human.is_null() | (PurchaseMatch.human == False)))  # noqa: E712
    return [(row[0], row[1], buyer_person(*row[2:])) for row in plain_rows(query)]


def _purchase_rows(ids: list[int]) -> list[tuple]:
    """(id, tracker, BPT event id, buyer's first name, last name, email, phone, address, zip, city, state) of each
    purchase."""
    rows: list[tuple] = []
    for start in range(0, len(ids), CHUNK):
        query = (Purchase.select(Purchase.id, Purchase.tracker, BptEvent.event_id, Purchaser.first_name,
                                 Purchaser.last_name, Purchaser.email, Purchaser.phone, Purchaser.address, Purchaser.zip,
                                 Purchaser.city, Purchaser.state)
                 .join_from(Purchase, Purchaser).join_from(Purchase, BptEvent)
                 .where(ids_in(Purchase.id, ids[start:start + CHUNK])).order_by(Purchase.id))
        rows.extend(plain_rows(query))
    return rows


def _chunks(ids: list[int], secret: bytes) -> Iterator[Chunk]:
    """The purchases WRITE_CHUNK at a time, each with its tracker's link (read CHUNK * 5 at a time)."""
    for start in range(0, len(ids), CHUNK * 5):
        rows = _purchase_rows(ids[start:start + CHUNK * 5])
        links = trackers.links(rows, secret)
        for first in range(0, len(rows), WRITE_CHUNK):
            yield [(row, links[row[0]]) for row in rows[first:first + WRITE_CHUNK]]


def _store_chunk(outcomes: dict[int, Outcome]) -> MatchSummary:
    """One chunk's outcomes in a write transaction of their own."""
    with write():
        commit_without_waiting()
        read_through_indexes()
        return _store(outcomes)


def _store(outcomes: dict[int, Outcome]) -> MatchSummary:
    """Write one chunk's outcomes; call inside write(). Rows a person decided are left alone.

    Existing rows are locked before they are compared. A purchase with no row
    yet may be getting one from a person's decision at this very moment: the
    insert then waits for that decision and yields to it (the row is skipped,
    see db.insert_new), and the purchase is dropped from this chunk before its
    candidates and tickets are touched.
    """
    summary = MatchSummary(seen=len(outcomes))
    names = _usernames({o.named for o in outcomes.values() if o.named})
    current = {m.purchase_id: m for m in locked(PurchaseMatch.select().where(ids_in(PurchaseMatch.purchase, outcomes)))}
    now, new_rows, updates, changed = stamp(utcnow()), [], [], []
    for pid, outcome in outcomes.items():
        row, values = current.get(pid), _match_values(outcome, names)
        if row is None:
            new_rows.append((pid, now, False) + tuple(values.values()))
        elif not row.human and _differs(row, values):
            updates.append((now,) + tuple(values.values()) + (row.id,))
            changed.append(pid)
    update_by_id(PurchaseMatch, ("decided_at",) + MATCH_FIELDS, updates)
    inserted = insert_new(PurchaseMatch, ("purchase", "decided_at", "human") + MATCH_FIELDS, new_rows, key="purchase")
    new = [row[0] for row in new_rows]
    skipped = inserted < len(new)  # a person's decision took a purchase's row since it was read
    raced = {r[0] for r in PurchaseMatch.select(PurchaseMatch.purchase).where(
        ids_in(PurchaseMatch.purchase, new) & (PurchaseMatch.human == True)).tuples()} if skipped else set()  # noqa: E712
    human = {pid for pid, m in current.items() if m.human} | raced
    mine = [pid for pid in outcomes if pid not in human]
    summary.skipped_human, summary.changed = len(human), len(changed) + len(new) - len(raced)
    for pid in mine:
        status = outcomes[pid].status
        setattr(summary, status, getattr(summary, status) + 1)
    # Candidates are written only beside a match row, and match rows are never deleted: a purchase that had none
    # has no candidates to clear (a first match of new purchases skips the DELETE).
    ranked_before = [pid for pid in mine if pid in current]
    if ranked_before:
        MatchCandidate.delete().where(ids_in(MatchCandidate.purchase, ranked_before)).execute()
    bulk_insert(MatchCandidate, ("purchase", "user", "rank", "score", "bits", "reasons"),
                [(pid, e.user, rank, round(e.score, 3), _tenths(e.bits), json.dumps(e.reasons))
                 for pid in mine for rank, e in enumerate(outcomes[pid].candidates, start=1)])
    moves = [Move(pid, current[pid].user_id if pid in current else None, outcomes[pid].user)
             for pid in mine if pid in changed or (pid not in current and pid not in raced)]
    move_tickets(moves, staff=None, reason="matched by the engine")
    pending.clear(list(outcomes))  # decided, a person's decisions included: a killed sync need not match them again
    return summary


def _tenths(bits: float) -> float:
    """Bits as stored: rounded to a tenth, and never -0.0 (PostgreSQL keeps the sign, SQLite drops it)."""
    return round(bits, 1) + 0.0


def _differs(row: PurchaseMatch, values: dict) -> bool:
    """True when the stored row says something else (scores compared at the 3 decimals written)."""
    stored = {k: getattr(row, "user_id" if k == "user" else k) for k in values}
    if stored["score"] is not None:
        stored["score"] = round(stored["score"], 3)
    return stored != values


MATCH_FIELDS = ("status", "user", "method", "score", "flag", "decided_by", "reason")


def _match_values(outcome: Outcome, names: dict[int, str]) -> dict:
    """The machine-decided columns of a PurchaseMatch, in MATCH_FIELDS order; a flag's text names the tracker's user."""
    reason = LINK_REASONS.join(outcome.reasons) if outcome.status == "linked" else FLAG_TEXT.get(outcome.flag or "")
    if outcome.status != "linked" and outcome.named in names:
        reason = f"{reason} ({names[outcome.named]})"
    return {"status": outcome.status, "user": outcome.user, "method": outcome.method,
            "score": round(outcome.score, 3) if outcome.score is not None else None,
            "flag": outcome.flag, "decided_by": None, "reason": reason}


def _usernames(user_ids: set[int]) -> dict[int, str]:
    ids = list(user_ids)
    return {key: name for start in range(0, len(ids), CHUNK)
            for key, name in User.select(User.id, User.username).where(ids_in(User.id, ids[start:start + CHUNK])).tuples()}
