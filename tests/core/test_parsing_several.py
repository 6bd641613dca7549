"""Several requests in one message (`parse_all`): where a message splits, what a later request
takes from the one before it, and lists that must stay one item.

Now is Tuesday 2026-03-10 09:00 in Berlin throughout.
"""
from __future__ import annotations

from datetime import datetime

import pytest

from assistant.core.item import Kind
from assistant.core.parsing import parse
from assistant.core.parsing.several import parse_all

NOW = datetime.fromisoformat("2026-03-10T09:00:00+01:00")
TZ = "Europe/Berlin"


def items(text: str):
    return parse_all(text, NOW, TZ)


def at(item) -> str | None:
    return item.start.isoformat()[:16] if item.start is not None else None


def until(item) -> str | None:
    return item.end.isoformat()[:16] if item.end is not None else None


# --- a reminder, then another "<when> to <task>" -------------------------------------------------

@pytest.mark.parametrize("text, first, second", [
    ("Remind me tonight to water the plants and tomorrow morning to take out the trash",
     ("Water the plants", "2026-03-10T20:00"), ("Take out the trash", "2026-03-11T09:00")),
    ("remind me on Friday to pay rent and on Monday to call the bank",
     ("Pay rent", "2026-03-13T09:00"), ("Call the bank", "2026-03-16T09:00")),
    ("Remind me at 6 to call mom, and at 7 to lock the door",
     ("Call mom", "2026-03-10T18:00"), ("Lock the door", "2026-03-10T19:00")),
    ("remind me tomorrow to book flights and on Thursday to pack",
     ("Book flights", "2026-03-11T09:00"), ("Pack", "2026-03-12T09:00")),
])
def test_reminder_then_when_and_task_is_a_second_reminder(text, first, second):
    got = items(text)
    assert [i.kind for i in got] == [Kind.REMINDER, Kind.REMINDER]
    assert (got[0].title, at(got[0])) == first
    assert (got[1].title, at(got[1])) == second


@pytest.mark.parametrize("text, start, title", [
    ("remind me in an hour and a half to check the laundry", "2026-03-10T10:30", "Check the laundry"),
    ("Remind me on Friday to drive from Berlin to Hamburg and back", "2026-03-13T09:00",
     "Drive from Berlin to Hamburg and back"),
])
def test_an_and_inside_one_reminder_does_not_split(text, start, title):
    got = items(text)
    assert len(got) == 1
    assert (got[0].title, at(got[0])) == (title, start)


# --- pointing back at the first item -------------------------------------------------------------

@pytest.mark.parametrize("text, start, end", [
    ("Q&A session Wednesday 2-3 and a follow-up the next day at the same time",
     "2026-03-12T14:00", "2026-03-12T15:00"),
    ("Piano lesson Thursday at 5 and another one the following day at the same time",
     "2026-03-13T17:00", "2026-03-13T18:00"),
    ("Standup Monday 9:30-9:45, and a retro the day after at the same time",
     "2026-03-17T09:30", "2026-03-17T09:45"),
    ("Yoga Tuesday at 7pm. Same time the following day: pilates", "2026-03-18T19:00", "2026-03-18T20:00"),
])
def test_the_same_time_on_another_day_keeps_time_and_length(text, start, end):
    got = items(text)
    assert len(got) == 2
    assert got[1].kind == Kind.EVENT
    assert (at(got[1]), until(got[1])) == (start, end)


@pytest.mark.parametrize("text, start, title", [
    ("Tennis with Mark on Saturday at 10 and remind me to pack the racket the night before",
     "2026-03-13T20:00", "Pack the racket"),
    ("Flight Thursday at 6am and remind me to pack the night before", "2026-03-11T20:00", "Pack"),
    ("Interview on Friday at 11 and remind me the evening before to print my CV",
     "2026-03-12T19:00", "Print my CV"),
    ("Exam on Monday at 9, remind me the afternoon before to revise", "2026-03-15T15:00", "Revise"),
    ("Concert Saturday 8pm and remind me the morning of to buy tickets", "2026-03-14T09:00", "Buy tickets"),
    ("Team lunch Friday at 12 and remind me the evening of to send photos", "2026-03-13T19:00", "Send photos"),
])
def test_a_part_of_the_day_before_or_of_the_first_item(text, start, title):
    got = items(text)
    assert len(got) == 2
    assert got[1].kind == Kind.REMINDER
    assert (got[1].title, at(got[1])) == (title, start)


@pytest.mark.parametrize("text, kind, start", [
    ("Dentist Friday at 9 and remind me an hour before", Kind.REMINDER, "2026-03-13T08:00"),
    ("Dentist Friday at 9 and remind me the day before at 6", Kind.REMINDER, "2026-03-12T18:00"),
    ("Dentist at 3pm and remind me at the same time to bring the card", Kind.REMINDER, "2026-03-10T15:00"),
    ("Dinner at 8 and drinks an hour after", Kind.EVENT, "2026-03-10T21:00"),
    ("Dinner at 8 and drinks an hour later", Kind.EVENT, "2026-03-10T21:00"),
])
def test_amounts_and_days_from_the_first_item(text, kind, start):
    got = items(text)
    assert len(got) == 2
    assert (got[1].kind, at(got[1])) == (kind, start)


# --- a bare time after the first item ------------------------------------------------------------

