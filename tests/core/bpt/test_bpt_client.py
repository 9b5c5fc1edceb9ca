"""The HTTP client: patient with the network and the vendor's servers, never with the vendor's refusals."""

import httpx
import pytest

from gbetix_core.bpt.client import BptClient
from gbetix_core.bpt.fake import xmlout
from gbetix_core.config import BptConfig
from gbetix_core.errors import BptError

EVENTS = xmlout.events([{"event_id": "1", "title": "Expo", "live": "y"}, {"event_id": "2", "title": "Other"}])


def client_for(handler, **settings) -> tuple[BptClient, list[float]]:
    sleeps: list[float] = []
    config = BptConfig(base_url="http://bpt.test", retries=3, retry_backoff=0.5, retry_backoff_max=30, **settings)
    return BptClient(config, transport=httpx.MockTransport(handler), sleep=sleeps.append, jitter=lambda: 0.5), sleeps


def test_server_errors_are_retried_with_growing_backoff_then_succeed():
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(503) if len(calls) < 3 else httpx.Response(200, content=EVENTS)

    client, sleeps = client_for(handler)
    assert [e["event_id"] for e in client.events()] == ["1", "2"]
    assert len(calls) == 3
    assert sleeps == [0.375, 0.75]
    assert calls[0].url.path == "/api2/eventlist"
    assert calls[0].url.params["id"] == "gbetix-demo" and calls[0].url.params["client"] == "gbe"


def test_connection_errors_and_timeouts_are_retried():
    outcomes = [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), None]

    def handler(request):
        failure = outcomes.pop(0)
        if failure:
            raise failure
        return httpx.Response(200, content=EVENTS)

    client, sleeps = client_for(handler)
    assert len(client.events()) == 2
    assert len(sleeps) == 2


def test_giving_up_after_the_configured_retries_says_so():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(500)

    client, sleeps = client_for(handler)
    with pytest.raises(BptError, match="after 4 tries: HTTP 500"):
        client.events()
    assert len(calls) == 4
    assert max(sleeps) <= 30


def test_a_vendor_failure_code_is_raised_at_once_never_retried():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(200, content=xmlout.failure("100003", "Invalid developer ID"))

    client, sleeps = client_for(handler)
    with pytest.raises(BptError, match=r"Invalid developer ID \(code 100003\)"):
        client.events()
    assert len(calls) == 1 and sleeps == []


def test_a_vendor_failure_on_the_order_list_is_raised_before_any_import():
    client, _ = client_for(lambda r: httpx.Response(200, content=xmlout.failure("300057", "Unable to find event")))
    with pytest.raises(BptError, match="Unable to find event"):
        client.orders("99")


def test_the_order_list_asks_for_trackers_and_comes_back_rewound():
    seen = {}

    def handler(request):
        seen.update(request.url.params)
        return httpx.Response(200, content=xmlout.document([]))

    client, _ = client_for(handler)
    stream = client.orders("4412001")
    assert stream.read().startswith(b"<?xml")
    assert seen == {"id": "gbetix-demo", "account": "gbe", "event_id": "4412001", "includetracker": "1"}


def test_only_the_configured_events_are_synced():
    client, _ = client_for(lambda r: httpx.Response(200, content=EVENTS), event_ids=("2",))
    assert [e["event_id"] for e in client.events()] == ["2"]


def test_a_client_error_status_is_not_retried():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(404)

    client, _ = client_for(handler)
    with pytest.raises(BptError, match="HTTP 404"):
        client.events()
    assert len(calls) == 1


def test_a_maintenance_page_answered_with_200_is_named_as_a_web_page():
    page = (b"<!DOCTYPE html>\n<html><head><title>Brown Paper Tickets &ndash; Down for Maintenance</title></head>"
            b"<body><p>Back soon</p></body></html>")
    client, _ = client_for(lambda r: httpx.Response(200, content=page))
    with pytest.raises(BptError) as failure:
        client.events()
    assert str(failure.value).startswith(
        "BPT answered with a web page, not XML: Brown Paper Tickets \u2013 Down for Maintenance")
    assert "DTD" not in str(failure.value)
