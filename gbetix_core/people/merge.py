"""Two records of one person (an old account and a new one) merged into one, audited and undoable.

Every row that points at the other record (orders, tickets, donations,
claims, matches, candidates, transfers, owner history, purchase links, and
any table added later: the references are read from the schema) is pointed
at the kept record, which takes the fresher value of each field; the other
record is removed. Everything needed to put it back is kept in a
:class:`~gbetix_core.models.UserMerge` row, so an admin's mistake is undone
exactly. Special accounts and accounts tied to staff are never merged.

Suggestions come from the matching engine's evidence: two accounts that share
an email, phone or street address and whose names agree are one person twice.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from peewee import DateTimeField

from gbetix_core import audit
from gbetix_core.db import locked, write
from gbetix_core.errors import InputError, NotFound, SaleRefused
from gbetix_core.matching.scoring import score
from gbetix_core.matching.users import load_index
from gbetix_core.models import MatchCandidate, Staff, User, UserMerge
from gbetix_core.models.base import utcnow
from gbetix_core.permissions import require

FIELDS = ("first_name", "last_name", "email", "purchase_email", "phone", "address", "city", "state", "zip", "country")
SUGGEST_MIN = 0.9


def merge_users(staff: Staff, keep: User | int, other: User | int, *, reason: str) -> UserMerge:
    """Merge ``other`` into ``keep``: everything of both stays, on ``keep``; ``other`` is removed."""
    require(staff, "merge_users")
    reason = audit.required_reason(reason)
    with write():
        keep, other = _lock_pair(keep, other)
        before = {"keep": _snapshot(keep), "other": _snapshot(other)}
        merged = _fresher_fields(keep, other)
        dropped = _drop_duplicate_candidates(keep.id, other.id)
        moved = _repoint(other.id, keep.id)
        User.delete().where(User.id == other.id).execute()
        User.update(**merged, subscriber=keep.subscriber or other.subscriber, created_at=min(keep.created_at,
                    other.created_at), updated_at=utcnow()).where(User.id == keep.id).execute()
        record = UserMerge.create(keep=keep.id, other_id=other.id, other=_json(before["other"]),
                                  keep_before=_json(before["keep"]), moved=_json({"rows": moved, "dropped": dropped}),
                                  staff=staff, reason=reason)
        audit.record("user.merge", staff=staff, subject=f"user:{keep.id}", reason=reason, before=before,
                     after={"merge": record.id, "fields": merged, "moved": {k: len(v) for k, v in moved.items()}})
    return record


def undo_merge(staff: Staff, merge: UserMerge | int, *, reason: str | None = None) -> User:
    """Put the other record back as it was, with exactly the rows that were moved from it; returns it."""
    require(staff, "merge_users")
    with write():
        ident = merge.id if isinstance(merge, UserMerge) else merge
        found = list(locked(UserMerge.select().where(UserMerge.id == ident)))
        if not found:
            raise NotFound(f"No merge with id {ident}.")
        record = found[0]
        if record.undone_at is not None:
            raise SaleRefused(f"Merge {record.id} was already undone.")
        keep_before, other, moved = json.loads(record.keep_before), json.loads(record.other), json.loads(record.moved)
        User.update(**_values(keep_before, exclude=("id", "updated_at")), updated_at=utcnow()).where(
            User.id == record.keep_id).execute()
        User.insert(**_values(other)).execute()
        for column, ids in moved["rows"].items():
            model, field = _reference(column)
            model.update({field: record.other_id}).where(model._meta.primary_key.in_(ids)).execute()
        for row in moved["dropped"]:
            MatchCandidate.insert(**row).execute()
        UserMerge.update(undone_at=utcnow(), undone_by=staff).where(UserMerge.id == record.id).execute()
        audit.record("user.merge.undo", staff=staff, subject=f"user:{record.keep_id}", reason=reason,
                     after={"merge": record.id, "restored": record.other_id})
    return User.get_by_id(record.other_id)


def _lock_pair(keep: User | int, other: User | int) -> tuple[User, User]:
    keep_id, other_id = (u.id if isinstance(u, User) else u for u in (keep, other))
    if keep_id == other_id:
        raise InputError("Choose two different records to merge.")
    found = {u.id: u for u in locked(User.select().where(User.id.in_([keep_id, other_id])).order_by(User.id))}
    for ident in (keep_id, other_id):
        if ident not in found:
            raise InputError(f"No user with id {ident}.")
    for user in found.values():
        _check_mergeable(user)
    return found[keep_id], found[other_id]


def _check_mergeable(user: User) -> None:
    if user.special:
        raise SaleRefused(f"{user.full_name} is a special account ({user.special}); it is never merged.")
    staff = Staff.get_or_none(Staff.user == user.id)
    if staff is not None:
        raise SaleRefused(f"{user.full_name} is the account of staff member {staff.name}; it is never merged.")


def _fresher_fields(keep: User, other: User) -> dict[str, Any]:
    """Each field from the record updated last, unless it is empty there."""
    fresh, stale = (other, keep) if other.updated_at > keep.updated_at else (keep, other)
    return {name: getattr(fresh, name) or getattr(stale, name) for name in FIELDS}


def _references() -> list[tuple[type, Any]]:
    """Every (model, foreign key) that points at a user, read from the schema so new tables are included."""
    return [(field.model, field) for field in User._meta.backrefs]


def _reference(column: str) -> tuple[type, str]:
    for model, field in _references():
        if f"{model._meta.table_name}.{field.name}" == column:
            return model, field.name
    raise InputError(f"The merge moved rows of {column}, which no longer exists.")


def _repoint(from_id: int, to_id: int) -> dict[str, list[int]]:
    """Point every reference to ``from_id`` at ``to_id``; return the ids moved, per table and column."""
    moved = {}
    for model, field in _references():
        ids = [row[0] for row in model.select(model._meta.primary_key).where(field == from_id).tuples()]
        if ids:
            model.update({field: to_id}).where(model._meta.primary_key.in_(ids)).execute()
            moved[f"{model._meta.table_name}.{field.name}"] = ids
    return moved


def _drop_duplicate_candidates(keep_id: int, other_id: int) -> list[dict]:
    """Both records ranked for one purchase: keep the kept record's row, remember the other's for undo."""
    kept = MatchCandidate.select(MatchCandidate.purchase).where(MatchCandidate.user == keep_id)
    rows = list(MatchCandidate.select().where((MatchCandidate.user == other_id) & MatchCandidate.purchase.in_(kept)))
    MatchCandidate.delete().where(MatchCandidate.id.in_([r.id for r in rows])).execute()
    return [{"id": r.id, "purchase": r.purchase_id, "user": r.user_id, "rank": r.rank, "score": r.score,
             "bits": r.bits, "reasons": r.reasons} for r in rows]


def _snapshot(user: User) -> dict[str, Any]:
    return {field.name: getattr(user, field.name) for field in User._meta.sorted_fields}


def _json(value: Any) -> str:
    return json.dumps(value, default=str, sort_keys=True)


def _values(snapshot: dict[str, Any], exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """A stored snapshot back as column values (timestamps were kept as text)."""
    values = {}
    for name, value in snapshot.items():
        if name in exclude:
            continue
        field = User._meta.fields[name]
        values[name] = dt.datetime.fromisoformat(value) if isinstance(field, DateTimeField) and value else value
    return values


@dataclass(frozen=True)
class Suggestion:
    """Two accounts the evidence says are one person; ``keep`` is the one updated last."""

    keep: int
    other: int
    keep_name: str
    other_name: str
    score: float
    reasons: tuple[str, ...]


def merge_suggestions(limit: int = 50) -> list[Suggestion]:
    """Pairs of accounts sharing an email, phone or street with names that agree, strongest first."""
    index = load_index()
    pairs = []
    for person in index.people.values():
        for other_key in index.identified(person):
            if other_key <= person.key:
                continue
            evidence = score(person, index.people[other_key])
            if evidence.score >= SUGGEST_MIN and evidence.name_compatible:
                pairs.append((evidence.score, person.key, other_key, tuple(evidence.reasons)))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return _described(pairs, limit)


def _described(pairs: list[tuple], limit: int) -> list[Suggestion]:
    staffed = {s.user_id for s in Staff.select(Staff.user).where(Staff.user.is_null(False))}
    chosen = [p for p in pairs if p[1] not in staffed and p[2] not in staffed][:limit]
    users = {u.id: u for u in User.select().where(User.id.in_({i for p in chosen for i in p[1:3]}))}
    found = []
    for value, first, second, reasons in chosen:
        keep, other = sorted((users[first], users[second]), key=lambda u: (u.updated_at, u.id), reverse=True)
        found.append(Suggestion(keep.id, other.id, f"{keep.full_name} ({keep.username})",
                                f"{other.full_name} ({other.username})", value, reasons))
    return found
