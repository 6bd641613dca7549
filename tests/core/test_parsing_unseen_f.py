"""A sixth held-out set (tests/core/unseen-set-f.jsonl), shaped like the development set.

Written from ../shared/parsing/README.md and dev-set.jsonl alone, before the grammar was read:
the same kinds of request in the dev set's proportions (events with people, places, lengths and
ranges; reminders; repetition; notes; questions; cancel; reschedule; slot searches; impossible
dates; other zones; forwarded e-mails; a little German and Russian), plus replies that edit a
preview and several requests in one message, with new wordings, names and times. Most cases are
asked on Tuesday 2026-03-10 09:00 in Berlin; some on that evening, a Saturday, a Friday in May
(summer time), or from New York and Tokyo. Judgement calls carry a "note".

Scored like ../shared/parsing/score.py via the shared harness (heldout.py): `edits`, `more`,
`single`, and `attendees_exact` for people who must be gone.

Run as a script to print the failures and the score by category:
`python tests/core/test_parsing_unseen_f.py`.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

import heldout
from assistant.core.parsing import parse

HERE = Path(__file__).resolve().parent
SET = HERE / "unseen-set-f.jsonl"
FLOOR = 0.97


def cases() -> list[dict]:
    return heldout.load(SET)


def report() -> tuple[float, dict[str, tuple[int, int]], list[str]]:
    return heldout.report(cases(), extra=heldout.exact_attendees)


@heldout.needs_scorer
def test_unseen_f_floor():
    heldout.assert_floor(report(), FLOOR)


def test_unseen_f_is_well_formed():
    langs = heldout.assert_well_formed(cases())
    assert len(cases()) == 200
    assert 0 < langs["de"] + langs["ru"] <= 20


if __name__ == "__main__":
    heldout.print_report(cases(), width=12, extra=heldout.exact_attendees)


NOW = datetime.fromisoformat("2026-03-10T09:00:00+01:00")
TZ = "Europe/Berlin"


@pytest.mark.parametrize("text", [
    "Drop the kids at school at 8", "Clear the gutters on Saturday", "Remove the old shelves tomorrow at 10",
    "drop the car at the garage on Friday",
])
def test_a_chore_verb_before_a_thing_is_no_cancel(text):
    assert parse(text, NOW, TZ).kind.value in ("event", "reminder")


@pytest.mark.parametrize("text, start", [
    ("Drop the standup tomorrow", "2026-03-11"), ("Remove the dentist appointment on Friday", "2026-03-13"),
    ("Call off the team lunch on Thursday", "2026-03-12"), ("kill the 3pm", "2026-03-10T15:00:00+01:00"),
    ("Clear the Acme sync on Monday", "2026-03-16"),
])
def test_a_cancel_verb_before_an_item_cancels_it(text, start):
    item = parse(text, NOW, TZ).to_dict()
    assert item["kind"] == "cancel" and item["start"] == start


@pytest.mark.parametrize("text, start, end", [
    ("Conference 24.-26.3. in Munich", "2026-03-24", "2026-03-27"),
    ("Conference 24-26.3.", "2026-03-24", "2026-03-27"),
    ("Trade fair 3.-5.4.", "2026-04-03", "2026-04-06"),
    ("Ski trip 30.3.-2.4.2026", "2026-03-30", "2026-04-03"),
])
def test_day_first_days_of_one_month(text, start, end):
    item = parse(text, NOW, TZ).to_dict()
    assert (item["start"], item["end"], item["all_day"]) == (start, end, True)
    assert not item["title"][-1].isdigit()


@pytest.mark.parametrize("text, start, end", [
    ("Workshop 9.30-11.15 on Friday", "03-13 09:30", "11:15"),
    ("Workshop 9.45-10.00 on Friday", "03-13 09:45", "10:00"),
    ("Lecture from 14.30 to 16.45 tomorrow", "03-11 14:30", "16:45"),
])
def test_dotted_clock_times_that_cannot_be_dates_make_a_span(text, start, end):
    item = parse(text, NOW, TZ)
    assert item.start.strftime("%m-%d %H:%M") == start and item.end.strftime("%H:%M") == end
