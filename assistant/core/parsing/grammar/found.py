"""What the grammar reads from a request (`Found` and its parts), and two calendar helpers.

Nothing here looks at tokens: these are the plain records the matchers fill in and that
`dates.resolve()` turns into datetimes.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from ... import weekdays

MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
WEEKDAY_NAMES = weekdays.NAMES


@dataclass(slots=True)
class TimeOfDay:
    """A clock time as said: the hour is not yet placed in am/pm unless `mer` or `explicit`."""

    hour: int
    minute: int = 0
    mer: str | None = None          # "am" / "pm" when said
    explicit: bool = False          # 24-hour form ("15:00", "07:30"): no am/pm guessing
    offset: int = 0                 # minutes added after placing the hour ("quarter to four": -15)
    strong: bool = True             # clearly a time (colon, am/pm, "at"); weak: a bare number
    midnight: bool = False


@dataclass(slots=True)
class Daypart:
    hour: int
    minute: int
    mer: str | None
    day_offset: int | None
    exact: bool


@dataclass(slots=True)
class Recurrence:
    freq: str                       # DAILY / WEEKLY / MONTHLY / YEARLY
    interval: int = 1
    byday: list[int] = field(default_factory=list)
    bymonthday: int | None = None
    nth: int | None = None          # with one weekday: 1 = first, -1 = last (MONTHLY)
    daypart: tuple[int, int, str | None] | None = None      # "every morning" -> (9, 0, "am")


@dataclass(frozen=True, slots=True)
class ClockWindow:
    """N whole units shorter than a day before or after the current one ("the next 3 hours" starts
    at the next whole hour); placed against the clock by `dates.resolve`, as the grammar has no clock."""

    sign: int                       # +1 next, -1 past, 0 from now ("in the next 3 hours")
    count: int
    unit_minutes: float             # 1/60 second, 1 minute, 60 hour


@dataclass
class Found:
    """Everything the grammar read from one request."""

    dates: list[date] = field(default_factory=list)
    dom_only: bool = False          # the date was a bare day of month ("the 20th")
    weekday: tuple[int, str] | None = None     # (0..6, "bare" | "next" | "this" | "last")
    week_offset: int | None = None             # next week = 1, this week = 0, in two weeks = 2
    day_offset: int | None = None              # in 3 days
    month_offset: int | None = None
    period: tuple[date, date] | None = None    # exclusive end (this weekend, next month)
    period_name: str | None = None
    counted: bool = False                      # the period is N units counted ("the next 3 days"): a span
    date_range: tuple[date, date] | None = None   # inclusive end (March 24 to 26)
    weekday_span: tuple[int, int] | None = None   # the range was "Mon-Fri": (0, 4)
    time: TimeOfDay | None = None
    end_time: TimeOfDay | None = None
    daypart: Daypart | None = None
    duration: int | None = None                # minutes
    offset_minutes: float | None = None        # in 2 hours (exact, from now; seconds as fractions)
    now: bool = False                          # "now", "ASAP": the moment of speaking, unless a time is said
    rec: Recurrence | None = None
    count: int | None = None
    until: date | None = None
    anchor: date | None = None                 # starting next week / from April 1
    zone: str | None = None
    all_day: bool = False
    day_shift: int | None = None               # days from an item said before ("the day after")
    anchor_minutes: int | None = None          # "an hour before" (-60) / "30 minutes after" an item said before
    question: str | None = None                # an impossible date: what to ask
    doubt: str | None = None                   # a date read but maybe not meant ("Tuesday, 10 January" on a
                                               # Thursday): asked about, the date kept
    guessed_day: bool = False                  # the doubt's date is a guess (moved to fit the weekday): the
                                               # item gets no start until the owner says yes
    mer_hint: str | None = None                # "dinner" -> pm, "breakfast" -> am (set by the parser)
    upto: Found | None = None                  # the far end of "from today to tomorrow 5pm" (ranges.py)
    joined_times: bool = False                 # time and end_time were said as one span ("3 to 8")
    clock_window: ClockWindow | None = None    # "the next 3 hours", "the last 2 minutes" (period_units.py)
    used: list[bool] = field(default_factory=list)
    hits: int = 0                              # expressions read, for confidence

    @property
    def has_date(self) -> bool:
        return bool(self.dates or self.weekday or self.day_offset is not None
                    or self.date_range or self.month_offset is not None
                    or (self.daypart is not None and self.daypart.day_offset is not None)
                    or self.anchor is not None and self.rec is None)

    @property
    def has_when(self) -> bool:
        """Anything at all about when: a date, a time, a repetition, a period or a question."""
        return (self.has_date or self.has_time or self.rec is not None or self.period is not None
                or self.question is not None or self.clock_window is not None)

    @property
    def has_time(self) -> bool:
        return self.time is not None or self.offset_minutes is not None or self.now or (
            self.daypart is not None)


def add_months(d: date, months: int) -> date:
    """The same day `months` later, clamped to the month's length."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def next_weekday(today: date, wd: int, mode: str, week_offset: int | None = None) -> date:
    """Resolve a weekday by the README's rules.

    bare: the next such day after today (today's own weekday -> next week);
    next: that day in next week (weeks start Monday); this: this week's; last: the previous one.
    With a week offset ("in two weeks on Tuesday", "Tuesday next week"): that week's day.
    """
    monday = today - timedelta(days=today.weekday())
    if week_offset is not None:
        return monday + timedelta(weeks=week_offset, days=wd)
    if mode == "next":
        return monday + timedelta(weeks=1, days=wd)
    if mode == "this":
        return monday + timedelta(days=wd)
    if mode == "last":
        delta = (today.weekday() - wd) % 7 or 7
        return today - timedelta(days=delta)
    delta = (wd - today.weekday()) % 7 or 7
    return today + timedelta(days=delta)
