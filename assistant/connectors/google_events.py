"""Google Calendar v3 event resources ↔ our items and occurrences. Pure: no I/O, no clock.

* `event_id(uid)`: the event id we give Google for an item — base32hex (`[a-v0-9]`, 5–1024 characters, as
  the Events reference requires), derived deterministically from the item id, so a create retried after a
  crash asks for the same id and gets 409 instead of making a second event.
* `event_body(item, zone)`: the full resource for an insert; `patch_body(item, existing, zone)` only what
  an update names (a reschedule naming only the time keeps title, place, people, text and repeat rule).
  Timed events carry `dateTime` and `timeZone` (the series repeats in that zone, across DST); all-day
  events `date` (end exclusive); repeat rules are `RRULE:` lines with UNTIL in the form Google wants;
  attendees are e-mail addresses only (names without an address go into the description); reminders
  are popup overrides; our item id is kept in `extendedProperties.private.assistantId`.
* `occurrence(event, zone, calendar)`: one event or expanded instance (`singleEvents=true`) as a `Busy`.
"""
from __future__ import annotations

import base64
import hashlib
import re
from datetime import date, datetime, timedelta, timezone
from email.utils import getaddresses
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from assistant import errors
from assistant.core.item import Item, Kind
from assistant.core.recurrence import RecurrenceError, normalize_rule, parse_rule
from assistant.core.slots import Busy
from assistant.core.zones import midnight

UTC = timezone.utc
ID_PROPERTY = "assistantId"
"""The private extended property holding our item id (a foreign event has none: its id is the uid)."""
DEFAULT_MINUTES = 60
REMINDER_MINUTES = 15
"""A reminder is a short transparent event with a popup at its start (it never blocks time)."""
MAX_REMINDER_MINUTES = 40320
_EVENT_ID = re.compile(r"^[a-v0-9]{5,1024}$")
_LOOKUP_ID = re.compile(r"^[A-Za-z0-9_-]{1,1024}$")


# --- ids ---------------------------------------------------------------------------------------

def event_id(uid: str) -> str:
    """The Google event id for our item id: its base32hex spelling (lower case, unpadded), or a hash of
    it when that would be shorter than 5 or longer than 1024 characters."""
    spelled = base64.b32hexencode(uid.encode()).decode().rstrip("=").lower()
    if 5 <= len(spelled) <= 1024:
        return spelled
    digest = hashlib.sha256(b"assistant:" + uid.encode()).digest()
    return base64.b32hexencode(digest).decode().rstrip("=").lower()


def is_valid_event_id(value: str) -> bool:
    return bool(_EVENT_ID.match(value))


def lookup_ids(uid: str) -> list[str]:
    """Where an item id may live: the id we derive from it, then the uid itself when it is a Google id
    (a foreign event, whose uid in the cache is its Google id)."""
    ids = [event_id(uid)]
    if _LOOKUP_ID.match(uid) and uid not in ids:
        ids.append(uid)
    return ids


def series_id(event: dict[str, Any]) -> str:
    """The id of the object an event belongs to: its recurring series, or itself."""
    return event.get("recurringEventId") or event["id"]


def item_uid(event: dict[str, Any]) -> str:
    """Our item id for an event we wrote; the series' Google id for anyone else's."""
    private = (event.get("extendedProperties") or {}).get("private") or {}
    return private.get(ID_PROPERTY) or series_id(event)


# --- writing -----------------------------------------------------------------------------------

def _zone_of(value: datetime, zone: ZoneInfo) -> ZoneInfo:
    tz = value.tzinfo
    if isinstance(tz, ZoneInfo) and tz.key:
        return tz
    return zone if zone.key else ZoneInfo("UTC")


