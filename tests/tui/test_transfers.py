"""Ticket transfers: George's three tickets go to Amy (registered), one more to someone not registered yet."""

from __future__ import annotations

from textual.widgets import DataTable

from gbetix_core.models import Item, OwnershipChange, Transfer, User
from gbetix_tui.screens.transfers import TransfersScreen
from tests.tui.conftest import open_place, settle
from tests.tui.festival_data import opened, sell_party


async def test_a_party_is_transferred_to_a_user_found_as_you_type(make_app, festival_url):
    george, _ = sell_party(festival_url, count=3, customer_index=0)
    with opened(festival_url):
        amy = User.select().where(User.special.is_null()).order_by(User.id).offset(5).first()
    app = make_app("Bea Boxoffice")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "4")
        assert isinstance(app.screen, TransfersScreen)
        await pilot.press(*george.full_name.lower(), "enter")
        await settle(pilot)
        tickets = app.screen.query_one("#tickets", DataTable)
        assert tickets.row_count == 3
        assert "sold in order" in str(app.screen.query_one("#history").render())
        await pilot.press("a", "u")
        await settle(pilot)
        await pilot.press(*f"{amy.first_name} {amy.last_name}".lower())
        await settle(pilot)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert any(f"3 tickets now held by {amy.full_name}" in n.message for n in app.notices)
    with opened(festival_url):
        owners = {item.owner_id for item in Item.select().where(Item.kind == "ticket")}
        assert owners == {amy.id}
        assert OwnershipChange.select().where(OwnershipChange.from_user == george.id).count() == 3


async def test_a_ticket_for_someone_not_registered_waits_as_pending_and_can_be_canceled(make_app, festival_url):
    george, order_id = sell_party(festival_url, count=1)
    app = make_app("Bea Boxoffice")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "4")
        await pilot.press(*george.full_name.lower(), "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press(*"Amy Newcomer", "enter", *"amy.newcomer@example.org", "enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert any("wait for Amy Newcomer" in n.message for n in app.notices)
        await pilot.press("2")
        await settle(pilot)
        pending = app.screen.query_one("#pending", DataTable)
        assert pending.row_count == 1
        since, ticket, performance, *people = next(iter(pending.stored.values()))
        assert ticket == f"#{order_id}" and performance.startswith("The Main Event"), "named as its holder knows it"
        assert people == [george.full_name, "Amy Newcomer", "amy.newcomer@example.org"]
        with opened(festival_url):
            assert Transfer.get().status == "pending"
        await pilot.press("c", "y")
        await settle(pilot)
        assert pending.row_count == 0
    with opened(festival_url):
        assert Transfer.get().status == "canceled"
        assert Item.get(Item.kind == "ticket").owner_id == george.id
