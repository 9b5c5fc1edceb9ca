"""Syncing from the real fake BPT over loopback, through every fault: nothing lost, nothing duplicated."""

import json
import signal
import subprocess
import sys
import time

import httpx
import pytest
from peewee import fn

from gbetix_core.bpt.sync import run_sync
from gbetix_core.models import BptEvent, Item, Order, Purchase, SyncRun, WaitingSeats
from tests.bpt_support import config, line

pytestmark = pytest.mark.slow
LINES = 40


def assert_all_imported_once(count: int = LINES) -> None:
    assert Purchase.select().count() == count
    assert Order.select().count() == count
    assert Item.select().where(Item.purchase.is_null(False)).count() == 2 * count
    assert waiting_seats() == 0


def waiting_seats() -> int:
    """Seats of BPT lines whose tickets are not issued yet."""
    return WaitingSeats.select(fn.COALESCE(fn.SUM(WaitingSeats.count), 0)).scalar()


def assert_nothing_imported() -> None:
    assert Purchase.select().count() == 0 and Order.select().count() == 0 and Item.select().count() == 0
    assert BptEvent.select().count() == 0


@pytest.fixture
def selling(fake, festival):
    fake.dataset.add_orders([line(n, quantity=2) for n in range(LINES)])
    return fake


def test_server_errors_then_success_imports_everything_once(selling):
    selling.faults.fail_first = 3
    run = run_sync(config(selling.url))
    assert (run.status, run.new) == ("ok", LINES)
    assert_all_imported_once()


def test_a_timeout_fails_the_run_and_the_next_run_imports_everything_once(selling):
    selling.faults.slow = 1.0
    run = run_sync(config(selling.url, read_timeout=0.2, retries=1))
    assert run.status == "failed" and "tries" in run.error
    assert_nothing_imported()
    selling.faults.slow = 0
    assert run_sync(config(selling.url)).new == LINES
    assert_all_imported_once()


def test_a_cut_off_order_list_leaves_the_database_as_it_was(selling):
    selling.faults.truncate = True
    run = run_sync(config(selling.url))
    assert run.status == "failed" and "cut off" in run.error
    assert_nothing_imported()
    selling.faults.truncate = False
    assert run_sync(config(selling.url)).status == "ok"
    assert_all_imported_once()


def test_a_cut_off_answer_on_a_later_sync_keeps_the_earlier_import_intact(selling):
    run_sync(config(selling.url))
    selling.dataset.add_orders([line(n, quantity=2) for n in range(LINES, LINES + 5)])
    selling.faults.truncate = True
    assert run_sync(config(selling.url)).status == "failed"
    assert_all_imported_once()
    assert Purchase.select().where(Purchase.gone_at.is_null(False)).count() == 0
    selling.faults.truncate = False
    assert run_sync(config(selling.url)).new == 5
    assert_all_imported_once(LINES + 5)


def test_an_entity_bomb_is_refused_and_nothing_is_written(selling):
    selling.faults.bomb = True
    run = run_sync(config(selling.url))
    assert run.status == "failed" and "refused for safety" in run.error
    assert_nothing_imported()


def test_a_vendor_failure_code_is_recorded_with_its_note(selling):
    run = run_sync(config(selling.url, developer_id="wrong"))
    assert run.status == "failed"
    assert "Invalid developer ID (code 100003)" in run.error
    assert_nothing_imported()


def test_an_unknown_price_skips_that_line_and_imports_the_rest(selling):
    selling.dataset.add_orders([line(999, price_id="424242")])
    run = run_sync(config(selling.url))
    assert (run.status, run.new, run.skipped) == ("partial", LINES, 1)
    assert any("K48213999" in w for w in json.loads(run.warnings))
    assert_all_imported_once()


@pytest.mark.parametrize(("params", "code"), [
    ({"id": "nope", "client": "gbe"}, "100003"),
    ({"id": "gbetix-demo", "account": "gbe", "event_id": "1"}, "300057"),
    ({"id": "gbetix-demo", "account": "gbe"}, "300055"),
    ({"id": "gbetix-demo", "account": "gbe", "event_id": "4419999"}, "300052"),
])
def test_the_fake_answers_the_vendors_refusals(fake, params, code):
    call = "eventlist" if "client" in params else "orderlist"
    body = httpx.get(f"{fake.url}/api2/{call}", params=params).content
    assert f"<resultcode>{code}</resultcode>".encode() in body and b"<result>fail</result>" in body


def write_config(tmp_path, url: str, db_url: str) -> str:
    path = tmp_path / "gbetix.toml"
    path.write_text(f'[database]\nurl = "{db_url}"\n[bpt]\nbase_url = "{url}"\nretry_backoff = 0.01\n'
                    'lock_stale_after = 600.0\n')
    return str(path)


def gbetix(config_path: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gbetix_core.cli", "--config", config_path, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_syncs_started_at_once_import_exactly_once(selling, db_url, tmp_path):
    selling.faults.slow = 0.3
    path = write_config(tmp_path, selling.url, db_url)
    procs = [gbetix(path, "sync", "--quiet") for _ in range(2)]
    codes = sorted(p.wait(timeout=60) for p in procs)
    outputs = [p.stderr.read() for p in procs]
    assert codes in ([0, 0], [0, 6]), outputs
    if codes == [0, 6]:
        assert any("Another sync" in out or "already running" in out for out in outputs)
    assert sum(r.new for r in SyncRun.select()) == LINES
    assert_all_imported_once()


def test_a_sync_killed_mid_import_keeps_its_whole_batches_and_the_next_one_completes(fake, festival, db_url,
                                                                                     tmp_path):
    total = 20_000  # an import of seconds, so the kill 0.3 s in always lands inside it
    fake.dataset.add_orders([line(n, quantity=2) for n in range(total)])
    proc = gbetix(write_config(tmp_path, fake.url, db_url), "sync")
    for text in proc.stderr:
        if text.startswith("  import event"):
            break
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    held = Purchase.select().count()
    assert held < total
    issued = Item.select().where(Item.purchase.is_null(False)).count()
    assert issued + waiting_seats() == 2 * held  # whole batches: each line's tickets or its seats waiting
    run = run_sync(config(fake.url))
    assert run.status == "ok" and run.new + run.unchanged == total
    assert_all_imported_once(total)
    killed = SyncRun.select().order_by(SyncRun.id).first()
    assert killed.status == "failed" and "interrupted" in killed.error


def test_over_loopback_changed_buyer_details_become_a_version_and_a_vanished_line_is_flagged(selling):
    run_sync(config(selling.url))
    selling.dataset.change_order("K48213001", fname="Rosalind", email="rosalind@example.org")
    selling.dataset.remove_order("K48213002")
    run = run_sync(config(selling.url))
    assert (run.new, run.changed, run.gone, run.unchanged) == (0, 1, 1, LINES - 2)
    changed = Purchase.get(Purchase.ticket_number == "K48213001")
    assert changed.version == 2 and changed.purchaser.first_name == "Rosalind"
    assert changed.versions.count() == 1
    assert Purchase.get(Purchase.ticket_number == "K48213002").gone_at is not None
    assert_all_imported_once()
