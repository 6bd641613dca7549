"""What a CalDAV server answers, read into plain values, and its refusals worded for the owner.

The `caldav` library's objects and responses go in; strings, `Busy` spans and the tree's errors come out.
No requests are made here: `assistant.connectors.caldav` (the connector) makes them.
"""
from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from caldav.elements.base import ValuedBaseElement
from caldav.lib import error as dav_error

from assistant import errors
from assistant.connectors.base import Busy, ConnectorError
from assistant.connectors.ical import IcalError, as_list, parse

CTAG = "{http://calendarserver.org/ns/}getctag"


# --- refusals, worded ------------------------------------------------------------------------------

def auth_message(url: str, name: str) -> str:
    """What to tell the owner when the server says no, with the place to fix it for known providers."""
    host = (urlsplit(url).hostname or url).lower()
    if "icloud.com" in host or "me.com" in host:
        return ("iCloud rejected the username or app-specific password — create one at appleid.apple.com "
                "(Sign-In and Security → App-Specific Passwords) and use your Apple ID e-mail as the username")
    if "fastmail" in host:
        return (f"Fastmail rejected the username or app password for {name!r} — create an app password "
                "with CalDAV access in Fastmail Settings → Privacy & Security → Manage app passwords")
    return (f"{host} rejected the username or password for calendar {name!r} — check them (use an app "
            "password if the server has two-factor sign-in, e.g. Nextcloud: Settings → Security)")


def status_error(status: int, action: str, url: str, name: str, retry_after: float | None = None) -> ConnectorError:
    """The error class for `status` (errors.for_status) with a sentence saying what to do."""
    host = urlsplit(url).hostname or url
    kind = errors.for_status(status)
    shown = f"HTTP {status}" if status else "no HTTP status"
    if kind is errors.AuthError:
        message = auth_message(url, name)
    elif kind is errors.PermissionError_:
        message = (f"{host} refused {action} on calendar {name!r} (no permission; is the calendar "
                   "read-only or shared with you?)")
    elif kind is errors.NotFound:
        message = (f"{host} has no such calendar or event while {action} on calendar {name!r} ({shown}); "
                   "if the calendar was deleted or renamed, check `calendar` and `url` in the configuration")
    elif kind is errors.Conflict:
        message = f"{host} reports a conflict while {action} on calendar {name!r} ({shown}): it changed meanwhile"
    elif kind is errors.RateLimited:
        message = f"{host} asks us to slow down while {action}; will retry"
    elif kind is errors.Unavailable:
        message = f"{host} failed while {action} on calendar {name!r} ({shown}); will retry"
    else:
        message = f"{host} refused {action} on calendar {name!r} ({shown})"
    return errors.status_error(status, message, retry_after)


# --- free/busy ---------------------------------------------------------------------------------------

def parse_free_busy(answers: Any, people: list[str], zone: ZoneInfo) -> dict[str, list[Busy]]:
    """The scheduling outbox's VFREEBUSY answers (RFC 6638) per asked address, as spans in `zone`."""
    result: dict[str, list[Busy]] = {}
    for key, value in (answers or {}).items():
        email = str(key).removeprefix("mailto:").lower()
        text = getattr(value, "data", value)
        try:
            cal = parse(text)
        except IcalError:
            continue
        spans: list[Busy] = []
        for comp in cal.walk("VFREEBUSY"):
            for prop in as_list(comp.get("FREEBUSY")):
                kind = prop.params.get("FBTYPE", "BUSY").upper() if hasattr(prop, "params") else "BUSY"
                for period in as_list(getattr(prop, "dt", prop)):
                    begin, finish = period if isinstance(period, tuple) else (None, None)
                    if begin is None:
                        continue
                    if isinstance(finish, timedelta):
                        finish = begin + finish
                    spans.append(Busy(start=begin.astimezone(zone), end=finish.astimezone(zone),
                                      calendar=f"free/busy {email}", tentative=kind == "BUSY-TENTATIVE",
                                      transparent=kind == "FREE"))
        if email in {p.lower() for p in people}:
            result[email] = spans
    return result


# --- collections and resources -----------------------------------------------------------------------

class CTagElement(ValuedBaseElement):
    """The collection's ctag (calendarserver.org): it moves whenever anything in the calendar changes."""
    tag = CTAG


def display_name(calendar: Any) -> str:
    try:
        return str(calendar.get_display_name() or last_segment(calendar.url))
    except dav_error.DAVError:
        return last_segment(calendar.url)


def last_segment(url: Any) -> str:
    return unquote(str(url).rstrip("/").rsplit("/", 1)[-1])


def resource_key(url: Any) -> str:
    """A resource's path, the key its occurrences are cached under."""
    return unquote(urlsplit(str(url)).path)


def etag(obj: Any) -> str:
    props = getattr(obj, "props", None) or {}
    return str(props.get("{DAV:}getetag", "") or "")


def header(response: Any, name: str) -> str:
    headers = getattr(response, "headers", None) or {}
    return str(headers.get(name) or headers.get(name.title()) or "")


def text_of(raw: Any) -> str:
    return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)


def uid_of(text: str) -> str:
    """The UID of the first event, to-do or journal entry in an iCalendar resource ("" when none)."""
    try:
        cal = parse(text)
    except IcalError:
        return ""
    for comp in cal.walk():
        if comp.name in ("VEVENT", "VTODO", "VJOURNAL") and comp.get("uid"):
            return str(comp.get("uid"))
    return ""


def load_token(token: str | None) -> dict[str, Any]:
    """Our sync state, `{"sync": token}` or `{"ctag": value}`; {} for none or an unreadable one."""
    if not token:
        return {}
    try:
        value = json.loads(token)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
