"""The mail outbox screen: a gift waits in the outbox, a failed message shows why, and outbox-only sends nothing."""

from __future__ import annotations

from textual.widgets import DataTable

from gbetix_core.boxoffice.transfers import transfer_tickets
from gbetix_core.db import write
from gbetix_core.mail.outbox import enqueue
from gbetix_core.models import Item, OutboxMessage, Staff
from gbetix_tui.screens.outbox import OutboxScreen
from tests.tui.conftest import open_place, settle
from tests.tui.festival_data import opened, sell_party


async def test_the_outbox_lists_a_gift_and_a_failure_and_sends_nothing_with_outbox_only(make_app, festival_url):
    george, order_id = sell_party(festival_url, count=2)
    with opened(festival_url):
        tickets = [i.id for i in Item.select().where(Item.order == order_id)]
        transfer_tickets(Staff.get(Staff.name == "Bea Boxoffice"), tickets, to_name="Dora Diaz",
                         to_email="dora@example.net")
        with write():
            failed = enqueue("status", "nobody@example.net", {"status": "x"})
            OutboxMessage.update(status="failed", attempts=8, last_error="RCPT TO <nobody@example.net>: 550").where(
                OutboxMessage.id == failed.id).execute()
    app = make_app("Bea Boxoffice")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "e")
        assert isinstance(app.screen, OutboxScreen)
        table = app.screen.query_one("#messages", DataTable)
        assert [table.get_row_at(n)[1:4] for n in range(table.row_count)] == [
            ["failed", "status", "nobody@example.net"], ["pending", "gift", "Dora Diaz <dora@example.net>"]]
        assert "pending 1 · sending 0 · sent 0 · failed 1" in str(app.screen.query_one("#state").render())
        assert "550" in str(app.screen.query_one("#detail").render())
        await pilot.press("p")
        await settle(pilot)
        assert table.row_count == 1
        await pilot.press("n")
        await settle(pilot)
        assert any("outbox-only" in n.message for n in app.notices)
    with opened(festival_url):
        assert OutboxMessage.get(OutboxMessage.kind == "gift").status == "pending"
