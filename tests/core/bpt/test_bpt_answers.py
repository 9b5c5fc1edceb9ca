"""BPT as it really answers: other encodings, web pages, impossible lines, failed catalog calls, escaped titles."""

from __future__ import annotations

import json
from decimal import Decimal

from gbetix_core.bpt.fake import xmlout
from gbetix_core.models import BptEvent, BptPrice, Purchase, Purchaser
from tests.bpt_support import line, price_of


def warnings_of(run) -> str:
    return "\n".join(json.loads(run.warnings or "[]"))


def test_an_order_list_declared_iso_8859_1_is_imported_with_its_accents(bpt):
    bpt.dataset.add_orders([line(1, fname="Zoë"), line(2)])
    bpt.rewrite["orderlist"] = lambda status, body: (status, body.decode().replace(
        'encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("iso-8859-1"))
    run = bpt.sync()
    assert (run.status, run.new) == ("ok", 2), run.error
    assert Purchaser.get(Purchaser.last_name == "Delgado", Purchaser.email == "buyer1@example.org").first_name == "Zoë"


def test_a_maintenance_page_fails_the_event_naming_the_page(bpt):
    bpt.dataset.add_orders([line(1)])
    bpt.rewrite["orderlist"] = lambda status, body: (200, b"<!DOCTYPE html><html><head><title>Down for "
                                                          b"maintenance</title></head></html>")
    run = bpt.sync()
    assert run.status == "failed"
    assert "BPT answered with a web page, not XML: Down for maintenance" in run.error
    assert Purchase.select().count() == 0


def test_lines_with_impossible_quantities_are_skipped_and_the_rest_imported(bpt):
    bpt.dataset.add_orders([line(1, quantity="9" * 20), line(2, quantity=""), line(3, quantity="two"),
                            line(4, quantity=2)])
    run = bpt.sync()
    assert (run.status, run.new, run.skipped) == ("partial", 1, 3)
    text = warnings_of(run)
    assert "ticket K48213002 has no quantity; line skipped" in text
    assert "ticket K48213001: quantity '999999999999...' is not a whole number from 1 to 10,000" in text
    assert "quantity 'two'" in text
    again = bpt.sync()
    assert (again.status, again.unchanged, again.skipped) == ("partial", 1, 3)


def test_a_price_whose_amount_cannot_be_read_skips_its_lines_with_a_warning(bpt):
    bpt.dataset.events[0]["dates"][0]["prices"][1]["value"] = "twenty-five"
    bpt.dataset.add_orders([line(1, kind=1), line(2, kind=0)])
    run = bpt.sync()
    assert (run.new, run.skipped) == (1, 1)
    text = warnings_of(run)
    assert f"BPT price {price_of(0, 1)} 'Student' has no amount that can be read ('twenty-five')" in text
    assert "ticket K48213001: BPT price 'Student' has no amount that can be read; line skipped" in text
    assert Purchase.get().ticket_number == "K48213002"


def test_an_order_time_that_cannot_be_read_is_reported_and_left_empty(bpt):
    bpt.dataset.add_orders([line(1, order_time="last Tuesday")])
    run = bpt.sync()
    assert run.new == 1 and Purchase.get().order_time is None
    assert "ticket K48213001: order time 'last Tuesday' is not a date and time; stored without one" in warnings_of(run)


def fail(status: int, body: bytes) -> tuple[int, bytes]:
    return 500, b"Internal Server Error"


def empty_list(status: int, body: bytes) -> tuple[int, bytes]:
    return status, xmlout.document([])


def test_failed_or_empty_catalog_calls_use_the_last_good_catalog_and_orders_still_come_in(bpt):
    bpt.dataset.add_orders([line(1)])
    assert bpt.sync().status == "ok"
    bpt.dataset.add_orders([line(2, kind=1), line(3, date=2)])
    for call, rewrite, what in [("datelist", fail, "date list"), ("pricelist", empty_list, "price list"),
                                ("eventlist", fail, "event list"), ("eventlist", empty_list, "event list")]:
        bpt.rewrite = {call: rewrite}
        run = bpt.sync()
        assert run.status == "ok", (call, run.error)
        assert f"BPT's {what}" in warnings_of(run) and "used the one from the last good sync" in warnings_of(run)
    assert Purchase.select().count() == 3
    assert BptPrice.select().count() == 16 and BptPrice.get(BptPrice.price_id == price_of(0, 1)).value == Decimal("25")


def test_a_failed_catalog_call_with_nothing_held_still_fails_the_event(bpt):
    bpt.dataset.add_orders([line(1)])
    bpt.rewrite = {"datelist": fail}
    run = bpt.sync()
    assert run.status == "failed" and Purchase.select().count() == 0


def test_html_entities_in_titles_and_descriptions_are_unescaped_for_display(bpt):
    event = bpt.dataset.events[0]
    event["title"], event["description"] = "Burlesque &amp; Cabaret", "Three days &ndash; &quot;the best&quot;"
    event["dates"][0]["prices"][0]["name"] = "General Admission &amp; more"
    bpt.sync()
    stored = BptEvent.get(BptEvent.event_id == event["event_id"])
    assert (stored.title, stored.description) == ("Burlesque & Cabaret", 'Three days \u2013 "the best"')
    assert BptPrice.get(BptPrice.price_id == price_of(0, 0)).name == "General Admission & more"
