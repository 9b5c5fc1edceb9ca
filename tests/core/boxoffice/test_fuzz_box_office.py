"""Fuzzing ``gbetix sell`` and ``gbetix checkin``: success or a one-line refusal, never a traceback or half a sale."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbetix_core.boxoffice.sales import PAYMENTS
from gbetix_core.models import CheckIn, Item, Order
from tests.core.boxoffice.helpers import NOW
from tests.fuzz_support import assert_success_or_refusal, run_cli, values

STAFF = st.sampled_from(["Bea", "Manny", "Dana", "Ada", "Nobody"]) | values()
PAIRS = st.lists(st.tuples(st.sampled_from(["General Admission", "Student", "1", "2"]) | values(),
                           st.sampled_from(["1", "2"]) | values()).map("=".join) | values(), max_size=3)


@pytest.fixture
def config(festival, db_url, tmp_path) -> str:
    path = tmp_path / "gbetix.toml"
    path.write_text(f'[database]\nurl = "{db_url}"\n[boxoffice]\ntime_zone = "America/Chicago"\n')
    return str(path)


def rows() -> tuple[int, int, int]:
    return Order.select().count(), Item.select().count(), CheckIn.select().count()


@given(perf=st.sampled_from(["1", "2"]) | values(), tickets=PAIRS, payment=st.sampled_from(PAYMENTS) | values(),
       extra=st.lists(st.tuples(st.sampled_from(["--donation", "--promo", "--ref", "--customer", "--item"]), values()),
                      max_size=2),
       staff=STAFF)
def test_sell_succeeds_or_refuses_in_one_line_and_writes_nothing_when_refused(
        config, capsys, monkeypatch, perf, tickets, payment, extra, staff):
    monkeypatch.setattr("gbetix_core.boxoffice.sales.festival_now", lambda zone: NOW)
    before = rows()
    options = [part for pair in extra for part in pair]
    code, err = run_cli(capsys, "--config", config, "sell", perf, *tickets, "--payment", payment, *options,
                        "--as", staff)
    assert_success_or_refusal(code, err)
    if code != 0:
        assert rows() == before


@given(perf=st.sampled_from(["1", "2"]) | values(), who=values(), count=st.none() | values(),
       undo=st.booleans(), staff=STAFF)
def test_checkin_succeeds_or_refuses_in_one_line_and_writes_nothing_when_refused(
        config, capsys, perf, who, count, undo, staff):
    before = rows()
    options = (["--count", count] if count is not None else []) + (["--undo"] if undo else [])
    code, err = run_cli(capsys, "--config", config, "checkin", perf, who, *options, "--as", staff)
    assert_success_or_refusal(code, err)
    if code != 0:
        assert rows() == before
