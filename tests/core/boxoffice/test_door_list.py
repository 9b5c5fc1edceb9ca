"""The door: every source on one list, grouped by holder, counts, partial check-in and undo, search."""

from __future__ import annotations

import pytest

from gbetix_core.boxoffice import catalog
from gbetix_core.boxoffice.door import check_in, door_counts, door_list, undo_check_in
from gbetix_core.boxoffice.door_search import search
from gbetix_core.boxoffice.orders import cancel_items, comp_tickets
from gbetix_core.boxoffice.sales import Basket, sell_to_customer, sell_walkup
from gbetix_core.boxoffice.transfers import transfer_tickets
from gbetix_core.errors import PermissionDenied, SaleRefused
from gbetix_core.models import CheckIn, Item, User
from tests.core.boxoffice.helpers import NOW, bpt_purchase


def people():
    george = User.create(username="george", first_name="George", last_name="Gale", email="george@example.org")
    amy = User.create(username="amy", first_name="Amy", last_name="Ames", email="amy@example.org")
    return george, amy


def full_house(festival):
    george, amy = people()
    sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 2}), payment="cash", now=NOW)
    order = sell_to_customer(festival.boxoffice, george, Basket(festival.friday.id, {festival.ga.id: 3}),
                             payment="card", payment_ref="A1", now=NOW)
    gift = Item.select().where(Item.order == order.id).order_by(Item.id).first()
    transfer_tickets(festival.boxoffice, [gift.id], to_user=amy, reason="gift")
    comp_tickets(festival.manager, amy, festival.friday, festival.comp, 1, now=NOW)
    bpt_purchase(festival.friday, festival.ga, 2, "Pat", "Buyer", "pat@example.org", ticket_number="K4821")
    return george, amy


def test_door_list_holds_every_source_grouped_by_holder_with_totals(festival):
    full_house(festival)
    listing = door_list(festival.friday)
    c = listing.counts
    assert (c.capacity, c.sold, c.checked_in, c.to_come, c.walkups) == (10, 8, 2, 6, 2)
    parties = {p.name: p for p in listing.parties}
    assert set(parties) == {"Amy Ames", "George Gale", "Pat Buyer", "Walkup (order 1)"}
    assert len(parties["Amy Ames"].tickets) == 2
    assert "bought by George Gale, for Amy Ames" in parties["Amy Ames"].notes
    assert "comp" in parties["Amy Ames"].notes
    assert parties["Pat Buyer"].confirmations == ["K4821"]
    assert {t.source for t in parties["Pat Buyer"].tickets} == {"bpt"}
    assert "not matched" in parties["Pat Buyer"].notes[0]
    assert parties["Walkup (order 1)"].checked_in == 2


def test_checking_in_part_of_a_party_and_undoing_it(festival):
    full_house(festival)
    george = {p.name: p for p in door_list(festival.friday).parties}["George Gale"]
    ids = [t.item_id for t in george.tickets]
    with pytest.raises(PermissionDenied):
        check_in(None, festival.friday, ids, 1)
    made = check_in(festival.door, festival.friday, ids, 1)
    assert len(made) == 1 and made[0].staff_id == festival.door.id and made[0].at is not None
    george = {p.name: p for p in door_list(festival.friday).parties}["George Gale"]
    assert (george.checked_in, george.to_come) == (1, 1)
    with pytest.raises(SaleRefused, match="Only 1 of these tickets"):
        check_in(festival.door, festival.friday, ids, 2)
    assert undo_check_in(festival.door, ids) == 1
    row = CheckIn.get_by_id(made[0].id)
    assert row.undone_at is not None and row.undone_by_id == festival.door.id
    assert door_counts(festival.friday).checked_in == 2


def test_a_ticket_for_another_night_is_not_admitted(festival):
    order = sell_walkup(festival.boxoffice, Basket(festival.saturday.id, {festival.ga.id: 1}), payment="cash", now=NOW)
    CheckIn.delete().execute()
    with pytest.raises(SaleRefused, match="not The Main Event, Fri"):
        check_in(festival.door, festival.friday, [Item.get(Item.order == order.id).id])


def test_search_by_name_email_and_confirmation(festival):
    full_house(festival)
    assert [p.name for p in search("K4821", festival.friday)] == ["Pat Buyer"]
    assert search("k4821", festival.friday)[0].name == "Pat Buyer"
    assert search("Gorge Gale", festival.friday)[0].name == "George Gale"
    assert search("amy@example.org", festival.friday)[0].name == "Amy Ames"
    assert search("zzzzqqq", festival.friday) == []
    check_in(festival.door, festival.friday, [t.item_id for t in search("K4821", festival.friday)[0].tickets])
    assert search("K4821", festival.friday)[0].checked_in == 2
    bpt_purchase(festival.friday, festival.student, 1, "Quinn", "Later", "q@example.org", ticket_number="K9")
    assert search("Quinn Later", festival.friday)[0].confirmations == ["K9"]


def test_search_keeps_up_with_sales_transfers_and_refunds(festival):
    george, amy = full_house(festival)
    catalog.edit_performance(festival.manager, festival.friday, max_advance_sales=10)
    assert search("Rosa Delgado", festival.friday) == []
    rosa = User.create(username="rosa", first_name="Rosa", last_name="Delgado", email="rosa@example.org")
    order = sell_to_customer(festival.boxoffice, rosa, Basket(festival.friday.id, {festival.ga.id: 1}),
                             payment="cash", now=NOW)
    assert [p.name for p in search("rosa delgado", festival.friday)][:1] == ["Rosa Delgado"]
    ticket = Item.get(Item.order == order.id)
    transfer_tickets(festival.boxoffice, [ticket.id], to_user=george)
    [found] = search("Rosa Delgado", festival.friday)
    assert found.name == "George Gale" and "bought by Rosa Delgado, for George Gale" in found.notes
    assert search("George", festival.friday)[0].name == "George Gale"
    assert len(search("George", festival.friday)[0].tickets) == 3
    cancel_items(festival.manager, [ticket.id])
    assert len(search("George Gale", festival.friday)[0].tickets) == 2
    assert search("Ames", festival.friday)[0].name == "Amy Ames"
