"""BPT's catalog with values no column can hold: amounts and counts dropped, an unstorable title a clear event error."""

from __future__ import annotations

import json

from gbetix_core.bpt.fake.catalog import EVENT_ID
from gbetix_core.models import BptDate, BptPrice, Purchase
from tests.bpt_support import line


def test_a_nan_or_huge_price_and_a_huge_count_are_dropped_and_the_lines_still_import(bpt):
    date = bpt.dataset.event(EVENT_ID)["dates"][0]
    date["date_available"] = "99999999999999999999"
    date["prices"][1].update(value="NaN", service_fee="1e20")
    bpt.dataset.add_orders([line(1)])
    run = bpt.sync()
    assert run.error is None and Purchase.select().count() == 1
    price = BptPrice.get(BptPrice.price_id == date["prices"][1]["price_id"])
    assert (price.value, price.service_fee) == (None, None)
    assert BptDate.get(BptDate.date_id == date["date_id"]).available is None


def test_an_event_title_no_column_can_hold_fails_that_event_with_a_clear_error(bpt):
    bpt.dataset.event(EVENT_ID)["title"] = "T" * 300
    bpt.dataset.add_orders([line(1)])
    run = bpt.sync()
    assert "BPT's event cannot be stored: title 'TTTT" in run.error
    assert "unexpected" not in run.error and not Purchase.select().exists()
    assert json.loads(run.warnings) == []
