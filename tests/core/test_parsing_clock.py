"""Clock times, zones and offsets as people type or dictate them: times in words, European and
run-together clock notations, minutes before/after an hour, zone abbreviations and UTC offsets,
elapsed offsets (seconds, fractions, compounds), timers, "now" — and what must not become a time.

Every case is read at Tuesday 2026-03-10 09:00 in Berlin (CET, +01:00; New York is already on
EDT since March 8, London still on GMT)."""
from datetime import datetime, timedelta

import pytest

from assistant.core.item import Kind
from assistant.core.parsing import parse

NOW = datetime.fromisoformat("2026-03-10T09:00:00+01:00")
TZ = "Europe/Berlin"


def p(text: str):
    return parse(text, NOW, TZ)


def start_of(text: str) -> str | None:
    item = p(text)
    return item.start.isoformat() if item.start is not None else None


def later(**delta) -> str:
    return (NOW + timedelta(**delta)).isoformat()


# --- times said in words -----------------------------------------------------------------------

@pytest.mark.parametrize("text, start", [
    ("meeting at ten thirty am", "2026-03-10T10:30:00+01:00"),
    ("standup ten-thirty tomorrow", "2026-03-11T10:30:00+01:00"),
    ("lunch at twelve oh three", "2026-03-10T12:03:00+01:00"),
    ("lunch at twelve zero three", "2026-03-10T12:03:00+01:00"),
    ("lunch at twelve-zero-three", "2026-03-10T12:03:00+01:00"),
    ("lunch at twelve-oh-three", "2026-03-10T12:03:00+01:00"),
    ("call at four twenty-three a m tomorrow", "2026-03-11T04:23:00+01:00"),
    ("call at half past seven", "2026-03-10T19:30:00+01:00"),
    ("lunch at a quarter to noon", "2026-03-10T11:45:00+01:00"),
])
def test_times_in_words(text, start):
    assert start_of(text) == start


# --- other clock notations ---------------------------------------------------------------------

@pytest.mark.parametrize("text, start", [
    ("wake up call 3 oclock am", "2026-03-11T03:00:00+01:00"),
    ("meeting at 3 o'clock pm", "2026-03-10T15:00:00+01:00"),
    ("meeting 3h18 tomorrow", "2026-03-11T03:18:00+01:00"),       # h-notation is the 24-hour clock
    ("meeting Thursday 15h", "2026-03-12T15:00:00+01:00"),
    ("réunion Thursday at 8h", "2026-03-12T08:00:00+01:00"),
    ("call approximately 1030", "2026-03-10T10:30:00+01:00"),
    ("call at 1030", "2026-03-10T10:30:00+01:00"),
    ("coffee around 10ish", "2026-03-10T10:00:00+01:00"),
    ("coffee tomorrow at 150ish", "2026-03-11T13:50:00+01:00"),   # 1:50, placed by the hour rule
])
def test_clock_notations(text, start):
    assert start_of(text) == start


def test_european_range_with_h_notation():
    item = p("workshop tomorrow 9h30 - 11h")
    assert (item.start.isoformat(), item.end.isoformat()) == ("2026-03-11T09:30:00+01:00",
                                                              "2026-03-11T11:00:00+01:00")


# --- minutes before or after an hour -------------------------------------------------------------

@pytest.mark.parametrize("text, start", [
    ("call 15 minutes past 3pm", "2026-03-10T15:15:00+01:00"),
    ("call 15 minutes from 1pm", "2026-03-10T13:15:00+01:00"),
    ("call 15 minutes past 15h", "2026-03-10T15:15:00+01:00"),
    ("meet 10 minutes before 3:30pm", "2026-03-10T15:20:00+01:00"),
    ("pick up Sam at 20 to 6", "2026-03-10T17:40:00+01:00"),
    ("pick up Sam at 10 past 4", "2026-03-10T16:10:00+01:00"),
    ("call 20 minutes to 3", "2026-03-10T14:40:00+01:00"),
])
def test_minutes_around_an_hour(text, start):
    assert start_of(text) == start


