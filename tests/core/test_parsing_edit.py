"""apply_edit: patching a pending item from a plain-words reply."""
from datetime import datetime

import pytest

from assistant.core.parsing import apply_edit, parse

NOW = datetime.fromisoformat("2026-03-10T09:00:00+01:00")
TZ = "Europe/Berlin"


@pytest.fixture
def lunch():
    return parse("Lunch with Anna on Friday at 1pm for 90 minutes", NOW, TZ)


def edit(item, text):
    return apply_edit(item, text, NOW, TZ)


@pytest.mark.parametrize("text, start, end", [
    ("make it 4pm", "2026-03-13T16:00:00+01:00", "2026-03-13T17:30:00+01:00"),
    ("at 4pm", "2026-03-13T16:00:00+01:00", "2026-03-13T17:30:00+01:00"),
    ("tomorrow instead", "2026-03-11T13:00:00+01:00", "2026-03-11T14:30:00+01:00"),
    ("move to Monday", "2026-03-16T13:00:00+01:00", "2026-03-16T14:30:00+01:00"),
    ("Thursday at 11 please", "2026-03-12T11:00:00+01:00", "2026-03-12T12:30:00+01:00"),
    ("45 minutes", "2026-03-13T13:00:00+01:00", "2026-03-13T13:45:00+01:00"),
    ("for 2 hours", "2026-03-13T13:00:00+01:00", "2026-03-13T15:00:00+01:00"),
    ("until 3pm", "2026-03-13T13:00:00+01:00", "2026-03-13T15:00:00+01:00"),
])
def test_time_edits_keep_the_length(lunch, text, start, end):
    got = edit(lunch, text)
    assert got is not None and got.id == lunch.id
    assert (got.start.isoformat(), got.end.isoformat()) == (start, end)


def test_people_edits(lunch):
    got = edit(lunch, "add Boris")
    assert got.attendees == ["Anna", "Boris"]
    got = edit(got, "remove Anna")
    assert got.attendees == ["Boris"]
    assert edit(lunch, "invite carl@example.com").attendees == ["Anna", "carl@example.com"]


def test_place_edits(lunch):
    assert edit(lunch, "at the office").location == "the office"
    assert edit(lunch, "in room 4B").location == "room 4B"
    placed = edit(lunch, "at Nopa")
    assert placed.location == "Nopa"
    assert edit(placed, "no location").location is None


def test_title_and_repeat_edits(lunch):
    assert edit(lunch, "call it Budget review").title == "Budget review"
    assert edit(lunch, "rename to Team lunch").title == "Team lunch"
    weekly = edit(lunch, "every Monday")
    assert weekly.recurrence == "FREQ=WEEKLY;BYDAY=MO"
    assert weekly.start.isoformat() == "2026-03-16T13:00:00+01:00"
    assert edit(weekly, "just once").recurrence is None


@pytest.mark.parametrize("text", [
    "Dinner with Kate on Thursday at 8pm",
    "What do I have tomorrow?",
    "Remind me to call mom",
    "asdfgh",
    "",
])
def test_new_requests_are_not_edits(lunch, text):
    assert edit(lunch, text) is None


def test_reminder_edit_has_no_end():
    item = parse("Remind me to call mom tomorrow at 6pm", NOW, TZ)
    got = edit(item, "make it 7pm")
    assert got.start.isoformat() == "2026-03-11T19:00:00+01:00" and got.end is None


def test_all_day_event_gets_a_time():
    item = parse("Haircut on Friday", NOW, TZ)
    got = edit(item, "at 10am")
    assert got.start.isoformat() == "2026-03-13T10:00:00+01:00" and not got.all_day
    assert got.end.isoformat() == "2026-03-13T11:00:00+01:00"


def test_impossible_date_edit_asks(lunch):
    got = edit(lunch, "move to April 31")
    assert got.needs_clarification and got.start is None
