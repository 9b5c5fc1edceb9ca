"""The sale's clock: items are dated by it, and back-dating is a manager's audited decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gbetix_core.boxoffice.reports import revenue_report
from gbetix_core.boxoffice.sales import Basket, sell_to_customer, sell_walkup
from gbetix_core.errors import InputError, PermissionDenied
from gbetix_core.models import AuditEntry, Item, Order, User
from tests.core.boxoffice.helpers import CURTAIN, NOW

LAST_NIGHT = CURTAIN + dt.timedelta(minutes=40)
NEXT_MORNING = CURTAIN + dt.timedelta(hours=14)


@pytest.fixture
def next_morning(monkeypatch):
    """The wall clock reads the morning after Friday's show."""
    monkeypatch.setattr("gbetix_core.boxoffice.clock.wall_clock", lambda time_zone=None: NEXT_MORNING)


def test_items_are_stamped_with_the_sales_clock_not_the_wall_clock(festival):
    order = sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 2}), payment="cash", now=NOW,
                        time_zone="UTC")
    assert Order.get_by_id(order.id).created_at == NOW
    assert {i.created_at for i in Item.select().where(Item.order == order.id)} == {NOW}


def test_a_paper_sale_entered_next_morning_counts_last_night(festival, next_morning):
    rosa = User.create(username="rosa", first_name="Rosa", last_name="Delgado", email="rosa@example.org")
    basket = Basket(festival.friday.id, {festival.ga.id: 1})
    with pytest.raises(PermissionDenied, match="backdate"):
        sell_to_customer(festival.boxoffice, rosa, basket, payment="cash", now=LAST_NIGHT, backdate_reason="paper")
    with pytest.raises(InputError, match="needs a reason"):
        sell_to_customer(festival.manager, rosa, basket, payment="cash", now=LAST_NIGHT)
    assert Order.select().count() == 0
    order = sell_to_customer(festival.manager, rosa, basket, payment="cash", now=LAST_NIGHT, time_zone="UTC",
                             backdate_reason="paper sale at the interval")
    entry = AuditEntry.get(AuditEntry.action == "sale.backdate")
    assert (entry.subject, entry.reason, entry.operator) == (f"order:{order.id}", "paper sale at the interval", "Manny")
    night = LAST_NIGHT.date()
    assert revenue_report(night, night, "UTC").rows == [("cash", "(none)", Decimal("35.00"), Decimal("0.00"),
                                                         Decimal("35.00"))]
    assert revenue_report(NEXT_MORNING.date(), NEXT_MORNING.date(), "UTC").rows == []


def test_a_few_minutes_late_is_not_back_dating(festival, next_morning):
    sell_walkup(festival.boxoffice, Basket(festival.saturday.id, {festival.ga.id: 1}), payment="cash",
                now=NEXT_MORNING - dt.timedelta(minutes=5))
    assert not AuditEntry.select().where(AuditEntry.action == "sale.backdate").exists()


def test_back_dating_from_the_command_line(festival, next_morning, db_url, tmp_path, capsys):
    from gbetix_core.cli import main

    config = tmp_path / "gbetix.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n[boxoffice]\ntime_zone = "UTC"\n')
    argv = ["--config", str(config), "sell", str(festival.friday.id), "General Admission=1", "--payment", "cash",
            "--dated", LAST_NIGHT.isoformat(sep=" ")]
    assert main([*argv, "--as", "Bea", "--reason", "paper"]) == 3
    assert main([*argv, "--as", "Manny"]) == 2
    assert main([*argv, "--as", "Manny", "--reason", "paper sale", "--tendered", "50"]) == 0
    assert "tendered 50.00, change due 15.00" in capsys.readouterr().out
    assert Order.get().created_at == LAST_NIGHT
