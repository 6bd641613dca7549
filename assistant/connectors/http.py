"""The one HTTP layer every HTTP connector uses (.ics feeds today; Google, Outlook and Notion plug in here).

    http = Http(timeout=section.timeout_seconds)              # tests: Http(transport=httpx.MockTransport(…))
    response = http.get(url, "reading events of calendar 'work'", headers=…)   # checked: 2xx/304 or an error
    data = json_body(response, "reading events of calendar 'work'")

What it settles once for every provider:

* timeouts: `timeout_seconds` for reading, connecting gives up sooner (at most 10 s);
* one user agent, `assistant/<version>`; redirects are followed;
* trust: `SSL_CERT_FILE` or `REQUESTS_CA_BUNDLE` (and `SSL_CERT_DIR`) when set — a company proxy's CA —
  else httpx's default; no bundle is pinned here;
* one status → error mapping (`check`, through `errors.status_error`), with `Retry-After` read;
* network failures (`httpx.TransportError`, timeouts included) → `errors.Unavailable`.

Messages name the host and the action, never the body, the path or query (a private feed's link is a
secret), a token or an event title.
"""
from __future__ import annotations

import os
import ssl
from typing import Any
from urllib.parse import urlsplit

import httpx

from assistant import __version__, errors

USER_AGENT = f"assistant/{__version__}"
CONNECT_TIMEOUT = 10.0
DEFAULT_TIMEOUT = 20.0
OK_STATUSES = frozenset({304})
"""Statuses outside 2xx that `check` lets through (304 Not Modified answers a conditional GET)."""


def timeouts(seconds: float | None) -> httpx.Timeout:
    """Reading (and writing, and waiting for a pooled connection) may take `seconds`; connecting gives
    up sooner, so a dead host is noticed quickly."""
    seconds = float(seconds or DEFAULT_TIMEOUT)
    return httpx.Timeout(seconds, connect=min(CONNECT_TIMEOUT, seconds))


def trust() -> ssl.SSLContext | bool:
    """The certificates to trust: the bundle named by SSL_CERT_FILE / REQUESTS_CA_BUNDLE (or the folder
    SSL_CERT_DIR) when set, else httpx's default (True)."""
    cafile = os.environ.get("SSL_CERT_FILE") or os.environ.get("REQUESTS_CA_BUNDLE") or None
    capath = os.environ.get("SSL_CERT_DIR") or None
    if not cafile and not capath:
        return True
    try:
        return ssl.create_default_context(cafile=cafile, capath=capath)
    except (OSError, ssl.SSLError) as exc:
        name = "SSL_CERT_FILE/REQUESTS_CA_BUNDLE" if cafile else "SSL_CERT_DIR"
        raise errors.ConfigError(f"{name} names certificates that cannot be read ({cafile or capath}: "
                                 f"{getattr(exc, 'strerror', None) or exc.__class__.__name__})") from None


def host_of(url: str | httpx.URL) -> str:
    """The host of a URL, for messages (never the path or query: they may carry a secret)."""
    if isinstance(url, httpx.URL):
        return url.host or "the server"
    return urlsplit(str(url)).hostname or "the server"


_WORDING: dict[type[errors.ConnectorError], str] = {
    errors.AuthError: "{host} refused the sign-in while {what} (HTTP {status}): sign in again",
    errors.PermissionError_: "{host} does not allow {what} (HTTP {status}): check the account's access",
    errors.NotFound: "{host} has nothing at that address while {what} (HTTP {status}): it may have been "
                     "deleted or moved",
    errors.Conflict: "{host} reports a conflict while {what} (HTTP {status}): it changed meanwhile or "
                     "already exists",
    errors.RateLimited: "{host} asks us to slow down while {what} (HTTP {status}); will retry",
    errors.Unavailable: "{host} failed while {what} (HTTP {status}); will retry",
    errors.Rejected: "{host} refused the request while {what} (HTTP {status})",
}


def status_message(status: int, host: str, what: str) -> str:
    """The owner's sentence for a failed status: host, action and status only."""
    return _WORDING[errors.for_status(status)].format(host=host, what=what, status=status)


