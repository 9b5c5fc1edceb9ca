"""Fuzzing BPT's order lines: whatever BPT sends in a field, the sync imports the line or skips it with a warning.

An event never fails on an unexpected error (which would leave every line of
it unimported), and nothing reaches the operator as a traceback.
"""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from gbetix_core.models import Purchase
from tests.bpt_support import line
from tests.fuzz_support import values

FIELDS = ("fname", "lname", "email", "phone", "quantity", "order_time", "address", "zip", "tracker_id",
          "ticket_number", "date_id", "price_id", "order_notes", "cc")
numbers = itertools.count(1)


@given(changes=st.dictionaries(st.sampled_from(FIELDS), values(60) | st.just("L" * 300) | st.text(min_size=256),
                               min_size=1, max_size=3))
def test_any_field_value_is_imported_or_skipped_never_an_unexpected_error(bpt, changes):
    bpt.dataset.add_orders([line(next(numbers), **changes)])
    run = bpt.sync()
    assert "unexpected error" not in (run.error or ""), run.error
    assert run.status in ("ok", "partial", "failed")
    assert Purchase.select().count() <= len(bpt.dataset.orders)
