"""Date and time resolution of the offline parser, with fixed clocks (no dev-set texts)."""
from datetime import date, datetime

import pytest

from assistant.core.item import Kind
from assistant.core.parsing import parse

BERLIN = "Europe/Berlin"
TUE = datetime.fromisoformat("2026-03-10T09:00:00+01:00")        # Tuesday
SAT_BEFORE_DST = datetime.fromisoformat("2026-03-28T10:00:00+01:00")  # Berlin DST starts Sun 29th
SUN_AFTER_DST = datetime.fromisoformat("2026-03-29T12:00:00+02:00")
YEAR_END = datetime.fromisoformat("2026-12-30T10:00:00+01:00")    # Wednesday
NY_SAT = datetime.fromisoformat("2026-03-07T12:00:00-05:00")      # New York DST starts Sun 8th


def check(text, now=TUE, tz=BERLIN, **want):
    got = parse(text, now, tz).to_dict()
    for key, value in want.items():
        assert got[key] == value, f"{text!r}: {key} = {got[key]!r}, want {value!r}\n{got}"
    return got


@pytest.mark.parametrize("text, start, end", [
    ("Dinner with Kate on Thursday at 8pm", "2026-03-12T20:00:00+01:00", "2026-03-12T21:00:00+01:00"),
    ("Coffee next Monday at 9:45", "2026-03-16T09:45:00+01:00", "2026-03-16T10:45:00+01:00"),
    ("Call mom on Sunday at 4", "2026-03-15T16:00:00+01:00", "2026-03-15T17:00:00+01:00"),
    ("Team lunch Friday 12:30-13:30", "2026-03-13T12:30:00+01:00", "2026-03-13T13:30:00+01:00"),
    ("Doctor appointment on April 14th at 10:15am", "2026-04-14T10:15:00+02:00", "2026-04-14T11:15:00+02:00"),
    ("dentist fri 2p", "2026-03-13T14:00:00+01:00", "2026-03-13T15:00:00+01:00"),
    ("Lunch with Priya tmrw 1pm", "2026-03-11T13:00:00+01:00", "2026-03-11T14:00:00+01:00"),
    ("Call between 2 and 4 tomorrow", "2026-03-11T14:00:00+01:00", "2026-03-11T16:00:00+01:00"),
    ("Meeting from 10 to 11:30 on Friday", "2026-03-13T10:00:00+01:00", "2026-03-13T11:30:00+01:00"),
    ("Workshop 9am-1pm Saturday", "2026-03-14T09:00:00+01:00", "2026-03-14T13:00:00+01:00"),
    ("Call 11-1pm tomorrow", "2026-03-11T11:00:00+01:00", "2026-03-11T13:00:00+01:00"),
    ("Lunch 12-1 Thursday", "2026-03-12T12:00:00+01:00", "2026-03-12T13:00:00+01:00"),
    ("Meeting 10am to 12pm next Friday", "2026-03-20T10:00:00+01:00", "2026-03-20T12:00:00+01:00"),
    ("Meeting this Friday at 4", "2026-03-13T16:00:00+01:00", "2026-03-13T17:00:00+01:00"),
    ("Meeting this coming Friday at 4", "2026-03-13T16:00:00+01:00", "2026-03-13T17:00:00+01:00"),
    ("Meeting on Friday next week at 4", "2026-03-20T16:00:00+01:00", "2026-03-20T17:00:00+01:00"),
    ("Meeting next week on Thursday at 10", "2026-03-19T10:00:00+01:00", "2026-03-19T11:00:00+01:00"),
    ("Sync on the 5th at 2pm", "2026-04-05T14:00:00+02:00", "2026-04-05T15:00:00+02:00"),
    ("Sync on the 25th at 2pm", "2026-03-25T14:00:00+01:00", "2026-03-25T15:00:00+01:00"),
    ("Haircut on 2nd of April at 11", "2026-04-02T11:00:00+02:00", "2026-04-02T12:00:00+02:00"),
    ("Haircut on the 2nd of April at 11am", "2026-04-02T11:00:00+02:00", "2026-04-02T12:00:00+02:00"),
    ("Call on Monday, March 16 at 9", "2026-03-16T09:00:00+01:00", "2026-03-16T10:00:00+01:00"),
    ("Lunch on Thu 12 March at 1", "2026-03-12T13:00:00+01:00", "2026-03-12T14:00:00+01:00"),
    ("Dentist at 9 on 15.04", "2026-04-15T09:00:00+02:00", "2026-04-15T10:00:00+02:00"),
    ("Party on 24.12. at 19:00", "2026-12-24T19:00:00+01:00", "2026-12-24T20:00:00+01:00"),
    ("Appointment on 04/05 at 3pm", "2026-04-05T15:00:00+02:00", "2026-04-05T16:00:00+02:00"),
    ("Appointment on 13/05 at 3pm", "2026-05-13T15:00:00+02:00", "2026-05-13T16:00:00+02:00"),
    ("Meeting 2026-04-01 14:30", "2026-04-01T14:30:00+02:00", "2026-04-01T15:30:00+02:00"),
    ("Meeting at 3 p.m. on thursday", "2026-03-12T15:00:00+01:00", "2026-03-12T16:00:00+01:00"),
    ("call at 15.00 tomorrow", "2026-03-11T15:00:00+01:00", "2026-03-11T16:00:00+01:00"),
    ("Call the landlord at 10.30", "2026-03-10T10:30:00+01:00", "2026-03-10T11:30:00+01:00"),
    ("Coffee at 5.45 p.m. today", "2026-03-10T17:45:00+01:00", "2026-03-10T18:45:00+01:00"),
    ("meeting at 9 o'clock tomorrow", "2026-03-11T09:00:00+01:00", "2026-03-11T10:00:00+01:00"),
    ("Meeting at midnight", "2026-03-11T00:00:00+01:00", "2026-03-11T01:00:00+01:00"),
    ("Lunch at half twelve", "2026-03-10T12:30:00+01:00", "2026-03-10T13:30:00+01:00"),
    ("Run at quarter past seven tomorrow", "2026-03-11T19:15:00+01:00", "2026-03-11T20:15:00+01:00"),
    ("Call at twenty to five", "2026-03-10T16:40:00+01:00", "2026-03-10T17:40:00+01:00"),
    ("Meeting in 3 hours", "2026-03-10T12:00:00+01:00", "2026-03-10T13:00:00+01:00"),
    ("Call at 6:30 this evening", "2026-03-10T18:30:00+01:00", "2026-03-10T19:30:00+01:00"),
    ("Drinks tonight at 11", "2026-03-10T23:00:00+01:00", "2026-03-11T00:00:00+01:00"),
    ("Dinner at 8 on Saturday", "2026-03-14T20:00:00+01:00", "2026-03-14T21:00:00+01:00"),
    ("Breakfast with Tom at 7 tomorrow", "2026-03-11T07:00:00+01:00", "2026-03-11T08:00:00+01:00"),
    ("Meeting on Friday at 10 for an hour and a half", "2026-03-13T10:00:00+01:00", "2026-03-13T11:30:00+01:00"),
    ("Review Friday 2pm for 1.5 hours", "2026-03-13T14:00:00+01:00", "2026-03-13T15:30:00+01:00"),
    ("Chat Friday 2pm, half an hour", "2026-03-13T14:00:00+01:00", "2026-03-13T14:30:00+01:00"),
    ("Workshop Monday 10-12", "2026-03-16T10:00:00+01:00", "2026-03-16T12:00:00+01:00"),
])
def test_timed_events(text, start, end):
    check(text, kind="event", start=start, end=end, all_day=False)


