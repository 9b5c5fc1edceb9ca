"""Four terminals sell the last 100 seats at once: exactly 100 are sold, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from gbetix_core.boxoffice import catalog
from gbetix_core.boxoffice.availability import inventory
from gbetix_core.boxoffice.sales import Basket, sell_walkup
from gbetix_core.models import Item
from tests.core.boxoffice.helpers import CURTAIN, NOW

WORKER = Path(__file__).with_name("oversell_worker.py")
ROOT = Path(__file__).parents[3]


def test_four_processes_never_sell_more_than_the_seats_left(festival, db_url):
    show = festival.friday.show
    [big] = catalog.add_performances(festival.manager, show, [CURTAIN.replace(hour=23)], 120, 110)
    catalog.set_offers(festival.manager, festival.ga, [big])
    sell_walkup(festival.manager, Basket(big.id, {festival.ga.id: 10}), payment="cash", now=NOW)
    assert inventory(big).saleable == 100
    start_at = time.time() + 2.0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [subprocess.Popen([sys.executable, str(WORKER), db_url, str(big.id), str(festival.ga.id),
                                 festival.boxoffice.name, "50", str(start_at)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
               for _ in range(4)]
    outcomes = Counter()
    for worker in workers:
        out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err
        outcomes.update(json.loads(out))
    assert outcomes["sold"] == 100
    assert sum(outcomes.values()) == 200
    refusals = {reason for reason in outcomes if reason != "sold"}
    assert refusals == {"General Admission: Event is sold out."}
    assert Item.select().where((Item.performance == big.id) & (Item.kind == "ticket")).count() == 110
    assert inventory(big).saleable == 0
