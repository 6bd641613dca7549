"""Ranges between two points, in sentences: "from May to December", "between now and November
15th", "26 june in 2027 to 28 june in 2028", "between 3 and 8 yesterday", "five to seven today",
"for 5 days starting Friday" — start = the first point's start, end = the last point's exclusive end,
and a range that runs backwards is asked about."""
from datetime import datetime

import pytest

from assistant.core.item import Kind
from assistant.core.parsing import parse

NOW = datetime.fromisoformat("2026-03-10T09:00:00+01:00")   # a Tuesday
TZ = "Europe/Berlin"


def p(text, now=NOW):
    return parse(text, now, TZ)


def iso(value):
    return value.isoformat() if value is not None else None


# --- spans of days: months, years, dates with a shared year -------------------------------------

@pytest.mark.parametrize("text, start, end", [
    ("Sabbatical from May to December", "2026-05-01", "2027-01-01"),
    ("Sabbatical May through December", "2026-05-01", "2027-01-01"),
    ("Winter break from December to February", "2026-12-01", "2027-03-01"),
    ("Fieldwork from December to May 2028", "2027-12-01", "2028-06-01"),
    ("Exchange Dec/2026-May/2027", "2026-12-01", "2027-06-01"),
    ("Project phase between 2027 and 2029", "2027-01-01", "2030-01-01"),
    ("Contract 2027-2029", "2027-01-01", "2030-01-01"),
    ("The grant runs from 2027 to 2029.", "2027-01-01", "2030-01-01"),
    ("The grant runs 2027~2029.", "2027-01-01", "2030-01-01"),
])
def test_months_and_years_as_the_two_ends(text, start, end):
    item = p(text)
    assert (item.kind, iso(item.start), iso(item.end), item.all_day) == (Kind.EVENT, start, end, True)


@pytest.mark.parametrize("text, start, end", [
    ("Summer school 26 june to 28 june in 2027", "2027-06-26", "2027-06-29"),
    ("Summer school 26 june to 28 june, 2027", "2027-06-26", "2027-06-29"),
    ("Exchange 26 june in 2027 to 28 june in 2028", "2027-06-26", "2028-06-29"),
    ("Trip Aug 10 - Nov 12, 2027", "2027-08-10", "2027-11-13"),
    ("Audit first day of June to last day of June", "2026-06-01", "2026-07-01"),
    ("Audit from the 1st to the last day of June", "2026-06-01", "2026-07-01"),
    ("Exams from 10/1 to 11/7", "2026-10-01", "2026-11-08"),
])
def test_dates_share_a_year_said_once(text, start, end):
    item = p(text)
    assert (iso(item.start), iso(item.end), item.all_day) == (start, end, True)


# --- one end with a time, or now ------------------------------------------------------------------

@pytest.mark.parametrize("text, start, end", [
    ("Quiet period between now and November 15th", "2026-03-10T09:00:00+01:00", "2026-11-16T00:00:00+01:00"),
    ("Annual leave from today to tomorrow afternoon", "2026-03-10T09:00:00+01:00", "2026-03-11T15:00:00+01:00"),
    ("Annual leave from today morning to tomorrow", "2026-03-10T09:00:00+01:00", "2026-03-12T00:00:00+01:00"),
    ("Hackathon from Friday 10pm to Saturday 2am", "2026-03-13T22:00:00+01:00", "2026-03-14T02:00:00+01:00"),
    ("Party from 10pm Friday to 2am", "2026-03-13T22:00:00+01:00", "2026-03-14T02:00:00+01:00"),
    ("Offsite from Saturday 10pm to Monday 2am", "2026-03-14T22:00:00+01:00", "2026-03-16T02:00:00+01:00"),
    ("Gala 9:00 AM to 5:00 PM, Tuesday, 19 May 2026", "2026-05-19T09:00:00+02:00", "2026-05-19T17:00:00+02:00"),
])
def test_a_range_with_a_time_is_timed(text, start, end):
    item = p(text)
    assert (iso(item.start), iso(item.end), item.all_day) == (start, end, False)


def test_a_bare_weekday_before_a_past_end_is_the_one_before_it():
    item = p("Monday afternoon to last night", datetime.fromisoformat("2017-07-07T00:00:00+00:00"))
    assert iso(item.start).startswith("2017-07-03T15:00")
    assert iso(item.end).startswith("2017-07-06T20:00")


