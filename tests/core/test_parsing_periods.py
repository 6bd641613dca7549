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
    """The period read: start/end, or for an event said only by a period the one it asks a day in."""
    d = got(text, now)
    if d["within"]:
        assert d["start"] is None and d["needs_clarification"], d
        return d["within"][0], d["within"][1]
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
    # from today: "within", "in the next", "over the next"
    ("what do I have in the next 3 days", "2026-03-10", "2026-03-13"),
    ("anything within 2 weeks?", "2026-03-10", "2026-03-24"),
    ("what's on over the next two weeks", "2026-03-10", "2026-03-24"),
    ("what's on in the coming two quarters", "2026-03-10", "2026-09-10"),
    # whole units after the current one
    ("what's on the next few days", "2026-03-11", "2026-03-14"),
    ("next 3 days", "2026-03-11", "2026-03-14"),
    ("what do I have the next three weeks", "2026-03-16", "2026-04-06"),
    ("what do I have 2 upcoming weeks", "2026-03-16", "2026-03-30"),
    ("what's on the upcoming two months", "2026-04-01", "2026-06-01"),
    ("show me the next 3 months", "2026-04-01", "2026-07-01"),
    ("plans for the following 2 quarters?", "2026-04-01", "2026-10-01"),
    ("what's on the next two years", "2027-01-01", "2029-01-01"),
    # whole units before the current one
    ("what did I do the last 2 weeks", "2026-02-23", "2026-03-09"),
    ("what did I do in the past two weeks", "2026-02-23", "2026-03-09"),
    ("what did I have the past 2 months", "2026-01-01", "2026-03-01"),
    ("what happened in the past three days", "2026-03-07", "2026-03-10"),
    ("what happened over the last 2 years", "2024-01-01", "2026-01-01"),
    ("previous 3 quarters", "2025-04-01", "2026-01-01"),
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
    assert (d["start"], d["end"]) == (None, None)          # never a guessed day: the period waits
    assert d["within"] == [start, end]
    assert d["needs_clarification"] is True
    if question:
        assert d["question"] == question
    else:
        assert d["question"].startswith("Which day")


def test_a_reminder_said_only_by_a_period_keeps_its_first_morning_and_asks():
    d = got("Remind me in April to renew the passport")
    assert d["kind"] == "reminder" and d["title"] == "Renew the passport"
    assert d["start"] is None and d["within"] == ["2026-04-01T09:00:00+02:00", None]
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


def clock_span(text: str, now: datetime) -> tuple[str | None, str | None]:
    d = got(text, now)
    return d["start"], d["end"]


TUE_0925 = TUE + timedelta(minutes=25)


@pytest.mark.parametrize("text, start, end", [
    ("next 3 hours", "2026-03-10T10:00:00+01:00", "2026-03-10T13:00:00+01:00"),
    ("what's on in the next three hours?", "2026-03-10T09:25:00+01:00", "2026-03-10T12:25:00+01:00"),
    ("what did I have in the last 2 hours", "2026-03-10T07:00:00+01:00", "2026-03-10T09:00:00+01:00"),
    ("what happened the past one hour", "2026-03-10T08:00:00+01:00", "2026-03-10T09:00:00+01:00"),
    ("last 15 minutes", "2026-03-10T09:10:00+01:00", "2026-03-10T09:25:00+01:00"),
    ("the next 10 minutes", "2026-03-10T09:26:00+01:00", "2026-03-10T09:36:00+01:00"),
])
def test_windows_shorter_than_a_day_are_whole_units(text, start, end):
    assert clock_span(text, TUE_0925) == (start, end)


def test_within_hours_stays_elapsed_time():
    d = got("Remind me within 2 hours to call Anna")
    assert d["kind"] == "reminder" and d["start"] == "2026-03-10T11:00:00+01:00"


