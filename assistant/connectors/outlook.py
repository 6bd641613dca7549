"""Outlook / Microsoft 365 calendars: Microsoft Graph v1.0 over the one HTTP layer, signed in with msal.

    [[calendars]]
    name = "office"
    type = "outlook"
    client_id = "…"                                  # an Entra ID app registration (public client)
    tenant = "common"                                # common | organizations | consumers | a tenant id
    authority_host = "https://login.microsoftonline.com"
    base_url = "https://graph.microsoft.com/v1.0"
    calendar = ""                                    # a calendar name; "" = the default calendar

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

Graph: `/me/calendars` (`calendar = ""` → `/me/calendar`, else by name or id); events are created with a
`transactionId` derived from our item id (Graph drops a repeated create) and carry our item id in a
single-value extended property (`ITEM_PROPERTY`), which is how an event is found again for update and
delete (`$filter=singleValueExtendedProperties/Any(…)` on the calendar's events) and how listings report
our id as `Busy.uid` (other events: Graph's event id, the series master's for occurrences). Times go out
as wall-clock times with a Windows zone name (so series keep their local time across DST) and are read
back in UTC (`Prefer: outlook.timezone="UTC"`); all-day events are midnight-to-midnight dates. Repeat
rules are converted to Graph's patternedRecurrence (`graph_recurrence`): daily, weekly on days, monthly on
a day or "the second Tuesday", yearly, with interval and count/until; anything else is refused
(`Rejected`, "Outlook can't store this repeat rule"). Reminders are free (non-blocking) events with
Outlook's reminder at their time. Attendees with an address become Outlook attendees (Outlook sends them
an invitation); names without one go into the event's text.

Reading: `calendarView` (paged by `@odata.nextLink`); `changes()` is a `calendarView/delta` of the chosen
calendar: the first call lists the window and keeps the delta link as the token; later calls follow it,
and each changed event (or series) is read again so it is reported whole; 410 / `syncStateNotFound`
means a full listing again. `free_busy` asks `getSchedule` and answers only for addresses Graph knows.
429 and 503 honour Retry-After (a short wait is done here, a longer one is left to the outbox through
the error tree); other 5xx are tried once more after a second, then left to the outbox's back-off.
"""
from __future__ import annotations

import json
import logging
import queue
import re
import sys
import threading
import time
import uuid
import warnings
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from email.utils import getaddresses
from typing import Any, Iterator, TextIO
from urllib.parse import quote, unquote, urlsplit
from zoneinfo import ZoneInfo

import httpx

from assistant import errors
from assistant.connectors.base import (Busy, CalendarInfo, Capability, Changes, ConnectorError, Declared,
                                       RemoteObject, Written)
from assistant.connectors.http import Http, check, host_of, json_body
from assistant.core.item import Item, Kind
from assistant.core.recurrence import normalize_rule
from assistant.core.zones import midnight
from assistant.errors import AuthError, Rejected, UserError

try:  # CLDR's IANA → Windows zone table (tzlocal comes with APScheduler 3)
    from tzlocal.windows_tz import tz_win as IANA_TO_WINDOWS, win_tz as WINDOWS_TO_IANA
except ImportError:  # pragma: no cover - then IANA names are sent, which Graph accepts for most zones
    IANA_TO_WINDOWS, WINDOWS_TO_IANA = {}, {}

log = logging.getLogger(__name__)

UTC = timezone.utc
SCOPES = ["Calendars.ReadWrite", "User.Read"]
"""What we ask for; msal adds offline_access (a refresh token), openid and profile itself."""
ITEM_PROPERTY = "String {8c1f5a3e-6b2d-4f0a-9d47-3e5b1c7a2f90} Name AssistantItemId"
"""The single-value extended property holding our item id on the events we write."""
TRANSACTION_NAMESPACE = uuid.UUID("4f7c2b1e-93a5-4d6e-8f10-2a6b9c3d5e71")
CAPABILITIES = (Capability.WRITE | Capability.ALL_DAY | Capability.RECURRENCE | Capability.REMINDERS
                | Capability.SYNC_TOKENS | Capability.FREE_BUSY)
PAGE = 100
INLINE_WAIT = 5.0
"""Retry-After up to this many seconds is waited for here; longer ones go back to the outbox."""
INLINE_TRIES = 3
DEFAULT_MINUTES = 60
SCHEDULE_DAYS = 62
"""getSchedule answers at most this many days per request."""
SCHEDULE_PEOPLE = 20
FREE_STATUSES = frozenset({"free", "workingelsewhere", "unknown"})
AUTH_ERRORS = frozenset({"invalid_grant", "interaction_required", "consent_required", "login_required",
                         "invalid_client", "unauthorized_client", "invalid_scope", "access_denied"})
EVENT_FIELDS = ("id,subject,start,end,isAllDay,showAs,isCancelled,location,attendees,type,seriesMasterId,"
                "originalStart,webLink,changeKey")
RECORD = "outlook"


def _auth_error(name: str, why: str) -> AuthError:
    return AuthError(f"{why}: run `assistant connect {name}`")


# ── time zones and times ─────────────────────────────────────────────────────────────────────

def windows_zone(zone: Any) -> str:
    """The zone name Graph takes for `zone`: its Windows name where CLDR has one, else its IANA key."""
    key = getattr(zone, "key", None) or "UTC"
    return IANA_TO_WINDOWS.get(key) or key


