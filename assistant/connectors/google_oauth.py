"""Google sign-in for a `[[calendars]] type = "google"` entry: `assistant connect NAME` (`authorise`) and the
tokens the connector works with (`Tokens`).

`authorise` runs the authorisation-code flow of `google-auth-oauthlib` with the owner's own Desktop OAuth
client, PKCE (S256) and `state`, on the loopback redirect of `assistant.oauth.Loopback` (RFC 8252). The
redirected address is `http://127.0.0.1:PORT/`; oauthlib insists on https for the authorisation response,
so — exactly as google-auth-oauthlib's own `InstalledAppFlow.run_local_server` does — the address is
handed over with its scheme spelled https (nothing travels over it again: it only carries the one-time
code to `fetch_token`). The token endpoint itself must be https; only a token endpoint on this machine's
loopback (a test server) may be plain http. The tokens go to the vault under the entry's name.

`Tokens` hands out the access token: from memory while it is valid (treated as expired 60 s early), else
from the vault, else renewed with the refresh token at `token_uri` — under a lock, so ten threads finding
it expired make one refresh request; the renewed token is saved to the vault (the refresh token is kept
when the answer has none). A revoked or expired grant (`invalid_grant`) is an `AuthError` naming the exact
`assistant connect NAME` to run. Tokens never reach the log, an exception or the configuration.
"""
from __future__ import annotations

import ipaddress
import logging
import os
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Callable, Iterator
from urllib.parse import urlsplit

from assistant import errors
from assistant.connectors.http import Http, check, host_of, json_body

if TYPE_CHECKING:
    from assistant.connect import LoopbackOptions
    from assistant.vault import Vault

log = logging.getLogger(__name__)

SCOPES = ["https://www.googleapis.com/auth/calendar.events", "https://www.googleapis.com/auth/calendar.readonly"]
FULL_SCOPE = "https://www.googleapis.com/auth/calendar"
EARLY = timedelta(seconds=60)
"""An access token is treated as expired this long before Google says it is."""
REFRESH_ERRORS_FOR_THE_OWNER = {"invalid_grant"}
CLIENT_ERRORS = {"invalid_client", "unauthorized_client", "deleted_client", "disabled_client"}


def connect_hint(name: str) -> str:
    return f"run `assistant connect {name}`"


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def expiry_of(answer: dict[str, Any], now: datetime) -> str:
    seconds = answer.get("expires_in")
    try:
        seconds = float(seconds) if seconds is not None else 3600.0
    except (TypeError, ValueError):
        seconds = 3600.0
    return (now + timedelta(seconds=seconds)).isoformat(timespec="seconds")


def scopes_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.split()
    return [str(s) for s in value or []]


class Tokens:
    """The OAuth tokens of one calendar entry: vault-backed, refreshed under a lock."""

    def __init__(self, section: Any, vault: "Vault", http: Http, now: Callable[[], datetime] = _utc_now):
        self.name = section.name
        self.section = section
        self.vault = vault
        self.http = http
        self.now = now
        self.refreshes = 0
        """Refresh requests made (for tests and `status`)."""
        self._lock = threading.Lock()
        self._token: dict[str, Any] | None = None
        self._rejected: str | None = None
        """An access token Google answered 401 to: never used again, even before it expires."""

    # --- what the connector calls ----------------------------------------------------------------

    def access_token(self) -> str:
        """A valid access token: the one in memory, the vault's, or a renewed one."""
        with self._lock:
            token = self._token
            if not self._usable(token):
                token = self._load()
                if not self._usable(token):
                    token = self._refresh(token)
                self._token = token
            return token["access_token"]

    def reject(self, access_token: str) -> None:
        """Google refused this access token (401): the next call renews it (or takes a newer one from
        the vault, put there by `assistant connect` in another process)."""
        with self._lock:
            self._rejected = access_token

    def refresh(self) -> None:
        """Renew the access token now (the runtime's hourly job: a revoked grant is noticed early)."""
        with self._lock:
            self._token = self._refresh(self._load())

    def forget(self) -> None:
        with self._lock:
            self._token = None

    # --- inside ----------------------------------------------------------------------------------

    def _usable(self, token: dict[str, Any] | None) -> bool:
        if not token or not token.get("access_token") or token["access_token"] == self._rejected:
            return False
        try:
            expiry = datetime.fromisoformat(token["expiry"])
        except (KeyError, TypeError, ValueError):
            return False
        if expiry.tzinfo is None:
            expiry = expiry.replace(tzinfo=timezone.utc)
        return self.now() < expiry - EARLY

    def _load(self) -> dict[str, Any]:
        try:
            token = self.vault.get(self.name)
        except errors.VaultError as exc:
            raise errors.AuthError(str(exc)) from None
        if not isinstance(token, dict) or not (token.get("refresh_token") or token.get("access_token")):
            raise errors.AuthError(f"calendar {self.name!r} is not connected to Google yet: "
                                   f"{connect_hint(self.name)}")
        return token

    def _refresh(self, token: dict[str, Any]) -> dict[str, Any]:
        what = f"renewing the Google sign-in of calendar {self.name!r}"
        refresh_token = token.get("refresh_token")
        if not refresh_token:
            raise errors.AuthError(f"the Google sign-in of calendar {self.name!r} has expired and cannot be "
                                   f"renewed: {connect_hint(self.name)}")
        self.refreshes += 1
        response = self.http.post(self.section.token_uri, what, checked=False, data={
            "grant_type": "refresh_token", "refresh_token": refresh_token,
            "client_id": self.section.client_id, "client_secret": self.section.client_secret})
        if response.status_code == 200:
            answer = json_body(response, what)
            if not isinstance(answer, dict) or not answer.get("access_token"):
                raise errors.BadData(f"{host_of(self.section.token_uri)} sent no access token while {what}")
            fresh = {**token, "access_token": answer["access_token"], "expiry": expiry_of(answer, self.now())}
            if answer.get("refresh_token"):
                fresh["refresh_token"] = answer["refresh_token"]
            if answer.get("scope"):
                fresh["scopes"] = scopes_of(answer["scope"])
            self._rejected = None
            try:
                self.vault.put(self.name, fresh)
            except errors.StoreError as exc:
                log.warning("renewed token not saved; it is used from memory",
                            extra={"integration": self.name, "error": type(exc).__name__})
            log.info("google token renewed", extra={"integration": self.name})
            return fresh
        raise self._refused(response, what)

    def _refused(self, response: Any, what: str) -> errors.ConnectorError:
        status = response.status_code
        try:
            code = str(response.json().get("error") or "")
        except (ValueError, AttributeError):
            code = ""
        if code in REFRESH_ERRORS_FOR_THE_OWNER:
            return errors.AuthError(f"Google no longer accepts the sign-in of calendar {self.name!r} (it was "
                                    f"revoked or has expired): {connect_hint(self.name)}")
        if code in CLIENT_ERRORS:
            return errors.AuthError(f"Google refused the OAuth client of calendar {self.name!r} ({code}): check "
                                    f"client_id and client_secret in the configuration, then "
                                    f"{connect_hint(self.name)}")
        if 400 <= status < 500 and status not in (408, 425, 429):
            return errors.AuthError(f"Google refused to renew the sign-in of calendar {self.name!r} "
                                    f"(HTTP {status}{', ' + code if code else ''}): {connect_hint(self.name)}")
        try:
            check(response, what)
        except errors.ConnectorError as exc:
            return exc
        return errors.Unavailable(f"{host_of(self.section.token_uri)} answered HTTP {status} while {what}")


# --- `assistant connect NAME` --------------------------------------------------------------------

def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextmanager
def _token_transport(token_uri: str, name: str) -> Iterator[None]:
    """oauthlib talks to the token endpoint over https only. A plain-http endpoint is allowed when it is
    on this machine's loopback (a test server; nothing leaves the host) and refused otherwise."""
    if not token_uri.lower().startswith("http://"):
        yield
        return
    if not _is_loopback(token_uri):
        raise errors.ConfigError(f"calendar {name!r}: token_uri must be an https:// address")
    key = "OAUTHLIB_INSECURE_TRANSPORT"
    before = os.environ.get(key)
    os.environ[key] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = before


def _bundle() -> str | None:
    """The CA bundle the environment names (requests reads only REQUESTS_CA_BUNDLE by itself)."""
    return (os.environ.get("SSL_CERT_FILE") or os.environ.get("REQUESTS_CA_BUNDLE")
            or os.environ.get("SSL_CERT_DIR") or None)


def _https(url: str) -> str:
    """The redirected address as oauthlib accepts it (what InstalledAppFlow.run_local_server does)."""
    scheme, sep, rest = url.partition("://")
    return f"https://{rest}" if sep and scheme.lower() == "http" else url


def _has_scopes(granted: list[str]) -> bool:
    have = set(granted)
    return FULL_SCOPE in have or set(SCOPES) <= have


def _exchange(flow: Any, answer_url: str, name: str, timeout: float) -> dict[str, Any]:
    """The code for tokens (oauthlib checks state and sends the PKCE verifier); errors as one line."""
    import requests  # noqa: PLC0415 (google-auth-oauthlib's transport)
    from oauthlib.oauth2.rfc6749.errors import OAuth2Error  # noqa: PLC0415

    host = host_of(flow.client_config["token_uri"])
    try:
        return dict(flow.fetch_token(authorization_response=_https(answer_url), timeout=timeout))
    except Warning as changed:               # oauthlib: the owner granted other scopes than asked
        token = dict(getattr(changed, "token", None) or {})
        if token.get("access_token") and _has_scopes(scopes_of(token.get("scope"))):
            return token
        raise errors.UserError(f"Google was not allowed to see and edit the calendar's events: "
                               f"{connect_hint(name)} again and tick both calendar permissions") from None
    except OAuth2Error as exc:
        raise errors.UserError(f"{host} refused the sign-in ({exc.error}): {connect_hint(name)} again") from None
    except requests.exceptions.SSLError:
        raise errors.UserError(f"cannot trust the certificate of {host}: if a proxy or a private CA signs it, "
                               "set SSL_CERT_FILE to its bundle") from None
    except requests.RequestException as exc:
        raise errors.UserError(f"cannot reach {host} to finish the sign-in ({type(exc).__name__}): check the "
                               f"network, then {connect_hint(name)} again") from None


def authorise(section: Any, config: Any, vault: "Vault", options: "LoopbackOptions") -> str:
    """Sign the owner in and keep the tokens in the vault; the line naming the account and the calendar
    new events go to. Raises ConfigError (a missing client) or UserError (anything the owner can retry)."""
    from google_auth_oauthlib.flow import Flow  # noqa: PLC0415 (only `connect` needs it)

    from assistant.connectors.google import GoogleConnector  # noqa: PLC0415 (the connector imports us)
    from assistant.oauth import Loopback  # noqa: PLC0415

    name = section.name
    where = getattr(config, "path", None) or "the configuration"
    if not section.client_id or not section.client_secret:
        raise errors.ConfigError(f"{where}: calendar {name!r} needs 'client_id' and 'client_secret' of your own "
                                 "Google OAuth client (a Desktop app); the README's \"Google Calendar\" section "
                                 "shows how to make one")
    client_config = {"installed": {"client_id": section.client_id, "client_secret": section.client_secret,
                                   "auth_uri": section.auth_uri, "token_uri": section.token_uri,
                                   "redirect_uris": ["http://127.0.0.1"]}}
    with _token_transport(section.token_uri, name), Loopback() as loopback:
        flow = Flow.from_client_config(client_config, scopes=SCOPES, redirect_uri=loopback.redirect_uri)
        if _bundle():
            flow.oauth2session.verify = _bundle()
        url, state = flow.authorization_url(access_type="offline", prompt="consent")
        answer = options.wait(loopback, url, state)
        token = _exchange(flow, answer.url, name, section.timeout_seconds)
    granted = scopes_of(token.get("scope")) or list(SCOPES)
    if not _has_scopes(granted):
        raise errors.UserError(f"Google was not allowed to see and edit the calendar's events: "
                               f"{connect_hint(name)} again and tick both calendar permissions")
    now = _utc_now()
    stored = {"access_token": token["access_token"], "refresh_token": token.get("refresh_token"),
              "expiry": expiry_of(token, now), "scopes": granted, "token_uri": section.token_uri,
              "client_id": section.client_id, "connected_at": now.isoformat(timespec="seconds")}
    if not stored["refresh_token"]:
        try:
            previous = vault.get(name) or {}
        except errors.VaultError:
            previous = {}
        stored["refresh_token"] = previous.get("refresh_token") if isinstance(previous, dict) else None
        if not stored["refresh_token"]:
            raise errors.UserError("Google gave no refresh token: remove the assistant's access at "
                                   f"https://myaccount.google.com/permissions, then {connect_hint(name)} again")
    try:
        vault.put(name, stored)
    except errors.StoreError as exc:
        raise errors.UserError(str(exc)) from None
    connector = GoogleConnector(section, config.zone, vault)
    try:
        account, calendar = connector.account()
    except errors.ConnectorError as exc:
        raise errors.UserError(f"signed in, but {exc} (the sign-in is kept: fix the configuration and run "
                               "`assistant doctor`)") from None
    finally:
        connector.close()
    return f"Connected {name!r} to Google as {account}; new events go to the calendar {calendar!r}."


__all__ = ["EARLY", "SCOPES", "Tokens", "authorise", "connect_hint"]
