"""core.render never fails on a valid item: every aware time, to the ends of the calendar, in any zone."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.core.item import Item, Kind
from assistant.core.render import (Entry, agenda, entry_when, preview, recurrence_text, slot_day_text, slot_text,
                                   when_text)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
ZONES = [timezone.utc, BERLIN, NEW_YORK, ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago"),
         ZoneInfo("Asia/Kolkata"), ZoneInfo("Australia/Lord_Howe"), timezone(timedelta(hours=14)),
         timezone(-timedelta(hours=12)), timezone(timedelta(hours=23, minutes=59))]
SETTINGS = dict(max_examples=500, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])

zones = st.sampled_from(ZONES)
instants = st.datetimes(min_value=datetime.min, max_value=datetime.max, timezones=zones)
"""Aware datetimes over the whole representable range, the ends included (hypothesis favours them)."""
days = st.dates(min_value=date.min, max_value=date.max)
whens = st.one_of(st.none(), instants, days)


def test_the_far_ends_fall_back_to_utc() -> None:
    far = Item(kind=Kind.EVENT, title="x", start=datetime(9999, 12, 31, 23, 30, tzinfo=timezone.utc))
    assert "Fri 31 Dec 9999, 23:30" in preview(far, BERLIN, "local").text
    early = Item(kind=Kind.EVENT, title="x", start=datetime(1, 1, 1, 0, 10, tzinfo=timezone.utc))
    assert when_text(early, NEW_YORK) == "Mon 1 Jan 1, 00:10"


def test_ordinary_times_are_shown_in_the_zone() -> None:
    start = datetime(2026, 3, 11, 13, 0, tzinfo=timezone.utc)
    item = Item(kind=Kind.EVENT, title="x", start=start, end=start + timedelta(hours=1),
                original_tz="America/New_York")
    assert when_text(item, BERLIN) == "Wed 11 Mar 2026, 14:00–15:00 (1 h)"
    assert "   (09:00 America/New_York)" in preview(item, BERLIN, "local").lines
    assert entry_when(Entry("x", start, start + timedelta(minutes=30)), BERLIN) == "Wed 11 Mar 2026, 14:00–14:30"
    assert slot_text(start, start + timedelta(minutes=30), BERLIN) == "Wed 14:00–14:30"


def test_recurrence_text_reads_lists_of_month_days() -> None:
    assert recurrence_text("FREQ=MONTHLY;BYMONTHDAY=1") == "monthly on the 1st"
    assert recurrence_text("FREQ=MONTHLY;BYMONTHDAY=1,15") == "monthly on the 1st and 15th"
    assert recurrence_text("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR") == "every weekday"
    assert recurrence_text("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO") == "every other Monday"
    assert recurrence_text("FREQ=DAILY;INTERVAL=x") == "FREQ=DAILY;INTERVAL=x"


@settings(**SETTINGS)
@given(start=whens, end=whens, zone=zones, kind=st.sampled_from([Kind.EVENT, Kind.REMINDER, Kind.NOTE]),
       original=st.sampled_from([None, "America/New_York", "Asia/Tokyo", "Nowhere/Else"]))
def test_previews_never_raise(start, end, zone, original, kind) -> None:
    item = Item(kind=kind, title="x", start=start, end=end, original_tz=original, recurrence="FREQ=WEEKLY")
    conflicts = [Entry("y", start, end)] if isinstance(start, date) else []
    alternatives = [(start, end)] if isinstance(start, datetime) and isinstance(end, datetime) else []
    assert preview(item, zone, "local", conflicts, alternatives).text
    assert when_text(item, zone)


@settings(**SETTINGS)
@given(entries=st.lists(st.tuples(st.one_of(instants, days), st.one_of(st.none(), instants, days), st.booleans()),
                        max_size=4),
       zone=zones)
def test_agendas_and_entries_never_raise(entries, zone) -> None:
    values = [Entry("x", start, end, all_day=all_day) for start, end, all_day in entries]
    assert agenda(values, zone, "Today")
    for entry in values:
        assert entry_when(entry, zone)


@settings(**SETTINGS)
@given(start=instants, end=instants, zone=zones)
def test_slots_never_raise(start, end, zone) -> None:
    assert slot_text(start, end, zone)
    assert slot_day_text(start, end, zone)