def zone_of(name: str | None) -> Any:
    """A Graph `timeZone` value (UTC, a Windows name or an IANA key) as a tzinfo; UTC when unknown."""
    if not name or name.upper() in ("UTC", "ETC/UTC", "Z"):
        return UTC
    key = WINDOWS_TO_IANA.get(name, name)
    try:
        return ZoneInfo(key)
    except (ValueError, KeyError, OSError):
        return UTC


_FRACTION = re.compile(r"(\.\d{1,6})\d*")


def parse_graph_time(value: dict | None) -> datetime | None:
    """A dateTimeTimeZone ({"dateTime": "2030-03-25T09:00:00.0000000", "timeZone": "UTC"}) as aware."""
    if not value or not value.get("dateTime"):
        return None
    text = _FRACTION.sub(lambda m: m.group(1), value["dateTime"].replace("Z", ""))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        return parsed
    return parsed.replace(tzinfo=zone_of(value.get("timeZone")))


def _offset_time(value: str | None) -> datetime | None:
    """A DateTimeOffset ("2030-03-25T09:00:00Z", originalStart) as aware."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(_FRACTION.sub(lambda m: m.group(1), value.replace("Z", "+00:00")))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _wall(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day(moment: datetime) -> date:
    """The date an all-day boundary stands for: midnight as sent, or the nearest midnight when a server
    converted it to another zone."""
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.date()
    return (moment.astimezone(UTC) + timedelta(hours=12)).date()


# ── repeat rules → patternedRecurrence ───────────────────────────────────────────────────────

DAYS = {"MO": "monday", "TU": "tuesday", "WE": "wednesday", "TH": "thursday", "FR": "friday",
        "SA": "saturday", "SU": "sunday"}
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
INDEX = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
RULE_PARTS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"})


class UnsupportedRule(ValueError):
    """An RRULE Outlook's patternedRecurrence cannot express; the message says why."""


def _ints(value: str | None, name: str) -> list[int]:
    if not value:
        return []
    try:
        return [int(v) for v in value.split(",")]
    except ValueError:
        raise UnsupportedRule(f"{name} cannot be read") from None


def _one(values: list[int], name: str, low: int, high: int) -> int | None:
    if not values:
        return None
    if len(values) > 1:
        raise UnsupportedRule(f"several {name} values")
    if not low <= values[0] <= high:
        raise UnsupportedRule(f"{name}={values[0]}")
    return values[0]


def graph_recurrence(rule: str, start: datetime | date, zone: Any) -> dict:
    """Graph's patternedRecurrence for an RRULE whose first occurrence is `start` (a local date for
    all-day series, else an aware time in the series' zone). Raises UnsupportedRule."""
    parts: dict[str, str] = {}
    for piece in normalize_rule(rule).split(";"):
        if not piece.strip():
            continue
        key, sep, value = piece.partition("=")
        key = key.strip().upper()
        if not sep or not value.strip():
            raise UnsupportedRule("it cannot be read")
        if key in parts:
            raise UnsupportedRule(f"{key} appears twice")
        parts[key] = value.strip().upper()
    unknown = sorted(set(parts) - RULE_PARTS)
    if unknown:
        raise UnsupportedRule(f"it uses {', '.join(unknown)}")
    first = start.astimezone(zone).date() if isinstance(start, datetime) else start
    freq = parts.get("FREQ")
    interval = _one(_ints(parts.get("INTERVAL"), "INTERVAL"), "INTERVAL", 1, 99) or 1
    byday: list[tuple[int | None, str]] = []
    for code in filter(None, (parts.get("BYDAY") or "").split(",")):
        match = _BYDAY.match(code.strip())
        if not match:
            raise UnsupportedRule(f"BYDAY={code}")
        byday.append((int(match.group(1)) if match.group(1) else None, match.group(2)))
    monthdays = _ints(parts.get("BYMONTHDAY"), "BYMONTHDAY")
    months = _ints(parts.get("BYMONTH"), "BYMONTH")
    setpos = _ints(parts.get("BYSETPOS"), "BYSETPOS")
    week_start = DAYS.get(parts.get("WKST", "MO"))
    if week_start is None:
        raise UnsupportedRule(f"WKST={parts['WKST']}")
    plain_days = [DAYS[d] for o, d in byday if o is None]
    ordinals = [o for o, _ in byday if o is not None]

    if freq == "DAILY":
        if monthdays or months or setpos or ordinals:
            raise UnsupportedRule("a daily rule with BYMONTHDAY, BYMONTH, BYSETPOS or numbered days")
        if byday:
            if interval != 1:
                raise UnsupportedRule("every few days on chosen weekdays")
            pattern = {"type": "weekly", "interval": 1, "daysOfWeek": plain_days, "firstDayOfWeek": week_start}
        else:
            pattern = {"type": "daily", "interval": interval}
    elif freq == "WEEKLY":
        if monthdays or months or setpos or ordinals:
            raise UnsupportedRule("a weekly rule with BYMONTHDAY, BYMONTH, BYSETPOS or numbered days")
        days = plain_days or [DAYS[WEEKDAY_CODES[first.weekday()]]]
        pattern = {"type": "weekly", "interval": interval, "daysOfWeek": days, "firstDayOfWeek": week_start}
    elif freq in ("MONTHLY", "YEARLY"):
        month = None
        if freq == "YEARLY":
            month = _one(months, "BYMONTH", 1, 12) or first.month
        elif months:
            raise UnsupportedRule("a monthly rule limited to some months")
        if byday:
            if monthdays:
                raise UnsupportedRule("both BYDAY and BYMONTHDAY")
            index, days = _relative(byday, setpos)
            pattern = {"type": "relativeMonthly" if freq == "MONTHLY" else "relativeYearly",
                       "interval": interval, "daysOfWeek": days, "index": index}
        else:
            if setpos:
                raise UnsupportedRule("BYSETPOS without BYDAY")
            day = _one(monthdays, "BYMONTHDAY", 1, 31) or first.day
            pattern = {"type": "absoluteMonthly" if freq == "MONTHLY" else "absoluteYearly",
                       "interval": interval, "dayOfMonth": day}
        if month is not None:
            pattern["month"] = month
    else:
        raise UnsupportedRule(f"FREQ={freq}" if freq else "it has no FREQ")

    span: dict[str, Any] = {"startDate": first.isoformat(), "recurrenceTimeZone": windows_zone(zone)}
    if "COUNT" in parts and "UNTIL" in parts:
        raise UnsupportedRule("both COUNT and UNTIL")
    if "COUNT" in parts:
        count = _one(_ints(parts["COUNT"], "COUNT"), "COUNT", 1, 999)
        span.update(type="numbered", numberOfOccurrences=count)
    elif "UNTIL" in parts:
        span.update(type="endDate", endDate=_until_date(parts["UNTIL"], start, zone).isoformat())
    else:
        span["type"] = "noEnd"
    return {"pattern": pattern, "range": span}