@pytest.mark.parametrize("text, start, end", [
    ("Haircut on April 2nd", "2026-04-02", "2026-04-03"),
    ("Workshop in Berlin from April 7 to 9", "2026-04-07", "2026-04-10"),
    ("Offsite from May 4 to May 6", "2026-05-04", "2026-05-07"),
    ("Trip to Paris March 28-31", "2026-03-28", "2026-04-01"),
    ("Dentist the day after tomorrow", "2026-03-12", "2026-03-13"),
    ("Dentist in 5 days", "2026-03-15", "2026-03-16"),
    ("Team offsite in 3 weeks", "2026-03-31", "2026-04-01"),
    ("Report due end of month", "2026-03-31", "2026-04-01"),
    ("Holiday from Monday to Wednesday", "2026-03-16", "2026-03-19"),
])
def test_all_day_events(text, start, end):
    check(text, kind="event", start=start, end=end, all_day=True)


@pytest.mark.parametrize("text, question_word", [
    ("Review on 31.04", "April"),
    ("Call on June 31st", "June"),
    ("Meeting on 2/29", "February"),
    ("Lunch on April 31 at noon", "April"),
])
def test_impossible_dates_ask(text, question_word):
    got = check(text, needs_clarification=True, start=None)
    assert question_word in got["question"]


def test_missing_date_asks_for_an_event():
    got = check("Lunch with Anna", kind="event", start=None, needs_clarification=True)
    assert got["question"]


def test_period_without_a_day_asks():
    # the week is kept (Monday to Monday) and the day asked for (issue 10)
    check("Trip next week", kind="event", start=None, end=None, within=["2026-03-16", "2026-03-23"],
          needs_clarification=True)


