"""The built-in calendar: SQLite, no account, the default target. Also its `.ics` export.

It shares the `events` table (through `store.events`) with the service, so both agree on what exists.
Reminders go to `store.reminders` (the scheduler fires them), notes to `store.notes`.
"""
from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from assistant.connectors.base import Busy, CalendarInfo, Capability, ConnectorError, Declared, Written
from assistant.connectors.ical import EventData, new_calendar, split_attendee, to_text, vevent, vjournal, vtodo
from assistant.core.item import Item, Kind
from assistant.core.recurrence import RecurrenceError, occurrences
from assistant.core.zones import instant, zone_or
from assistant.store import Store, StoreError, utc_key

log = logging.getLogger(__name__)

NAME = "local"


class LocalConnector(Declared):
    """The built-in calendar as a connector: never needs the network, never asks for a password.

    Not `Syncable`: its rows are the store itself, so nothing is cached; it knows nobody else's time."""

    capabilities = (Capability.WRITE | Capability.ALL_DAY | Capability.RECURRENCE | Capability.REMINDERS
                    | Capability.NOTES)

    def __init__(self, store: Store, zone: ZoneInfo, name: str = NAME):
        self.store = store
        self.zone = zone
        self.name = name

    def authenticate(self) -> None:
        """Nothing to log in to."""

    def refresh_token(self) -> None:
        """No token."""

    def test_connection(self) -> str:
        count = len(self.store.events.all())
        return f"built-in calendar: {count} event{'s' if count != 1 else ''}"

    def list_calendars(self) -> list[CalendarInfo]:
        return [CalendarInfo(id=self.name, name="Built-in calendar", components=["VEVENT", "VTODO"])]

    def list_events(self, start: datetime, end: datetime) -> list[Busy]:
        rows = self.store.events.overlapping(utc_key(start), utc_key(end))
        found: list[Busy] = []
        for row in rows:
            found.extend(row_occurrences(row, start, end, self.zone, self.name))
        return sorted(found, key=lambda b: (b.start, b.end, b.uid))

    def free_busy(self, start: datetime, end: datetime, people: list[str]) -> dict[str, list[Busy]]:
        """The built-in calendar knows nobody else's time."""
        return {}

    def create(self, item: Item) -> Written:
        try:
            if item.kind == Kind.NOTE:
                self.store.notes.add(item)
            elif item.kind == Kind.REMINDER:
                self.store.reminders.add(item, self.zone)
            else:
                self.store.events.upsert(item, self.zone)
        except ValueError as exc:
            raise ConnectorError(f"cannot save it in the built-in calendar: {exc}", retryable=False) from None
        except StoreError as exc:
            raise ConnectorError(str(exc), retryable=True) from None
        return Written(uid=item.id, link=None)

    def update(self, item: Item) -> Written:
        """Replace the row keyed by the item's id (or make it); what the item leaves empty — a
        reschedule that only names the new time — keeps the event's title, place and attendees."""
        row = self.store.events.get(item.id) if item.kind not in (Kind.NOTE, Kind.REMINDER) else None
        if row is not None:
            item = item.with_changes(
                title=item.title or row["title"], location=item.location or row.get("location"),
                attendees=item.attendees or json.loads(row.get("attendees") or "[]"),
                body=item.description or row.get("description"), recurrence=item.recurrence or row.get("recurrence"))
        return self.create(item)

    def delete(self, uid: str) -> None:
        self.store.events.delete(uid)
        self.store.reminders.delete(uid)
        self.store.notes.delete(uid)


def row_times(row: dict[str, Any], zone: ZoneInfo) -> tuple[datetime | date, datetime | date]:
    """Start and end of a stored event as written (dates for all-day ones, else aware times in the
    zone the event was made in)."""
    event_zone = zone_or(row.get("tz"), zone)
    if row["all_day"] or len(row["start"]) == 10:
        start = date.fromisoformat(row["start"][:10])
        end = date.fromisoformat(row["end"][:10]) if row.get("end") else start + timedelta(days=1)
        return start, end
    start_dt = datetime.fromisoformat(row["start"]).astimezone(event_zone)
    end_dt = datetime.fromisoformat(row["end"]).astimezone(event_zone) if row.get("end") else start_dt + timedelta(hours=1)
    return start_dt, end_dt


