"""Repetitions by quarter, half year and business day, in English, German and Russian.

Now is Tuesday 2026-03-10 09:00 in Berlin (as in the development set); March 31 is a Tuesday,
April 1 a Wednesday, May 1 a Friday, May 29 a Friday and May 31 a Sunday.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from assistant.core.item import Kind
from assistant.core.parsing import parse
from assistant.core.parsing.grammar.recurrence import WORKWEEK, nth_of_days

TZ = "Europe/Berlin"
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo(TZ))
LAST_WORKDAY = "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"
FIRST_WORKDAY = "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1"


def _p(text: str):
    return parse(text, NOW, TZ)


def _day(value) -> str:
    return value.isoformat()[:10]


@pytest.mark.parametrize("text", [
    "Budget review every quarter",
    "budget review quarterly",
    "Tax prepayment once a quarter",
    "Team sync every three months",
    "every 3 months: check the smoke detectors",
    "jedes Quartal Budgetrunde",
    "vierteljährlich Steuer vorauszahlen",
    "каждый квартал сдать отчёт",
    "ежеквартально сверка",
    "раз в квартал созвон с инвестором",
])
def test_every_quarter_repeats_every_three_months(text):
    item = _p(text)
    assert item.recurrence == "FREQ=MONTHLY;INTERVAL=3"
    assert item.start is not None and _day(item.start) == "2026-03-10"


@pytest.mark.parametrize("text", [
    "Dentist every six months",
    "semiannually dentist checkup",
    "semi-annually car service",
    "HVAC service twice a year",
    "Filter change every 2 quarters",
    "Audit every other quarter",
    "halbjährlich Zahnarzt",
    "раз в полгода к стоматологу",
])
def test_every_half_year_repeats_every_six_months(text):
    assert _p(text).recurrence == "FREQ=MONTHLY;INTERVAL=6"


@pytest.mark.parametrize("text", ["Board meeting every other month", "alle zwei Monate Elternabend",
                                  "раз в два месяца стрижка"])
def test_every_other_month(text):
    assert _p(text).recurrence == "FREQ=MONTHLY;INTERVAL=2"


@pytest.mark.parametrize("text, start", [
    ("Budget review, quarterly on the 1st", "2026-04-01"),
    ("Rent check quarterly on the 15th", "2026-03-15"),
    ("отчёт ежеквартально 15-го", "2026-03-15"),
])
def test_quarterly_on_a_day_of_the_month(text, start):
    item = _p(text)
    day = int(start[-2:])
    assert item.recurrence == f"FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY={day}"
    assert _day(item.start) == start


@pytest.mark.parametrize("text, start, title", [
    ("Quarterly review on 3/30 at 10am", "2026-03-30", "Quarterly review"),
    ("Quarterly business review on the 1st", "2026-04-01", "Quarterly business review"),
    ("The quarterly town hall is on Friday at 4pm", "2026-03-13", "Quarterly town hall"),
])
def test_quarterly_before_a_noun_names_one_meeting(text, start, title):
    item = _p(text)
    assert item.recurrence is None
    assert _day(item.start) == start
    assert item.title == title


def test_quarter_of_an_hour_is_not_a_quarter_year():
    assert _p("remind me every quarter hour to stir").recurrence != "FREQ=MONTHLY;INTERVAL=3"


@pytest.mark.parametrize("text", [
    "Payroll on the last business day of the month",
    "last working day of every month: payroll",
    "Timesheets the last workday of each month",
    "every last weekday of the month close the books",
    "Close the books each last business day of the month",
    "letzter Werktag im Monat Gehalt",
    "am letzten Arbeitstag des Monats Gehaltsabrechnung",
    "jeden letzten Werktag im Monat Abrechnung",
    "в последний рабочий день месяца зарплата",
    "каждый последний рабочий день месяца отчёт",
])
def test_last_business_day_of_each_month(text):
    item = _p(text)
    assert item.recurrence == LAST_WORKDAY
    assert _day(item.start) == "2026-03-31"


@pytest.mark.parametrize("text", [
    "the first business day of each month pay rent",
    "Pay rent on the first working day of every month",
    "every first weekday of the month: invoices",
    "am ersten Werktag jedes Monats Miete zahlen",
    "в первый рабочий день каждого месяца оплатить аренду",
])
def test_first_business_day_of_each_month(text):
    item = _p(text)
    assert item.recurrence == FIRST_WORKDAY
    assert _day(item.start) == "2026-04-01"


def test_business_day_series_keeps_its_time_and_kind():
    item = _p("remind me on the last business day of every month at 4pm to file expenses")
    assert item.kind == Kind.REMINDER
    assert item.recurrence == LAST_WORKDAY
    assert item.start.isoformat() == "2026-03-31T16:00:00+02:00"
    assert item.title == "File expenses"


@pytest.mark.parametrize("text, setpos, start", [
    ("Invoices on the 3rd business day of every month at 10", 3, "2026-04-03"),
    ("send the report on the second working day of each month", 2, "2026-04-02"),
])
def test_nth_business_day_of_each_month(text, setpos, start):
    item = _p(text)
    assert item.recurrence == f"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS={setpos}"
    assert _day(item.start) == start


@pytest.mark.parametrize("text, start", [
    ("when is the last business day of the month?", "2026-03-31"),
    ("what do I have on the last working day of the month", "2026-03-31"),
    ("am I free on the first business day of next month?", "2026-04-01"),
    ("what's on the first Monday of the month", "2026-04-06"),
])
def test_a_question_asks_about_one_day(text, start):
    item = _p(text)
    assert item.kind == Kind.QUERY
    assert item.start.isoformat() == start
    assert item.recurrence is None


@pytest.mark.parametrize("text, start", [
    ("Submit VAT the last business day of May", "2026-05-29"),
    ("last working day of next month: hand in the laptop", "2026-04-30"),
    ("am letzten Werktag im April Steuer", "2026-04-30"),
])
def test_nth_business_day_of_a_named_month_is_one_date(text, start):
    item = _p(text)
    assert item.recurrence is None
    assert _day(item.start) == start


@pytest.mark.parametrize("text, rule", [
    ("Payday the last Friday of the month", "FREQ=MONTHLY;BYDAY=-1FR"),
    ("в последнюю пятницу каждого месяца отчёт", "FREQ=MONTHLY;BYDAY=-1FR"),
    ("every 2nd Monday of the month", "FREQ=MONTHLY;BYDAY=2MO"),
    ("every second Monday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
    ("pay rent every weekday at 8", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
])
def test_weekday_repeats_still_read(text, rule):
    assert _p(text).recurrence == rule


@pytest.mark.parametrize("first, nth, days, expected", [
    (date(2026, 5, 1), -1, WORKWEEK, date(2026, 5, 29)),     # May 31 is a Sunday
    (date(2026, 8, 1), 1, WORKWEEK, date(2026, 8, 3)),       # August 1 is a Saturday
    (date(2026, 3, 1), 23, WORKWEEK, None),                   # March 2026 has 22 working days
    (date(2026, 3, 1), -1, (4,), date(2026, 3, 27)),
])
def test_nth_of_days(first, nth, days, expected):
    assert nth_of_days(first, nth, days) == expected
