"""A loopback fake of Google OAuth 2.0 and the Calendar API v3, for tests (no internet).

    with GoogleFake(tls_dir=tmp_path) as google:            # https://127.0.0.1:PORT, its own test CA
        env = google.trust_env()                             # SSL_CERT_FILE / REQUESTS_CA_BUNDLE → the CA
        section = google.section("work")                     # a [[calendars]] entry pointing here
        google.seed("primary", {"summary": "Standup", "start": {...}, "end": {...}})
        page = google.browse(printed_url)                    # a "browser": sign in, follow the redirect
        google.revoke()                                      # the owner removed the app's access
        google.fail_next("POST", "/events", 429, "rateLimitExceeded", retry_after=7)

Written from Google's public references (OAuth 2.0 for installed apps, the Calendar API v3 reference and
its sync guide), with their real answers:

* `/o/oauth2/auth` — the consent screen, already agreed: 302 to the loopback `redirect_uri` with
  `state`, `code` and `scope` (or `error=access_denied` when `deny` is set). Only loopback redirect URIs
  (RFC 8252) are accepted, `response_type=code`, PKCE with `S256` when a challenge is sent. A refresh
  token is issued only with `access_type=offline`, and again for a client that already had one only with
  `prompt=consent`.
* `/token` — `authorization_code` (client by Basic auth or form fields; the code once; the same
  `redirect_uri`; the PKCE verifier checked against the challenge) and `refresh_token` (a new access token,
  no new refresh token); `invalid_grant` "Token has been expired or revoked." once revoked.
* `/calendar/v3/…` — a Bearer token is required (401 with Google's error body and WWW-Authenticate
  otherwise); `users/me/calendarList`; `calendars/{id}/events` list (timeMin/timeMax, singleEvents,
  showDeleted, paging with nextPageToken, nextSyncToken on the last page; with `syncToken`: only what
  changed since, deleted events as `cancelled`; 410 `fullSyncRequired` once a token expired; 400 when a
  sync token is combined with timeMin/timeMax/…), insert (client-supplied base32hex ids; 409 `duplicate`
  for an id in use, even by a deleted event), get, patch (JSON merge; null clears), update, delete (410
  `deleted` when already deleted), instances (recurring series expanded in the event's time zone, its
  exceptions applied); `freeBusy`.

Every request body, and every query parameter, is checked against Google's own discovery document
(`calendar.v3.json` in `google-api-python-client`'s discovery cache) — unknown fields, wrong types,
values outside the enums — plus the rules the reference states in prose (start/end required and of one
kind, a time zone for recurring events, base32hex ids of 5–1024 characters, at most 5 reminder overrides
of 0–40320 minutes, RRULE/EXRULE/RDATE/EXDATE lines). A violation answers 400 and is kept in `problems`,
so a test can assert the client never sent one. Answers are checked against the same schemas.
"""
from __future__ import annotations

import base64
import copy
import hashlib
import ipaddress
import json
import re
import secrets
import ssl
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from dateutil.rrule import rrulestr

from tests.fakes.loopback import LoopbackServer

UTC = timezone.utc
OWNER = "owner@example.com"
CLIENT_ID = "1234567890-fake.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-fake-client-secret"
SCOPE_EVENTS = "https://www.googleapis.com/auth/calendar.events"
SCOPE_READ = "https://www.googleapis.com/auth/calendar.readonly"
SCOPE_ALL = "https://www.googleapis.com/auth/calendar"
KNOWN_SCOPES = {SCOPE_EVENTS, SCOPE_READ, SCOPE_ALL, "openid", "email", "profile"}
MAX_INSTANCES = 1000


# --- the discovery document ----------------------------------------------------------------------

def discovery_path() -> Path:
    import googleapiclient  # noqa: PLC0415 (a test dependency: the `test` extra)

    return Path(googleapiclient.__file__).parent / "discovery_cache" / "documents" / "calendar.v3.json"


class Discovery:
    """Google's description of Calendar v3: schemas of the resources, parameters of the methods."""

    _loaded: "Discovery | None" = None

    def __init__(self) -> None:
        self.doc = json.loads(discovery_path().read_text(encoding="utf-8"))
        self.schemas: dict[str, Any] = self.doc["schemas"]

    @classmethod
    def load(cls) -> "Discovery":
        if cls._loaded is None:
            cls._loaded = cls()
        return cls._loaded

    def method(self, resource: str, name: str) -> dict[str, Any]:
        return self.doc["resources"][resource]["methods"][name]

    def check(self, value: Any, schema: dict[str, Any] | str, where: str = "", nulls: bool = False) -> list[str]:
        """Problems of `value` against a schema (or a schema's name); `nulls`: JSON null allowed (patch)."""
        if isinstance(schema, str):
            schema = {"$ref": schema}
        if "$ref" in schema:
            schema = self.schemas[schema["$ref"]]
        if value is None:
            return [] if nulls else [f"{where or 'body'}: null"]
        kind = schema.get("type")
        if kind == "object":
            if not isinstance(value, dict):
                return [f"{where}: expected an object"]
            problems = []
            props = schema.get("properties") or {}
            extra = schema.get("additionalProperties")
            for key, item in value.items():
                path = f"{where}.{key}" if where else key
                if key in props:
                    problems += self.check(item, props[key], path, nulls)
                elif extra is not None:
                    problems += self.check(item, extra, path, nulls)
                else:
                    problems.append(f"{path}: unknown field")
            return problems
        if kind == "array":
            if not isinstance(value, list):
                return [f"{where}: expected an array"]
            return [p for i, item in enumerate(value) for p in self.check(item, schema["items"], f"{where}[{i}]", nulls)]
        if kind == "string":
            if not isinstance(value, str):
                return [f"{where}: expected a string"]
            if "enum" in schema and value not in schema["enum"]:
                return [f"{where}: {value!r} is not one of {schema['enum']}"]
            fmt = schema.get("format")
            if fmt == "date" and not _is_date(value):
                return [f"{where}: {value!r} is not a yyyy-mm-dd date"]
            if fmt == "date-time" and parse_rfc3339(value) is None:
                return [f"{where}: {value!r} is not an RFC 3339 date-time"]
            return []
        if kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                return [f"{where}: expected an integer"]
            return []
        if kind == "boolean":
            return [] if isinstance(value, bool) else [f"{where}: expected true or false"]
        if kind == "number":
            return [] if isinstance(value, (int, float)) and not isinstance(value, bool) else [f"{where}: expected a number"]
        return []

    def check_query(self, resource: str, name: str, query: dict[str, str]) -> list[str]:
        params = {**self.doc["parameters"], **self.method(resource, name).get("parameters", {})}
        problems = []
        for key, value in query.items():
            spec = params.get(key)
            if spec is None or spec.get("location") == "path":
                problems.append(f"query parameter {key!r} is not a parameter of {resource}.{name}")
                continue
            kind = spec.get("type")
            if kind == "boolean" and value not in ("true", "false"):
                problems.append(f"{key}={value!r}: expected true or false")
            elif kind == "integer":
                if not re.fullmatch(r"-?\d+", value):
                    problems.append(f"{key}={value!r}: expected an integer")
                else:
                    low, high = spec.get("minimum"), spec.get("maximum")
                    if (low is not None and int(value) < int(low)) or (high is not None and int(value) > int(high)):
                        problems.append(f"{key}={value}: outside {low}..{high}")
            if "enum" in spec and value not in spec["enum"]:
                problems.append(f"{key}={value!r}: not one of {spec['enum']}")
        return problems