def _relative(byday: list[tuple[int | None, str]], setpos: list[int]) -> tuple[str, list[str]]:
    if setpos:
        if len(setpos) != 1 or any(o is not None for o, _ in byday):
            raise UnsupportedRule("BYSETPOS with several positions or numbered days")
        position, days = setpos[0], [DAYS[d] for _, d in byday]
    else:
        if len(byday) != 1 or byday[0][0] is None:
            raise UnsupportedRule("every such weekday of the month (not one numbered weekday)")
        position, days = byday[0][0], [DAYS[byday[0][1]]]
    if position not in INDEX:
        raise UnsupportedRule(f"the {position}. weekday of the month")
    return INDEX[position], days


def _until_date(value: str, start: datetime | date, zone: Any) -> date:
    """UNTIL as Graph's inclusive endDate: the last local date whose occurrence is not after UNTIL."""
    try:
        if len(value) == 8:
            return datetime.strptime(value, "%Y%m%d").date()
        if value.endswith("Z"):
            until = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).astimezone(zone)
        else:
            until = datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=zone)
    except ValueError:
        raise UnsupportedRule("UNTIL cannot be read") from None
    if not isinstance(start, datetime):
        return until.date()
    local = start.astimezone(zone)
    on_that_day = datetime.combine(until.date(), local.time().replace(tzinfo=None), tzinfo=zone)
    return until.date() if on_that_day <= until else until.date() - timedelta(days=1)


