"""BPT's answers written exactly as the vendor lays them out (see bpt-api.md's example)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from gbetix_core.bpt.feed import ORDER_FIELDS

EVENT_FIELDS = (
    "title", "link", "description", "event_id", "live", "e_address1", "e_address2", "e_city", "e_state",
    "e_country", "e_zip", "e_phone", "e_web", "e_description", "c_name", "c_phone", "c_address1", "c_address2",
    "c_city", "c_state", "c_country", "c_zip", "c_email",
)
DATE_FIELDS = ("date_id", "live", "datestart", "dateend", "timestart", "timeend", "date_available")
PRICE_FIELDS = ("price_id", "live", "name", "value", "service_fee", "venue_fee", "price_available")
PROLOGUE = b'<?xml version="1.0" encoding="UTF-8"?>\n<document>\n'
SUCCESS = b"<result>success</result>\n<resultcode>000000</resultcode>\n<note/>\n"
END = b"</document>\n"


def failure(code: str, note: str) -> bytes:
    return (PROLOGUE + f"<result>fail</result>\n<resultcode>{code}</resultcode>\n<note>{escape(note)}</note>\n"
            .encode() + END)


def element(tag: str, record: dict, fields: tuple[str, ...]) -> bytes:
    """One repeated element, one tab-indented child per field; empty values self-close."""
    lines = [f"<{tag}>"]
    for name in fields:
        value = record.get(name)
        lines.append(f"\t<{name}>{escape(str(value))}</{name}>" if value not in (None, "") else f"\t<{name}/>")
    lines.append(f"</{tag}>\n")
    return "\n".join(lines).encode()


def order_item(order: dict, tracker: bool) -> bytes:
    return element("item", order, ORDER_FIELDS if tracker else ORDER_FIELDS[:-1])


def document(parts: list[bytes], total: tuple[str, int] | None = None) -> bytes:
    """A success answer holding ``parts`` (pre-rendered elements), with a total line if the call has one."""
    head = PROLOGUE + SUCCESS
    if total:
        head += f"<{total[0]}>{total[1]}</{total[0]}>\n".encode()
    return b"".join([head, *parts, END])


def events(records: list[dict]) -> bytes:
    return document([element("event", e, EVENT_FIELDS) for e in records])


def dates(records: list[dict]) -> bytes:
    return document([element("date", d, DATE_FIELDS) for d in records], ("totaldates", len(records)))


def prices(records: list[dict]) -> bytes:
    return document([element("price", p, PRICE_FIELDS) for p in records], ("totalprices", len(records)))