def _is_date(value: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


def parse_rfc3339(value: str) -> datetime | None:
    """A date-time as Google reads it (an offset, or none: then the event's timeZone gives it meaning)."""
    if not isinstance(value, str) or not _RFC3339.match(value):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


# --- test TLS ------------------------------------------------------------------------------------

@dataclass
class TlsFiles:
    ca: Path
    cert: Path
    key: Path


def make_tls(directory: Path) -> TlsFiles:
    """A throwaway CA and a certificate for 127.0.0.1 / localhost signed by it."""
    from cryptography import x509  # noqa: PLC0415
    from cryptography.hazmat.primitives import hashes, serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric import ec  # noqa: PLC0415
    from cryptography.x509.oid import NameOID  # noqa: PLC0415

    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "assistant test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
          .not_valid_after(now + timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    files = TlsFiles(directory / "test-ca.pem", directory / "server.pem", directory / "server.key")
    files.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files.key.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    return files


class _TlsServer(LoopbackServer):
    context: ssl.SSLContext | None = None

    def get_request(self):  # noqa: ANN201 (socketserver's signature)
        sock, address = super().get_request()
        if self.context is not None:
            sock.settimeout(10)
            sock = self.context.wrap_socket(sock, server_side=True)
            sock.settimeout(None)
        return sock, address


# --- the fake ------------------------------------------------------------------------------------

class Reply(Exception):
    """An answer decided while handling (an error, usually)."""

    def __init__(self, status: int, body: Any = None, headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def api_error(status: int, reason: str, message: str, domain: str = "global", **extra: Any) -> Reply:
    """Google's JSON error body (Calendar v3 still sends the `errors` list)."""
    statuses = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
                409: "ALREADY_EXISTS", 410: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
                503: "UNAVAILABLE"}
    body = {"error": {"errors": [{"domain": domain, "reason": reason, "message": message, **extra}],
                      "code": status, "message": message}}
    if status in statuses:
        body["error"]["status"] = statuses[status]
    return Reply(status, body)


def oauth_error(status: int, error: str, description: str) -> Reply:
    return Reply(status, {"error": error, "error_description": description})


@dataclass
class Fault:
    method: str
    path: str
    status: int
    reason: str
    message: str
    retry_after: int | None
    remaining: int


@dataclass
class Record:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int = 0


@dataclass
class Calendar:
    id: str
    summary: str
    time_zone: str = "Europe/Berlin"
    access_role: str = "owner"
    primary: bool = False
    events: dict[str, dict[str, Any]] = field(default_factory=dict)


class GoogleFake:
    def __init__(self, tls_dir: Path | None = None, owner: str = OWNER, time_zone: str = "Europe/Berlin",
                 page_size: int = 2500):
        self.owner = owner
        self.lock = threading.RLock()
        self.discovery = Discovery.load()
        self.clients = {CLIENT_ID: CLIENT_SECRET}
        self.calendars: dict[str, Calendar] = {owner: Calendar(owner, owner, time_zone, primary=True)}
        self.people: dict[str, list[tuple[datetime, datetime]]] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.refresh_tokens: dict[str, dict[str, Any]] = {}
        self.access_tokens: dict[str, dict[str, Any]] = {}
        self.consented: set[str] = set()
        self.token_lifetime = 3599
        self.grant_only: list[str] | None = None
        """Scopes the owner leaves ticked on the consent screen (None: all asked for)."""
        self.deny = False
        self.page_size = page_size
        """The most items a page holds, whatever maxResults asks (small: paging is exercised)."""
        self.requests: list[Record] = []
        self.problems: list[str] = []
        self.faults: list[Fault] = []
        self.refresh_count = 0
        self._seq = 0
        self._floor = 0
        self._epoch = secrets.token_hex(4)
        self.tls = make_tls(tls_dir) if tls_dir is not None else None
        self.server = _TlsServer(("127.0.0.1", 0), self._handler())
        if self.tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.tls.cert, self.tls.key)
            self.server.context = context
        self._thread = threading.Thread(target=self.server.serve_forever, name="google-fake", daemon=True)

    # --- lifecycle and addresses -------------------------------------------------------------------

    def __enter__(self) -> "GoogleFake":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self.server.server_address[1]}"

    @property
    def auth_uri(self) -> str:
        return self.url + "/o/oauth2/auth"

    @property
    def token_uri(self) -> str:
        return self.url + "/token"

    @property
    def base_url(self) -> str:
        return self.url + "/calendar/v3"

    def trust_env(self) -> dict[str, str]:
        """Environment variables that make clients trust the fake's CA."""
        if self.tls is None:
            return {}
        return {"SSL_CERT_FILE": str(self.tls.ca), "REQUESTS_CA_BUNDLE": str(self.tls.ca)}

    def section_values(self, name: str = "work", **extra: Any) -> dict[str, Any]:
        return {"type": "google", "name": name, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "base_url": self.base_url, "auth_uri": self.auth_uri, "token_uri": self.token_uri, **extra}

    def section(self, name: str = "work", **extra: Any):
        from assistant.config import CalendarSection  # noqa: PLC0415

        return CalendarSection(**self.section_values(name, **extra))

    def toml(self, name: str = "work", **extra: Any) -> str:
        lines = ["[[calendars]]"] + [f"{k} = {json.dumps(v)}" for k, v in self.section_values(name, **extra).items()]
        return "\n".join(lines) + "\n"

    # --- test controls ---------------------------------------------------------------------------

    def add_calendar(self, summary: str, access_role: str = "owner", calendar_id: str | None = None) -> str:
        with self.lock:
            cid = calendar_id or f"{secrets.token_hex(8)}@group.calendar.google.com"
            self.calendars[cid] = Calendar(cid, summary, self.calendars[self.owner].time_zone, access_role)
            return cid

    def calendar(self, calendar_id: str = "primary") -> Calendar:
        return self.calendars[self.owner if calendar_id == "primary" else calendar_id]

    def seed(self, calendar_id: str, event: dict[str, Any]) -> dict[str, Any]:
        """Put an event in as if made in Google Calendar (an id is made when it has none)."""
        with self.lock:
            calendar = self.calendar(calendar_id)
            resource = copy.deepcopy(event)
            resource.setdefault("id", _new_id())
            stored = self._stamp(calendar, resource, new=True)
            return copy.deepcopy(stored)

    def events(self, calendar_id: str = "primary", deleted: bool = False) -> list[dict[str, Any]]:
        with self.lock:
            found = [e for e in self.calendar(calendar_id).events.values() if deleted or e.get("status") != "cancelled"]
            return copy.deepcopy(sorted(found, key=lambda e: e["id"]))

    def get(self, event_id: str, calendar_id: str = "primary") -> dict[str, Any] | None:
        with self.lock:
            found = self.calendar(calendar_id).events.get(event_id)
            return copy.deepcopy(found) if found else None

    def set_busy(self, person: str, *spans: tuple[datetime, datetime]) -> None:
        with self.lock:
            self.people[person.lower()] = list(spans)

    def revoke(self) -> None:
        """The owner removed the app's access (or the grant expired): every token stops working."""
        with self.lock:
            for token in [*self.refresh_tokens.values(), *self.access_tokens.values()]:
                token["revoked"] = True

    def expire_access_tokens(self) -> None:
        with self.lock:
            for token in self.access_tokens.values():
                token["expires"] = 0.0

    def expire_sync_tokens(self) -> None:
        """Every sync token given so far stops working (410 fullSyncRequired)."""
        with self.lock:
            self._floor = self._seq
            self._epoch = secrets.token_hex(4)

    def fail_next(self, method: str, path: str, status: int, reason: str = "backendError",
                  message: str = "Backend Error", retry_after: int | None = None, times: int = 1) -> None:
        """The next `times` requests whose method is `method` and whose path contains `path` fail."""
        with self.lock:
            self.faults.append(Fault(method.upper(), path, status, reason, message, retry_after, times))

    def calls(self, method: str | None = None, path: str = "") -> list[Record]:
        with self.lock:
            return [r for r in self.requests if (method is None or r.method == method) and path in r.path]

    def issue(self, scopes: list[str] | None = None, expires_in: float | None = None) -> dict[str, Any]:
        """Tokens as `assistant connect` would have stored them, issued without the browser."""
        with self.lock:
            scopes = scopes or [SCOPE_EVENTS, SCOPE_READ]
            access = self._issue_access(CLIENT_ID, scopes)
            if expires_in is not None:
                self.access_tokens[access]["expires"] = time.time() + expires_in
            refresh = "1//0g" + secrets.token_urlsafe(40)
            self.refresh_tokens[refresh] = {"client_id": CLIENT_ID, "scopes": scopes, "revoked": False}
            expiry = datetime.now(UTC) + timedelta(seconds=self.token_lifetime if expires_in is None else expires_in)
            return {"access_token": access, "refresh_token": refresh, "expiry": expiry.isoformat(timespec="seconds"),
                    "scopes": scopes, "token_uri": self.token_uri, "client_id": CLIENT_ID}

    def browse(self, url: str, follow: bool = True) -> httpx.Response:
        """A browser: open the authorisation URL (already signed in and agreeing) and follow the redirect
        to the loopback listener; `follow=False` stops at the redirect (its Location is what a browser
        on another machine would show as "can't connect")."""
        verify: Any = ssl.create_default_context(cafile=str(self.tls.ca)) if self.tls is not None else True
        with httpx.Client(verify=verify, follow_redirects=follow, timeout=10) as client:
            return client.get(url)

    def pasted_address(self, url: str) -> str:
        response = self.browse(url, follow=False)
        assert response.status_code == 302, response.text
        return response.headers["Location"]

    # --- shared pieces -----------------------------------------------------------------------------

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _stamp(self, calendar: Calendar, resource: dict[str, Any], new: bool) -> dict[str, Any]:
        now = _now_text()
        seq = self._next_seq()
        resource["kind"] = "calendar#event"
        resource["etag"] = f'"{seq}{secrets.randbelow(10**6):06d}"'
        resource.setdefault("status", "confirmed")
        eid = resource["id"]
        token = base64.urlsafe_b64encode(f"{eid} {calendar.id}".encode()).decode().rstrip("=")
        resource["htmlLink"] = f"https://www.google.com/calendar/event?eid={token}"
        resource["updated"] = now
        if new:
            resource["created"] = now
            resource.setdefault("iCalUID", f"{eid}@google.com")
            resource.setdefault("sequence", 0)
            resource.setdefault("creator", {"email": self.owner, "self": True})
            resource.setdefault("organizer", {"email": calendar.id, "self": True})
            resource.setdefault("reminders", {"useDefault": True})
            resource.setdefault("eventType", "default")
        resource["_seq"] = seq
        calendar.events[eid] = resource
        return resource

    def _issue_access(self, client_id: str, scopes: list[str]) -> str:
        token = "ya29." + secrets.token_urlsafe(32)
        self.access_tokens[token] = {"client_id": client_id, "scopes": scopes,
                                     "expires": time.time() + self.token_lifetime, "revoked": False}
        return token

    # --- the HTTP side -----------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _serve(self, method: str) -> None:
                split = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                record = Record(method, split.path, query, None)
                with fake.lock:
                    fake.requests.append(record)
                try:
                    answer = fake._route(method, split.path, query, raw, self.headers, record)
                except Reply as reply:
                    answer = reply
                except Exception as exc:  # noqa: BLE001 (a bug in the fake: say so loudly)
                    fake.problems.append(f"fake crashed: {type(exc).__name__}: {exc}")
                    answer = api_error(500, "backendError", f"fake crashed: {exc}")
                record.status = answer.status
                self._send(answer)

            def _send(self, answer: Reply) -> None:
                headers = dict(answer.headers)
                if answer.body is None:
                    data = b""
                elif isinstance(answer.body, (bytes, str)):
                    data = answer.body.encode() if isinstance(answer.body, str) else answer.body
                    headers.setdefault("Content-Type", "text/html; charset=utf-8")
                else:
                    data = json.dumps(answer.body).encode()
                    headers.setdefault("Content-Type", "application/json; charset=UTF-8")
                head = [f"HTTP/1.1 {answer.status} {_REASONS.get(answer.status, 'Status')}"]
                head += [f"{k}: {v}" for k, v in headers.items()]
                head += [f"Content-Length: {len(data)}", "", ""]
                self.wfile.write("\r\n".join(head).encode() + data)
                self.wfile.flush()

            def do_GET(self) -> None:  # noqa: N802
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

            def do_PATCH(self) -> None:  # noqa: N802
                self._serve("PATCH")

            def do_PUT(self) -> None:  # noqa: N802
                self._serve("PUT")

            def do_DELETE(self) -> None:  # noqa: N802
                self._serve("DELETE")

        return Handler

    def _route(self, method: str, path: str, query: dict[str, str], raw: bytes, headers: Any,
               record: Record) -> Reply:
        self._fault(method, path)
        if path == "/o/oauth2/auth" and method == "GET":
            return self._authorize(query)
        if path == "/token" and method == "POST":
            return self._token(_form(raw, headers), headers)
        if path == "/revoke" and method == "POST":
            return self._revoke({**query, **_form(raw, headers)})
        if not path.startswith("/calendar/v3/"):
            return Reply(404, "<p>404. That’s an error.</p>")
        parts = [unquote(p) for p in path[len("/calendar/v3/"):].split("/")]
        body = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                raise api_error(400, "parseError", "Parse Error") from None
        record.body = body
        with self.lock:
            scopes = self._bearer(headers)
            if parts == ["users", "me", "calendarList"] and method == "GET":
                return self._calendar_list(query)
            if parts == ["freeBusy"] and method == "POST":
                return self._free_busy(query, body)
            if len(parts) >= 3 and parts[0] == "calendars" and parts[2] == "events":
                calendar = self._calendar(parts[1])
                if len(parts) == 3 and method == "GET":
                    return self._list(calendar, query)
                if len(parts) == 3 and method == "POST":
                    self._need_write(scopes)
                    return self._insert(calendar, query, body)
                if len(parts) == 4:
                    if method == "GET":
                        return self._get(calendar, parts[3], query)
                    self._need_write(scopes)
                    if method == "PATCH":
                        return self._patch(calendar, parts[3], query, body, replace=False)
                    if method == "PUT":
                        return self._patch(calendar, parts[3], query, body, replace=True)
                    if method == "DELETE":
                        return self._delete(calendar, parts[3], query)
                if len(parts) == 5 and parts[4] == "instances" and method == "GET":
                    return self._instances_of(calendar, parts[3], query)
        raise api_error(404, "notFound", "Not Found")

    def _fault(self, method: str, path: str) -> None:
        with self.lock:
            for fault in self.faults:
                if fault.method == method and fault.path in path:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self.faults.remove(fault)
                    reply = (oauth_error(fault.status, fault.reason, fault.message) if path == "/token"
                             else api_error(fault.status, fault.reason, fault.message,
                                            domain="usageLimits" if "imit" in fault.reason else "global"))
                    if fault.retry_after is not None:
                        reply.headers["Retry-After"] = str(fault.retry_after)
                    raise reply

    def _problem(self, problems: list[str], reason: str = "invalid") -> None:
        if problems:
            self.problems.extend(problems)
            raise api_error(400, reason, "; ".join(problems))

    # --- OAuth ---------------------------------------------------------------------------------

    def _authorize(self, query: dict[str, str]) -> Reply:
        client_id = query.get("client_id", "")
        if client_id not in self.clients:
            self.problems.append("authorize: unknown client")
            return Reply(401, "<p>Error 401: invalid_client. The OAuth client was not found.</p>")
        redirect = query.get("redirect_uri", "")
        target = urlsplit(redirect)
        loopback = target.scheme == "http" and (target.hostname == "localhost" or _is_loopback_ip(target.hostname))
        if not loopback:
            self.problems.append(f"authorize: redirect_uri {redirect!r} is not a loopback address")
            return Reply(400, "<p>Error 400: redirect_uri_mismatch</p>")
        if query.get("response_type") != "code":
            self.problems.append("authorize: response_type must be code")
            return Reply(400, "<p>Error 400: unsupported_response_type</p>")
        scopes = query.get("scope", "").split()
        if not scopes or not set(scopes) <= KNOWN_SCOPES:
            self.problems.append(f"authorize: scopes {scopes}")
            return Reply(400, "<p>Error 400: invalid_scope</p>")
        challenge, challenge_method = query.get("code_challenge"), query.get("code_challenge_method", "plain")
        if challenge and challenge_method not in ("S256", "plain"):
            return Reply(400, "<p>Error 400: invalid_request (code_challenge_method)</p>")
        state = query.get("state")
        answer: dict[str, str] = {}
        if state is not None:
            answer["state"] = state
        if self.deny:
            answer["error"] = "access_denied"
        else:
            granted = [s for s in scopes if self.grant_only is None or s in self.grant_only]
            code = "4/0A" + secrets.token_urlsafe(24)
            with self.lock:
                self.codes[code] = {"client_id": client_id, "redirect_uri": redirect, "scopes": granted,
                                    "challenge": challenge, "method": challenge_method, "used": False,
                                    "offline": query.get("access_type") == "offline",
                                    "consent": "consent" in query.get("prompt", "").split()}
            answer.update({"code": code, "scope": " ".join(granted)})
        separator = "&" if target.query else "?"
        return Reply(302, "", {"Location": redirect + separator + urlencode(answer, quote_via=quote)})

    def _client(self, form: dict[str, str], headers: Any) -> str:
        auth = headers.get("Authorization") or ""
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if auth.lower().startswith("basic "):
            try:
                client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                client_id, secret = unquote(client_id), unquote(secret)
            except ValueError:
                raise oauth_error(401, "invalid_client", "Unauthorized") from None
        if client_id not in self.clients:
            raise oauth_error(401, "invalid_client", "The OAuth client was not found.")
        if self.clients[client_id] != secret:
            raise oauth_error(401, "invalid_client", "Unauthorized")
        return client_id

    def _token(self, form: dict[str, str], headers: Any) -> Reply:
        with self.lock:
            client_id = self._client(form, headers)
            grant = form.get("grant_type")
            if grant == "authorization_code":
                return self._code_grant(client_id, form)
            if grant == "refresh_token":
                self.refresh_count += 1
                stored = self.refresh_tokens.get(form.get("refresh_token", ""))
                if stored is None or stored["revoked"]:
                    return oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
                if stored["client_id"] != client_id:
                    return oauth_error(400, "unauthorized_client", "Unauthorized")
                access = self._issue_access(client_id, stored["scopes"])
                return Reply(200, {"access_token": access, "expires_in": self.token_lifetime,
                                   "scope": " ".join(stored["scopes"]), "token_type": "Bearer"})
            return oauth_error(400, "unsupported_grant_type", f"Invalid grant_type: {grant}")

    def _code_grant(self, client_id: str, form: dict[str, str]) -> Reply:
        code = self.codes.get(form.get("code", ""))
        if code is None or code["used"] or code["client_id"] != client_id:
            return oauth_error(400, "invalid_grant", "Malformed auth code.")
        code["used"] = True
        if form.get("redirect_uri") != code["redirect_uri"]:
            self.problems.append("token: redirect_uri differs from the authorisation request's")
            return oauth_error(400, "redirect_uri_mismatch", "Bad Request")
        if code["challenge"]:
            verifier = form.get("code_verifier")
            if not verifier:
                self.problems.append("token: PKCE verifier missing")
                return oauth_error(400, "invalid_grant", "Missing code verifier.")
            if code["method"] == "S256":
                computed = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
            else:
                computed = verifier
            if computed != code["challenge"]:
                self.problems.append("token: PKCE verifier does not match the challenge")
                return oauth_error(400, "invalid_grant", "Invalid code verifier.")
        answer = {"access_token": self._issue_access(client_id, code["scopes"]), "expires_in": self.token_lifetime,
                  "scope": " ".join(code["scopes"]), "token_type": "Bearer"}
        if code["offline"] and (client_id not in self.consented or code["consent"]):
            refresh = "1//0g" + secrets.token_urlsafe(40)
            self.refresh_tokens[refresh] = {"client_id": client_id, "scopes": code["scopes"], "revoked": False}
            answer["refresh_token"] = refresh
        self.consented.add(client_id)
        return Reply(200, answer)

    def _revoke(self, form: dict[str, str]) -> Reply:
        with self.lock:
            token = form.get("token", "")
            found = self.refresh_tokens.get(token) or self.access_tokens.get(token)
            if found is None:
                return oauth_error(400, "invalid_token", "Token expired or revoked")
            found["revoked"] = True
            return Reply(200, {})

    def _bearer(self, headers: Any) -> list[str]:
        auth = headers.get("Authorization") or ""
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        found = self.access_tokens.get(token)
        if found is None or found["revoked"] or found["expires"] <= time.time():
            message = ("Request had invalid authentication credentials. Expected OAuth 2 access token, login "
                       "cookie or other valid authentication credential. See "
                       "https://developers.google.com/identity/sign-in/web/devconsole-project.")
            reply = api_error(401, "authError", message, location="Authorization", locationType="header")
            reply.body["error"]["errors"][0]["message"] = "Invalid Credentials"
            reply.headers["WWW-Authenticate"] = ('Bearer realm="https://accounts.google.com/", '
                                                 'error="invalid_token"')
            raise reply
        if not set(found["scopes"]) & {SCOPE_EVENTS, SCOPE_READ, SCOPE_ALL}:
            raise api_error(403, "insufficientPermissions", "Request had insufficient authentication scopes.")
        return found["scopes"]

    def _need_write(self, scopes: list[str]) -> None:
        if not set(scopes) & {SCOPE_EVENTS, SCOPE_ALL}:
            raise api_error(403, "insufficientPermissions", "Request had insufficient authentication scopes.")

    # --- Calendar API ------------------------------------------------------------------------------

    def _calendar(self, calendar_id: str) -> Calendar:
        found = self.calendars.get(self.owner if calendar_id == "primary" else calendar_id)
        if found is None:
            raise api_error(404, "notFound", "Not Found")
        return found

    def _calendar_list(self, query: dict[str, str]) -> Reply:
        self._problem(self.discovery.check_query("calendarList", "list", query))
        items = [{"kind": "calendar#calendarListEntry", "etag": '"1"', "id": c.id, "summary": c.summary,
                  "timeZone": c.time_zone, "accessRole": c.access_role, "defaultReminders": [],
                  **({"primary": True} if c.primary else {})} for c in self.calendars.values()]
        return self._page({"kind": "calendar#calendarList", "etag": '"p1"'}, items, query, "CalendarList")

    def _page(self, head: dict[str, Any], items: list[dict[str, Any]], query: dict[str, str], schema: str,
              sync: bool = False) -> Reply:
        size = min(int(query.get("maxResults") or 250), 2500, self.page_size)
        fingerprint = hashlib.sha1(json.dumps(sorted((k, v) for k, v in query.items() if k != "pageToken"))
                                   .encode()).hexdigest()[:8]
        offset = 0
        if query.get("pageToken"):
            try:
                mark, _, number = base64.urlsafe_b64decode(query["pageToken"] + "==").decode().partition(":")
                offset = int(number)
            except (ValueError, UnicodeDecodeError):
                raise api_error(400, "invalid", "Invalid page token value.") from None
            if mark != fingerprint:
                raise api_error(400, "invalid", "Invalid page token value.")
        chunk = items[offset:offset + size]
        page = {**head, "items": [_public(i) for i in chunk]}
        if offset + size < len(items):
            page["nextPageToken"] = base64.urlsafe_b64encode(f"{fingerprint}:{offset + size}".encode()).decode()
        elif sync:
            page["nextSyncToken"] = self._sync_token()
        self._answer_check(page, schema)
        return Reply(200, page)

    def _answer_check(self, value: Any, schema: str) -> None:
        problems = self.discovery.check(value, schema)
        if problems:
            self.problems.extend(f"fake answer: {p}" for p in problems)

    def _sync_token(self) -> str:
        return "CP" + base64.urlsafe_b64encode(f"{self._epoch}:{self._seq}".encode()).decode().rstrip("=")

    def _since(self, token: str) -> int:
        try:
            epoch, _, number = base64.urlsafe_b64decode(token[2:] + "==").decode().partition(":")
            seq = int(number)
        except (ValueError, UnicodeDecodeError):
            seq, epoch = -1, ""
        if not token.startswith("CP") or epoch != self._epoch or seq < self._floor:
            raise api_error(410, "fullSyncRequired", "Sync token is no longer valid, a full sync is required.")
        return seq

    def _list(self, calendar: Calendar, query: dict[str, str]) -> Reply:
        self._problem(self.discovery.check_query("events", "list", query))
        single = query.get("singleEvents") == "true"
        show_deleted = query.get("showDeleted") == "true"
        head = {"kind": "calendar#events", "etag": f'"{self._seq}"', "summary": calendar.summary,
                "updated": _now_text(), "timeZone": calendar.time_zone, "accessRole": calendar.access_role,
                "defaultReminders": []}
        if query.get("orderBy") == "startTime" and not single:
            self._problem(["orderBy=startTime needs singleEvents=true"])
        if "syncToken" in query:
            restricted = {"iCalUID", "orderBy", "privateExtendedProperty", "q", "sharedExtendedProperty", "timeMin",
                          "timeMax", "updatedMin"} & set(query)
            if restricted or query.get("showDeleted") == "false":
                self.problems.append(f"list: syncToken with {sorted(restricted) or 'showDeleted=false'}")
                raise api_error(400, "invalid", "Sync token cannot be used with other request restrictions.")
            since = self._since(query["syncToken"])
            changed = sorted((e for e in calendar.events.values() if e["_seq"] > since), key=lambda e: e["_seq"])
            items: list[dict[str, Any]] = []
            for event in changed:
                if event.get("status") == "cancelled":
                    items.append(_tombstone(event))
                elif single and event.get("recurrence"):
                    items.extend(i for i in self._instances(calendar, event, None, None, True))
                else:
                    items.append(event)
            return self._page(head, items, query, "Events", sync=True)
        low = _query_time(query, "timeMin")
        high = _query_time(query, "timeMax")
        if low and high and low >= high:
            raise api_error(400, "timeRangeEmpty", "The specified time range is empty.")
        items = []
        for event in calendar.events.values():
            if event.get("recurringEventId"):      # an exception: in its series' instances when single
                master = calendar.events.get(event["recurringEventId"])
                if not single and master is not None and master.get("status") != "cancelled" and self._overlaps(
                        calendar, event, low, high, allow_cancelled=True):
                    # the reference: cancelled instances are listed when showDeleted and singleEvents are false
                    items.append(event if event.get("status") != "cancelled" else _tombstone(event))
                continue
            if event.get("status") == "cancelled":
                if show_deleted:
                    items.append(_tombstone(event))
                continue
            if event.get("recurrence"):
                instances = self._instances(calendar, event, low, high, show_deleted)
                if single:
                    items.extend(instances)
                elif instances:
                    items.append(event)
            elif self._overlaps(calendar, event, low, high):
                items.append(event)
        if query.get("orderBy") == "startTime":
            items.sort(key=lambda e: (self._span(calendar, e)[0], e["id"]))
        else:
            items.sort(key=lambda e: e["id"])
        return self._page(head, items, query, "Events", sync=True)

    def _span(self, calendar: Calendar, event: dict[str, Any]) -> tuple[datetime, datetime]:
        return (_instant(event["start"], calendar.time_zone),
                _instant(event.get("end") or event["start"], calendar.time_zone))

    def _overlaps(self, calendar: Calendar, event: dict[str, Any], low: datetime | None, high: datetime | None,
                  allow_cancelled: bool = False) -> bool:
        if "start" not in event:
            if allow_cancelled and event.get("originalStartTime"):
                start = _instant(event["originalStartTime"], calendar.time_zone)
                return (low is None or start >= low - timedelta(days=1)) and (high is None or start < high)
            return False
        start, end = self._span(calendar, event)
        return (low is None or end > low) and (high is None or start < high)

    def _instances(self, calendar: Calendar, master: dict[str, Any], low: datetime | None, high: datetime | None,
                   show_deleted: bool) -> list[dict[str, Any]]:
        """The series expanded in its start's time zone (all-day: by date), its exceptions applied."""
        start_spec, end_spec = master["start"], master.get("end") or master["start"]
        all_day = "date" in start_spec and start_spec.get("date")
        zone_name = start_spec.get("timeZone") or calendar.time_zone
        zone = ZoneInfo(zone_name)
        if all_day:
            first = datetime.fromisoformat(start_spec["date"])
            length = datetime.fromisoformat(end_spec["date"]) - first
        else:
            first = _instant(start_spec, zone_name).astimezone(zone)
            length = _instant(end_spec, zone_name) - _instant(start_spec, zone_name)
        rules = rrulestr("\n".join(master["recurrence"]), dtstart=first, forceset=True)
        exceptions = {e.get("originalStartTime", {}).get("date") or
                      _instant(e["originalStartTime"], zone_name).astimezone(UTC).isoformat(): e
                      for e in calendar.events.values() if e.get("recurringEventId") == master["id"]}
        found = []
        horizon = (high or datetime.now(UTC) + timedelta(days=730))
        for count, occurrence in enumerate(rules):
            if count >= MAX_INSTANCES:
                break
            if all_day:
                begin = occurrence.replace(tzinfo=ZoneInfo(calendar.time_zone))
                key = occurrence.date().isoformat()
                suffix = occurrence.strftime("%Y%m%d")
                original = {"date": key}
            else:
                begin = occurrence
                key = occurrence.astimezone(UTC).isoformat()
                suffix = occurrence.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
                original = {"dateTime": occurrence.isoformat(), "timeZone": zone_name}
            if begin >= horizon:
                break
            exception = exceptions.get(key)
            if exception is not None:
                if exception.get("status") == "cancelled":
                    if show_deleted:
                        found.append(_tombstone(exception))
                    continue
                if self._overlaps(calendar, exception, low, high):
                    found.append(exception)
                continue
            finish = (occurrence.astimezone(UTC) + length).astimezone(zone) if not all_day else occurrence + length
            if not all_day and low is not None and finish <= low:
                continue
            if all_day and low is not None and finish.replace(tzinfo=ZoneInfo(calendar.time_zone)) <= low:
                continue
            instance = {k: copy.deepcopy(v) for k, v in master.items() if k not in ("recurrence", "_seq")}
            instance["id"] = f"{master['id']}_{suffix}"
            instance["recurringEventId"] = master["id"]
            instance["originalStartTime"] = original
            if all_day:
                instance["start"] = {"date": occurrence.date().isoformat()}
                instance["end"] = {"date": finish.date().isoformat()}
            else:
                instance["start"] = {"dateTime": occurrence.isoformat(), "timeZone": zone_name}
                instance["end"] = {"dateTime": finish.isoformat(), "timeZone": zone_name}
            found.append(instance)
        return found

    def _instances_of(self, calendar: Calendar, event_id: str, query: dict[str, str]) -> Reply:
        self._problem(self.discovery.check_query("events", "instances", query))
        master = calendar.events.get(event_id)
        if master is None:
            raise api_error(404, "notFound", "Not Found")
        if master.get("status") == "cancelled":
            raise api_error(410, "deleted", "Resource has been deleted")
        low, high = _query_time(query, "timeMin"), _query_time(query, "timeMax")
        if master.get("recurrence"):
            items = self._instances(calendar, master, low, high, query.get("showDeleted") == "true")
        else:
            items = [master] if self._overlaps(calendar, master, low, high) else []
        head = {"kind": "calendar#events", "etag": f'"{self._seq}"', "summary": calendar.summary,
                "updated": _now_text(), "timeZone": calendar.time_zone, "accessRole": calendar.access_role,
                "defaultReminders": []}
        return self._page(head, items, query, "Events")

    def _get(self, calendar: Calendar, event_id: str, query: dict[str, str]) -> Reply:
        self._problem(self.discovery.check_query("events", "get", query))
        event = calendar.events.get(event_id)
        if event is None:
            raise api_error(404, "notFound", "Not Found")
        return Reply(200, _public(event))

    def _validate_event(self, event: dict[str, Any], method: str, nulls: bool = False) -> None:
        problems = self.discovery.check(event, "Event", nulls=nulls)
        required = [k for k, spec in self.discovery.schemas["Event"]["properties"].items()
                    if f"calendar.events.{method}" in (spec.get("annotations") or {}).get("required", [])]
        problems += [f"{k}: required for events.{method}" for k in required if not event.get(k)]
        self._problem(problems, "required" if any("required" in p for p in problems) else "invalid")
        self._problem(_event_rules(event))

    def _insert(self, calendar: Calendar, query: dict[str, str], body: Any) -> Reply:
        self._problem(self.discovery.check_query("events", "insert", query))
        if not isinstance(body, dict):
            self._problem(["insert: the body must be an Event"])
        self._validate_event(body, "insert")
        if "id" in body:
            if not re.fullmatch(r"[a-v0-9]{5,1024}", body["id"]):
                self._problem([f"id {body['id']!r}: base32hex (a-v, 0-9), 5 to 1024 characters"], "invalidParameter")
            if body["id"] in calendar.events:
                raise api_error(409, "duplicate", "The requested identifier already exists.")
        resource = {k: v for k, v in copy.deepcopy(body).items() if k not in _SERVER_FIELDS}
        resource.setdefault("id", _new_id())
        stored = self._stamp(calendar, resource, new=True)
        return self._event_answer(stored)

    def _event_answer(self, event: dict[str, Any]) -> Reply:
        public = _public(event)
        self._answer_check(public, "Event")
        return Reply(200, public)

    def _patch(self, calendar: Calendar, event_id: str, query: dict[str, str], body: Any, replace: bool) -> Reply:
        self._problem(self.discovery.check_query("events", "update" if replace else "patch", query))
        existing = calendar.events.get(event_id)
        if existing is None:
            raise api_error(404, "notFound", "Not Found")
        if not isinstance(body, dict):
            self._problem(["patch: the body must be an Event"])
        self._problem(self.discovery.check(body, "Event", nulls=not replace))
        if replace:
            merged = {k: v for k, v in copy.deepcopy(body).items() if k not in _SERVER_FIELDS}
            for key in ("id", "created", "iCalUID", "sequence", "creator", "organizer", "eventType"):
                if key in existing:
                    merged[key] = existing[key]
        else:
            merged = _merge(copy.deepcopy(existing), {k: v for k, v in body.items() if k not in _SERVER_FIELDS})
        self._validate_event({k: v for k, v in merged.items() if not k.startswith("_")}, "update")
        if merged.get("start") != existing.get("start") or merged.get("end") != existing.get("end") \
                or merged.get("recurrence") != existing.get("recurrence"):
            merged["sequence"] = int(existing.get("sequence", 0)) + 1
        stored = self._stamp(calendar, merged, new=False)
        return self._event_answer(stored)

    def _delete(self, calendar: Calendar, event_id: str, query: dict[str, str]) -> Reply:
        self._problem(self.discovery.check_query("events", "delete", query))
        existing = calendar.events.get(event_id)
        if existing is None:
            raise api_error(404, "notFound", "Not Found")
        if existing.get("status") == "cancelled":
            raise api_error(410, "deleted", "Resource has been deleted")
        existing["status"] = "cancelled"
        self._stamp(calendar, existing, new=False)
        return Reply(204, None)

    def _free_busy(self, query: dict[str, str], body: Any) -> Reply:
        self._problem(self.discovery.check_query("freebusy", "query", query))
        self._problem(self.discovery.check(body, "FreeBusyRequest"))
        if not isinstance(body, dict) or not body.get("timeMin") or not body.get("timeMax"):
            self._problem(["freeBusy: timeMin and timeMax are required"], "required")
        low, high = parse_rfc3339(body["timeMin"]), parse_rfc3339(body["timeMax"])
        if low is None or high is None or low.tzinfo is None or high.tzinfo is None:
            self._problem(["freeBusy: timeMin/timeMax need an offset"])
        if low >= high:
            raise api_error(400, "timeRangeEmpty", "The specified time range is empty.")
        if len(body.get("items") or []) > 50:
            raise api_error(400, "tooManyCalendarsRequested", "Too many calendars requested.")
        answer: dict[str, Any] = {}
        for item in body.get("items") or []:
            key = item.get("id", "")
            calendar = self.calendars.get(self.owner if key == "primary" else key)
            if calendar is not None:
                spans = []
                for event in calendar.events.values():
                    if event.get("status") == "cancelled" or event.get("transparency") == "transparent" \
                            or event.get("recurringEventId"):
                        continue
                    parts = self._instances(calendar, event, low, high, False) if event.get("recurrence") else [event]
                    spans += [self._span(calendar, p) for p in parts if self._overlaps(calendar, p, low, high)]
            elif key.lower() in self.people:
                spans = [(s, e) for s, e in self.people[key.lower()] if s < high and e > low]
            else:
                answer[key] = {"errors": [{"domain": "global", "reason": "notFound"}], "busy": []}
                continue
            answer[key] = {"busy": [{"start": _z(max(s, low)), "end": _z(min(e, high))} for s, e in sorted(spans)]}
        result = {"kind": "calendar#freeBusy", "timeMin": _z(low), "timeMax": _z(high), "calendars": answer}
        self._answer_check(result, "FreeBusyResponse")
        return Reply(200, result)


