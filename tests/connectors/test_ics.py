"""Read-only .ics subscriptions from a path, a file:// URL and HTTP (a mock transport; no network)."""
from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from assistant.connectors.base import ConnectorError, ReadOnlyError
from assistant.connectors.ics import IcsConnector
from connector_contract import WINDOW, ZONE, event

FEED = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//holidays//EN
BEGIN:VEVENT
UID:good-friday-2030
DTSTAMP:20300101T000000Z
DTSTART;VALUE=DATE:20300419
DTEND;VALUE=DATE:20300420
SUMMARY:Good Friday
TRANSP:TRANSPARENT
END:VEVENT
BEGIN:VEVENT
UID:partner-yoga
DTSTAMP:20300101T000000Z
DTSTART;TZID=Europe/Berlin:20300326T180000
DTEND;TZID=Europe/Berlin:20300326T190000
RRULE:FREQ=WEEKLY;COUNT=3
SUMMARY:Yoga
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n")


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
            return httpx.Response(503)
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(200, text=FEED, headers={"ETag": '"v1"'})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    feed = IcsConnector("partner", "webcal://calendar.example/feed.ics", ZONE, client=client)
    first = feed.changes(*WINDOW, token=None)
    assert first.full and sorted(o.uid for o in first.objects) == ["good-friday-2030", "partner-yoga"]
    again = feed.changes(*WINDOW, token=first.token)
    assert not again.full and again.objects == []
    assert seen[-1]["if-none-match"] == '"v1"'
    with pytest.raises(ConnectorError) as err:
        IcsConnector("partner", "https://calendar.example/down.ics", ZONE, client=client).changes(*WINDOW, None)
    assert err.value.retryable


def test_unreachable_host_is_retryable():
    def refuse(request):
        raise httpx.ConnectError("refused")

    feed = IcsConnector("p", "https://calendar.example/x.ics", ZONE,
                        client=httpx.Client(transport=httpx.MockTransport(refuse)))
    with pytest.raises(ConnectorError) as err:
        feed.list_events(*WINDOW)
    assert err.value.retryable


def test_subscriptions_are_read_only(tmp_path):
    feed = IcsConnector("holidays", str(tmp_path / "x.ics"), ZONE)
    assert feed.read_only
    for call in (lambda: feed.create(event()), lambda: feed.update(event()), lambda: feed.delete("x")):
        with pytest.raises(ReadOnlyError):
            call()
    assert feed.free_busy(datetime.now(ZONE), datetime.now(ZONE), ["a@b.c"]) == {}
