"""Apple Notes through a pull bridge: Apple Notes has no API, so an iOS Shortcut fetches new notes from us.

    [[notes]]
    name = "iphone"
    type = "apple_notes"
    listen = "127.0.0.1:8765"        # where the bridge serves (the phone must reach it: LAN, Tailscale, proxy)
    token = "…"                      # the Shortcut sends `Authorization: Bearer …`
    webhook_url = ""                 # optional: pinged (POST) after each new note, e.g. a Pushcut/ntfy URL

As a connector, `create(note)` queues the note in SQLite (`store.notebook.BridgeQueue`, committed before it
returns, so it survives restarts and kill -9). The bridge (`start_serving`, called by the runtime for
`assistant run` and `assistant chat`; `stop_serving` on shutdown) serves exactly:

    GET  /notes/pending       200 [{"id", "title", "body", "created"}] oldest first; 401 without the token
    POST /notes/{id}/ack      204: delivered, never listed again; 404 for an id it never queued

The token is compared in constant time (`hmac.compare_digest`); with no token configured every request
is refused. Only notes are kept (events and reminders are refused for good: route them to a calendar).
An update of a note still pending changes it; one already on the phone is queued again (it arrives as
a new note: a Shortcut cannot change an existing one). Deleting withdraws a pending note; one already
on the phone stays there.
"""
from __future__ import annotations

import hmac
import json
import logging
import re
import socket
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from assistant import errors
from assistant.connectors.base import Busy, CalendarInfo, Capability, Declared, Written
from assistant.connectors.http import Http
from assistant.core.item import Item, Kind
from assistant.store import Store, StoreError
from assistant.store.notebook import ACKED, BridgeQueue

log = logging.getLogger(__name__)

PENDING_PATH = "/notes/pending"
ACK_PATH = re.compile(r"^/notes/(?P<id>[^/]+)/ack/?$")
MAX_BODY = 64 * 1024
"""A request body larger than this (the Shortcut sends none) is refused."""


def split_listen(listen: str) -> tuple[str, int]:
    """ "127.0.0.1:8765" → ("127.0.0.1", 8765); "[::1]:8765" → ("::1", 8765)."""
    host, _, port = listen.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def note_text(item: Item) -> tuple[str, str]:
    """(title, body) as the phone gets them: the body only when it says more than the title."""
    title = (item.title or "").strip() or "(no title)"
    body = (item.body or item.description or "").strip()
    if body.casefold() == title.casefold():
        body = ""
    return title, body


class AppleNotesConnector(Declared):
    capabilities = Capability.WRITE | Capability.NOTES

    def __init__(self, name: str, store: Store, listen: str = "127.0.0.1:8765", token: str = "",
                 webhook_url: str = "", timeout: float = 20.0, transport: Any = None):
        self.name = name
        self.store = store
        self.listen = listen
        self.token = token
        self.webhook_url = webhook_url
        self.queue = BridgeQueue(store, name)
        self._http = Http(timeout=timeout, transport=transport) if webhook_url else None
        self._server: BridgeServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # ── the connector ───────────────────────────────────────────────────────────────────────
    def authenticate(self) -> None:
        if not self.token:
            raise errors.AuthError(f"the Apple Notes bridge {self.name!r} has no token: set [[notes]] token to a "
                                   "long random string, and send it from the Shortcut as `Authorization: Bearer …`")

    def refresh_token(self) -> None:
        """A fixed token: nothing to renew."""

    def test_connection(self) -> str:
        self.authenticate()
        waiting = self.queue.count()
        state = "serving" if self.serving else "served by `assistant run`"
        return (f"bridge on http://{self.listen}{PENDING_PATH} ({state}); {waiting} note{'s' if waiting != 1 else ''} "
                f"waiting for the phone" + ("; webhook set" if self.webhook_url else ""))

    def list_calendars(self) -> list[CalendarInfo]:
        return [CalendarInfo(id=self.name, name="Apple Notes", read_only=self.read_only, components=["VJOURNAL"])]

    def list_events(self, start: datetime, end: datetime) -> list[Busy]:
        """Notes never show as events."""
        return []

    def free_busy(self, start: datetime, end: datetime, people: list[str]) -> dict[str, list[Busy]]:
        return {}

    def create(self, item: Item) -> Written:
        self._require_write()
        if item.kind != Kind.NOTE:
            what = "reminders" if item.kind == Kind.REMINDER else "events"
            raise errors.Rejected(f"Apple Notes ({self.name!r}) keeps notes only, not {what}: route {what} to a "
                                  "calendar")
        title, body = note_text(item)
        try:
            queued = self.queue.put(item.id, title, body)
        except StoreError as exc:
            raise errors.ConnectorError(str(exc), retryable=True) from None
        if queued:
            self._ping()
        return Written(uid=item.id, link=None, extra={"bridge": self.name})

    def update(self, item: Item) -> Written:
        """The note's new content (what the item leaves empty keeps the queued text)."""
        if item.kind == Kind.NOTE and not (item.body or item.description):
            row = self.queue.get(item.id)
            if row is not None and row["body"]:
                item = item.with_changes(body=row["body"], title=item.title or row["title"])
        return self.create(item)

    def delete(self, uid: str) -> None:
        self._require_write()
        self.queue.delete(uid)

    def close(self) -> None:
        self.stop_serving()
        if self._http is not None:
            self._http.close()

    # ── the bridge ──────────────────────────────────────────────────────────────────────────
    @property
    def serving(self) -> bool:
        return self._server is not None

    @property
    def address(self) -> tuple[str, int] | None:
        """Where the bridge listens (the port the system chose when `listen` asks for 0)."""
        return self._server.server_address[:2] if self._server is not None else None

    def start_serving(self) -> None:
        """Serve the bridge on `listen` in a background thread (the runtime calls this); idempotent."""
        with self._lock:
            if self._server is not None:
                return
            if not self.token:
                log.warning("apple notes bridge has no token; every request is refused", extra={"target": self.name})
            host, port = split_listen(self.listen)
            try:
                server = BridgeServer((host, port), self)
            except OSError as exc:
                raise errors.ConnectorError(f"the Apple Notes bridge {self.name!r} cannot listen on {self.listen}: "
                                            f"{exc.strerror or exc}", retryable=False) from None
            self._server = server
            self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                            name=f"bridge-{self.name}", daemon=True)
            self._thread.start()
        log.info("apple notes bridge serving", extra={"target": self.name, "listen": self.listen})

    def stop_serving(self) -> None:
        with self._lock:
            server, thread = self._server, self._thread
            self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(5)
        log.info("apple notes bridge stopped", extra={"target": self.name})

    def authorized(self, header: str | None) -> bool:
        """`Authorization: Bearer TOKEN`, compared in constant time; never true without a configured token."""
        scheme, _, value = (header or "").strip().partition(" ")
        if not self.token or scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(value.strip().encode("utf-8"), self.token.encode("utf-8"))

    def _ping(self) -> None:
        """Tell the phone (a Pushcut / ntfy URL) that a note waits; in the background, never fatal."""
        if not self.webhook_url or self._http is None:
            return
        threading.Thread(target=self._send_ping, name=f"ping-{self.name}", daemon=True).start()

    def _send_ping(self) -> None:
        try:
            self._http.post(self.webhook_url, f"telling the phone about a note for {self.name!r}",
                            content=b"A new note is waiting for Apple Notes",
                            headers={"Content-Type": "text/plain; charset=utf-8"})
        except errors.ConnectorError as exc:
            log.warning("apple notes webhook failed", extra={"target": self.name, "error": type(exc).__name__,
                                                             "detail": str(exc)})
        except Exception as exc:  # noqa: BLE001 (a ping must never take anything down)
            log.warning("apple notes webhook failed", extra={"target": self.name, "error": type(exc).__name__})


