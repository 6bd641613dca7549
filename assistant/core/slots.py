"""Busy intervals → conflicts and ranked free slots. Pure: no I/O, no clock (`now` is an argument).

Working hours are wall-clock times in the owner's zone, so a 09:00–18:00 day is 09:00–18:00 local even
on a DST-change day (that day is simply one hour shorter or longer in absolute time). Durations,
buffers and notice are absolute time.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from assistant.core.weekdays import CODES

PARTS_OF_DAY = {
    "morning": (time(6), time(12)),
    "afternoon": (time(12), time(17)),
    "evening": (time(17), time(22)),
}
"""Wall-clock ranges. They narrow the working day; when they do not meet it at all ("evening" after a
day ending at 17:00) the owner asked for time outside work on purpose, and the range stands alone."""


@dataclass
class Busy:
    """One occurrence of an event: a busy (or free/tentative) interval with aware `start`/`end`.

    All-day events carry `all_day=True` and run from midnight to midnight in the owner's zone.
    `uid` is the provider's event id (the iCalendar UID); `recurrence_id` tells occurrences of one
    series apart (empty for single events). Re-exported as `assistant.connectors.base.Busy`.
    """
    start: datetime
    end: datetime
    title: str = ""
    uid: str = ""
    calendar: str = ""
    all_day: bool = False
    transparent: bool = False
    tentative: bool = False
    location: str | None = None
    attendees: list[str] = field(default_factory=list)
    """Attendees as "Name <email>" or a bare e-mail address."""
    recurrence_id: str = ""
    recurring: bool = False


@dataclass
class SlotPrefs:
    tz: ZoneInfo
    work_days: frozenset[int] = frozenset(range(5))
    """Weekday numbers, Monday = 0 (use `weekdays(["mon", …])` to convert names)."""
    work_start: time = time(9)
    work_end: time = time(18)
    buffer: timedelta = timedelta(0)
    """Kept free before and after every busy interval."""
    min_notice: timedelta = timedelta(minutes=30)
    part_of_day: str | None = None
    prefer_near: datetime | None = None
    """Rank slots by closeness to this time, the same local day first (alternatives to a request)."""
    step: timedelta = timedelta(minutes=15)
    all_day_blocks: bool = True
    """Whether opaque all-day events make the day busy (transparent ones never do)."""
    tentative_blocks: bool = True


@dataclass
class Slot:
    start: datetime
    end: datetime
    score: float


def weekdays(names: Iterable[str]) -> frozenset[int]:
    return frozenset(CODES.index(n.strip().lower()[:3]) for n in names)


def blocks(busy: Busy, all_day_blocks: bool = True, tentative_blocks: bool = True) -> bool:
    """Whether an interval makes the owner unavailable."""
    if busy.transparent:
        return False
    if busy.all_day and not all_day_blocks:
        return False
    return tentative_blocks or not busy.tentative


def conflicts(start: datetime, end: datetime, busy: list[Busy], all_day_blocks: bool = True) -> list[Busy]:
    """Blocking intervals that overlap [start, end), by start. Tentative ones are reported too."""
    found = [b for b in busy if b.start < end and b.end > start and blocks(b, all_day_blocks)]
    return sorted(found, key=lambda b: (b.start, b.end))


def merge(busy: list[Busy], prefs: SlotPrefs) -> list[tuple[float, float]]:
    """Blocking intervals widened by the buffer, as sorted, disjoint (start, end) POSIX timestamps."""
    pad = prefs.buffer.total_seconds()
    spans = sorted((b.start.timestamp() - pad, b.end.timestamp() + pad)
                   for b in busy if blocks(b, prefs.all_day_blocks, prefs.tentative_blocks))
    merged: list[tuple[float, float]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def find_slots(busy: list[Busy], window_start: datetime, window_end: datetime, duration: timedelta,
               prefs: SlotPrefs, now: datetime, limit: int = 5) -> list[Slot]:
    """The best `limit` free slots of `duration` in the window, best first, none overlapping another.

    Slots lie inside working hours on working days (narrowed by `part_of_day`), start on the `step`
    grid counted from the start of the working day, begin no sooner than `now + min_notice`, and keep
    `buffer` away from every blocking interval.
    """
    if duration <= timedelta(0) or limit <= 0:
        return []
    merged = merge(busy, prefs)
    starts = [s for s, _ in merged]
    earliest = max(window_start, now + prefs.min_notice).timestamp()
    latest = window_end.timestamp()
    length, step = duration.total_seconds(), max(60.0, prefs.step.total_seconds())
    candidates: list[Slot] = []
    for day in _days(window_start, window_end, earliest, prefs.tz):
        if day.weekday() not in prefs.work_days:
            continue
        span = _day_span(day, prefs)
        if span is None:
            continue
        anchor, day_end = span
        low, high = max(anchor, earliest), min(day_end, latest)
        for free_start, free_end in _free(merged, starts, low, high):
            first = anchor + math.ceil((free_start - anchor) / step) * step
            t = first
            while t + length <= free_end:
                candidates.append(_slot(t, length, prefs, earliest))
                t += step
    return _pick(candidates, limit)


def _days(window_start: datetime, window_end: datetime, earliest: float, tz: ZoneInfo) -> Iterable[date]:
    first = max(window_start, datetime.fromtimestamp(earliest, timezone.utc)).astimezone(tz).date()
    last = window_end.astimezone(tz).date()
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _local(day: date, clock: time, tz: ZoneInfo) -> float:
    return datetime.combine(day, clock, tzinfo=tz).timestamp()


def _day_span(day: date, prefs: SlotPrefs) -> tuple[float, float] | None:
    """The usable part of one day as timestamps: working hours, narrowed by the part of day."""
    start, end = prefs.work_start, prefs.work_end
    if prefs.part_of_day in PARTS_OF_DAY:
        part_start, part_end = PARTS_OF_DAY[prefs.part_of_day]
        if max(start, part_start) < min(end, part_end):
            start, end = max(start, part_start), min(end, part_end)
        else:
            start, end = part_start, part_end
    if end <= start:
        return None
    return _local(day, start, prefs.tz), _local(day, end, prefs.tz)


def _free(merged: list[tuple[float, float]], starts: list[float], low: float, high: float):
    """The gaps between merged busy intervals inside [low, high)."""
    if high <= low:
        return
    i = max(0, bisect.bisect_right(starts, low) - 1)
    cursor = low
    while i < len(merged) and merged[i][0] < high:
        busy_start, busy_end = merged[i]
        if busy_end > cursor:
            if busy_start > cursor:
                yield cursor, min(busy_start, high)
            cursor = max(cursor, busy_end)
        i += 1
    if cursor < high:
        yield cursor, high


def _slot(start: float, length: float, prefs: SlotPrefs, earliest: float) -> Slot:
    begin = datetime.fromtimestamp(start, prefs.tz)
    end = datetime.fromtimestamp(start + length, prefs.tz)
    return Slot(begin, end, _score(begin, start, prefs, earliest))


def _score(begin: datetime, start: float, prefs: SlotPrefs, earliest: float) -> float:
    """Higher is better. Near the preferred time (the same day first), else as soon as possible;
    a small bonus for starting on the hour or half hour."""
    tidy = 0.3 if begin.minute == 0 else 0.15 if begin.minute == 30 else 0.0
    if prefs.prefer_near is not None:
        near = prefs.prefer_near
        hours = abs(start - near.timestamp()) / 3600
        other_day = 0.0 if begin.date() == near.astimezone(prefs.tz).date() else 1000.0
        return round(-hours - other_day + tidy, 6)
    return round(-(start - earliest) / 3600 + tidy, 6)


def _pick(candidates: list[Slot], limit: int) -> list[Slot]:
    """The best candidates that do not overlap one another (five alternatives 15 minutes apart
    would be one choice, not five)."""
    chosen: list[Slot] = []
    for slot in sorted(candidates, key=lambda s: (-s.score, s.start)):
        if all(slot.end <= c.start or slot.start >= c.end for c in chosen):
            chosen.append(slot)
            if len(chosen) == limit:
                break
    return chosen
