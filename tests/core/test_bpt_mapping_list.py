"""The setup screen's list of BPT prices: unmapped first, with what each maps to; events for the queue filter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gbetix_core.bpt.mapping import event_choices, price_mappings
from gbetix_core.models import BptDate, BptEvent, BptPrice, Performance, Show, TicketType


def test_unmapped_prices_come_first_and_mapped_ones_name_their_performance_and_type(db):
    show = Show.create(name="The Main Event", season=2026)
    perf = Performance.create(show=show, starts_at=dt.datetime(2026, 12, 4, 19, 30), house_capacity=300,
                              max_advance_sales=280)
    ga = TicketType.create(name="General Admission", price=Decimal("35"), season=2026)
    event = BptEvent.create(event_id="4412001", title="GBE 2026")
    mapped = BptDate.create(date_id="1", event=event, date_start=dt.date(2026, 12, 4), time_start="19:30",
                            performance=perf)
    loose = BptDate.create(date_id="2", event=event, date_start=dt.date(2026, 12, 5), time_start="14:00")
    BptPrice.create(price_id="10", event=event, date=mapped, name="General Admission", value=Decimal("35"),
                    ticket_type=ga)
    BptPrice.create(price_id="20", event=event, date=loose, name="Mystery", value=Decimal("12.50"))

    rows = price_mappings()

    assert [(r.price, r.mapped) for r in rows] == [("Mystery", False), ("General Admission", True)]
    assert (rows[1].performance, rows[1].starts_at, rows[1].ticket_type) == (
        "The Main Event", dt.datetime(2026, 12, 4, 19, 30), "General Admission")
    assert rows[0].date == "2026-12-05 14:00" and rows[0].performance is None
    assert event_choices() == [("GBE 2026 (4412001)", "4412001")]