# --- helpers -------------------------------------------------------------------------------------

_REASONS = {200: "OK", 204: "No Content", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
            404: "Not Found", 409: "Conflict", 410: "Gone", 429: "Too Many Requests", 500: "Internal Server Error",
            503: "Service Unavailable"}
_SERVER_FIELDS = {"kind", "etag", "htmlLink", "created", "updated", "iCalUID", "creator", "organizer", "sequence"}
_RULE_LINE = re.compile(r"^(RRULE|EXRULE|RDATE|EXDATE)[;:]")


def _event_rules(event: dict[str, Any]) -> list[str]:
    """What the reference says in prose about an Event sent to insert/update/patch."""
    problems = []
    start, end = event.get("start") or {}, event.get("end") or {}
    if start and end:
        if bool(start.get("date")) != bool(end.get("date")) or bool(start.get("dateTime")) != bool(end.get("dateTime")):
            problems.append("start and end must both be dates or both be date-times")
        for name, when in (("start", start), ("end", end)):
            if when.get("date") and when.get("dateTime"):
                problems.append(f"{name}: date and dateTime together")
            if not when.get("date") and not when.get("dateTime"):
                problems.append(f"{name}: neither date nor dateTime")
            if when.get("timeZone"):
                try:
                    ZoneInfo(when["timeZone"])
                except (ZoneInfoNotFoundError, ValueError):
                    problems.append(f"{name}.timeZone {when['timeZone']!r} is not an IANA zone")
            if when.get("dateTime"):
                value = parse_rfc3339(when["dateTime"])
                if value is not None and value.tzinfo is None and not when.get("timeZone"):
                    problems.append(f"{name}.dateTime without an offset needs a timeZone")
                if event.get("recurrence") and not when.get("timeZone"):
                    problems.append(f"{name}.timeZone is required for a recurring event")
        if not problems:
            try:
                if _instant(end, "UTC") < _instant(start, "UTC"):
                    problems.append("the end is before the start")
            except (KeyError, ValueError):
                problems.append("start/end cannot be read")
    for line in event.get("recurrence") or []:
        if not _RULE_LINE.match(line):
            problems.append(f"recurrence line {line!r}: RRULE, EXRULE, RDATE or EXDATE")
    if event.get("recurrence") and start and not problems:
        try:
            first = _instant(start, start.get("timeZone") or "UTC")
            dtstart = datetime.fromisoformat(start["date"]) if start.get("date") else first
            rrulestr("\n".join(event["recurrence"]), dtstart=dtstart, forceset=True)[0]
        except (ValueError, TypeError, IndexError) as exc:
            problems.append(f"recurrence cannot be read: {exc}")
    for i, attendee in enumerate(event.get("attendees") or []):
        if not attendee.get("email") and not attendee.get("id"):
            problems.append(f"attendees[{i}]: an email is required")
    reminders = event.get("reminders") or {}
    overrides = reminders.get("overrides") or []
    if len(overrides) > 5:
        problems.append("reminders: at most 5 overrides")
    if reminders.get("useDefault") and overrides:
        problems.append("Cannot specify both default reminders and overrides at the same time.")
    for i, reminder in enumerate(overrides):
        if reminder.get("method") not in ("email", "popup"):
            problems.append(f"reminders.overrides[{i}].method must be email or popup")
        if not isinstance(reminder.get("minutes"), int) or not 0 <= reminder["minutes"] <= 40320:
            problems.append(f"reminders.overrides[{i}].minutes must be 0..40320")
    if event.get("transparency") not in (None, "opaque", "transparent"):
        problems.append("transparency must be opaque or transparent")
    if event.get("status") not in (None, "confirmed", "tentative", "cancelled"):
        problems.append("status must be confirmed, tentative or cancelled")
    return problems


