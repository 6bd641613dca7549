"""Read-only .ics subscriptions from a path, a file:// URL and HTTP (a mock transport; no network)."""
from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from assistant.connectors.base import ConnectorError, ReadOnlyError
from assistant.connectors.ics import IcsConnector
from assistant import errors
from assistant.connectors.http import USER_AGENT
from connector_contract import SAMPLE_FEED, WINDOW, ZONE, event

FEED = SAMPLE_FEED


def test_file_path_and_file_url(tmp_path):
    path = tmp_path / "feed.ics"
    path.write_text(FEED)
    for source in (str(path), path.as_uri(), "feed.ics"):
        feed = IcsConnector("holidays", source, ZONE, base_dir=tmp_path)
        found = feed.list_events(*WINDOW)
        assert [(b.title, b.start.day) for b in found] == [("Yoga", 26), ("Yoga", 2), ("Yoga", 9), ("Good Friday", 19)]
        assert found[-1].all_day and found[-1].transparent
        assert not found[0].transparent and found[0].start.hour == 18


def test_missing_file_and_bad_data(tmp_path):
    with pytest.raises(ConnectorError, match="no file at"):
        IcsConnector("x", str(tmp_path / "nope.ics"), ZONE).list_events(*WINDOW)
    (tmp_path / "bad.ics").write_text("this is not a calendar")
    with pytest.raises(ConnectorError, match="not valid iCalendar") as err:
        IcsConnector("x", str(tmp_path / "bad.ics"), ZONE).list_events(*WINDOW)
    assert not err.value.retryable


def test_http_feed_conditional_get_and_errors():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.headers))
        if request.url.path == "/down.ics":
            return httpx.Response(503, text="Traceback: secret stuff")
        if request.url.path == "/busy.ics":
            return httpx.Response(429, headers={"Retry-After": "120"})
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        if request.headers.get("if-modified-since") == "Sat, 01 Jan 2030 00:00:00 GMT":
            return httpx.Response(304)
        return httpx.Response(200, text=FEED, headers={"ETag": '"v1"'})

    transport = httpx.MockTransport(handler)
    feed = IcsConnector("partner", "webcal://calendar.example/feed.ics", ZONE, transport=transport)
    first = feed.changes(*WINDOW, token=None)
    assert first.full and sorted(o.uid for o in first.objects) == ["good-friday-2030", "partner-yoga"]
    assert seen[-1]["user-agent"] == USER_AGENT and seen[-1]["accept"].startswith("text/calendar")
    again = feed.changes(*WINDOW, token=first.token)
    assert not again.full and again.objects == []
    assert seen[-1]["if-none-match"] == '"v1"'
    by_date = feed.changes(*WINDOW, token='{"modified": "Sat, 01 Jan 2030 00:00:00 GMT"}')
    assert not by_date.full and seen[-1]["if-modified-since"] == "Sat, 01 Jan 2030 00:00:00 GMT"
    with pytest.raises(errors.Unavailable) as err:
        IcsConnector("partner", "https://calendar.example/down.ics", ZONE, transport=transport).changes(*WINDOW, None)
    assert err.value.retryable
    assert "calendar.example" in str(err.value) and "partner" in str(err.value) and "secret" not in str(err.value)
    with pytest.raises(errors.RateLimited) as err:
        IcsConnector("partner", "https://calendar.example/busy.ics", ZONE, transport=transport).list_events(*WINDOW)
    assert err.value.retryable and err.value.retry_after == 120


@pytest.mark.parametrize("status, kind", [(401, errors.AuthError), (403, errors.PermissionError_),
                                          (404, errors.NotFound), (410, errors.NotFound)])
def test_a_reset_private_link_says_check_the_address(status, kind):
    feed = IcsConnector("partner", "https://calendar.example/private-abc123/basic.ics", ZONE,
                        transport=httpx.MockTransport(lambda request: httpx.Response(status, text="gone")))
    with pytest.raises(kind) as err:
        feed.list_events(*WINDOW)
    assert str(err.value) == (f"subscription 'partner': calendar.example answered HTTP {status}; check the address "
                              "(a private link may have been reset)")
    assert not err.value.retryable


def test_unreachable_host_is_retryable():
    def refuse(request):
        raise httpx.ConnectError("refused")

    feed = IcsConnector("p", "https://calendar.example/x.ics", ZONE, transport=httpx.MockTransport(refuse))
    with pytest.raises(errors.Unavailable) as err:
        feed.list_events(*WINDOW)
    assert err.value.retryable
    assert str(err.value).startswith("cannot reach calendar.example while fetching the subscription 'p'")


def test_subscriptions_are_read_only(tmp_path):
    feed = IcsConnector("holidays", str(tmp_path / "x.ics"), ZONE)
    assert feed.read_only
    for call in (lambda: feed.create(event()), lambda: feed.update(event()), lambda: feed.delete("x")):
        with pytest.raises(ReadOnlyError):
            call()
    assert feed.free_busy(datetime.now(ZONE), datetime.now(ZONE), ["a@b.c"]) == {}
