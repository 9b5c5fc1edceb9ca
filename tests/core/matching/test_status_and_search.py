"""What a user is told about their tickets, and finding a user as the operator types."""

from gbetix_core.db import write
from gbetix_core.matching.engine import match_all_unresolved
from gbetix_core.matching.status import user_status
from gbetix_core.models import Item, Purchase, Transfer
from gbetix_core.people.search import search_users

from tests.core.matching.festival import order


def test_status_lists_purchases_tickets_and_pending_transfers(festival):
    festival.buy(order("K400", "George", "Baker", "george@example.org", quantity=2, notes="one is for Amy"))
    match_all_unresolved(festival.config)
    item = Item.select().join(Purchase).where(Purchase.ticket_number == "K400").first()
    with write():
        Transfer.create(item=item, from_user=festival.users["george"], to_name="Amy Lee", to_email="amy.lee@example.org")
    george = user_status("george")
    assert [p.ticket_number for p in george.purchases] == ["K400"] and len(george.tickets) == 2
    assert george.transfers[0].direction == "out" and george.advice is None
    amy = user_status("amy")
    assert amy.transfers[0].direction == "in" and amy.transfers[0].other == "George Baker"


def test_status_says_which_email_is_on_file_and_how_to_claim(festival):
    text = "\n".join(user_status("george").lines())
    assert "george@example.org or george.work@example.org" in text
    assert "gbetix claim george" in text


def test_status_mentions_purchases_waiting_for_review(festival):
    festival.buy(order("K401", "Rosa", "Delgado", "rosa.x@example.net"))
    match_all_unresolved(festival.config)
    assert user_status("rosa1").under_review == 1
    assert "waiting for the box office" in user_status("rosa1").advice


def test_search_finds_users_by_name_prefix_username_email_and_typo(festival):
    assert [h.username for h in search_users("rosa del")] == ["rosa1", "rosa2"]
    assert search_users("george.work")[0].username == "george"
    assert search_users("ELIZ")[0].username == "liz"
    assert search_users("renee o'brien")[0].username == "renee"
    assert search_users("delgdao")[0].name == "Rosa Delgado"
    assert search_users("") == [] and search_users("qqqqqq") == []
