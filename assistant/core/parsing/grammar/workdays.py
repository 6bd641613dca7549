"""Business days and work weeks (Saturday and Sunday are skipped; holidays are not known here).

"in 3 business days", "2 working days from now", "3 workdays ago" are that day; "the next 4
business days" the span from the first business day after today to the 4th (exclusive end the
day after it), "the previous 4 business days" the 4 before today, "within 3 business days" from
today. "this working week", "next workweek", "last work week" are that week's Monday to Saturday
(this one from today).
"""
from __future__ import annotations

from datetime import date, timedelta

from .found import next_weekday
from .period_windows import Mode, PeriodWindowGrammar

SATURDAY = 5
MAX_BUSINESS_DAYS = 2000


def add_business_days(d: date, n: int) -> date:
    """The nth business day after d (before it when n < 0); d itself never counts."""
    step = 1 if n > 0 else -1
    left = abs(n)
    weeks, left = divmod(left, 5)
    d += timedelta(weeks=step * weeks)
    while left:
        d += timedelta(days=step)
        if d.weekday() < SATURDAY:
            left -= 1
    while d.weekday() >= SATURDAY:          # whole weeks from a weekend day land on one
        d += timedelta(days=step)
    return d


def business_span(today: date, mode: Mode, n: int) -> tuple[date, date]:
    if mode is Mode.PAST:
        return add_business_days(today, -n), add_business_days(today, -1) + timedelta(days=1)
    last = add_business_days(today, n)
    first = today if mode is Mode.WITHIN else add_business_days(today, 1)
    return first, last + timedelta(days=1)


class WorkdayGrammar(PeriodWindowGrammar):
    """Matchers used by `CalendarPeriodGrammar.calendar_period`; see `scanner.py`."""

    def business_unit(self, k: int) -> int | None:
        """"business days", "working day", "workdays", "Werktagen", "рабочих дня" -> index after."""
        lex = self.lex
        if not self.free(k):
            return None
        if self.keys[k] in lex.business_day_words:
            return k + 1
        if self.keys[k] in lex.business_qualifiers and lex.units.get(self.key(k + 1)) == 1440 and self.free(k + 1):
            return k + 2
        return None

    def business_days(self, i: int) -> int | None:
        """"in 3 business days", "2 working days from now", "3 workdays ago", "the next 4
        business days", "previous 4 business days", "within 3 business days"."""
        lex = self.lex
        if not self.said_any(lex.business_day_words) and not self.said_any(lex.business_qualifiers):
            return None
        said = self.window_mode(i)
        j = said[1] if said else self.skip(i, lex.in_)
        n = self.whole(j) if self.free(j) else None
        if n is None and self.key(j) in lex.articles:
            n = 1
        if n is None or not 1 <= n <= MAX_BUSINESS_DAYS:
            return None
        end = self.business_unit(j + 1)
        if end is None:
            return None
        if said is not None:
            start, stop = business_span(self.today, said[0], n)
            self.set_period(start, stop, "then")
            self.f.counted = True
            return self.mark(i, end)
        if j > i:
            self.add_date(add_business_days(self.today, n))
            return self.mark(i, end)
        later = self.phrase(lex.from_now, end)
        if later is not None:
            self.add_date(add_business_days(self.today, n))
            return self.mark(i, later[0])
        if self.key(end) in lex.ago and self.free(end):
            self.add_date(add_business_days(self.today, -n))
            return self.mark(i, end + 1)
        return None

    def work_week(self, i: int) -> int | None:
        """"this working week", "next workweek", "the work week", "last working week": Monday
        to Saturday."""
        lex = self.lex
        if not self.said_any(lex.work_week_words) and not self.said_any(lex.business_qualifiers):
            return None
        hit = self.phrase(lex.next, i)
        past = self.phrase(lex.period_prev, i)
        if hit:
            offset, j = 1, hit[0]
        elif past:
            offset, j = -1, past[0]
        elif self.key(i) in lex.this or self.key(i) in lex.the or self.key(i) in lex.own:
            offset, j = 0, i + 1
        elif self.phrase(lex.current, i):
            offset, j = 0, self.phrase(lex.current, i)[0]
        else:
            return None
        if not self.free(j):
            return None
        if self.keys[j] in lex.work_week_words:
            end = j + 1
        elif self.keys[j] in lex.business_qualifiers and lex.week_words.get(self.key(j + 1)) == "week" \
                and self.free(j + 1):
            end = j + 2
        else:
            return None
        monday = next_weekday(self.today, 0, "this", offset)
        start = max(monday, self.today) if offset == 0 else monday
        saturday = monday + timedelta(days=SATURDAY)
        if start >= saturday:
            return None
        self.set_period(start, saturday, "that week")
        return self.mark(i, end)
