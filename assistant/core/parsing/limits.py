"""How far ahead (and back) the parser plans, and the one safe way to move an instant.

A request can name a date Python cannot represent ("31.12.9999" plus its default hour, "in 10000
years" is past year 9999) or one that is almost surely a slip ("in 999999 days", "every 99999999
weeks"). Nothing the parser produces lies more than `HORIZON_YEARS` from now: beyond that the item
asks (`needs_clarification` with one of the questions below) instead of raising OverflowError or
ValueError somewhere deep inside the date arithmetic.

Where this is enforced (each a single place):
  * the grammar's `record_date`: a year said outside the horizon is a question, never a `date`;
  * `Scanner.match_at`: a matcher whose calendar arithmetic still runs off the calendar (an extreme
    `today`) records `TOO_FAR` instead of raising;
  * `dates.resolve`: `beyond()` checks what the grammar found (dates, offsets, lengths, repeat
    intervals and counts) before any arithmetic, the arithmetic runs behind one guard, and the
    start and end it built are checked with `in_horizon()`;
  * `shifted()`: moving an existing instant by an amount ("push it back by 2 hours", an edit's
    "for 3 hours", keeping an edited event's length) — None instead of an exception.

Pure: no imports from the rest of the parser, so the grammar and `dates` can both use it.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

HORIZON_YEARS = 100
HORIZON_DAYS = round(HORIZON_YEARS * 365.25)
HORIZON_MINUTES = HORIZON_DAYS * 1440

TOO_FAR = "That date is too far away — which date did you mean?"
TOO_LONG = "That is longer than I can plan for — how long did you mean?"
TOO_RARE = "That repeats too rarely for me to plan — how often did you mean?"
TOO_MANY = "That repeats too many times for me to plan — how many times did you mean?"
QUESTIONS = frozenset({TOO_FAR, TOO_LONG, TOO_RARE, TOO_MANY})

# Minutes per repetition step, by RRULE frequency.
FREQ_MINUTES = {"HOURLY": 60, "DAILY": 1440, "WEEKLY": 10080, "MONTHLY": 43200, "YEARLY": 525600}
_MONTH_DAYS = 365.25 / 12


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def in_horizon(value: date | datetime | None, now: date | datetime) -> bool:
    """Is `value` (a date or an instant; None passes) within the horizon of `now`?"""
    if value is None:
        return True
    return abs(_day(value).toordinal() - _day(now).toordinal()) <= HORIZON_DAYS


def year_in_horizon(year: int, today: date) -> bool:
    """A said year, checked before any `date` is built from it (year 0 or 10000 cannot be)."""
    return abs(year - today.year) <= HORIZON_YEARS


def shifted(value: Any, now: date | datetime, by: timedelta | None = None, *,
            days: float = 0, minutes: float = 0) -> Any:
    """`value` (a date or an aware datetime) moved by `by` or by days/minutes, wall-clock as `+`
    does; None when the amount or the result leaves the calendar or the horizon."""
    try:
        out = value + (by if by is not None else timedelta(days=days, minutes=minutes))
    except (OverflowError, ValueError):
        return None
    return out if in_horizon(out, now) else None


def beyond(f: Any, today: date) -> str | None:
    """The question to ask when what the grammar found (a `grammar.Found`) reaches past the
    horizon — a date, an offset from now, a length, a repeat interval or count — else None."""
    for d in (*f.dates, *(f.date_range or ()), *(f.period or ()), f.until, f.anchor):
        if d is not None and not in_horizon(d, today):
            return TOO_FAR
    days = max(abs(f.day_offset or 0), abs(f.week_offset or 0) * 7,
               abs(f.month_offset or 0) * _MONTH_DAYS, abs(f.offset_minutes or 0) / 1440)
    if days > HORIZON_DAYS:
        return TOO_FAR
    if f.duration and abs(f.duration) > HORIZON_MINUTES:
        return TOO_LONG
    rec = f.rec
    if rec is not None:
        step = FREQ_MINUTES.get(rec.freq, 1440) * max(1, rec.interval)
        if step > HORIZON_MINUTES:
            return TOO_RARE
        if f.count and f.count * step > HORIZON_MINUTES:
            return TOO_MANY
    return None


__all__ = ["HORIZON_YEARS", "TOO_FAR", "TOO_LONG", "TOO_RARE", "TOO_MANY", "QUESTIONS",
           "in_horizon", "year_in_horizon", "shifted", "beyond"]
