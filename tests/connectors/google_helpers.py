"""Building Google connectors against the fake (`tests/fakes/google_server.py`) for the connector tests."""
from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from assistant.connectors.google import GoogleConnector
from assistant.store import Store
from assistant.vault import Vault
from tests.fakes.google_server import GoogleFake

ZONE = ZoneInfo("Europe/Berlin")
MASTER_KEY = bytes(range(32))


class Built:
    """A connector with its store and vault (close it when done)."""

    def __init__(self, fake: GoogleFake, directory: Path, token: dict[str, Any] | None | bool = True,
                 **section: Any):
        directory.mkdir(parents=True, exist_ok=True)
        self.store = Store(directory / "assistant.db")
        self.vault = Vault(self.store, directory, master_key=MASTER_KEY)
        self.section = fake.section(section.pop("name", "work"), **section)
        if token is True:
            token = fake.issue()
        if token:
            self.vault.put(self.section.name, token)
        self.token = token or None
        self.connector = GoogleConnector(self.section, ZONE, self.vault)

    def close(self) -> None:
        self.connector.close()
        self.store.close()


def build(fake: GoogleFake, directory: Path, token: dict[str, Any] | None | bool = True, **section: Any) -> Built:
    return Built(fake, directory, token, **section)
