"""BPT's XML answers turned into plain records, safely and without holding the whole answer.

Parsing runs on expat with defusedxml's protections installed (the handlers
``defusedxml.ElementTree`` installs): a DTD, an entity declaration or an
external reference raises at once, so a billion-laughs answer never expands;
an undeclared entity is a parse error. We drive expat directly rather than
through ``defusedxml.ElementTree.iterparse`` because that one wraps expat in
the pure-Python ElementTree parser, which takes about 7 s to read a
100,000-line orderlist here against 2 s for this reader. The answer is fed in
chunks and records are yielded as they complete (memory: a chunk and a few
records); an answer that stops mid-way is reported as cut off. Empty tags
(``<address/>``) become ``None``, never the text "None".
"""

from __future__ import annotations

import contextlib
import html
import io
import pyexpat
import re
from typing import IO, Iterator

from defusedxml import DTDForbidden, DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden

from gbetix_core.errors import BptError

OK_CODE = "000000"
HEADER = frozenset(("result", "resultcode", "note"))
IGNORED = frozenset(("document", "totaldates", "totalprices"))
ELEMENTS = {"eventlist": "event", "datelist": "date", "pricelist": "price", "orderlist": "item"}
ORDER_FIELDS = (
    "order_time", "date_id", "price_id", "quantity", "fname", "lname", "address", "city", "state", "zip",
    "country", "email", "phone", "cc", "shipping_method", "order_notes", "ticket_number", "section", "row",
    "seat", "tracker_id",
)
CHUNK = 256 * 1024
WEB_PAGE_PEEK = 4096
WEB_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(<\?xml\s[^>]*\?>)")


def vendor_failure(call: str, header: dict[str, str | None]) -> BptError:
    code = header.get("resultcode") or "(none)"
    note = header.get("note") or header.get("result") or "no reason given"
    return BptError(f"BPT refused {call}: {note} (code {code})")


class _Reader:
    """Collects records from expat's end-tag and text events.

    No start-tag handler, so expat makes two Python calls per field (its text,
    then its end). The header's tags land in the first record and are taken
    out of it (and checked) when that record ends.
    """

    def __init__(self, call: str):
        self.call = call
        self.checked = False
        self.done: list[dict[str, str | None]] = []
        self.data, self.end = self._handlers(ELEMENTS[call])

    def _handlers(self, element: str):
        text = ""
        record: dict[str, str | None] = {}
        done = self.done

        def data(chunk: str) -> None:
            nonlocal text
            text += chunk

        def end(name: str) -> None:
            nonlocal text, record
            if name == element:
                if not self.checked:
                    self.check(record)
                done.append(record)
                record = {}
            else:
                record[name] = text.strip() or None
            text = ""

        self.pending = lambda: record
        return data, end

    def check(self, record: dict[str, str | None]) -> None:
        header = {name: record.pop(name, None) for name in HEADER if name in record}
        for name in IGNORED:
            record.pop(name, None)
        if "resultcode" not in header:
            raise BptError(f"BPT's answer to {self.call} has no result code; it is not a BPT api2 document")
        if header.get("resultcode") != OK_CODE:
            raise vendor_failure(self.call, header)
        self.checked = True


def _refuse_doctype(name, *_args):
    raise DTDForbidden(name, None, None)


def _refuse_entity(name, *_args):
    raise EntitiesForbidden(name, None, None, None, None, None)


def _refuse_external(context, base, sysid, pubid):
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


def _parser(reader: _Reader):
    parser = pyexpat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_external
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.data
    return parser


@contextlib.contextmanager
def reading(call: str) -> Iterator[None]:
    """Turn expat's and defusedxml's exceptions into BptErrors a box-office person can read."""
    try:
        yield
    except DefusedXmlException as exc:
        raise BptError(f"BPT's answer to {call} was refused for safety ({type(exc).__name__}): "
                       "it declares XML entities or a DTD, which a real answer never does") from None
    except pyexpat.ExpatError as exc:
        raise cut_off(call, f"{pyexpat.ErrorString(exc.code)} at line {exc.lineno}") from None


def cut_off(call: str, detail: str) -> BptError:
    return BptError(f"BPT's answer to {call} is not complete, valid XML ({detail}); perhaps it was cut off in "
                    "transit. Nothing from it was imported; the next sync will fetch it again.")


def iter_records(source: IO[bytes] | bytes, call: str) -> Iterator[dict[str, str | None]]:
    """Yield each repeated element of a ``call`` answer as {tag: text or None}.

    The header is checked before the first record is yielded: any resultcode
    other than 000000 raises BptError with the vendor's note, even when
    ``<result>`` says success.
    """
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    reader = _Reader(call)
    parser = _parser(reader)
    with reading(call):
        while True:
            chunk = stream.read(CHUNK)
            parser.Parse(chunk, not chunk)
            if reader.done:
                yield from reader.done
                reader.done.clear()
            if not chunk:
                break
    if not reader.checked:
        reader.check(reader.pending())


def check_prolog(prolog: bytes, call: str, whole: bool) -> None:
    """Parse an answer's start (or, ``whole``, all of it) with the guards on and check its result code."""
    reader = _Reader(call)
    with reading(call):
        _parser(reader).Parse(prolog, whole)
    if not reader.checked:
        reader.check(reader.pending())


def refuse_web_page(start: bytes, call: str) -> None:
    """Raise BptError naming a web page (a maintenance or login page answered with 200) for what it is.

    Without this, the parser meets ``<!DOCTYPE html>`` and the operator
    reads that the answer was refused for declaring a DTD.
    """
    head = start.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith((b"<!doctype html", b"<html")) and b"<html" not in head[:512]:
        return
    title = WEB_TITLE.search(start)
    text = html.unescape(" ".join(title.group(1).decode("utf-8", "replace").split())) if title else ""
    raise BptError(f"BPT answered with a web page, not XML: {text or 'a page without a title'} "
                   f"(asking for {call}); BPT may be down for maintenance, the next sync will try again")


def declaration(prolog: bytes) -> bytes:
    """The answer's XML declaration (``<?xml ... encoding="ISO-8859-1"?>``), or nothing when it has none.

    Elements cut out of an answer are re-wrapped with it, so they are read in
    the encoding the answer declared and a buyer called Zoë stays Zoë.
    """
    found = DECLARATION.match(prolog)
    return found.group(1) if found else b""


def parse_elements(raw: list[bytes], call: str, declared: bytes = b"") -> list[dict[str, str | None]]:
    """Parse complete repeated elements cut from an answer whose header was already checked.

    ``declared`` is the answer's XML declaration (see :func:`declaration`).
    """
    reader = _Reader(call)
    reader.checked = True
    with reading(call):
        _parser(reader).Parse(declared + b"<document>" + b"".join(raw) + b"</document>", True)
    return reader.done


def read_records(source: IO[bytes] | bytes, call: str) -> list[dict[str, str | None]]:
    """All records of a small answer (events, dates, prices)."""
    return list(iter_records(source, call))


def check_header(stream: IO[bytes], call: str) -> None:
    """Check a downloaded answer's result code without parsing its items, then rewind it.

    Lets the sync refuse a vendor failure before opening a write transaction.
    """
    try:
        for _ in iter_records(stream, call):
            break
    finally:
        stream.seek(0)
