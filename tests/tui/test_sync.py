"""A sync against the fake BPT from the sync screen: progress, the run in the list, the purchases in the queue."""

from __future__ import annotations

import dataclasses

import pytest
from textual.widgets import DataTable

from gbetix_core.bpt.fake.catalog import festival_events, slots
from gbetix_core.bpt.fake.dataset import Dataset
from gbetix_core.bpt.fake.orders import generate_lines
from gbetix_core.bpt.fake.server import start_fake_bpt
from gbetix_core.config import BptConfig
from gbetix_core.demo.people import generate_users
from gbetix_core.models import Purchase
from gbetix_core.demo import DEMO_PIN
from gbetix_tui.harness import build_app
from gbetix_tui.screens.queue import QueueScreen
from gbetix_tui.screens.sync import SyncScreen
from tests.tui.conftest import NOW, TODAY, USERS, config_for, open_place, settle
from tests.tui.festival_data import opened

ORDERS = 30


@pytest.fixture
def fake_bpt():
    config = BptConfig()
    events = festival_events(config.client, today=TODAY)
    dataset = Dataset(developer_id=config.developer_id, client=config.client, events=events)
    dataset.add_orders(generate_lines(generate_users(USERS, seed=7), ORDERS, slots=slots(events, config.client)))
    server = start_fake_bpt(dataset)
    yield server
    server.stop()


async def test_sync_now_imports_the_fake_bpt_orders_and_the_queue_shows_them(festival_url, tmp_path, fake_bpt):
    config = config_for(festival_url, tmp_path)
    config = dataclasses.replace(config, bpt=dataclasses.replace(config.bpt, base_url=fake_bpt.url))
    app = build_app(config, operator="Ada Admin", pin=DEMO_PIN, now=NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "5")
        assert isinstance(app.screen, SyncScreen)
        assert "No sync yet" in str(app.screen.query_one("#detail").render())
        await pilot.press("s")
        await settle(pilot)
        runs = app.screen.query_one("#runs", DataTable)
        assert runs.row_count == 1
        started, by, status, new = runs.get_row_at(0)[:4]
        assert (by, new) == ("tui", str(ORDERS)) and "ok" in status
        assert any(f"{ORDERS} new" in n.message for n in app.notices)
        await pilot.press("escape", "3")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        counts = str(app.screen.query_one("#counts").render())
        shown = sum(int(part.split()[-1].replace(",", "")) for part in counts.split(" · ") if "Linked" not in part)
        assert shown + int(counts.split("Linked ")[1].split()[0].replace(",", "")) == ORDERS
    assert app.internal_errors == []
    with opened(festival_url):
        assert Purchase.select().count() == ORDERS
