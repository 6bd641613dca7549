"""Windows of N units and units inside a month or year.

A window is calendar-aligned, as duckling reads it: "the next 3 days" are the 3 days after today,
"the next 3 weeks" the 3 whole weeks after this one (from next Monday), "the next 3 months" start
on the 1st of next month (quarters and years alike); "the last 2 weeks" are the 2 whole weeks
before this one. "within 2 weeks", "in the next 3 days", "over the coming month" run from today.
Units shorter than a day ("the next 3 hours", "the last 2 minutes") are whole units too, placed
against the clock by `dates.resolve` (`Found.clock_window`); "within 2 hours" stays elapsed time.

"the first 2 weeks of 2021", "the last four months of 2021", "the last 3 days of May" are units
inside a month or year (weeks are whole Monday-to-Sunday weeks inside a month, a year's ISO weeks); "the third month of
2021" is that month.
"""
from __future__ import annotations

from datetime import date, timedelta
from enum import Enum

from ..tokens import ORD
from .found import ClockWindow, add_months
from .period_units import PeriodUnitGrammar


class Step(Enum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class Mode(Enum):
    WITHIN = "within"           # from today
    NEXT = "next"               # the whole units after the current one
    PAST = "past"               # the whole units before the current one


Unit = tuple[Step, int]
WINDOW_STEPS: dict[float, Unit] = {1440: (Step.DAY, 1), 10080: (Step.WEEK, 1), 20160: (Step.WEEK, 2),
                                   43200: (Step.MONTH, 1), 525600: (Step.MONTH, 12)}
QUARTER: Unit = (Step.MONTH, 3)
FORTNIGHT: Unit = (Step.WEEK, 2)
MAX_COUNT = 1000


def shift(d: date, step: Step, k: int) -> date:
    if step is Step.DAY:
        return d + timedelta(days=k)
    if step is Step.WEEK:
        return d + timedelta(weeks=k)
    return add_months(d, k)


def unit_start(today: date, unit: Unit) -> date:
    """The first day of the unit `today` is in (this Monday, this quarter's 1st, January 1)."""
    step, size = unit
    if step is Step.DAY:
        return today
    if step is Step.WEEK:
        return today - timedelta(days=today.weekday())
    months = today.year * 12 + today.month - 1
    months -= months % size
    return date(months // 12, months % 12 + 1, 1)


def window_span(today: date, mode: Mode, n: int, unit: Unit) -> tuple[date, date]:
    step, size = unit
    if mode is Mode.WITHIN:
        return today, shift(today, step, n * size)
    current = unit_start(today, unit)
    if mode is Mode.NEXT:
        first = shift(current, step, 1 if step is Step.WEEK else size)    # a fortnight starts next Monday
        return first, shift(first, step, n * size)
    return shift(current, step, -n * size), current


def units_inside(first: date, limit: date, n: int, unit: Unit, from_end: bool) -> tuple[date, date] | None:
    """The first (or last) n units inside [first, limit); weeks are whole Monday-to-Sunday ones."""
    step, size = unit
    if step is Step.WEEK:
        first += timedelta(days=-first.weekday() % 7)
        limit -= timedelta(days=limit.weekday())
    span = (first, shift(first, step, n * size)) if not from_end else (shift(limit, step, -n * size), limit)
    return span if first <= span[0] < span[1] <= limit else None


class PeriodWindowGrammar(PeriodUnitGrammar):
    """Matchers used by `CalendarPeriodGrammar.calendar_period`; see `scanner.py`."""

    def window_mode(self, i: int) -> tuple[Mode, int] | None:
        lex = self.lex
        hit = self.phrase(lex.period_within, i)
        if hit:
            return Mode.WITHIN, hit[0]
        hit = self.phrase(lex.period_next, i)
        if hit:
            return Mode.NEXT, hit[0]
        hit = self.phrase(lex.period_prev, i)
        return (Mode.PAST, hit[0]) if hit else None

    def period_window(self, i: int) -> int | None:
        """"the next 3 days", "the past 2 weeks", "within a month", "2 upcoming weeks", "the last
        2 minutes", "the last four months of 2021"."""
        said = self.window_mode(i)
        if said is not None:
            mode, j = said
            amount = self.window_amount(j)
            if amount is None and mode is not Mode.PAST and self.lex.units.get(self.key(j), 0) in (1, 60) \
                    and self.free(j):
                amount = (1, self.lex.units.get(self.key(j)), j + 1)     # "next hour", "the next minute"
            if amount is None:
                return None
            n, unit, end = amount
        else:
            j = self.skip(self.skip(i, self.lex.in_), self.lex.the)
            n = self.whole(j) if self.free(j) else None      # "2 upcoming weeks", "the 10 previous weeks"
            nxt = self.phrase(self.lex.period_next, j + 1) if n is not None else None
            prev = self.phrase(self.lex.period_prev, j + 1) if n is not None and nxt is None else None
            unit = self.window_unit((nxt or prev)[0]) if nxt or prev else None
            if unit is None or n is None:
                return None
            mode, end = Mode.NEXT if nxt else Mode.PAST, (nxt or prev)[0] + 1
        if not 1 <= n <= MAX_COUNT:
            return None
        if not isinstance(unit, tuple):
            if mode is Mode.WITHIN and j - i < 2:
                return None                         # "within 2 hours": elapsed time (offset)
            sign = {Mode.NEXT: 1, Mode.PAST: -1, Mode.WITHIN: 0}[mode]
            self.f.clock_window = ClockWindow(sign, n, unit)
            return self.mark(i, end)
        if mode is Mode.PAST:
            inside = self.units_of(end, n, unit, True)
            if inside is not None:
                return self.mark(i, inside)
        if unit == FORTNIGHT and end == j + 1:      # "the next / past fortnight": 14 days from / to today
            start, stop = (self.today, self.today + timedelta(days=14)) if mode is not Mode.PAST \
                else (self.today - timedelta(days=14), self.today)
        else:
            start, stop = window_span(self.today, mode, n, unit)
        self.set_period(start, stop, "then")
        self.f.counted = True
        return self.mark(i, end)

    def window_amount(self, j: int) -> tuple[int, Unit | float, int] | None:
        """"3 days", "two weeks", "few days", "a month", "3 hours" after the window word:
        (n, unit, end)."""
        n = self.whole(j) if self.free(j) else None
        if n is None and self.key(j) in self.lex.articles:
            n = 1
        if n is None:
            return (1, FORTNIGHT, j + 1) if self.window_unit(j) == FORTNIGHT else None
        unit = self.window_unit(j + 1)
        return (n, unit, j + 2) if unit is not None else None

    def window_unit(self, k: int) -> Unit | float | None:
        """A calendar unit (step, size), or the minutes of a unit shorter than a day."""
        key = self.key(k)
        if not self.free(k):
            return None
        if key in self.lex.quarter_words:
            return QUARTER
        minutes = self.lex.units.get(key)
        if minutes is None:
            return None
        return minutes if minutes < 1440 else WINDOW_STEPS.get(minutes)

    def units_of(self, k: int, n: int, unit: Unit, from_end: bool) -> int | None:
        """"of 2021", "of this year", "in May" after "the first/last N units": that part of it."""
        if not (self.key(k) in self.lex.of or self.key(k) in self.lex.in_) or unit[0] is Step.MONTH and unit[1] > 1:
            return None
        month = self.month_ref(k + 1)
        if month is not None:
            if unit[0] is Step.MONTH:
                return None
            end, first = month
            limit = add_months(first, 1)
        else:
            year = self.year_ref(k + 1)
            if year is None:
                return None
            first, limit, end = date(year[0], 1, 1), date(year[0] + 1, 1, 1), year[1]
            if unit[0] is Step.WEEK:                # a year's weeks are its ISO weeks
                first, limit = date.fromisocalendar(year[0], 1, 1), date.fromisocalendar(year[0] + 1, 1, 1)
        span = units_inside(first, limit, n, unit, from_end)
        if span is None:
            return None
        self.set_period(span[0], span[1], "then")
        return end

    def first_units_of(self, i: int) -> int | None:
        """"the first 2 weeks of 2021", "the first three days of May"."""
        j = self.skip(i, self.lex.the)
        if self.kind(j) != ORD or self.t[j].value != 1 or not self.free(j):
            return None
        amount = self.window_amount(j + 1)
        if amount is None or not isinstance(amount[1], tuple) or not 1 <= amount[0] <= MAX_COUNT:
            return None
        n, unit, end = amount
        inside = self.units_of(end, n, unit, False)
        return self.mark(i, inside) if inside is not None else None

    def nth_month_of(self, i: int) -> int | None:
        """"the third month of 2021", "the 9th month of next year", "the last month of the year"."""
        lex = self.lex
        j = self.skip(i, lex.the)
        if self.kind(j) == ORD and self.free(j) and 1 <= self.t[j].value <= 12:
            nth = self.t[j].value
        elif self.key(j) in lex.last_words and self.free(j):
            nth = 12
        else:
            return None
        if self.key(j + 1) not in ("month", "mo", "mth") or not (
                self.key(j + 2) in lex.of or self.key(j + 2) in lex.in_):
            return None
        year = self.year_ref(j + 3)
        if year is None:
            return None
        first = date(year[0], nth, 1)
        self.set_period(first, add_months(first, 1), "that month")
        return self.mark(i, year[1])
