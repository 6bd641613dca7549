"""Repeating requests: the first occurrence on or after now (or the said start) and the RRULE text.

Part of the resolver (`dates.resolve`): the rule's days and times belong to the zone the request
named; counts, "for 3 weeks" and UNTIL (the end of the last day, in UTC, for timed series) are
written here.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .. import weekdays
from ..item import Kind
from .grammar import Found, Recurrence, add_months
from .grammar.recurrence import nth_of_days
from .limits import FREQ_MINUTES
from .wall_time import REMINDER_DEFAULT, local

if TYPE_CHECKING:
    from .dates import Resolved

RRULE_DAYS = weekdays.RRULE
UTC = timezone.utc


def weekday_span_repeats(f: Found, clock) -> None:
    """A span of weekdays with a time of day happens at that time on each of those days:
    "Standup Mon-Fri at 9:30" is every weekday (as "weekdays at 9:30"); "Workshop Monday to
    Wednesday 9-5" is those three days. Without a time it stays one multi-day event."""
    if f.weekday_span is None or clock is None or f.rec is not None or f.date_range is None:
        return
    first, last = f.weekday_span
    if (first, last) == (0, 4):
        f.rec = Recurrence("WEEKLY", byday=[0, 1, 2, 3, 4])
    else:
        f.rec = Recurrence("DAILY")
        f.anchor = f.date_range[0]
        f.count = (f.date_range[1] - f.date_range[0]).days + 1
    f.date_range = None
    f.dates = []


def first_occurrence(f: Found, kind: Kind, day: date | None, clock, now: datetime, zone: ZoneInfo,
                     r: Resolved) -> tuple[datetime | date | None, bool]:
    """The first occurrence on or after now (or the anchor), and the RRULE text."""
    rec = f.rec
    assert rec is not None
    if rec.freq == "HOURLY":
        start = (now.astimezone(UTC) + timedelta(hours=rec.interval)).astimezone(zone).replace(second=0, microsecond=0)
        r.recurrence = rrule_text(rec, f, None, zone, True, start.date())
        return start, True
    # The rule's days and times belong to the zone the request named ("every Monday at 10am New
    # York time"): find the first occurrence there, then convert the instant to the owner's zone.
    src = ZoneInfo(f.zone) if f.zone and clock is not None else zone
    now_src = now.astimezone(src)
    today = now_src.date()
    if rec.freq == "WEEKLY" and not rec.byday and f.weekday:
        rec.byday = [f.weekday[0]]
    if rec.freq == "MONTHLY" and rec.bymonthday is None and rec.nth is None and f.dates and f.dom_only:
        rec.bymonthday = f.dates[0].day
    if rec.freq == "DAILY" and rec.byday:
        rec.freq = "WEEKLY"
    anchor = f.anchor or (day if (f.dates or f.day_offset is not None) else None) or today
    timed = clock is not None or kind == Kind.REMINDER
    if clock is None and kind == Kind.REMINDER:
        clock = (*REMINDER_DEFAULT, 0)
        r.guessed = True

    def ok(d: date) -> bool:
        if not timed or d > today and clock[2] >= 0:
            return True
        return local(d + timedelta(days=clock[2]), clock[0], clock[1], src) > now     # "every night at 2"

    start_day = next_match(rec, anchor, ok)
    if start_day is None:
        r.question = "When should it start?"
        return None, timed
    r.recurrence = rrule_text(rec, f, clock, src, timed, start_day)
    if not timed:
        return start_day, False
    return local(start_day + timedelta(days=clock[2]), clock[0], clock[1], src).astimezone(zone), True


def next_rule_day(rec: Recurrence, today: date) -> date | None:
    """The next day a monthly rule names, today included: a question about "the last business
    day of the month" or "the first Monday of the month" asks about that one day."""
    if rec.freq != "MONTHLY" or not (rec.nth or rec.bymonthday):
        return None
    return next_match(rec, today, lambda d: True)


def next_match(rec: Recurrence, anchor: date, ok) -> date | None:
    """The first day on or after `anchor` the rule produces and `ok` accepts."""
    if rec.freq == "WEEKLY" and rec.byday:
        for i in range(0, 15):
            d = anchor + timedelta(days=i)
            if d.weekday() in rec.byday and ok(d):
                return d
        return None
    if rec.freq == "MONTHLY" and (rec.bymonthday or rec.nth):
        first = anchor.replace(day=1)
        for i in range(0, 25):
            month = add_months(first, i)
            d = nth_in_month(rec, month)
            if d is not None and d >= anchor and ok(d):
                return d
        return None
    step = {"DAILY": 1, "WEEKLY": 7}.get(rec.freq, 0)
    d = anchor
    if ok(d):
        return d
    if step:
        return d + timedelta(days=step)
    if rec.freq == "MONTHLY":
        return add_months(d, 1)
    return date(d.year + 1, d.month, min(d.day, 28)) if d.month == 2 and d.day == 29 else d.replace(year=d.year + 1)


def nth_in_month(rec: Recurrence, month: date) -> date | None:
    import calendar

    last = calendar.monthrange(month.year, month.month)[1]
    if rec.bymonthday and rec.bymonthday < 0:
        day = last + 1 + rec.bymonthday          # -1: the last day of the month
        return month.replace(day=day) if day >= 1 else None
    if rec.bymonthday:
        return month.replace(day=rec.bymonthday) if rec.bymonthday <= last else None
    if rec.nth and len(rec.byday) > 1:
        return nth_of_days(month, rec.nth, rec.byday)       # "the last business day": BYSETPOS
    wd = rec.byday[0] if rec.byday else 0
    if rec.nth and rec.nth > 0:
        first = month + timedelta(days=(wd - month.weekday()) % 7)
        d = first + timedelta(weeks=rec.nth - 1)
        return d if d.month == month.month else None
    end = month.replace(day=last)
    return end - timedelta(days=(end.weekday() - wd) % 7)


def rrule_text(rec: Recurrence, f: Found, clock, zone: ZoneInfo, timed: bool, start_day: date) -> str:
    parts = [f"FREQ={rec.freq}"]
    if rec.interval > 1:
        parts.append(f"INTERVAL={rec.interval}")
    if rec.byday:
        if rec.nth and len(rec.byday) > 1:
            parts.append("BYDAY=" + ",".join(RRULE_DAYS[d] for d in sorted(rec.byday)))
            parts.append(f"BYSETPOS={rec.nth}")
        elif rec.nth:
            parts.append(f"BYDAY={rec.nth}{RRULE_DAYS[rec.byday[0]]}")
        else:
            shift = clock[2] if clock else 0          # "every Friday night at 1" is Saturday 01:00
            parts.append("BYDAY=" + ",".join(RRULE_DAYS[d] for d in sorted((d + shift) % 7 for d in rec.byday)))
    if rec.bymonthday:
        parts.append(f"BYMONTHDAY={rec.bymonthday}")
    count = f.count
    if count is None and f.duration and f.duration >= 1440:
        per = FREQ_MINUTES[rec.freq]
        count = max(1, round(f.duration / per / rec.interval)) * (len(rec.byday) if rec.freq == "WEEKLY" and rec.byday and not rec.nth else 1)
    if count:
        parts.append(f"COUNT={count}")
    elif f.until:
        if timed:
            until = datetime.combine(f.until, time(23, 59, 59), tzinfo=zone).astimezone(UTC)
            parts.append("UNTIL=" + until.strftime("%Y%m%dT%H%M%SZ"))
        else:
            parts.append("UNTIL=" + f.until.strftime("%Y%m%d"))
    return ";".join(parts)
