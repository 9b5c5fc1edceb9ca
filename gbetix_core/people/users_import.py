"""Import registered festival users from the festival site's CSV export.

The whole file is checked before anything is written: a bad row is reported
with its line number and no row of that file is stored. Rows upsert by
username. Emails need not be unique: a household shares one mailbox, and
matching lets the name decide between its holders. ``site_id``, the festival
site's own user id (old ``ID-<n>`` trackers carry it), is unique when given.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from gbetix_core.db import insert_returning, rows_by, stamp, write
from gbetix_core.errors import InputError
from gbetix_core.models.base import utcnow
from gbetix_core.models.people import User
from gbetix_core.validation import csv_row, existing_file

REQUIRED = ("username", "first_name", "last_name", "email", "phone", "purchase_email")
OPTIONAL = ("address", "city", "state", "zip", "country", "site_id")
COLUMNS = REQUIRED + OPTIONAL
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
USERNAME = re.compile(r"^[^\s@][^\s]{0,149}$")
NEW_USER_COLUMNS = ("subscriber", "created_at", "updated_at")  # written in bulk, so without the model's defaults


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    user_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def import_users_file(path: str | Path) -> ImportResult:
    try:
        text = existing_file("users file", path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return import_users(io.StringIO(text), source=str(path))


def import_users(stream: io.TextIOBase, source: str = "CSV") -> ImportResult:
    """Check every row, then upsert them all in one transaction."""
    rows = _read_rows(stream, source)
    with write():
        existing = _existing(rows)
        _check_site_id_owners(rows, source)
        return _upsert(rows, existing)


def _read_rows(stream: io.TextIOBase, source: str) -> dict[str, tuple[int, dict]]:
    reader = csv.DictReader(stream)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"{source}: line 1: missing column(s) {', '.join(missing)}; expected {','.join(REQUIRED)}")
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise InputError(f"{source}: line 1: unknown column(s) {', '.join(unknown)}; allowed {','.join(COLUMNS)}")
    reader.fieldnames = header
    rows: dict[str, tuple[int, dict]] = {}
    site_ids: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        csv_row(source, line, raw, len(header))
        row = _clean(raw, source, line)
        if row["username"] in rows:
            raise InputError(f"{source}: line {line}: username {row['username']!r} also on line {rows[row['username']][0]}")
        if row["site_id"] and row["site_id"] in site_ids:
            raise InputError(f"{source}: line {line}: site_id {row['site_id']} also on line {site_ids[row['site_id']]}")
        rows[row["username"]] = (line, row)
        if row["site_id"]:
            site_ids[row["site_id"]] = line
    return rows


def _clean(raw: dict, source: str, line: int) -> dict:
    row = {key: (value or "").strip() or None for key, value in raw.items()}
    username = row["username"]
    if not username:
        raise InputError(f"{source}: line {line}: username is empty")
    if not USERNAME.match(username):
        raise InputError(f"{source}: line {line}: username {username!r} has spaces, starts with @ or is too long")
    for key in ("email", "purchase_email"):
        if row[key]:
            row[key] = row[key].lower()
            if not EMAIL.match(row[key]):
                raise InputError(f"{source}: line {line}: {key} {raw[key]!r} is not an email address")
    row["first_name"] = row["first_name"] or ""
    row["last_name"] = row["last_name"] or ""
    return {key: row.get(key) for key in COLUMNS}


def _existing(rows: dict[str, tuple[int, dict]]) -> dict[str, tuple]:
    """username -> (id, *COLUMNS) of the users already stored, read as plain rows (50,000 models cost seconds)."""
    return {row[1]: row for row in rows_by(User, ("id",) + COLUMNS, "username", list(rows))}


def _check_site_id_owners(rows: dict[str, tuple[int, dict]], source: str) -> None:
    """A site id already held by a user not in this file cannot be given to another."""
    by_site_id = {row["site_id"]: (username, line) for username, (line, row) in rows.items() if row["site_id"]}
    for holder, site_id in rows_by(User, ("username", "site_id"), "site_id", list(by_site_id)):
        username, line = by_site_id[site_id]
        if holder != username and holder not in rows:
            raise InputError(f"{source}: line {line}: site_id {site_id} already belongs to user {holder!r}")


def _upsert(rows: dict[str, tuple[int, dict]], existing: dict[str, tuple]) -> ImportResult:
    """Update the users whose values changed, one by one, and insert the new ones in bulk."""
    result = ImportResult()
    now = utcnow()
    new_rows = []
    for username, (_, row) in rows.items():
        stored = existing.get(username)
        if stored is None:
            new_rows.append(tuple(row[name] for name in COLUMNS) + (False, stamp(now), stamp(now)))
            continue
        changes = {name: row[name] for name, value in zip(COLUMNS, stored[1:]) if value != row[name]}
        if not changes:
            result.unchanged += 1
            continue
        User.update(**changes, updated_at=now).where(User.id == stored[0]).execute()
        result.updated += 1
        result.user_ids.append(stored[0])
    created = dict(insert_returning(User, COLUMNS + NEW_USER_COLUMNS, new_rows, ("username", "id")))
    result.created = len(new_rows)
    result.user_ids.extend(created[row[0]] for row in new_rows)
    return result
