"""The shared connector contract, run against the built-in calendar and CalDAV (a real Radicale)."""
from __future__ import annotations

import pytest

from assistant.config import CalendarSection
from assistant.connectors.caldav import CalDAVConnector
from assistant.connectors.local import LocalConnector
from assistant.store import Store
from connector_contract import ZONE, ConnectorContract
from radicale_server import USERS


class TestLocalContract(ConnectorContract):
    @pytest.fixture
    def connector(self, tmp_path):
        store = Store(tmp_path / "assistant.db")
        yield LocalConnector(store, ZONE)
        store.close()


class TestCalDAVContract(ConnectorContract):
    @pytest.fixture
    def connector(self, radicale):
        name = radicale.make_calendar("alice")
        settings = CalendarSection(type="caldav", name="radicale", url=radicale.url + "/", username="alice",
                                  password=USERS["alice"], calendar=name)
        return CalDAVConnector(settings, ZONE)
