"""Spans coarser than a day: months, years, quarters, seasons, weeks and windows of N units.

Now is Tuesday 2026-03-10 09:00 in Berlin. A period asked about (query, cancel, find_time) is an
all-day [start, end); an event or reminder said only by a period keeps it and asks which day.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from assistant.core.parsing import parse
from assistant.core.parsing.edit import apply_edit

BERLIN = "Europe/Berlin"
TUE = datetime(2026, 3, 10, 9, 0, tzinfo=timezone(timedelta(hours=1)))


def got(text: str, now: datetime = TUE) -> dict:
    return parse(text, now, BERLIN).to_dict()


def span(text: str, now: datetime = TUE) -> tuple[str | None, str | None]:
    d = got(text, now)
    return d["start"], d["end"]


@pytest.mark.parametrize("text, start, end", [
    ("What do I have in April?", "2026-04-01", "2026-05-01"),
    ("anything during April", "2026-04-01", "2026-05-01"),
    ("what's on in March", "2026-03-01", "2026-04-01"),          # the current month counts
    ("what's on in February?", "2027-02-01", "2027-03-01"),      # already over: next year's
    ("what do I have next March", "2027-03-01", "2027-04-01"),   # this year's has begun
    ("what do I have next May", "2026-05-01", "2026-06-01"),
    ("show me last May", "2025-05-01", "2025-06-01"),
    ("what's on March after next", "2027-03-01", "2027-04-01"),
    ("anything in October 2027?", "2027-10-01", "2027-11-01"),
    ("what did I have in Oct, 2025", "2025-10-01", "2025-11-01"),
    ("what's on 2027-10", "2027-10-01", "2027-11-01"),
    ("what's on 2027/10", "2027-10-01", "2027-11-01"),
    ("what's on 4/2027", "2027-04-01", "2027-05-01"),
    ("what's on 04/2027", "2027-04-01", "2027-05-01"),
    ("what's on March in a year", "2027-03-01", "2027-04-01"),
])
def test_months(text, start, end):
    assert span(text) == (start, end)


@pytest.mark.parametrize("text, start, end", [
    ("what do I have early April", "2026-04-01", "2026-04-11"),
    ("anything at the beginning of April?", "2026-04-01", "2026-04-11"),
    ("what's on in mid-April", "2026-04-11", "2026-04-21"),
    ("what's on mid April", "2026-04-11", "2026-04-21"),
    ("what do I have late April", "2026-04-21", "2026-05-01"),
    ("what do I have at the start of next month", "2026-04-01", "2026-04-11"),
    ("what's on at the beginning of next week", "2026-03-16", "2026-03-19"),
])
def test_early_mid_late(text, start, end):
    assert span(text) == (start, end)


@pytest.mark.parametrize("text, day", [
    ("what's on the end of April", "2026-04-30"),
    ("what do I have at the end of the year", "2026-12-31"),
    ("what's on at the end of 2027", "2027-12-31"),
    ("what's due EOY", "2026-12-31"),
    ("what's due EOM", "2026-03-31"),
    ("what do I have on the 20th of the current month", "2026-03-20"),
    ("what's on the last day in October 2027", "2027-10-31"),
    ("what's on the fifth last day of May", "2026-05-27"),
    ("anything the second last day of the month?", "2026-03-30"),
    ("what did I have at the end of last week", "2026-03-06"),
])
def test_single_days_named_by_a_period(text, day):
    start, end = span(text)
    assert start == day
    assert end == (datetime.fromisoformat(day) + timedelta(days=1)).date().isoformat()


@pytest.mark.parametrize("text, start, end", [
    ("what did I do in 2025", "2025-01-01", "2026-01-01"),
    ("anything during 2027?", "2027-01-01", "2028-01-01"),
    ("what's on in the year 2027", "2027-01-01", "2028-01-01"),
    ("2027", "2027-01-01", "2028-01-01"),
    ("what happened last year", "2025-01-01", "2026-01-01"),
    ("what do I have next year", "2027-01-01", "2028-01-01"),
    ("what's left this year", "2026-03-10", "2027-01-01"),
    ("what's on the rest of the year", "2026-03-10", "2027-01-01"),
    ("what do I have at the beginning of the year", "2026-01-01", "2026-05-01"),
    ("what's on in early 2027", "2027-01-01", "2027-05-01"),
    ("what's on in late 2026", "2026-09-01", "2027-01-01"),
])
def test_years(text, start, end):
    assert span(text) == (start, end)


@pytest.mark.parametrize("text, start, end", [
    ("what do I have this quarter", "2026-03-10", "2026-04-01"),
    ("what's on next quarter", "2026-04-01", "2026-07-01"),
    ("anything next qtr?", "2026-04-01", "2026-07-01"),
    ("what did I have last quarter", "2025-10-01", "2026-01-01"),
    ("what's on in the third quarter", "2026-07-01", "2026-10-01"),
    ("anything in Q3?", "2026-07-01", "2026-10-01"),
    ("what's on in Q4 2027", "2027-10-01", "2028-01-01"),
    ("what's planned for 2027Q2", "2027-04-01", "2027-07-01"),
    ("what's planned for 27q2", "2027-04-01", "2027-07-01"),
    ("what was in the 4th quarter of 2025", "2025-10-01", "2026-01-01"),
    ("what's on in Q1", "2026-01-01", "2026-04-01"),             # not over yet: this year's
])
def test_quarters(text, start, end):
    assert span(text) == (start, end)


@pytest.mark.parametrize("text, start, end", [
    ("what do I have this summer", "2026-06-21", "2026-09-23"),
    ("anything in the summer?", "2026-06-21", "2026-09-23"),
    ("what's on in the fall", "2026-09-23", "2026-12-21"),
    ("what's on next autumn", "2026-09-23", "2026-12-21"),
    ("what did I have last winter", "2024-12-21", "2025-03-20"),
    ("what do I have this winter", "2025-12-21", "2026-03-20"),  # the one under way, named: all of it
    ("anything next winter", "2026-12-21", "2027-03-20"),
    ("what's on next spring", "2026-03-20", "2026-06-21"),
    ("what do I have in summer 2027", "2027-06-21", "2027-09-23"),
    ("what's on next season", "2026-03-20", "2026-06-21"),
    ("what did I have last season", "2025-09-23", "2025-12-21"),
])
def test_seasons(text, start, end):
    assert span(text) == (start, end)


@pytest.mark.parametrize("text, start, end", [
    ("what do I have this week", "2026-03-10", "2026-03-16"),
    ("what do I have for the week", "2026-03-10", "2026-03-16"),
    ("what's on the rest of the week", "2026-03-10", "2026-03-16"),
    ("am I busy all week?", "2026-03-09", "2026-03-16"),
    ("am I busy the whole of next week", "2026-03-16", "2026-03-23"),
    ("what did I do last week", "2026-03-02", "2026-03-09"),
    ("what did I do the past week", "2026-03-02", "2026-03-09"),
    ("what happened this past weekend", "2026-03-07", "2026-03-09"),
    ("what's on the first week of April 2026", "2026-04-06", "2026-04-13"),
    ("what's on the last week of September 2026", "2026-09-21", "2026-09-28"),
    ("the second last week of October 2026", "2026-10-12", "2026-10-19"),   # whole weeks inside it
    ("what do I have the week of March 25", "2026-03-23", "2026-03-30"),
    ("what's on the last weekend of October", "2026-10-24", "2026-10-26"),
    ("anything the first weekend in May?", "2026-05-02", "2026-05-04"),
])
def test_weeks(text, start, end):
    assert span(text) == (start, end)


@pytest.mark.parametrize("text, start, end", [
    ("what do I have in the next 3 days", "2026-03-10", "2026-03-13"),
    ("what's on the next few days", "2026-03-10", "2026-03-13"),
    ("anything within 2 weeks?", "2026-03-10", "2026-03-24"),
    ("what's on over the next two weeks", "2026-03-10", "2026-03-24"),
    ("what's on the upcoming two months", "2026-03-10", "2026-05-10"),
    ("what do I have 2 upcoming weeks", "2026-03-10", "2026-03-24"),
    ("what's on in the coming two quarters", "2026-03-10", "2026-09-10"),
    ("what did I do the last 2 weeks", "2026-02-24", "2026-03-10"),
    ("what did I have the past 2 months", "2026-01-10", "2026-03-10"),
    ("what happened in the past three days", "2026-03-07", "2026-03-10"),
])
def test_windows_of_n_units(text, start, end):
    assert span(text) == (start, end)


@pytest.mark.parametrize("text, start, end, question", [
    ("Trip to Rome in April", "2026-04-01", "2026-05-01", "Which day in April?"),
    ("Dentist sometime next month", "2026-04-01", "2026-05-01", "Which day that month?"),
    ("Ski trip next winter", "2026-12-21", "2027-03-20", "Which day in the winter?"),
    ("Team offsite in Q3", "2026-07-01", "2026-10-01", "Which day in Q3?"),
    ("Conference 2026-06", "2026-06-01", "2026-07-01", None),
    ("Visit grandma next week", "2026-03-16", "2026-03-23", "Which day that week?"),
    ("Book club in March", "2026-03-10", "2026-04-01", "Which day in March?"),   # from today on
])
def test_an_event_said_only_by_a_period_keeps_it_and_asks_the_day(text, start, end, question):
    d = got(text)
    assert d["kind"] == "event"
    assert (d["start"], d["end"], d["all_day"]) == (start, end, True)
    assert d["needs_clarification"] is True
    if question:
        assert d["question"] == question
    else:
        assert d["question"].startswith("Which day")


def test_a_reminder_said_only_by_a_period_keeps_its_first_morning_and_asks():
    d = got("Remind me in April to renew the passport")
    assert d["kind"] == "reminder" and d["title"] == "Renew the passport"
    assert d["start"] == "2026-04-01T09:00:00+02:00" and d["end"] is None
    assert d["needs_clarification"] is True and d["question"] == "Which day in April?"


@pytest.mark.parametrize("request_text, reply, start, end", [
    ("Trip to Rome in April", "the 14th", "2026-04-14", "2026-04-15"),
    ("Trip to Rome in April", "April 20", "2026-04-20", "2026-04-21"),
    ("Trip to Rome in April", "on the 3rd at 3pm", "2026-04-03T15:00:00+02:00", "2026-04-03T16:00:00+02:00"),
    ("Dentist sometime next week", "Thursday", "2026-03-19", "2026-03-20"),
    ("Dentist sometime next week", "thursday at 10", "2026-03-19T10:00:00+01:00", "2026-03-19T11:00:00+01:00"),
    ("Book club in March", "the 14th", "2026-03-14", "2026-03-15"),
])
def test_the_answer_to_which_day_lands_inside_the_period(request_text, reply, start, end):
    item = parse(request_text, TUE, BERLIN)
    edited = apply_edit(item, reply, TUE, BERLIN)
    assert edited is not None
    d = edited.to_dict()
    assert (d["start"], d["end"], d["needs_clarification"]) == (start, end, False)


def test_an_edit_that_names_no_day_keeps_asking():
    item = parse("Trip to Rome in April", TUE, BERLIN)
    edited = apply_edit(item, "add Anna", TUE, BERLIN)
    assert edited is not None and edited.attendees == ["Anna"]
    assert edited.needs_clarification and edited.question == "Which day in April?"


def test_cancel_and_find_time_use_the_period():
    assert span("cancel everything next week") == ("2026-03-16", "2026-03-23")
    assert span("cancel all meetings in April") == ("2026-04-01", "2026-05-01")
    d = got("find 2 hours in April for a call with Anna")
    assert (d["kind"], d["start"], d["end"], d["duration_minutes"]) == ("find_time", "2026-04-01", "2026-05-01", 120)


@pytest.mark.parametrize("text, start", [
    ("Meet May tomorrow", "2026-03-11"),
    ("Lunch with May on Friday", "2026-03-13"),
    ("Call April tomorrow", "2026-03-11"),
    ("march to the office at 9", "2026-03-11T09:00:00+01:00"),
    ("Spring cleaning on Saturday", "2026-03-14"),
    ("Meeting in room 2.14 tomorrow", "2026-03-11"),
])
def test_words_that_only_look_like_periods(text, start):
    d = got(text)
    assert d["start"] == start
    assert not d["needs_clarification"] or d["question"] == "What is it?"


@pytest.mark.parametrize("text", [
    "Apartment at 1974 Main Street",
    "price 2025 euros",
    "call 555-1974",
    "room 2014",
    "order #2026 shipped",
])
def test_numbers_that_are_not_years(text):
    d = got(text)
    assert d["start"] is None or not str(d["start"]).endswith("-01-01")


def test_a_bare_month_name_as_a_name_stays_in_the_title():
    d = got("Dinner with May and June at 7")
    assert d["start"] == "2026-03-10T19:00:00+01:00"
    assert "May" in d["attendees"] and "June" in d["attendees"]
