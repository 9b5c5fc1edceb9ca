"""``gbetix demo``'s fake BPT: it sells to the demo's users, and a sync brings those purchases in, matched."""

from __future__ import annotations

import dataclasses

import pytest

from gbetix_core import db as dbmod
from gbetix_core.bpt.worker import SyncWorker
from gbetix_core.cli.demo import DEMO_ORDERS, demo_config, start_demo_bpt
from gbetix_core.config import Config
from gbetix_core.demo import prepare_demo
from gbetix_core.models import Purchase, PurchaseMatch
from gbetix_core.pipeline import after_purchases_imported

pytestmark = pytest.mark.slow


def test_the_demo_bpt_serves_orders_that_sync_and_match(tmp_path):
    demo = prepare_demo(tmp_path, users=300)
    config = demo_config(Config(data_dir=tmp_path), demo.url)
    fake = start_demo_bpt(config)
    try:
        config = dataclasses.replace(config, bpt=dataclasses.replace(config.bpt, base_url=fake.url))
        database = dbmod.open_database(demo.url)
        worker = SyncWorker(config, after_import=lambda ids: after_purchases_imported(ids, config))
        summary = worker.run_once("test")
        assert summary is not None and summary.status == "ok", summary
        assert summary.new == DEMO_ORDERS == Purchase.select().count()
        statuses = {m.status for m in PurchaseMatch.select()}
        assert "linked" in statuses and statuses & {"candidates", "unmatched"}
        database.close()
    finally:
        fake.stop()