# ── signing in (msal) ────────────────────────────────────────────────────────────────────────

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
            return _auth_error(self.name, f"Microsoft no longer accepts the sign-in of calendar {self.name!r} "
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
                raise _auth_error(self.name, f"calendar {self.name!r} is not connected to Microsoft yet")
            app = self.app()
            with self.guard("refreshing the sign-in"):
                account = self._account(app, record)
                if account is None:
                    raise _auth_error(self.name, f"calendar {self.name!r} has no Microsoft sign-in stored")
                result = app.acquire_token_silent_with_error(SCOPES, account, force_refresh=force)
                if result and stale and result.get("access_token") == stale:
                    result = app.acquire_token_silent_with_error(SCOPES, account, force_refresh=True)
            self.save()
            if not result:
                raise _auth_error(self.name, f"the Microsoft sign-in of calendar {self.name!r} has no refresh "
                                             "token any more")
            if "error" in result:
                raise self.refused(result, "refreshing the sign-in")
            self.username = self.username or account.get("username")
            return result["access_token"]


# ── the connector ────────────────────────────────────────────────────────────────────────────

class OutlookConnector(Declared):
    def __init__(self, settings: Any, zone: ZoneInfo, signin: SignIn,
                 transport: httpx.BaseTransport | None = None):
        self.settings = settings
        self.name = settings.name
        self.zone = zone
        self.capabilities = CAPABILITIES & ~Capability.WRITE if settings.read_only else CAPABILITIES
        self.signin = signin
        self.base = settings.base_url.rstrip("/")
        self.http = Http.for_section(settings, transport=transport)
        self._calendar: dict | None = None
        self._calendars: list[dict] = []
        self._uids: dict[str, str] = {}
        """Graph id of a single event or series master → the uid we report (our item id where tagged)."""
        self._masters: dict[str, str] = {}
        """Graph id of an occurrence → its series master's id (for deltas that only name the occurrence)."""

    # --- HTTP ----------------------------------------------------------------------------------

    def _url(self, path_or_url: str) -> str:
        if not path_or_url.startswith(("http://", "https://")):
            return self.base + path_or_url
        mine, theirs = urlsplit(self.base), urlsplit(path_or_url)
        if (mine.scheme, mine.netloc) != (theirs.scheme, theirs.netloc):
            raise errors.BadData(f"{host_of(self.base)} sent a link to another server; it is not followed")
        return path_or_url

    def _call(self, method: str, path: str, what: str, *, ok: tuple[int, ...] = (), utc: bool = False,
              page: bool = False, **kwargs: Any) -> httpx.Response:
        """One Graph request with a fresh bearer token: a 401 refreshes once; 429/503 with a short
        Retry-After and other 5xx are tried again here a few times, a 409 once; failures → the error tree."""
        url = self._url(path)
        what = f"{what} of calendar {self.name!r}"
        token = self.signin.token()
        prefer = [p for p, on in (('outlook.timezone="UTC"', utc), (f"odata.maxpagesize={PAGE}", page)) if on]
        refreshed = False
        attempt = 0
        while True:
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json",
                       **({"Prefer": ", ".join(prefer)} if prefer else {})}
            response = self.http.request(method, url, what, checked=False, headers=headers, **kwargs)
            status = response.status_code
            if status == 401:
                if not refreshed:
                    refreshed = True
                    token = self.signin.token(stale=token)
                    continue
                raise _auth_error(self.name, f"Microsoft Graph refused the sign-in while {what} "
                                             f"({_graph_code(response) or 'HTTP 401'})")
            if status in ok or 200 <= status < 300:
                return response
            attempt += 1
            if status == 409 and attempt == 1:            # changed at that very moment: once more, then Conflict
                time.sleep(0.5)
                continue
            if (status in (429, 503) or status >= 500) and attempt < INLINE_TRIES:
                wait = errors.retry_after_seconds(response.headers.get("Retry-After"))
                wait = float(attempt) if wait is None else wait
                if wait <= INLINE_WAIT and (status in (429, 503) or attempt == 1):
                    log.info("graph asks to wait", extra={"calendar": self.name, "status": status, "wait_s": wait})
                    time.sleep(wait)
                    continue
            self._fail(response, what)

    def _fail(self, response: httpx.Response, what: str) -> None:
        code = _graph_code(response)
        try:
            check(response, what)
        except ConnectorError as exc:
            if code:
                exc.args = (f"{exc} [{code}]",)
            raise
        raise errors.BadData(f"{host_of(self.base)} answered HTTP {response.status_code} while {what}")

    def _json(self, method: str, path: str, what: str, **kwargs: Any) -> Any:
        response = self._call(method, path, what, **kwargs)
        return json_body(response, what) if response.content else {}

    def _pages(self, path: str, what: str, params: dict | None = None, **kwargs: Any) -> Iterator[dict]:
        """Every item of a listing, following `@odata.nextLink`."""
        url: str | None = path
        while url:
            data = self._json("GET", url, what, params=params, **kwargs)
            yield from data.get("value") or []
            url, params = data.get("@odata.nextLink"), None

    # --- the account and calendar --------------------------------------------------------------

    def authenticate(self) -> None:
        """Sign in (a token from the vault) and choose the calendar to write to."""
        self._calendars = list(self._pages("/me/calendars", "listing calendars",
                                           params={"$select": "id,name,canEdit,isDefaultCalendar", "$top": 50}))
        wanted = self.settings.calendar.strip()
        if not wanted:
            default = self._json("GET", "/me/calendar", "finding the default calendar",
                                 params={"$select": "id,name,canEdit"})
            self._calendar = {"id": default["id"], "name": default.get("name") or "Calendar", "default": True}
            return
        for calendar in self._calendars:
            if wanted.casefold() in (str(calendar.get("name", "")).casefold(), str(calendar.get("id", "")).casefold()):
                self._calendar = {"id": calendar["id"], "name": calendar.get("name") or wanted,
                                  "default": bool(calendar.get("isDefaultCalendar"))}
                return
        names = ", ".join(sorted(str(c.get("name")) for c in self._calendars)) or "none"
        raise ConnectorError(f"calendar {self.name!r}: no Outlook calendar named {wanted!r} on the account "
                             f"(found: {names})", retryable=False)

    def _target(self) -> dict:
        if self._calendar is None:
            self.authenticate()
        assert self._calendar is not None
        return self._calendar

    def _calendar_path(self) -> str:
        return f"/me/calendars/{quote(self._target()['id'], safe='')}"

    def refresh_token(self) -> None:
        """Renew the access token now (and store the rotated refresh token): the runtime's hourly job."""
        self.signin.token(force=True)

    def test_connection(self) -> str:
        self.authenticate()
        me = self._json("GET", "/me", "reading the account", params={"$select": "displayName,mail,userPrincipalName"})
        who = me.get("mail") or me.get("userPrincipalName") or me.get("displayName") or "the account"
        count = len(self._calendars)
        return (f"signed in to Microsoft as {who}; {count} calendar{'s' if count != 1 else ''}; writing to "
                f"{self._target()['name']!r}")

    def list_calendars(self) -> list[CalendarInfo]:
        self._target()
        return [CalendarInfo(id=c["id"], name=c.get("name") or c["id"], read_only=self.read_only)
                for c in self._calendars]

    def close(self) -> None:
        self.http.close()

    # --- reading -------------------------------------------------------------------------------

    def _key(self, event_id: str) -> str:
        """The cache key of an event (or series): the path of its Graph address, as `Written.extra["href"]`."""
        return unquote(urlsplit(self._href(event_id)).path)

    def _href(self, event_id: str) -> str:
        return f"{self.base}/me/events/{quote(event_id, safe='')}"

    def _window(self, start: datetime, end: datetime) -> dict:
        return {"startDateTime": _utc_text(start), "endDateTime": _utc_text(end)}

    def _expand(self) -> str:
        return f"singleValueExtendedProperties($filter=id eq '{ITEM_PROPERTY}')"

    def _view(self, start: datetime, end: datetime) -> list[dict]:
        params = {**self._window(start, end), "$select": EVENT_FIELDS, "$expand": self._expand(), "$top": PAGE}
        return list(self._pages(f"{self._calendar_path()}/calendarView", "reading events", params=params, utc=True))

    def _tag(self, event: dict) -> str | None:
        for prop in event.get("singleValueExtendedProperties") or []:
            if str(prop.get("id", "")).casefold() == ITEM_PROPERTY.casefold():
                return prop.get("value")
        return None

    def _object_id(self, event: dict) -> str:
        master = event.get("seriesMasterId")
        if master and event.get("type") in ("occurrence", "exception"):
            self._masters[event["id"]] = master
            return master
        return event["id"]

    def _uid(self, event: dict) -> str:
        """Our item id for events we wrote (or their series), else Graph's id of the event or series."""
        object_id = self._object_id(event)
        tag = self._tag(event)
        if tag:
            self._uids[object_id] = tag
            return tag
        if object_id not in self._uids:
            if object_id == event["id"]:
                self._uids[object_id] = object_id
            else:
                master = self._get_event(object_id, "reading a repeating event")
                self._uids[object_id] = (self._tag(master) if master else None) or object_id
        return self._uids[object_id]

    def _busy(self, event: dict, uid: str) -> Busy | None:
        if event.get("isCancelled"):
            return None
        start, end = parse_graph_time(event.get("start")), parse_graph_time(event.get("end"))
        if start is None:
            return None
        end = end or start
        all_day = bool(event.get("isAllDay"))
        if all_day:
            first, last = _day(start), _day(end)
            start, end = midnight(first, self.zone), midnight(max(last, first + timedelta(days=1)), self.zone)
        kind = event.get("type") or "singleInstance"
        rid = ""
        if kind in ("occurrence", "exception"):
            original = start if all_day else (_offset_time(event.get("originalStart")) or start)
            rid = original.astimezone(UTC).isoformat(timespec="seconds")
        show = str(event.get("showAs") or "busy").casefold()
        return Busy(start=start.astimezone(self.zone), end=max(end, start).astimezone(self.zone),
                    title=event.get("subject") or "", uid=uid, calendar=self.name, all_day=all_day,
                    transparent=show in FREE_STATUSES, tentative=show == "tentative",
                    location=((event.get("location") or {}).get("displayName") or None),
                    attendees=_labels(event.get("attendees")), recurrence_id=rid,
                    recurring=kind in ("occurrence", "exception", "seriesMaster"))

    def _objects(self, events: list[dict], start: datetime, end: datetime) -> dict[str, RemoteObject]:
        """Events (occurrences grouped by series) as cache objects keyed by `_key`."""
        objects: dict[str, RemoteObject] = {}
        for event in events:
            uid = self._uid(event)
            key = self._key(self._object_id(event))
            obj = objects.setdefault(key, RemoteObject(key=key, uid=uid, occurrences=[],
                                                       etag=str(event.get("changeKey") or "")))
            busy = self._busy(event, uid)
            if busy is not None and _overlaps(busy, start, end):
                obj.occurrences.append(busy)
        for obj in objects.values():
            obj.occurrences.sort(key=lambda b: (b.start, b.end))
        return objects

    def list_events(self, start: datetime, end: datetime) -> list[Busy]:
        found = [b for o in self._objects(self._view(start, end), start, end).values() for b in o.occurrences]
        return sorted(found, key=lambda b: (b.start, b.end, b.uid))

    def free_busy(self, start: datetime, end: datetime, people: list[str]) -> dict[str, list[Busy]]:
        """Other people's busy time from Graph's getSchedule; addresses it cannot answer for are left out."""
        addresses = list(dict.fromkeys(p.strip() for p in people if "@" in p))
        if not addresses:
            return {}
        answers: dict[str, list[Busy]] = {}
        failed: set[str] = set()
        for group in (addresses[i:i + SCHEDULE_PEOPLE] for i in range(0, len(addresses), SCHEDULE_PEOPLE)):
            piece = start
            while piece < end:
                piece_end = min(end, piece + timedelta(days=SCHEDULE_DAYS))
                body = {"schedules": group, "availabilityViewInterval": 30,
                        "startTime": {"dateTime": _wall(piece.astimezone(UTC)), "timeZone": "UTC"},
                        "endTime": {"dateTime": _wall(piece_end.astimezone(UTC)), "timeZone": "UTC"}}
                data = self._json("POST", "/me/calendar/getSchedule", "asking for free/busy", json=body, utc=True)
                for schedule in data.get("value") or []:
                    who = str(schedule.get("scheduleId") or "").lower()
                    if not who:
                        continue
                    if schedule.get("error"):
                        failed.add(who)
                        continue
                    spans = answers.setdefault(who, [])
                    for entry in schedule.get("scheduleItems") or []:
                        status = str(entry.get("status") or "busy").casefold()
                        s, e = parse_graph_time(entry.get("start")), parse_graph_time(entry.get("end"))
                        if status in FREE_STATUSES or s is None or e is None or not (s < end and e > start):
                            continue
                        spans.append(Busy(start=s.astimezone(self.zone), end=e.astimezone(self.zone),
                                          title="busy", calendar=self.name, tentative=status == "tentative"))
                piece = piece_end
        for who in failed:
            answers.pop(who, None)
        for spans in answers.values():
            spans.sort(key=lambda b: (b.start, b.end))
        return answers

    # --- sync ----------------------------------------------------------------------------------

    def changes(self, start: datetime, end: datetime, token: str | None) -> Changes:
        state = _load_token(token)
        calendar_id = self._target()["id"]
        if state and state.get("calendar") == calendar_id and state.get("delta"):
            try:
                return self._delta(state["delta"], start, end)
            except (errors.NotFound, errors.Conflict):
                log.info("calendar %s: the delta link expired; listing everything again", self.name)
            except errors.Rejected as exc:
                if "syncstatenotfound" not in str(exc).casefold() and "resyncrequired" not in str(exc).casefold():
                    raise
                log.info("calendar %s: the delta link expired; listing everything again", self.name)
        return self._full(start, end)

    def _delta_round(self, url: str, params: dict | None) -> tuple[list[dict], str]:
        """Every item of a delta round, and the delta link that ends it."""
        items: list[dict] = []
        while True:
            data = self._json("GET", url, "syncing", params=params, utc=True, page=True)
            items.extend(data.get("value") or [])
            if data.get("@odata.nextLink"):
                url, params = data["@odata.nextLink"], None
                continue
            link = data.get("@odata.deltaLink")
            if not link:
                raise errors.BadData(f"{host_of(self.base)} ended a delta listing without a delta link")
            self._url(link)
            return items, link

    def _full(self, start: datetime, end: datetime) -> Changes:
        """Everything in the window, and a delta link for next time (the primary calendar's documented
        `/me/calendarView/delta`, else the calendar's own); a server refusing delta gets full listings."""
        path = "/me/calendarView/delta" if self._target().get("default") else \
            f"{self._calendar_path()}/calendarView/delta"
        try:
            _, link = self._delta_round(path, self._window(start, end))
        except (errors.Rejected, errors.NotFound) as exc:
            log.info("calendar %s: no delta sync (%s); listing everything each time", self.name, exc)
            link = None
        objects = self._objects(self._view(start, end), start, end)
        token = json.dumps({"v": 1, "calendar": self._target()["id"], "delta": link})
        return Changes(token=token, full=True, objects=list(objects.values()))

    def _delta(self, link: str, start: datetime, end: datetime) -> Changes:
        items, new_link = self._delta_round(link, None)
        changed: list[str] = []
        deleted: set[str] = set()
        for item in items:
            event_id = item.get("id")
            if not event_id:
                continue
            if "@removed" in item:
                master = self._masters.get(event_id)
                if master:
                    changed.append(master)
                else:
                    deleted.add(event_id)
                    self._uids.pop(event_id, None)
            else:
                changed.append(self._object_id(item))
        objects: dict[str, RemoteObject] = {}
        for object_id in dict.fromkeys(changed):
            key = self._key(object_id)
            events = self._series_or_event(object_id, start, end)
            if events is None:
                deleted.add(object_id)
                continue
            found = self._objects(events, start, end)
            objects[key] = found.get(key) or RemoteObject(key=key, uid=self._uids.get(object_id, object_id),
                                                          occurrences=[])
        keys = {self._key(d) for d in deleted} - set(objects)
        token = json.dumps({"v": 1, "calendar": self._target()["id"], "delta": new_link})
        return Changes(token=token, full=False, objects=list(objects.values()), deleted=sorted(keys))

    def _series_or_event(self, object_id: str, start: datetime, end: datetime) -> list[dict] | None:
        """The event as listed items: a series' instances in the window, or the single event; None if gone."""
        event = self._get_event(object_id, "syncing")
        if event is None:
            return None
        self._uids[object_id] = self._tag(event) or object_id
        if event.get("type") != "seriesMaster":
            return [event]
        params = {**self._window(start, end), "$select": EVENT_FIELDS, "$top": PAGE}
        instances = list(self._pages(f"/me/events/{quote(object_id, safe='')}/instances", "syncing",
                                     params=params, utc=True))
        return instances

    def _get_event(self, event_id: str, what: str) -> dict | None:
        response = self._call("GET", f"/me/events/{quote(event_id, safe='')}", what, ok=(400, 404), utc=True,
                              params={"$select": EVENT_FIELDS + ",recurrence", "$expand": self._expand()})
        if response.status_code in (400, 404):
            return None
        return json_body(response, what)

    # --- writing -------------------------------------------------------------------------------

    def _find(self, uid: str) -> dict | None:
        """Our event (single or series master) tagged with `uid`; else, for a Graph id (an event made
        elsewhere), that event; None when there is none."""
        quoted = uid.replace("'", "''")
        params = {"$filter": f"singleValueExtendedProperties/Any(ep: ep/id eq '{ITEM_PROPERTY}' and "
                             f"ep/value eq '{quoted}')",
                  "$select": EVENT_FIELDS + ",recurrence", "$expand": self._expand(), "$top": 2}
        found = self._json("GET", f"{self._calendar_path()}/events", "finding an event", params=params,
                           utc=True).get("value") or []
        if found:
            return found[0]
        if len(uid) > 40:          # our ids are short; Graph's are long
            return self._get_event(uid, "finding an event")
        return None

    def create(self, item: Item) -> Written:
        self._require_write()
        body = self._payload(item, full=True)
        existing = self._find(item.id)
        if existing is not None:
            log.info("calendar %s: %s already exists (a retried create); updating it", self.name, item.id)
            patch = {k: v for k, v in body.items() if k not in ("transactionId", "singleValueExtendedProperties")}
            event = self._json("PATCH", f"/me/events/{quote(existing['id'], safe='')}", "updating an event",
                               json=patch)
        else:
            event = self._json("POST", f"{self._calendar_path()}/events", "creating an event", json=body)
        return self._written(item, event)

    def update(self, item: Item) -> Written:
        """Change the event of `item.id`; what the item leaves empty keeps the stored value. Creates it if gone."""
        self._require_write()
        self._refuse_notes(item)
        existing = self._find(item.id)
        if existing is None:
            return self.create(item)
        body = self._payload(item, full=False, existing=existing)
        event = self._json("PATCH", f"/me/events/{quote(existing['id'], safe='')}", "updating an event", json=body)
        return self._written(item, event)

    def delete(self, uid: str) -> None:
        self._require_write()
        existing = self._find(uid)
        if existing is None:
            return
        self._call("DELETE", f"/me/events/{quote(existing['id'], safe='')}", "deleting an event", ok=(404,))
        self._uids.pop(existing["id"], None)

    def _written(self, item: Item, event: dict) -> Written:
        event_id = event.get("id")
        if not event_id:
            raise errors.BadData(f"{host_of(self.base)} did not say which event it wrote for calendar {self.name!r}")
        self._uids[event_id] = item.id
        href = self._href(event_id)
        return Written(uid=item.id, link=event.get("webLink") or None, extra={"href": href, "event_id": event_id})

    def _refuse_notes(self, item: Item) -> None:
        if item.kind == Kind.NOTE:
            raise Rejected(f"calendar {self.name!r} does not keep notes; route notes to 'local' or a notes service")

    def _payload(self, item: Item, full: bool, existing: dict | None = None) -> dict:
        """The Graph event body for `item`: everything for a create; for an update only what the item says."""
        self._refuse_notes(item)
        if full and item.start is None:
            what = "a reminder" if item.kind == Kind.REMINDER else "an event"
            raise Rejected(f"cannot save it in calendar {self.name!r}: {what} needs a time")
        body: dict[str, Any] = {}
        emails, names = _split_attendees(item.attendees)
        text = item.description or ""
        if names:
            text = (text + "\n\n" if text else "") + "With: " + ", ".join(names)
        if full or item.title:
            body["subject"] = item.title or ""
        if full or text:
            body["body"] = {"contentType": "text", "content": text}
        if full or item.location:
            body["location"] = {"displayName": item.location or ""}
        if full or item.attendees:
            body["attendees"] = [{"emailAddress": {"address": address, **({"name": name} if name else {})},
                                  "type": "required"} for name, address in emails]
        reminder = item.kind == Kind.REMINDER
        if item.start is not None:
            first, last, all_day, zone = self._span(item)
            body["isAllDay"] = all_day
            name = windows_zone(zone)
            if all_day:
                body["start"] = {"dateTime": f"{first.isoformat()}T00:00:00", "timeZone": name}
                body["end"] = {"dateTime": f"{last.isoformat()}T00:00:00", "timeZone": name}
            else:
                body["start"] = {"dateTime": _wall(first), "timeZone": name}
                body["end"] = {"dateTime": _wall(last), "timeZone": name}
            if item.recurrence:
                try:
                    body["recurrence"] = graph_recurrence(item.recurrence, first, zone)
                except UnsupportedRule as exc:
                    raise Rejected(f"Outlook can't store this repeat rule ({exc}) in calendar {self.name!r}; "
                                   "choose daily, weekly on some days, monthly or yearly") from None
            elif existing is not None and existing.get("type") == "seriesMaster" and existing.get("recurrence"):
                body["recurrence"] = _moved(existing["recurrence"], parse_graph_time(existing.get("start")),
                                            first if not isinstance(first, datetime) else first.date(), self.zone)
        elif item.recurrence and existing is not None:
            anchor = parse_graph_time(existing.get("start"))
            if anchor is not None:
                try:
                    body["recurrence"] = graph_recurrence(item.recurrence, anchor.astimezone(self.zone), self.zone)
                except UnsupportedRule as exc:
                    raise Rejected(f"Outlook can't store this repeat rule ({exc}) in calendar "
                                   f"{self.name!r}") from None
        if reminder:
            body.update(showAs="free", isReminderOn=True, reminderMinutesBeforeStart=0)
        elif full:
            body["showAs"] = "busy"
            minutes = getattr(self.settings, "alarm_minutes", -1)
            body["isReminderOn"] = minutes >= 0
            if minutes >= 0:
                body["reminderMinutesBeforeStart"] = minutes
        if full:
            body["transactionId"] = str(uuid.uuid5(TRANSACTION_NAMESPACE, f"{self._target()['id']}/{item.id}"))
            body["singleValueExtendedProperties"] = [{"id": ITEM_PROPERTY, "value": item.id}]
        return body

    def _span(self, item: Item) -> tuple[Any, Any, bool, Any]:
        """(first, last, all_day, zone): dates for all-day items (exclusive end), else aware wall times
        in the item's zone (the owner's when it has none of its own)."""
        start, end = item.start, item.end
        if item.all_day or not isinstance(start, datetime):
            first = start.date() if isinstance(start, datetime) else start
            last = end.date() if isinstance(end, datetime) else end
            last = last if isinstance(last, date) and last > first else first + timedelta(days=1)
            return first, last, True, self.zone
        zone = start.tzinfo if isinstance(start.tzinfo, ZoneInfo) else self.zone
        start = start.astimezone(zone)
        if isinstance(end, datetime) and end >= start:
            last = end.astimezone(zone)
        elif item.kind == Kind.REMINDER:
            last = start
        else:
            last = start + timedelta(minutes=item.duration_minutes or DEFAULT_MINUTES)
        return start, last, False, zone


