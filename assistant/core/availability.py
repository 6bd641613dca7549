"""Availability windows around a request: how long it is, where alternatives are looked for, and which
period a "find time" request searches. Pure; the slot search itself is `core.slots`."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time, timedelta, tzinfo

from assistant.core.item import Item
from assistant.core.slots import PARTS_OF_DAY, SlotPrefs
from assistant.core.zones import midnight

DEFAULT_MINUTES = 60
FIND_TIME_MINUTES = 30
FIND_TIME_DAYS = 7


def span(item: Item, default_minutes: int = DEFAULT_MINUTES) -> tuple[datetime, datetime] | None:
    """A timed item's [start, end); None for all-day or undated items."""
    if not isinstance(item.start, datetime) or item.all_day:
        return None
    if isinstance(item.end, datetime) and item.end > item.start:
        return item.start, item.end
    return item.start, item.start + timedelta(minutes=item.duration_minutes or default_minutes)


def widened(prefs: SlotPrefs, start: datetime, end: datetime, zone: tzinfo) -> SlotPrefs:
    """A request outside working hours (a dinner, a Saturday) gets alternatives around its own time,
    not in office hours."""
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    inside = (local_start.weekday() in prefs.work_days and prefs.work_start <= local_start.time()
              and local_end.date() == local_start.date() and local_end.time() <= prefs.work_end)
    if inside:
        return prefs
    same_day = local_end.date() == local_start.date()
    return replace(prefs, work_days=prefs.work_days | {local_start.weekday()},
                   work_start=min(prefs.work_start, time(max(7, local_start.hour - 2))),
                   work_end=max(prefs.work_end, time(min(23, local_end.hour + 2)) if same_day else time(23)))


def find_time_window(item: Item, now: datetime, duration: timedelta, zone: tzinfo) -> tuple[datetime, datetime]:
    """The period a FIND_TIME request searches: its start..end (dates mean whole days), a single time's
    whole day, or the next week; never before now."""
    start, end = item.start, item.end
    if start is None:
        return now, now + timedelta(days=FIND_TIME_DAYS)
    if not isinstance(start, datetime):
        start = midnight(start, zone)
    if end is None:
        end = midnight(start.astimezone(zone).date() + timedelta(days=1), zone)
    elif not isinstance(end, datetime):
        end = midnight(end, zone)
    if end - start <= duration:
        end = midnight(start.astimezone(zone).date() + timedelta(days=1), zone)
        start = midnight(start.astimezone(zone).date(), zone)
    return max(start, now), end


def part_of_day(text: str | None) -> str | None:
    """"morning", "afternoon", … when the request names one."""
    lowered = (text or "").lower()
    return next((part for part in PARTS_OF_DAY if part in lowered), None)


def free_blocks(busy: list[tuple[datetime, datetime]], start: datetime, end: datetime,
                minimum: timedelta) -> list[tuple[datetime, datetime]]:
    """The gaps of at least `minimum` in [start, end) between busy intervals (which may overlap)."""
    gaps: list[tuple[datetime, datetime]] = []
    cursor = start
    for begin, finish in sorted(busy):
        if finish <= cursor:
            continue
        if begin - cursor >= minimum and begin > cursor:
            gaps.append((cursor, min(begin, end)))
        cursor = max(cursor, finish)
        if cursor >= end:
            break
    if end - cursor >= minimum:
        gaps.append((cursor, end))
    return [(a, b) for a, b in gaps if b - a >= minimum]


def overlapping(spans: list[tuple[datetime, datetime, str]]) -> list[tuple[str, str]]:
    """Pairs of titles whose timed spans overlap (the day's conflicts), in order."""
    pairs = []
    ordered = sorted(spans)
    for i, (start, end, title) in enumerate(ordered):
        for other_start, _, other in ordered[i + 1:]:
            if other_start >= end:
                break
            pairs.append((title, other))
    return pairs


_FREE = re.compile(r"\b(am i|are we|i'?m|is|will i be)\s+(free|available|busy|booked)\b|\bfree\s+(on|at|this|next|"
                   r"tomorrow|today|in)\b|\b(frei|свободен|свободна)\b", re.IGNORECASE)


def asks_if_free(text: str | None) -> bool:
    """Whether a question asks for yes or no about free time ("am I free on Friday afternoon?")."""
    return bool(_FREE.search(text or ""))