def test_a_range_of_hours_stays_a_range():
    item = p("work from 9 to 5 tomorrow")
    assert (item.start.hour, item.end.hour) == (9, 17)


def test_a_length_before_from_and_a_time_is_still_a_length():
    item = p("call for 30 minutes from 2pm tomorrow")
    assert item.start.isoformat() == "2026-03-11T14:00:00+01:00"
    assert item.end - item.start == timedelta(minutes=30)


# --- zones after a time ----------------------------------------------------------------------

@pytest.mark.parametrize("text, start", [
    ("call at 3pm GMT", "2026-03-10T16:00:00+01:00"),
    ("call at 3pm UTC", "2026-03-10T16:00:00+01:00"),
    ("call at 3pm CET", "2026-03-10T15:00:00+01:00"),
    ("call at 3pm EST", "2026-03-10T20:00:00+01:00"),             # New York, on EDT that day
    ("call at 3pm PST", "2026-03-10T23:00:00+01:00"),
    ("call at 3pm IST", "2026-03-10T10:30:00+01:00"),             # India
    ("call at 3pm JST", "2026-03-11T07:00:00+01:00"),
    ("call at 9 am (BST)", "2026-03-10T10:00:00+01:00"),
    ("call at 10h GMT", "2026-03-10T11:00:00+01:00"),
    ("call at 11 am utc+02", "2026-03-10T10:00:00+01:00"),
    ("call 11am GMT+0900", "2026-03-11T03:00:00+01:00"),
    ("call 3pm UTC+05:30", "2026-03-10T10:30:00+01:00"),
    ("call at 9 am Pacific", "2026-03-10T17:00:00+01:00"),
])
def test_zones_are_converted(text, start):
    assert start_of(text) == start


def test_a_zone_in_summer_uses_both_sides_daylight_saving():
    item = p("call on July 1 at 3pm PST")           # Los Angeles on PDT, Berlin on CEST
    assert item.start.isoformat() == "2026-07-02T00:00:00+02:00"
    assert item.original_tz == "America/Los_Angeles"


# --- offsets from now ------------------------------------------------------------------------

@pytest.mark.parametrize("text, delta", [
    ("remind me in 5 seconds", timedelta(seconds=5)),
    ("remind me in a sec", timedelta(seconds=1)),
    ("remind me one second from now", timedelta(seconds=1)),
    ("remind me in 30 secs", timedelta(seconds=30)),
    ("remind me in half an hour", timedelta(minutes=30)),
    ("remind me in 1/2 hour", timedelta(minutes=30)),
    ("remind me in a quarter of an hour", timedelta(minutes=15)),
    ("remind me in 1/4 h", timedelta(minutes=15)),
    ("remind me in 3/4h", timedelta(minutes=45)),
    ("remind me in three-quarters of an hour", timedelta(minutes=45)),
    ("remind me in three quarters of an hour", timedelta(minutes=45)),
    ("remind me in 2 and a half hours", timedelta(minutes=150)),
    ("remind me in 2.5 hours", timedelta(minutes=150)),
    ("remind me in an hour and a quarter", timedelta(minutes=75)),
    ("remind me in 1d 2hr 5min", timedelta(days=1, minutes=125)),
    ("remind me in 1 day, 2 hours and 5 minutes", timedelta(days=1, minutes=125)),
    ("remind me in 5 minutes and 30 seconds", timedelta(minutes=5, seconds=30)),
    ("remind me in a couple of hours", timedelta(hours=2)),
    ("remind me in a few minutes", timedelta(minutes=3)),
    ("remind me in 2 more minutes", timedelta(minutes=2)),
    ("remind me in about 20 minutes", timedelta(minutes=20)),
    ("remind me after an hour", timedelta(hours=1)),
    ("remind me in 2hours", timedelta(hours=2)),
])
def test_elapsed_offsets(text, delta):
    item = p(text)
    assert item.kind == Kind.REMINDER
    assert item.start == NOW + delta