def _plus(start: datetime, minutes: float) -> datetime:
    """`start` plus elapsed minutes (not wall-clock minutes: a DST change in between counts)."""
    return (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(start.tzinfo)


def _times(item: Item, zone: ZoneInfo, calendar: str, keep_minutes: float | None = None
           ) -> tuple[dict[str, Any], dict[str, Any], ZoneInfo | None]:
    """(start, end, the zone of a timed event) as EventDateTime objects."""
    start, end = item.start, item.end
    if start is None:
        raise errors.Rejected(f"cannot save it in calendar {calendar!r}: an event needs a start time")
    if item.all_day or not isinstance(start, datetime):
        first = start.date() if isinstance(start, datetime) else start
        last = end.date() if isinstance(end, datetime) else end
        if not isinstance(last, date) or last <= first:
            last = first + timedelta(days=1)
        return {"date": first.isoformat()}, {"date": last.isoformat()}, None
    tz = _zone_of(start, zone)
    local = start.astimezone(tz)
    if isinstance(end, datetime) and end > start:
        finish = end.astimezone(tz)
    else:
        minutes = item.duration_minutes or keep_minutes or (REMINDER_MINUTES if item.kind == Kind.REMINDER
                                                             else DEFAULT_MINUTES)
        finish = _plus(local, minutes)
    return ({"dateTime": local.isoformat(), "timeZone": tz.key},
            {"dateTime": finish.isoformat(), "timeZone": tz.key}, tz)


def google_rule(rule: str, tz: ZoneInfo | None, first: datetime | date, calendar: str) -> str:
    """An `RRULE:` line Google accepts: UNTIL as a date for all-day series, in UTC for timed ones (a
    date or a floating time means the end of that day / that time in the series' zone)."""
    body = normalize_rule(rule)
    dtstart = first if isinstance(first, datetime) else datetime(first.year, first.month, first.day, tzinfo=UTC)
    try:
        parse_rule(";".join(p for p in body.split(";") if p and not p.upper().startswith("UNTIL=")), dtstart)
    except RecurrenceError:
        raise errors.Rejected(f"cannot save it in calendar {calendar!r}: the repeat rule cannot be read") from None
    parts = []
    for part in (p for p in body.split(";") if p):
        key, _, value = part.partition("=")
        if key.upper() == "UNTIL":
            value = _until(value.upper(), tz)
        parts.append(f"{key.upper()}={value}")
    return "RRULE:" + ";".join(parts)


def _until(value: str, tz: ZoneInfo | None) -> str:
    try:
        if tz is None:                                    # an all-day series: a date
            return value[:8]
        if value.endswith("Z"):
            return value
        if len(value) == 8:
            local = datetime.strptime(value, "%Y%m%d").replace(hour=23, minute=59, second=59, tzinfo=tz)
        else:
            local = datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=tz)
    except ValueError:
        return value
    return local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def split_attendees(attendees: list[str]) -> tuple[list[dict[str, str]], list[str]]:
    """(EventAttendee objects for the labels that carry an address, the names that do not)."""
    found: list[dict[str, str]] = []
    names: list[str] = []
    for label in attendees:
        [(name, address)] = getaddresses([label]) or [("", "")]
        if "@" in address and " " not in address.strip():
            entry = {"email": address.strip()}
            if name:
                entry["displayName"] = name
            if address.lower() not in {a["email"].lower() for a in found}:
                found.append(entry)
        elif label.strip():
            names.append(label.strip())
    return found, names


def _with_names(description: str | None, names: list[str]) -> str | None:
    if not names:
        return description
    line = "With: " + ", ".join(names)
    if description and line in description:
        return description
    return f"{description}\n\n{line}" if description else line


def _reminders(item: Item, alarm_minutes: int) -> dict[str, Any] | None:
    if item.kind == Kind.REMINDER:
        return {"useDefault": False, "overrides": [{"method": "popup", "minutes": 0}]}
    if alarm_minutes >= 0:
        return {"useDefault": False,
                "overrides": [{"method": "popup", "minutes": min(alarm_minutes, MAX_REMINDER_MINUTES)}]}
    return None


def _refuse_notes(item: Item, calendar: str) -> None:
    if item.kind == Kind.NOTE:
        raise errors.Rejected(f"calendar {calendar!r} does not keep notes; route notes to 'local' or a notes "
                              "service")


def event_body(item: Item, zone: ZoneInfo, calendar: str, alarm_minutes: int = -1) -> dict[str, Any]:
    """The whole Event resource for `events.insert` (without the id)."""
    _refuse_notes(item, calendar)
    start, end, tz = _times(item, zone, calendar)
    attendees, names = split_attendees(list(item.attendees))
    body: dict[str, Any] = {
        "summary": item.title or "(no title)",
        "start": start,
        "end": end,
        "transparency": "transparent" if item.kind == Kind.REMINDER else "opaque",
        "extendedProperties": {"private": {ID_PROPERTY: item.id}},
    }
    if item.location:
        body["location"] = item.location
    description = _with_names(item.description, names)
    if description:
        body["description"] = description
    if attendees:
        body["attendees"] = attendees
    if item.recurrence:
        body["recurrence"] = [google_rule(item.recurrence, tz, item.start, calendar)]
    reminders = _reminders(item, alarm_minutes)
    if reminders:
        body["reminders"] = reminders
    return body


def _minutes(event: dict[str, Any]) -> float | None:
    """The length of a timed event in minutes (None for all-day or unreadable ones)."""
    try:
        start = datetime.fromisoformat(event["start"]["dateTime"])
        end = datetime.fromisoformat(event["end"]["dateTime"])
    except (KeyError, TypeError, ValueError):
        return None
    return (end - start).total_seconds() / 60 if end > start else None


