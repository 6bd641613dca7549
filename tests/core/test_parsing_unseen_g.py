"""A seventh held-out set (tests/core/unseen-set-g.jsonl), shaped like the development set.

Written from ../shared/parsing/README.md and dev-set.jsonl alone, before the grammar was read, as six
people not simulated before would write: a doctor's receptionist, a freelance photographer, a football
coach, a landlord, a university professor and a travel agent (`who`). 100 English, 25 German and 25
Russian cases: events, reminders, repetition (monthly by weekday, until, every other week), notes,
questions (windows, past tense, "when is"), cancels, reschedules, slot searches, impossible dates,
other zones, forwarded snippets, replies that edit a preview and several requests in one message.
Most are asked on Tuesday 2026-03-10 09:00 in Berlin; some on that Saturday evening, a Friday in May
(summer time), or from New York, Tokyo and Moscow. Judgement calls carry a "note".

Scored like ../shared/parsing/score.py via the shared harness (heldout.py).
Run as a script to print the failures and the score by category:
`python tests/core/test_parsing_unseen_g.py`.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

import heldout
from assistant.core.parsing import parse

HERE = Path(__file__).resolve().parent
SET = HERE / "unseen-set-g.jsonl"
FLOOR = 0.97


def cases() -> list[dict]:
    return heldout.load(SET)


def report() -> tuple[float, dict[str, tuple[int, int]], list[str]]:
    return heldout.report(cases(), extra=heldout.exact_attendees)


@heldout.needs_scorer
def test_unseen_g_floor():
    heldout.assert_floor(report(), FLOOR)


def test_unseen_g_is_well_formed():
    langs = heldout.assert_well_formed(cases(), who=True)
    assert len(cases()) == 150
    assert (langs[None], langs["de"], langs["ru"]) == (100, 25, 25)


if __name__ == "__main__":
    heldout.print_report(cases(), width=12, extra=heldout.exact_attendees)


NOW = datetime.fromisoformat("2026-03-10T09:00:00+01:00")
TZ = "Europe/Berlin"


def _item(text: str) -> dict:
    return parse(text, NOW, TZ).to_dict()


@pytest.mark.parametrize("text, kind, start", [
    ("Cancel Monday's practice", "cancel", "2026-03-16"),
    ("Monday's standup is at 10", "event", "2026-03-16T10:00:00+01:00"),
    ("Cancel Friday's training", "cancel", "2026-03-13"),
])
def test_a_weekday_with_a_possessive_is_that_day_not_a_repetition(text, kind, start):
    item = _item(text)
    assert (item["kind"], item["start"], item["recurrence"]) == (kind, start, None)


def test_plural_weekdays_still_repeat():
    assert _item("Yoga on Mondays at 7am")["recurrence"] == "FREQ=WEEKLY;BYDAY=MO"


@pytest.mark.parametrize("text, start, zone", [
    ("Call mit dem Team morgen um 14 Uhr Londoner Zeit", "2026-03-11T15:00:00+01:00", "Europe/London"),
    ("Telefonat morgen um 9 Uhr New Yorker Zeit", "2026-03-11T14:00:00+01:00", "America/New_York"),
    ("Anruf am Freitag um 9 Uhr japanischer Zeit", "2026-03-13T01:00:00+01:00", "Asia/Tokyo"),
])
def test_german_city_adjectives_name_a_zone(text, start, zone):
    item = _item(text)
    assert (item["start"], item["original_tz"]) == (start, zone)


def test_a_city_adjective_without_zeit_is_just_a_word():
    item = _item("Hamburger essen morgen um 12")
    assert item["start"] == "2026-03-11T12:00:00+01:00" and item["original_tz"] is None


@pytest.mark.parametrize("text", [
    "Notiz: Mieter in 2B meldet Schimmel", "Notiz: Kunde in Raum 4 wartet", "Notiz: Hans in Bonn anrufen",
])
def test_german_in_keeps_a_german_note_german(text):
    assert _item(text)["kind"] == "note"


@pytest.mark.parametrize("text, name", [
    ("Встреча с Дмитрием завтра в 10", "Дмитрий"), ("Обед с Василием в пятницу в 13:00", "Василий"),
    ("Созвон с Юрием в 11", "Юрий"), ("Найди час с Аркадием на этой неделе", "Аркадий"),
])
def test_russian_names_in_ii_come_back_from_the_instrumental(text, name):
    assert _item(text)["attendees"] == [name]


@pytest.mark.parametrize("text, people, start", [
    ("Subject: Meeting with Kenji. When: Tuesday 17 March 2026 10:00", ["Kenji"], "2026-03-17T10:00:00+01:00"),
    ("Subject: Dinner with Paul and Mia. When: Friday 13 March 2026 19:30", ["Paul", "Mia"],
     "2026-03-13T19:30:00+01:00"),
    ("Fwd: Call with Priya - Thursday 12 March 15:00", ["Priya"], "2026-03-12T15:00:00+01:00"),
])
def test_people_named_in_a_forwarded_subject_are_attendees(text, people, start):
    item = _item(text)
    assert (item["attendees"], item["start"]) == (people, start)


@pytest.mark.parametrize("text, place, start", [
    ("Plumber at 12 Elm Street tomorrow between 8 and 10", "12 Elm Street", "2026-03-11T08:00:00+01:00"),
    ("Party at 10 Downing Street on Friday at 8pm", "10 Downing Street", "2026-03-13T20:00:00+01:00"),
    ("Viewing at 3 Pine St tomorrow at 10", "3 Pine St", "2026-03-11T10:00:00+01:00"),
])
def test_a_house_number_before_a_street_is_no_hour(text, place, start):
    item = _item(text)
    assert (item["location"], item["start"]) == (place, start)


@pytest.mark.parametrize("text, start", [
    ("Lunch at 12 Friday", "2026-03-13T12:00:00+01:00"), ("Dinner at 7 Chez Panisse", "2026-03-10T19:00:00+01:00"),
])
def test_an_hour_before_a_name_is_still_an_hour(text, start):
    assert _item(text)["start"] == start


@pytest.mark.parametrize("text, place", [
    ("Engagement photos with Lena and Marco at the botanical garden on Sunday at 4:30pm", "the botanical garden"),
    ("Shoot at the harbour on Sunday at 4:30pm", "the harbour"),
    ("Drinks at the marina on Friday at 6", "the marina"),
])
def test_outdoor_places_are_locations(text, place):
    assert _item(text)["location"] == place


@pytest.mark.parametrize("text", ["DOCH DOCH", "bitte bitte", "hey hey"])
def test_fillers_alone_never_raise(text):
    assert _item(text)["kind"] == "unknown"
