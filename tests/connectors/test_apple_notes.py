"""The Apple Notes pull bridge: the connector contract's notes part, the bridge driven over real HTTP
(wrong token, unknown ids, acknowledgements), the webhook ping, and a note surviving kill -9 of `assistant chat`."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest

from assistant import errors
from assistant.connectors.apple_notes import AppleNotesConnector
from assistant.core.item import Item, Kind
from assistant.store import Store
from connector_contract import ConnectorContract
from radicale_server import free_port
from tests.fakes.loopback import LoopbackServer

TOKEN = "bridge-token-5f1c9e"
EVENT_TESTS = ["test_listing_is_sorted_aware_and_inside_the_window", "test_create_then_list",
               "test_retried_create_does_not_duplicate", "test_update_moves_the_event",
               "test_update_naming_only_the_time_keeps_title_place_and_people", "test_update_of_missing_event_creates_it",
               "test_delete_and_delete_again", "test_range_excludes_other_times"]


def notes_only(cls: type) -> type:
    """Skip the contract's event tests: a notes target keeps no events (it refuses them for good)."""
    def skipped(self, *args, **kwargs):
        pytest.skip("a notes target keeps no events")

    for name in EVENT_TESTS:
        setattr(cls, name, skipped)
    return cls


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "assistant.db")
    yield s
    s.close()


@notes_only
class TestAppleNotesContract(ConnectorContract):
    @pytest.fixture
    def connector(self, store):
        return AppleNotesConnector("iphone", store, listen=f"127.0.0.1:{free_port()}", token=TOKEN)


@pytest.fixture
def bridge(store):
    connector = AppleNotesConnector("iphone", store, listen=f"127.0.0.1:{free_port()}", token=TOKEN)
    connector.start_serving()
    yield connector
    connector.stop_serving()


def url(connector: AppleNotesConnector, path: str) -> str:
    host, port = connector.address
    return f"http://{host}:{port}{path}"


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def note(title: str, body: str = "") -> Item:
    return Item(kind=Kind.NOTE, title=title, body=body or None)


def test_pending_notes_are_listed_oldest_first_with_the_token(bridge):
    first, second = note("Wifi", "the office wifi password is hunter2"), note("Milk")
    bridge.create(first)
    bridge.create(second)
    answer = httpx.get(url(bridge, "/notes/pending"), headers=auth())
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/json")
    listed = answer.json()
    assert [n["id"] for n in listed] == [first.id, second.id]
    assert listed[0] == {"id": first.id, "title": "Wifi", "body": "the office wifi password is hunter2",
                         "created": listed[0]["created"]}
    assert listed[1]["body"] == ""
    assert listed[0]["created"] <= listed[1]["created"]


@pytest.mark.parametrize("headers", [{}, auth("wrong-token"), {"Authorization": TOKEN},
                                     {"Authorization": f"Basic {TOKEN}"}, auth(TOKEN + "x"), {"Authorization": "Bearer"}])
def test_without_the_right_token_nothing_is_shown(bridge, headers):
    bridge.create(note("Secret"))
    for method, path in (("GET", "/notes/pending"), ("POST", "/notes/anything/ack")):
        answer = httpx.request(method, url(bridge, path), headers=headers)
        assert answer.status_code == 401
        assert "Secret" not in answer.text and answer.headers["www-authenticate"].startswith("Bearer")
    assert len(bridge.queue.pending()) == 1


def test_an_acknowledged_note_is_never_listed_again(bridge):
    kept, other = note("Buy milk"), note("Call Anna")
    bridge.create(kept)
    bridge.create(other)
    answer = httpx.post(url(bridge, f"/notes/{kept.id}/ack"), headers=auth())
    assert answer.status_code == 204 and answer.content == b""
    assert [n["id"] for n in httpx.get(url(bridge, "/notes/pending"), headers=auth()).json()] == [other.id]
    assert httpx.post(url(bridge, f"/notes/{kept.id}/ack"), headers=auth()).status_code == 204   # twice is fine
    bridge.create(kept)                                               # a retried create after a lost answer
    assert [n["id"] for n in httpx.get(url(bridge, "/notes/pending"), headers=auth()).json()] == [other.id]


def test_an_unknown_id_is_404(bridge):
    assert httpx.post(url(bridge, "/notes/no-such-note/ack"), headers=auth()).status_code == 404
    assert httpx.get(url(bridge, "/notes/elsewhere"), headers=auth()).status_code == 404
    assert httpx.post(url(bridge, "/notes/pending"), headers=auth()).status_code == 405


def test_one_connection_serves_several_requests(bridge):
    bridge.create(note("Keep-alive"))
    with httpx.Client(headers=auth()) as client:
        for _ in range(3):
            assert client.get(url(bridge, "/notes/pending")).status_code == 200
        [listed] = client.get(url(bridge, "/notes/pending")).json()
        assert client.post(url(bridge, f"/notes/{listed['id']}/ack"), content=b"{}").status_code == 204
        assert client.get(url(bridge, "/notes/pending")).json() == []


def test_changes_and_deletes(bridge):
    pending, delivered = note("Draft", "v1"), note("Sent", "v1")
    bridge.create(pending)
    bridge.create(delivered)
    bridge.queue.ack(delivered.id)
    bridge.update(pending.with_changes(body="v2"))
    bridge.update(delivered.with_changes(body="v2"))                  # already on the phone: queued again
    listed = {n["id"]: n for n in bridge.queue.pending()}
    assert listed[pending.id]["body"] == "v2" and listed[delivered.id]["body"] == "v2"
    bridge.delete(pending.id)
    assert [n["id"] for n in bridge.queue.pending()] == [delivered.id]
    assert httpx.post(url(bridge, f"/notes/{pending.id}/ack"), headers=auth()).status_code == 404


