"""Turn what the grammar found (`grammar.Found`) into start, end and RRULE for one kind of item.

This is where the README's resolution rules live: am/pm defaults, "a time without a date is
today if still ahead", default lengths, all-day exclusive ends, named zones converted with the
daylight-saving rules of that date, and the first occurrence of a repeating item.

`resolve()` never raises: what reaches past the planning horizon (`limits.py`) — "31.12.9999",
"in 10000 years", "every 999999 weeks" — comes back as a question.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from .. import weekdays
from ..item import Kind
from .grammar import Found, Recurrence, TimeOfDay, add_months, next_weekday
from .limits import FREQ_MINUTES, TOO_FAR, beyond, in_horizon

DEFAULT_EVENT_MINUTES = 60
REMINDER_DEFAULT = (9, 0)
RRULE_DAYS = weekdays.RRULE
UTC = timezone.utc


@dataclass
class Resolved:
    start: datetime | date | None = None
    end: datetime | date | None = None
    all_day: bool = False
    recurrence: str | None = None
    question: str | None = None
    original_tz: str | None = None
    guessed: bool = False           # a default filled a gap (am/pm rule, 09:00, today/tomorrow)
    out_of_range: bool = False      # the question is about the horizon (limits.py), not a gap


def local(d: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    """Wall-clock time on a date in a zone; a time in a DST gap moves forward, a fold takes the first."""
    naive = datetime(d.year, d.month, d.day, hour, minute, tzinfo=zone)
    return naive.astimezone(UTC).astimezone(zone)


def place(t: TimeOfDay, hint: str | None = None) -> tuple[int, int, int]:
    """(hour, minute, extra days) for a said time: am/pm, then a part-of-day hint, then the default
    rule (1-7 afternoon, 8-11 morning, 12 noon)."""
    h = t.hour
    if t.mer and h <= 12:
        h = h % 12 + (12 if t.mer == "pm" else 0)
    elif t.explicit or h >= 13 or t.mer:
        pass
    elif hint == "pm":
        h = h if h == 12 else h + 12
    elif hint == "am":
        h = 0 if h == 12 and t.midnight else h
    elif hint == "meal-pm" and 8 <= h <= 11:
        h += 12
    elif hint == "meal-am" and 5 <= h <= 7:
        pass
    elif 1 <= h <= 7:
        h += 12
    total = (h % 24) * 60 + t.minute + t.offset + (1440 if h == 24 else 0)
    days, minutes = divmod(total, 1440)
    return minutes // 60, minutes % 60, days


def place_range(t1: TimeOfDay, t2: TimeOfDay, hint: str | None) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """Both ends of "4-5pm", "11-11:30", "2pm to 5", "between 2 and 4": the end follows the start."""
    if t1.mer is None and t2.mer and not t1.explicit and t1.hour <= 12:
        borrowed = TimeOfDay(t1.hour, t1.minute, t2.mer, offset=t1.offset)
        a = place(borrowed)
        b = place(t2)
        if a[0] * 60 + a[1] > b[0] * 60 + b[1]:
            a = place(TimeOfDay(t1.hour, t1.minute, "am" if t2.mer == "pm" else "pm", offset=t1.offset))
        return a, b
    a = place(t1, hint)
    if t2.mer or t2.explicit or t2.hour > 12:
        return a, place(t2)
    start_min = a[0] * 60 + a[1]
    b = place(t2, hint)
    if b[0] * 60 + b[1] <= start_min and t1.mer is None and not t1.explicit and t1.hour <= 12 \
            and hint is None and t2.offset == 0:
        # "departs 6:40 arrives 9:15": both ends by the hour rule put the end first (18:40 ->
        # 09:15), so the start is the morning one; "9-5" and "2 to 4" never get here.
        early = place(TimeOfDay(t1.hour % 12, t1.minute, explicit=True, offset=t1.offset))
        if early[0] * 60 + early[1] < b[0] * 60 + b[1]:
            return early, b
    for h in (t2.hour % 12, t2.hour % 12 + 12):
        if h * 60 + t2.minute + t2.offset > start_min:
            return a, place(TimeOfDay(h, t2.minute, explicit=True, offset=t2.offset))
    return a, place(t2, hint)


def resolve(f: Found, kind: Kind, now: datetime, zone: ZoneInfo, lex_dayparts=None) -> Resolved:
    """Start/end/all-day/RRULE for an item of `kind` from the grammar's findings.

    The one place instants are built from a request, so the one place they are kept on the
    calendar: findings past the horizon are a question before any arithmetic (`limits.beyond`),
    the arithmetic runs behind a single guard (an extreme `now` can still run off year 1 or 9999),
    and the start and end it built are checked against the horizon.
    """
    if f.question:
        return Resolved(question=f.question)
    try:
        asked = beyond(f, now.astimezone(zone).date())
        r = resolve_unchecked(f, kind, now, zone) if asked is None else None
    except (OverflowError, ValueError):
        r, asked = None, TOO_FAR
    if r is not None and not (in_horizon(r.start, now) and in_horizon(r.end, now)):
        r, asked = None, TOO_FAR
    return r if r is not None else Resolved(question=asked, out_of_range=True)


def resolve_unchecked(f: Found, kind: Kind, now: datetime, zone: ZoneInfo) -> Resolved:
    """`resolve()` without the horizon guard: may raise on dates past year 9999."""
    r = Resolved()
    now = now.astimezone(zone)
    today = now.date()
    clock = clock_time(f)
    if kind in (Kind.EVENT, Kind.REMINDER):
        weekday_span_repeats(f, clock)
    day = base_date(f, today)
    if f.zone:
        r.original_tz = f.zone

    if f.offset_minutes is not None:
        # elapsed time: "in 6 hours" across a clock change is 6 real hours
        start: datetime | date | None = (now.astimezone(UTC) + timedelta(minutes=f.offset_minutes)).astimezone(zone)
        timed = True
    elif clock is not None:
        start = timed_start(f, day, clock, now, zone, r)
        timed = True
    else:
        start = day
        timed = False

    if kind in (Kind.QUERY, Kind.FIND_TIME):
        return period(f, r, start, timed, day, zone)
    if kind == Kind.EVENT and day is None and f.period and not f.rec and f.offset_minutes is None:
        r.question = "Which day " + ({"week": "that week", "weekend": "that weekend",
                                      "month": "that month"}.get(f.period_name or "", "then")) + "?"
        return r

    if f.rec is not None:
        start, timed = first_occurrence(f, kind, day, clock, now, zone, r)
        if start is None:
            return r
    elif kind == Kind.REMINDER and not timed and start is None and (f.period or f.week_offset is not None):
        start = (f.period[0] if f.period else today)
    if kind == Kind.REMINDER and start is not None and not timed:
        start = reminder_time(start, now, zone)
        r.guessed = True
        timed = True
    r.start = start
    if start is None:
        return r
    if kind == Kind.EVENT:
        r.end, r.all_day = event_end(f, start, timed, clock, zone)
    elif kind == Kind.REMINDER:
        r.end, r.all_day = None, False
    else:
        r.end, r.all_day = None, not timed
    return r


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


def base_date(f: Found, today: date) -> date | None:
    """The day the request names, before any time of day."""
    if f.date_range:
        return f.date_range[0]
    if f.dates:
        return f.dates[0]
    if f.weekday:
        wd, mode = f.weekday
        return next_weekday(today, wd, mode, f.week_offset)
    if f.day_offset is not None:
        return today + timedelta(days=f.day_offset)
    if f.month_offset is not None and f.period is None:
        return add_months(today, f.month_offset)
    if f.daypart is not None and f.daypart.day_offset is not None:
        return today + timedelta(days=f.daypart.day_offset)
    return None


def clock_time(f: Found) -> tuple[int, int, int] | None:
    """(hour, minute, extra days) of the start, from a said time or a part of the day."""
    hint = meridiem_hint(f)
    if f.time is not None:
        if f.end_time is not None:
            return place_range(f.time, f.end_time, hint)[0]
        return place(f.time, hint)
    if f.daypart is not None:
        return f.daypart.hour, f.daypart.minute, 0
    if f.rec is not None and f.rec.daypart is not None:
        return f.rec.daypart[0], f.rec.daypart[1], 0
    return None


def meridiem_hint(f: Found) -> str | None:
    """am/pm suggested by a part of the day ("this evening 6:30", "every evening at 9") or a meal."""
    if f.daypart is not None and f.daypart.mer:
        return f.daypart.mer
    if f.rec is not None and f.rec.daypart is not None and f.rec.daypart[2]:
        return f.rec.daypart[2]
    return f.mer_hint


def timed_start(f: Found, day: date | None, clock: tuple[int, int, int], now: datetime,
                zone: ZoneInfo, r: Resolved) -> datetime:
    """The start for a day (or none) and a clock time, in the owner's zone."""
    h, m, extra = clock
    src = ZoneInfo(f.zone) if f.zone else zone
    if day is not None:
        return local(day + timedelta(days=extra), h, m, src).astimezone(zone)
    # A time without a date: today if still ahead, else tomorrow (in the zone it was said in).
    here = now.astimezone(src)
    candidate = local(here.date() + timedelta(days=extra), h, m, src)
    if candidate <= now:
        candidate = local(here.date() + timedelta(days=extra + 1), h, m, src)
    r.guessed = True
    return candidate.astimezone(zone)


