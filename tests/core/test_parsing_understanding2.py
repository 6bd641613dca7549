"""Issue 10 ("Understanding II"), pinned one rule at a time: typos and shorthand, names that are
words, the range/anchor grammar, elapsed vs wall time, zones on repeating items, edits as
operations, queries with a window, several items per message, titles, colloquial German/Russian."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistant.core.item import Kind
from assistant.core.parsing import apply_edit, parse, parse_all
from assistant.core.parsing.fuzzy import within_one
from assistant.core.parsing.lexicons import LEXICONS
from assistant.core.recurrence import occurrences, series_zone

NOW = datetime.fromisoformat("2026-03-10T09:00:00+01:00")   # a Tuesday
TZ = "Europe/Berlin"
BERLIN = ZoneInfo(TZ)


def p(text, now=NOW):
    return parse(text, now, TZ)


def iso(value):
    return value.isoformat() if value is not None else None


# --- typos and shorthand -----------------------------------------------------------------------

@pytest.mark.parametrize("word, meant", [
    ("thrusday", "thursday"), ("wednsday", "wednesday"), ("evning", "evening"), ("munday", "monday"),
    ("reminde", "remind"), ("nxt", "next"), ("2morrow", "tomorrow"), ("remnd", "remind"),
    ("anythng", "anything"), ("wk", "week"), ("calender", "calendar"),
])
def test_tolerant_lookup_finds_the_word(word, meant):
    assert LEXICONS["en"].tolerant.lookup(word) == meant


@pytest.mark.parametrize("word", ["text", "your", "wine", "mouth", "match", "soon", "plumber", "marc", "tine"])
def test_real_words_and_names_are_not_corrected(word):
    assert LEXICONS["en"].tolerant.lookup(word) is None


def test_damerau_distance_one():
    assert within_one("thrusday", "thursday") and within_one("fridy", "friday") and within_one("evry", "every")
    assert not within_one("mondya", "sunday")


def test_typos_keep_the_users_words_in_the_title():
    item = p("budget mtg tomorow aftrnoon")
    assert item.title == "Budget mtg" and iso(item.start) == "2026-03-11T15:00:00+01:00"


# --- names that are words ----------------------------------------------------------------------

@pytest.mark.parametrize("text, people", [
    ("Lunch with Jan tomorrow at 1", ["Jan"]),
    ("coffee with mark and jen friday 10am", ["Mark", "Jen"]),
    ("Meeting with May and Bill on Thursday at 11", ["May", "Bill"]),
    ("Call Will at 4pm", ["Will"]),
    ("doctor patel on wednesday at 9:30", ["Doctor Patel"]),
])
def test_names_that_are_words(text, people):
    assert p(text).attendees == people


def test_a_month_before_a_day_stays_a_month():
    item = p("Jan 5 dentist at 10")
    assert item.attendees == [] and iso(item.start) == "2027-01-05T10:00:00+01:00"


# --- ranges and anchors ------------------------------------------------------------------------

@pytest.mark.parametrize("text, start, end", [
    ("Offsite next week Wednesday to Friday", "2026-03-18", "2026-03-21"),
    ("Painters here Monday through Wednesday next week", "2026-03-16", "2026-03-19"),
    ("Holiday from 1 to 5 June", "2026-06-01", "2026-06-06"),
    ("Trip Aug 10 - Nov 12, 2027", "2027-08-10", "2027-11-13"),
])
def test_date_ranges(text, start, end):
    item = p(text)
    assert (iso(item.start), iso(item.end), item.all_day) == (start, end, True)


@pytest.mark.parametrize("text, start", [
    ("Dinner a week from friday at 7pm", "2026-03-20T19:00:00+01:00"),
    ("Checkup 3 fridays from now", "2026-03-27"),
    ("Meeting two weeks from tomorrow at 10", "2026-03-25T10:00:00+01:00"),
    ("Book club on the second Thursday of April at 7pm", "2026-04-09T19:00:00+02:00"),
    ("Planning on the third Wednesday of next month", "2026-04-15"),
    ("Standup tomorrow at a quarter to noon", "2026-03-11T11:45:00+01:00"),
    ("Call with Ivan at 15 minutes past 3pm tomorrow", "2026-03-11T15:15:00+01:00"),
    ("Workshop wed 10 for 3 hrs", "2026-03-11T10:00:00+01:00"),
    ("dinner friday after next", "2026-03-20"),
    ("drinks 8 this evening", "2026-03-10T20:00:00+01:00"),
    ("Rent 20 of next month", "2026-04-20"),
    ("Meeting 2026-03-12T14:30:00Z", "2026-03-12T15:30:00+01:00"),
])
def test_anchored_dates_and_times(text, start):
    assert iso(p(text).start) == start


def test_last_day_of_the_month_and_of_every_month():
    assert iso(p("Pay the invoice on the last day of the month").start) == "2026-03-31T09:00:00+02:00"
    every = p("Submit timesheet on the last day of every month")
    assert every.recurrence == "FREQ=MONTHLY;BYMONTHDAY=-1" and every.start.day == 31


def test_until_end_of_a_month_includes_its_last_day():
    assert p("Yoga every Tuesday at 6pm until end of April").recurrence == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260430T215959Z"


def test_until_a_month_ends_the_series_before_that_month_starts():
    item = p("Team sync every other Thursday until June at 10")
    assert item.title == "Team sync"
    assert item.recurrence == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20260531T215959Z"
    last = list(occurrences(item.recurrence, item.start, item.end - item.start, datetime(2026, 3, 10, tzinfo=BERLIN),
                            datetime(2026, 12, 31, tzinfo=BERLIN), BERLIN))[-1][0]
    assert last.date() == date(2026, 5, 21)          # every other Thursday from March 12
    assert "june" not in p("every other Thursday until June at 10").title.lower()
    assert p("Yoga every Tuesday until June").recurrence == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260531"
    august = datetime.fromisoformat("2026-08-10T09:00:00+02:00")
    assert p("Yoga every Tuesday at 6pm until June", august).recurrence.endswith("UNTIL=20270531T215959Z")


@pytest.mark.parametrize("text, until", [
    ("Standup daily at 9 until the 15th", "20260315T225959Z"),
    ("Standup every day at 9 until Friday", "20260313T225959Z"),
    ("Gym every Monday at 7am until May 3", "20260503T215959Z"),
])
def test_until_a_day_includes_that_day(text, until):
    item = p(text)
    assert item.recurrence.endswith(f";UNTIL={until}") and "until" not in item.title.lower()


def test_past_days_for_queries():
    assert iso(p("what did I have the day before yesterday?").start) == "2026-03-08"
    assert iso(p("what was on my calendar a week ago").start) == "2026-03-03"


def test_room_numbers_are_places():
    item = p("Design review tomorrow 3-4pm in room 2.14")
    assert item.location == "room 2.14" and iso(item.start) == "2026-03-11T15:00:00+01:00"
    assert not item.needs_clarification


def test_departs_and_arrives_read_as_the_morning():
    item = p("flight departs Friday 6:40 arrives 9:15")
    assert (iso(item.start), iso(item.end)) == ("2026-03-13T06:40:00+01:00", "2026-03-13T09:15:00+01:00")
    assert iso(p("dinner 6-9 tomorrow").start) == "2026-03-11T18:00:00+01:00"


def test_offsets_in_hours_are_elapsed_and_days_keep_the_wall_clock():
    before_switch = datetime.fromisoformat("2026-03-28T23:00:00+01:00")
    assert iso(p("Remind me in 6 hours to take the pills", before_switch).start) == "2026-03-29T06:00:00+02:00"
    assert iso(p("Call tomorrow at 23:00", before_switch).start) == "2026-03-29T23:00:00+02:00"


# --- zones on repeating items ------------------------------------------------------------------

def test_a_series_in_another_zone_repeats_there():
    item = p("weekly call every Monday at 10am New York time")
    assert (iso(item.start), item.recurrence, item.original_tz) == (
        "2026-03-16T15:00:00+01:00", "FREQ=WEEKLY;BYDAY=MO", "America/New_York")
    zone = series_zone(item.original_tz, BERLIN, item.start)
    got = [s.astimezone(BERLIN).hour for s, _ in occurrences(
        item.recurrence, item.start, item.end - item.start, datetime(2026, 3, 10, tzinfo=BERLIN),
        datetime(2026, 4, 10, tzinfo=BERLIN), zone)]
    assert got == [15, 15, 16, 16]      # 10:00 in New York on both sides of Europe's switch


def test_a_series_whose_day_differs_in_the_owners_zone():
    item = p("Sync every Monday at 8am Sydney time")
    assert iso(item.start) == "2026-03-15T22:00:00+01:00"       # Sunday evening in Berlin
    assert item.recurrence == "FREQ=WEEKLY;BYDAY=MO" and item.original_tz == "Australia/Sydney"


def test_series_zone_falls_back():
    assert series_zone(None, BERLIN) is BERLIN and series_zone("Nowhere/Else", BERLIN) is BERLIN
    assert series_zone("America/New_York", BERLIN, date(2026, 3, 10)) is BERLIN


# --- edits -------------------------------------------------------------------------------------

@pytest.fixture
def lunch():
    return parse("Lunch with Anna on Friday at 1pm", NOW, TZ)


def edit(item, text):
    return apply_edit(item, text, NOW, TZ)


@pytest.mark.parametrize("reply, start, end", [
    ("an hour later", "2026-03-13T14:00:00+01:00", "2026-03-13T15:00:00+01:00"),
    ("push it by 30 minutes", "2026-03-13T13:30:00+01:00", "2026-03-13T14:30:00+01:00"),
    ("30 minutes earlier", "2026-03-13T12:30:00+01:00", "2026-03-13T13:30:00+01:00"),
    ("bring it forward 15 min", "2026-03-13T12:45:00+01:00", "2026-03-13T13:45:00+01:00"),
    ("make it 30 min longer", "2026-03-13T13:00:00+01:00", "2026-03-13T14:30:00+01:00"),
    ("make it 15 minutes shorter", "2026-03-13T13:00:00+01:00", "2026-03-13T13:45:00+01:00"),
    ("change the time to 11", "2026-03-13T11:00:00+01:00", "2026-03-13T12:00:00+01:00"),
    ("4:30 instead", "2026-03-13T16:30:00+01:00", "2026-03-13T17:30:00+01:00"),
    ("move it to the day after", "2026-03-14T13:00:00+01:00", "2026-03-14T14:00:00+01:00"),
    ("next week same time", "2026-03-20T13:00:00+01:00", "2026-03-20T14:00:00+01:00"),
    ("a day later", "2026-03-14T13:00:00+01:00", "2026-03-14T14:00:00+01:00"),
])
def test_shifts_and_stretches_work_from_the_items_own_times(lunch, reply, start, end):
    got = edit(lunch, reply)
    assert got is not None and got.id == lunch.id
    assert (iso(got.start), iso(got.end)) == (start, end)


def test_a_shift_across_the_clock_change_is_elapsed():
    item = parse("Call on March 29 at 1:30am", NOW, TZ)          # clocks go forward at 02:00
    assert iso(edit(item, "2 hours later").start) == "2026-03-29T04:30:00+02:00"


@pytest.mark.parametrize("reply, people, title", [
    ("with Boris too", ["Anna", "Boris"], "Lunch with Anna"),
    ("Sam is coming too", ["Anna", "Sam"], "Lunch with Anna"),
    ("add Kim and Lou", ["Anna", "Kim", "Lou"], "Lunch with Anna"),
    ("without Anna", [], "Lunch"),                       # the title no longer names who left
    ("Anna can't make it", [], "Lunch"),
    ("not Anna, Bill", ["Bill"], "Lunch with Bill"),
    ("replace Anna with Kate", ["Kate"], "Lunch with Kate"),
])
def test_people_edits(lunch, reply, people, title):
    got = edit(lunch, reply)
    assert (got.attendees, got.title) == (people, title)


def test_kind_and_repeat_edits(lunch):
    reminder = edit(lunch, "make it a reminder")
    assert reminder.kind == Kind.REMINDER and reminder.end is None and reminder.start == lunch.start
    assert edit(lunch, "make it weekly").recurrence == "FREQ=WEEKLY;BYDAY=FR"


@pytest.mark.parametrize("reply", ["sounds good, thanks", "ok", "hmm let me think about it", "no longer"])
def test_chatter_never_changes_the_item(lunch, reply):
    assert edit(lunch, reply) is None


# --- queries with a window ---------------------------------------------------------------------

@pytest.mark.parametrize("text, kind, start, end", [
    ("am I free on Friday afternoon?", Kind.QUERY, "2026-03-13T12:00:00+01:00", "2026-03-13T18:00:00+01:00"),
    ("anything scheduled for the weekend?", Kind.QUERY, "2026-03-14", "2026-03-16"),
    ("busy on Monday?", Kind.QUERY, "2026-03-16", "2026-03-17"),
    ("find 2 hours next week", Kind.FIND_TIME, "2026-03-16", "2026-03-23"),
    ("next week?", Kind.QUERY, "2026-03-16", "2026-03-23"),
])
def test_queries_have_their_window(text, kind, start, end):
    item = p(text)
    assert (item.kind, iso(item.start), iso(item.end)) == (kind, start, end)


def test_when_is_x_is_a_query_without_a_window():
    item = p("when is the dentist?")
    assert (item.kind, item.title, item.start) == (Kind.QUERY, "Dentist", None)
    assert p("find 2 hours next week").duration_minutes == 120


# --- several items -----------------------------------------------------------------------------

def test_several_items_in_text_order():
    items = parse_all("Lunch with Anna tomorrow at 1pm. Also remind me to buy a gift for her.", NOW, TZ)
    assert [i.kind for i in items] == [Kind.EVENT, Kind.REMINDER]
    assert items[1].title == "Buy a gift for her"
    assert parse("Lunch with Anna tomorrow at 1pm. Also remind me to buy a gift for her.", NOW, TZ).kind == Kind.EVENT


@pytest.mark.parametrize("text, second", [
    ("Dentist Friday at 9 and remind me an hour before", "2026-03-13T08:00:00+01:00"),
    ("Call with Boris Monday 10am. Remind me the same day at 8 to prepare", "2026-03-16T08:00:00+01:00"),
    ("Haircut Saturday at 11 and remind me the day before to confirm", "2026-03-13T09:00:00+01:00"),
    ("Gym at 7am tomorrow, then lunch with Tom at 1pm", "2026-03-11T13:00:00+01:00"),
])
def test_later_items_point_back_at_the_first(text, second):
    items = parse_all(text, NOW, TZ)
    assert len(items) == 2 and iso(items[1].start) == second


@pytest.mark.parametrize("text", [
    "Lunch with Sarah and Tom tomorrow at 1",
    "Remind me to call Anna and Boris tomorrow at 10",
    "Gym every Monday and Thursday at 7am",
    "Are you free Thursday at 2pm? I'd like to go over the budget. Let me know by Monday.",
    "Hi! Could we meet on Thursday at 10:30 to go over the contract? Best, Mark",
    "Meet J. Smith at 5pm tomorrow",
])
def test_one_request_stays_one_item(text):
    assert len(parse_all(text, NOW, TZ)) == 1


# --- titles ------------------------------------------------------------------------------------

def test_a_time_alone_asks_what_it_is_and_the_answer_names_it():
    item = p("tomorrow 9am")
    assert item.needs_clarification and item.question == "What is it?"
    assert iso(item.start) == "2026-03-11T09:00:00+01:00"
    named = edit(item, "dentist")
    assert (named.title, named.needs_clarification, named.start) == ("Dentist", False, item.start)


def test_a_long_title_is_capped_and_the_rest_kept():
    words = "Planning session for the new product launch with the whole marketing department " * 6
    item = p(words + "on Thursday at 10")
    assert len(item.title) <= 80 and item.title.endswith("…")
    assert item.body and item.body.startswith("Planning session") and len(item.body) > 300


# --- German and Russian ------------------------------------------------------------------------

@pytest.mark.parametrize("text, start, end", [
    ("zahnarzt morgen 9", "2026-03-11T09:00:00+01:00", "2026-03-11T10:00:00+01:00"),
    ("Urlaub vom 1. bis 10. April", "2026-04-01", "2026-04-11"),
    ("Friseur am Samstag um halb 11", "2026-03-14T10:30:00+01:00", "2026-03-14T11:30:00+01:00"),
    ("отпуск с 1 по 10 апреля", "2026-04-01", "2026-04-11"),
])
def test_colloquial_german_and_russian(text, start, end):
    item = p(text)
    assert (iso(item.start), iso(item.end)) == (start, end)


def test_a_german_appointment_at_the_doctors_has_no_location():
    item = p("Termin beim Arzt am 20.03.")
    assert item.location is None and iso(item.start) == "2026-03-20"
