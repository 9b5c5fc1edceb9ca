"""Customer search: a piece of text anywhere in a name, email or street; nicknames at the door."""

from __future__ import annotations

from gbetix_core.boxoffice.door_search import search
from gbetix_core.boxoffice.sales import Basket, sell_to_customer
from gbetix_core.models import User
from gbetix_core.people.search import search_users
from tests.core.boxoffice.helpers import NOW


def _people() -> None:
    User.create(username="mfox", first_name="Michael", last_name="Fox", email="mike@example.org")
    User.create(username="hill", first_name="Ann", last_name="Hill", email="ann@example.org",
                address="123 Fox Hill Road")
    User.create(username="dancer", first_name="Zoe", last_name="Quinn", email="dancingfox@example.net")
    User.create(username="other", first_name="Bea", last_name="Smith", email="bea@example.org", address="1 Elm St")


def test_fox_is_found_anywhere_in_names_emails_and_streets(db):
    _people()
    found = [hit.username for hit in search_users("FOX")]
    assert found[0] == "mfox" and set(found) == {"mfox", "hill", "dancer"}
    assert [hit.username for hit in search_users("ancingfo")] == ["dancer"]
    assert [hit.username for hit in search_users("fox hill")] == ["hill"]
    assert search_users("zz") == []


def test_robert_finds_the_bob_price_party_at_the_door(festival):
    bob = User.create(username="bob", first_name="Bob", last_name="Price", email="bp@example.org")
    sell_to_customer(festival.boxoffice, bob, Basket(festival.friday.id, {festival.ga.id: 2}), payment="cash",
                     now=NOW)
    assert [party.name for party in search("robert", festival.friday)] == ["Bob Price"]
    assert [party.name for party in search("robert price", festival.friday)] == ["Bob Price"]
