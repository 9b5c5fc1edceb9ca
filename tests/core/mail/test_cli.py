"""``gbetix mail``, ``gbetix claim-code`` and ``gbetix transfer``: the same core as the app; bad input exits 2."""

from __future__ import annotations

import pytest

from gbetix_core.matching.engine import match_all_unresolved
from gbetix_core.models import ClaimCode, Item, OutboxMessage, Purchase, Staff, Transfer
from gbetix_core.people.staff import add_staff
from tests.core.matching.festival import order
from tests.core.matching.test_cli import cli as configured, run  # noqa: F401  (a fixture)


@pytest.fixture
def cli(configured):
    configured.buy(order("K500", "George", "Baker", "george@example.org", quantity=2))
    match_all_unresolved(configured.config)
    return configured


def test_transfer_to_a_name_and_email_then_cancel_and_then_to_a_user(cli, capsys):
    code, out, _ = run(capsys, "transfer", "K500", "--to-name", "Dora Diaz", "--to-email", "dora@example.net",
                       "--as", "Manny Manager")
    assert code == 0 and "2 ticket(s) waiting for dora@example.net" in out
    code, out, _ = run(capsys, "mail", "list", "--status", "pending")
    assert code == 0 and "gift" in out and "Dora Diaz <dora@example.net>" in out
    first = Item.select().join(Purchase).where(Purchase.ticket_number == "K500").order_by(Item.id).first()
    code, out, _ = run(capsys, "transfer", "cancel", f"#{first.id}", "--as", "Manny Manager")
    assert code == 0 and "1 pending transfer(s) canceled" in out
    code, out, _ = run(capsys, "transfer", str(first.id), "--to", "amy", "--as", "Manny Manager")
    assert code == 0 and "1 ticket(s) moved" in out
    code, _, err = run(capsys, "transfer", "K500", "--to", "bob", "--as", "Manny Manager")
    assert code == 2 and "held by several people" in err
    assert {t.status for t in Transfer.select()} == {"pending", "canceled", "done"}


def test_transfer_refuses_bad_input_and_weak_roles(cli, capsys):
    assert run(capsys, "transfer", "K500", "--as", "Manny Manager")[0] == 2
    both = ("--to", "amy", "--to-email", "x@example.net")
    assert run(capsys, "transfer", "K500", *both, "--as", "Manny Manager")[0] == 2
    assert run(capsys, "transfer", "K999", "--to", "amy", "--as", "Manny Manager")[0] == 2
    assert run(capsys, "transfer", "cancel", "K500", "--as", "Manny Manager")[0] == 2
    add_staff("Dee Door", "door", by=Staff.get(Staff.name == "Ada Admin"))
    assert run(capsys, "transfer", "K500", "--to", "amy", "--as", "Dee Door")[0] == 3
    assert not Transfer.select().exists()


def test_mail_send_with_outbox_only_sends_nothing_and_says_so(cli, capsys):
    code, out, _ = run(capsys, "mail", "status", "bob")
    assert code == 0 and "queued to bob.smith@example.org" in out
    code, out, _ = run(capsys, "mail", "send")
    assert code == 0 and 'outbox-only' in out and out.startswith("1 waiting")
    assert OutboxMessage.get().status == "pending"


def test_claim_code_mails_a_code_and_a_wrong_one_is_refused(cli, capsys):
    cli.buy(order("K501", "Bobby", "Smythe", "old.address@example.net"))
    code, out, _ = run(capsys, "claim-code", "bob", "K501")
    assert code == 0 and "o***@example.net" in out and ClaimCode.select().count() == 1
    code, out, _ = run(capsys, "claim-code", "bob", "K501", "00000000")
    assert code == 1 and "wrong or has expired" in out
    assert run(capsys, "claim-code", "bob", "K501", "abc")[0] == 2
