"""Arithmetic on dates and times, and the forms that compose with it: "the week after next",
amounts around a clock time, signed and compound offsets added on the calendar, weekdays placed by
an amount, month-and-year forms written together, alternatives, offsets with minutes.

Written from the README rules as a user would type them. The clock is Tuesday 2026-03-10 09:00 in
Berlin unless a case says otherwise.
"""
from datetime import datetime

import pytest

from assistant.core.parsing import parse, parse_all

BERLIN = "Europe/Berlin"
TUE = datetime.fromisoformat("2026-03-10T09:00:00+01:00")


def got(text: str, now: datetime = TUE) -> dict:
    return parse(text, now, BERLIN).to_dict()


def start_of(text: str, now: datetime = TUE) -> str | None:
    """The start read, or the first day of the span kept aside when only a period was said."""
    item = got(text, now)
    if item["start"] is None and item["within"]:
        return item["within"][0]
    return item["start"]


def check(text: str, start: str, now: datetime = TUE) -> dict:
    item = got(text, now)
    assert start_of(text, now) == start, f"{text!r}: want {start}\n{item}"
    return item


# -- "<unit> after next" / "before last" ----------------------------------------------------------
@pytest.mark.parametrize("text, start, end", [
    ("what's on the week after next?", "2026-03-23", "2026-03-30"),
    ("am I busy the week after next", "2026-03-23", "2026-03-30"),
    ("show me the month after next", "2026-05-01", "2026-06-01"),
    ("what did I do the week before last", "2026-02-23", "2026-03-02"),
    ("anything on the weekend after next?", "2026-03-28", "2026-03-30"),
])
def test_periods_after_next(text, start, end):
    item = got(text)
    assert item["kind"] == "query", item
    assert (item["start"], item["end"]) == (start, end), item


@pytest.mark.parametrize("text, start", [
    ("dentist wed of the week after next at 10", "2026-03-25T10:00:00+01:00"),
    ("Friday of the week after next: haircut", "2026-03-27"),
    ("rent due the 28th of the month after next", "2026-05-28"),
    ("pay the 3rd of the month after next in the morning", "2026-05-03T09:00:00+02:00"),
    ("trip the year after next", "2028-01-01"),
])
def test_days_in_a_period_after_next(text, start):
    check(text, start)


# -- amounts around a clock time -----------------------------------------------------------------
@pytest.mark.parametrize("text, start", [
    ("call 10 hours before noon", "2026-03-11T02:00:00+01:00"),
    ("backup 5 hours after midnight", "2026-03-11T05:00:00+01:00"),
    ("remind me 2 hours before 6pm to leave", "2026-03-10T16:00:00+01:00"),
    ("meet 3 hours after 9am", "2026-03-10T12:00:00+01:00"),
    ("check 10 hours before midnight", "2026-03-10T14:00:00+01:00"),
])
def test_amount_around_a_clock_time(text, start):
    check(text, start)


def test_amount_before_something_that_is_no_time_is_not_a_time():
    item = got("remind me 2 hours before the meeting")
    assert item["start"] is None or not item["start"].startswith("2026-03-10T07:00"), item


# -- signed amounts -------------------------------------------------------------------------------
@pytest.mark.parametrize("text, start", [
    ("+15 minutes", "2026-03-10T09:15:00+01:00"),
    ("remind me +30min", "2026-03-10T09:30:00+01:00"),
    ("+1 day 2 hours", "2026-03-11T11:00:00+01:00"),
    ("-2hr5min", "2026-03-10T06:55:00+01:00"),
    ("-3y", "2023-03-10"),
    ("next tuesday +10 days", "2026-03-27"),
    ("2026-04-01 -10days", "2026-03-22"),
    ("call at 3pm +15 minutes", "2026-03-10T15:15:00+01:00"),
])
def test_signed_amounts(text, start):
    check(text, start)


@pytest.mark.parametrize("text, start, end", [
    ("shift from 10 -11", "2026-03-10T10:00:00+01:00", "2026-03-10T11:00:00+01:00"),
    ("10:00 - 11:00 standup", "2026-03-10T10:00:00+01:00", "2026-03-10T11:00:00+01:00"),
    ("conference March 23-25", "2026-03-23", "2026-03-26"),
])
def test_dashes_that_are_no_signs_stay_ranges(text, start, end):
    item = got(text)
    assert (item["start"], item["end"]) == (start, end), item


# -- compound amounts on the calendar -------------------------------------------------------------
@pytest.mark.parametrize("text, start, now", [
    ("1 year 9 months 1 day from now", "2027-12-11", TUE),
    ("1 year 9 months 1 day from now", "2012-11-29", datetime.fromisoformat("2011-02-28T00:00:00+01:00")),
    ("2 years 4 months 5 days ago", "2023-11-05", TUE),
    ("2 years 4 months 5 days ago", "2008-10-23", datetime.fromisoformat("2011-02-28T00:00:00+01:00")),
    ("in 1 month and 2 weeks", "2026-04-24", TUE),
    ("+2 months, 5 days", "2026-05-15", TUE),
    ("in 1 day and 2 hours", "2026-03-11T11:00:00+01:00", TUE),
])
def test_compound_amounts_add_largest_unit_first(text, start, now):
    check(text, start, now)


