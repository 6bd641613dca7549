"""Extreme numbers and dates: the parser, `apply_edit` and the preview never raise.

Dates past what Python can hold ("31.12.9999" plus an hour, "in 10000 years"), or absurdly far
(more than `limits.HORIZON_YEARS` from now), and amounts that would overflow ("in 99999999999
minutes", "every 99999999 days", "for 99999999999 weeks") give an item that asks
(`needs_clarification` with a question), never an exception — see assistant/core/parsing/limits.py.
"""
from __future__ import annotations

import io
import json
import string
import sys
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.core.item import Item, Kind
from assistant.core.parsing import apply_edit, parse
from assistant.core.parsing.limits import HORIZON_YEARS, QUESTIONS, TOO_FAR, TOO_LONG, TOO_MANY, TOO_RARE
from assistant.core.render import preview

TZ = "Europe/Berlin"
ZONE = ZoneInfo(TZ)
NOW = datetime.fromisoformat("2026-03-10T09:00:00+01:00")
HORIZON = timedelta(days=round(HORIZON_YEARS * 365.25) + 2)


def check(item, zone=ZONE, now=NOW, render=True) -> Item:
    """What every result must be: an Item with aware times within the horizon, that renders and
    survives a JSON round trip, and asks a question whenever it needs clarification."""
    assert isinstance(item, Item)
    assert isinstance(item.kind, Kind)
    for value in (item.start, item.end):
        assert value is None or isinstance(value, date)
        if isinstance(value, datetime):
            assert value.tzinfo is not None and value.utcoffset() is not None
        if value is not None:
            day = value.date() if isinstance(value, datetime) else value
            assert abs(day - now.date()) <= HORIZON, value
    if isinstance(item.start, datetime) and isinstance(item.end, datetime):
        assert item.end > item.start
    if item.needs_clarification and item.kind != Kind.NOTE:
        assert item.question
    text = item.to_json()
    again = Item.from_json(text)
    assert again.to_json() == text and again.id == item.id and again.start == item.start
    if render:
        assert isinstance(preview(item, zone, "local").text, str)
    return item


def asks(item: Item, question: str | None = None) -> None:
    assert item.needs_clarification and item.start is None and item.end is None, item
    assert item.question == question if question else item.question


# --- the concrete cases found from outside -----------------------------------------------------

@pytest.mark.parametrize("text, question", [
    ("on 31.12.9999", TOO_FAR),
    ("in 10000 years", TOO_FAR),
    ("lunch 9999-12-31 at 3pm", TOO_FAR),
    ("in 99999999999 minutes", TOO_FAR),
    ("remind me to call mom in 99999999999 minutes", TOO_FAR),
    ("in 99999999999 days", TOO_FAR),
    ("in 999999 weeks on Tuesday", TOO_FAR),
    ("Dinner 99999999999 hours from now", TOO_FAR),
    ("in 7999 years", TOO_FAR),
    ("in 101 years", TOO_FAR),
    ("meeting 31.12.9999 at 23:30", TOO_FAR),
    ("meeting 31.12.9999 at 11pm to 1am", TOO_FAR),
    ("call 9999-12-31", TOO_FAR),
    ("Meeting 0001-01-01 at 00:10", TOO_FAR),
    ("Meeting 0000-01-01", TOO_FAR),
    ("Meeting 01.01.0001", TOO_FAR),
    ("remind me on 31.12.9999", TOO_FAR),
    ("what's on 31.12.9999", TOO_FAR),
    ("find 30 minutes on 9999-12-31", TOO_FAR),
    ("from 30.12.9999 to 31.12.9999", TOO_FAR),
    ("Trip 31.12.9999 - 2.1.2000", TOO_FAR),
    ("lunch 31.12.9999 at 11pm Tokyo time", TOO_FAR),
    ("daily standup until 31.12.9999", TOO_FAR),
    ("every day starting 31.12.9999 at 9", TOO_FAR),
    ("every year on 31.12.9999", TOO_FAR),
    ("Push my 4pm call back by 999999 years", TOO_FAR),
    ("move lunch to 31.12.9999 at 23:00", TOO_FAR),
    ("every 99999999 days", TOO_RARE),
    ("every 999999 weeks", TOO_RARE),
    ("every 99999999 months on the 15th", TOO_RARE),
    ("every 101 years", TOO_RARE),
    ("Standup every 99999999999 hours", TOO_RARE),
    ("Holiday tomorrow for 99999999999 weeks", TOO_LONG),
    ("daily for 99999999999 weeks", TOO_LONG),
    ("meeting 2026-03-12 at 3pm for 99999999999 minutes", TOO_LONG),
    ("Vacation on Friday for 1" + "0" * 400 + ".5 years", TOO_LONG),
    ("gym daily 99999999999 times", TOO_MANY),
    ("yoga every week for 999999 times", TOO_MANY),
    ("Dentist on 32.01.2027", "January has 31 days — which date did you mean?"),
    ("Dentist on 0.01.2027", "January has 31 days — which date did you mean?"),
])
def test_extreme_requests_ask(text, question):
    item = check(parse(text, NOW, TZ))
    asks(item, question)
    assert question in QUESTIONS or "which date" in question


