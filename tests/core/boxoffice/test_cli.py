"""``gbetix sell``, ``checkin`` and ``report`` for scripts: wrong values exit 2 and write nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from gbetix_core.cli import main
from gbetix_core.models import AccountCode, CheckIn, Item, Order, Purchase
from tests.core.boxoffice.helpers import bpt_purchase


@pytest.fixture
def cli(festival, db_url, tmp_path):
    config = tmp_path / "gbetix.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n[boxoffice]\ntime_zone = "America/Chicago"\n')

    def run(*argv: str) -> int:
        return main(["--config", str(config), *argv])
    return run


def test_sell_from_the_command_line(cli, festival, capsys, monkeypatch):
    monkeypatch.setattr("gbetix_core.boxoffice.sales.festival_now", lambda zone: festival.friday.starts_at)
    AccountCode.create(code="4100", name="Donations")
    code = cli("sell", str(festival.friday.id), "general admission=2", f"{festival.student.id}=1",
               "--donation", "10", "--donation-account", "4100", "--payment", "check", "--ref", "311", "--as", "Bea")
    assert code == 0, capsys.readouterr().err
    assert "total 105.00 (check)" in capsys.readouterr().out
    assert Order.get().payment_ref == "311" and CheckIn.select().count() == 3
    assert Item.get(Item.kind == "donation").account_code.code == "4100"


@pytest.mark.parametrize("argv", [
    ("sell", "1", "Nonsense=2", "--payment", "cash", "--as", "Bea"),
    ("sell", "1", "General Admission=two", "--payment", "cash", "--as", "Bea"),
    ("sell", "1", "General Admission=1", "--payment", "barter", "--as", "Bea"),
    ("sell", "999", "General Admission=1", "--payment", "cash", "--as", "Bea"),
    ("sell", "1", "General Admission=1", "--payment", "cash", "--as", "Nobody"),
    ("sell", "1", "General Admission=1", "--payment", "check", "--as", "Bea"),
    ("sell", "1", "--donation", "5", "--donation-account", "9999", "--payment", "cash", "--as", "Bea"),
    ("sell", "1", "--donation", "-5", "--payment", "cash", "--as", "Bea"),
    ("report", "revenue", "--from", "2026-13-01", "--to", "2026-12-31"),
    ("report", "door"),
    ("checkin", "1", "K1", "--count", "0", "--as", "Dana"),
])
def test_wrong_values_exit_2_and_write_nothing(cli, argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        code = cli(*argv)
        raise SystemExit(code)
    assert stopped.value.code == 2
    assert capsys.readouterr().err
    assert Order.select().count() == 0 and Item.select().count() == 0


def test_a_refused_sale_exits_4(cli, festival, monkeypatch):
    monkeypatch.setattr("gbetix_core.boxoffice.sales.festival_now", lambda zone: festival.friday.starts_at)
    assert cli("sell", str(festival.friday.id), "Student=4", "--payment", "cash", "--as", "Bea") == 4
    assert Order.select().count() == 0


def test_checkin_and_reports_from_the_command_line(cli, festival, capsys):
    bpt_purchase(festival.friday, festival.ga, 3, "Pat", "Buyer", "pat@example.org", ticket_number="K77")
    assert cli("checkin", str(festival.friday.id), "K77", "--count", "2", "--as", "Dana") == 0
    assert "Pat Buyer: 2 checked in, 1 still to come" in capsys.readouterr().out
    assert cli("report", "door", "--performance", str(festival.friday.id), "--format", "csv") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "holder,email,tickets,checked in,confirmation,notes"
    assert out.splitlines()[1].startswith("Pat Buyer,pat@example.org,3,2,K77,")
    assert cli("report", "unmatched") == 0
    assert "K77" in capsys.readouterr().out
    assert cli("checkin", str(festival.friday.id), "K77", "--undo", "--as", "Dana") == 0
    assert CheckIn.select().where(CheckIn.undone_at.is_null()).count() == 0


def test_a_line_bpt_no_longer_lists_is_reported_then_cancelled(cli, festival, capsys):
    gone = bpt_purchase(festival.friday, festival.ga, 2, "Gil", "Gone", "gil@example.org", ticket_number="K90")
    bpt_purchase(festival.friday, festival.ga, 1, "Stay", "Put", "stay@example.org", ticket_number="K91")
    Purchase.update(gone_at=dt.datetime(2026, 12, 3, 9, 0)).where(Purchase.id == gone.id).execute()
    assert cli("report", "gone", "--format", "csv") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == ["K90,Gil Gone,gil@example.org,GBE 2026,2,2,2026-12-03 09:00"]
    assert cli("cancel", "K90", "--reason", "refunded at BPT", "--as", "Bea") == 3
    assert "manager" in capsys.readouterr().err
    assert cli("cancel", "K90", "--reason", "refunded at BPT", "--as", "Manny") == 0
    assert "K90: 2 item(s) cancelled, 70.00 refunded" in capsys.readouterr().out
    assert cli("report", "gone", "--format", "csv") == 0
    assert capsys.readouterr().out.splitlines()[1].split(",")[5] == "0"
    assert [i.kind for i in Item.select().where(Item.purchase == gone.id).order_by(Item.id)] == ["canceled"] * 2
    assert cli("cancel", "K90", "--reason", "again", "--as", "Manny") == 2
    assert "Nothing left to cancel" in capsys.readouterr().err
    assert Item.select().where(Item.kind == "ticket").count() == 1