def check(response: httpx.Response, what: str) -> httpx.Response:
    """`response` when it is 2xx or 304; otherwise the tree's error for its status (with Retry-After)."""
    status = response.status_code
    if 200 <= status < 300 or status in OK_STATUSES:
        return response
    host = host_of(response.request.url) if _has_request(response) else "the server"
    retry_after = errors.retry_after_seconds(response.headers.get("Retry-After"))
    raise errors.status_error(status, status_message(status, host, what), retry_after)


def _has_request(response: httpx.Response) -> bool:
    try:
        response.request
    except RuntimeError:
        return False
    return True


def network_error(exc: httpx.HTTPError, host: str, what: str) -> errors.ConnectorError:
    """A failure without an HTTP answer, worded for the owner."""
    if isinstance(exc, httpx.UnsupportedProtocol):
        return errors.Rejected(f"cannot use the address of {host} while {what}: it is not an http(s) address")
    if isinstance(exc, httpx.TooManyRedirects):
        return errors.Rejected(f"{host} redirects in a loop while {what}: check the address")
    if isinstance(exc, httpx.DecodingError):
        return errors.BadData(f"{host} sent an answer that cannot be decoded while {what}")
    if isinstance(exc, httpx.ConnectError) and "CERTIFICATE_VERIFY_FAILED" in str(exc):
        return errors.Unavailable(f"cannot trust the certificate of {host} while {what}: if a proxy or a "
                                  "private CA signs it, set SSL_CERT_FILE to its bundle", retryable=False)
    reason = "timed out" if isinstance(exc, httpx.TimeoutException) else exc.__class__.__name__
    return errors.Unavailable(f"cannot reach {host} while {what} ({reason}): the server is down or there "
                              "is no network; will retry")


def json_body(response: httpx.Response, what: str) -> Any:
    """The response's JSON; `BadData` when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        host = host_of(response.request.url) if _has_request(response) else "the server"
        raise errors.BadData(f"{host} sent an answer that is not JSON while {what}") from None


class Http:
    """One provider's HTTP client: timeouts, user agent, trust and redirects set once; every request
    goes through `check` unless `checked=False`. The `httpx.Client` is made on first use and reused
    (connection pooling); `close()` releases it. httpx clients are thread-safe."""

    def __init__(self, timeout: float | None = DEFAULT_TIMEOUT, transport: httpx.BaseTransport | None = None,
                 headers: dict[str, str] | None = None, auth: httpx.Auth | tuple[str, str] | None = None):
        self.timeout = timeouts(timeout)
        self.transport = transport
        self.headers = {"User-Agent": USER_AGENT, **(headers or {})}
        self.auth = auth
        self._client: httpx.Client | None = None

    @classmethod
    def for_section(cls, section: Any, transport: httpx.BaseTransport | None = None, **kwargs: Any) -> "Http":
        """A client with the `timeout_seconds` of a `[[calendars]]` section."""
        return cls(timeout=getattr(section, "timeout_seconds", None) or DEFAULT_TIMEOUT, transport=transport,
                   **kwargs)

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=self.timeout, headers=self.headers, auth=self.auth,
                                        follow_redirects=True, transport=self.transport,
                                        verify=True if self.transport is not None else trust())
        return self._client

    def request(self, method: str, url: str, what: str, *, checked: bool = True, **kwargs: Any) -> httpx.Response:
        """Send one request; network failures become `Unavailable` (or `Rejected` for a bad address),
        and — when `checked` — a failed status becomes its error (see `check`)."""
        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.InvalidURL:
            raise errors.Rejected(f"cannot use the address while {what}: it is not a valid web address") from None
        except httpx.HTTPError as exc:
            raise network_error(exc, host_of(url), what) from None
        return check(response, what) if checked else response

    def get(self, url: str, what: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, what, **kwargs)

    def post(self, url: str, what: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, what, **kwargs)

    def put(self, url: str, what: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", url, what, **kwargs)

    def patch(self, url: str, what: str, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", url, what, **kwargs)

    def delete(self, url: str, what: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", url, what, **kwargs)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> "Http":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["Http", "USER_AGENT", "check", "host_of", "json_body", "network_error", "status_message", "timeouts",
           "trust"]
