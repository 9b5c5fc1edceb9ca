"""The one edge where values from a person, a file or BPT are checked before the core uses them.

SQLite stores whatever it is given (a 10,000-character name, a NUL byte, an
integer past 64 bits) while PostgreSQL refuses the same value with a driver
error; Python accepts NaN and infinity where a DECIMAL(12,2) column cannot.
Each function here takes a field name and a value and returns the value in
the form the core stores, or raises :class:`InputError` with one line that
names the field and the value, before anything is written. The limits are
the columns': 255 characters for text (PostgreSQL's VARCHAR), 32-bit signed
integers, and money below 10^10 with two decimals.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gbetix_core.errors import InputError

MAX_TEXT = 255
MAX_INT = 2**31 - 1
MAX_MONEY = Decimal("9999999999.99")
MAX_QUANTITY = 10_000  # tickets of one kind in one order (a sale or a BPT line): more is a slip or garbage
CENT = Decimal("0.01")
SHOWN = 40
# Control characters (Unicode category Cc), lone surrogates (Cs), the line and paragraph separators (Zl, Zp) and
# the bidi overrides that make text read differently from what it holds, as one character class: a sync checks
# every field of 100,000 lines, and asking unicodedata character by character cost seconds. Cc and Cs are closed
# by Unicode's stability policy and Zl, Zp hold one character each; a test compares the class with unicodedata
# over every code point, so a Unicode that changed them would be noticed.
UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shown(value: Any) -> str:
    """The value as a refusal quotes it: repr, cut short so one line stays one line."""
    if value is None:
        return "(blank)"
    text = repr(value)
    return text if len(text) <= SHOWN else text[:SHOWN - 3] + "..."


def refuse(field: str, value: Any, problem: str) -> InputError:
    return InputError(f"{field} {shown(value)}: {problem}")


def text(field: str, value: Any, *, max_length: int = MAX_TEXT, required: bool = False) -> str:
    """Text without NUL or control characters, trimmed, at most ``max_length`` characters."""
    if not isinstance(value, str):
        raise refuse(field, value, "must be text")
    cleaned = value.strip()
    if required and not cleaned:
        raise refuse(field, value, "cannot be empty")
    if UNSEEN.search(cleaned):
        raise refuse(field, value, "has a control character (NUL, tab, newline...)")
    if len(cleaned) > max_length:
        raise refuse(field, value, f"is {len(cleaned)} characters long; at most {max_length}")
    return cleaned


def name(field: str, value: Any, *, max_length: int = MAX_TEXT) -> str:
    """A name a person types: Unicode NFKC, trimmed, inner spaces collapsed, never empty."""
    if not isinstance(value, str):
        raise refuse(field, value, "must be text")
    cleaned = text(field, unicodedata.normalize("NFKC", value), max_length=max_length, required=True)
    return " ".join(part for part in cleaned.split(" ") if part)


def integer(field: str, value: Any, *, low: int = 0, high: int = MAX_INT) -> int:
    """A whole number within the column's range (32-bit signed unless the caller says less)."""
    number = _whole(value)
    if number is None:
        raise refuse(field, value, "must be a whole number")
    if not low <= number <= high:
        raise refuse(field, value, f"must be between {low} and {high}")
    return number


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    return value if isinstance(value, int) else None


def money(field: str, value: Any, *, high: Decimal = MAX_MONEY) -> Decimal:
    """An amount of money: finite, not negative, at most ``high``, rounded to the cent."""
    if isinstance(value, bool):
        raise refuse(field, value, "is not an amount of money")
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else str(value))
    except (InvalidOperation, ValueError):
        raise refuse(field, value, "is not an amount of money") from None
    if not amount.is_finite():
        raise refuse(field, value, "is not an amount of money")
    if amount < 0:
        raise refuse(field, value, "cannot be negative")
    if amount > high:
        raise refuse(field, value, f"is more than {high}")
    return amount.quantize(CENT)


def url(field: str, value: Any, *, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """A URL with one of ``schemes``, a host name and, if given, a port from 1 to 65535."""
    checked = text(field, value, max_length=2000, required=True)
    problem = url_problem(checked, schemes)
    if problem:
        raise refuse(field, value, problem)
    return checked


def url_problem(value: str, schemes: tuple[str, ...]) -> str | None:
    """What is wrong with a URL, in words, or None."""
    parts = urlsplit(value)
    if parts.scheme not in schemes:
        return f"must start with {' or '.join(s + '://' for s in schemes)}"
    if not parts.hostname:
        return "names no host"
    try:
        port = parts.port
    except ValueError:
        port = 0
    return "has a port that is not a number from 1 to 65535" if port == 0 else None


def existing_file(field: str, value: str | Path) -> Path:
    """A path naming a regular file that exists (not a folder, not missing)."""
    try:
        path = expanded(str(value))
        folder, regular = path.is_dir(), path.is_file()
    except (ValueError, OSError) as exc:  # an unknown user's ~, a name too long for the system
        raise refuse(field, str(value), getattr(exc, "strerror", None) or str(exc)) from None
    if folder:
        raise refuse(field, str(value), "is a folder, not a file")
    if not regular:
        raise refuse(field, str(value), "file not found")
    return path


def expanded(text: str) -> Path:
    """A path as given, with ``~`` and ``~user`` expanded. ValueError names the problem when no home folder is
    known for the user it names (``Path.expanduser`` raises RuntimeError then, which no caller expects)."""
    try:
        return Path(text).expanduser()
    except RuntimeError:
        raise ValueError(f"no home folder is known for {text.split('/', 1)[0]}") from None


def folder_problem(text: str) -> str | None:
    """Why ``text`` does not name a folder that exists, or None: a name the system refuses outright (too long,
    an unknown user's ``~``) is a problem like any other, not an error."""
    try:
        if expanded(text).is_dir():
            return None
    except ValueError as exc:
        return str(exc)
    except OSError as exc:
        return f"{shown(text)} is not a folder ({exc.strerror})"
    return f"{shown(text)} is not a folder"


def record_problem(values: dict) -> str | None:
    """What is wrong with a record from outside (a BPT line), or None: each value one line of text that fits.

    A sync asks this of every line BPT sends, so the usual record (every value short text, none unseen) is
    cleared in one search over all its values; only a record that fails it is checked value by value.
    """
    given = [value for value in values.values() if value is not None]
    if all(isinstance(value, str) and len(value) <= MAX_TEXT for value in given) and not UNSEEN.search("".join(given)):
        return None
    for key, value in values.items():
        if value is None:
            continue
        try:
            text(key, value)
        except InputError as exc:
            return str(exc)
    return None


def csv_row(source: str, line: int, values: dict, width: int) -> None:
    """A row read by csv.DictReader: exactly the header's number of fields, each one line of text that fits a column.

    DictReader fills a short row's missing fields with None and puts a long row's extra ones under the key None.
    """
    extra = values.get(None)
    if extra:
        raise InputError(f"{source}: line {line}: {width + len(extra)} fields; the header has {width}")
    given = sum(1 for key, value in values.items() if key is not None and value is not None)
    if given < width:
        raise InputError(f"{source}: line {line}: {given} field(s); the header has {width}")
    fields = list(values.values())
    if all(isinstance(value, str) and len(value) <= MAX_TEXT for value in fields) and "".join(fields).isprintable():
        return  # the usual row: every value short and printable, so each would pass text(); checked at once
    for key, value in values.items():
        try:
            text(key, value)
        except InputError as exc:
            raise InputError(f"{source}: line {line}: {exc}") from None
