"""Reading BPT's XML: the documented shapes, empty tags, vendor failures, and hostile or cut-off answers."""

import pytest

from gbetix_core.bpt import feed
from gbetix_core.bpt.fake import xmlout
from gbetix_core.bpt.fake.server import BOMB
from gbetix_core.errors import BptError
from tests.bpt_support import line

EXAMPLE = b"""<?xml version="1.0" encoding="UTF-8"?>
<document>
<result>success</result>
<resultcode>000000</resultcode>
<note/>
<item>
\t<order_time>2026-10-02 21:14:05</order_time>
\t<date_id>5521001</date_id>
\t<price_id>7730012</price_id>
\t<quantity>2</quantity>
\t<fname>Rosa</fname>
\t<lname>Delgado</lname>
\t<address/>
\t<city>Somerville</city>
\t<order_notes>one is for my sister &amp; me</order_notes>
\t<ticket_number>K48213377</ticket_number>
\t<tracker_id>gbx1.ab12cd34ef</tracker_id>
</item>
</document>
"""


def test_the_documented_example_reads_as_one_record_with_empty_tags_as_none():
    [record] = feed.read_records(EXAMPLE, "orderlist")
    assert record["ticket_number"] == "K48213377"
    assert record["quantity"] == "2"
    assert record["address"] is None
    assert record["order_notes"] == "one is for my sister & me"
    assert "result" not in record and "resultcode" not in record


def test_what_the_fake_writes_reads_back_field_for_field():
    original = line(1, fname="Zoë", order_notes="<b>VIP</b> & friends", address="")
    [record] = feed.read_records(xmlout.document([xmlout.order_item(original, tracker=True)]), "orderlist")
    assert record["fname"] == "Zoë"
    assert record["order_notes"] == "<b>VIP</b> & friends"
    assert record["address"] is None and record["tracker_id"] is None
    assert {k: v or None for k, v in original.items() if k != "event_id"} == record


def test_a_date_list_skips_its_total_line():
    records = feed.read_records(xmlout.dates([{"date_id": "1", "live": "y"}, {"date_id": "2", "live": "n"}]),
                                "datelist")
    assert [r["date_id"] for r in records] == ["1", "2"]
    assert all("totaldates" not in r for r in records)


def test_an_empty_order_list_is_fine():
    assert feed.read_records(xmlout.document([]), "orderlist") == []


@pytest.mark.parametrize("result", ["fail", "success"])
def test_any_code_but_000000_is_a_failure_carrying_the_vendors_note(result):
    answer = xmlout.failure("300052", "event does not belong to account").replace(b"fail", result.encode())
    with pytest.raises(BptError, match=r"event does not belong to account \(code 300052\)"):
        feed.read_records(answer, "orderlist")


def test_an_answer_without_a_result_code_is_refused():
    with pytest.raises(BptError, match="no result code"):
        feed.read_records(b"<document><item><fname>x</fname></item></document>", "orderlist")


def test_a_cut_off_answer_is_reported_and_yields_nothing_past_the_cut():
    body = xmlout.document([xmlout.order_item(line(n), tracker=True) for n in range(50)])
    with pytest.raises(BptError, match="cut off"):
        feed.read_records(body[: len(body) // 2], "orderlist")


def test_an_entity_expansion_bomb_is_refused_without_expanding():
    with pytest.raises(BptError, match="refused for safety"):
        feed.read_records(BOMB, "orderlist")


def test_an_external_entity_is_refused():
    hostile = (b'<?xml version="1.0"?><!DOCTYPE document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               b"<document><result>success</result><resultcode>000000</resultcode><item><fname>&x;</fname>"
               b"</item></document>")
    with pytest.raises(BptError, match="refused for safety"):
        feed.read_records(hostile, "orderlist")


def test_check_header_refuses_a_failure_and_rewinds_a_success():
    import io

    good = io.BytesIO(EXAMPLE)
    feed.check_header(good, "orderlist")
    assert good.tell() == 0
    with pytest.raises(BptError, match="Unable to find event"):
        feed.check_header(io.BytesIO(xmlout.failure("300057", "Unable to find event")), "orderlist")
