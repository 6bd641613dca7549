"""Fixtures for the connector tests: one real Radicale server per test session."""
from __future__ import annotations

import pytest

from outlook_support import microsoft, microsoft_server  # noqa: F401 (the Microsoft fake's fixtures)
from radicale_server import start_radicale, stop_radicale


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory):
    server = start_radicale(tmp_path_factory.mktemp("radicale"))
    yield server
    stop_radicale(server)
