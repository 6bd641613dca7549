"""iCalendar conversions shared by the providers that speak it (local export, CalDAV, .ics feeds).

Not a connector: no I/O here. Item → VEVENT/VTODO text with our id as UID; notes as VJOURNAL; attendees
as ATTENDEE lines (`mailto:` when the address is known, `CN` for the name); calendar text → occurrences
(`Busy`) in a window with recurring series expanded by `recurring-ical-events`.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from email.utils import getaddresses
from datetime import date, datetime, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from assistant.core.item import Item, Kind
from assistant.core.recurrence import normalize_rule
from assistant.core.slots import Busy
from assistant.core.zones import midnight
from assistant.errors import BadData

log = logging.getLogger(__name__)

PRODID = "-//assistant//self-hosted business assistant//EN"


IcalError = BadData
"""Calendar data that cannot be read (a connector error: the provider sent it)."""


@dataclass
class EventData:
    """The plain fields of an event to write, whatever it came from (an Item or a local row)."""
    uid: str
    title: str
    start: datetime | date
    end: datetime | date | None = None
    location: str | None = None
    description: str | None = None
    recurrence: str | None = None
    attendees: tuple[str, ...] = ()
    """Labels: "boris@example.com", "Boris Petrov <boris@example.com>", or a bare name."""
    transparent: bool = False
    keep_names: bool = False
    """Also write attendees without a known address (CN only, `invalid:nomail`), as an export does;
    a calendar server would try to invite such an address, so writes leave them out."""


NO_ADDRESS = "invalid:nomail"
"""The calendar address of an attendee whose e-mail is unknown (what Evolution writes)."""


def split_attendee(label: str) -> tuple[str | None, str | None]:
    """ "Boris Petrov <boris@example.com>" → ("Boris Petrov", "boris@example.com"); "boris@example.com" →
    (None, "boris@example.com"); "Boris" → ("Boris", None)."""
    label = label.strip()
    if label.lower().startswith("mailto:"):
        label = label[7:]
    pairs = getaddresses([label])
    name, address = pairs[0] if len(pairs) == 1 else ("", "")
    if "@" not in address or " " in address.strip():
        return (label or None), None
    return (name.strip() or None), address.strip()


def add_attendee(component: icalendar.cal.Component, label: str, keep_unaddressed: bool = False) -> bool:
    """One ATTENDEE line for `label`: `mailto:` with CN when the name is known; a name alone only with
    `keep_unaddressed`. False when nothing was added."""
    name, address = split_attendee(label)
    if not address and not (keep_unaddressed and name):
        return False
    parameters = {"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION"}
    if name:
        parameters = {"CN": name, **parameters}
    component.add("attendee", f"mailto:{address}" if address else NO_ADDRESS, parameters=parameters)
    return True


def event_data(item: Item) -> EventData:
    if item.start is None:
        raise IcalError("an event needs a start time")
    start, end = item.start, item.end
    if item.all_day and isinstance(start, datetime):
        start, end = start.date(), (end.date() if isinstance(end, datetime) else end)
    if end is None:
        if isinstance(start, datetime):
            minutes = item.duration_minutes if item.duration_minutes else (0 if item.kind == Kind.REMINDER else 60)
            end = start + timedelta(minutes=minutes)
        else:
            end = start + timedelta(days=1)
    return EventData(uid=item.id, title=item.title or "(no title)", start=start, end=end,
                     location=item.location, description=item.description, recurrence=item.recurrence,
                     attendees=tuple(a for a in item.attendees if split_attendee(a)[1]),
                     transparent=item.kind == Kind.REMINDER)


def new_calendar() -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    return cal


def _when(value: datetime | date) -> datetime | date:
    """Zone-named times stay local (so repeats follow DST); fixed offsets are written as UTC."""
    if isinstance(value, datetime) and not isinstance(value.tzinfo, ZoneInfo):
        return value.astimezone(timezone.utc)
    return value


def vevent(data: EventData, alarm_minutes: int = -1, stamp: datetime | None = None) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", data.uid)
    event.add("dtstamp", stamp or datetime.now(timezone.utc))
    event.add("dtstart", _when(data.start))
    if data.end is not None:
        event.add("dtend", _when(data.end))
    event.add("summary", data.title)
    if data.location:
        event.add("location", data.location)
    if data.description:
        event.add("description", data.description)
    if data.recurrence:
        event.add("rrule", icalendar.vRecur.from_ical(normalize_rule(data.recurrence)))
    for label in data.attendees:
        add_attendee(event, label, data.keep_names)
    event.add("transp", "TRANSPARENT" if data.transparent else "OPAQUE")
    if alarm_minutes >= 0:
        event.add_component(valarm(alarm_minutes, data.title))
    return event


def vtodo(data: EventData, alarm: bool = True, stamp: datetime | None = None) -> icalendar.Todo:
    todo = icalendar.Todo()
    todo.add("uid", data.uid)
    todo.add("dtstamp", stamp or datetime.now(timezone.utc))
    todo.add("summary", data.title)
    todo.add("due", _when(data.start))
    todo.add("status", "NEEDS-ACTION")
    if data.description:
        todo.add("description", data.description)
    if data.recurrence:
        todo.add("dtstart", _when(data.start))
        todo.add("rrule", icalendar.vRecur.from_ical(normalize_rule(data.recurrence)))
    if alarm:
        todo.add_component(valarm(0, data.title, related_end=True))
    return todo


def vjournal(uid: str, title: str, body: str | None = None, created: datetime | None = None,
             stamp: datetime | None = None) -> icalendar.Journal:
    """A note as a VJOURNAL: its title as SUMMARY, its text as DESCRIPTION, the day it was made as DTSTART."""
    journal = icalendar.Journal()
    journal.add("uid", uid)
    journal.add("dtstamp", stamp or datetime.now(timezone.utc))
    if created is not None:
        journal.add("dtstart", created.astimezone(timezone.utc))
        journal.add("created", created.astimezone(timezone.utc))
    journal.add("summary", title or "(no title)")
    if body and body != title:
        journal.add("description", body)
    journal.add("status", "FINAL")
    return journal


def valarm(minutes: int, title: str, related_end: bool = False) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title or "Reminder")
    alarm.add("trigger", -timedelta(minutes=minutes), parameters={"RELATED": "END"} if related_end else None)
    return alarm


def to_text(cal: icalendar.Calendar) -> str:
    if any(isinstance(c.get("dtstart", c.get("due")), icalendar.vDDDTypes) for c in cal.subcomponents):
        cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")


def item_to_ics(item: Item, alarm_minutes: int = -1, as_todo: bool = False) -> str:
    """One VCALENDAR with one VEVENT (or VTODO) whose UID is the item's id."""
    data = event_data(item)
    cal = new_calendar()
    if as_todo:
        cal.add_component(vtodo(data))
    else:
        minutes = 0 if item.kind == Kind.REMINDER and alarm_minutes < 0 else alarm_minutes
        cal.add_component(vevent(data, minutes))
    return to_text(cal)


