"""Fuzzing BPT's order lines: whatever BPT sends in a field, the sync imports the line or skips it with a warning.

An event never fails on an unexpected error (which would leave every line of
it unimported), and nothing reaches the operator as a traceback.
"""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from gbetix_core.bpt.feed import read_records
from gbetix_core.errors import BptError
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


ITEM = st.builds(lambda tag, body: f"<item><{tag}>{body}</{tag}></item>".encode(),
                 st.sampled_from(["fname", "quantity", "ticket_number", "x"]), values(30))


@given(body=st.binary(max_size=200) | st.lists(ITEM, max_size=3).map(b"".join),
       prolog=st.sampled_from([b"", b'<?xml version="1.0"?>', b'<!DOCTYPE d [<!ENTITY e "x">]>']))
def test_any_orderlist_answer_gives_records_or_a_bpt_error(body, prolog):
    """BPT's raw bytes, valid or not: the reader returns records of text, or says in a BptError what was wrong."""
    raw = prolog + b"<document><result>success</result><resultcode>000000</resultcode>" + body + b"</document>"
    try:
        records = read_records(raw, "orderlist")
    except BptError as exc:
        assert "\n" not in str(exc)
        return
    assert all(isinstance(v, str) or v is None for record in records for v in record.values())
