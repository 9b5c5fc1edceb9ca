"""Two records of one person merged: fresher fields, every row kept, audited, undone exactly; specials refused."""

from __future__ import annotations

import datetime as dt

import pytest

from gbetix_core.boxoffice.sales import Basket, sell_to_customer
from gbetix_core.errors import InputError, PermissionDenied, SaleRefused
from gbetix_core.models import AuditEntry, Claim, Item, MatchCandidate, Order, Staff, User
from gbetix_core.people.accounts import special_account
from gbetix_core.people.merge import merge_suggestions, merge_users, undo_merge
from tests.core.boxoffice.helpers import NOW, bpt_purchase


@pytest.fixture
def two_rosas(festival):
    old = User.create(username="rosa_old", first_name="Rosa", last_name="Delgado", email="rosa@old.example",
                      phone="+16175550142", address="12 Elm St", updated_at=dt.datetime(2024, 1, 1),
                      created_at=dt.datetime(2020, 1, 1))
    new = User.create(username="rosa", first_name="Rosa", last_name="Delgado-Ruiz", email="rosa@new.example",
                      phone="+16175550142", address=None, updated_at=dt.datetime(2026, 6, 1),
                      created_at=dt.datetime(2026, 6, 1))
    sell_to_customer(festival.boxoffice, old, Basket(festival.friday.id, {festival.ga.id: 2}), payment="cash", now=NOW)
    sell_to_customer(festival.boxoffice, new, Basket(festival.friday.id, {festival.ga.id: 1}), payment="cash", now=NOW)
    purchase = bpt_purchase(festival.friday, festival.ga, 1, "Rosa", "Delgado", "rosa@old.example")
    for user in (old, new):
        MatchCandidate.create(purchase=purchase, user=user, rank=1, score=0.5)
    Claim.create(user=old, username="rosa_old", ticket_number=purchase.ticket_number, ok=False)
    admin = Staff.get(Staff.name == "Ada")
    return old, new, admin


def test_merge_keeps_fresher_fields_and_every_row(two_rosas):
    old, new, admin = two_rosas
    merge = merge_users(admin, new, old, reason="same person, new account")
    kept = User.get_by_id(new.id)
    assert (kept.username, kept.last_name, kept.email, kept.address, kept.created_at) == (
        "rosa", "Delgado-Ruiz", "rosa@new.example", "12 Elm St", dt.datetime(2020, 1, 1))
    assert User.get_or_none(User.id == old.id) is None
    assert Order.select().where(Order.customer == new.id).count() == 2
    assert Item.select().where(Item.owner == new.id).count() == 3
    assert MatchCandidate.select().where(MatchCandidate.user == new.id).count() == 1
    assert Claim.get().user_id == new.id
    entry = AuditEntry.get(AuditEntry.action == "user.merge")
    assert (entry.subject, entry.reason, entry.operator) == (f"user:{new.id}", "same person, new account", "Ada")
    restored = undo_merge(admin, merge, reason="they are two people after all")
    assert (restored.id, restored.username, restored.email) == (old.id, "rosa_old", "rosa@old.example")
    assert User.get_by_id(new.id).last_name == "Delgado-Ruiz" and User.get_by_id(new.id).address is None
    assert Order.select().where(Order.customer == old.id).count() == 1
    assert Item.select().where(Item.owner == old.id).count() == 2
    assert MatchCandidate.select().where(MatchCandidate.user == old.id).count() == 1
    assert Claim.get().user_id == old.id
    with pytest.raises(SaleRefused, match="already undone"):
        undo_merge(admin, merge)


def test_special_and_staff_accounts_are_never_merged(two_rosas, festival):
    old, new, admin = two_rosas
    with pytest.raises(SaleRefused, match="special account"):
        merge_users(admin, new, special_account("walkup"), reason="r")
    Staff.update(user=old.id).where(Staff.id == festival.door.id).execute()
    with pytest.raises(SaleRefused, match="staff member Dana"):
        merge_users(admin, new, old, reason="r")
    with pytest.raises(PermissionDenied):
        merge_users(festival.manager, new, old, reason="r")
    with pytest.raises(InputError, match="reason"):
        merge_users(admin, new, old, reason=" ")
    with pytest.raises(InputError, match="two different"):
        merge_users(admin, new, new, reason="r")


def test_suggestions_come_from_the_matching_evidence(two_rosas):
    old, new, admin = two_rosas
    User.create(username="pat", first_name="Pat", last_name="Delgado", email="pat@example.org", phone="+16175550142")
    [suggestion] = merge_suggestions()
    assert (suggestion.keep, suggestion.other) == (new.id, old.id)
    assert any(reason.startswith("phone matches: +") for reason in suggestion.reasons)


def test_merge_and_undo_from_the_command_line(two_rosas, db_url, tmp_path, capsys):
    from gbetix_core.cli import main

    old, new, admin = two_rosas
    config = tmp_path / "gbetix.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n')
    base = ["--config", str(config), "users"]
    assert main([*base, "suggest-merges"]) == 0
    assert "rosa_old" in capsys.readouterr().out
    assert main([*base, "merge", "rosa", "rosa_old", "--as", "Ada"]) == 2
    assert main([*base, "merge", "rosa", "rosa_old", "--as", "Ada", "--reason", "one person"]) == 0
    out = capsys.readouterr().out
    assert "merged" in out and User.get_or_none(User.username == "rosa_old") is None
    merge_id = out.split("merge ")[1].split()[0].rstrip(":")
    assert main([*base, "unmerge", merge_id, "--as", "Ada"]) == 0
    assert User.get(User.username == "rosa_old").id == old.id
