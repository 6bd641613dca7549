"""The built-in calendar: kinds go to the right tables, rows read back, and the .ics export."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import icalendar
import pytest

from assistant.connectors.local import LocalConnector, export_ics
from assistant.core.item import Item, Kind
from assistant.store import Store
from connector_contract import MONDAY, WINDOW, ZONE, event


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "assistant.db")
    yield s
    s.close()


def test_shares_the_events_table_with_the_service(store):
    item = event()
    store.events.upsert(item, ZONE)                  # how the service writes
    local = LocalConnector(store, ZONE)
    [found] = local.list_events(*WINDOW)
    assert found.uid == item.id and found.calendar == "local"
    local.create(item.with_changes(title="Renamed"))  # a retry through the connector
    assert [b.title for b in local.list_events(*WINDOW)] == ["Renamed"]


def test_reminders_and_notes_go_to_their_tables(store):
    local = LocalConnector(store, ZONE)
    reminder = Item(kind=Kind.REMINDER, title="Pay rent", start=MONDAY)
    note = Item(kind=Kind.NOTE, title="Idea", body="Sell more")
    local.create(reminder)
    local.create(reminder)
    local.create(note)
    assert [r["id"] for r in store.reminders.pending()] == [reminder.id]
    assert [n["id"] for n in store.notes.all()] == [note.id]
    assert local.list_events(*WINDOW) == []
    local.delete(reminder.id)
    assert store.reminders.pending() == []


def test_unreadable_rule_shows_the_event_once(store):
    local = LocalConnector(store, ZONE)
    local.create(event(recurrence="FREQ=SOMETIMES"))
    assert len(local.list_events(*WINDOW)) == 1


def test_export_ics_round_trip(store):
    local = LocalConnector(store, ZONE)
    timed = event(title="Müller call", recurrence="FREQ=WEEKLY;COUNT=2", attendees=["boris@example.com"],
                  location="Zoom", body="Agenda")
    allday = Item(kind=Kind.EVENT, title="Trade fair", start=date(2030, 3, 27), end=date(2030, 3, 29), all_day=True)
    one_day = Item(kind=Kind.EVENT, title="Birthday", start=date(2030, 4, 2), all_day=True)
    for item in (timed, allday, one_day):
        local.create(item)
    data = export_ics(store, ZONE)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and b"\r\n" in data
    cal = icalendar.Calendar.from_ical(data)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {timed.id, allday.id, one_day.id}
    t = events[timed.id]
    assert t.decoded("DTSTART") == MONDAY and t.decoded("DTSTART").tzinfo is not None
    assert t["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert t.decoded("DTEND") - t.decoded("DTSTART") == timedelta(hours=1)
    assert str(t["SUMMARY"]) == "Müller call" and str(t["LOCATION"]) == "Zoom"
    assert t["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=2"
    assert str(t["ATTENDEE"]) == "mailto:boris@example.com"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    a = events[allday.id]
    assert a.decoded("DTSTART") == date(2030, 3, 27) and not isinstance(a.decoded("DTSTART"), datetime)
    assert a.decoded("DTEND") == date(2030, 3, 29)                   # exclusive end
    assert events[one_day.id].decoded("DTEND") == date(2030, 4, 3)


def test_export_of_empty_calendar_is_valid(store):
    cal = icalendar.Calendar.from_ical(export_ics(store, ZONE))
    assert cal.walk("VEVENT") == []


def test_reschedule_keeps_what_the_item_leaves_empty(store):
    local = LocalConnector(store, ZONE)
    original = event(title="Budget", attendees=["ann@example.com"], location="Room 2")
    local.create(original)
    moved = Item(kind=Kind.RESCHEDULE, id=original.id, start=MONDAY + timedelta(days=1),
                 end=MONDAY + timedelta(days=1, hours=1))
    local.update(moved)
    [found] = local.list_events(*WINDOW)
    assert (found.title, found.location, found.attendees) == ("Budget", "Room 2", ["ann@example.com"])
    assert found.start == MONDAY + timedelta(days=1)