@pytest.mark.parametrize("one, other", [
    ("first Monday in the month", "the first Monday of the month"),
    ("the second Friday in the month", "the second Friday of the month"),
    ("last Thursday in the month", "the last Thursday of the month"),
])
def test_in_the_month_is_of_the_month(one, other):
    a, b = got(one), got(other)
    assert (a["start"], a["recurrence"]) == (b["start"], b["recurrence"])
    assert a["start"] is not None


@pytest.mark.parametrize("text, start, end", [
    ("what's on week 31", "2026-07-27", "2026-08-03"),
    ("anything in week 3 of 2027?", "2027-01-18", "2027-01-25"),
    ("what did I have week 27 of last year", "2025-06-30", "2025-07-07"),
    ("what's on in KW 12", "2026-03-16", "2026-03-23"),
    ("KW12", "2026-03-16", "2026-03-23"),
    ("what do I have in cw 10", "2027-03-08", "2027-03-15"),      # this year's is over
    ("what's planned for week 53 of 2026", "2026-12-28", "2027-01-04"),
])
def test_iso_week_numbers(text, start, end):
    assert span(text) == (start, end)


def test_iso_weeks_in_german_and_russian():
    d = parse("Was habe ich in KW 14", TUE, BERLIN, "de").to_dict()
    assert (d["start"], d["end"]) == ("2026-03-30", "2026-04-06")
    d = parse("что у меня неделя 12", TUE, BERLIN, "ru").to_dict()
    assert (d["start"], d["end"]) == ("2026-03-16", "2026-03-23")


@pytest.mark.parametrize("text", [
    "gym 3 times a week 2 hours each",
    "what do I have in 2 weeks",
    "what's on week 54",
])
def test_numbers_near_week_are_not_week_numbers(text):
    d = got(text)
    assert not (d["all_day"] and d["start"] and d["end"]
                and (datetime.fromisoformat(d["end"]) - datetime.fromisoformat(d["start"])).days == 7
                and datetime.fromisoformat(d["start"]).weekday() == 0 and d["start"] != "2026-03-23")


@pytest.mark.parametrize("text, start, end", [
    ("what's on this working week", "2026-03-10", "2026-03-14"),
    ("what do I have the work week", "2026-03-10", "2026-03-14"),
    ("what's on next workweek", "2026-03-16", "2026-03-21"),
    ("what did I do last working week", "2026-03-02", "2026-03-07"),
    ("what do I have the next 4 business days", "2026-03-11", "2026-03-17"),
    ("what did I have the previous 4 business days", "2026-03-04", "2026-03-10"),
    ("anything within 3 business days?", "2026-03-10", "2026-03-14"),
    ("what do I have in 3 business days", "2026-03-13", "2026-03-14"),
    ("what's on 2 working days from now", "2026-03-12", "2026-03-13"),
    ("what's due in 5 business days", "2026-03-17", "2026-03-18"),
    ("what do I have in 4 workdays", "2026-03-16", "2026-03-17"),
])
def test_work_weeks_and_business_days(text, start, end):
    assert span(text) == (start, end)


