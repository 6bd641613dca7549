"""Written dates and weekday phrases: numeric and mixed forms, a weekday said with a date, and
weekdays tied to weeks or other dates. The clock is Tuesday 2026-03-10 09:00 in Berlin."""
from datetime import datetime

import pytest

from assistant.core.parsing import parse

BERLIN = "Europe/Berlin"
TUE = datetime.fromisoformat("2026-03-10T09:00:00+01:00")


def got(text: str, now: datetime = TUE) -> dict:
    return parse(text, now, BERLIN).to_dict()


def check(text: str, start: str, clarify: bool | None = None, now: datetime = TUE) -> dict:
    item = got(text, now)
    assert item["start"] == start, f"{text!r}: start {item['start']!r}, want {start!r}\n{item}"
    if clarify is not None:
        assert item["needs_clarification"] is clarify, f"{text!r}: {item}"
    return item


@pytest.mark.parametrize("text, start", [
    ("Dentist 4 / 15", "2026-04-15"),
    ("dentist on 4/15", "2026-04-15"),
    ("Party 10-31-26", "2026-10-31"),
    ("Party 31-10-2026", "2026-10-31"),
    ("Exam 10.31.2026", "2026-10-31"),
    ("Exam 31.10.2026", "2026-10-31"),
    ("Launch 2027/1/13", "2027-01-13"),
    ("Launch 2027/13/1", "2027-01-13"),
])
def test_numeric_dates(text, start):
    check(text, start)


@pytest.mark.parametrize("text, start", [
    ("Flight 31/Oct/2026", "2026-10-31"),
    ("Flight 31-Oct-26", "2026-10-31"),
    ("Flight 2026/Oct/31", "2026-10-31"),
    ("flight Oct-31-2026", "2026-10-31"),
    ("Flight 31-oct", "2026-10-31"),
    ("Review 2026 October 31", "2026-10-31"),
    ("review 2027, March the 3rd", "2027-03-03"),
    ("Dinner 14april 2027", "2027-04-14"),
    ("dinner 14Apr", "2026-04-14"),
    ("Visit Apr14", "2026-04-14"),
    ("Trip 14th April 27", "2027-04-14"),
    ("trip on the 3rd of May 28", "2028-05-03"),
])
def test_dates_with_month_names_and_separators(text, start):
    check(text, start)


@pytest.mark.parametrize("text, start", [
    ("Lunch twenty-fourth of March", "2026-03-24"),
    ("lunch March the twenty-fourth", "2026-03-24"),
    ("Call May the first", "2026-05-01"),
    ("call the third of June", "2026-06-03"),
    ("Dentist the 24", "2026-03-24"),
    ("dentist on the 24 at 3pm", "2026-03-24T15:00:00+01:00"),
    ("Dentist the 24th", "2026-03-24"),
    ("Haircut the 8", "2026-04-08"),                # the 8th has passed this month
    ("Toga party on the ides of March", "2026-03-15"),
    ("the ides of May: senate", "2026-05-15"),
    ("Review the ides of April", "2026-04-13"),
])
def test_ordinal_and_spoken_days(text, start):
    check(text, start)


def test_iso_with_seconds_fraction_and_offset_is_converted():
    check("Sync 2026-05-07T23:45:00.487+01:00", "2026-05-08T00:45:00+02:00")


@pytest.mark.parametrize("text", [
    "Score was 2-1 at halftime",
    "Meet in room 2.14",
    "call 1-800-555-1234",
    "We need the 3 of us",
    "sit in the sun",
    "I sat down",
])
def test_numbers_and_words_that_are_not_dates(text):
    item = got(text)
    assert item["all_day"] is False or item["start"] is None, item


@pytest.mark.parametrize("text, start", [
    ("version 1.2.3 release tomorrow", "2026-03-11"),
    ("Ship 3 of them tomorrow", "2026-03-11"),
    ("Sunbathing in the sun tomorrow", "2026-03-11"),
])
def test_false_date_words_leave_the_real_date(text, start):
    check(text, start)


@pytest.mark.parametrize("text, start, clarify", [
    ("Party Sunday, March 15", "2026-03-15", False),
    ("party Sun 15Mar", "2026-03-15", False),
    ("Dinner Saturday, 31-Oct-2026", "2026-10-31", False),
    ("Picnic Sunday, March, 15th 2026", "2026-03-15", False),
    ("BBQ Jul 18, Sun", "2027-07-18", False),            # this July 18 is a Saturday; next year's fits
    ("bbq 18 July (Sunday)", "2027-07-18", False),
    ("Lunch Wed 15th", "2026-04-15", False),              # the 15th this month is a Sunday
    ("Dinner Tuesday, 10 January", "2027-01-10", True),   # never a Tuesday soon: kept, asked
    ("Party Friday 15.03.2026", "2026-03-15", True),      # a written year is never moved
])
def test_weekday_with_a_date(text, start, clarify):
    check(text, start, clarify)