# ── helpers ──────────────────────────────────────────────────────────────────────────────────

def _graph_code(response: httpx.Response) -> str | None:
    """Graph's error code ("ErrorItemNotFound", "syncStateNotFound"…) from an error body, if any."""
    try:
        data = response.json()
    except ValueError:
        return None
    error = data.get("error") if isinstance(data, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return str(code)[:80] if code else None


def _moved(recurrence: dict, old_start: datetime | None, first: date, zone: Any) -> dict:
    """A series' pattern when the whole series moves to start on `first`: its start date, and the weekday
    or day of the month that was the old start's (weekly on Monday → on the new day)."""
    moved = json.loads(json.dumps(recurrence))
    moved.setdefault("range", {})["startDate"] = first.isoformat()
    pattern = moved.get("pattern") or {}
    if old_start is None:
        return moved
    old = old_start.astimezone(zone).date()
    old_day, new_day = DAYS[WEEKDAY_CODES[old.weekday()]], DAYS[WEEKDAY_CODES[first.weekday()]]
    if pattern.get("type") == "weekly" and pattern.get("daysOfWeek") == [old_day]:
        pattern["daysOfWeek"] = [new_day]
    if pattern.get("type") in ("absoluteMonthly", "absoluteYearly") and pattern.get("dayOfMonth") == old.day:
        pattern["dayOfMonth"] = first.day
        if pattern.get("type") == "absoluteYearly" and pattern.get("month") == old.month:
            pattern["month"] = first.month
    return moved


def _load_token(token: str | None) -> dict | None:
    try:
        state = json.loads(token) if token else None
    except ValueError:
        return None
    return state if isinstance(state, dict) and state.get("v") == 1 else None


def _overlaps(busy: Busy, start: datetime, end: datetime) -> bool:
    if busy.end == busy.start:
        return start <= busy.start < end
    return busy.start < end and busy.end > start


def _labels(attendees: list | None) -> list[str]:
    labels = []
    for attendee in attendees or []:
        email = (attendee.get("emailAddress") or {}) if isinstance(attendee, dict) else {}
        address, name = email.get("address"), email.get("name")
        if address and "@" in address:
            labels.append(f"{name} <{address}>" if name and name != address else address)
    return labels


def _split_attendees(attendees: list[str]) -> tuple[list[tuple[str | None, str]], list[str]]:
    """([(name, address)], [names without an address])."""
    emails, names = [], []
    for label in attendees:
        [(name, address)] = getaddresses([label]) or [("", "")]
        if "@" in address and " " not in address.strip():
            emails.append((name or None, address))
        elif label.strip():
            names.append(label.strip())
    return emails, names


# ── building and connecting ──────────────────────────────────────────────────────────────────

def connector_from_config(section: Any, config: Any, store: Any) -> OutlookConnector:
    from assistant.vault import Vault  # noqa: PLC0415

    return OutlookConnector(section, config.zone, SignIn(section, Vault(store, config.data_dir)))


WAIT_SECONDS = 600.0


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


def authorise(section: Any, config: Any, vault: Any, options: Any = None) -> str:
    """`assistant connect NAME` for an Outlook calendar: sign in with Microsoft, keep the token cache in
    the vault, check Graph; returns one line naming the account and the calendar written to.

    `options` is `assistant.connect.LoopbackOptions` (open_browser, paste, out, timeout; None: defaults).
    The authorisation-code flow listens on the loopback and prints the address (opening a browser when
    `open_browser`); a redirected address pasted on `paste` is accepted too. Without a browser the
    device-code flow is offered alongside (an optional `device_code` attribute overrides that); whichever
    finishes first wins."""
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


__all__ = ["CAPABILITIES", "ITEM_PROPERTY", "OutlookConnector", "SignIn", "UnsupportedRule", "authorise",
           "connector_from_config", "graph_recurrence", "windows_zone"]
