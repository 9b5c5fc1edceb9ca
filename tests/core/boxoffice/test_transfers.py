"""George bought it, Amy will use it: transfers to users, to people not registered yet, and of passes."""

from __future__ import annotations

import io

import pytest

from gbetix_core.boxoffice.door import check_in, door_list
from gbetix_core.boxoffice.sales import Basket, sell_to_customer
from gbetix_core.boxoffice.transfers import (
    complete_pending_transfers,
    pending_transfers,
    ticket_history,
    transfer_tickets,
)
from gbetix_core.errors import InputError, SaleRefused
from gbetix_core.models import AuditEntry, Item, OwnershipChange, Transfer, User
from gbetix_core.people.users_import import import_users
from tests.core.boxoffice.helpers import NOW

HEADER = "username,first_name,last_name,email,phone,purchase_email\n"


def george_buys_a_pass(festival):
    george = User.create(username="george", first_name="George", last_name="Gale", email="george@example.org")
    order = sell_to_customer(festival.boxoffice, george, Basket(festival.friday.id, {festival.weekend.id: 1}),
                             payment="cash", now=NOW)
    return george, Item.get((Item.order == order.id) & Item.bundle.is_null())


def test_transferring_a_bundle_moves_its_components(festival):
    george, weekend_pass = george_buys_a_pass(festival)
    amy = User.create(username="amy", first_name="Amy", last_name="Ames", email="amy@example.org")
    result = transfer_tickets(festival.boxoffice, [weekend_pass.id], to_user=amy, reason="birthday")
    assert result.moved == 3
    owners = {i.owner_id for i in Item.select().where((Item.id == weekend_pass.id) | (Item.bundle == weekend_pass.id))}
    assert owners == {amy.id}
    assert OwnershipChange.select().where(OwnershipChange.to_user == amy.id).count() == 3
    assert AuditEntry.select().where(AuditEntry.action == "transfer").count() == 1
    friday = {p.name: p for p in door_list(festival.friday).parties}
    assert "bought by George Gale, for Amy Ames" in friday["Amy Ames"].notes
    assert any("George Gale to Amy Ames" in e.what for e in ticket_history(weekend_pass.id))


def test_choosing_one_admission_of_a_pass_transfers_the_whole_pass(festival):
    george, weekend_pass = george_buys_a_pass(festival)
    amy = User.create(username="amy", first_name="Amy", last_name="Ames", email="amy@example.org")
    friday = Item.get((Item.bundle == weekend_pass.id) & (Item.performance == festival.friday.id))
    assert transfer_tickets(festival.boxoffice, [friday.id], to_user=amy).moved == 3
    assert Item.get_by_id(weekend_pass.id).owner_id == amy.id


def test_a_used_ticket_is_not_transferred(festival):
    george, weekend_pass = george_buys_a_pass(festival)
    amy = User.create(username="amy", first_name="Amy", last_name="Ames", email="amy@example.org")
    friday = Item.get((Item.bundle == weekend_pass.id) & (Item.performance == festival.friday.id))
    check_in(festival.door, festival.friday, [friday.id])
    with pytest.raises(SaleRefused, match="already used"):
        transfer_tickets(festival.boxoffice, [weekend_pass.id], to_user=amy)
    assert Item.get_by_id(weekend_pass.id).owner_id == george.id


def test_a_pending_transfer_completes_when_the_account_arrives(festival):
    george, weekend_pass = george_buys_a_pass(festival)
    result = transfer_tickets(festival.boxoffice, [weekend_pass.id], to_name="Rosa Delgado",
                              to_email="Rosa@Example.org")
    assert result.moved == 0 and [t.to_email for t in pending_transfers()] == ["rosa@example.org"]
    assert Item.get_by_id(weekend_pass.id).owner_id == george.id
    imported = import_users(io.StringIO(HEADER + "rosa,Rosa,Delgado,rosa@example.org,,\n"))
    assert complete_pending_transfers(imported.user_ids) == 1
    rosa = User.get(User.username == "rosa")
    assert {i.owner_id for i in Item.select().where(Item.bundle == weekend_pass.id)} == {rosa.id}
    assert Transfer.get(Transfer.item == weekend_pass.id).status == "done"
    assert pending_transfers() == []
    assert complete_pending_transfers(imported.user_ids) == 0


def test_transfer_to_a_registered_email_happens_at_once(festival):
    george, weekend_pass = george_buys_a_pass(festival)
    amy = User.create(username="amy", first_name="Amy", last_name="Ames", email="amy@example.org")
    result = transfer_tickets(festival.boxoffice, [weekend_pass.id], to_name="Amy", to_email="AMY@example.org")
    assert result.moved == 3 and Item.get_by_id(weekend_pass.id).owner_id == amy.id


def test_a_transfer_to_a_shared_household_email_goes_to_the_one_it_names(festival):
    george, weekend_pass = george_buys_a_pass(festival)
    transfer_tickets(festival.boxoffice, [weekend_pass.id], to_name="Tom Hall", to_email="hallfamily@example.org")
    imported = import_users(io.StringIO(HEADER + "liz,Elizabeth,Hall,hallfamily@example.org,,\n"
                                        "tom,Tom,Hall,hallfamily@example.org,,\n"))
    assert complete_pending_transfers(imported.user_ids) == 1
    assert Item.get_by_id(weekend_pass.id).owner_id == User.get(User.username == "tom").id
    with pytest.raises(InputError, match="2 users share hallfamily@example.org"):
        transfer_tickets(festival.boxoffice, [weekend_pass.id], to_name="Sam Hall", to_email="hallfamily@example.org")
