"""A buyer at the door claims a BPT purchase with its confirmation number: a clear answer either way."""

from __future__ import annotations

from gbetix_core.models import Purchase, PurchaseMatch, User
from gbetix_tui.screens.claim import ClaimScreen
from tests.tui.conftest import config_for, open_place, settle
from tests.tui.festival_data import add_purchases, opened


async def test_a_wrong_proof_is_refused_and_the_right_one_links_the_purchase(make_app, festival_url, tmp_path):
    add_purchases(festival_url, config_for(festival_url, tmp_path))
    with opened(festival_url):
        purchase = (Purchase.select().join(PurchaseMatch).where(PurchaseMatch.status != "linked")
                    .order_by(Purchase.id).first())
        buyer_last = purchase.purchaser.last_name
        claimant = User.select().where(User.special.is_null()).order_by(User.id).first()
    app = make_app("Dana Door")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "7")
        await pilot.press(*claimant.username)
        await settle(pilot)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen)
        await pilot.press(*purchase.ticket_number, "enter", *"Nobody", "enter")
        await settle(pilot)
        assert "refused" in str(app.screen.query_one("#answer").render())
        app.screen.query_one("#proof").value = ""
        await pilot.press(*buyer_last, "enter")
        await settle(pilot)
        answer = str(app.screen.query_one("#answer").render())
        assert answer.startswith(("linked", "queued")), answer
    with opened(festival_url):
        match = PurchaseMatch.get(PurchaseMatch.purchase == purchase.id)
        assert match.user_id == claimant.id or match.flag
