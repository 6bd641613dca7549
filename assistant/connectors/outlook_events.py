"""Outlook events and our items: an `Item` → the body Graph takes (`event_body`), a Graph event (or a
getSchedule answer) → the `Busy` time listings report (`busy_of`, `schedule_busy`). No I/O.

Times go out as wall-clock times with a Windows zone name (so series keep their local time across DST);
all-day events are midnight-to-midnight dates. Repeat rules become patternedRecurrence
(outlook_recurrence.py); one Outlook cannot store is `Rejected`. Reminders are free (non-blocking)
events with Outlook's reminder at their time. Attendees with an address become Outlook attendees
(Outlook sends them an invitation); names without one go into the event's text.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from email.utils import getaddresses
from typing import Any
from zoneinfo import ZoneInfo

from assistant.connectors.base import Busy
from assistant.connectors.outlook_recurrence import UnsupportedRule, graph_recurrence, moved_recurrence
from assistant.connectors.outlook_times import (UTC, day_of, offset_time, parse_graph_time, wall_text,
                                                windows_zone)
from assistant.core.item import Item, Kind
from assistant.core.zones import midnight
from assistant.errors import Rejected

ITEM_PROPERTY = "String {8c1f5a3e-6b2d-4f0a-9d47-3e5b1c7a2f90} Name AssistantItemId"
"""The single-value extended property holding our item id on the events we write."""
DEFAULT_MINUTES = 60
FREE_STATUSES = frozenset({"free", "workingelsewhere", "unknown"})


# ── Graph events → busy time ─────────────────────────────────────────────────────────────────

def busy_of(event: dict, uid: str, zone: ZoneInfo, calendar: str) -> Busy | None:
    """A listed event (or occurrence) as busy time in `zone`; None for a cancelled or timeless one."""
    if event.get("isCancelled"):
        return None
    start, end = parse_graph_time(event.get("start")), parse_graph_time(event.get("end"))
    if start is None:
        return None
    end = end or start
    all_day = bool(event.get("isAllDay"))
    if all_day:
        first, last = day_of(start), day_of(end)
        start, end = midnight(first, zone), midnight(max(last, first + timedelta(days=1)), zone)
    kind = event.get("type") or "singleInstance"
    rid = ""
    if kind in ("occurrence", "exception"):
        original = start if all_day else (offset_time(event.get("originalStart")) or start)
        rid = original.astimezone(UTC).isoformat(timespec="seconds")
    show = str(event.get("showAs") or "busy").casefold()
    return Busy(start=start.astimezone(zone), end=max(end, start).astimezone(zone),
                title=event.get("subject") or "", uid=uid, calendar=calendar, all_day=all_day,
                transparent=show in FREE_STATUSES, tentative=show == "tentative",
                location=((event.get("location") or {}).get("displayName") or None),
                attendees=labels(event.get("attendees")), recurrence_id=rid,
                recurring=kind in ("occurrence", "exception", "seriesMaster"))


def schedule_busy(schedule: dict, start: datetime, end: datetime, zone: ZoneInfo, calendar: str) -> list[Busy]:
    """One person's answer from getSchedule as the busy time within [start, end) (free time left out)."""
    found = []
    for entry in schedule.get("scheduleItems") or []:
        status = str(entry.get("status") or "busy").casefold()
        s, e = parse_graph_time(entry.get("start")), parse_graph_time(entry.get("end"))
        if status in FREE_STATUSES or s is None or e is None or not (s < end and e > start):
            continue
        found.append(Busy(start=s.astimezone(zone), end=e.astimezone(zone), title="busy", calendar=calendar,
                          tentative=status == "tentative"))
    return found


def overlaps(busy: Busy, start: datetime, end: datetime) -> bool:
    if busy.end == busy.start:
        return start <= busy.start < end
    return busy.start < end and busy.end > start


def labels(attendees: list | None) -> list[str]:
    """Graph attendees as "Name <address>" (or the address)."""
    found = []
    for attendee in attendees or []:
        email = (attendee.get("emailAddress") or {}) if isinstance(attendee, dict) else {}
        address, name = email.get("address"), email.get("name")
        if address and "@" in address:
            found.append(f"{name} <{address}>" if name and name != address else address)
    return found


# ── items → Graph event bodies ───────────────────────────────────────────────────────────────

def split_attendees(attendees: list[str]) -> tuple[list[tuple[str | None, str]], list[str]]:
    """([(name, address)], [names without an address])."""
    emails, names = [], []
    for label in attendees:
        [(name, address)] = getaddresses([label]) or [("", "")]
        if "@" in address and " " not in address.strip():
            emails.append((name or None, address))
        elif label.strip():
            names.append(label.strip())
    return emails, names