def patch_body(item: Item, existing: dict[str, Any], zone: ZoneInfo, calendar: str,
               alarm_minutes: int = -1) -> dict[str, Any]:
    """What `events.patch` should change: only what the item names. Attendees already invited are kept
    (a reschedule must not drop them); a new time without an end keeps the event's length."""
    _refuse_notes(item, calendar)
    body: dict[str, Any] = {}
    if item.title:
        body["summary"] = item.title
    tz: ZoneInfo | None = None
    if item.start is not None:
        start, end, tz = _times(item, zone, calendar, keep_minutes=_minutes(existing))
        other = ("date",) if "dateTime" in start else ("dateTime", "timeZone")
        body["start"] = {**start, **{k: None for k in other if k in (existing.get("start") or {})}}
        body["end"] = {**end, **{k: None for k in other if k in (existing.get("end") or {})}}
    if item.location:
        body["location"] = item.location
    attendees, names = split_attendees(list(item.attendees))
    description = _with_names(item.description or existing.get("description"), names)
    if description and description != existing.get("description"):
        body["description"] = description
    if attendees:
        kept = list(existing.get("attendees") or [])
        known = {a.get("email", "").lower() for a in kept}
        added = [a for a in attendees if a["email"].lower() not in known]
        if added:
            body["attendees"] = kept + added
    if item.recurrence:
        first = item.start if item.start is not None else _start_of(existing, zone)
        if tz is None and isinstance(first, datetime):
            tz = _zone_of(first, zone)
        body["recurrence"] = [google_rule(item.recurrence, tz, first, calendar)]
    if item.kind == Kind.REMINDER:
        body["reminders"] = _reminders(item, alarm_minutes)
        body["transparency"] = "transparent"
    return body


def _start_of(event: dict[str, Any], zone: ZoneInfo) -> datetime | date:
    when = event.get("start") or {}
    if "date" in when and when["date"]:
        return date.fromisoformat(when["date"])
    value = datetime.fromisoformat(when["dateTime"])
    name = when.get("timeZone")
    if name:
        try:
            return value.astimezone(ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return value.astimezone(zone)


# --- reading -----------------------------------------------------------------------------------

def _instant(when: dict[str, Any], zone: ZoneInfo) -> tuple[datetime, bool]:
    """An EventDateTime as an aware instant in `zone`, and whether it was a date (all-day)."""
    if when.get("date"):
        return midnight(date.fromisoformat(when["date"]), zone), True
    value = datetime.fromisoformat(when["dateTime"])
    if value.tzinfo is None:
        name = when.get("timeZone")
        try:
            value = value.replace(tzinfo=ZoneInfo(name) if name else zone)
        except (ZoneInfoNotFoundError, ValueError):
            value = value.replace(tzinfo=zone)
    return value.astimezone(zone), False


def _label(attendee: dict[str, Any]) -> str | None:
    email = attendee.get("email")
    if not email or attendee.get("resource"):
        return None
    name = attendee.get("displayName")
    return f"{name} <{email}>" if name and name != email else email


def occurrence(event: dict[str, Any], zone: ZoneInfo, calendar: str) -> Busy | None:
    """One event (or one instance of a series) as an occurrence; None when cancelled or unreadable."""
    if event.get("status") == "cancelled" or not event.get("start"):
        return None
    try:
        start, all_day = _instant(event["start"], zone)
        end, _ = _instant(event.get("end") or event["start"], zone)
    except (KeyError, TypeError, ValueError):
        raise errors.BadData(f"Google sent an event that cannot be read in calendar {calendar!r}") from None
    if all_day and end <= start:
        end = start + timedelta(days=1)
    attendees = event.get("attendees") or []
    declined = any(a.get("self") and a.get("responseStatus") == "declined" for a in attendees)
    rid = ""
    original = event.get("originalStartTime")
    if event.get("recurringEventId") and original:
        try:
            rid = _instant(original, zone)[0].astimezone(UTC).isoformat(timespec="seconds")
        except (KeyError, TypeError, ValueError):
            rid = event["id"]
    return Busy(start=start, end=max(start, end), title=event.get("summary", ""), uid=item_uid(event),
                calendar=calendar, all_day=all_day,
                transparent=event.get("transparency") == "transparent" or declined,
                tentative=event.get("status") == "tentative", location=event.get("location") or None,
                attendees=[a for a in (_label(x) for x in attendees) if a], recurrence_id=rid,
                recurring=bool(event.get("recurringEventId") or event.get("recurrence")))


def rfc3339(value: datetime) -> str:
    """An aware time as Google's query parameters want it (UTC, `Z`)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


__all__ = ["ID_PROPERTY", "event_body", "event_id", "google_rule", "is_valid_event_id", "item_uid", "lookup_ids",
           "occurrence", "patch_body", "rfc3339", "series_id", "split_attendees"]