def row_occurrences(row: dict[str, Any], start: datetime, end: datetime, zone: ZoneInfo, calendar: str) -> list[Busy]:
    """The occurrences of one stored event overlapping [start, end)."""
    first, last = row_times(row, zone)
    all_day = not isinstance(first, datetime)
    attendees = json.loads(row.get("attendees") or "[]")

    def busy(s: datetime, e: datetime, rid: str = "") -> Busy:
        return Busy(start=s.astimezone(zone), end=e.astimezone(zone), title=row["title"], uid=row["uid"],
                    calendar=calendar, all_day=all_day, location=row.get("location"), attendees=attendees,
                    recurrence_id=rid, recurring=bool(row.get("recurrence")))

    if not row.get("recurrence"):
        s, e = instant(first, zone), instant(last, zone)
        return [busy(s, e)] if s < end and e > start else []
    series_zone = zone_or(row.get("tz"), zone) if not all_day else zone
    duration = last - first
    try:
        return [busy(s, e, s.astimezone(timezone.utc).isoformat(timespec="seconds"))
                for s, e in occurrences(row["recurrence"], first, duration, start, end, series_zone)]
    except RecurrenceError:
        log.warning("local event %s has an unreadable repeat rule; shown once", row["uid"])
        return row_occurrences({**row, "recurrence": None}, start, end, zone, calendar)


def export_ics(store: Store, zone: ZoneInfo, reminders_as: str = "todo") -> bytes:
    """The built-in calendar as one iCalendar file (UTF-8, CRLF lines), with VTIMEZONEs for named zones.

    Events are VEVENTs (all-day ones DATE values with an exclusive DTEND, as RFC 5545 wants) with their
    attendees as ATTENDEE lines: `mailto:` when the address is known (given, or found in the contacts), `CN`
    for the name (a name with no known address is kept with CN only). Reminders are VTODOs with a DUE and
    a VALARM at that time (`reminders_as="event"`: transparent VEVENTs with the alarm instead); repeating
    ones keep their first time and RRULE. Notes are VJOURNALs.
    """
    cal = new_calendar()
    cal.add("x-wr-calname", "Assistant")
    for row in store.events.all():
        start, end = row_times(row, zone)
        attendees = tuple(_known_address(store, a) for a in json.loads(row.get("attendees") or "[]") if a.strip())
        data = EventData(uid=row["uid"], title=row["title"], start=start, end=end, location=row.get("location"),
                         description=row.get("description"), recurrence=row.get("recurrence"), attendees=attendees,
                         keep_names=True)
        stamp = datetime.fromisoformat(row["updated_at"]) if row.get("updated_at") else None
        try:
            cal.add_component(vevent(data, stamp=stamp))
        except ValueError:
            log.warning("local event %s has an unreadable repeat rule; exported once", row["uid"])
            data.recurrence = None
            cal.add_component(vevent(data, stamp=stamp))
    for row in _reminder_rows(store):
        data = _reminder_data(store, row, zone)
        stamp = datetime.fromisoformat(row["created_at"]) if row.get("created_at") else None
        for attempt in (data, replace(data, recurrence=None)):
            try:
                component = vtodo(attempt, stamp=stamp) if reminders_as != "event" else vevent(attempt, 0, stamp)
            except ValueError:
                log.warning("local reminder %s has an unreadable repeat rule; exported once", row["id"])
                continue
            cal.add_component(component)
            break
    for row in store.notes.all():
        created = datetime.fromisoformat(row["created_at"]) if row.get("created_at") else None
        cal.add_component(vjournal(row["id"], row["title"] or "", row.get("body"), created, stamp=created))
    return to_text(cal).encode("utf-8")


def _reminder_rows(store: Store) -> list[dict[str, Any]]:
    return store.query("SELECT * FROM reminders ORDER BY fire_at")


def _reminder_data(store: Store, row: dict[str, Any], zone: ZoneInfo) -> EventData:
    """A stored reminder as written: a repeating one from its first time (the item's start) with its rule,
    a single one at its time."""
    reminder_zone = zone_or(row.get("tz"), zone)
    due: datetime | date = datetime.fromisoformat(row["fire_at"]).astimezone(reminder_zone)
    item = store.items.get(row["item_id"]) if row.get("item_id") and row.get("recurrence") else None
    if item is not None and isinstance(item.start, datetime):
        due = item.start.astimezone(reminder_zone)
    return EventData(uid=row["id"], title=row["title"] or "Reminder", start=due, end=due,
                     recurrence=row.get("recurrence"), transparent=True)


def _known_address(store: Store, label: str) -> str:
    """An attendee label with the address the contacts know for a bare name ("Boris" → "Boris Petrov
    <boris@example.com>" when such a contact exists); otherwise the label as it was."""
    name, address = split_attendee(label)
    if address or not name:
        return label
    wanted = name.lower()
    for contact in store.contacts.lookup(name)[:1]:
        known = contact["name"].lower()
        if known == wanted or wanted in known.replace("-", " ").split():
            return f"{contact['name']} <{contact['email']}>"
    return label


def connector_from_config(section: Any, config: Any, store: Store) -> LocalConnector:
    return LocalConnector(store, config.zone, name=getattr(section, "name", NAME) or NAME)
