"""The shared connector contract, run against every connector: the built-in calendar, CalDAV (a real
Radicale, writable and read-only), the in-memory reference (complete, limited and read-only) and .ics
subscriptions (a file, and a feed served over a mock transport)."""
from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from assistant import errors
from assistant.config import CalendarSection
from assistant.connectors.base import Busy, Capability
from assistant.connectors.caldav import CalDAVConnector
from assistant.connectors.ics import IcsConnector
from assistant.connectors.local import LocalConnector
from assistant.connectors.memory import MemoryConnector
from assistant.store import Store
from connector_contract import MONDAY, SAMPLE_FEED, ZONE, ConnectorContract, event
from radicale_server import USERS, free_port


class TestLocalContract(ConnectorContract):
    @pytest.fixture
    def connector(self, tmp_path):
        store = Store(tmp_path / "assistant.db")
        yield LocalConnector(store, ZONE)
        store.close()


def caldav_settings(url: str, calendar: str = "", **extra) -> CalendarSection:
    return CalendarSection(type="caldav", name="radicale", url=url, username="alice",
                           password=extra.pop("password", USERS["alice"]), calendar=calendar, **extra)


class TestCalDAVContract(ConnectorContract):
    @pytest.fixture
    def connector(self, radicale):
        return CalDAVConnector(caldav_settings(radicale.url + "/", radicale.make_calendar("alice")), ZONE)

    @pytest.fixture
    def unreachable(self):
        return CalDAVConnector(caldav_settings(f"http://127.0.0.1:{free_port()}/", "x", timeout_seconds=3), ZONE)

    @pytest.fixture
    def unauthorized(self, radicale):
        secret = "wrong-secret-4711"
        return CalDAVConnector(caldav_settings(radicale.url + "/", password=secret), ZONE), secret


class TestCalDAVReadOnlyContract(ConnectorContract):
    @pytest.fixture
    def connector(self, radicale):
        name = radicale.make_calendar("alice")
        CalDAVConnector(caldav_settings(radicale.url + "/", name), ZONE).create(event(title="Shared"))
        return CalDAVConnector(caldav_settings(radicale.url + "/", name, read_only=True), ZONE)


BORIS = [Busy(start=MONDAY.replace(hour=9), end=MONDAY.replace(hour=12)),
         Busy(start=MONDAY + timedelta(days=90), end=MONDAY + timedelta(days=90, hours=1))]


class TestMemoryContract(ConnectorContract):
    known_people = ("Boris@example.com",)

    @pytest.fixture
    def connector(self):
        return MemoryConnector("memory", ZONE, free_busy={"boris@example.com": BORIS})

    @pytest.fixture
    def unreachable(self):
        memory = MemoryConnector("memory", ZONE)
        memory.fail_next(errors.Unavailable("cannot reach memory.example; will retry"), times=None)
        return memory

    @pytest.fixture
    def unauthorized(self):
        memory = MemoryConnector("memory", ZONE)
        memory.fail_next(errors.AuthError("memory.example refused the sign-in: sign in again"))
        return memory, "hunter2"


class TestLimitedMemoryContract(ConnectorContract):
    """A provider that only keeps plain events and cannot give deltas (the flags drive what runs)."""

    @pytest.fixture
    def connector(self):
        return MemoryConnector("plain", ZONE, capabilities=Capability.WRITE | Capability.ALL_DAY,
                               free_busy={"boris@example.com": BORIS})


class TestReadOnlyMemoryContract(ConnectorContract):
    @pytest.fixture
    def connector(self):
        return MemoryConnector("holidays", ZONE, read_only=True,
                               events=[event(title="Spring fest"), event(title="Weekly", recurrence="FREQ=WEEKLY")])


class TestIcsFileContract(ConnectorContract):
    @pytest.fixture
    def connector(self, tmp_path):
        (tmp_path / "feed.ics").write_text(SAMPLE_FEED)
        return IcsConnector("holidays", "feed.ics", ZONE, base_dir=tmp_path)


SECRET_PATH = "/private-5e3c7a9b/basic.ics"


def served_feed(request: httpx.Request) -> httpx.Response:
    if request.url.path != SECRET_PATH:
        return httpx.Response(401, text=f"no access to {request.url.path}")
    if request.headers.get("if-none-match") == '"v1"':
        return httpx.Response(304)
    return httpx.Response(200, text=SAMPLE_FEED, headers={"ETag": '"v1"'})


def refuse(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused")


class TestIcsHttpContract(ConnectorContract):
    @pytest.fixture
    def connector(self):
        return IcsConnector("partner", "webcal://calendar.example" + SECRET_PATH, ZONE,
                            transport=httpx.MockTransport(served_feed))

    @pytest.fixture
    def unreachable(self):
        return IcsConnector("partner", "https://calendar.example" + SECRET_PATH, ZONE,
                            transport=httpx.MockTransport(refuse))

    @pytest.fixture
    def unauthorized(self):
        return (IcsConnector("partner", "https://calendar.example/private-reset/basic.ics", ZONE,
                             transport=httpx.MockTransport(served_feed)), "private-reset")
