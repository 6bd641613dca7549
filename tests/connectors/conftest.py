"""Fixtures for the connector tests: one real Radicale server per test session."""
from __future__ import annotations

import pytest

from radicale_server import start_radicale, stop_radicale


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory):
    server = start_radicale(tmp_path_factory.mktemp("radicale"))
    yield server
    stop_radicale(server)
