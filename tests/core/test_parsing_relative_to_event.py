"""Amounts counted from an item said later in the same request ("15 minutes before the meeting at
3"), and slot searches or questions over alternative days ("Wednesday or Thursday").

Written as a user would type them. The clock is Tuesday 2026-03-10 09:00 in Berlin.
"""
from datetime import datetime

import pytest

from assistant.core.parsing import parse

BERLIN = "Europe/Berlin"
TUE = datetime.fromisoformat("2026-03-10T09:00:00+01:00")


def got(text: str) -> dict:
    return parse(text, TUE, BERLIN).to_dict()


@pytest.mark.parametrize("text, start, title", [
    ("Remind me 15 minutes before the meeting at 3", "2026-03-10T14:45:00+01:00", "Meeting"),
    ("remind me an hour before my flight tomorrow at 7am", "2026-03-11T06:00:00+01:00", "Flight"),
    ("text me 10 min before the call at 4:30", "2026-03-10T16:20:00+01:00", "Call"),
    ("ping me 5 minutes before the standup at 9:30 tomorrow", "2026-03-11T09:25:00+01:00", "Standup"),
    ("remind me half an hour before lunch at 1", "2026-03-10T12:30:00+01:00", "Lunch"),
    ("notify me 20 minutes before my dentist appointment on Friday at 2pm", "2026-03-13T13:40:00+01:00",
     "Dentist appointment"),
    ("remind me 5 minutes after the standup at 10", "2026-03-10T10:05:00+01:00", "Standup"),
    ("buzz me an hour after the game at 7pm", "2026-03-10T20:00:00+01:00", "Game"),
    ("remind me 2 days before the party on Friday", "2026-03-11T09:00:00+01:00", "Party"),
    ("erinnere mich 15 Minuten vor dem Meeting um 3", "2026-03-10T14:45:00+01:00", "Meeting"),
])
def test_amount_before_an_item_counts_back_from_its_time(text: str, start: str, title: str) -> None:
    item = got(text)
    assert item["kind"] == "reminder"
    assert item["start"] == start
    assert item["end"] is None
    assert item["title"] == title


def test_russian_amount_before_an_item() -> None:
    item = got("напомни за 15 минут до встречи в 3")
    assert item["kind"] == "reminder"
    assert item["start"] == "2026-03-10T14:45:00+01:00"
    assert "встреч" in item["title"].lower()


def test_event_before_an_item_ends_where_it_starts() -> None:
    item = got("prep 30 minutes before the talk at 3")
    assert (item["start"], item["end"]) == ("2026-03-10T14:30:00+01:00", "2026-03-10T15:00:00+01:00")


@pytest.mark.parametrize("text", [
    "remind me at 2:45, 15 minutes before the meeting",        # the time was said first: it is the time
    "remind me at 14:45 15 minutes before the meeting",
])
def test_a_time_said_before_the_amount_is_kept(text: str) -> None:
    assert got(text)["start"] == "2026-03-10T14:45:00+01:00"


def test_no_time_after_the_item_is_not_guessed() -> None:
    item = got("remind me 15 minutes before the meeting")
    assert item["start"] is None and item["needs_clarification"]


def test_an_amount_before_a_day_stays_the_grammars() -> None:
    assert got("remind me to pack 2 days before Friday")["start"] == "2026-03-11T09:00:00+01:00"


@pytest.mark.parametrize("text, start, end", [
    ("Find 45 minutes with Ana on Wednesday or Thursday", "2026-03-11", "2026-03-13"),
    ("find 30 min on Thursday or Friday", "2026-03-12", "2026-03-14"),
    ("find a slot tomorrow or Friday", "2026-03-11", "2026-03-14"),
    ("find 2 hours next Tuesday or Wednesday", "2026-03-17", "2026-03-19"),
    ("find a slot thursday or monday", "2026-03-12", "2026-03-17"),
])
def test_slot_search_over_either_day_covers_both(text: str, start: str, end: str) -> None:
    item = got(text)
    assert item["kind"] == "find_time"
    assert (item["start"], item["end"], item["all_day"]) == (start, end, True)


def test_slot_search_over_either_afternoon() -> None:
    item = got("find an hour Monday or Tuesday afternoon")
    assert item["kind"] == "find_time" and item["duration_minutes"] == 60
    assert item["start"].startswith("2026-03-16T") and item["end"].startswith("2026-03-17T")


def test_duration_kept_with_either_day() -> None:
    item = got("Find 45 minutes with Ana on Wednesday or Thursday")
    assert item["duration_minutes"] == 45 and item["attendees"] == ["Ana"]


@pytest.mark.parametrize("text", ["am I free Monday or Tuesday?", "what do I have monday or tuesday"])
def test_question_over_either_day(text: str) -> None:
    item = got(text)
    assert item["kind"] == "query"
    assert (item["start"], item["end"]) == ("2026-03-16", "2026-03-18")


def test_alternative_times_still_take_the_first() -> None:
    assert got("lunch with Sam at 12 or 12:30")["start"] == "2026-03-10T12:00:00+01:00"
