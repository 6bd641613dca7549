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
    ("call at 3pm EST", "2026-03-10T20:00:00+01:00"),             # New York time: on EDT since March 8
    ("call at 3pm EDT", "2026-03-10T20:00:00+01:00"),
    ("call at 3pm ET", "2026-03-10T20:00:00+01:00"),              # the generic name follows New York
    ("call at 3pm PST", "2026-03-10T23:00:00+01:00"),
    ("call at 3pm PDT", "2026-03-10T23:00:00+01:00"),
    ("call at 3pm Pacific time", "2026-03-10T23:00:00+01:00"),
    ("call at 3pm eastern standard time", "2026-03-10T20:00:00+01:00"),
    ("call at 10am AEDT", "2026-03-11T00:00:00+01:00"),           # today's 10:00 in Sydney has passed
    ("call at 10am CEST", "2026-03-10T10:00:00+01:00"),
    ("call at 3pm IST", "2026-03-10T10:30:00+01:00"),             # India
    ("call at 3pm JST", "2026-03-11T07:00:00+01:00"),
    ("call at 9:30 am (BST)", "2026-03-10T10:30:00+01:00"),       # London time: still on GMT in March
    ("call at 9:30 am London time", "2026-03-10T10:30:00+01:00"),
    ("call at 10h GMT", "2026-03-10T11:00:00+01:00"),
    ("call at 11 am utc+02", "2026-03-10T10:00:00+01:00"),
    ("call 11am GMT+0900", "2026-03-11T03:00:00+01:00"),
    ("call 3pm UTC+05:30", "2026-03-10T10:30:00+01:00"),
    ("call at 9 am Pacific", "2026-03-10T17:00:00+01:00"),
])
def test_zones_are_converted(text, start):
    assert start_of(text) == start


def test_a_zone_in_summer_uses_both_sides_daylight_saving():
    item = p("call on July 1 at 3pm Pacific")       # Los Angeles on PDT, Berlin on CEST
    assert item.start.isoformat() == "2026-07-02T00:00:00+02:00"
    assert item.original_tz == "America/Los_Angeles"


def test_an_abbreviation_follows_its_zones_daylight_saving():
    item = p("call on July 6 at 9:00 PST")          # people write PST all year for Pacific time
    assert item.start.isoformat() == "2026-07-06T18:00:00+02:00"
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


# --- an hour said with a part of the day takes the reading inside it -------------------------------

@pytest.mark.parametrize("text, start", [
    ("dinner tonight at 10", "2026-03-10T22:00:00+01:00"),
    ("I'll go back 10, tonight", "2026-03-10T22:00:00+01:00"),
    ("call Sam at 10, tonight", "2026-03-10T22:00:00+01:00"),
    ("call 10 tonight", "2026-03-10T22:00:00+01:00"),
    ("drinks this evening at 8", "2026-03-10T20:00:00+01:00"),
    ("meet tonight at 5", "2026-03-10T17:00:00+01:00"),
    ("pick up Anna from the airport tonight at 2", "2026-03-11T02:00:00+01:00"),
    ("pick her up this evening at 2", "2026-03-11T02:00:00+01:00"),
    ("pick her up at 2 this evening", "2026-03-11T02:00:00+01:00"),
    ("server restart tonight at 4:59", "2026-03-11T04:59:00+01:00"),
    ("check the server 2 tonight", "2026-03-11T02:00:00+01:00"),
    ("at 12 tonight fireworks", "2026-03-11T00:00:00+01:00"),
    ("tonight at 12:30 feed the baby", "2026-03-11T00:30:00+01:00"),
    ("flight tomorrow morning at 3", "2026-03-11T03:00:00+01:00"),
    ("flight tomorrow at 5 in the morning", "2026-03-11T05:00:00+01:00"),
    ("tea this afternoon at 5", "2026-03-10T17:00:00+01:00"),
    ("lunch this afternoon at 12", "2026-03-10T12:00:00+01:00"),
    ("call tomorrow night at 11", "2026-03-11T23:00:00+01:00"),
    ("feed the cat 2 at night", "2026-03-11T02:00:00+01:00"),
    ("feed the cat 11 at night", "2026-03-10T23:00:00+01:00"),
])
def test_an_hour_with_a_part_of_the_day(text, start):
    assert start_of(text) == start


