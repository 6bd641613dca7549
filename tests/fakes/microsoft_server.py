"""A loopback fake of the Microsoft identity platform (v2.0) and of Microsoft Graph v1.0, over HTTPS.

    ca = TestCA.make(tmp_dir)                              # a CA and a certificate for 127.0.0.1 / localhost
    with FakeMicrosoft(ca) as fake:                        # https://127.0.0.1:PORT
        fake.authority_host, fake.graph_url                # what a [[calendars]] outlook section points at
        env = ca.environment()                             # SSL_CERT_FILE / REQUESTS_CA_BUNDLE for the code
        fake.browse(url)                                   # a "browser" signing in as fake.user
        fake.fail_next(429, method="POST", path="/events", retry_after=1)
        fake.revoke()                                      # every token dies (a password reset)

Written from Microsoft's public references; only what the assistant uses, with real error bodies.

Identity platform (tenants: common, organizations, consumers, the tenant id):
  GET  /{tenant}/v2.0/.well-known/openid-configuration      and  GET /common/discovery/instance
  GET  /{tenant}/oauth2/v2.0/authorize     client_id, redirect_uri (registered "http://localhost": any port,
                                           RFC 8252), response_type=code, scope, state, nonce, PKCE S256
                                           required → 302 to redirect_uri?code&state (or ?error=…)
  POST /{tenant}/oauth2/v2.0/token         authorization_code (single use, same redirect_uri, code_verifier
                                           checked), refresh_token (ROTATED: the old one is refused after),
                                           device_code (authorization_pending until approved); errors as
                                           {"error", "error_description": "AADSTS…", "error_codes", …}
  POST /{tenant}/oauth2/v2.0/devicecode    and  GET /devicelogin?otc=CODE (the owner enters the code)
Graph v1.0 (bearer required → 401 InvalidAuthenticationToken; Prefer: outlook.timezone honoured):
  GET /me, /me/calendars (paged), /me/calendar, /me/calendars/{id}
  GET|POST /me/calendars/{id}/events (also /me/events): transactionId makes a repeated POST return the
      first event; $filter on our single-value extended property; $select; $expand of extended properties
  GET|PATCH|DELETE /me/events/{id} (404 ErrorItemNotFound), GET /me/events/{id}/instances
  GET /me/calendars/{id}/calendarView (and /me/calendarView): series expanded, paged by @odata.nextLink
  GET …/calendarView/delta: rounds paged by $skiptoken, ending in @odata.deltaLink ($deltatoken); an
      expired token → 410 syncStateNotFound
  POST /me/calendar/getSchedule: `fake.schedules` (and the owner's own calendar); others answer an error
Faults: `fail_next(status, …)` answers the next matching requests with Graph's error body (+ Retry-After).
Every request is recorded in `fake.requests`; token grants in `fake.grants`.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import itertools
import json
import re
import secrets
import ssl
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, unquote, urlencode, urlsplit
from zoneinfo import ZoneInfo

import httpx
from dateutil.rrule import rrulestr
from tzlocal.windows_tz import win_tz

from tests.fakes.loopback import LoopbackServer

UTC = dt.timezone.utc
TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad"
GRAPH_APP = "00000003-0000-0000-c000-000000000000"
DAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
RRULE_DAYS = dict(zip(DAY_NAMES, ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]))
INDEXES = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
EVENT_PROPERTIES = frozenset({
    "subject", "body", "start", "end", "isAllDay", "location", "locations", "attendees", "recurrence", "showAs",
    "isReminderOn", "reminderMinutesBeforeStart", "transactionId", "singleValueExtendedProperties",
    "multiValueExtendedProperties", "categories", "importance", "sensitivity", "isOnlineMeeting",
    "responseRequested", "allowNewTimeProposals", "hideAttendees", "originalStartTimeZone", "originalEndTimeZone"})
PATTERNS = {"daily": (), "weekly": ("daysOfWeek",), "absoluteMonthly": ("dayOfMonth",),
            "relativeMonthly": ("daysOfWeek",), "absoluteYearly": ("dayOfMonth", "month"),
            "relativeYearly": ("daysOfWeek", "month")}


# ── a certificate authority for the test ─────────────────────────────────────────────────────

@dataclass
class TestCA:
    """A throw-away CA and a server certificate for 127.0.0.1 and localhost, as PEM files in `folder`."""
    __test__ = False
    folder: Path
    ca_file: Path
    cert_file: Path
    key_file: Path

    @classmethod
    def make(cls, folder: Path) -> "TestCA":
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        folder.mkdir(parents=True, exist_ok=True)
        now = dt.datetime.now(UTC)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "assistant test CA")])
        ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
              .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
              .not_valid_after(now + dt.timedelta(days=30))
              .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
              .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                           content_commitment=False, key_encipherment=False, data_encipherment=False,
                                           key_agreement=False, encipher_only=False, decipher_only=False),
                             critical=True)
              .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
              .sign(ca_key, hashes.SHA256()))
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
                .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                            x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                               critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                               critical=False)
                .sign(ca_key, hashes.SHA256()))
        ca_file, cert_file, key_file = folder / "ca.pem", folder / "server.pem", folder / "server.key"
        ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        return cls(folder, ca_file, cert_file, key_file)

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))

    def environment(self) -> dict[str, str]:
        """The variables that make the code under test trust this CA (the Http layer, requests/msal)."""
        return {"SSL_CERT_FILE": str(self.ca_file), "REQUESTS_CA_BUNDLE": str(self.ca_file)}


# ── requests and answers ─────────────────────────────────────────────────────────────────────

@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, value: Any, status: int = 200, headers: dict[str, str] | None = None) -> "Answer":
        return cls(status, json.dumps(value).encode(), "application/json", headers or {})


def graph_error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Answer:
    now = dt.datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return Answer.json({"error": {"code": code, "message": message,
                                  "innerError": {"date": now, "request-id": str(uuid.uuid4()),
                                                 "client-request-id": str(uuid.uuid4())}}}, status, headers)


def identity_error(status: int, error: str, code: int, description: str) -> Answer:
    now = dt.datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    trace = str(uuid.uuid4())
    return Answer.json({"error": error, "error_description": f"AADSTS{code}: {description} Trace ID: {trace} "
                                                             f"Correlation ID: {uuid.uuid4()} Timestamp: {now}",
                        "error_codes": [code], "timestamp": now, "trace_id": trace,
                        "correlation_id": str(uuid.uuid4()),
                        "error_uri": f"https://login.microsoftonline.com/error?code={code}"}, status)


STATUS_CODES = {400: "ErrorInvalidRequest", 403: "ErrorAccessDenied", 404: "ErrorItemNotFound",
                409: "ErrorIrresolvableConflict", 410: "syncStateNotFound", 412: "ErrorIrresolvableConflict",
                429: "ApplicationThrottled", 500: "generalException", 503: "ServiceUnavailable",
                504: "UnknownError"}


@dataclass
class Fault:
    status: int
    method: str | None
    path: str | None
    remaining: int
    retry_after: int | None
    code: str | None


@dataclass
class StoredEvent:
    id: str
    calendar: str
    data: dict
    version: int
    created: str
    modified: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _now_text() -> str:
    return dt.datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")


def _zone(name: str) -> ZoneInfo:
    """A Graph timeZone (a Windows name, or an IANA name Graph also takes) as a zone; KeyError if unknown."""
    if name.upper() == "UTC":
        return ZoneInfo("UTC")
    if name in win_tz:
        return ZoneInfo(win_tz[name])
    if "/" in name:
        return ZoneInfo(name)
    raise KeyError(name)


def _parse_local(value: str) -> dt.datetime:
    text = re.sub(r"(\.\d{1,6})\d*", lambda m: m.group(1), value.rstrip("Z"))
    parsed = dt.datetime.fromisoformat(text)
    return parsed.replace(tzinfo=None)


def _query_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    text = re.sub(r"(\.\d{1,6})\d*", lambda m: m.group(1), value.replace("Z", "+00:00"))
    parsed = dt.datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# ── the fake ─────────────────────────────────────────────────────────────────────────────────

class FakeMicrosoft:
    def __init__(self, ca: TestCA, *, client_id: str = "11111111-2222-3333-4444-555555555555",
                 user: str = "alice@contoso.com", redirect_uris: tuple[str, ...] = ("http://localhost",)):
        self.ca = ca
        self.client_id = client_id
        self.redirect_uris = list(redirect_uris)
        self.allow_public_client_flows = True
        self.user = user
        self.users = {user: {"oid": str(uuid.uuid4()), "name": "Alice Example"}}
        self.access_token_lifetime = 3600
        self.schedules: dict[str, list[tuple[dt.datetime, dt.datetime, str]]] = {}
        self.requests: list[Request] = []
        self.grants: list[str] = []
        self.lock = threading.RLock()
        self.server = LoopbackServer(("127.0.0.1", 0), self._handler())
        self.context = ca.server_context()
        self._thread = threading.Thread(target=self.server.serve_forever, name="fake-microsoft", daemon=True)
        self.reset()

    # --- life ----------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def authority_host(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def graph_url(self) -> str:
        return f"https://127.0.0.1:{self.port}/v1.0"

    def start(self) -> "FakeMicrosoft":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "FakeMicrosoft":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        """A fresh mailbox and identity state (the server keeps running)."""
        with self.lock:
            self.codes: dict[str, dict] = {}
            self.refresh_tokens: dict[str, dict] = {}
            self.access_tokens: dict[str, dict] = {}
            self.device_codes: dict[str, dict] = {}
            self.calendars: list[dict] = []
            self.events: dict[str, StoredEvent] = {}
            self.tombstones: dict[str, StoredEvent] = {}
            self.version = 0
            self.delta_floor = 0
            self.delta_tokens: dict[str, dict] = {}
            self.skip_tokens: dict[str, dict] = {}
            self.faults: list[Fault] = []
            self.requests.clear()
            self.grants.clear()
            self.schedules.clear()
            self.consent_denied = False
            self.access_token_lifetime = 3600
            self.allow_public_client_flows = True
            self.add_calendar("Calendar", default=True)

    # --- test controls -------------------------------------------------------------------------

    def add_calendar(self, name: str, default: bool = False, can_edit: bool = True) -> str:
        calendar_id = "AAMkAGI2TG93AAA" + _b64(secrets.token_bytes(18)) + "="
        with self.lock:
            self.calendars.append({"id": calendar_id, "name": name, "isDefaultCalendar": default,
                                   "canEdit": can_edit, "canShare": True, "canViewPrivateItems": True,
                                   "color": "auto", "hexColor": "", "changeKey": _b64(secrets.token_bytes(6)),
                                   "owner": {"name": self.users[self.user]["name"], "address": self.user}})
        return calendar_id

    def default_calendar(self) -> dict:
        return next(c for c in self.calendars if c["isDefaultCalendar"])

    def calendar_named(self, name: str) -> dict:
        return next(c for c in self.calendars if c["name"] == name)

    def seed(self, data: dict, calendar: str | None = None) -> str:
        """An event made elsewhere (another app or Outlook itself); returns its id."""
        with self.lock:
            return self._insert(calendar or self.default_calendar()["id"], dict(data)).id

    def fail_next(self, status: int, *, method: str | None = None, path: str | None = None, times: int = 1,
                  retry_after: int | None = None, code: str | None = None) -> None:
        """Answer the next `times` requests whose method and path (a substring) match with `status`."""
        with self.lock:
            self.faults.append(Fault(status, method, path, times, retry_after, code))

    def revoke(self) -> None:
        """Every refresh and access token stops working (a password reset, or access revoked)."""
        with self.lock:
            for grant in self.refresh_tokens.values():
                grant["revoked"] = True
            for token in self.access_tokens.values():
                token["revoked"] = True

    def expire_delta_tokens(self) -> None:
        with self.lock:
            self.delta_floor = self.version + 1
            self.delta_tokens.clear()

    def valid_refresh_tokens(self) -> list[str]:
        with self.lock:
            return [t for t, g in self.refresh_tokens.items() if not g["revoked"] and not g["rotated"]]

    def stored(self, calendar: str | None = None) -> list[dict]:
        """The events as stored (single events and series masters), with their ids."""
        with self.lock:
            return [{"id": e.id, **e.data} for e in self.events.values() if calendar in (None, e.calendar)]

    def approve_device_code(self, user_code: str) -> None:
        with self.lock:
            for grant in self.device_codes.values():
                if grant["user_code"] == user_code:
                    grant["approved"] = self.user

    def browse(self, url: str, timeout: float = 10.0) -> httpx.Response:
        """A browser signed in as `user`: opens the authorisation address and follows the redirect back
        to the loopback listener."""
        with httpx.Client(verify=self.ca.client_context(), follow_redirects=True, timeout=timeout) as client:
            return client.get(url)

    def browser(self) -> Callable[[str], bool]:
        """A `webbrowser.open` replacement that browses in a thread (as a real browser runs beside us)."""
        def open_(url: str, *args: object, **kwargs: object) -> bool:
            threading.Thread(target=self.browse, args=(url,), daemon=True).start()
            return True
        return open_

    def graph_requests(self, method: str | None = None, contains: str = "") -> list[Request]:
        return [r for r in self.requests if r.path.startswith("/v1.0") and (method in (None, r.method))
                and contains in r.path]

    # --- HTTP plumbing -------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                self.request = fake.context.wrap_socket(self.request, server_side=True)
                super().setup()

            def finish(self) -> None:
                try:
                    super().finish()
                finally:
                    self.request.close()          # the server only closes the socket it accepted (detached)

            def _serve(self) -> None:
                target = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(self.command, unquote(target.path),
                                  {k: v[0] for k, v in parse_qs(target.query, keep_blank_values=True).items()},
                                  {k.lower(): v for k, v in self.headers.items()}, body)
                try:
                    answer = fake.handle(request)
                except Exception as exc:  # noqa: BLE001 - a bug in the fake shows as a 500 with its text
                    answer = graph_error(500, "fakeBug", f"{type(exc).__name__}: {exc}")
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)

            do_GET = do_POST = do_PATCH = do_DELETE = _serve  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def handle(self, request: Request) -> Answer:
        with self.lock:
            self.requests.append(request)
            fault = self._fault(request)
        if fault is not None:
            return fault
        if request.path.startswith("/v1.0/"):
            return self._graph(request)
        return self._identity(request)

    def _fault(self, request: Request) -> Answer | None:
        for fault in self.faults:
            if fault.method not in (None, request.method) or (fault.path and fault.path not in request.path):
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self.faults.remove(fault)
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            code = fault.code or STATUS_CODES.get(fault.status, "UnknownError")
            return graph_error(fault.status, code, f"injected {fault.status}", headers)
        return None

    # ── identity platform ───────────────────────────────────────────────────────────────────

    def _identity(self, request: Request) -> Answer:
        parts = [p for p in request.path.split("/") if p]
        if request.path == "/devicelogin":
            self.approve_device_code(request.query.get("otc", ""))
            return Answer(200, b"<p>You have signed in on your other device.</p>", "text/html")
        if len(parts) >= 3 and parts[1:3] == ["discovery", "instance"]:
            host = f"127.0.0.1:{self.port}"
            tenant = "common"
            return Answer.json({"tenant_discovery_endpoint":
                                f"{self.authority_host}/{tenant}/v2.0/.well-known/openid-configuration",
                                "api-version": "1.1",
                                "metadata": [{"preferred_network": host, "preferred_cache": host,
                                              "aliases": [host]}]})
        if not parts:
            return Answer(404, b"not found", "text/plain")
        tenant = parts[0]
        if tenant not in ("common", "organizations", "consumers", TENANT_ID):
            return identity_error(400, "invalid_tenant", 90002, f"Tenant '{tenant}' not found. Check to make sure "
                                  "you have the correct tenant ID and are signing into the correct cloud.")
        rest = "/".join(parts[1:])
        if rest == "v2.0/.well-known/openid-configuration" and request.method == "GET":
            return Answer.json(self._openid_configuration(tenant))
        if rest == "oauth2/v2.0/authorize" and request.method == "GET":
            return self._authorize(request, tenant)
        if rest == "oauth2/v2.0/token" and request.method == "POST":
            return self._token(request.form())
        if rest == "oauth2/v2.0/devicecode" and request.method == "POST":
            return self._devicecode(request.form(), tenant)
        return Answer(404, b"not found", "text/plain")

    def _openid_configuration(self, tenant: str) -> dict:
        base = f"{self.authority_host}/{tenant}"
        issuer_tenant = "{tenantid}" if tenant in ("common", "organizations", "consumers") else tenant
        return {"token_endpoint": f"{base}/oauth2/v2.0/token",
                "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt",
                                                          "client_secret_basic"],
                "jwks_uri": f"{base}/discovery/v2.0/keys", "response_modes_supported": ["query", "fragment",
                                                                                         "form_post"],
                "subject_types_supported": ["pairwise"], "id_token_signing_alg_values_supported": ["RS256"],
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
                "issuer": f"{self.authority_host}/{issuer_tenant}/v2.0", "request_uri_parameter_supported": False,
                "userinfo_endpoint": f"{self.graph_url}/oidc/userinfo",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
                "http_logout_supported": True, "frontchannel_logout_supported": True,
                "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
                "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "preferred_username", "name",
                                     "tid", "ver", "oid"],
                "kerberos_endpoint": f"{base}/kerberos", "tenant_region_scope": None,
                "cloud_instance_name": "microsoftonline.com", "cloud_graph_host_name": "graph.windows.net",
                "msgraph_host": f"127.0.0.1:{self.port}", "rbac_url": "https://pas.windows.net"}

    def _redirect_ok(self, uri: str) -> bool:
        """Registered redirect URIs match exactly, except loopback ones, whose port is ignored (RFC 8252)."""
        given = urlsplit(uri)
        for registered in self.redirect_uris:
            wanted = urlsplit(registered)
            if given.scheme != wanted.scheme or given.hostname != wanted.hostname:
                continue
            same_path = given.path.rstrip("/") == wanted.path.rstrip("/")
            if wanted.hostname in ("localhost", "127.0.0.1") and same_path and not given.query:
                return True
            if uri == registered:
                return True
        return False

    def _authorize(self, request: Request, tenant: str) -> Answer:
        q = request.query
        if q.get("client_id") != self.client_id:
            return Answer(400, f"AADSTS700016: Application with identifier '{q.get('client_id')}' was not found "
                               "in the directory.".encode(), "text/plain")
        redirect = q.get("redirect_uri", "")
        if not self._redirect_ok(redirect):
            return Answer(400, ("AADSTS50011: The redirect URI specified in the request does not match the "
                                "redirect URIs configured for the application.").encode(), "text/plain")

        def back(**params: str) -> Answer:
            if q.get("state") is not None:
                params["state"] = q["state"]
            return Answer(302, b"", "text/html", {"Location": f"{redirect}?{urlencode(params)}"})

        if q.get("response_type") != "code":
            return back(error="unsupported_response_type",
                        error_description="AADSTS70005: response_type is not supported.")
        if not q.get("code_challenge") or q.get("code_challenge_method") != "S256":
            return back(error="invalid_request", error_description="AADSTS9002325: Proof Key for Code Exchange "
                                                                   "is required.")
        scopes = set((q.get("scope") or "").split())
        if not scopes & {"Calendars.ReadWrite", "User.Read"}:
            return back(error="invalid_scope", error_description="AADSTS70011: The provided value for the input "
                                                                 "parameter 'scope' is not valid.")
        if self.consent_denied:
            return back(error="access_denied", error_description="AADSTS65004: User declined to consent to "
                                                                 "access the app.")
        code = "0.AX" + _b64(secrets.token_bytes(48))
        with self.lock:
            self.codes[code] = {"client_id": self.client_id, "redirect_uri": redirect, "scopes": scopes,
                                "challenge": q["code_challenge"], "nonce": q.get("nonce"), "user": self.user,
                                "tenant": tenant, "issued": time.time()}
        return back(code=code, session_state=str(uuid.uuid4()))

    def _token(self, form: dict[str, str]) -> Answer:
        grant_type = form.get("grant_type", "")
        with self.lock:
            self.grants.append(grant_type)
        if form.get("client_id") != self.client_id:
            return identity_error(400, "unauthorized_client", 700016,
                                  f"Application with identifier '{form.get('client_id')}' was not found.")
        if grant_type == "authorization_code":
            return self._by_code(form)
        if grant_type == "refresh_token":
            return self._by_refresh_token(form)
        if grant_type == "urn:ietf:params:oauth:grant-type:device_code":
            return self._by_device_code(form)
        return identity_error(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")

    def _by_code(self, form: dict[str, str]) -> Answer:
        with self.lock:
            grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or time.time() - grant["issued"] > 600:
            return identity_error(400, "invalid_grant", 70008, "The provided authorization code or refresh "
                                  "token has expired due to inactivity.")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return identity_error(400, "invalid_grant", 500117, "The reply uri specified in the request does not "
                                  "match the reply uri used in the authorization request.")
        verifier = form.get("code_verifier", "")
        if not verifier or _b64(hashlib.sha256(verifier.encode()).digest()) != grant["challenge"]:
            return identity_error(400, "invalid_grant", 50148, "The code_verifier does not match the "
                                  "code_challenge supplied in the authorization request for PKCE.")
        scopes = set((form.get("scope") or "").split()) or grant["scopes"]
        return Answer.json(self._issue(grant["user"], scopes, grant["nonce"]))

    def _by_refresh_token(self, form: dict[str, str]) -> Answer:
        token = form.get("refresh_token", "")
        with self.lock:
            grant = self.refresh_tokens.get(token)
            if grant is None or grant["rotated"]:
                return identity_error(400, "invalid_grant", 70000, "The provided value for the 'refresh_token' "
                                      "is not valid: it was already used or never issued.")
            if grant["revoked"]:
                return identity_error(400, "invalid_grant", 50173, "The provided grant has expired due to it "
                                      "being revoked, a fresh auth token is needed. The user might have changed "
                                      "or reset their password.")
            grant["rotated"] = True
        scopes = set((form.get("scope") or "").split()) or grant["scopes"]
        return Answer.json(self._issue(grant["user"], scopes, None))

    def _devicecode(self, form: dict[str, str], tenant: str) -> Answer:
        if form.get("client_id") != self.client_id:
            return identity_error(400, "unauthorized_client", 700016, "Application was not found.")
        device_code = _b64(secrets.token_bytes(32))
        user_code = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(9))
        with self.lock:
            self.device_codes[device_code] = {"user_code": user_code, "approved": None, "expires": time.time() + 900,
                                              "scopes": set((form.get("scope") or "").split())}
        verification = f"{self.authority_host}/devicelogin"
        return Answer.json({"user_code": user_code, "device_code": device_code, "verification_uri": verification,
                            "expires_in": 900, "interval": 1,
                            "message": f"To sign in, use a web browser to open the page {verification} and "
                                       f"enter the code {user_code} to authenticate."})

    def _by_device_code(self, form: dict[str, str]) -> Answer:
        if not self.allow_public_client_flows:
            return identity_error(401, "invalid_client", 7000218, "The request body must contain the following "
                                  "parameter: 'client_assertion' or 'client_secret'.")
        with self.lock:
            grant = self.device_codes.get(form.get("device_code", ""))
            if grant is None:
                return identity_error(400, "invalid_grant", 70000, "The device code is not valid.")
            if time.time() > grant["expires"]:
                return identity_error(400, "expired_token", 70019, "Verification code expired.")
            if grant["approved"] is None:
                return identity_error(400, "authorization_pending", 70016, "OAuth 2.0 device flow error. "
                                      "Authorization is pending. Continue polling.")
            self.device_codes.pop(form["device_code"])
        return Answer.json(self._issue(grant["approved"], grant["scopes"], None))

    def _issue(self, user: str, scopes: set[str], nonce: str | None) -> dict:
        now = int(time.time())
        oid = self.users.setdefault(user, {"oid": str(uuid.uuid4()), "name": user})["oid"]
        access = "eyJ0eXAiOiJKV1QiLCJub25jZSI6" + _b64(secrets.token_bytes(40))
        refresh = "0.AXoA" + _b64(secrets.token_bytes(60))
        granted = sorted(s for s in scopes if s != "offline_access")
        with self.lock:
            self.access_tokens[access] = {"user": user, "expires": now + self.access_token_lifetime,
                                          "revoked": False}
            answer = {"token_type": "Bearer", "scope": " ".join(granted), "expires_in": self.access_token_lifetime,
                      "ext_expires_in": self.access_token_lifetime, "access_token": access,
                      "client_info": _b64(json.dumps({"uid": oid, "utid": TENANT_ID}).encode())}
            if "offline_access" in scopes:
                self.refresh_tokens[refresh] = {"user": user, "scopes": scopes, "rotated": False, "revoked": False}
                answer["refresh_token"] = refresh
        if "openid" in scopes:
            claims = {"aud": self.client_id, "iss": f"{self.authority_host}/{TENANT_ID}/v2.0", "iat": now,
                      "nbf": now, "exp": now + 3600, "name": self.users[user]["name"], "oid": oid,
                      "preferred_username": user, "sub": _b64(hashlib.sha256(oid.encode()).digest()),
                      "tid": TENANT_ID, "ver": "2.0", **({"nonce": nonce} if nonce else {})}
            header = {"typ": "JWT", "alg": "RS256", "kid": "fake-key"}
            answer["id_token"] = ".".join([_b64(json.dumps(header).encode()), _b64(json.dumps(claims).encode()),
                                           _b64(b"not-a-real-signature")])
        return answer

    # ── Graph ───────────────────────────────────────────────────────────────────────────────

    def _graph(self, request: Request) -> Answer:
        auth = request.header("authorization")
        token = auth[7:] if auth.lower().startswith("bearer ") else ""
        www = {"WWW-Authenticate": 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/'
                                   f'common/oauth2/authorize", client_id="{GRAPH_APP}"'}
        if not token:
            return graph_error(401, "InvalidAuthenticationToken", "Access token is empty.", www)
        with self.lock:
            grant = self.access_tokens.get(token)
        if grant is None:
            return graph_error(401, "InvalidAuthenticationToken", "IDX14100: JWT is not well formed.", www)
        if grant["revoked"] or grant["expires"] < time.time():
            return graph_error(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is "
                                                                  "expired.", www)
        path = request.path[len("/v1.0"):]
        tz = self._prefer_zone(request)
        with self.lock:
            return self._route(request, path, tz)

    def _prefer_zone(self, request: Request) -> str:
        match = re.search(r'outlook\.timezone="([^"]+)"', request.header("prefer"))
        return match.group(1) if match else "UTC"

    def _route(self, request: Request, path: str, tz: str) -> Answer:
        m, q = request.method, request.query
        if path == "/me" and m == "GET":
            info = self.users[self.user]
            return Answer.json(self._select({"@odata.context": f"{self.graph_url}/$metadata#users/$entity",
                                             "id": info["oid"], "displayName": info["name"], "mail": self.user,
                                             "userPrincipalName": self.user}, q, always=("id",)))
        if path == "/me/calendars" and m == "GET":
            return self._paged(request, [self._select(c, q) for c in self.calendars], default_top=10)
        if path == "/me/calendar" and m == "GET":
            return Answer.json(self._select(self.default_calendar(), q))
        if path == "/me/calendar/getSchedule" and m == "POST":
            return self._get_schedule(request, tz)
        match = re.fullmatch(r"/me/calendars/([^/]+)(/.*)?", path)
        calendar_id, rest = (match.group(1), match.group(2) or "") if match else (None, path[len("/me"):])
        if calendar_id is not None:
            calendar = next((c for c in self.calendars if c["id"] == calendar_id), None)
            if calendar is None:
                return graph_error(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        else:
            calendar = self.default_calendar()
        if rest == "" and calendar_id is not None and m == "GET":
            return Answer.json(self._select(calendar, q))
        if rest == "/events":
            if m == "POST":
                return self._create(request, calendar["id"], tz)
            if m == "GET":
                return self._list_events(request, calendar["id"], tz)
        if rest == "/calendarView" and m == "GET":
            return self._calendar_view(request, calendar["id"], tz)
        if rest == "/calendarView/delta" and m == "GET":
            return self._delta(request, calendar["id"], tz)
        match = re.fullmatch(r"/events/([^/]+)(/instances)?", rest)
        if match:
            event = self.events.get(match.group(1))
            if event is None or (calendar_id is not None and event.calendar != calendar_id):
                if len(match.group(1)) < 40:
                    return graph_error(400, "ErrorInvalidIdMalformed", "Id is malformed.")
                return graph_error(404, "ErrorItemNotFound", "The specified object was not found in the store.")
            if match.group(2):
                return self._instances(request, event, tz) if m == "GET" else graph_error(405, "ErrorInvalidRequest",
                                                                                         "Method not allowed.")
            if m == "GET":
                return Answer.json(self._present(event, q, tz))
            if m == "PATCH":
                return self._patch(request, event, tz)
            if m == "DELETE":
                self._delete(event)
                return Answer(204)
        return graph_error(400, "BadRequest", f"Resource not found for the segment '{path}'.")

    # --- shapes --------------------------------------------------------------------------------

    def _select(self, value: dict, q: dict[str, str], always: tuple[str, ...] = ("id",)) -> dict:
        fields = q.get("$select")
        if not fields:
            return dict(value)
        wanted = {f.strip() for f in fields.split(",")} | set(always)
        return {k: v for k, v in value.items() if k in wanted or k.startswith("@odata")}

    def _paged(self, request: Request, items: list[dict], default_top: int, extra: dict | None = None) -> Answer:
        q = request.query
        top = int(q.get("$top") or default_top)
        skip = int(q.get("$skip") or 0)
        page = items[skip:skip + top]
        body: dict[str, Any] = {"value": page, **(extra or {})}
        if skip + top < len(items):
            follow = dict(q, **{"$skip": str(skip + top)})
            body["@odata.nextLink"] = f"https://127.0.0.1:{self.port}{request.path}?{urlencode(follow)}"
        return Answer.json(body)

    def _time_out(self, local: dt.datetime, zone: ZoneInfo, tz: str, all_day: bool) -> dict:
        """A stored wall time as Graph shows it in the Prefer zone; all-day values stay floating dates."""
        if all_day:
            return {"dateTime": local.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": tz}
        shown = local.replace(tzinfo=zone).astimezone(_zone(tz))
        return {"dateTime": shown.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": tz}

    def _present(self, event: StoredEvent, q: dict[str, str], tz: str, instance: dict | None = None,
                 full: bool = True) -> dict:
        data = event.data
        zone = _zone(data["start"]["timeZone"])
        all_day = bool(data.get("isAllDay"))
        start = _parse_local(data["start"]["dateTime"])
        end = _parse_local(data["end"]["dateTime"])
        kind = "seriesMaster" if data.get("recurrence") else "singleInstance"
        shown: dict[str, Any] = {
            "@odata.etag": f'W/"{event.version}"', "id": event.id, "createdDateTime": event.created,
            "lastModifiedDateTime": event.modified, "changeKey": f"v{event.version}",
            "categories": data.get("categories", []), "transactionId": data.get("transactionId"),
            "originalStartTimeZone": data["start"]["timeZone"], "originalEndTimeZone": data["end"]["timeZone"],
            "iCalUId": "040000008200E00074C5B7101A82E008" + hashlib.md5(event.id.encode()).hexdigest().upper(),
            "reminderMinutesBeforeStart": data.get("reminderMinutesBeforeStart", 15),
            "isReminderOn": data.get("isReminderOn", True), "hasAttachments": False,
            "subject": data.get("subject", ""), "bodyPreview": (data.get("body") or {}).get("content", "")[:255],
            "importance": data.get("importance", "normal"), "sensitivity": data.get("sensitivity", "normal"),
            "isAllDay": all_day, "isCancelled": False, "isOrganizer": True, "responseRequested": True,
            "seriesMasterId": None, "showAs": data.get("showAs", "busy"), "type": kind,
            "webLink": f"https://outlook.office365.com/owa/?itemid={event.id}&exvsurl=1&path=/calendar/item",
            "onlineMeetingUrl": None, "isOnlineMeeting": False,
            "responseStatus": {"response": "organizer", "time": "0001-01-01T00:00:00Z"},
            "body": data.get("body") or {"contentType": "text", "content": ""},
            "start": self._time_out(start, zone, tz, all_day), "end": self._time_out(end, zone, tz, all_day),
            "location": {"displayName": "", "locationType": "default", "uniqueIdType": "unknown",
                         "address": {}, "coordinates": {}, **(data.get("location") or {})},
            "recurrence": data.get("recurrence"),
            "attendees": [{"type": a.get("type", "required"), "status": {"response": "none",
                                                                          "time": "0001-01-01T00:00:00Z"},
                           "emailAddress": a.get("emailAddress", {})} for a in data.get("attendees", [])],
            "organizer": {"emailAddress": {"name": self.users[self.user]["name"], "address": self.user}},
        }
        if instance is not None:
            shown.update(id=instance["id"], type="occurrence", seriesMasterId=event.id, recurrence=None,
                         originalStart=instance["original"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                         start=self._time_out(instance["start"], zone, tz, all_day),
                         end=self._time_out(instance["end"], zone, tz, all_day))
            shown["@odata.etag"] = f'W/"{event.version}"'
        if full:
            shown = self._select(shown, q)
            expand = q.get("$expand", "")
            if "singleValueExtendedProperties" in expand and instance is None:
                match = re.search(r"id eq '([^']+)'", expand)
                props = data.get("singleValueExtendedProperties", [])
                if match:
                    props = [p for p in props if p["id"].casefold() == match.group(1).casefold()]
                shown["singleValueExtendedProperties"] = props
        return shown

    # --- events --------------------------------------------------------------------------------

    def _validate(self, data: dict, creating: bool) -> Answer | None:
        unknown = set(data) - EVENT_PROPERTIES
        if unknown:
            return graph_error(400, "RequestBodyRead", f"The property '{sorted(unknown)[0]}' does not exist on type "
                                                       "'microsoft.graph.event'.")
        for name in ("start", "end"):
            if name in data:
                value = data[name]
                if not isinstance(value, dict) or not value.get("dateTime") or not value.get("timeZone"):
                    return graph_error(400, "ErrorInvalidRequest", f"'{name}' needs dateTime and timeZone.")
                try:
                    _zone(value["timeZone"])
                    _parse_local(value["dateTime"])
                except (KeyError, ValueError):
                    return graph_error(400, "TimeZoneNotSupportedException",
                                       f"A valid TimeZone value must be specified. The following TimeZone value is "
                                       f"not supported: '{value['timeZone']}'.")
        if creating and ("start" not in data or "end" not in data):
            return graph_error(400, "ErrorInvalidRequest", "Your request can't be completed. An event needs a start "
                                                           "and an end.")
        for attendee in data.get("attendees") or []:
            if not (attendee.get("emailAddress") or {}).get("address"):
                return graph_error(400, "ErrorInvalidRecipients", "At least one recipient isn't valid.")
            if attendee.get("type", "required") not in ("required", "optional", "resource"):
                return graph_error(400, "ErrorInvalidRequest", "Attendee type is not valid.")
        for prop in data.get("singleValueExtendedProperties") or []:
            if not re.fullmatch(r"String \{[0-9a-fA-F-]{36}\} Name \w+", str(prop.get("id", ""))):
                return graph_error(400, "ErrorInvalidProperty", "The extended property id is not valid.")
        recurrence = data.get("recurrence")
        if recurrence is not None:
            problem = _check_recurrence(recurrence)
            if problem:
                return graph_error(400, "ErrorInvalidRequest", f"Your request can't be completed. {problem}")
        return None

    def _check_times(self, data: dict) -> Answer | None:
        start, end = _parse_local(data["start"]["dateTime"]), _parse_local(data["end"]["dateTime"])
        if data.get("isAllDay"):
            if start.time() != dt.time() or end.time() != dt.time() or end <= start:
                return graph_error(400, "ErrorInvalidRequest", "Your request can't be completed. If IsAllDay is "
                                   "true, the start and end times must be at midnight and the end after the start.")
            return None
        a = start.replace(tzinfo=_zone(data["start"]["timeZone"]))
        b = end.replace(tzinfo=_zone(data["end"]["timeZone"]))
        if b < a:
            return graph_error(400, "ErrorInvalidRequest", "The end time of the event must be after its start.")
        return None

    def _insert(self, calendar: str, data: dict) -> StoredEvent:
        self.version += 1
        event_id = "AAMkAGI2THVSAAA" + _b64(secrets.token_bytes(60)) + "="
        now = _now_text()
        event = StoredEvent(event_id, calendar, data, self.version, now, now)
        self.events[event_id] = event
        return event

    def _create(self, request: Request, calendar: str, tz: str) -> Answer:
        try:
            data = request.json()
        except ValueError:
            return graph_error(400, "UnableToDeserializePostBody", "were unable to deserialize ")
        problem = self._validate(data, creating=True) or self._check_times(data)
        if problem:
            return problem
        transaction = data.get("transactionId")
        if transaction:
            for event in self.events.values():
                if event.data.get("transactionId") == transaction:
                    return Answer.json(self._present(event, {}, tz), 201)
        event = self._insert(calendar, data)
        return Answer.json(self._present(event, {}, tz), 201)

    def _patch(self, request: Request, event: StoredEvent, tz: str) -> Answer:
        data = request.json()
        problem = self._validate(data, creating=False)
        if problem:
            return problem
        if "transactionId" in data and data["transactionId"] != event.data.get("transactionId"):
            return graph_error(400, "ErrorInvalidRequest", "The transactionId of an event cannot be changed.")
        merged = {**event.data, **data}
        problem = self._check_times(merged)
        if problem:
            return problem
        self.version += 1
        event.data, event.version, event.modified = merged, self.version, _now_text()
        return Answer.json(self._present(event, {}, tz))

    def _delete(self, event: StoredEvent) -> None:
        self.version += 1
        del self.events[event.id]
        event.version = self.version
        self.tombstones[event.id] = event

    def _list_events(self, request: Request, calendar: str, tz: str) -> Answer:
        q = request.query
        events = [e for e in self.events.values() if e.calendar == calendar]
        flt = q.get("$filter")
        if flt:
            match = re.fullmatch(r"singleValueExtendedProperties/Any\(ep: ep/id eq '(.+?)' and "
                                 r"ep/value eq '((?:[^']|'')*)'\)", flt)
            if not match:
                return graph_error(400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more "
                                                                      "invalid nodes (this fake knows one filter).")
            prop, value = match.group(1).casefold(), match.group(2).replace("''", "'")
            events = [e for e in events if any(p["id"].casefold() == prop and p.get("value") == value
                                               for p in e.data.get("singleValueExtendedProperties", []))]
        return self._paged(request, [self._present(e, q, tz) for e in events], default_top=10)

    # --- expansion -----------------------------------------------------------------------------

    def _occurrences(self, event: StoredEvent, start: dt.datetime, end: dt.datetime) -> list[dict]:
        """Instances overlapping [start, end): one for a single event; a series expanded in its zone."""
        data = event.data
        zone = _zone(data["start"]["timeZone"])
        first = _parse_local(data["start"]["dateTime"])
        last = _parse_local(data["end"]["dateTime"])
        duration = last.replace(tzinfo=zone) - first.replace(tzinfo=zone)
        all_day = bool(data.get("isAllDay"))
        recurrence = data.get("recurrence")

        def overlaps(s: dt.datetime, e: dt.datetime) -> bool:
            s_abs, e_abs = s.replace(tzinfo=zone), e.replace(tzinfo=zone)
            if s_abs == e_abs:
                return start <= s_abs < end
            return s_abs < end and e_abs > start

        if not recurrence:
            return [{"id": event.id, "original": first.replace(tzinfo=zone), "start": first, "end": last}] \
                if overlaps(first, last) else []
        found = []
        days = last.date() - first.date()
        for occurrence in _expand(recurrence, first, zone):
            local = occurrence.replace(tzinfo=None)
            if all_day:
                stop = local + days
            else:
                stop = (occurrence.astimezone(UTC) + duration).astimezone(zone).replace(tzinfo=None)
            if occurrence.replace(tzinfo=None).replace(tzinfo=zone) >= end:
                break
            if overlaps(local, stop):
                found.append({"id": "AAMkAGI2OCCAAA" + _b64(f"{event.id}|{local.isoformat()}".encode()),
                              "original": occurrence, "start": local, "end": stop})
        return found

    def _window(self, request: Request) -> tuple[dt.datetime, dt.datetime] | Answer:
        start, end = _query_time(request.query.get("startDateTime")), _query_time(request.query.get("endDateTime"))
        if start is None or end is None:
            return graph_error(400, "ErrorInvalidParameter", "This request requires a time window specified by "
                                                             "the query string parameters StartDateTime and "
                                                             "EndDateTime.")
        return start, end

    def _view_items(self, calendar: str, start: dt.datetime, end: dt.datetime, q: dict, tz: str,
                    full: bool = True) -> list[dict]:
        items = []
        for event in self.events.values():
            if event.calendar != calendar:
                continue
            for instance in self._occurrences(event, start, end):
                single = instance["id"] == event.id
                items.append((instance["start"].replace(tzinfo=_zone(event.data["start"]["timeZone"])),
                              self._present(event, q, tz, None if single else instance, full=full)))
        items.sort(key=lambda pair: pair[0])
        return [shown for _, shown in items]

    def _calendar_view(self, request: Request, calendar: str, tz: str) -> Answer:
        window = self._window(request)
        if isinstance(window, Answer):
            return window
        return self._paged(request, self._view_items(calendar, *window, request.query, tz), default_top=10)

    def _instances(self, request: Request, event: StoredEvent, tz: str) -> Answer:
        window = self._window(request)
        if isinstance(window, Answer):
            return window
        if not event.data.get("recurrence"):
            return graph_error(400, "ErrorInvalidRequest", "The event is not a recurring series master.")
        items = [self._present(event, request.query, tz, instance)
                 for instance in self._occurrences(event, *window)]
        return self._paged(request, items, default_top=10)

    # --- delta ---------------------------------------------------------------------------------

    def _delta(self, request: Request, calendar: str, tz: str) -> Answer:
        q = request.query
        page_size = int((re.search(r"odata\.maxpagesize=(\d+)", request.header("prefer")) or [0, 10])[1])
        base = f"https://127.0.0.1:{self.port}{request.path}"
        if "$skiptoken" in q:
            state = self.skip_tokens.pop(q["$skiptoken"], None)
            if state is None:
                return graph_error(410, "syncStateNotFound", "The sync state is not found or expired.")
            return self._delta_page(state, page_size, base)
        if "$deltatoken" in q:
            state = self.delta_tokens.get(q["$deltatoken"])
            if state is None or state["version"] < self.delta_floor:
                return graph_error(410, "syncStateNotFound", "The sync state is not found or expired. Please "
                                                             "resync.")
            start, end, since = state["start"], state["end"], state["version"]
            items: list[dict] = []
            for event in list(self.events.values()):
                if event.calendar != calendar or event.version <= since:
                    continue
                shown = [self._present(event, {}, tz, None if i["id"] == event.id else i, full=False)
                         for i in self._occurrences(event, start, end)]
                items.extend(shown or [{"@odata.type": "#microsoft.graph.event", "id": event.id,
                                        "@removed": {"reason": "deleted"}}])
            for event in self.tombstones.values():
                if event.calendar != calendar or event.version <= since:
                    continue
                ids = {event.id} | {i["id"] for i in self._occurrences(event, start, end)}
                items.extend({"@odata.type": "#microsoft.graph.event", "id": i, "@removed": {"reason": "deleted"}}
                             for i in sorted(ids))
            return self._delta_page({"items": items, "start": start, "end": end, "calendar": calendar},
                                    page_size, base)
        window = self._window(request)
        if isinstance(window, Answer):
            return window
        items = self._view_items(calendar, *window, {}, tz, full=False)
        return self._delta_page({"items": items, "start": window[0], "end": window[1], "calendar": calendar},
                                page_size, base)

    def _delta_page(self, state: dict, page_size: int, base: str) -> Answer:
        page, rest = state["items"][:page_size], state["items"][page_size:]
        body: dict[str, Any] = {"@odata.context": f"{self.graph_url}/$metadata#Collection(event)", "value": page}
        if rest:
            token = _b64(secrets.token_bytes(24))
            self.skip_tokens[token] = {**state, "items": rest}
            body["@odata.nextLink"] = f"{base}?{urlencode({'$skiptoken': token})}"
        else:
            token = _b64(secrets.token_bytes(24))
            self.delta_tokens[token] = {"version": self.version, "start": state["start"], "end": state["end"]}
            body["@odata.deltaLink"] = f"{base}?{urlencode({'$deltatoken': token})}"
        return Answer.json(body)

    # --- free/busy -----------------------------------------------------------------------------

    def _get_schedule(self, request: Request, tz: str) -> Answer:
        body = request.json() or {}
        schedules = body.get("schedules") or []
        try:
            start = _parse_local(body["startTime"]["dateTime"]).replace(tzinfo=_zone(body["startTime"]["timeZone"]))
            end = _parse_local(body["endTime"]["dateTime"]).replace(tzinfo=_zone(body["endTime"]["timeZone"]))
        except (KeyError, TypeError, ValueError):
            return graph_error(400, "ErrorInvalidRequest", "startTime and endTime are required.")
        if not schedules or len(schedules) > 20:
            return graph_error(400, "ErrorInvalidRequest", "Between 1 and 20 schedules may be requested.")
        if end - start > dt.timedelta(days=62):
            return graph_error(400, "ErrorInvalidRequest", "The requested time duration exceeds 62 days.")
        zone = _zone(tz)
        answers = []
        for who in schedules:
            spans = self._busy_of(who, start, end)
            if spans is None:
                answers.append({"scheduleId": who, "availabilityView": "", "scheduleItems": [],
                                "error": {"message": f"The requested user '{who}' is invalid.",
                                          "responseCode": "ErrorInvalidUser"}})
                continue
            items = [{"isPrivate": False, "status": status, "subject": "", "location": "",
                      "start": {"dateTime": s.astimezone(zone).replace(tzinfo=None).isoformat() + ".0000000",
                                "timeZone": tz},
                      "end": {"dateTime": e.astimezone(zone).replace(tzinfo=None).isoformat() + ".0000000",
                              "timeZone": tz}}
                     for s, e, status in spans if s < end and e > start]
            answers.append({"scheduleId": who, "availabilityView": "", "scheduleItems": items,
                            "workingHours": {"daysOfWeek": DAY_NAMES[:5], "startTime": "08:00:00.0000000",
                                             "endTime": "17:00:00.0000000",
                                             "timeZone": {"name": "Pacific Standard Time"}}})
        return Answer.json({"@odata.context": f"{self.graph_url}/$metadata#Collection(microsoft.graph."
                                              "scheduleInformation)", "value": answers})

    def _busy_of(self, who: str, start: dt.datetime, end: dt.datetime) -> list | None:
        if who.lower() == self.user.lower():
            spans = []
            for event in self.events.values():
                zone = _zone(event.data["start"]["timeZone"])
                for i in self._occurrences(event, start, end):
                    status = event.data.get("showAs", "busy")
                    if status != "free":
                        spans.append((i["start"].replace(tzinfo=zone), i["end"].replace(tzinfo=zone), status))
            return spans
        known = {k.lower(): v for k, v in self.schedules.items()}
        return known.get(who.lower())


def _check_recurrence(recurrence: Any) -> str | None:
    pattern, span = (recurrence or {}).get("pattern") or {}, (recurrence or {}).get("range") or {}
    kind = pattern.get("type")
    if kind not in PATTERNS:
        return f"The recurrence pattern type '{kind}' is not valid."
    if not isinstance(pattern.get("interval"), int) or pattern["interval"] < 1:
        return "The recurrence interval must be a positive number."
    for name in PATTERNS[kind]:
        if not pattern.get(name):
            return f"The recurrence pattern {kind} needs {name}."
    for day in pattern.get("daysOfWeek") or []:
        if day not in DAY_NAMES:
            return f"'{day}' is not a day of the week."
    if kind.startswith("relative") and pattern.get("index", "first") not in INDEXES:
        return "The recurrence index is not valid."
    if span.get("type") not in ("endDate", "noEnd", "numbered") or not span.get("startDate"):
        return "The recurrence range needs a type and a startDate."
    if span["type"] == "endDate" and not span.get("endDate"):
        return "The recurrence range needs an endDate."
    if span["type"] == "numbered" and not (isinstance(span.get("numberOfOccurrences"), int)
                                          and span["numberOfOccurrences"] > 0):
        return "The recurrence range needs numberOfOccurrences."
    return None


def _expand(recurrence: dict, first: dt.datetime, zone: ZoneInfo):
    """Occurrence starts (aware, in `zone`) of a patternedRecurrence whose event starts at `first` (local)."""
    pattern, span = recurrence["pattern"], recurrence["range"]
    kind = pattern["type"]
    parts = [f"INTERVAL={pattern.get('interval', 1)}"]
    days = ",".join(RRULE_DAYS[d] for d in pattern.get("daysOfWeek") or [])
    if kind == "daily":
        parts.insert(0, "FREQ=DAILY")
    elif kind == "weekly":
        parts += ["FREQ=WEEKLY", f"BYDAY={days}",
                  f"WKST={RRULE_DAYS[pattern.get('firstDayOfWeek', 'sunday')]}"]
    elif kind == "absoluteMonthly":
        parts += ["FREQ=MONTHLY", f"BYMONTHDAY={pattern['dayOfMonth']}"]
    elif kind == "relativeMonthly":
        parts += ["FREQ=MONTHLY", f"BYDAY={days}", f"BYSETPOS={INDEXES[pattern.get('index', 'first')]}"]
    elif kind == "absoluteYearly":
        parts += ["FREQ=YEARLY", f"BYMONTH={pattern['month']}", f"BYMONTHDAY={pattern['dayOfMonth']}"]
    else:
        parts += ["FREQ=YEARLY", f"BYMONTH={pattern['month']}", f"BYDAY={days}",
                  f"BYSETPOS={INDEXES[pattern.get('index', 'first')]}"]
    start_day = dt.date.fromisoformat(span["startDate"])
    dtstart = dt.datetime.combine(start_day, first.time(), tzinfo=zone)
    rule = rrulestr(";".join(parts), dtstart=dtstart)
    if span["type"] == "numbered":
        rule = rule.replace(count=span["numberOfOccurrences"])
    elif span["type"] == "endDate":
        until = dt.datetime.combine(dt.date.fromisoformat(span["endDate"]), dt.time(23, 59, 59), tzinfo=zone)
        rule = rule.replace(until=until)
    return itertools.islice(iter(rule), 5000)


__all__ = ["Answer", "FakeMicrosoft", "Request", "TENANT_ID", "TestCA"]
