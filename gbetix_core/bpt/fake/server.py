"""The fake BPT api2 server: the four calls, the vendor's refusals, and switchable faults.

Serves on 127.0.0.1 only. Tests, the benchmark and the demo start it in a
background thread with :func:`start_fake_bpt`; ``gbetix fake-bpt`` runs it in
the foreground. Faults can be switched on the handle while it runs
(``handle.faults.truncate = True``) to prove the client and importer survive them.
"""

from __future__ import annotations

import random
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, urlparse

from gbetix_core.bpt.fake import xmlout
from gbetix_core.bpt.fake.dataset import Dataset

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE document [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<document><result>success</result><resultcode>000000</resultcode><note/>
<item><fname>&e;</fname><ticket_number>BOMB1</ticket_number></item>
</document>
"""
INVALID_ID = ("100003", "Invalid developer ID")
MISSING = ("300055", "Required variables are missing")
NO_EVENT = ("300057", "Unable to find event")
NOT_YOURS = ("300052", "event does not belong to account")


class _Server(ThreadingHTTPServer):
    """The HTTP server, saying in one line what went wrong with a request instead of printing a traceback; a
    client that hung up (a sync stopped or killed mid-answer) is the client's business, and goes unsaid."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        problem = sys.exc_info()[1]
        if not isinstance(problem, (ConnectionError, TimeoutError)):
            print(f"fake BPT: a request from {client_address[0]} failed: {type(problem).__name__}: {problem}",
                  file=sys.stderr)


@dataclass
class Faults:
    """Misbehaviour to inject: 500s, slowness, cut-off orderlists, an entity bomb, or a vendor code."""

    fail_rate: float = 0.0
    fail_first: int = 0
    slow: float = 0.0
    truncate: bool = False
    bomb: bool = False
    vendor_error: tuple[str, str] | None = None


class FakeBpt:
    """A running fake: ``url`` to point ``[bpt] base_url`` at, ``stop()`` to shut it down."""

    def __init__(self, dataset: Dataset, port: int = 0, faults: Faults | None = None,
                 seller: Callable[[int], list[dict]] | None = None, sell_rate: float = 0.0, seed: int = 1):
        self.dataset = dataset
        self.faults = faults or Faults()
        self.requests = 0
        self._rng = random.Random(seed)
        self._cache: dict[str, tuple[dict, bytes, bool]] = {}
        self._counter = threading.Lock()
        self._stopping = threading.Event()
        self.server = _Server(("127.0.0.1", port), _handler_for(self))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._threads = [threading.Thread(target=self.server.serve_forever, name="fake-bpt", daemon=True)]
        if seller and sell_rate > 0:
            self._threads.append(threading.Thread(target=self._sell, args=(seller, sell_rate), daemon=True))

    def warm(self) -> FakeBpt:
        """Render every order line now, so the first orderlist answers as fast as the vendor would."""
        with self.dataset.lock:
            orders = list(self.dataset.orders)
        for order in orders:
            self._rendered(order, tracker=True)
        return self

    def start(self) -> FakeBpt:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def _sell(self, seller: Callable[[int], list[dict]], per_minute: float) -> None:
        """Keep selling: one new order line every 60/per_minute seconds on average."""
        while not self._stopping.wait(self._rng.expovariate(per_minute / 60.0)):
            self.dataset.add_orders(seller(1))

    def answer(self, path: str, params: dict[str, str]) -> tuple[int, bytes]:
        """The status and body for one GET; the whole protocol lives here."""
        with self._counter:
            self.requests += 1
            number = self.requests
        faults = self.faults
        if faults.slow:
            time.sleep(faults.slow)
        if number <= faults.fail_first or (faults.fail_rate and self._rng.random() < faults.fail_rate):
            return 500, b"Internal Server Error"
        call = path.rstrip("/").rsplit("/", 1)[-1]
        if not path.startswith("/api2/") or call not in ("eventlist", "datelist", "pricelist", "orderlist"):
            return 404, b"Not Found"
        if faults.vendor_error:
            return 200, xmlout.failure(*faults.vendor_error)
        if params.get("id") != self.dataset.developer_id:
            return 200, xmlout.failure(*INVALID_ID)
        return 200, getattr(self, f"_{call}")(params)

    def _eventlist(self, params: dict[str, str]) -> bytes:
        if not params.get("client"):
            return xmlout.failure(*MISSING)
        wanted = params.get("event_id")
        events = [e for e in self.dataset.events if e.get("account", self.dataset.client) == params["client"]
                  and (not wanted or e.get("event_id") == wanted)]
        return xmlout.events(events)

    def _event(self, params: dict[str, str], account_key: str | None) -> dict | tuple[str, str]:
        event_id = params.get("event_id")
        if not event_id or (account_key and not params.get(account_key)):
            return MISSING
        event = self.dataset.event(event_id)
        if event is None:
            return NO_EVENT
        if account_key and event.get("account", self.dataset.client) != params[account_key]:
            return NOT_YOURS
        return event

    def _datelist(self, params: dict[str, str]) -> bytes:
        event = self._event(params, None)
        if isinstance(event, tuple):
            return xmlout.failure(*event)
        return xmlout.dates(event.get("dates", []))

    def _pricelist(self, params: dict[str, str]) -> bytes:
        event = self._event(params, None)
        if isinstance(event, tuple):
            return xmlout.failure(*event)
        if not params.get("date_id"):
            return xmlout.failure(*MISSING)
        date = next((d for d in event.get("dates", []) if d.get("date_id") == params["date_id"]), None)
        if date is None:
            return xmlout.failure("300058", "Unable to find date")
        return xmlout.prices(date.get("prices", []))

    def _orderlist(self, params: dict[str, str]) -> bytes:
        event = self._event(params, "account")
        if isinstance(event, tuple):
            return xmlout.failure(*event)
        if self.faults.bomb:
            return BOMB
        tracker = params.get("includetracker") == "1"
        with self.dataset.lock:
            orders = list(self.dataset.orders)
        keep = {k: params[k] for k in ("date_id", "price_id") if params.get(k)}
        parts = [self._rendered(o, tracker) for o in orders if o.get("event_id") == event["event_id"]
                 and all(o.get(k) == v for k, v in keep.items())]
        body = xmlout.document(parts)
        return body[: len(body) // 2] if self.faults.truncate else body

    def _rendered(self, order: dict, tracker: bool) -> bytes:
        """Each line's XML is rendered once; a changed line is a new dict and renders again."""
        cached = self._cache.get(order["ticket_number"])
        if cached is None or cached[0] is not order or cached[2] != tracker:
            cached = (order, xmlout.order_item(order, tracker), tracker)
            self._cache[order["ticket_number"]] = cached
        return cached[1]


def _handler_for(fake: FakeBpt) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            url = urlparse(self.path)
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            status, body = fake.answer(url.path, params)
            self.send_response(status)
            self.send_header("Content-Type", "text/xml; charset=UTF-8" if status == 200 else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:
            return

    return Handler


def start_fake_bpt(dataset: Dataset, port: int = 0, faults: Faults | None = None,
                   seller: Callable[[int], list[dict]] | None = None, sell_rate: float = 0.0) -> FakeBpt:
    """Serve ``dataset`` from a background thread; returns the handle (``.url``, ``.stop()``)."""
    return FakeBpt(dataset, port, faults, seller, sell_rate).start()