def _merge(target: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Patch semantics: objects merge, arrays and values replace, null removes."""
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            target[key] = _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
    return target


def _public(event: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in event.items() if not k.startswith("_")}


def _tombstone(event: dict[str, Any]) -> dict[str, Any]:
    """A deleted event as lists show it: little more than its id and status."""
    keep = ("kind", "etag", "id", "status", "updated", "recurringEventId", "originalStartTime")
    return {k: event[k] for k in keep if k in event} | {"status": "cancelled"}


def _instant(when: dict[str, Any], zone_name: str) -> datetime:
    if when.get("date"):
        day = date.fromisoformat(when["date"])
        return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone_name))
    value = parse_rfc3339(when["dateTime"])
    if value is None:
        raise ValueError(f"not a date-time: {when['dateTime']!r}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(when.get("timeZone") or zone_name))
    return value


def _query_time(query: dict[str, str], key: str) -> datetime | None:
    if key not in query:
        return None
    value = parse_rfc3339(query[key])
    if value is None or value.tzinfo is None:
        raise api_error(400, "badRequest", f"Bad Request ({key} must be RFC 3339 with an offset)")
    return value


def _z(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _new_id() -> str:
    alphabet = "0123456789abcdefghijklmnopqrstuv"
    return "".join(secrets.choice(alphabet) for _ in range(26))


def _is_loopback_ip(host: str | None) -> bool:
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def _form(raw: bytes, headers: Any) -> dict[str, str]:
    if not raw:
        return {}
    return {k: v[-1] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}


def timed(start: datetime, minutes: int = 60, **fields: Any) -> dict[str, Any]:
    """An Event body for a timed event (for seeding)."""
    zone = getattr(start.tzinfo, "key", "UTC")
    end = (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(start.tzinfo)
    return {"start": {"dateTime": start.isoformat(), "timeZone": zone},
            "end": {"dateTime": end.isoformat(), "timeZone": zone}, **fields}


__all__ = ["CLIENT_ID", "CLIENT_SECRET", "Discovery", "GoogleFake", "OWNER", "SCOPE_EVENTS", "SCOPE_READ",
           "make_tls", "timed"]