def refuse_notes(item: Item, calendar: str) -> None:
    if item.kind == Kind.NOTE:
        raise Rejected(f"calendar {calendar!r} does not keep notes; route notes to 'local' or a notes service")


def event_body(item: Item, calendar: str, zone: ZoneInfo, *, full: bool, existing: dict | None = None,
               alarm_minutes: int = -1) -> dict:
    """The Graph event body for `item`: everything for a create (`full`; the caller adds the
    transaction id and our id property); for an update only what the item says, with `existing` the
    stored event. `zone` is the owner's; `alarm_minutes` the calendar's reminder (-1: none)."""
    refuse_notes(item, calendar)
    if full and item.start is None:
        what = "a reminder" if item.kind == Kind.REMINDER else "an event"
        raise Rejected(f"cannot save it in calendar {calendar!r}: {what} needs a time")
    body = _details(item, full)
    if item.start is not None:
        body.update(_times(item, calendar, zone, existing))
    elif item.recurrence and existing is not None:
        anchor = parse_graph_time(existing.get("start"))
        if anchor is not None:
            try:
                body["recurrence"] = graph_recurrence(item.recurrence, anchor.astimezone(zone), zone)
            except UnsupportedRule as exc:
                raise Rejected(f"Outlook can't store this repeat rule ({exc}) in calendar "
                               f"{calendar!r}") from None
    if item.kind == Kind.REMINDER:
        body.update(showAs="free", isReminderOn=True, reminderMinutesBeforeStart=0)
    elif full:
        body["showAs"] = "busy"
        body["isReminderOn"] = alarm_minutes >= 0
        if alarm_minutes >= 0:
            body["reminderMinutesBeforeStart"] = alarm_minutes
    return body


def _details(item: Item, full: bool) -> dict[str, Any]:
    """Subject, text, place and attendees (all of them for a create, else those the item names)."""
    body: dict[str, Any] = {}
    emails, names = split_attendees(item.attendees)
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
    return body


def _times(item: Item, calendar: str, zone: ZoneInfo, existing: dict | None) -> dict[str, Any]:
    """Start, end, all-day and the repeat rule of an item with a start; a series moved without a new
    rule keeps its pattern on the new day."""
    first, last, all_day, item_zone = span_of(item, zone)
    name = windows_zone(item_zone)
    body: dict[str, Any] = {"isAllDay": all_day}
    if all_day:
        body["start"] = {"dateTime": f"{first.isoformat()}T00:00:00", "timeZone": name}
        body["end"] = {"dateTime": f"{last.isoformat()}T00:00:00", "timeZone": name}
    else:
        body["start"] = {"dateTime": wall_text(first), "timeZone": name}
        body["end"] = {"dateTime": wall_text(last), "timeZone": name}
    if item.recurrence:
        try:
            body["recurrence"] = graph_recurrence(item.recurrence, first, item_zone)
        except UnsupportedRule as exc:
            raise Rejected(f"Outlook can't store this repeat rule ({exc}) in calendar {calendar!r}; "
                           "choose daily, weekly on some days, monthly or yearly") from None
    elif existing is not None and existing.get("type") == "seriesMaster" and existing.get("recurrence"):
        body["recurrence"] = moved_recurrence(existing["recurrence"], parse_graph_time(existing.get("start")),
                                              first if not isinstance(first, datetime) else first.date(), zone)
    return body


def span_of(item: Item, zone: ZoneInfo) -> tuple[Any, Any, bool, Any]:
    """(first, last, all_day, zone): dates for all-day items (exclusive end), else aware wall times
    in the item's zone (`zone`, the owner's, when it has none of its own)."""
    start, end = item.start, item.end
    if item.all_day or not isinstance(start, datetime):
        first = start.date() if isinstance(start, datetime) else start
        last = end.date() if isinstance(end, datetime) else end
        last = last if isinstance(last, date) and last > first else first + timedelta(days=1)
        return first, last, True, zone
    item_zone = start.tzinfo if isinstance(start.tzinfo, ZoneInfo) else zone
    start = start.astimezone(item_zone)
    if isinstance(end, datetime) and end >= start:
        last = end.astimezone(item_zone)
    elif item.kind == Kind.REMINDER:
        last = start
    else:
        last = start + timedelta(minutes=item.duration_minutes or DEFAULT_MINUTES)
    return start, last, False, item_zone


__all__ = ["DEFAULT_MINUTES", "FREE_STATUSES", "ITEM_PROPERTY", "busy_of", "event_body",
           "labels", "overlaps", "refuse_notes", "schedule_busy", "span_of", "split_attendees"]
