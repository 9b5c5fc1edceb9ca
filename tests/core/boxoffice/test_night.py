"""The picture of the night: each coming house by where its seats came from, and tickets sold per day."""

from __future__ import annotations

import datetime as dt

from gbetix_core.boxoffice.door import check_in, door_list
from gbetix_core.boxoffice.night import coming_houses, tickets_by_day
from gbetix_core.boxoffice.orders import cancel_items
from gbetix_core.boxoffice.sales import Basket, sell_to_customer, sell_walkup
from gbetix_core.models import Item, User
from tests.core.boxoffice.helpers import CURTAIN, NOW, bpt_purchase


def test_each_coming_house_counts_bpt_door_and_box_office_seats_and_the_checked_in(festival):
    george = User.create(username="george", first_name="George", last_name="Gale", email="george@example.org")
    sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 2}), payment="cash", now=NOW)
    order = sell_to_customer(festival.boxoffice, george, Basket(festival.friday.id, {festival.ga.id: 3}),
                             payment="cash", now=NOW)
    bpt_purchase(festival.friday, festival.ga, 2, "Pat", "Buyer", "pat@example.org", ticket_number="K4821")
    cancel_items(festival.manager, [Item.select().where(Item.order == order.id).first().id], reason="changed plans")
    party = {p.name: p for p in door_list(festival.friday).parties}["Pat Buyer"]
    check_in(festival.door, festival.friday, [t.item_id for t in party.tickets], 1)

    friday, saturday = coming_houses(NOW)
    assert (friday.performance_id, friday.bpt, friday.door, friday.boxoffice) == (festival.friday.id, 2, 2, 2)
    assert (friday.checked_in, friday.sold, friday.seats_left, friday.capacity) == (3, 6, 4, 10)
    assert (saturday.sold, saturday.seats_left) == (0, 10)
    assert [h.performance_id for h in coming_houses(CURTAIN + dt.timedelta(hours=2))] == [festival.saturday.id]


def test_tickets_sold_per_day_end_today_oldest_first(festival):
    sell_walkup(festival.boxoffice, Basket(festival.friday.id, {festival.ga.id: 2}), payment="cash", now=NOW)
    today = Item.select().first().created_at.date()
    days = tickets_by_day(today, days=7)
    assert len(days) == 7 and days[-1] == 2 and sum(days) == 2
    assert sum(tickets_by_day(today - dt.timedelta(days=1), days=7)) == 0
