"""Talking to BPT's api2 over HTTP: timeouts, patient retries, and the vendor's own refusals.

Connection errors, timeouts and 5xx answers are retried with exponential
backoff and jitter (``[bpt] retries``, ``retry_backoff``, ``retry_backoff_max``).
A vendor failure code is never retried: it will not change by asking again,
so it is raised at once as :class:`BptError` carrying the vendor's note and code.
Orderlists are streamed to a spooled temporary file so that a large answer
never sits in memory whole and the download happens outside any database
transaction.
"""

from __future__ import annotations

import random
import tempfile
import time
from typing import IO, Callable

import httpx

from gbetix_core.bpt import feed
from gbetix_core.config import BptConfig
from gbetix_core.errors import BptError

SPOOL_BYTES = 8 * 1024 * 1024
CHUNK = 256 * 1024


class BptClient:
    """One connection pool to BPT; use as a context manager or call :meth:`close`."""

    def __init__(
        self,
        config: BptConfig,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ):
        self.config = config
        self._sleep = sleep
        self._jitter = jitter
        timeout = httpx.Timeout(config.read_timeout, connect=config.connect_timeout)
        self._http = httpx.Client(base_url=config.base_url.rstrip("/") + "/api2/", timeout=timeout,
                                  transport=transport, headers={"User-Agent": "gbetix"})

    def __enter__(self) -> BptClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def events(self) -> list[dict]:
        """The producer's events (``eventlist``), limited to ``[bpt] event_ids`` when set."""
        params = {"id": self.config.developer_id, "client": self.config.client}
        events = feed.read_records(self._fetch("eventlist", params), "eventlist")
        wanted = set(self.config.event_ids)
        return [e for e in events if not wanted or e.get("event_id") in wanted]

    def dates(self, event_id: str) -> list[dict]:
        params = {"id": self.config.developer_id, "event_id": event_id}
        return feed.read_records(self._fetch("datelist", params), "datelist")

    def prices(self, event_id: str, date_id: str) -> list[dict]:
        params = {"id": self.config.developer_id, "event_id": event_id, "date_id": date_id}
        return feed.read_records(self._fetch("pricelist", params), "pricelist")

    def orders(self, event_id: str) -> IO[bytes]:
        """The event's whole orderlist (with trackers) as a rewound file whose result code is checked."""
        params = {"id": self.config.developer_id, "account": self.config.client, "event_id": event_id,
                  "includetracker": "1"}
        stream = self._fetch("orderlist", params)
        try:
            feed.check_header(stream, "orderlist")
        except BaseException:
            stream.close()
            raise
        return stream

    def _fetch(self, call: str, params: dict[str, str]) -> IO[bytes]:
        """GET ``call`` with retries; return the body in a rewound spooled file."""
        attempts = self.config.retries + 1
        for attempt in range(attempts):
            try:
                return self._download(call, params)
            except _Retryable as exc:
                if attempt + 1 >= attempts:
                    raise BptError(f"BPT could not be reached for {call} after {attempts} tries: {exc}") from None
                self._sleep(self._delay(attempt))
        raise AssertionError("unreachable")

    def _download(self, call: str, params: dict[str, str]) -> IO[bytes]:
        body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        try:
            with self._http.stream("GET", call, params=params) as response:
                if response.status_code >= 500:
                    raise _Retryable(f"HTTP {response.status_code}")
                if response.status_code != 200:
                    raise BptError(f"BPT answered {call} with HTTP {response.status_code}; check [bpt] base_url")
                for chunk in response.iter_bytes(CHUNK):
                    body.write(chunk)
        except httpx.TimeoutException as exc:
            body.close()
            raise _Retryable(f"timed out ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            body.close()
            raise _Retryable(f"{type(exc).__name__}: {exc}") from None
        except BaseException:
            body.close()
            raise
        body.seek(0)
        try:
            feed.refuse_web_page(body.read(feed.WEB_PAGE_PEEK), call)
        except BptError:
            body.close()
            raise
        body.seek(0)
        return body

    def _delay(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random, capped."""
        ceiling = min(self.config.retry_backoff_max, self.config.retry_backoff * 2 ** attempt)
        return ceiling / 2 + ceiling / 2 * self._jitter()


class _Retryable(Exception):
    """A failure worth another try: the network or the vendor's server, not the vendor's answer."""