@pytest.mark.parametrize("text, start", [
    ("Lunch in 99 years", "2125-03-10"),
    ("Call Anna on 31.12.2100 at 3pm", "2100-12-31T15:00:00+01:00"),
    ("Anniversary every 10 years starting 1.1.2030", "2030-01-01"),
    ("remind me in 999999 minutes", "2028-02-02T19:39:00+01:00"),
    ("Dentist on 31.01.2027", "2027-01-31"),
])
def test_far_but_sensible_requests_resolve(text, start):
    item = check(parse(text, NOW, TZ))
    assert not item.needs_clarification
    assert item.start.isoformat() == start


def test_nonsense_amounts_do_not_crash():
    for text in ("for 99999999999 weeks", "in -5 days", "every -3 days", "in 0 days", "every 0 weeks",
                 "meeting 5/5/99999999999", "December 31, 9999", "the 999999th", "on the 0th"):
        check(parse(text, NOW, TZ))


@pytest.fixture
def lunch():
    return parse("Lunch with Anna on Friday at 1pm for 90 minutes", NOW, TZ)


@pytest.mark.parametrize("reply, question", [
    ("make it 31.12.9999", TOO_FAR),
    ("make it 9999-12-31 at 11pm to 1am", TOO_FAR),
    ("make it in 999999 years", TOO_FAR),
    ("for 99999999999 minutes", TOO_LONG),
    ("every 99999999 days", TOO_RARE),
])
def test_extreme_edits_ask(lunch, reply, question):
    got = apply_edit(lunch, reply, NOW, TZ)
    assert got is not None and got.id == lunch.id
    asks(check(got), question)


def test_edits_never_overflow(lunch):
    for reply in ("push it by 99999999 years", "push it back by 99999999999 minutes", "until 23:59",
                  "for 99 years", "make it 4pm"):
        got = apply_edit(lunch, reply, NOW, TZ)
        assert got is None or check(got).id == lunch.id


def test_edit_of_an_item_past_the_horizon_asks():
    """Items made elsewhere (an LLM, an import) may sit at the end of the calendar already."""
    far = Item(kind=Kind.EVENT, title="Party", start=datetime(9999, 12, 31, 22, 30, tzinfo=timezone.utc),
               end=datetime(9999, 12, 31, 23, 30, tzinfo=timezone.utc))
    for reply in ("make it 4pm", "until 11pm", "for 2 hours", "tomorrow"):
        got = apply_edit(far, reply, NOW, TZ)
        asks(check(got, render=False), TOO_FAR)
    moved = check(apply_edit(far, "tomorrow at 4pm", NOW, TZ))
    assert moved.start.isoformat() == "2026-03-11T16:00:00+01:00" and not moved.needs_clarification
    kept = apply_edit(far, "add Boris", NOW, TZ)          # no date said: the far start stays
    assert kept.attendees == ["Boris"] and kept.start == far.start and Item.from_json(kept.to_json()) == kept


# --- generated requests ------------------------------------------------------------------------

EXTREME_NUMBERS = [0, 1, 2, 7, 9, 10, 12, 13, 23, 24, 25, 28, 29, 30, 31, 32, 59, 60, 61, 99, 100,
                   101, 365, 999, 1000, 1900, 2026, 2200, 9998, 9999, 10000, 99999, 999999, 1000000,
                   99999999, 99999999999, 10 ** 20]
