"""Start and end of a range whose ends are read apart ("between now and November 15th", "from
today to tomorrow afternoon", "FRI 13SEP 1:29 PM - FRI 13SEP 3:29 PM"; see grammar/ranges.py).

Each end is resolved as if said alone, then joined:
- the start is the first point's start; a day with no time, when the other end has one, starts at
  its midnight — or now, when that day is today ("from today to tomorrow afternoon");
- the end is the second point's moment when it has a time ("to 5pm", "to tomorrow afternoon" =
  15:00), else the end of its day or span ("to November 15th" = midnight after November 15th);
- a second point with no day of its own takes the first one's day, and the next day when it would
  fall before the start ("from 10pm Friday to 2am");
- an end still before the start is asked about, never swapped.
A reminder fires at the start; queries, cancels and slot searches ask about [start, end).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Callable
from zoneinfo import ZoneInfo

from ..item import Kind
from .grammar import Found
from .wall_time import local

if TYPE_CHECKING:
    from .dates import Resolved

REVERSED = "The end comes before the start — which did you mean?"


def resolve_range(f: Found, kind: Kind, now: datetime, zone: ZoneInfo,
                  resolve_point: Callable[[Found, Kind, datetime, ZoneInfo], Resolved]) -> Resolved:
    """`dates.resolve_unchecked` for a request with `f.upto`; `resolve_point` is that function
    (passed in to keep the import one-way)."""
    near = replace(f, upto=None, dates=list(f.dates))
    if kind == Kind.REMINDER or f.upto is None:
        return resolve_point(near, kind, now, zone)
    a = resolve_point(near, Kind.EVENT, now, zone)
    if a.question or a.start is None:
        return a
    far = f.upto
    first_day = a.start.astimezone(zone).date() if isinstance(a.start, datetime) else a.start
    dayless = not far.has_date and far.period is None and not (far.now and far.time is None)
    if dayless:
        far = replace(far, dates=[first_day])
    elif far.weekday and far.weekday[1] == "bare" and far.week_offset is None and not far.dates:
        wd = far.weekday[0]                 # "from Saturday 10pm to Monday 2am": the Monday after
        far = replace(far, weekday=None, dates=[first_day + timedelta(days=(wd - first_day.weekday()) % 7)])
    b = resolve_point(far, Kind.EVENT, now, zone)
    if b.question or b.start is None:
        return b
    start, end = join(a.start, b, dayless, now, zone)
    if end <= start and near.weekday and near.weekday[1] == "bare" and near.week_offset is None \
            and not near.dates:
        # "Monday afternoon to last night": the Monday before the end, not the one ahead
        last = (b.start.astimezone(zone).date() if isinstance(b.start, datetime) else b.start)
        back = last - timedelta(days=(last.weekday() - near.weekday[0]) % 7)
        earlier = resolve_point(replace(near, weekday=None, dates=[back]), Kind.EVENT, now, zone)
        if earlier.start is not None and not earlier.question:
            a = earlier
            start, end = join(a.start, b, dayless, now, zone)
    a.all_day = not isinstance(start, datetime)
    if end <= start:
        a.start, a.end, a.question = None, None, REVERSED
        return a
    a.start, a.end = start, end
    a.guessed = a.guessed or b.guessed
    a.original_tz = a.original_tz or b.original_tz
    return a


def join(start: date | datetime, b: Resolved, dayless: bool, now: datetime,
         zone: ZoneInfo) -> tuple[date | datetime, date | datetime]:
    """(start, exclusive end) of a range from a start and the far point's resolution `b`: both
    days, or both instants when either end has a time."""
    end = b.start if isinstance(b.start, datetime) else b.end
    if not isinstance(start, datetime) and not isinstance(end, datetime):
        return start, end
    start = as_instant(start, now, zone)
    end = end if isinstance(end, datetime) else local(end, 0, 0, zone)
    if dayless:
        while end <= start:
            day = end.astimezone(zone).date() + timedelta(days=1)
            end = local(day, end.hour, end.minute, zone)
    return start, end


def as_instant(d: date | datetime, now: datetime, zone: ZoneInfo) -> datetime:
    """A day as the moment it begins — today's as now, since a range cannot begin in the past."""
    if isinstance(d, datetime):
        return d
    if d == now.astimezone(zone).date():
        return now.astimezone(zone)
    return local(d, 0, 0, zone)