# -- amounts written together and said in words ---------------------------------------------------
@pytest.mark.parametrize("text, start", [
    ("3w later", "2026-03-31"),
    ("in 2hr30min", "2026-03-10T11:30:00+01:00"),
    ("in several hours", "2026-03-10T12:00:00+01:00"),
    ("in a couple of hours", "2026-03-10T11:00:00+01:00"),
    ("wait 10 minutes", "2026-03-10T09:10:00+01:00"),
    ("wait for 5 minutes", "2026-03-10T09:05:00+01:00"),
    ("15 minutes out", "2026-03-10T09:15:00+01:00"),
    ("I leave in two days from today", "2026-03-12"),
    ("in 3 weeks from now", "2026-03-31"),
])
def test_written_and_spoken_amounts(text, start):
    check(text, start)


def test_seconds_glued_to_minutes():
    assert got("3m 49s ago")["start"].startswith("2026-03-10T08:56:11")


def test_a_decade_is_not_seconds():
    assert got("music from the 90s tomorrow")["start"] == "2026-03-11"


# -- weekdays placed by an amount -----------------------------------------------------------------
@pytest.mark.parametrize("text, start", [
    ("a week on tuesday", "2026-03-24"),
    ("Tuesday week", "2026-03-24"),
    ("two weeks on friday", "2026-03-27"),
    ("first monday in 2 months", "2026-05-04"),
    ("the last friday in 3 months", "2026-06-26"),
    ("first monday of month in 2 months", "2026-05-04"),
    ("the second week after this friday", "2026-03-27"),
    ("the 3rd day before May 5", "2026-05-02"),
])
def test_weekdays_placed_by_an_amount(text, start):
    check(text, start)


# -- a month and a year written together ----------------------------------------------------------
@pytest.mark.parametrize("text", ["2027 Aug", "2027 August", "2027-August", "2027/August", "Aug-2027",
                                  "trip in 2027 August", "the move (August 2027)"])
def test_month_and_year_together(text):
    check(text, "2027-08-01")


@pytest.mark.parametrize("text, start", [
    ("2023 Sept", "2023-09-01"),
    ("Flight 2026/Oct/31", "2026-10-31"),
    ("Review 2026 October 31", "2026-10-31"),
    ("sabbatical Dec/2026-May/2027", "2026-12-01"),
])
def test_month_year_forms_keep_days_and_ranges(text, start):
    check(text, start)


# -- next day / previous day / next hour ----------------------------------------------------------
@pytest.mark.parametrize("text, start", [
    ("next day", "2026-03-11"),
    ("the following day at 5", "2026-03-11T17:00:00+01:00"),
    ("previous day", "2026-03-09"),
])
def test_next_and_previous_day_alone(text, start):
    check(text, start)


def test_the_next_day_after_a_date_is_not_tomorrow():
    assert got("dinner with Anna on friday and the next day lunch")["start"].startswith("2026-03-13")


@pytest.mark.parametrize("text, start, end", [
    ("what do I have next hour", "2026-03-10T10:00:00+01:00", "2026-03-10T11:00:00+01:00"),
    ("am I free in the next hour", "2026-03-10T09:00:00+01:00", "2026-03-10T10:00:00+01:00"),
])
def test_next_hour(text, start, end):
    item = got(text)
    assert (item["start"], item["end"]) == (start, end), item


# -- alternatives: the first one said is the start ------------------------------------------------
@pytest.mark.parametrize("text, start, end", [
    ("lunch at 12 or 12:30", "2026-03-10T12:00:00+01:00", "2026-03-10T13:00:00+01:00"),
    ("lunch 12 or 12:30", "2026-03-10T12:00:00+01:00", "2026-03-10T13:00:00+01:00"),
    ("meeting 10 or 11 tomorrow", "2026-03-11T10:00:00+01:00", "2026-03-11T11:00:00+01:00"),
    ("call at 3 or at 4", "2026-03-10T15:00:00+01:00", "2026-03-10T16:00:00+01:00"),
    ("call Tuesday or Wednesday at 3", "2026-03-17T15:00:00+01:00", "2026-03-17T16:00:00+01:00"),
])
def test_alternatives(text, start, end):
    item = got(text)
    assert (item["start"], item["end"]) == (start, end), item


# -- offsets with minutes and more zone names -----------------------------------------------------
@pytest.mark.parametrize("text, start", [
    ("call at 11 am utc+02:45", "2026-03-10T09:15:00+01:00"),
    ("call at 11 am UTC+0245", "2026-03-10T09:15:00+01:00"),
    ("call at 11 am GMT -08:45", "2026-03-10T20:45:00+01:00"),
    ("webinar 10:30 (gmt-2:30)", "2026-03-10T14:00:00+01:00"),
    ("call at 5pm UTC+5:30", "2026-03-10T12:30:00+01:00"),
    ("call at 9am alaska time", "2026-03-10T18:00:00+01:00"),
    ("call at 9am hawaii time", "2026-03-10T20:00:00+01:00"),
])
def test_offsets_with_minutes_and_zone_names(text, start):
    check(text, start)


def test_several_items_still_split_with_signs_and_alternatives():
    items = parse_all("lunch at 12 or 12:30 and remind me +2 hours to call Bob", TUE, BERLIN)
    assert items[0].start.isoformat() == "2026-03-10T12:00:00+01:00"
