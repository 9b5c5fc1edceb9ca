"""What the BPT tests share: the demo festival's catalog at the fake, hand-written order lines, a config."""

from __future__ import annotations

from typing import Callable

import httpx
import pytest

from gbetix_core import db as db_module
from gbetix_core.bpt.fake.catalog import EVENT_ID, festival_events
from gbetix_core.bpt.fake.dataset import Dataset
from gbetix_core.bpt.client import BptClient
from gbetix_core.bpt.fake.server import FakeBpt, start_fake_bpt
from gbetix_core.bpt.sync import run_sync
from gbetix_core.config import BptConfig, Config, DatabaseConfig
from gbetix_core.demo.festival import build_festival
from gbetix_core.models import SyncRun

DATES = [str(5521001 + n) for n in range(5)]
GA, STUDENT, VIP, PASS = "7730001", "7730002", "7730003", "7730004"


def price_of(date_index: int, kind: int) -> str:
    """Price ids of the fake catalog: kind 0 GA, 1 Student, 2 VIP (3: the pass, opening date only)."""
    return str(7730001 + date_index * 10 + kind)


def line(number: int, *, date: int = 0, kind: int = 0, quantity: int = 1, **fields: str) -> dict:
    """One orderlist line, as the fake serves it, for buyer ``number``."""
    base = {
        "event_id": EVENT_ID, "order_time": "2026-10-02 21:14:05", "date_id": DATES[date],
        "price_id": price_of(date, kind), "quantity": str(quantity), "fname": f"Buyer{number}", "lname": "Delgado",
        "address": "", "city": "Somerville", "state": "MA", "zip": "02143", "country": "United States",
        "email": f"buyer{number}@example.org", "phone": "617-555-0142", "cc": "1234", "shipping_method": "Will Call",
        "order_notes": "", "ticket_number": f"K{48213000 + number}", "section": "", "row": "", "seat": "",
        "tracker_id": "",
    }
    base.update(fields)
    return base


def dataset(lines: list[dict]) -> Dataset:
    return Dataset(developer_id="gbetix-demo", client="gbe", events=festival_events("gbe"), orders=lines)


def config(url: str, db_url: str = "", **bpt) -> Config:
    """Fast retries and short timeouts, so fault tests stay quick."""
    settings = {"base_url": url, "retry_backoff": 0.01, "retry_backoff_max": 0.05, "read_timeout": 2.0,
                "connect_timeout": 1.0, "retries": 3, **bpt}
    return Config(database=DatabaseConfig(url=db_url), bpt=BptConfig(**settings))


@pytest.fixture
def festival(db):
    """The demo festival's catalog in the test database (what the fake's catalog maps onto)."""
    with db_module.write():
        return build_festival()


@pytest.fixture
def fake():
    """A fake BPT with no orders yet; tests add lines with ``fake.dataset.add_orders``."""
    handle = start_fake_bpt(dataset([]))
    yield handle
    handle.stop()


class InProcessBpt:
    """The fake's protocol behind httpx's MockTransport: no sockets, same answers."""

    def __init__(self, lines: list[dict] | None = None):
        self.fake = FakeBpt(dataset(lines or []))
        self.dataset = self.fake.dataset
        self.config = config("http://bpt.test")
        self.rewrite: dict[str, Callable[[int, bytes], tuple[int, bytes]]] = {}

    def client(self) -> BptClient:
        """A client of the fake; ``rewrite[call]`` may change the status and body of that call's answers."""
        def handler(request: httpx.Request) -> httpx.Response:
            status, body = self.fake.answer(request.url.path, dict(request.url.params))
            call = request.url.path.rstrip("/").rsplit("/", 1)[-1]
            if call in self.rewrite:
                status, body = self.rewrite[call](status, body)
            return httpx.Response(status, content=body)

        return BptClient(self.config.bpt, transport=httpx.MockTransport(handler), sleep=lambda s: None)

    def sync(self, **kwargs) -> SyncRun:
        with self.client() as client:
            return run_sync(self.config, client=client, **kwargs)

    def close(self) -> None:
        self.fake.server.server_close()


@pytest.fixture
def bpt(festival):
    """The fake BPT in-process, serving the festival's catalog, and the database holding the festival."""
    handle = InProcessBpt()
    yield handle
    handle.close()