def test_business_days_from_a_weekend():
    sat = datetime(2026, 3, 14, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    assert span("what do I have in 1 business day", sat) == ("2026-03-16", "2026-03-17")
    assert span("what's on the next 2 business days", sat) == ("2026-03-16", "2026-03-18")
    d = parse("Bericht abgeben in 3 Werktagen", TUE, BERLIN, "de").to_dict()
    assert d["start"] == "2026-03-13"


@pytest.mark.parametrize("text, start, end", [
    ("what happened in the 1990s", "1990-01-01", "2000-01-01"),
    ("what did I do in the nineties", "1990-01-01", "2000-01-01"),
    ("anything from the '90s", "1990-01-01", "2000-01-01"),
    ("what's planned for the twenties", "2020-01-01", "2030-01-01"),   # the latest begun
    ("what's planned for the 2030s", "2030-01-01", "2040-01-01"),
    ("what's on next decade", "2030-01-01", "2040-01-01"),
    ("what did I do last decade", "2010-01-01", "2020-01-01"),
    ("what's left this decade", "2026-03-10", "2030-01-01"),
    ("what's planned for the 21st century", "2000-01-01", "2100-01-01"),
])
def test_decades_and_centuries(text, start, end):
    assert span(text) == (start, end)


@pytest.mark.parametrize("text, start, end", [
    ("what did I have the third month of 2021", "2021-03-01", "2021-04-01"),
    ("what's on the 9th month of next year", "2027-09-01", "2027-10-01"),
    ("what's on the first 2 weeks of 2021", "2021-01-04", "2021-01-18"),
    ("what's on the last 3 weeks of this year", "2026-12-14", "2027-01-04"),   # ISO weeks of 2026
    ("the last four months of 2021", "2021-09-01", "2022-01-01"),
    ("what do I have the last week of this month", "2026-03-23", "2026-03-30"),
    ("anything the last 3 days of May?", "2026-05-29", "2026-06-01"),
    ("what's on the first three days of April", "2026-04-01", "2026-04-04"),
    ("first week of 2015", "2014-12-29", "2015-01-05"),                        # ISO week 1
    ("what was the last week of 2016", "2016-12-26", "2017-01-02"),
])
def test_units_inside_a_month_or_year(text, start, end):
    assert span(text) == (start, end)


@pytest.mark.parametrize("text, start, end", [
    ("what do I have this fortnight", "2026-03-10", "2026-03-24"),
    ("what's on the next fortnight", "2026-03-10", "2026-03-24"),
    ("anything in the next fortnight?", "2026-03-10", "2026-03-24"),
    ("what did I do the past fortnight", "2026-02-24", "2026-03-10"),
    ("next 2 fortnights", "2026-03-16", "2026-04-13"),
])
def test_fortnights(text, start, end):
    assert span(text) == (start, end)


def test_a_fortnights_time_is_fourteen_days_on():
    assert got("Dentist in a fortnight's time")["start"] == "2026-03-24"
    assert got("Dentist in 2 weeks' time")["start"] == "2026-03-24"


@pytest.mark.parametrize("text, start, end", [
    ("what's on this week-end", "2026-03-14", "2026-03-16"),
    ("what do I have this week end", "2026-03-14", "2026-03-16"),
    ("what's on the weekend of Halloween", "2026-10-31", "2026-11-02"),     # a Saturday
    ("what's on the weekend of May 20th", "2026-05-23", "2026-05-25"),      # a Wednesday: the next one
    ("what do I have the weekend of April 7", "2026-04-04", "2026-04-06"),  # a Tuesday: the one before
    ("what's on Labor Day weekend", "2026-09-05", "2026-09-08"),            # Saturday to Monday
    ("anything Easter weekend?", "2026-04-04", "2026-04-06"),
    ("what's on the last week-end of October", "2026-10-24", "2026-10-26"),
])
def test_weekends(text, start, end):
    assert span(text) == (start, end)


def test_a_holiday_noun_is_still_not_a_day():
    d = got("Christmas party")
    assert d["start"] is None and d["needs_clarification"]


@pytest.mark.parametrize("text", ["call me in 90s", "plank for 60s", "timer 90s"])
def test_seconds_written_short_are_not_decades(text):
    d = got(text)
    assert not str(d["start"] or "").startswith("19") and d["end"] != "2000-01-01"


@pytest.mark.parametrize("text, start, end", [
    ("Out of office next 3 days", "2026-03-11", "2026-03-14"),
    ("Offsite over the next two days", "2026-03-10", "2026-03-12"),     # "over the next": from today
])
def test_an_event_said_by_counted_days_is_that_span(text, start, end):
    d = got(text)
    assert d["kind"] == "event" and (d["start"], d["end"], d["all_day"]) == (start, end, True), d
    assert not d["needs_clarification"] and d["within"] is None