@pytest.mark.parametrize("text, start", [
    ("meet at 4 in the evening", "2026-03-10T16:00:00+01:00"),     # said as its am/pm
    ("call at 7 in the evening", "2026-03-10T19:00:00+01:00"),
    ("встреча в 4 вечера", "2026-03-10T16:00:00+01:00"),
    ("встреча в 11 вечера", "2026-03-10T23:00:00+01:00"),
    ("встреча в 2 ночи", "2026-03-11T02:00:00+01:00"),
    ("Treffen um 4 Uhr abends", "2026-03-10T16:00:00+01:00"),
    ("Treffen heute Abend um 10", "2026-03-10T22:00:00+01:00"),
])
def test_an_evening_word_right_after_an_hour_is_its_meridiem(text, start):
    assert start_of(text) == start


def test_without_a_part_of_the_day_the_hour_rule_stays():
    assert start_of("call at 2") == "2026-03-10T14:00:00+01:00"
    assert start_of("call at 10") == "2026-03-10T10:00:00+01:00"


@pytest.mark.parametrize("text, start, end", [
    ("party tonight from 10 to 2", "2026-03-10T22:00:00+01:00", "2026-03-11T02:00:00+01:00"),
    ("gaming tonight 10 to 12", "2026-03-10T22:00:00+01:00", "2026-03-11T00:00:00+01:00"),
])
def test_a_span_tonight_runs_past_midnight(text, start, end):
    item = p(text)
    assert (item.start.isoformat(), item.end.isoformat()) == (start, end)


@pytest.mark.parametrize("text, start", [
    ("dinner tomorrow night", "2026-03-11T20:00:00+01:00"),
    ("party friday night", "2026-03-13T20:00:00+01:00"),
    ("poker sat night", "2026-03-14T20:00:00+01:00"),
])
def test_night_after_a_day_is_that_evening(text, start):
    assert start_of(text) == start


@pytest.mark.parametrize("text, words", [
    ("game night friday", "Game night"),
    ("date night on saturday", "Date night"),
])
def test_night_in_a_name_stays_in_the_title(text, words):
    item = p(text)
    assert item.title == words
    assert item.all_day


def test_a_two_night_stay_is_not_two_at_night():
    assert not isinstance(p("book a 2 night stay in Rome").start, datetime)


@pytest.mark.parametrize("text, start, rule", [
    ("take pills every night at 2", "2026-03-11T02:00:00+01:00", "FREQ=DAILY"),
    ("take pills every night at 11", "2026-03-10T23:00:00+01:00", "FREQ=DAILY"),
    ("poker every friday night at 1", "2026-03-14T01:00:00+01:00", "FREQ=WEEKLY;BYDAY=SA"),
])
def test_repeating_nights(text, start, rule):
    item = p(text)
    assert (item.start.isoformat(), item.recurrence) == (start, rule)


# --- zones: seasonal abbreviations are fixed, generic names follow the zone ----------------------

@pytest.mark.parametrize("text, start, zone", [
    ("call tomorrow, 10 eastern time", "2026-03-11T15:00:00+01:00", "America/New_York"),
    ("call 10 central", "2026-03-10T16:00:00+01:00", "America/Chicago"),
    ("call at 10 ET", "2026-03-10T15:00:00+01:00", "America/New_York"),
    ("call 10 PT", "2026-03-10T18:00:00+01:00", "America/Los_Angeles"),
    ("sync tomorrow 10 pacific", "2026-03-11T18:00:00+01:00", "America/Los_Angeles"),
    ("call Friday 10 eastern", "2026-03-13T15:00:00+01:00", "America/New_York"),
    ("call 10 London time", "2026-03-10T11:00:00+01:00", "Europe/London"),
    ("call 10 EST", "2026-03-10T15:00:00+01:00", "America/New_York"),
    ("call at 4 pacific daylight time", "2026-03-11T00:00:00+01:00", "America/Los_Angeles"),
])
def test_a_bare_hour_before_a_zone_keeps_its_time(text, start, zone):
    item = p(text)
    assert (item.start.isoformat(), item.original_tz) == (start, zone)


@pytest.mark.parametrize("text", ["pay 10 pt font", "buy 2 est", "meet at 10 central park"])
def test_a_word_that_looks_like_a_zone_is_not_one(text):
    assert p(text).original_tz is None


