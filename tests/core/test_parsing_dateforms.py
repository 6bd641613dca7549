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
    """`start` is the day read; a guessed or vague one waits in `within` with no start, and asks."""
    item = got(text, now)
    if item["within"]:
        assert item["start"] is None and item["needs_clarification"], item
        item = {**item, "start": item["within"][0], "end": item["within"][1]}
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


# -- second round: a weekday with a bare day, years said around a date, weekday arithmetic, ranges --

@pytest.mark.parametrize("text, start", [
    ("Dinner on Monday 16", "2026-03-16"),                 # this month's 16th is a Monday
    ("lunch Thursday 26", "2026-03-26"),
    ("Party friday 17 at 8pm", "2026-04-17T20:00:00+02:00"),  # next month whose 17th is a Friday
    ("Dinner friday 10 at 7pm", "2026-04-10T19:00:00+02:00"),
])
def test_weekday_with_a_bare_day_number(text, start):
    check(text, start, False)


@pytest.mark.parametrize("text, asked", [
    ("Yoga on Sunday 31", "2026-05-31"),                   # months away: a guess, asked about
    ("Meeting Monday 21", "2026-09-21"),
])
def test_weekday_with_a_bare_day_fitting_months_later_is_asked(text, asked):
    check(text, asked, True)


@pytest.mark.parametrize("text, start", [
    ("Dentist Friday 3", "2026-03-13T15:00:00+01:00"),            # a small number stays an hour
    ("gym monday 8", "2026-03-16T08:00:00+01:00"),
    ("call Friday 15:00", "2026-03-13T15:00:00+01:00"),
])
def test_weekday_with_an_hour_stays_an_hour(text, start):
    check(text, start)


@pytest.mark.parametrize("text, start", [
    ("Reunion the first of december in the year 2010", "2010-12-01"),
    ("reunion the 2nd of February in the year 2000", "2000-02-02"),
    ("Born 15 April of 87", "1987-04-15"),
    ("anniversary 1st oct in the year '89", "1989-10-01"),
    ("Anniversary oct 1,1980", "1980-10-01"),
    ("anniversary Oct 1, 1980", "1980-10-01"),
    ("Release 2006-Jun-16", "2006-06-16"),
    ("release 2027/23/Sep", "2027-09-23"),
    ("Ship it 20270316", "2027-03-16"),
    ("ship it 2027 3 16", "2027-03-16"),
    ("Party May 5 of 2027", "2027-05-05"),
])
def test_years_said_around_a_date(text, start):
    check(text, start)


@pytest.mark.parametrize("text, start, end", [
    ("Trip in April of 87", "1987-04-01", "1987-05-01"),
    ("what happened in jan '80", "1980-01-01", "1980-02-01"),
    ("what happened in Aug 96", "1996-08-01", "1996-09-01"),
    ("sales in the year of 2008?", "2008-01-01", "2009-01-01"),
    ("what did I do in Sep. 2012", "2012-09-01", "2012-10-01"),
])
def test_months_and_years_with_short_or_introduced_years(text, start, end):
    item = check(text, start)
    assert item["end"] == end, item


@pytest.mark.parametrize("text", ["order 20270316 shipped", "call 2027 3 16 20", "Meet in room 2.14 at noon"])
def test_digit_runs_that_are_ids_are_not_dates(text):
    start = got(text)["start"]
    assert start is None or not start.startswith("2027-03-16"), text


@pytest.mark.parametrize("text, start", [
    ("Dentist 3 mondays after May 25", "2026-06-15"),
    ("dentist three Mondays after May 25", "2026-06-15"),
    ("Haircut the monday before May 27", "2026-05-25"),
    ("haircut the 2nd monday before May 27", "2026-05-18"),
    ("Brunch the monday after next monday", "2026-03-23"),
    ("Call at 11:59 on 3 sundays after next wed", "2026-04-05T11:59:00+02:00"),
    ("What did I do tuesday before last", "2026-02-24"),
    ("what happened on Friday before last", "2026-02-27"),
    ("Picnic the saturday after next", "2026-03-21"),              # README: the coming Saturday + 7
    ("Dinner the day after next", "2026-03-12"),
    ("dinner the day after next at 6pm", "2026-03-12T18:00:00+01:00"),
])
def test_weekdays_counted_from_another_day(text, start):
    check(text, start)