numbers = st.one_of(st.sampled_from(EXTREME_NUMBERS), st.integers(-10 ** 12, 10 ** 12))
number_text = st.one_of(numbers.map(str), st.sampled_from(["-1", "-99999999", "0.5", "1.5", "99999999.5",
                                                           "1" + "0" * 400 + ".5", "twenty", "a",
                                                           "an", "five", "a couple of", "1,5"]))
units = st.sampled_from(["minutes", "min", "m", "hours", "h", "hrs", "days", "day", "d", "weeks",
                         "wk", "months", "month", "years", "year", "times", "sessions"])
years = st.one_of(st.sampled_from([1, 9999]), st.sampled_from([0, 2, 99, 100, 1899, 1900, 2026, 2125,
                                                              2127, 2200, 9998, 10000, 99999999999]),
                  st.integers(0, 12000))
months = st.one_of(st.integers(1, 12), st.sampled_from([0, 1, 2, 12, 13, 99, -1]))
days = st.one_of(st.integers(1, 28), st.sampled_from([0, 1, 28, 29, 30, 31, 32, 99, -1]))
month_names = st.sampled_from(["January", "Feb", "March", "may", "June", "Dec", "December"])


def filled(forms: list[str], fields: dict) -> st.SearchStrategy[str]:
    """One of `forms` with its {fields} drawn — only the fields that form uses."""
    @st.composite
    def build(draw) -> str:
        form = draw(st.sampled_from(forms))
        names = sorted({name for _, name, _, _ in string.Formatter().parse(form) if name})
        return form.format(**{name: draw(fields[name]) for name in names})
    return build()


DATE_FIELDS = {"y": years.map(str), "y4": years.map("{:04d}".format), "m": months.map(str),
               "m2": months.map("{:02d}".format), "d": days.map(str), "d2": days.map("{:02d}".format),
               "month": month_names}
dates_text = filled(["{y4}-{m2}-{d2}", "{y}-{m}-{d}", "{d}.{m}.{y}", "{d2}.{m2}.{y4}", "{d}.{m}.",
                     "{d}.{m}", "{m}/{d}/{y}", "{m}/{d}", "{month} {d}, {y}", "{month} {d}",
                     "{d} {month} {y}", "the {d}th", "on the {d}th of {month}"], DATE_FIELDS)
WHEN_FIELDS = {"n": number_text, "n2": number_text, "unit": units, "unit2": units, "date": dates_text,
               "date2": dates_text, "h": st.integers(-1, 99).map(str),
               "mm": st.integers(0, 99).map("{:02d}".format)}
when_text = filled([
    "in {n} {unit}", "every {n} {unit}", "for {n} {unit}", "{n} {unit} from now", "{n} {unit}",
    "{n} times", "by {n} {unit}", "back by {n} {unit}", "{n} {unit} later", "on {date}", "{date}",
    "until {date}", "starting {date}", "from {date}", "to {date}", "between {date} and {date2}",
    "from {date} to {date2}", "at {h}:{mm}", "at {h}pm", "{h}am", "at {h}", "{h}-{mm}pm",
    "{h}:{mm} Pacific", "every {n}th", "the {n}th", "every other {unit}", "in {n} weeks on Tuesday",
    "every {n} {unit} for {n2} {unit2}", "{date} at {h}:{mm}", "{date} at {h}pm for {n} {unit}",
], WHEN_FIELDS)


REQUEST_WORDS = ["Lunch with Anna", "remind me to", "call mom", "Meeting", "Dentist", "move my 3pm",
                 "move the dentist to", "push my 4pm call back", "bring it forward", "cancel",
                 "cancel my", "what's on", "what do I have", "find", "find a slot", "Note:",
                 "todo:", "Standup", "daily", "weekly", "every", "tomorrow", "next Monday", "tonight",
                 "this weekend", "next month", "at noon", "all day", "Mon-Fri", "weekdays",
                 "until", "starting", "from", "to", "and", ",", "-", ".", "?", "London time", "UTC",
                 "Встреча", "завтра", "um", "Uhr", "morgen", "in the morning", "Best, Julia"]