# --- years and minutes said in words -------------------------------------------------------------

@pytest.mark.parametrize("text, day", [
    ("born January twenty five nineteen eighty six", "1986-01-25"),
    ("meet the first of January two thousand and thirty two", "2032-01-01"),
    ("meeting on the fifth of May two thousand twenty seven", "2027-05-05"),
    ("dinner March 3rd twenty twenty seven", "2027-03-03"),
    ("dinner 3 May two thousand and twenty seven at 7", "2027-05-03"),
])
def test_dates_with_years_in_words(text, day):
    assert start_of(text)[:10] == day


@pytest.mark.parametrize("text, first", [
    ("what's planned in two thousand and twenty seven", "2027-01-01"),
    ("what's planned in two thousand twenty eight", "2028-01-01"),
    ("what's planned in twenty twenty-seven", "2027-01-01"),
    ("what happened in nineteen ninety nine", "1999-01-01"),
])
def test_years_in_words(text, first):
    assert start_of(text) == first


@pytest.mark.parametrize("text, start", [
    ("call at nineteen thirty", "2026-03-10T19:30:00+01:00"),        # a time, not the year 1930
    ("call at twenty twenty", "2026-03-10T20:20:00+01:00"),
    ("call at six forty-three", "2026-03-10T18:43:00+01:00"),
    ("call at nine thirty five", "2026-03-10T09:35:00+01:00"),
    ("call thirty-six minutes past eight", "2026-03-11T08:36:00+01:00"),
    ("call at ten fifty five pm", "2026-03-10T22:55:00+01:00"),
])
def test_minutes_in_words_after_an_hour(text, start):
    assert start_of(text) == start


# --- other clock forms ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, start", [
    ("call 0600h", "2026-03-11T06:00:00+01:00"),
    ("call 1300 hours", "2026-03-10T13:00:00+01:00"),
    ("call at 1300 hours", "2026-03-10T13:00:00+01:00"),
    ("call at 0600 hrs tomorrow", "2026-03-11T06:00:00+01:00"),
    ("call 0700 tomorrow", "2026-03-11T07:00:00+01:00"),
    ("lunch noonish", "2026-03-10T12:00:00+01:00"),
    ("fireworks at mid night", "2026-03-11T00:00:00+01:00"),
    ("jog tomorrow in the mornings", "2026-03-11T09:00:00+01:00"),
    ("wake up call 3 o'clock am", "2026-03-11T03:00:00+01:00"),
])
def test_other_clock_forms(text, start):
    assert start_of(text) == start


@pytest.mark.parametrize("text", ["call mom at present", "am I free at the present time",
                                  "what's on at this time"])
def test_at_present_is_now(text):
    assert p(text).start == NOW


@pytest.mark.parametrize("text", ["work for 1300 hours", "pin 0042", "pin 0137"])
def test_numbers_that_are_not_clock_times(text):
    assert not isinstance(p(text).start, datetime)


@pytest.mark.parametrize("text, start", [
    ("call at mid-night", "2026-03-11T00:00:00+01:00"),
    ("lunch at mid-day", "2026-03-10T12:00:00+01:00"),
    ("meet tomorrow afternoonish", "2026-03-11T15:00:00+01:00"),
    ("tonight at 8 ET call the US team", "2026-03-11T01:00:00+01:00"),
])
def test_parts_of_the_day_written_other_ways(text, start):
    assert start_of(text) == start


@pytest.mark.parametrize("text, delta", [
    ("remind me now + 40minutes", timedelta(minutes=40)),
    ("remind me now plus 2 hours", timedelta(hours=2)),
])
def test_now_plus_an_amount(text, delta):
    assert p(text).start == NOW + delta


@pytest.mark.parametrize("text, start, end", [
    ("meet 9.30-4.30pm", "2026-03-10T09:30:00+01:00", "2026-03-10T16:30:00+01:00"),
    ("meet between 9.30 to 11.15 am", "2026-03-10T09:30:00+01:00", "2026-03-10T11:15:00+01:00"),
])
def test_dotted_times_joined_before_am_pm_are_a_span(text, start, end):
    item = p(text)
    assert (item.start.isoformat(), item.end.isoformat()) == (start, end)
