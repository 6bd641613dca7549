"""CalDAV against a real Radicale: discovery, writing, idempotency, errors, reminders, sync."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import httpx
import icalendar
import pytest
from caldav.lib import error as dav_error

from assistant import errors
from assistant.connectors.base import AuthError, Capability, ConnectorError, ReadOnlyError
from assistant.config import CalendarSection
from assistant.connectors.caldav import CalDAVConnector, auth_message
from assistant.core.item import Item, Kind
from connector_contract import MONDAY, WINDOW, ZONE, event
from radicale_server import USERS, start_radicale, stop_radicale


def connector(server, user="alice", calendar="", **extra) -> CalDAVConnector:
    settings = CalendarSection(type="caldav", name="radicale", url=server.url + "/", username=user,
                              password=extra.pop("password", USERS[user]), calendar=calendar, **extra)
    return CalDAVConnector(settings, ZONE)


def resources(server, user: str, calendar: str) -> list[str]:
    """The .ics resources in a collection, straight from the server (no library in between)."""
    body = '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>'
    response = httpx.request("PROPFIND", server.calendar_url(user, calendar), content=body,
                             headers={"Depth": "1"}, auth=(user, USERS[user]))
    return re.findall(r"<(?:\w+:)?href>([^<]+\.ics)</", response.text)


def raw(server, user: str, calendar: str, uid: str) -> icalendar.Calendar:
    response = httpx.get(f"{server.calendar_url(user, calendar)}{uid}.ics", auth=(user, USERS[user]))
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.text)


def test_discovery_from_base_url_picks_first_event_calendar(radicale):
    radicale.make_calendar("bob", "a-tasks", components="VTODO")
    radicale.make_calendar("bob", "b-work")
    found = connector(radicale, user="bob")
    assert found.test_connection() == "2 calendars found; writing to 'b-work'"
    infos = {c.name: c.components for c in found.list_calendars()}
    assert infos == {"a-tasks": ["VTODO"], "b-work": ["VEVENT"]}


def test_named_calendar_and_unknown_name(radicale):
    name = radicale.make_calendar("alice")
    assert connector(radicale, calendar=name.upper()).test_connection().endswith(f"writing to {name!r}")
    with pytest.raises(ConnectorError, match="no calendar named 'nope'") as err:
        connector(radicale, calendar="nope").authenticate()
    assert not err.value.retryable


def test_created_event_carries_uid_alarm_attendees_and_rrule(radicale):
    name = radicale.make_calendar("alice")
    item = event(recurrence="FREQ=WEEKLY;COUNT=3", attendees=["boris@example.com"], location="Room 1")
    written = connector(radicale, calendar=name, alarm_minutes=15).create(item)
    assert written.link.endswith(f"/{name}/{item.id}.ics")
    [vevent] = raw(radicale, "alice", name, item.id).walk("VEVENT")
    assert str(vevent["UID"]) == item.id
    assert vevent.decoded("DTSTART") == MONDAY and vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert vevent["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=3"
    assert str(vevent["ATTENDEE"]) == "mailto:boris@example.com"
    [alarm] = vevent.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(minutes=15)


def test_retried_create_leaves_one_resource(radicale):
    name = radicale.make_calendar("alice")
    cal = connector(radicale, calendar=name)
    item = event()
    for _ in range(3):
        cal.create(item)
    assert len(resources(radicale, "alice", name)) == 1


def test_update_of_event_made_elsewhere_keeps_its_resource_and_attendees(radicale):
    name = radicale.make_calendar("alice")
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//other app//EN\r\nBEGIN:VEVENT\r\nUID:other-uid@phone\r\n"
            "DTSTAMP:20300101T000000Z\r\nDTSTART:20300325T090000Z\r\nDTEND:20300325T100000Z\r\nSUMMARY:Dentist\r\n"
            "ATTENDEE;CN=Dr Who:mailto:dr@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    response = httpx.put(radicale.calendar_url("alice", name) + "phone-made.ics", content=text,
                         headers={"Content-Type": "text/calendar"}, auth=("alice", USERS["alice"]))
    assert response.status_code == 201
    cal = connector(radicale, calendar=name)
    [found] = [b for b in cal.list_events(*WINDOW) if b.uid == "other-uid@phone"]
    assert found.attendees == ["Dr Who <dr@example.com>"]
    moved = Item(kind=Kind.RESCHEDULE, title="", id="other-uid@phone", start=found.start + timedelta(days=1),
                 end=found.end + timedelta(days=1))
    cal.update(moved)
    assert len(resources(radicale, "alice", name)) == 1
    [again] = [b for b in cal.list_events(*WINDOW) if b.uid == "other-uid@phone"]
    assert again.start == found.start + timedelta(days=1)
    assert again.title == "Dentist" and again.attendees == ["Dr Who <dr@example.com>"]
    cal.delete("other-uid@phone")
    assert resources(radicale, "alice", name) == []


def test_wrong_password_is_a_clear_auth_error(radicale):
    radicale.make_calendar("alice")
    with pytest.raises(AuthError, match="rejected the username or password") as err:
        connector(radicale, password="wrong").create(event())
    assert not err.value.retryable
    assert "wrong" not in str(err.value)


def test_icloud_wording():
    assert auth_message("https://caldav.icloud.com", "icloud").startswith(
        "iCloud rejected the username or app-specific password — create one at appleid.apple.com")


def test_server_down_is_retryable(tmp_path):
    server = start_radicale(tmp_path / "down")
    name = server.make_calendar("alice")
    cal = CalDAVConnector(CalendarSection(type="caldav", name="radicale", url=server.url + "/", username="alice",
                                         password=USERS["alice"], calendar=name, timeout_seconds=3), ZONE)
    cal.create(event())
    stop_radicale(server)
    with pytest.raises(ConnectorError) as err:
        cal.create(event())
    assert err.value.retryable and not isinstance(err.value, AuthError)
    assert "cannot reach 127.0.0.1" in str(err.value)
    with pytest.raises(ConnectorError) as err:
        CalDAVConnector(cal.settings, ZONE).list_events(*WINDOW)
    assert err.value.retryable


def test_reminder_as_todo_goes_to_a_todo_calendar(radicale):
    events = radicale.make_calendar("alice")
    tasks = radicale.make_calendar("alice", components="VTODO")
    cal = connector(radicale, calendar=events, reminders_as="todo")
    item = Item(kind=Kind.REMINDER, title="Call the bank", start=MONDAY)
    cal.create(item)
    [todo] = raw(radicale, "alice", tasks, item.id).walk("VTODO")
    assert todo.decoded("DUE") == MONDAY
    assert todo.walk("VALARM")
    cal.delete(item.id)
    assert resources(radicale, "alice", tasks) == []


def test_reminder_as_event_is_transparent_with_an_alarm(radicale):
    name = radicale.make_calendar("alice")
    item = Item(kind=Kind.REMINDER, title="Call the bank", start=MONDAY)
    connector(radicale, calendar=name).create(item)
    [vevent] = raw(radicale, "alice", name, item.id).walk("VEVENT")
    assert str(vevent["TRANSP"]) == "TRANSPARENT"
    assert vevent.walk("VALARM")[0].decoded("TRIGGER") == timedelta(0)


def test_read_only_calendar_refuses_writes(radicale):
    name = radicale.make_calendar("alice")
    with pytest.raises(ReadOnlyError):
        connector(radicale, calendar=name, read_only=True).create(event())


def test_changes_full_then_delta(radicale):
    name = radicale.make_calendar("alice")
    cal = connector(radicale, calendar=name)
    first, second = event(title="One"), event(title="Two", start=MONDAY + timedelta(days=1))
    cal.create(first)
    full = cal.changes(*WINDOW, token=None)
    assert full.full and [o.uid for o in full.objects] == [first.id]
    unchanged = cal.changes(*WINDOW, token=full.token)
    assert not unchanged.full and unchanged.objects == [] and unchanged.deleted == []
    cal.create(second)
    cal.delete(first.id)
    delta = cal.changes(*WINDOW, token=unchanged.token)
    assert not delta.full
    assert [o.uid for o in delta.objects] == [second.id]
    assert delta.deleted == [f"/alice/{name}/{first.id}.ics"]


def test_expired_sync_token_falls_back_to_full(radicale):
    name = radicale.make_calendar("alice")
    cal = connector(radicale, calendar=name)
    cal.create(event())
    changes = cal.changes(*WINDOW, token='{"sync": "http://radicale.org/ns/sync/unknown"}')
    assert changes.full and len(changes.objects) == 1


def test_all_day_and_recurring_occurrences_from_server(radicale):
    name = radicale.make_calendar("alice")
    cal = connector(radicale, calendar=name)
    cal.create(Item(kind=Kind.EVENT, title="Holiday", start=MONDAY.date(), end=MONDAY.date() + timedelta(days=1),
                    all_day=True))
    cal.create(event(title="Daily", start=MONDAY.replace(hour=8), minutes=15, recurrence="FREQ=DAILY;COUNT=10"))
    found = cal.list_events(datetime(2030, 3, 25, tzinfo=ZONE), datetime(2030, 3, 28, tzinfo=ZONE))
    assert sorted((b.title, b.start.day) for b in found) == [("Daily", 25), ("Daily", 26), ("Daily", 27),
                                                             ("Holiday", 25)]


@pytest.mark.parametrize("failure, kind, retryable", [
    (dav_error.AuthorizationError(reason="Unauthorized", status=401), errors.AuthError, False),
    (dav_error.AuthorizationError(reason="Forbidden", status=403), errors.PermissionError_, False),
    (dav_error.NotFoundError(reason="Not Found", status=404), errors.NotFound, False),
    (dav_error.PutError(reason="Conflict", status=409), errors.Conflict, False),
    (dav_error.PutError(reason="Bad Request", status=400), errors.Rejected, False),
    (dav_error.ReportError(reason="Server Error", status=500), errors.Unavailable, True),
    (dav_error.DAVError(reason="odd answer"), errors.Unavailable, True),
    (dav_error.RateLimitError(reason="slow down", retry_after="7", status=429), errors.RateLimited, True),
    (dav_error.RateLimitError(reason="busy", retry_after_seconds=30.0, status=503), errors.Unavailable, True),
    (ConnectionRefusedError(111, "refused"), errors.Unavailable, True),
])
def test_library_failures_map_through_the_error_tree(failure, kind, retryable):
    cal = CalDAVConnector(CalendarSection(type="caldav", name="work", url="https://dav.example.com/", username="a",
                                         password="pw-SECRET"), ZONE)
    with pytest.raises(kind) as err:
        with cal._guard("reading events"):
            raise failure
    assert type(err.value) is kind and err.value.retryable is retryable
    assert "dav.example.com" in str(err.value) and "SECRET" not in str(err.value)
    if isinstance(failure, dav_error.RateLimitError):
        assert err.value.retry_after == (7 if failure.status == 429 else 30)


@pytest.mark.parametrize("status, kind", [(401, errors.AuthError), (403, errors.PermissionError_),
                                          (404, errors.NotFound), (412, errors.Conflict), (429, errors.RateLimited),
                                          (507, errors.Unavailable), (415, errors.Rejected)])
def test_answers_are_checked_through_the_error_tree(status, kind):
    cal = CalDAVConnector(CalendarSection(type="caldav", name="work", url="https://dav.example.com/"), ZONE)
    answer = type("Answer", (), {"status": status, "headers": {"Retry-After": "5"}})()
    with pytest.raises(kind) as err:
        cal._check(answer, "creating an event")
    if kind is errors.RateLimited:
        assert err.value.retry_after == 5
    cal._check(type("Answer", (), {"status": 201, "headers": {}})(), "creating an event")


def test_capabilities_follow_read_only():
    settings = CalendarSection(type="caldav", name="work", url="https://dav.example.com/")
    assert Capability.WRITE in CalDAVConnector(settings, ZONE).capabilities
    settings = CalendarSection(type="caldav", name="work", url="https://dav.example.com/", read_only=True)
    read_only = CalDAVConnector(settings, ZONE)
    assert read_only.read_only and Capability.WRITE not in read_only.capabilities
    assert Capability.SYNC_TOKENS in read_only.capabilities
