"""Cutting an orderlist into lines: every malformed or cut-off answer is caught, layout changes are harmless."""

import io

import pytest

from gbetix_core.bpt import orderlines
from gbetix_core.bpt.fake import xmlout
from gbetix_core.errors import BptError
from gbetix_core.models import Purchase, PurchaseVersion
from tests.bpt_support import line

ANSWER = xmlout.document([xmlout.order_item(line(n), tracker=True) for n in range(5)])


def lines_of(body: bytes) -> list[bytes]:
    return list(orderlines.scan(io.BytesIO(body)))


def test_every_line_comes_out_whole_and_parses_back():
    raw = lines_of(ANSWER)
    assert len(raw) == 5 and all(r.startswith(b"<item>") and r.endswith(b"</item>") for r in raw)
    assert [r["ticket_number"] for r in orderlines.parse(raw)] == [f"K{48213000 + n}" for n in range(5)]


def test_lines_split_across_read_chunks_are_reassembled(monkeypatch):
    whole = lines_of(ANSWER)
    monkeypatch.setattr(orderlines, "CHUNK", 7)
    assert lines_of(ANSWER) == whole


@pytest.mark.parametrize("cut", [0.2, 0.5, 0.9, -3, -12])
def test_an_answer_cut_anywhere_is_refused(cut):
    at = int(len(ANSWER) * cut) if cut > 0 else len(ANSWER) + cut
    with pytest.raises(BptError, match="cut off"):
        lines_of(ANSWER[:at])


def test_anything_but_whitespace_between_lines_is_refused():
    body = ANSWER.replace(b"</item>\n<item>", b"</item>\njunk<item>", 1)
    with pytest.raises(BptError, match="junk"):
        lines_of(body)


def test_the_header_is_checked_before_any_line():
    with pytest.raises(BptError, match="Unable to find event"):
        lines_of(xmlout.failure("300057", "Unable to find event"))
    assert lines_of(xmlout.document([])) == []


def test_a_changed_layout_at_bpt_refreshes_fingerprints_without_new_versions(bpt):
    bpt.dataset.add_orders([line(1), line(2)])
    bpt.sync()
    before = {p.ticket_number: p.digest for p in Purchase.select()}
    original = xmlout.order_item
    try:
        xmlout.order_item = lambda order, tracker: original(order, tracker).replace(b"\n\t", b"\n  ")
        bpt.fake._cache.clear()
        run = bpt.sync()
    finally:
        xmlout.order_item = original
    assert (run.unchanged, run.changed, run.new) == (2, 0, 0)
    assert PurchaseVersion.select().count() == 0
    assert all(p.digest != before[p.ticket_number] and p.version == 1 for p in Purchase.select())


def test_the_same_line_sent_twice_is_imported_once(bpt):
    bpt.dataset.orders.extend([line(1), line(1)])
    run = bpt.sync()
    assert (run.new, run.skipped) == (1, 1)
    again = bpt.sync()
    assert (again.unchanged, again.skipped) == (1, 1)
    assert Purchase.select().count() == 1


def test_an_answer_declared_iso_8859_1_keeps_its_accents():
    body = xmlout.document([xmlout.order_item(line(1, fname="Zoë", lname="Brontë"), tracker=True)])
    body = body.decode().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("iso-8859-1")
    [(held, parsed)] = list(orderlines.classify(io.BytesIO(body), {}, 10))
    [(record, _digest)] = parsed
    assert (record["fname"], record["lname"]) == ("Zoë", "Brontë")
