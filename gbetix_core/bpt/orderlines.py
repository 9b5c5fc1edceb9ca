"""An orderlist cut into its raw ``<item>`` elements, so lines BPT sends unchanged are never parsed again.

BPT has no "since" filter: every sync downloads every line again, and
parsing 100,000 lines field by field costs seconds. Each line is fingerprinted
on its bytes instead; only lines whose fingerprint is new are parsed (with
the guarded expat parser of :mod:`feed`). The document is still checked as a
whole: its start, with the result code, is parsed with the guards on (a DTD
or entity declaration is refused there, before any line), every line is a
complete ``<item>...</item>``, only whitespace may stand between lines, and
the answer must end with ``</document>``; anything else is reported as a
cut-off or malformed answer and nothing of it is imported. A line that is
byte-for-byte one already parsed needs no second parse.
"""

from __future__ import annotations

import hashlib
import re
from typing import IO, Iterator, Mapping

from gbetix_core.bpt import feed

CALL = "orderlist"
START, STOP = b"<item>", b"</item>"
END = re.compile(rb"\s*</document>\s*")
CHUNK = 1024 * 1024


def fingerprint(raw: bytes) -> str:
    """The digest a purchase keeps of its line as BPT sent it."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def scan(stream: IO[bytes]) -> Iterator[bytes]:
    """Yield each ``<item>...</item>`` of an orderlist after checking its start; check its end too."""
    _, buffer = _prolog(stream)
    yield from _lines(stream, buffer)


def check_whole(stream: IO[bytes]) -> None:
    """Raise the cut-off or malformed-answer error :func:`scan` would, before anything is imported; rewind."""
    try:
        for _ in scan(stream):
            pass
    finally:
        stream.seek(0)


def _lines(stream: IO[bytes], buffer: bytes | None) -> Iterator[bytes]:
    """The lines after the prolog (``buffer`` holds what was read past it; None: the answer has none)."""
    if buffer is None:
        return
    while True:
        chunk = stream.read(CHUNK)
        if chunk:
            buffer += chunk
        position = 0
        while (start := buffer.find(START, position)) >= 0 and (end := buffer.find(STOP, start)) >= 0:
            if start != position and not buffer[position:start].isspace():
                raise _malformed(buffer[position:start])
            position = end + len(STOP)
            yield buffer[start:position]
        buffer = buffer[position:]
        if not chunk:
            break
    if not END.fullmatch(buffer):
        if START in buffer or not buffer.strip() or b"</document>".startswith(buffer.strip()):
            raise feed.cut_off(CALL, "it stops before its last line or its closing tag")
        raise _malformed(buffer)


def _prolog(stream: IO[bytes]) -> tuple[bytes, bytes | None]:
    """Read up to the first line and check the header.

    Returns the answer's XML declaration and what was read from the first
    line on (None when the answer holds no line at all).
    """
    buffer = b""
    while True:
        chunk = stream.read(CHUNK)
        buffer += chunk
        first = buffer.find(START)
        if first >= 0:
            feed.check_prolog(buffer[:first], CALL, whole=False)
            return feed.declaration(buffer), buffer[first:]
        if not chunk:
            feed.check_prolog(buffer, CALL, whole=True)
            return feed.declaration(buffer), None


def _malformed(text: bytes) -> Exception:
    return feed.cut_off(CALL, f"unexpected {text.strip()[:40]!r} between order lines")


def parse(raw: list[bytes], declared: bytes = b"") -> list[dict[str, str | None]]:
    """The records of raw lines cut by :func:`scan`, parsed with the guards in the answer's declared encoding."""
    return feed.parse_elements(raw, CALL, declared)


def classify(stream: IO[bytes], known: Mapping[str, str], batch: int
             ) -> Iterator[tuple[list[str], list[tuple[dict[str, str | None], str]]]]:
    """Batches of ``(ticket numbers of lines held unchanged, [(record, fingerprint) of the other lines])``.

    ``known`` maps the fingerprints of lines already held to their ticket numbers.
    """
    held: list[str] = []
    unknown: list[tuple[bytes, str]] = []
    declared, buffer = _prolog(stream)
    for raw in _lines(stream, buffer):
        digest = fingerprint(raw)
        number = known.get(digest)
        if number is not None:
            held.append(number)
            continue
        unknown.append((raw, digest))
        if len(unknown) >= batch:
            yield held, _parsed(unknown, declared)
            held, unknown = [], []
    yield held, _parsed(unknown, declared)


def _parsed(unknown: list[tuple[bytes, str]], declared: bytes) -> list[tuple[dict[str, str | None], str]]:
    records = parse([raw for raw, _ in unknown], declared)
    if len(records) != len(unknown):
        raise feed.cut_off(CALL, "an order line holds another line")
    return [(record, digest) for record, (_, digest) in zip(records, unknown)]

