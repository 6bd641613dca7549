"""Wall-clock times: where a said time falls (the am/pm rules), the instant of a wall-clock time in
a zone, and the default times (an event's length, a date-only reminder's 09:00).

Used by the resolver (`dates.py`), repeat rules (`series.py`) and edits that keep a time of day.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from .grammar import TimeOfDay

DEFAULT_EVENT_MINUTES = 60
REMINDER_DEFAULT = (9, 0)
UTC = timezone.utc


def local(d: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    """Wall-clock time on a date in a zone; a time in a DST gap moves forward, a fold takes the first."""
    naive = datetime(d.year, d.month, d.day, hour, minute, tzinfo=zone)
    return naive.astimezone(UTC).astimezone(zone)


NIGHT = "night"
"""The hint of an evening or night ("tonight at 2"): the hour is read inside that night."""
LAST_SMALL_HOUR = 4
"""The last hour an evening or night reaches past midnight: "tonight at 4:59" is 04:59 next morning."""


def daypart_hint(hour: int, mer: str | None) -> str | None:
    """The hint a part of the day gives a bare hour said with it: evening and night parts (their
    default hour 18 or later) read 1–4 as after midnight and 12 as the midnight ending the day."""
    return NIGHT if mer == "pm" and hour >= 18 else mer


def place(t: TimeOfDay, hint: str | None = None) -> tuple[int, int, int]:
    """(hour, minute, extra days) for a said time: am/pm, then a part-of-day hint, then the default
    rule (1-7 afternoon, 8-11 morning, 12 noon)."""
    h = t.hour
    if t.mer and h <= 12:
        h = h % 12 + (12 if t.mer == "pm" else 0)
    elif t.explicit or h >= 13 or t.mer:
        pass
    elif hint == NIGHT:
        h = 24 if h == 12 else h + 24 if h <= LAST_SMALL_HOUR else h + 12
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
    total = h * 60 + t.minute + t.offset
    days, minutes = divmod(total, 1440)
    return minutes // 60, minutes % 60, days


def place_range(t1: TimeOfDay, t2: TimeOfDay, hint: str | None,
                joined: bool = False) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """Both ends of "4-5pm", "11-11:30", "2pm to 5", "between 2 and 4": the end follows the start.

    `joined`: the two were said as one span ("between 3 and 8", "3-8"): the hour rule places the
    start (15:00) and the end is the first such clock time after it (20:00). Two times said apart
    ("departs 6:40 arrives 9:15") whose hour-rule start would follow the end are both morning."""
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
            and hint is None and t2.offset == 0 and not joined:
        # "departs 6:40 arrives 9:15": both ends by the hour rule put the end first (18:40 ->
        # 09:15), so the start is the morning one; "9-5" and "2 to 4" never get here.
        early = place(TimeOfDay(t1.hour % 12, t1.minute, explicit=True, offset=t1.offset))
        if early[0] * 60 + early[1] < b[0] * 60 + b[1]:
            return early, b
    for h in (t2.hour % 12, t2.hour % 12 + 12):
        if h * 60 + t2.minute + t2.offset > start_min:
            return a, place(TimeOfDay(h, t2.minute, explicit=True, offset=t2.offset))
    return a, place(t2, hint)
