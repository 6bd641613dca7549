"""The shared connector contract, run against every connector: the built-in calendar, CalDAV (a real
Radicale, writable and read-only), the in-memory reference (complete, limited and read-only), .ics
subscriptions (a file, and a feed served over a mock transport) and Google Calendar (the loopback fake of
OAuth and Calendar v3)."""
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
from google_helpers import build as build_google
from outlook_support import Outlook
from radicale_server import USERS, free_port
from tests.fakes.google_server import GoogleFake


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


class TestGoogleContract(ConnectorContract):
    """Google Calendar against the fake: every request body checked against Google's discovery document;
    a calendar per test; Boris's free/busy known to `freeBusy`."""

    known_people = ("Boris@example.com",)

    @pytest.fixture(scope="class")
    @classmethod
    def google(cls):
        with GoogleFake(page_size=2) as fake:          # two items a page: listings and deltas are paged
            fake.set_busy("boris@example.com", *[(b.start, b.end) for b in BORIS])
            yield fake
            assert fake.problems == []

    @pytest.fixture
    def connector(self, google, tmp_path):
        built = build_google(google, tmp_path, calendar=google.add_calendar("Contract"))
        yield built.connector
        built.close()
        assert google.problems == []

    @pytest.fixture
    def unreachable(self, google, tmp_path):
        built = build_google(google, tmp_path, base_url=f"http://127.0.0.1:{free_port()}/calendar/v3",
                             timeout_seconds=3)
        yield built.connector
        built.close()

    @pytest.fixture
    def unauthorized(self, google, tmp_path):
        token = google.issue(expires_in=-1)
        google.refresh_tokens[token["refresh_token"]]["revoked"] = True
        built = build_google(google, tmp_path, token=token)
        yield built.connector, token["refresh_token"]
        built.close()


class TestOutlookContract(ConnectorContract):
    """Outlook / Microsoft 365 against the HTTPS fake of the identity platform and Graph: signed in by the
    real msal loopback flow per test; Boris's free/busy known to getSchedule."""

    known_people = ("Boris@example.com",)

    @pytest.fixture
    def outlook(self, microsoft, tmp_path):
        microsoft.schedules["boris@example.com"] = [(b.start, b.end, "busy") for b in BORIS]
        installation = Outlook(microsoft, tmp_path)
        installation.connect()
        yield installation
        installation.close()

    @pytest.fixture
    def connector(self, outlook):
        return outlook.connector()

    @pytest.fixture
    def unreachable(self, outlook):
        dead = f"https://127.0.0.1:{free_port()}"
        return outlook.connector(authority_host=dead, base_url=dead + "/v1.0", timeout_seconds=3)

    @pytest.fixture
    def unauthorized(self, outlook, microsoft):
        [refresh_token] = microsoft.valid_refresh_tokens()
        microsoft.revoke()
        return outlook.connector(), refresh_token
