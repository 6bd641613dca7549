"""Turn what the grammar found (`grammar.Found`) into start, end and RRULE for one kind of item.

This is where the README's resolution rules live: "a time without a date is today if still
ahead", default lengths, all-day exclusive ends, named zones converted with the daylight-saving
rules of that date; the am/pm rules are in `wall_time.py`, the first occurrence and RRULE of a
repeating item in `series.py`.

`resolve()` never raises: what reaches past the planning horizon (`limits.py`) — "31.12.9999",
"in 10000 years", "every 999999 weeks" — comes back as a question.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ..item import Kind
from .grammar import Found, add_months, next_weekday
from .grammar.found import ClockWindow
from .limits import TOO_FAR, beyond, in_horizon
from .range_ends import resolve_range
from .series import first_occurrence, next_rule_day, weekday_span_repeats
from .wall_time import DEFAULT_EVENT_MINUTES, REMINDER_DEFAULT, daypart_hint, local, place, place_range

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
    ask: str | None = None          # a question that keeps start/end: "trip in March" -> which day?


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
    if f.upto is not None and f.rec is None:
        return resolve_range(f, kind, now, zone, resolve_unchecked)
    if f.clock_window is not None and f.rec is None and f.time is None:
        span = clock_window_span(f.clock_window, now, zone)
        if kind in (Kind.EVENT, Kind.REMINDER):
            span.ask = "What time then?"            # "meeting in the next 2 hours": the window, and ask
        return span
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
    elif f.now and day is None:
        start, timed = now, True
    else:
        start = day
        timed = False

    if kind in (Kind.QUERY, Kind.FIND_TIME):
        if f.rec is not None and start is None and not f.period:
            day = start = next_rule_day(f.rec, today)       # "when is the last business day of the month?"
        return period(f, r, start, timed, day, zone)
    if kind in (Kind.EVENT, Kind.REMINDER) and day is None and f.period and not f.rec and f.offset_minutes is None:
        return vague_period(f, kind, r, clock, now, zone)
    if kind == Kind.CANCEL and day is None and f.period and clock is None and f.offset_minutes is None:
        r.start, r.end = f.period
        r.all_day = True
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
        if kind == Kind.CANCEL and f.date_range and not timed:
            r.end = f.date_range[1] + timedelta(days=1)      # "cancel everything Monday to Wednesday"
    return r


WHICH_DAY = "Which day"
"""How the question about an event or reminder said only by a period begins (period_reply.py)."""
PERIOD_WORDS = {"week": "that week", "weekend": "that weekend", "month": "that month", "year": "that year"}


def vague_period(f: Found, kind: Kind, r: Resolved, clock, now: datetime, zone: ZoneInfo) -> Resolved:
    """An event or reminder said only by a period ("trip to Rome in March", "dentist sometime next
    week"): the period is kept aside (`Item.within`: an all-day span; a reminder: its first day at
    09:00, or at the time said) and the day is asked for, never invented. An event said by counted
    days ("out of office the next 3 days") is that span."""
    assert f.period is not None
    first, stop = f.period
    if kind == Kind.EVENT and f.counted and clock is None:
        r.start, r.end, r.all_day = first, stop, True     # "out of office the next 3 days": that span
        return r
    today = now.astimezone(zone).date()
    first = max(first, today) if stop > today else first
    name = f.period_name or "then"
    r.ask = f"{WHICH_DAY} {PERIOD_WORDS.get(name, name)}?"
    if clock is not None:
        h, m, extra = clock
        src = ZoneInfo(f.zone) if f.zone else zone
        r.start = local(first + timedelta(days=extra), h, m, src).astimezone(zone)
        if kind == Kind.EVENT:
            r.end = event_end(f, r.start, True, clock, zone)[0]
        return r
    if kind == Kind.REMINDER:
        r.start = reminder_time(first, now, zone)
        return r
    r.start, r.end, r.all_day = first, stop, True
    return r


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
    if f.anchor is not None and f.rec is None:
        return f.anchor                     # "for 5 days starting Friday": no series, so its day
    return None


def clock_time(f: Found) -> tuple[int, int, int] | None:
    """(hour, minute, extra days) of the start, from a said time or a part of the day."""
    hint = meridiem_hint(f)
    if f.time is not None:
        if f.end_time is not None:
            return place_range(f.time, f.end_time, hint, f.joined_times)[0]
        return place(f.time, hint)
    if f.daypart is not None:
        return f.daypart.hour, f.daypart.minute, 0
    if f.rec is not None and f.rec.daypart is not None:
        return f.rec.daypart[0], f.rec.daypart[1], 0
    return None


def meridiem_hint(f: Found) -> str | None:
    """am/pm suggested by a part of the day ("this evening 6:30", "every evening at 9") or a meal."""
    if f.daypart is not None and f.daypart.mer:
        return daypart_hint(f.daypart.hour, f.daypart.mer)
    if f.rec is not None and f.rec.daypart is not None and f.rec.daypart[2]:
        return daypart_hint(f.rec.daypart[0], f.rec.daypart[2])
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
        h, m, extra = place_range(f.time, f.end_time, hint, f.joined_times)[1]
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


def clock_window_span(w: ClockWindow, now: datetime, zone: ZoneInfo) -> Resolved:
    """"the next 3 hours" from the next whole hour; "the last 2 minutes" up to this whole minute;
    "in the next 3 hours" from now."""
    here = now.astimezone(zone)
    if w.sign == 0:
        return Resolved(start=here, end=(here.astimezone(UTC) + timedelta(minutes=w.unit_minutes * w.count)).astimezone(zone))
    if w.unit_minutes >= 60:
        here = here.replace(minute=0)
    if w.unit_minutes >= 1:
        here = here.replace(second=0)
    edge = here.replace(microsecond=0).astimezone(UTC)
    unit = timedelta(minutes=w.unit_minutes)
    first = edge + unit if w.sign > 0 else edge - unit * w.count
    return Resolved(start=first.astimezone(zone), end=(first + unit * w.count).astimezone(zone))


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