@pytest.mark.parametrize("text, start", [
    ("Review Monday two weeks from now", "2026-03-23"),           # the Monday of that week
    ("review Friday 2 weeks from today", "2026-03-27"),
    ("Visit Thursday, two years from now", "2028-03-09"),
    ("Visit Sunday 3 weeks after January 15th", "2027-02-07"),
    ("Trip two months from today on Tuesday", "2026-05-05"),
    ("trip in 10 days on Monday", "2026-03-16"),
    ("Trip 3 weeks after Christmas on Friday", "2027-01-15"),
    ("Lunch Monday 2 weeks ago", "2026-02-23"),
])
def test_weekday_placed_in_the_week_an_amount_names(text, start):
    check(text, start)


SEPT = datetime.fromisoformat("2026-09-07T12:00:00+02:00")
OCT24 = datetime.fromisoformat("2026-10-24T12:00:00+02:00")


@pytest.mark.parametrize("text, now, start, end", [
    ("What will happen between august and october", SEPT, "2026-08-01", "2026-11-01"),
    ("I'm out from August to October", SEPT, "2026-08-01", "2026-11-01"),
    ("what's on from May to September", SEPT, "2026-05-01", "2026-10-01"),
    ("vacation from 10/1 to 11/7", OCT24, "2026-10-01", "2026-11-08"),
    ("vacation from March 1 to March 20", TUE, "2026-03-01", "2026-03-21"),
    ("what's on from May to September", OCT24, "2027-05-01", "2027-10-01"),   # all past: next year
    ("vacation from 1/3 to 2/20", TUE, "2027-01-03", "2027-02-21"),
    ("I'm out from December to February", SEPT, "2026-12-01", "2027-03-01"),
    ("conference March 24 to 26", TUE, "2026-03-24", "2026-03-27"),
])
def test_ranges_under_way_count_this_year(text, now, start, end):
    item = check(text, start, now=now)
    assert item["end"] == end, item


def test_range_from_a_named_day_to_now_starts_in_the_past():
    item = check("how many calls between March 3 and now", "2026-03-03T00:00:00+01:00")
    assert item["end"] == "2026-03-10T09:00:00+01:00", item


@pytest.mark.parametrize("text, now, start", [
    ("Party 2/29", datetime.fromisoformat("2027-03-22T12:00:00+01:00"), "2028-02-29"),
    ("party Feb 29", datetime.fromisoformat("2027-03-22T12:00:00+01:00"), "2028-02-29"),
])
def test_a_passed_leap_day_is_next_years_when_that_year_has_one(text, now, start):
    check(text, start, now=now)


def test_leap_day_in_a_year_without_one_is_asked():
    item = got("party Feb 29")
    assert item["needs_clarification"] and item["start"] is None, item


@pytest.mark.parametrize("reply, start", [
    ("yes", "2026-06-17T15:00:00+02:00"),
    ("Yep!", "2026-06-17T15:00:00+02:00"),
    ("no, the 18th", "2026-03-18T15:00:00+01:00"),
])
def test_a_guessed_day_lands_only_when_the_owner_agrees(reply, start):
    from assistant.core.item import Item
    from assistant.core.parsing.edit import apply_edit

    item = parse("Meeting on Wednesday the 17th at 3", TUE, BERLIN)
    assert item.start is None and item.within is not None
    answered = apply_edit(Item.from_dict(item.to_dict()), reply, TUE, BERLIN)   # as stored between turns
    assert answered is not None and answered.to_dict()["start"] == start, answered


def test_two_digits_after_a_month_that_run_on_are_not_a_year():
    item = got("in March 55 people came")
    assert "2055" not in str(item["start"]) + str(item["within"]), item


@pytest.mark.parametrize("text, start", [
    ("Team building 25.04.2026", "2026-04-25"),           # a room word before a full date: a date
    ("Open day at the building 12.06.2026", "2026-06-12"),
])
def test_a_dotted_date_with_its_year_is_a_date_after_a_room_word(text, start):
    check(text, start)


@pytest.mark.parametrize("text, start", [
    ("lunch w Ana 2moro 1230", "2026-03-11T12:30:00+01:00"),
    ("call Friday 930", "2026-03-13T09:30:00+01:00"),
    ("gym Monday 1800", "2026-03-16T18:00:00+01:00"),
    ("party tomorrow 200 people", "2026-03-11"),           # a count, not 2:00
    ("Party May 5 2027", "2027-05-05"),                    # a year, not 20:27
])
def test_hours_and_minutes_run_together_after_a_day(text, start):
    check(text, start)