@pytest.mark.parametrize("text, starts", [
    # no day said: each time follows the time rule (8 has passed, 5 is still ahead)
    ("Remind me to drop off the car at 8 and to pick it up at 5", ["2026-03-11T08:00", "2026-03-10T17:00"]),
    ("Pick up the kids at 3 then dinner at 7", ["2026-03-10T15:00", "2026-03-10T19:00"]),
    # a day said with the first: the later time is on that day
    ("Doctor on Monday at 9, then lunch with Sue at 12:30", ["2026-03-16T09:00", "2026-03-16T12:30"]),
    ("Flight to Rome on Friday at 7am and hotel check-in at 3pm", ["2026-03-13T07:00", "2026-03-13T15:00"]),
])
def test_a_later_bare_time_takes_a_day_only_when_one_was_said(text, starts):
    assert [at(i) for i in items(text)] == starts


# --- "<verb> <person> at <time>, <person> at <time>" ---------------------------------------------

@pytest.mark.parametrize("text, titles, people, starts", [
    ("Meet Anna at 10, Ben at 11 and Carla at 12 tomorrow",
     ["Meet Anna", "Meet Ben", "Meet Carla"], [["Anna"], ["Ben"], ["Carla"]],
     ["2026-03-11T10:00", "2026-03-11T11:00", "2026-03-11T12:00"]),
    ("Call Tom at 4 and Jerry at 5 on Friday", ["Call Tom", "Call Jerry"], [["Tom"], ["Jerry"]],
     ["2026-03-13T16:00", "2026-03-13T17:00"]),
    ("Lunch with Anna at 12 and Ben at 1 tomorrow", ["Lunch with Anna", "Lunch with Ben"],
     [["Anna"], ["Ben"]], ["2026-03-11T12:00", "2026-03-11T13:00"]),
    ("Treffen mit Anna um 10, Ben um 11 und Carla um 12 morgen",
     ["Treffen mit Anna", "Treffen mit Ben", "Treffen mit Carla"], [["Anna"], ["Ben"], ["Carla"]],
     ["2026-03-11T10:00", "2026-03-11T11:00", "2026-03-11T12:00"]),
    ("Treffen mit Anna um 10, mit Ben um 11", ["Treffen mit Anna", "Treffen mit Ben"], [["Anna"], ["Ben"]],
     ["2026-03-10T10:00", "2026-03-10T11:00"]),
])
def test_a_person_and_a_time_borrow_the_first_requests_verb(text, titles, people, starts):
    got = items(text)
    assert [i.title for i in got] == titles
    assert [i.attendees for i in got] == people
    assert [at(i) for i in got] == starts


def test_a_person_without_a_time_stays_in_the_item():
    got = items("Meet Anna at 10 and Ben")
    assert len(got) == 1


# --- lists that are one item ---------------------------------------------------------------------

@pytest.mark.parametrize("text, start", [
    ("Dinner with Anna and Ben on Saturday at 7:30pm", "2026-03-14T19:30"),
    ("Call with Tom and Jerry on Friday at 4", "2026-03-13T16:00"),
    ("Lunch with Mark and Jen tomorrow at noon", "2026-03-11T12:00"),
    ("Swimming every Mon, Wed and Fri at 7", "2026-03-11T19:00"),
    ("Remind me to buy salt and pepper tomorrow", "2026-03-11T09:00"),
    ("Q&A session on Thursday at 3", "2026-03-12T15:00"),
    ("Rock and roll night on Friday at 9pm", "2026-03-13T21:00"),
    ("Fish and chips with Dave on Friday at 6", "2026-03-13T18:00"),
    ("Black and white photo exhibition Sunday 2pm", "2026-03-15T14:00"),
])
def test_lists_of_people_days_and_things_stay_one_item(text, start):
    got = items(text)
    assert len(got) == 1
    assert at(got[0]) == start


# --- German and Russian --------------------------------------------------------------------------

@pytest.mark.parametrize("text, kinds, starts", [
    ("Zahnarzt am Freitag um 9 und erinnere mich am Abend davor", [Kind.EVENT, Kind.REMINDER],
     ["2026-03-13T09:00", "2026-03-12T19:00"]),
    ("Tennis am Samstag um 10 und erinnere mich am Abend davor, den Schläger einzupacken",
     [Kind.EVENT, Kind.REMINDER], ["2026-03-14T10:00", "2026-03-13T19:00"]),
    ("Теннис в субботу в 10 и напомни накануне вечером собрать ракетку", [Kind.EVENT, Kind.REMINDER],
     ["2026-03-14T10:00", "2026-03-13T19:00"]),
    ("Встреча в среду в 14 и повтор на следующий день в то же время", [Kind.EVENT, Kind.EVENT],
     ["2026-03-11T14:00", "2026-03-12T14:00"]),
    ("Ужин в 19 и напомни за час", [Kind.EVENT, Kind.REMINDER], ["2026-03-10T19:00", "2026-03-10T18:00"]),
])
def test_german_and_russian_point_back_too(text, kinds, starts):
    got = items(text)
    assert [i.kind for i in got] == kinds
    assert [at(i) for i in got] == starts


# --- parse() is the first of parse_all() ---------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Meet Anna at 10, Ben at 11 and Carla at 12 tomorrow",
    "Remind me tonight to water the plants and tomorrow morning to take out the trash",
    "Q&A session Wednesday 2-3 and a follow-up the next day at the same time",
    "Tennis with Mark on Saturday at 10 and remind me to pack the racket the night before",
    "Remind me to drop off the car at 8 and to pick it up at 5",
    "Lunch with Anna at 12 and Ben at 1 tomorrow",
])
def test_parse_gives_the_first_item(text):
    one, first = parse(text, NOW, TZ), items(text)[0]
    assert (one.kind, one.title, one.start, one.end, one.attendees) == (
        first.kind, first.title, first.start, first.end, first.attendees)