def patch_ics(text: str, item: Item) -> str:
    """An existing event with the item's title, time, place and repeat applied; attendees, organizer
    and alarms the event already had are kept (a reschedule must not drop the invitees)."""
    cal = parse(text)
    master = next((c for c in cal.walk() if c.name in ("VEVENT", "VTODO") and "RECURRENCE-ID" not in c), None)
    if master is None:
        raise IcalError("the event on the server has no main component")
    data = event_data(item) if item.start is not None else None
    if item.title:
        _set(master, "summary", item.title)
    if data is not None:
        if master.name == "VTODO":
            _set(master, "due", _when(data.start))
        else:
            _set(master, "dtstart", _when(data.start))
            master.pop("DURATION", None)
            if data.end is not None:
                _set(master, "dtend", _when(data.end))
    if item.location:
        _set(master, "location", item.location)
    if item.recurrence:
        _set(master, "rrule", icalendar.vRecur.from_ical(normalize_rule(item.recurrence)))
    known = {str(a).lower() for a in as_list(master.get("attendee"))}
    for label in item.attendees:
        address = split_attendee(label)[1]
        if address and f"mailto:{address.lower()}" not in known:
            add_attendee(master, label)
    _set(master, "dtstamp", datetime.now(timezone.utc))
    _set(master, "sequence", int(master.get("sequence", 0)) + 1)
    return to_text(cal)


