"""Reviewing the queue: accept a candidate in a few keys, the next purchase opens, the decision is in the database."""

from __future__ import annotations

from peewee import fn
from textual.widgets import DataTable

from gbetix_core.models import MatchDecision, Purchase, PurchaseMatch, User
from gbetix_tui.screens.candidates import CandidatesScreen
from gbetix_tui.screens.queue import QueueScreen
from gbetix_tui.widgets.user_picker import UserPicker
from tests.tui.conftest import config_for, open_place, settle
from tests.tui.festival_data import add_purchases, opened


async def test_accepting_the_best_candidate_links_the_purchase_and_opens_the_next(make_app, festival_url, tmp_path):
    add_purchases(festival_url, config_for(festival_url, tmp_path))
    app = make_app("Ada Admin")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "3")
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CandidatesScreen)
        first = screen.row
        best = screen.view.candidates[0]
        compare = screen.query_one("#compare", DataTable)
        assert compare.get_row_at(0)[1] == screen.view.buyer["first_name"]
        assert best.name in str(compare.columns[list(compare.columns)[3]].label)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert any(f"BPT {first.ticket_number}" in n.message and n.title == "Decided" for n in app.notices)
        assert isinstance(app.screen, CandidatesScreen) and app.screen.row.purchase_id != first.purchase_id
    with opened(festival_url):
        match = PurchaseMatch.get(PurchaseMatch.purchase == first.purchase_id)
        assert (match.status, match.user_id, match.human, match.decided_by.name) == (
            "linked", best.user_id, True, "Ada Admin")
        decision = MatchDecision.get(MatchDecision.purchase == first.purchase_id)
        assert decision.action == "accept" and decision.reason.startswith("checked: ")


async def test_not_a_festival_user_needs_a_reason_and_can_be_undone(make_app, festival_url, tmp_path):
    add_purchases(festival_url, config_for(festival_url, tmp_path))
    app = make_app("Ada Admin")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "3")
        await pilot.press("enter")
        await settle(pilot)
        first = app.screen.row
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert any("Give a reason" in n.message for n in app.notices)
        await pilot.press("f", *"bought by a travel agent", "enter")
        await settle(pilot)
        with opened(festival_url):
            assert PurchaseMatch.get(PurchaseMatch.purchase == first.purchase_id).status == "not_festival"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("s", "s", "s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.row.purchase_id == first.purchase_id
        await pilot.press("z", *"wrong purchase", "enter")
        await settle(pilot)
    with opened(festival_url):
        assert PurchaseMatch.get(PurchaseMatch.purchase == first.purchase_id).status == first.status


async def test_splitting_a_buyer_gives_each_purchase_its_own_person(make_app, festival_url, tmp_path):
    """A friend bought on someone's signed-in browser: one BPT identity, purchases for two people."""
    add_purchases(festival_url, config_for(festival_url, tmp_path))
    with opened(festival_url):
        first, second, third = shared_identity_purchases(3)
        friend = User.select().where(User.special.is_null() & (User.id != first.match.get().user_id)).first()
    app = make_app("Ada Admin")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "3")
        await pilot.press("s", "s", "slash", *first.ticket_number)
        await settle(pilot)
        await settle(pilot)
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CandidatesScreen) and app.screen.row.ticket_number == first.ticket_number
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("enter", "ctrl+u")
        await settle(pilot)
        assert isinstance(app.screen, UserPicker), "ctrl+u in a username field opens the user picker"
        await pilot.press(*friend.email)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#f-p1").value == friend.username, "the user found by email fills in the username"
        await pilot.press("enter", "-", "enter", *"friend used her browser", "enter")
        await settle(pilot)
        assert any(n.title == "Split" and f"BPT {second.ticket_number}" in n.message for n in app.notices)
    with opened(festival_url):
        states = {p.ticket_number: PurchaseMatch.get(PurchaseMatch.purchase == p.id) for p in (first, second, third)}
        assert states[first.ticket_number].human is False
        assert (states[second.ticket_number].status, states[second.ticket_number].user_id) == ("linked", friend.id)
        assert states[third.ticket_number].status != "linked"
        assert {d.action for d in MatchDecision.select().where(MatchDecision.reason == "friend used her browser")} == {
            "assign", "reject"}


def shared_identity_purchases(count: int) -> list[Purchase]:
    """The purchases of the first buyer identity with ``count`` purchases, oldest first."""
    purchaser = (Purchase.select(Purchase.purchaser).group_by(Purchase.purchaser)
                 .having(fn.COUNT(Purchase.id) == count).order_by(Purchase.purchaser).first().purchaser_id)
    return list(Purchase.select().where(Purchase.purchaser == purchaser).order_by(Purchase.order_time, Purchase.id))