@pytest.mark.parametrize("text, kind, start, end, all_day", [
    ("am I free between now and Friday?", Kind.QUERY, "2026-03-10T09:00:00+01:00", "2026-03-14T00:00:00+01:00", False),
    ("what do I have from May to July?", Kind.QUERY, "2026-05-01", "2026-08-01", True),
    ("what's on from Monday 9am to Wednesday 5pm?", Kind.QUERY, "2026-03-16T09:00:00+01:00",
     "2026-03-18T17:00:00+01:00", False),
])
def test_questions_ask_about_the_whole_range(text, kind, start, end, all_day):
    item = p(text)
    assert (item.kind, iso(item.start), iso(item.end), item.all_day) == (kind, start, end, all_day)


# --- two clock times: the hour rule applies to the pair -------------------------------------------

@pytest.mark.parametrize("text, start, end", [
    ("Call between 3 and 8 yesterday", "2026-03-09T15:00:00+01:00", "2026-03-09T20:00:00+01:00"),
    ("Open house 3-8 on Saturday", "2026-03-14T15:00:00+01:00", "2026-03-14T20:00:00+01:00"),
    ("Shift from 7 to 9 tomorrow", "2026-03-11T19:00:00+01:00", "2026-03-11T21:00:00+01:00"),
    ("Standup Monday 8-9am", "2026-03-16T08:00:00+01:00", "2026-03-16T09:00:00+01:00"),
    ("Call between 11 and 1 tomorrow", "2026-03-11T11:00:00+01:00", "2026-03-11T13:00:00+01:00"),
    ("flight departs Friday 6:40 arrives 9:15", "2026-03-13T06:40:00+01:00", "2026-03-13T09:15:00+01:00"),
])
def test_the_end_follows_the_start(text, start, end):
    item = p(text)
    assert (iso(item.start), iso(item.end)) == (start, end)


@pytest.mark.parametrize("text, start, end", [
    ("Out five to seven today", "2026-03-10T17:00:00+01:00", "2026-03-10T19:00:00+01:00"),
    ("Workshop tomorrow ten to twelve", "2026-03-11T10:00:00+01:00", "2026-03-11T12:00:00+01:00"),
    ("Dinner at five to seven", "2026-03-10T18:55:00+01:00", "2026-03-10T19:55:00+01:00"),
    ("Meet at five to seven today", "2026-03-10T18:55:00+01:00", "2026-03-10T19:55:00+01:00"),
])
def test_five_to_seven_is_a_span_next_to_a_day_and_a_time_after_at(text, start, end):
    item = p(text)
    assert (iso(item.start), iso(item.end)) == (start, end)


# --- a start and a length -------------------------------------------------------------------------

@pytest.mark.parametrize("text, start, end, all_day", [
    ("Workshop tomorrow from 2 for 3 hours", "2026-03-11T14:00:00+01:00", "2026-03-11T17:00:00+01:00", False),
    ("The meeting will last for 2.5 hours from 9 on Friday", "2026-03-13T09:00:00+01:00",
     "2026-03-13T11:30:00+01:00", False),
    ("Vacation for 5 days starting Friday", "2026-03-13", "2026-03-18", True),
    ("Retreat starting this Friday at 5 pm for a day", "2026-03-13T17:00:00+01:00", "2026-03-14T17:00:00+01:00", False),
])
def test_a_start_with_a_length(text, start, end, all_day):
    item = p(text)
    assert (iso(item.start), iso(item.end), item.all_day) == (start, end, all_day)


# --- backwards ranges ask; words that only look like ranges stay what they are ----------------------

@pytest.mark.parametrize("text", [
    "Trip from June 10 2027 to May 2 2027",
    "Course from 2029 to 2027",
    "Audit from now to 2010-01-01",
    "Exhibition from 2027-06-10 to 2027-05-02",
])
def test_a_range_that_runs_backwards_is_asked_about(text):
    item = p(text)
    assert item.needs_clarification
    assert item.start is None


@pytest.mark.parametrize("text, start", [
    ("Talk to Bob today", "2026-03-10"),
    ("Drive from Berlin to Munich on Friday", "2026-03-13"),
    ("Send the report to Anna tomorrow", "2026-03-11"),
])
def test_a_to_between_words_is_no_range(text, start):
    assert iso(p(text).start).startswith(start)


def test_from_a_count_is_no_time():
    assert p("email from 3 clients").start is None