def _set(component: icalendar.cal.Component, name: str, value: object) -> None:
    component.pop(name.upper(), None)
    component.add(name, value)


def parse(text: str | bytes) -> icalendar.Calendar:
    try:
        return icalendar.Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as exc:
        raise IcalError(f"not valid iCalendar data ({exc.__class__.__name__})") from None


def as_list(value: object) -> list:
    """An iCalendar property that may occur once or several times (or not at all), as a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _aware(value: datetime | date, zone: ZoneInfo) -> tuple[datetime, bool]:
    """An instant, and whether it was a date (all-day). Floating times are the owner's local time."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=zone)), False
    return midnight(value, zone), True


def attendee_label(address: object) -> str | None:
    """ "Name <email>" (or the bare address) from an ATTENDEE or ORGANIZER value."""
    email = str(address)
    if email.lower().startswith("mailto:"):
        email = email[7:]
    if "@" not in email:
        return None
    name = getattr(address, "params", {}).get("CN")
    return f"{name} <{email}>" if name and name != email else email


def occurrence(component: icalendar.cal.Component, zone: ZoneInfo, calendar: str) -> Busy | None:
    """One expanded VEVENT occurrence as a Busy; None for cancelled or time-less ones."""
    if str(component.get("status", "")).upper() == "CANCELLED" or "DTSTART" not in component:
        return None
    start, all_day = _aware(component.decoded("dtstart"), zone)
    if "DTEND" in component:
        end, _ = _aware(component.decoded("dtend"), zone)
    elif "DURATION" in component:
        end = start + component.decoded("duration")
    else:
        end = start + (timedelta(days=1) if all_day else timedelta(0))
    if all_day:
        end = midnight(end.date(), zone)
    transp = str(component.get("transp", "OPAQUE")).upper()
    recurring = "RECURRENCE-ID" in component or "RRULE" in component
    rid = ""
    if "RECURRENCE-ID" in component:
        rid_value, _ = _aware(component.decoded("recurrence-id"), zone)
        rid = rid_value.astimezone(timezone.utc).isoformat(timespec="seconds")
    attendees = [a for a in (attendee_label(x) for x in as_list(component.get("attendee"))) if a]
    return Busy(start=start.astimezone(zone), end=max(end, start).astimezone(zone),
                title=str(component.get("summary", "")), uid=str(component.get("uid", "")), calendar=calendar,
                all_day=all_day, transparent=transp == "TRANSPARENT",
                tentative=str(component.get("status", "")).upper() == "TENTATIVE",
                location=str(component["location"]) if component.get("location") else None,
                attendees=attendees, recurrence_id=rid, recurring=recurring)


def expand(cal: icalendar.Calendar, start: datetime, end: datetime, zone: ZoneInfo, calendar: str) -> list[Busy]:
    """Every VEVENT occurrence overlapping [start, end), recurring series expanded."""
    try:
        components = recurring_ical_events.of(cal, components=["VEVENT"]).between(start, end)
    except (ValueError, TypeError, recurring_ical_events.InvalidCalendar) as exc:
        raise IcalError(f"cannot expand the calendar's repeating events ({exc.__class__.__name__})") from None
    found = [b for b in (occurrence(c, zone, calendar) for c in components) if b is not None]
    return sorted(found, key=lambda b: (b.start, b.end, b.uid))


def group_by_uid(busy: Iterable[Busy]) -> dict[str, list[Busy]]:
    grouped: dict[str, list[Busy]] = {}
    for b in busy:
        grouped.setdefault(b.uid, []).append(b)
    return grouped