def test_weekday_fitting_only_months_later_is_asked_about():
    item = check("Meeting on Wednesday the 17th at 3", "2026-06-17T15:00:00+02:00", True)
    assert "Tuesday" in item["question"] and "June 17" in item["question"]


def test_weekday_with_a_date_just_passed():
    sat = datetime.fromisoformat("2026-03-16T09:00:00+01:00")
    item = check("Brunch Sunday, March 15", "2026-03-15", True, now=sat)
    assert item["question"]


@pytest.mark.parametrize("text, start", [
    ("sat", "2026-03-14"),
    ("Sun.", "2026-03-15"),
    ("thu", "2026-03-12"),
    ("tomorrows", "2026-03-11"),
    ("tomorrows standup at 9", "2026-03-11T09:00:00+01:00"),
    ("sunday from last week", "2026-03-08"),
    ("Sunday of last week", "2026-03-08"),
    ("last week's Sunday", "2026-03-08"),
    ("next week's monday", "2026-03-16"),
    ("the Monday after next", "2026-03-23"),
    ("a week from Friday", "2026-03-20"),
    ("3 fridays from now", "2026-03-27"),
    ("three Fridays from now", "2026-03-27"),
    ("the last Friday of the month", "2026-03-27"),
    ("the first Monday of next month", "2026-04-06"),
    ("the closest Monday to Oct 5th", "2026-10-05"),
    ("the closest Friday to March 24", "2026-03-27"),
    ("the second closest Friday to March 24", "2026-03-20"),
    ("the nearest Sunday to the 24th", "2026-03-22"),
    ("the day before yesterday", "2026-03-08"),
    ("the day after tomorrow", "2026-03-12"),
    ("two days before the 14th", "2026-03-12"),
])
def test_weekday_phrases(text, start):
    check(text, start)


@pytest.mark.parametrize("text, start", [
    ("Dentist on 4-15", "2026-04-15"),
    ("dentist on 4-15 at 10am", "2026-04-15T10:00:00+02:00"),
    ("Call on 2-4pm", "2026-03-10T14:00:00+01:00"),            # a time span, not February 4
    ("sun 15th", "2026-03-15"),
    ("wed march 11 lunch", "2026-03-11"),
    ("Deploy Thu Oct 15 11:00:09 2026", "2026-10-15T11:00:00+02:00"),
    ("deploy Thu Oct 15 11:00:09 CEST 2026", "2026-10-15T11:00:00+02:00"),
])
def test_more_written_forms(text, start):
    check(text, start)


@pytest.mark.parametrize("text, start, end", [
    ("Off the 24 to the 26", "2026-03-24", "2026-03-27"),
    ("off from the 24th to 26th", "2026-03-24", "2026-03-27"),
    ("Vacation 31-Oct-26 to 2-Nov-26", "2026-10-31", "2026-11-03"),
    ("vacation Oct-31 to Nov-2", "2026-10-31", "2026-11-03"),
])
def test_ranges_of_written_dates(text, start, end):
    item = check(text, start)
    assert item["end"] == end, item


@pytest.mark.parametrize("text, start, clarify", [
    ("Dentist March 15 on Sunday", "2026-03-15", False),
    ("Dentist March 15 on Friday", "2026-03-15", True),
    ("Termin am Sonntag, den 15. März", "2026-03-15", False),
    ("встреча 15.03 в пятницу", "2026-03-15", True),
])
def test_weekday_after_a_date_checks_it(text, start, clarify):
    check(text, start, clarify)


def test_a_word_before_an_ordinal_is_not_a_weekday():
    assert got("I sat 3rd in the race")["start"] is None


@pytest.mark.parametrize("text, start", [
    ("Party 1st of May '27", "2027-05-01"),
    ("party May 1st, '27", "2027-05-01"),
    ("Review 2026.03.16", "2026-03-16"),
    ("review on 2026.3.16 at 10", "2026-03-16T10:00:00+01:00"),
    ("встреча 16 марта 2026 г.", "2026-03-16"),
    ("Lunch Tuesday week", "2026-03-24"),                   # a week after the coming Tuesday
    ("lunch Friday fortnight", "2026-03-27"),
    ("this past Monday", "2026-03-09"),
    ("Deadline was past Friday", "2026-03-06"),
    ("the previous Monday", "2026-03-09"),
])
def test_years_written_short_and_weeks_around_a_weekday(text, start):
    check(text, start)


@pytest.mark.parametrize("text", ["costs 2026.50 dollars", "it's 27 degrees", "Monday week planning notes"])
def test_no_date_from_prices_and_plain_words(text):
    item = got(text)
    assert item["start"] in (None, "2026-03-16"), item          # "Monday" alone may stay a day
