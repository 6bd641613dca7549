"""The Microsoft fake for the Outlook tests: one HTTPS server (with its own test CA) per session, a fresh
mailbox and identity state per test, and a test "browser" in place of `webbrowser.open`.

    from outlook_support import Outlook          # the fixtures come through tests/connectors/conftest.py

    def test_something(microsoft, tmp_path):
        outlook = Outlook(microsoft, tmp_path)
        outlook.connect()                       # the real msal loopback flow; the browser signs in as alice
        connector = outlook.connector()         # built the way `build_connectors` builds it
"""
from __future__ import annotations

import base64
import webbrowser
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Config
from assistant.connect import LoopbackOptions
from assistant.connectors import outlook
from assistant.store import Store
from assistant.vault import Vault
from tests.fakes.microsoft_server import FakeMicrosoft, TestCA

MASTER_KEY = base64.urlsafe_b64encode(b"outlook tests: a 32-byte key ...").decode().rstrip("=")
ZONE_NAME = "Europe/Berlin"


@pytest.fixture(scope="session")
def microsoft_server(tmp_path_factory: pytest.TempPathFactory):
    ca = TestCA.make(tmp_path_factory.mktemp("microsoft-ca"))
    with FakeMicrosoft(ca) as fake:
        yield fake


@pytest.fixture
def microsoft(microsoft_server: FakeMicrosoft, monkeypatch: pytest.MonkeyPatch):
    """The fake, reset; the code under test trusts its CA, has a vault key, and a browser that signs in."""
    microsoft_server.reset()
    for name, value in microsoft_server.ca.environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("ASSISTANT_MASTER_KEY", MASTER_KEY)
    monkeypatch.setattr(webbrowser, "open", microsoft_server.browser())
    yield microsoft_server
    microsoft_server.reset()


def section_values(fake: FakeMicrosoft, name: str = "office", **extra: Any) -> dict:
    return {"name": name, "type": "outlook", "client_id": fake.client_id, "tenant": "common",
            "authority_host": fake.authority_host, "base_url": fake.graph_url, "timeout_seconds": 10, **extra}


class Outlook:
    """One assistant installation (config, database, vault) with an Outlook calendar on the fake."""

    def __init__(self, fake: FakeMicrosoft, folder: Path, name: str = "office", routing: dict | None = None,
                 **extra: Any):
        self.fake = fake
        self.folder = folder
        self.name = name
        self.values = section_values(fake, name, **extra)
        self.config = Config.model_validate({"assistant": {"timezone": ZONE_NAME, "data_dir": str(folder / "data")},
                                             "calendars": [self.values], **({"routing": routing} if routing else {})})
        self.section = self.config.calendars[0]
        self.store = Store(self.config.db_path)
        self.vault = Vault(self.store, self.config.data_dir)
        self._connectors: list[outlook.OutlookConnector] = []

    def connect(self, **options: Any) -> str:
        """`assistant connect NAME` with a browser (the fake's test browser follows the redirect); `options`
        are `LoopbackOptions` fields (open_browser, paste, out, timeout) and `device_code`."""
        device_code = options.pop("device_code", None)
        options.setdefault("out", _Quiet())
        chosen = LoopbackOptions(**options)
        if device_code is not None:
            chosen.device_code = device_code          # type: ignore[attr-defined]
        return outlook.authorise(self.section, self.config, self.vault, chosen)

    def connector(self, **changes: Any) -> outlook.OutlookConnector:
        section = self.section.model_copy(update=changes) if changes else self.section
        built = outlook.connector_from_config(section, self.config, self.store)
        self._connectors.append(built)
        return built

    def record(self) -> dict:
        return self.vault.get(self.name)

    def close(self) -> None:
        for connector in self._connectors:
            connector.close()
        self.store.close()


class _Quiet:
    """Swallows what `connect` prints (tests read the fake's state instead)."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass
