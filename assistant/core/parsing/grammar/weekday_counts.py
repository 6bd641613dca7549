"""Weekdays counted from another day: "3 Mondays after May 25", "the 2nd Monday before May 25",
"the Monday after next Monday", "Tuesday before last", "Monday two weeks from now", "two months
from today on Tuesday", "3 weeks after Christmas on Friday".

Two readings, both by the README's week (Monday to Sunday):
- counted: the n-th such weekday strictly after (before) the anchor day — "3 Mondays after May 25"
  is the third Monday after it, "the Monday before May 25" the last Monday before it;
- placed: a weekday said with an amount of time from now or from a day names that day's week —
  "Monday two weeks from now" is the Monday of the week two weeks on, as "in two weeks on Monday".
"""
from __future__ import annotations

from datetime import date, timedelta

from ..tokens import ALNUM, NUM, ORD
from .dateforms import DateFormGrammar
from .found import add_months, next_weekday

_COUNT_KINDS = frozenset({NUM, ORD, ALNUM})
MAX_COUNT = 520                     # weeks: ten years of Mondays
DAY, WEEK, MONTH, YEAR = 1440, 10080, 43200, 525600


def week_day(anchor: date, wd: int) -> date:
    """Weekday `wd` of the week (Monday to Sunday) that holds `anchor`."""
    return anchor - timedelta(days=anchor.weekday() - wd)


def nth_weekday_from(anchor: date, wd: int, n: int, forward: bool) -> date:
    """The n-th weekday `wd` strictly after (or before) `anchor`."""
    if forward:
        return anchor + timedelta(days=((wd - anchor.weekday()) % 7 or 7) + 7 * (n - 1))
    return anchor - timedelta(days=((anchor.weekday() - wd) % 7 or 7) + 7 * (n - 1))


class WeekdayCountGrammar(DateFormGrammar):
    """Readers for weekdays counted or placed from another day (called from `date_expr`)."""

    def counted_weekday(self, i: int) -> int | None:
        """"3 mondays after May 25", "the 2nd monday before May 25", "the monday after next
        monday", "11:59 on 3 sundays after next wed": the n-th weekday after/before a day."""
        lex = self.lex
        if self.kind(i) not in _COUNT_KINDS and self.keys[i] not in lex.the and self.keys[i] not in lex.weekdays:
            return None
        j = self.skip(i, lex.the)
        n = 1
        count = self.whole(j) if self.free(j) else None
        plural = None
        if count is not None:
            plural = lex.weekday_plurals.get(self.key(j + 1)) if self.free(j + 1) else None
            if plural is None:
                return None
            n, wd, j = count, plural, j + 2
        else:
            if self.kind(j) == ORD and self.free(j) and j > i:
                n, j = self.t[j].value, j + 1
            wd = lex.weekdays.get(self.key(j)) if self.free(j) else None
            if wd is None:
                return None
            j += 1
        direction = self.key(j)
        forward = direction in lex.after
        if not (forward or direction in lex.anchor_before) or not 1 <= n <= MAX_COUNT or not self.free(j):
            return None
        anchor = self.day_at(j + 1)
        if anchor is None:
            return None
        end, day = anchor
        self.add_date(nth_weekday_from(day, wd, n, forward))
        return end

    def weekday_before_last(self, j: int, wd: int) -> int | None:
        """"Tuesday before last" (j after the weekday): the one a week before last Tuesday."""
        if self.key(j) not in self.lex.anchor_before or self.key(j + 1) not in self.lex.prev \
                or not self.free(j + 1) or self.key(j + 2) in self.lex.weekdays:
            return None
        self.add_date(next_weekday(self.today, wd, "last") - timedelta(days=7))
        return j + 2

    def weekday_in_week_of(self, j: int, wd: int) -> int | None:
        """"Monday two weeks from now", "Thursday, two years from now", "Sunday 3 weeks after
        January 15th" (j after the weekday): that weekday in the week of the day the amount names."""
        k = self.skip_comma(j)
        amount = getattr(self, "amount", None)
        hit = amount(k) if amount is not None and self.free(k) else None
        if hit is None:
            return None
        end, minutes, unit = hit
        per = self.lex.units.get(unit, 1)
        if per < DAY:
            return None
        fn = self.phrase(self.lex.from_now, end)
        if fn is not None:
            base, stop, sign = self.today, fn[0], 1
        elif self.key(end) in self.lex.ago and self.free(end):
            base, stop, sign = self.today, end + 1, -1
        elif self.key(end) in self.lex.anchor_after or self.key(end) in self.lex.anchor_before:
            anchor = self.day_at(end + 1) if self.free(end) else None
            if anchor is None:
                return None
            stop, base = anchor
            sign = -1 if self.key(end) in self.lex.anchor_before else 1
        else:
            return None
        day = shifted_by(base, sign * minutes, per)
        self.f.used[k:stop] = [True] * (stop - k)
        self.add_date(week_day(day, wd))
        return stop

    def weekday_after_amount(self, i: int) -> int | None:
        """"two months from today on Tuesday", "3 weeks after Christmas on Friday", "in 10 days on
        Monday" (i at "on"): the weekday of the week an amount of days, months or years lands in."""
        wd = self.lex.weekdays.get(self.key(i + 1)) if self.free(i + 1) and self.free(i) else None
        if wd is None or not self.amount_just_before(i):
            return None
        f = self.f
        if f.dates:
            day = f.dates.pop()
        elif f.day_offset is not None or f.month_offset is not None:
            day = add_months(self.today, f.month_offset or 0) + timedelta(days=f.day_offset or 0)
            f.day_offset = f.month_offset = None
        else:
            return None
        self.add_date(week_day(day, wd))
        return self.mark(i, i + 2)

    def amount_just_before(self, i: int) -> bool:
        """Do the words right before i, already read as one expression, count days or more?"""
        k = i - 1
        while k >= 0 and self.f.used[k]:
            if self.lex.units.get(self.keys[k], 0) >= DAY:
                return True
            k -= 1
        return False

    def day_at(self, i: int) -> tuple[int, date] | None:
        """A day read at i without recording it — a date, a holiday or a weekday ("next wed"):
        (index after it, the day)."""
        saved = (list(self.f.dates), self.f.weekday, self.f.week_offset, self.f.question, self.f.dom_only)
        end = self.date_expr(i)
        day = None
        if end is not None and len(self.f.dates) > len(saved[0]):
            day = self.f.dates[-1]
        elif end is not None and self.f.weekday is not None and self.f.weekday != saved[1]:
            day = next_weekday(self.today, self.f.weekday[0], self.f.weekday[1], self.f.week_offset)
        question = self.f.question
        self.f.dates, self.f.weekday, self.f.week_offset, self.f.question, self.f.dom_only = saved
        if day is None or question != saved[3]:
            return None
        return end, day


def shifted_by(day: date, minutes: float, per: int) -> date:
    """`day` moved by an amount in minutes of unit size `per` (days, weeks, months or years)."""
    if per >= YEAR:
        return add_months(day, 12 * round(minutes / YEAR))
    if per >= MONTH:
        return add_months(day, round(minutes / MONTH))
    return day + timedelta(days=round(minutes / DAY))
