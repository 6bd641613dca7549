"""The slot finder: unit cases (DST, buffers, parts of day, transparency) and properties (hypothesis)."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st

from assistant.core.slots import Busy, Slot, SlotPrefs, conflicts, find_slots, weekdays

TZ = ZoneInfo("Europe/Berlin")
MON = datetime(2030, 3, 25, tzinfo=TZ)   # Monday; DST starts Sunday 31 March 2030


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return MON.replace(day=day, hour=hour, minute=minute)


def busy(start: datetime, end: datetime, **kw) -> Busy:
    return Busy(start=start, end=end, **kw)


def prefs(**kw) -> SlotPrefs:
    return SlotPrefs(tz=TZ, **{"min_notice": timedelta(0), **kw})


# --- conflicts ---------------------------------------------------------------------------------

def test_conflicts_only_opaque_overlaps():
    meeting = busy(at(25, 10), at(25, 11), title="m")
    free = busy(at(25, 10), at(25, 11), transparent=True)
    tentative = busy(at(25, 10, 30), at(25, 12), tentative=True)
    touching = busy(at(25, 11), at(25, 12))
    assert conflicts(at(25, 10, 30), at(25, 11), [touching, free, tentative, meeting]) == [meeting, tentative]


def test_all_day_conflicts_unless_transparent_or_disabled():
    day = busy(at(25, 0), at(26, 0), all_day=True)
    holiday = busy(at(25, 0), at(26, 0), all_day=True, transparent=True)
    assert conflicts(at(25, 10), at(25, 11), [day, holiday]) == [day]
    assert conflicts(at(25, 10), at(25, 11), [day, holiday], all_day_blocks=False) == []


# --- find_slots --------------------------------------------------------------------------------

def test_first_slots_of_an_empty_week_are_morning_hours():
    slots = find_slots([], MON, MON + timedelta(days=7), timedelta(minutes=30), prefs(), now=MON)
    assert [s.start for s in slots][:2] == [at(25, 9), at(25, 9, 30)]
    assert all(s.end - s.start == timedelta(minutes=30) for s in slots)


def test_busy_time_and_buffers_are_avoided():
    taken = [busy(at(25, 9), at(25, 10))]
    slots = find_slots(taken, MON, at(26, 0), timedelta(minutes=30), prefs(buffer=timedelta(minutes=15)), now=MON)
    assert slots[0].start == at(25, 10, 15)


def test_min_notice_and_weekends():
    friday_evening = at(29, 17, 50)
    slots = find_slots([], friday_evening, friday_evening + timedelta(days=4), timedelta(hours=1),
                       prefs(min_notice=timedelta(minutes=30)), now=friday_evening)
    assert slots[0].start == datetime(2030, 4, 1, 9, tzinfo=TZ)    # Monday, not the weekend


def test_dst_day_keeps_local_working_hours():
    sunday_dst = datetime(2030, 3, 31, tzinfo=TZ)
    everyday = prefs(work_days=weekdays(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), step=timedelta(hours=1))
    slots = find_slots([], sunday_dst, sunday_dst + timedelta(days=1), timedelta(hours=1), everyday,
                       now=sunday_dst, limit=20)
    hours = sorted(s.start.hour for s in slots)
    assert hours == list(range(9, 18))
    assert all(s.start.utcoffset() == timedelta(hours=2) for s in slots)


def test_part_of_day_narrows_and_evening_stands_alone():
    day = (MON, at(26, 0))
    morning = find_slots([], *day, timedelta(hours=1), prefs(part_of_day="morning"), now=MON, limit=10)
    assert {s.start.hour for s in morning} == {9, 10, 11}
    evening = find_slots([], *day, timedelta(hours=1), prefs(part_of_day="evening"), now=MON, limit=10)
    assert min(s.start for s in evening) == at(25, 17) and max(s.end for s in evening) <= at(25, 22)


def test_prefer_near_ranks_same_day_first():
    taken = [busy(at(25, 9), at(25, 17))]
    slots = find_slots(taken, MON, MON + timedelta(days=3), timedelta(hours=1), prefs(prefer_near=at(25, 14)),
                       now=MON, limit=3)
    assert slots[0].start == at(25, 17)
    assert slots[1].start.day == 26


def test_transparent_tentative_and_all_day_handling():
    holiday = busy(at(25, 0), at(26, 0), all_day=True, transparent=True)
    offsite = busy(at(26, 0), at(27, 0), all_day=True)
    maybe = busy(at(27, 9), at(27, 18), tentative=True)
    window = (MON, at(28, 0))
    slots = find_slots([holiday, offsite, maybe], *window, timedelta(hours=1), prefs(), now=MON, limit=50)
    assert {s.start.day for s in slots} == {25}
    loose = prefs(all_day_blocks=False, tentative_blocks=False)
    slots = find_slots([holiday, offsite, maybe], *window, timedelta(hours=1), loose, now=MON, limit=50)
    assert {s.start.day for s in slots} == {25, 26, 27}


def test_slots_do_not_overlap_one_another():
    slots = find_slots([], MON, at(26, 0), timedelta(hours=2), prefs(), now=MON, limit=10)
    assert len(slots) == 4
    for a, b in zip(slots, slots[1:]):
        assert a.end <= b.start or b.end <= a.start


# --- properties --------------------------------------------------------------------------------

WORK_DAYS = weekdays(["mon", "tue", "wed", "thu", "fri"])


@st.composite
def busy_lists(draw):
    items = []
    for _ in range(draw(st.integers(0, 25))):
        start = MON + timedelta(minutes=draw(st.integers(-24 * 60, 14 * 24 * 60)))
        length = timedelta(minutes=draw(st.integers(5, 8 * 60)))
        items.append(Busy(start=start, end=start + length, transparent=draw(st.booleans()) and draw(st.booleans()),
                          all_day=False, tentative=draw(st.booleans())))
    return items


@settings(max_examples=150, deadline=None)
@given(busy=busy_lists(), duration=st.integers(15, 180), buffer=st.sampled_from([0, 5, 10, 30]),
       notice=st.integers(0, 48 * 60), start_hour=st.integers(6, 11), end_hour=st.integers(13, 20),
       part=st.sampled_from([None, "morning", "afternoon"]), now_offset=st.integers(-2 * 24 * 60, 5 * 24 * 60),
       near=st.one_of(st.none(), st.integers(0, 13 * 24 * 60)))
def test_slot_properties(busy, duration, buffer, notice, start_hour, end_hour, part, now_offset, near):
    p = SlotPrefs(tz=TZ, work_days=WORK_DAYS, work_start=time(start_hour), work_end=time(end_hour),
                  buffer=timedelta(minutes=buffer), min_notice=timedelta(minutes=notice), part_of_day=part,
                  prefer_near=MON + timedelta(minutes=near) if near is not None else None)
    now = MON + timedelta(minutes=now_offset)
    window_end = MON + timedelta(days=14)
    slots = find_slots(busy, MON, window_end, timedelta(minutes=duration), p, now=now, limit=5)
    assert len(slots) <= 5
    assert [s.score for s in slots] == sorted((s.score for s in slots), reverse=True)
    pad = timedelta(minutes=buffer)
    for slot in slots:
        assert isinstance(slot, Slot)
        assert slot.end - slot.start == timedelta(minutes=duration)
        assert MON <= slot.start and slot.end <= window_end
        assert slot.start >= now + p.min_notice
        local_start, local_end = slot.start.astimezone(TZ), slot.end.astimezone(TZ)
        assert local_start.weekday() in WORK_DAYS and local_end.date() == local_start.date()
        assert time(start_hour) <= local_start.time() and local_end.time() <= time(end_hour)
        for b in busy:
            if not b.transparent:
                assert slot.end <= b.start - pad or slot.start >= b.end + pad, (slot, b)