@pytest.mark.parametrize("text, start, end", [
    ("Call tomorrow at 2:30am", "2026-03-29T03:30:00+02:00", "2026-03-29T04:30:00+02:00"),  # DST gap
    ("Night shift tomorrow from 1am to 4am", "2026-03-29T01:00:00+01:00", "2026-03-29T04:00:00+02:00"),
    ("Call tomorrow at 10", "2026-03-29T10:00:00+02:00", "2026-03-29T11:00:00+02:00"),
    ("Party tonight 11pm-2am", "2026-03-28T23:00:00+01:00", "2026-03-29T03:00:00+02:00"),
])
def test_berlin_dst_change(text, start, end):
    check(text, now=SAT_BEFORE_DST, start=start, end=end)


@pytest.mark.parametrize("text, start", [
    ("Brunch tomorrow at 11", "2026-03-08T11:00:00-04:00"),
    ("Call tomorrow at 2:30am", "2026-03-08T03:30:00-04:00"),
    ("Meeting at 3pm London time on Tuesday", "2026-03-10T11:00:00-04:00"),
    ("Call at 9am CET on March 30", "2026-03-30T03:00:00-04:00"),    # Berlin time: CEST by then
])
def test_new_york_owner(text, start):
    check(text, now=NY_SAT, tz="America/New_York", start=start)


@pytest.mark.parametrize("text, start", [
    ("Meeting next Monday at 10", "2027-01-04T10:00:00+01:00"),
    ("Call on the 2nd at 3", "2027-01-02T15:00:00+01:00"),
    ("New year party tomorrow at 9pm", "2026-12-31T21:00:00+01:00"),
    ("Meeting on January 5", "2027-01-05"),
    ("Budget review on December 15", "2027-12-15"),
    ("Dentist in 3 days", "2027-01-02"),
    ("Call on Friday", "2027-01-01"),
])
def test_year_end_wraps(text, start):
    check(text, now=YEAR_END, start=start)


@pytest.mark.parametrize("text, start", [
    ("Meeting next Monday at 10", "2026-03-30T10:00:00+02:00"),
    ("Meeting Monday at 10", "2026-03-30T10:00:00+02:00"),
    ("Brunch this Sunday at 1", "2026-03-29T13:00:00+02:00"),
    ("Brunch Sunday at 1", "2026-04-05T13:00:00+02:00"),
    ("Call at 11", "2026-03-30T11:00:00+02:00"),       # already past today -> tomorrow
    ("Call at 2pm", "2026-03-29T14:00:00+02:00"),
])
def test_sunday_rules(text, start):
    check(text, now=SUN_AFTER_DST, start=start)


