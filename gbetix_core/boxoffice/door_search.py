"""Finding a guest at the door by name, email or confirmation number: forgiving and fast.

Each search asks the database one cheap question first (a fingerprint: the
ticket count and a few index-only maxima). Tickets sold or handed on since
the last search are added to the per-performance index as they come (the door
sells and transfers all night); a refund needs nothing (results are re-read
live); anything else (a moved sale, a renamed user, a changed BPT purchase)
rebuilds it. The parties returned are always
re-read live, so a check-in made at the other door shows at once and a
cancelled ticket never does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peewee import fn
from rapidfuzz import fuzz, process, utils

from gbetix_core.boxoffice.door import Party, parties_where
from gbetix_core.db import database
from gbetix_core.matching.normalize import name_forms
from gbetix_core.models import Item, OwnershipChange, Performance, PurchaseVersion, User

FUZZY_CUTOFF = 70
WORD_CUTOFF = 75
OTHER_NAMES_WEIGHT = 0.9
NICKNAME_WEIGHT = 0.95


@dataclass(frozen=True)
class _Fingerprint:
    tickets: int
    last_item: int
    last_owner_change: int
    others: tuple


@dataclass
class _Index:
    """Normalised names per party, and every word pointing at the parties (with a weight) it belongs to."""

    fingerprint: _Fingerprint
    keys: list[tuple] = field(default_factory=list)
    item_ids: list[list[int]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    parties_of_word: dict[str, dict[int, float]] = field(default_factory=dict)
    by_confirmation: dict[str, list[int]] = field(default_factory=dict)
    position_of: dict[tuple, int] = field(default_factory=dict)
    indexed: set[int] = field(default_factory=set)
    uncounted: int = 0

    def add(self, party: Party) -> None:
        position = self.position_of.get(party.key)
        if position is None:
            position = self.position_of[party.key] = len(self.keys)
            self.keys.append(party.key)
            self.item_ids.append([])
            self.names.append(utils.default_process(party.name))
        self.item_ids[position] += [t.item_id for t in party.tickets if t.item_id not in self.item_ids[position]]
        self.indexed.update(t.item_id for t in party.tickets)
        for text, weight in ((f"{party.name} {party.email}", 1.0), (" ".join(party.buyers), OTHER_NAMES_WEIGHT)):
            for word in utils.default_process(text).split():
                if word not in self.parties_of_word:
                    self.parties_of_word[word] = {}
                    self.words.append(word)
                known = self.parties_of_word[word]
                known[position] = max(known.get(position, 0.0), weight)
        for confirmation in party.confirmations:
            found = self.by_confirmation.setdefault(_confirmation_key(confirmation), [])
            if position not in found:
                found.append(position)


_indexes: dict[tuple[int, int | None], _Index] = {}


def search(text: str, performance: Performance | int | None = None, limit: int = 10) -> list[Party]:
    """Parties whose holder, buyer, email or confirmation number matches ``text``, best first.

    A confirmation number (BPT ticket number or ``#order``) found exactly is
    the answer; otherwise names and emails match fuzzily (typos, missing
    letters, word order, first or last name alone, a nickname or the formal
    name: "robert" finds Bob).
    """
    text = (text or "").strip()
    if not text:
        return []
    pid = performance.id if isinstance(performance, Performance) else performance
    index = _current_index(pid)
    ranked = index.by_confirmation.get(_confirmation_key(text)) or _fuzzy(index, text, limit)
    if not ranked:
        return []
    chosen = ranked[:limit]
    fresh = {p.key: p for p in parties_where(Item.id.in_([i for pos in chosen for i in index.item_ids[pos]]))}
    return [fresh[index.keys[pos]] for pos in chosen if index.keys[pos] in fresh]


def _fuzzy(index: _Index, text: str, limit: int) -> list[int]:
    """Rank parties by the whole name in any word order, or by every word of the query.

    Each query word is matched (typos allowed) against the distinct words of
    names, emails and buyers' names, a few thousand short strings, which is
    what keeps a search over tens of thousands of tickets to milliseconds.
    """
    query = utils.default_process(text)
    best: dict[int, float] = {}
    for _, score, position in process.extract(query, index.names, scorer=fuzz.token_sort_ratio, processor=None,
                                              limit=limit, score_cutoff=FUZZY_CUTOFF):
        best[position] = score
    per_word = [_name_hits(index, word) for word in query.split()]
    if per_word:
        for position in set.intersection(*(set(hits) for hits in per_word)):
            score = sum(hits[position] for hits in per_word) / len(per_word)
            best[position] = max(best.get(position, 0.0), score)
    return sorted(best, key=lambda position: (-best[position], position))[:limit]


def _name_hits(index: _Index, word: str) -> dict[int, float]:
    """Parties a typed word finds, as typed or as another form of the name ("robert" finds Bob Price)."""
    hits = _word_hits(index, word)
    for form in name_forms(word) - {word}:
        if form in index.parties_of_word:
            for position, weight in index.parties_of_word[form].items():
                hits[position] = max(hits.get(position, 0.0), 100 * weight * NICKNAME_WEIGHT)
    return hits


def _word_hits(index: _Index, word: str) -> dict[int, float]:
    hits: dict[int, float] = {}
    for found, score, _ in process.extract(word, index.words, scorer=fuzz.ratio, processor=None, limit=None,
                                           score_cutoff=WORD_CUTOFF):
        for position, weight in index.parties_of_word[found].items():
            hits[position] = max(hits.get(position, 0.0), score * weight)
    return hits


def _confirmation_key(text: str) -> str:
    return text.strip().lstrip("#").upper()


def _at(pid: int | None):
    return (Item.performance == pid) if pid is not None else Item.performance.is_null(False)


def _current_index(pid: int | None) -> _Index:
    """The index, grown by what was sold or handed on since the last search, or rebuilt when more changed.

    A ticket that changed hands stays listed under its old holder too; that is
    harmless because results are re-read live and grouped by today's holder.
    """
    key = (id(database.obj), pid)
    now = _fingerprint(pid)
    index = _indexes.get(key)
    if index is not None and index.fingerprint.others == now.others:
        if index.fingerprint == now:
            return index
        handed_on = OwnershipChange.select(OwnershipChange.item).where(
            OwnershipChange.id > index.fingerprint.last_owner_change)
        for party in parties_where(_at(pid) & ((Item.id > index.fingerprint.last_item) | Item.id.in_(handed_on))):
            index.add(party)
        if len(index.indexed) + index.uncounted == now.tickets:
            index.fingerprint = now
            return index
    index = _indexes[key] = _Index(now)
    for party in parties_where(_at(pid)):
        index.add(party)
    index.uncounted = now.tickets - len(index.indexed)
    return index


def _fingerprint(pid: int | None) -> _Fingerprint:
    """What the searchable words depend on, in one round trip.

    The count of tickets ever issued here, cancelled or not (an index-only
    count that a refund leaves alone), catches moved sales and tickets
    committed out of id order; owner history catches transfers and matches;
    a changed BPT purchase keeps a version; user imports stamp ``updated_at``.
    """
    row = Item.select(
        fn.COUNT(Item.id),
        Item.select(fn.MAX(Item.id)),
        OwnershipChange.select(fn.MAX(OwnershipChange.id)),
        PurchaseVersion.select(fn.MAX(PurchaseVersion.id)),
        User.select(fn.MAX(User.updated_at)),
    ).where(_at(pid) & Item.kind.in_(("ticket", "canceled"))).tuples().get()
    return _Fingerprint(row[0], row[1] or 0, row[2] or 0, tuple(row[3:]))
