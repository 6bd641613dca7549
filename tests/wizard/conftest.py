"""Fixtures for the wizard's tests: the loopback fakes (Bot API, OpenAI, a small Notion), a real Radicale,
and a helper that runs the wizard at 80×24 under Textual's Pilot."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from tests.connectors.radicale_server import start_radicale, stop_radicale
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.loopback import LoopbackServer
from tests.fakes.openai_server import FakeOpenAI


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory):
    server = start_radicale(tmp_path_factory.mktemp("radicale-wizard"))
    server.make_calendar("alice", "Work")
    server.make_calendar("alice", "Family")
    yield server
    stop_radicale(server)


@pytest.fixture
def bot_api():
    with FakeBotApi() as api:
        yield api


@pytest.fixture
def openai_fake():
    with FakeOpenAI() as fake:
        yield fake


class NotionSearch:
    """Just enough of Notion for the wizard's test: POST /v1/search and GET /v1/databases/{id}, with a
    bearer token and the Notion-Version header required, as Notion requires them."""

    token = "ntn_wizard_test_secret"
    databases = {"0f1e2d3c-aaaa-bbbb-cccc-000000000001": "Meeting notes",
                 "0f1e2d3c-aaaa-bbbb-cccc-000000000002": "Ideas"}

    def __init__(self) -> None:
        notion = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                self._answer()

            def do_GET(self) -> None:  # noqa: N802
                self._answer()

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                status, body = notion.handle(self.command, self.path, dict(self.headers))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = LoopbackServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def handle(self, method: str, path: str, headers: dict[str, str]) -> tuple[int, dict]:
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {"object": "error", "status": 401, "code": "unauthorized", "message": "API token is invalid."}
        if not headers.get("Notion-Version"):
            return 400, {"object": "error", "status": 400, "code": "missing_version", "message": "no version"}
        title = lambda name: [{"type": "text", "plain_text": name, "text": {"content": name}}]  # noqa: E731
        if method == "POST" and path == "/v1/search":
            return 200, {"object": "list", "has_more": False, "next_cursor": None,
                         "results": [{"object": "database", "id": i, "title": title(n)} for i, n in self.databases.items()]}
        if method == "GET" and path.startswith("/v1/databases/"):
            found = self.databases.get(path.rsplit("/", 1)[-1])
            if found:
                return 200, {"object": "database", "id": path.rsplit("/", 1)[-1], "title": title(found)}
        return 404, {"object": "error", "status": 404, "code": "object_not_found", "message": "not found"}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def notion():
    fake = NotionSearch()
    yield fake
    fake.close()


@pytest.fixture(autouse=True)
def _quiet_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No secret from the developer's environment, a master key from the environment (no keyring prompt)."""
    for name in ("ASSISTANT_TELEGRAM_TOKEN", "ASSISTANT_LLM_API_KEY", "ASSISTANT_SPEECH_API_KEY", "ASSISTANT_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ASSISTANT_MASTER_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
