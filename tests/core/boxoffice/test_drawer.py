"""Tonight's takings per payment method and operator; the closing count records the difference."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gbetix_core.boxoffice.drawer import Taking, close_drawer, drawer_counts, takings
from gbetix_core.boxoffice.orders import cancel_order_items
from gbetix_core.boxoffice.sales import Basket, sell_walkup
from gbetix_core.errors import PermissionDenied
from gbetix_core.models import AuditEntry, CheckIn
from tests.core.boxoffice.helpers import NOW

ZONE = "UTC"


@pytest.fixture
def night(festival):
    """Bea sells 3 GA cash and 1 Student by card; Manny sells 1 GA cash and refunds one of Bea's."""
    cash = sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 3}), payment="cash", now=NOW,
                       time_zone=ZONE)
    sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.student.id: 1}), payment="card",
                payment_ref="4242", now=NOW, time_zone=ZONE)
    sell_walkup(festival.manager, Basket(festival.friday.id, {festival.ga.id: 1}), payment="cash", now=NOW,
                time_zone=ZONE)
    CheckIn.delete().execute()
    return cash


def test_takings_per_operator_and_payment(festival, night):
    ticket = night.items.order_by("id").first()
    cancel_order_items(festival.manager, night, [ticket.id], reason="wrong night")
    rows = takings(NOW.date(), ZONE)
    assert Taking("Bea", "card", Decimal("25.00"), Decimal("0.00")) in rows
    assert Taking("Bea", "cash", Decimal("105.00"), Decimal("0.00")) in rows
    assert Taking("Manny", "cash", Decimal("35.00"), Decimal("0.00")) in rows
    refund_day = takings(dt.date.today(), ZONE)
    if NOW.date() != dt.date.today():
        assert refund_day == [Taking("Manny", "cash", Decimal("0.00"), Decimal("-35.00"))]


def test_the_closing_count_records_the_difference(festival, night):
    count = close_drawer(festival.boxoffice, festival.boxoffice, NOW.date(), "100", note="a $5 bill missing",
                         time_zone=ZONE)
    assert (count.expected, count.counted, count.difference) == (Decimal("105.00"), Decimal("100.00"),
                                                                 Decimal("-5.00"))
    assert [c.id for c in drawer_counts(NOW.date())] == [count.id]
    assert AuditEntry.get(AuditEntry.action == "drawer.count").reason == "a $5 bill missing"
    with pytest.raises(PermissionDenied):
        close_drawer(festival.boxoffice, festival.manager, NOW.date(), "35", time_zone=ZONE)
    assert close_drawer(festival.manager, festival.boxoffice, NOW.date(), "105", time_zone=ZONE).difference == 0


def test_takings_and_count_from_the_command_line(festival, night, db_url, tmp_path, capsys):
    from gbetix_core.cli import main

    config = tmp_path / "gbetix.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n[boxoffice]\ntime_zone = "UTC"\n')
    base = ["--config", str(config), "drawer"]
    day = NOW.date().isoformat()
    assert main([*base, "close", "Bea", "--counted", "110", "--date", day, "--as", "Bea"]) == 0
    assert "difference 5.00" in capsys.readouterr().out
    assert main([*base, "takings", "--date", day]) == 0
    out = capsys.readouterr().out
    assert "Bea" in out and "card" in out and "counted Bea: 110.00 against 105.00" in out