class BridgeServer(ThreadingHTTPServer):
    """The bridge's HTTP server: a thread per connection, Nagle off on accepted sockets."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], connector: AppleNotesConnector):
        self.connector = connector
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, address


class _Handler(BaseHTTPRequestHandler):
    server: BridgeServer
    protocol_version = "HTTP/1.1"
    server_version = "assistant-bridge"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        """No access log: paths hold note ids, headers the token."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._serve("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        if not self._drain():
            return
        connector = self.server.connector
        if not connector.authorized(self.headers.get("Authorization")):
            self._answer(401, {"error": "unauthorized", "message": "send Authorization: Bearer TOKEN"},
                         {"WWW-Authenticate": 'Bearer realm="assistant"'})
            return
        path = urlsplit(self.path).path
        acked = ACK_PATH.match(path)
        try:
            if path.rstrip("/") == PENDING_PATH:
                if method != "GET":
                    self._answer(405, {"error": "method not allowed"}, {"Allow": "GET"})
                    return
                rows = connector.queue.pending()
                self._answer(200, [{"id": r["id"], "title": r["title"], "body": r["body"], "created": r["created"]}
                                   for r in rows])
            elif acked:
                if method != "POST":
                    self._answer(405, {"error": "method not allowed"}, {"Allow": "POST"})
                    return
                note_id = unquote(acked.group("id"))
                if connector.queue.ack(note_id):
                    log.info("note acknowledged by the phone", extra={"target": connector.name})
                    self._answer(204, None)
                else:
                    self._answer(404, {"error": "not found", "message": "no such note"})
            else:
                self._answer(404, {"error": "not found"})
        except StoreError:
            log.error("apple notes bridge: the database failed", extra={"target": connector.name})
            self._answer(503, {"error": "unavailable", "message": "the assistant's database failed; try again"},
                         {"Retry-After": "60"})

    def _drain(self) -> bool:
        """Read (and ignore) a request body, so the connection can be reused; refuse a huge one."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._answer(413, {"error": "request too large"})
            return False
        if length:
            self.rfile.read(length)
        return True

    def _answer(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if data:
            self.wfile.write(data)


def connector_from_config(section: Any, config: Any, store: Store) -> AppleNotesConnector:
    return AppleNotesConnector(section.name, store, listen=section.listen, token=section.token,
                               webhook_url=section.webhook_url, timeout=section.timeout_seconds)


__all__ = ["ACKED", "AppleNotesConnector", "BridgeServer", "PENDING_PATH", "connector_from_config", "note_text",
           "split_listen"]