@pytest.mark.parametrize("text, start, rule", [
    ("Standup every weekday at 10", "2026-03-10T10:00:00+01:00", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("Yoga every Tuesday and Thursday at 6pm", "2026-03-10T18:00:00+01:00", "FREQ=WEEKLY;BYDAY=TU,TH"),
    ("Piano lesson every Saturday at 11 am", "2026-03-14T11:00:00+01:00", "FREQ=WEEKLY;BYDAY=SA"),
    ("Board meeting every first Monday of the month at 9", "2026-04-06T09:00:00+02:00", "FREQ=MONTHLY;BYDAY=1MO"),
    ("1:1 with Sarah every other Thursday at 2pm", "2026-03-12T14:00:00+01:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
    ("Biweekly sync on Mondays at 10", "2026-03-16T10:00:00+01:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
    ("Retro every 2 weeks on Friday at 4pm", "2026-03-13T16:00:00+01:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
    ("Rent every month on the 1st at 9am", "2026-04-01T09:00:00+02:00", "FREQ=MONTHLY;BYMONTHDAY=1"),
    ("Standup Mondays and Wednesdays at 9:15", "2026-03-11T09:15:00+01:00", "FREQ=WEEKLY;BYDAY=MO,WE"),
    ("Standup Mon, Wed and Fri at 9:15", "2026-03-11T09:15:00+01:00", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
    ("Daily standup at 9:30", "2026-03-10T09:30:00+01:00", "FREQ=DAILY"),
    ("Yoga every weekend at 10am", "2026-03-14T10:00:00+01:00", "FREQ=WEEKLY;BYDAY=SA,SU"),
    ("Pills every evening at 9", "2026-03-10T21:00:00+01:00", "FREQ=DAILY"),
    ("Weekly review every Friday at 4pm until April 30", "2026-03-13T16:00:00+01:00",
     "FREQ=WEEKLY;BYDAY=FR;UNTIL=20260430T215959Z"),
    ("Piano lessons every Tuesday at 5pm for 6 weeks", "2026-03-10T17:00:00+01:00", "FREQ=WEEKLY;BYDAY=TU;COUNT=6"),
    ("Standup every weekday at 9 starting Monday", "2026-03-16T09:00:00+01:00", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("Team sync every Monday at 10 starting April 6", "2026-04-06T10:00:00+02:00", "FREQ=WEEKLY;BYDAY=MO"),
    ("Birthday party for Leo every year on June 5", "2026-06-05", "FREQ=YEARLY"),
])
def test_recurrence(text, start, rule):
    check(text, start=start, recurrence=rule)


def test_interview_with_trailing_length_is_not_recurring():
    check("Interview at 11am on Monday, 30 minutes", recurrence=None, end="2026-03-16T11:30:00+01:00")


@pytest.mark.parametrize("text, start, zone", [
    ("Call with Sam at 10am ET on Friday", "2026-03-13T15:00:00+01:00", "America/New_York"),
    ("Sync at 9am Eastern tomorrow", "2026-03-11T14:00:00+01:00", "America/New_York"),
    ("Interview at 3pm London time on Monday", "2026-03-16T16:00:00+01:00", "Europe/London"),
    ("Demo at 16:00 CET on Thursday", "2026-03-12T16:00:00+01:00", "Europe/Berlin"),
    ("Call at 8am PST next Tuesday", "2026-03-17T16:00:00+01:00", "America/Los_Angeles"),   # on PDT by then
    ("Webinar at 5pm UTC tomorrow", "2026-03-11T18:00:00+01:00", "UTC"),
    ("Standup at 9:30 in New York time on Wednesday", "2026-03-11T14:30:00+01:00", "America/New_York"),
    ("Call at 8am Sydney time Friday", "2026-03-12T22:00:00+01:00", "Australia/Sydney"),
    ("Call at 9am Pacific on April 1", "2026-04-01T18:00:00+02:00", "America/Los_Angeles"),
])
def test_named_zones(text, start, zone):
    check(text, start=start, original_tz=zone)


@pytest.mark.parametrize("text, start, end", [
    ("What do I have on Friday?", "2026-03-13", "2026-03-14"),
    ("What's on my calendar this week?", "2026-03-10", "2026-03-16"),
    ("Do I have anything on Saturday", "2026-03-14", "2026-03-15"),
    ("what's my schedule for next week", "2026-03-16", "2026-03-23"),
    ("What do I have this weekend?", "2026-03-14", "2026-03-16"),
    ("Am I free next weekend", "2026-03-21", "2026-03-23"),
    ("What's happening next month", "2026-04-01", "2026-05-01"),
])
def test_query_periods(text, start, end):
    check(text, kind="query", start=start, end=end, all_day=True)


@pytest.mark.parametrize("text, start, end", [
    ("Am I free tomorrow afternoon?", "2026-03-11T12:00:00+01:00", "2026-03-11T18:00:00+01:00"),
    ("anything on Thursday morning?", "2026-03-12T06:00:00+01:00", "2026-03-12T12:00:00+01:00"),
    ("am I busy tonight", "2026-03-10T18:00:00+01:00", "2026-03-11T00:00:00+01:00"),
])
def test_query_a_part_of_the_day_is_that_window(text, start, end):
    check(text, kind="query", start=start, end=end, all_day=False)


def test_reminders_have_no_end_and_default_to_nine():
    check("Remind me next Monday to renew the insurance", kind="reminder",
          start="2026-03-16T09:00:00+01:00", end=None, all_day=False)
    check("Don't forget to buy milk tomorrow", kind="reminder", start="2026-03-11T09:00:00+01:00")
    check("Remind me in 45 minutes to take the pizza out", start="2026-03-10T09:45:00+01:00", end=None)
    check("Remind me in half an hour to leave", start="2026-03-10T09:30:00+01:00")
    check("Remind me in a week to check the invoice", start="2026-03-17T09:00:00+01:00")


def test_all_day_dates_are_dates():
    item = parse("Haircut on April 2nd", TUE, BERLIN)
    assert item.start == date(2026, 4, 2) and not isinstance(item.start, datetime)
    assert item.end == date(2026, 4, 3)


def test_timed_values_are_aware_in_owner_zone():
    item = parse("Call at 9am Tokyo time on Wednesday", TUE, BERLIN)
    assert item.start.tzinfo is not None and item.start.utcoffset().total_seconds() == 3600
    assert item.kind == Kind.EVENT


def test_every_day_except_weekends_is_weekdays():
    check("Standup at 9:15 every day except weekends", recurrence="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
          start="2026-03-10T09:15:00+01:00")


def test_weekday_range_is_dates_not_a_rule():
    check("Vacation Monday to Friday", start="2026-03-16", end="2026-03-21", recurrence=None)