fragments = st.one_of(when_text, st.sampled_from(REQUEST_WORDS), st.text(max_size=8))
requests = st.lists(fragments, min_size=1, max_size=8).map(" ".join)
free_text = st.text(max_size=300)
zones = st.sampled_from(["Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "UTC",
                         "Australia/Lord_Howe", "America/St_Johns"])
nows = st.one_of(st.just(NOW), st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2150, 12, 31),
                                            timezones=st.just(timezone.utc)))

SETTINGS = dict(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(max_examples=1500, **SETTINGS)
@given(text=requests, now=nows, tz=zones)
def test_generated_requests_never_raise(text, now, tz):
    zone = ZoneInfo(tz)
    item = parse(text, now, tz)
    assert item.source_text == text
    check(item, zone, now)


@settings(max_examples=300, **SETTINGS)
@given(text=free_text, tz=zones)
def test_free_text_never_raises(text, tz):
    check(parse(text, NOW, tz), ZoneInfo(tz))


edge_nows = st.sampled_from([datetime(1, 1, 1, 12, tzinfo=timezone.utc), datetime(1, 1, 3, tzinfo=timezone.utc),
                             datetime(9999, 12, 30, 12, tzinfo=timezone.utc),
                             datetime(9999, 12, 31, 12, tzinfo=timezone.utc)])


@settings(max_examples=300, **SETTINGS)
@given(text=requests, now=edge_nows, tz=st.sampled_from(["UTC", "Europe/Berlin"]))
def test_a_clock_at_the_ends_of_the_calendar_never_raises(text, now, tz):
    """A `now` next to year 1 or 9999 (a broken clock, a test) that the owner's zone can still
    express: still an item, never an exception."""
    item = parse(text, now, tz)
    check(item, ZoneInfo(tz), now, render=False)


BASES = [
    "Lunch with Anna on Friday at 1pm for 90 minutes",
    "Holiday March 24 to 26",
    "remind me to pay rent tomorrow",
    "Standup every weekday at 9:30",
    "find 30 minutes with Boris next week",
    "Move my 3pm to tomorrow",
]


leads = st.sampled_from(["", "make it", "push it", "move it to", "change it to", "please", "and"])
replies = st.one_of(st.tuples(leads, when_text, st.sampled_from(["", "instead", "please", "at 4pm"]))
                    .map(" ".join), when_text, requests)


@settings(max_examples=1000, **SETTINGS)
@given(base=st.sampled_from(BASES), reply=replies)
def test_generated_edits_never_raise(base, reply):
    item = parse(base, NOW, TZ)
    got = apply_edit(item, reply, NOW, TZ)
    if got is not None:
        assert got.id == item.id
        check(got)


# --- the command line: one failing request doesn't end the batch --------------------------------

def test_cli_parse_batch_answers_every_line(monkeypatch, tmp_path, capsys):
    from assistant import cli
    from assistant.core.parsing import parser

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASSISTANT_CONFIG", raising=False)
    real = parser.detect_kind

    def detect_or_fail(toks, roles, lex):       # a bug deep inside the parser, for one request
        if any(t.key == "boom" for t in toks):
            raise RuntimeError("simulated parser bug")
        return real(toks, roles, lex)

    monkeypatch.setattr(parser, "detect_kind", detect_or_fail)
    lines = ["Lunch with Anna tomorrow at 1pm", "on 31.12.9999", "BOOM", "in 10000 years",
             "lunch 9999-12-31 at 3pm", "in 99999999999 minutes", "every 99999999 days",
             "call mom Friday"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    code = cli.main(["parse", "--json", "--now", "2026-03-10T09:00:00+01:00", "--tz", TZ])
    out, err = capsys.readouterr()
    assert code == 0
    answers = [json.loads(line) for line in out.splitlines()]
    assert [a["source_text"] for a in answers] == lines
    assert answers[0]["kind"] == "event" and answers[0]["start"] == "2026-03-11T13:00:00+01:00"
    failed = answers[2]
    assert failed["kind"] == "unknown" and failed["needs_clarification"] is True
    assert "simulated parser bug" in failed["error"]
    assert "Traceback" not in out + err
    for answer in answers[1:-1]:
        assert answer["needs_clarification"] is True
    assert answers[-1]["kind"] == "event" and answers[-1]["start"] == "2026-03-13"