@pytest.mark.parametrize("text, day", [
    ("remind me a day from now", "2026-03-11"),
    ("remind me 7 days hence", "2026-03-17"),
    ("remind me in 1 mon", "2026-04-10"),
    ("what did I have a fortnight ago", "2026-02-24"),
    ("what did I have 2 weeks ago", "2026-02-24"),
])
def test_day_offsets_keep_the_calendar(text, day):
    assert start_of(text)[:10] == day


@pytest.mark.parametrize("text, delta", [
    ("set a timer for 5 minutes", timedelta(minutes=5)),
    ("timer 10 min", timedelta(minutes=10)),
    ("set a timer for 1 hour, 5 minutes, and 30 seconds", timedelta(hours=1, minutes=5, seconds=30)),
    ("remind me in 5", timedelta(minutes=5)),
    ("remind me to stretch in 15", timedelta(minutes=15)),
])
def test_timers_and_bare_minutes_ring_after_the_span(text, delta):
    item = p(text)
    assert item.kind == Kind.REMINDER
    assert item.start == NOW + delta
    assert item.end is None


# --- now ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "remind me now", "call mom right now", "call the bank ASAP", "check the oven immediately",
    "what do I have at the moment", "send the report as soon as possible",
])
def test_now_is_the_moment_of_speaking(text):
    assert p(text).start == NOW


@pytest.mark.parametrize("text, start", [
    ("now book the dentist tomorrow at 10", "2026-03-11T10:00:00+01:00"),
    ("every day at 9 from now on", "2026-03-11T09:00:00+01:00"),
    ("withdraw cash at the ATM tomorrow at 5pm", "2026-03-11T17:00:00+01:00"),
])
def test_now_gives_way_to_a_said_time(text, start):
    assert start_of(text) == start


@pytest.mark.parametrize("text", [
    "Erinnere mich jetzt", "Ruf die Bank sofort an", "напомни сейчас", "позвонить в банк прямо сейчас",
])
def test_now_in_german_and_russian(text):
    assert p(text).start == NOW


def test_seconds_in_german_and_russian():
    assert p("Erinnere mich in 30 Sekunden").start == NOW + timedelta(seconds=30)
    assert p("напомни через 30 секунд").start == NOW + timedelta(seconds=30)


# --- alarms, noon and midnight, h-notation lengths ---------------------------------------------

@pytest.mark.parametrize("text, start", [
    ("set an alarm for 6", "2026-03-11T06:00:00+01:00"),
    ("set an alarm for 7am", "2026-03-11T07:00:00+01:00"),
    ("wake me up at 6:30 tomorrow", "2026-03-11T06:30:00+01:00"),
])
def test_alarms_are_morning_reminders(text, start):
    item = p(text)
    assert (item.kind, item.start.isoformat()) == (Kind.REMINDER, start)


@pytest.mark.parametrize("text, start", [
    ("call at 12 noon", "2026-03-10T12:00:00+01:00"),
    ("call at 12 midnight", "2026-03-11T00:00:00+01:00"),
])
def test_twelve_noon_and_midnight_are_one_time(text, start):
    item = p(text)
    assert item.start.isoformat() == start
    assert item.end - item.start == timedelta(minutes=60)


def test_h_notation_after_in_or_for_is_an_amount():
    assert p("remind me in 1h30").start == NOW + timedelta(minutes=90)
    item = p("work for 2h15 tomorrow at 9")
    assert item.end - item.start == timedelta(minutes=135)


# --- what is not a time --------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "ten people are coming to the party",
    "meet in 5",                      # no reminder words: five what?
    "that costs $15",
    "meet in room 101",
    "after 2 hours of work call bob",
    "we see each other every now and then",
    "that's all for now",
])
def test_not_a_time(text):
    item = p(text)
    assert not isinstance(item.start, datetime)


def test_a_fraction_of_something_is_not_a_date():
    item = p("3/4 of the team on Friday")
    assert item.start.isoformat() == "2026-03-13"
    assert "3/4" in item.title


def test_a_glued_h_after_for_is_a_length_not_a_time():
    item = p("call at 2 for 8h")
    assert item.start.isoformat() == "2026-03-10T14:00:00+01:00"
    assert item.end - item.start == timedelta(hours=8)