def test_events_and_reminders_are_refused_for_good(store):
    connector = AppleNotesConnector("iphone", store, token=TOKEN)
    with pytest.raises(errors.Rejected) as err:
        connector.create(Item(kind=Kind.EVENT, title="Lunch"))
    assert "notes only" in str(err.value) and not err.value.retryable


def test_without_a_token_every_request_is_refused_and_doctor_says_so(store):
    connector = AppleNotesConnector("iphone", store, listen=f"127.0.0.1:{free_port()}", token="")
    with pytest.raises(errors.AuthError) as err:
        connector.test_connection()
    assert "token" in str(err.value)
    connector.start_serving()
    try:
        connector.create(note("x"))
        assert httpx.get(url(connector, "/notes/pending"), headers={"Authorization": "Bearer"}).status_code == 401
        assert httpx.get(url(connector, "/notes/pending")).status_code == 401
    finally:
        connector.stop_serving()


def test_a_busy_port_is_a_clear_error(store):
    taken = AppleNotesConnector("iphone", store, listen=f"127.0.0.1:{free_port()}", token=TOKEN)
    taken.start_serving()
    try:
        second = AppleNotesConnector("ipad", store, listen=taken.listen, token=TOKEN)
        with pytest.raises(errors.ConnectorError) as err:
            second.start_serving()
        assert "cannot listen" in str(err.value)
    finally:
        taken.stop_serving()


class _Hook(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, bytes]] = []

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).seen.append(("POST", self.path, body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


def test_the_webhook_is_pinged_after_a_new_note_and_failures_do_no_harm(store):
    server = LoopbackServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Hook.seen = []
    try:
        hooked = AppleNotesConnector("iphone", store, token=TOKEN,
                                     webhook_url=f"http://127.0.0.1:{server.server_address[1]}/push/abc")
        item = note("Ping me", "the body stays private")
        hooked.create(item)
        deadline = time.monotonic() + 5
        while not _Hook.seen and time.monotonic() < deadline:
            time.sleep(0.02)
        [(method, path, body)] = _Hook.seen
        assert (method, path) == ("POST", "/push/abc") and b"private" not in body and b"Ping me" not in body
        hooked.create(item)                                           # not new: no second ping
        time.sleep(0.2)
        assert len(_Hook.seen) == 1
    finally:
        server.shutdown()
        server.server_close()
    broken = AppleNotesConnector("ipad", store, token=TOKEN, webhook_url=f"http://127.0.0.1:{free_port()}/x",
                                 timeout=2)
    broken.create(note("Still queued"))
    assert [n["title"] for n in broken.queue.pending()] == ["Still queued"]


# ── a real `assistant chat`, killed before the phone acknowledged ───────────────────────────

def chat_config(folder: Path, port: int) -> Path:
    path = folder / "config.toml"
    path.write_text(f"""
[assistant]
timezone = "Europe/Berlin"
data_dir = "state"

[[notes]]
name = "iphone"
type = "apple_notes"
listen = "127.0.0.1:{port}"
token = "{TOKEN}"

[routing]
note = "iphone"
""", encoding="utf-8")
    return path


def start_chat(folder: Path, config: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "assistant", "--config", str(config), "chat"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=folder, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def pending(port: int, timeout: float = 60.0) -> list[dict]:
    """The bridge's list, once it answers (the process may still be starting)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            answer = httpx.get(f"http://127.0.0.1:{port}/notes/pending", headers=auth(), timeout=5)
            if answer.status_code == 200:
                return answer.json()
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the bridge never answered"
        time.sleep(0.1)


def test_a_note_survives_kill_9_before_the_ack(tmp_path):
    port = free_port()
    config = chat_config(tmp_path, port)
    first = start_chat(tmp_path, config)
    try:
        first.stdin.write("note: the office wifi password is hunter2\nyes\n")
        first.stdin.flush()
        deadline = time.monotonic() + 60
        listed = pending(port)
        while not listed and time.monotonic() < deadline:
            time.sleep(0.1)
            listed = pending(port)
        [queued] = listed
        assert queued["title"].lower() == "the office wifi password is hunter2"
        without = httpx.get(f"http://127.0.0.1:{port}/notes/pending", timeout=5)
        assert without.status_code == 401
        first.send_signal(signal.SIGKILL)                               # the phone never acknowledged
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    second = start_chat(tmp_path, config)
    try:
        assert [n["id"] for n in pending(port)] == [queued["id"]]      # still pending after the crash
        acked = httpx.post(f"http://127.0.0.1:{port}/notes/{queued['id']}/ack", headers=auth(), timeout=5)
        assert acked.status_code == 204
        assert pending(port) == []
    finally:
        second.stdin.close()
        second.wait(timeout=30)
    assert second.returncode == 0
    third = start_chat(tmp_path, config)
    try:
        assert pending(port) == []                                     # acknowledged stays acknowledged
    finally:
        third.stdin.close()
        third.wait(timeout=30)
    output = json.dumps(third.stdout.read() if third.stdout else "")
    assert "Traceback" not in output