def reminder_time(start: date | datetime, now: datetime, zone: ZoneInfo) -> datetime:
    """A date-only reminder fires at 09:00; today after 09:00 means the next full hour."""
    if isinstance(start, datetime):
        return start
    at = local(start, *REMINDER_DEFAULT, zone)
    if at <= now:
        at = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    return at


def event_end(f: Found, start: datetime | date, timed: bool, clock, zone: ZoneInfo) -> tuple[datetime | date, bool]:
    """The exclusive end: the said end time, the said length, or the default."""
    if not timed or f.all_day and not isinstance(start, datetime):
        first = start if not isinstance(start, datetime) else start.date()
        if f.date_range:
            last = max(f.date_range[1], first)
            return last + timedelta(days=1), True
        days = 1
        if f.duration and f.duration >= 1440 and f.rec is None:
            days = max(1, round(f.duration / 1440))
        return first + timedelta(days=days), True
    assert isinstance(start, datetime)
    if f.end_time is not None and f.time is not None:
        hint = meridiem_hint(f)
        h, m, extra = place_range(f.time, f.end_time, hint)[1]
        src = ZoneInfo(f.zone) if f.zone else zone
        start_src = start.astimezone(src)
        end = local(start_src.date() + timedelta(days=extra), h, m, src).astimezone(zone)
        if f.date_range:
            end = local(f.date_range[1], h, m, src).astimezone(zone)
        while end <= start:
            end = local(end.astimezone(src).date() + timedelta(days=1), h, m, src).astimezone(zone)
        return end, False
    if f.date_range and f.date_range[1] > start.date():
        h, m = start.hour, start.minute
        return local(f.date_range[1], h, m, zone) + timedelta(minutes=DEFAULT_EVENT_MINUTES), False
    minutes = f.duration if f.duration and (f.duration < 1440 or f.rec is None) else DEFAULT_EVENT_MINUTES
    return (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(zone), False


def period(f: Found, r: Resolved, start, timed: bool, day: date | None, zone: ZoneInfo) -> Resolved:
    """Queries and slot searches ask about a span: all-day dates with an exclusive end."""
    if timed and isinstance(start, datetime) and f.offset_minutes is None:
        r.start = start
        if f.end_time is not None and f.time is not None:
            r.end = event_end(f, start, True, None, zone)[0]
        else:
            r.end = start + timedelta(minutes=f.duration if f.duration and f.duration < 1440 and f.daypart is None else 60)
        if f.daypart is not None and f.time is None and not f.daypart.exact:
            # "am I free on Friday afternoon?" -> that part of the day, as instants
            a, b = daypart_window(f.daypart.hour)
            day = start.astimezone(zone).date()
            r.start = local(day, a, 0, zone)
            r.end = local(day + timedelta(days=b // 24), b % 24, 0, zone)
            r.all_day = False
        return r
    if f.date_range:
        r.start, r.end = f.date_range[0], f.date_range[1] + timedelta(days=1)
    elif day is not None:
        r.start, r.end = day, day + timedelta(days=1)
    elif f.period:
        r.start, r.end = f.period
    else:
        return r
    r.all_day = True
    return r


def daypart_window(hour: int) -> tuple[int, int]:
    """The hours a part of the day covers, from its default hour: morning 06-12, afternoon
    12-18, evening and night 18-24."""
    if hour < 12:
        return 6, 12
    if hour < 18:
        return 12, 18
    return 18, 24


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
        if not timed or d > today:
            return True
        return d == today and local(d, clock[0], clock[1], src) > now

    start_day = next_match(rec, anchor, ok)
    if start_day is None:
        r.question = "When should it start?"
        return None, timed
    r.recurrence = rrule_text(rec, f, clock, src, timed, start_day)
    if not timed:
        return start_day, False
    return local(start_day + timedelta(days=clock[2]), clock[0], clock[1], src).astimezone(zone), True


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
        if rec.nth:
            parts.append(f"BYDAY={rec.nth}{RRULE_DAYS[rec.byday[0]]}")
        else:
            parts.append("BYDAY=" + ",".join(RRULE_DAYS[d] for d in sorted(rec.byday)))
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
