"""Signing in to Microsoft for an Outlook calendar (msal), and keeping its tokens in the vault.

Signing in (`authorise`, run by `assistant connect NAME`): msal as a public client, authority
`authority_host/tenant` (msal accepts only https; a host msal does not know as Microsoft's is used with
`instance_discovery=False`). The authorisation-code flow runs through `assistant.oauth.Loopback` on
`http://localhost:PORT` (what an app registration's redirect URI `http://localhost` matches, any port);
PKCE, state and nonce are msal's. Without a browser (`--no-browser`) the address is printed, a pasted
redirect address is accepted, and the device-code flow is offered alongside (a URL and a code to enter on
any device; it needs "Allow public client flows" in the registration). Scopes: `Calendars.ReadWrite
User.Read`, plus the `offline_access openid profile` msal always adds (it refuses them as input).

Tokens: msal's `SerializableTokenCache` lives in the vault under the calendar's name (encrypted), written
after every change — every refresh stores the rotated refresh token. Another process (`assistant
connect` while `assistant run` is up) replacing it is noticed on the next call. Each Graph call first
asks `acquire_token_silent` under a lock (ten concurrent calls with an expired token make one refresh;
msal treats a token as expired five minutes early). A revoked or expired grant (`invalid_grant`…) is an
`AuthError` naming the exact `assistant connect NAME`; the outbox keeps such writes waiting.
"""
from __future__ import annotations

import logging
import queue
import re
import sys
import threading
import warnings
from contextlib import contextmanager
from typing import Any, Iterator, TextIO
from urllib.parse import urlsplit

from assistant import errors
from assistant.connectors.base import ConnectorError
from assistant.errors import AuthError, UserError

log = logging.getLogger(__name__)

SCOPES = ["Calendars.ReadWrite", "User.Read"]
"""What we ask for; msal adds offline_access (a refresh token), openid and profile itself."""
AUTH_ERRORS = frozenset({"invalid_grant", "interaction_required", "consent_required", "login_required",
                         "invalid_client", "unauthorized_client", "invalid_scope", "access_denied"})
RECORD = "outlook"
WAIT_SECONDS = 600.0


def auth_error(name: str, why: str) -> AuthError:
    return AuthError(f"{why}: run `assistant connect {name}`")


def _ca_bundle() -> str | bool:
    """What requests (under msal) should trust: the bundle the environment names, as the Http layer does."""
    import os  # noqa: PLC0415

    return (os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE")
            or os.environ.get("SSL_CERT_DIR") or True)


def authority_of(section: Any) -> tuple[str, bool]:
    """(authority URL, whether msal knows the host as Microsoft's). Raises ConnectorError for http://."""
    from msal.authority import WELL_KNOWN_AUTHORITY_HOSTS  # noqa: PLC0415

    host = section.authority_host.rstrip("/")
    parts = urlsplit(host)
    if parts.scheme != "https" or not parts.hostname:
        raise ConnectorError(f"calendar {section.name!r}: authority_host must be an https:// address (the "
                             f"Microsoft sign-in library accepts no other), not {host!r}", retryable=False)
    tenant = (section.tenant or "common").strip("/")
    return f"{host}/{tenant}", (parts.hostname or "").lower() in WELL_KNOWN_AUTHORITY_HOSTS


class SignIn:
    """The msal side of one `[[calendars]]` entry: a public client app whose token cache lives in the
    vault under the calendar's name. Thread-safe: one lock around every token operation."""

    def __init__(self, section: Any, vault: Any, *, load: bool = True):
        import msal  # noqa: PLC0415 (only an Outlook calendar needs it)

        self.section = section
        self.name = section.name
        self.vault = vault
        self.authority, self.known_host = authority_of(section)
        self.host = urlsplit(self.authority).hostname or "the sign-in server"
        self._msal = msal
        self._lock = threading.RLock()
        self._app: Any = None
        self._cache = msal.SerializableTokenCache()
        self._record: dict | None = None
        self._load_from_vault = load
        self.username: str | None = None

    # --- errors --------------------------------------------------------------------------------

    @contextmanager
    def guard(self, what: str) -> Iterator[None]:
        import requests  # noqa: PLC0415

        try:
            yield
        except ConnectorError:
            raise
        except requests.exceptions.SSLError:
            raise errors.Unavailable(f"cannot trust the certificate of {self.host} while {what}: if a proxy or "
                                     "a private CA signs it, set SSL_CERT_FILE to its bundle", retryable=False) \
                from None
        except requests.exceptions.RequestException as exc:
            raise errors.Unavailable(f"cannot reach {self.host} while {what} ({exc.__class__.__name__}): the "
                                     "server is down or there is no network; will retry") from None
        except self._msal.exceptions.MsalServiceError:
            raise errors.Unavailable(f"{self.host} failed while {what}; will retry") from None
        except ValueError:
            raise ConnectorError(f"{self.host} does not accept the authority of calendar {self.name!r} while "
                                 f"{what}: check its tenant ({self.section.tenant!r}) and authority_host",
                                 retryable=False) from None

    def refused(self, result: dict, what: str = "signing in") -> ConnectorError:
        """The error for an msal answer carrying "error"; never the description's tokens, only codes."""
        error = str(result.get("error") or "error")
        codes = result.get("error_codes") or re.findall(r"AADSTS\d+", str(result.get("error_description", "")))
        code = f"AADSTS{codes[0]}" if codes and str(codes[0]).isdigit() else (str(codes[0]) if codes else error)
        if error in AUTH_ERRORS:
            return auth_error(self.name, f"Microsoft no longer accepts the sign-in of calendar {self.name!r} "
                                          f"({error}, {code}: revoked, expired or the password changed)")
        return errors.Unavailable(f"{self.host} failed while {what} for calendar {self.name!r} ({error}, "
                                  f"{code}); will retry")

    # --- the app and its cache -----------------------------------------------------------------

    def app(self) -> Any:
        with self._lock:
            if self._app is None:
                if not self.section.client_id:
                    raise ConnectorError(f"calendar {self.name!r} has no client_id: register an app in Microsoft "
                                         "Entra ID (see the README) and put its Application (client) ID in "
                                         "config.toml", retryable=False)
                with self.guard("finding the sign-in service"):
                    self._app = self._msal.PublicClientApplication(
                        self.section.client_id, authority=self.authority, token_cache=self._cache,
                        instance_discovery=None if self.known_host else False, verify=_ca_bundle(),
                        timeout=getattr(self.section, "timeout_seconds", None) or 20.0)
            return self._app

    def _load(self) -> dict | None:
        """The vault's record, taken into the cache when it changed (another process connected anew)."""
        if not self._load_from_vault:
            return self._record
        try:
            record = self.vault.get(self.name)
        except errors.VaultError as exc:
            raise AuthError(str(exc)) from None
        if not isinstance(record, dict) or record.get("provider") != RECORD or not record.get("cache"):
            self._record = None
            return None
        if record != self._record:
            self._cache.deserialize(record["cache"])
            self._record = record
            self.username = record.get("username")
        return record

    def save(self, account: dict | None = None) -> None:
        """Put the cache into the vault when it changed (always when `account` names a new sign-in)."""
        with self._lock:
            if account is None and not self._cache.has_state_changed:
                return
            record = dict(self._record or {"provider": RECORD})
            if account is not None:
                record.update(account=account.get("home_account_id"), username=account.get("username"))
                self.username = account.get("username")
            record["cache"] = self._cache.serialize()
            try:
                self.vault.put(self.name, record)
            except errors.StoreError as exc:
                self._cache.has_state_changed = True        # try again with the next token
                log.warning("the new Microsoft token could not be stored yet", extra={"calendar": self.name,
                                                                                      "error": type(exc).__name__})
                return
            self._record = record
            self._load_from_vault = True

    def _account(self, app: Any, record: dict | None) -> dict | None:
        accounts = app.get_accounts()
        wanted = (record or {}).get("account")
        for account in accounts:
            if account.get("home_account_id") == wanted:
                return account
        return accounts[0] if accounts else None

    def token(self, stale: str | None = None, force: bool = False) -> str:
        """An access token for Graph, refreshed (and the cache stored) when needed. `stale`: a token Graph
        just refused — a different one from the cache is used, else a refresh is forced."""
        with self._lock:
            record = self._load()
            if record is None and self._load_from_vault:
                raise auth_error(self.name, f"calendar {self.name!r} is not connected to Microsoft yet")
            app = self.app()
            with self.guard("refreshing the sign-in"):
                account = self._account(app, record)
                if account is None:
                    raise auth_error(self.name, f"calendar {self.name!r} has no Microsoft sign-in stored")
                result = app.acquire_token_silent_with_error(SCOPES, account, force_refresh=force)
                if result and stale and result.get("access_token") == stale:
                    result = app.acquire_token_silent_with_error(SCOPES, account, force_refresh=True)
            self.save()
            if not result:
                raise auth_error(self.name, f"the Microsoft sign-in of calendar {self.name!r} has no refresh "
                                             "token any more")
            if "error" in result:
                raise self.refused(result, "refreshing the sign-in")
            self.username = self.username or account.get("username")
            return result["access_token"]


def authorise(section: Any, config: Any, vault: Any, options: Any = None) -> str:
    """`assistant connect NAME` for an Outlook calendar: sign in with Microsoft, keep the token cache in
    the vault, check Graph; returns one line naming the account and the calendar written to.

    `options` is `assistant.connect.LoopbackOptions` (open_browser, paste, out, timeout; None: defaults).
    The authorisation-code flow listens on the loopback and prints the address (opening a browser when
    `open_browser`); a redirected address pasted on `paste` is accepted too. Without a browser the
    device-code flow is offered alongside (an optional `device_code` attribute overrides that); whichever
    finishes first wins."""
    from assistant.connectors.outlook import OutlookConnector  # noqa: PLC0415 (the connector imports us)

    open_browser = bool(getattr(options, "open_browser", True))
    paste = getattr(options, "paste", None)
    out = getattr(options, "out", None) or sys.stdout
    timeout = float(getattr(options, "timeout", None) or WAIT_SECONDS)
    device_code = getattr(options, "device_code", None)
    try:
        signin = SignIn(section, vault, load=False)
        app = signin.app()
    except ConnectorError as exc:
        raise UserError(str(exc)) from None
    try:
        result = _sign_in(signin, open_browser, paste, out, (not open_browser) if device_code is None
                          else device_code, timeout)
    except ConnectorError as exc:
        raise UserError(str(exc)) from None
    if "error" in result:
        description = str(result.get("error_description") or result["error"]).splitlines()[0]
        raise UserError(f"Microsoft refused the sign-in for calendar {section.name!r}: {description[:300]}")
    claims = result.get("id_token_claims") or {}
    username = claims.get("preferred_username")
    accounts = app.get_accounts()
    account = next((a for a in accounts if username and a.get("username") == username), None) \
        or (accounts[0] if accounts else None)
    if account is None:
        raise UserError(f"Microsoft answered without an account for calendar {section.name!r}; try again")
    signin.save(account)
    connector = OutlookConnector(section, config.zone, signin)
    try:
        summary = connector.test_connection()
    except ConnectorError as exc:
        raise UserError(f"signed in, but Microsoft Graph failed for calendar {section.name!r}: {exc}") from None
    finally:
        connector.close()
    return f"calendar {section.name!r} connected: {summary}"


def _sign_in(signin: SignIn, open_browser: bool, paste: TextIO | None, out: TextIO, offer_device: bool,
             timeout: float) -> dict:
    """Run the loopback flow (and the device-code flow when offered); the winning msal result."""
    from assistant.oauth import HOST, Loopback  # noqa: PLC0415

    app = signin.app()
    results: queue.Queue[tuple[str, Any]] = queue.Queue()
    printed = threading.Event()
    with Loopback() as loopback:
        redirect = loopback.redirect_uri.replace(f"//{HOST}:", "//localhost:").rstrip("/")
        with warnings.catch_warnings():     # msal suggests form_post; a pasted address needs the query mode
            warnings.simplefilter("ignore", UserWarning)
            flow = app.initiate_auth_code_flow(SCOPES, redirect_uri=redirect, prompt="select_account")

        def by_redirect() -> None:
            try:
                results.put(("redirect", loopback.wait(flow["auth_uri"], state=flow["state"],
                                                       open_browser=open_browser, paste=paste,
                                                       out=_Watch(out, printed), timeout=timeout)))
            except UserError as exc:
                results.put(("failed", exc))

        waiter = threading.Thread(target=by_redirect, name="outlook-redirect", daemon=True)
        waiter.start()
        device = _offer_device(app, out, printed, results) if offer_device else None
        try:
            while True:
                try:
                    kind, value = results.get(timeout=timeout + 10)
                except queue.Empty:
                    raise UserError("no sign-in arrived in time; run the command again") from None
                if kind == "redirect":
                    if value.params.get("state") != flow.get("state"):
                        raise UserError("the sign-in answer does not belong to this attempt; run the command "
                                        "again")
                    with signin.guard("signing in"):
                        return app.acquire_token_by_auth_code_flow(flow, value.params)
                if kind == "failed":
                    raise value
                if "access_token" in value:
                    return value
                if value.get("error") in ("authorization_declined", "access_denied"):
                    return value
                print(f"(Signing in with the code did not work: {value.get('error')}; use the address above.)",
                      file=out, flush=True)
        finally:
            if device is not None:
                device["expires_at"] = 0                   # stops msal's polling loop
            if waiter.is_alive():
                _knock(loopback.redirect_uri)


def _offer_device(app: Any, out: TextIO, printed: threading.Event,
                  results: queue.Queue) -> dict | None:
    """Start the device-code flow and print its URL and code (after the address); None when the server
    does not offer it."""
    printed.wait(5)
    try:
        flow = app.initiate_device_flow(SCOPES)
    except Exception as exc:  # noqa: BLE001 (any failure only means the alternative is not offered)
        log.debug("device-code flow not offered", extra={"error": type(exc).__name__})
        return None
    if "user_code" not in flow or "verification_uri" not in flow:
        log.debug("device-code flow not offered", extra={"error": flow.get("error")})
        return None
    print(f"Or, on any device: open {flow['verification_uri']} and enter the code {flow['user_code']}",
          file=out, flush=True)

    def poll() -> None:
        try:
            results.put(("device", app.acquire_token_by_device_flow(flow)))
        except Exception as exc:  # noqa: BLE001
            results.put(("device", {"error": type(exc).__name__}))

    threading.Thread(target=poll, name="outlook-device-code", daemon=True).start()
    return flow


def _knock(redirect_uri: str) -> None:
    """Release a loopback still waiting (the device code won): an answer carrying an error."""
    import urllib.request  # noqa: PLC0415

    try:
        urllib.request.urlopen(redirect_uri.rstrip("/") + "/?error=cancelled", timeout=2).close()
    except OSError:
        pass


class _Watch:
    """A text sink that passes writes on and notes when the sign-in address has been printed."""

    def __init__(self, out: TextIO, printed: threading.Event):
        self.out, self.printed = out, printed

    def write(self, text: str) -> int:
        written = self.out.write(text)
        if "http" in text:
            self.printed.set()
        return written

    def flush(self) -> None:
        self.out.flush()


__all__ = ["SCOPES", "SignIn", "auth_error", "authorise", "authority_of"]
