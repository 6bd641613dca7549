"""Spans named by words: "next week", "this weekend", "next month", "end of the month",
parts of the day ("tomorrow morning", "tonight at 9") and "all day".
"""
from __future__ import annotations

from datetime import date, timedelta

from ..tokens import DOT, TIME
from .base import ScannerBase
from .found import Daypart, add_months


class PeriodGrammar(ScannerBase):
    """The periods matchers of `Scanner`; see `scanner.py` for how they are combined."""

    def week_words_at(self, i: int) -> tuple[int, tuple[str, int]] | None:
        """"next week" -> (end, ("week", 1)), "this weekend" -> ("weekend", 0), "last month"."""
        lex = self.lex
        if not self.free(i):
            return None
        hit = self.phrase(lex.next, i)
        if hit:
            offset, j = 1, hit[0]
        elif self.keys[i] in lex.this:
            offset, j = 0, i + 1
        elif self.keys[i] in lex.prev:
            offset, j = -1, i + 1
        elif self.keys[i] in lex.the and self.key(i + 1) == "weekend" or self.keys[i] in lex.own:
            offset, j = 0, i + 1            # "the weekend", "my week" = this one
        else:
            return None
        unit = lex.week_words.get(self.key(j)) if self.free(j) else None
        if unit is None:
            return None
        return j + 1, (unit, offset)

    def week_period(self, i: int) -> int | None:
        """"next week", "this weekend", "next month", "end of the month", "weekend"."""
        lex = self.lex
        j = self.skip(i, lex.on) if self.key(i) in lex.on else i
        if self.keys[i] in lex.in_ and self.key(i + 1) in lex.the:
            j = i + 1
        hit = self.week_words_at(j)
        if hit:
            end, (unit, offset) = hit
            self.apply_week_unit(unit, offset)
            # "next week on Tuesday" / "next week Tuesday"
            k = self.skip(end, lex.on)
            wd = lex.weekdays.get(self.key(k)) if self.free(k) else None
            if wd is not None and unit == "week":
                self.f.weekday = (wd, "bare")
                end = k + 1
            return self.mark(i, end)
        if self.key(j) == "weekend" and self.free(j):
            self.apply_week_unit("weekend", 0)
            return self.mark(i, j + 1)
        return self.end_of(i)

    def apply_week_unit(self, unit: str, offset: int) -> None:
        today = self.today
        monday = today - timedelta(days=today.weekday())
        if unit == "week":
            self.f.week_offset = offset
            start = monday + timedelta(weeks=offset)
            self.f.period = (max(start, today) if offset == 0 else start, start + timedelta(days=7))
            self.f.period_name = "week"
        elif unit == "weekend":
            saturday = monday + timedelta(days=5 + 7 * offset)
            self.f.period = (max(saturday, today), saturday + timedelta(days=2))
            self.f.period_name = "weekend"
        elif unit == "month":
            first = add_months(today.replace(day=1), offset)
            self.f.month_offset = offset
            self.f.period = (max(first, today) if offset == 0 else first, add_months(first, 1))
            self.f.period_name = "month"
        elif unit == "year":
            first = date(today.year + offset, 1, 1)
            self.f.period = (max(first, today) if offset == 0 else first, date(first.year + 1, 1, 1))
            self.f.period_name = "year"

    def end_of(self, i: int) -> int | None:
        """"end of the month", "end of next week" -> that last day."""
        lex = self.lex
        j = self.skip(i, lex.the)
        if self.key(j) != "end" or self.key(j + 1) not in lex.of or not self.free(j):
            return None
        k = self.skip(j + 2, lex.the)
        hit = self.week_words_at(k)
        if hit:
            end, (unit, offset) = hit
        elif self.key(k) in ("month", "week"):
            end, unit, offset = k + 1, self.key(k), 0
        else:
            return None
        today = self.today
        if unit == "month":
            first = add_months(today.replace(day=1), offset)
            self.add_date(add_months(first, 1) - timedelta(days=1))
        elif unit == "week":
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
            self.add_date(max(today, monday + timedelta(days=4)))
        else:
            return None
        return self.mark(i, end)

    def daypart(self, i: int) -> int | None:
        lex = self.lex
        hit = self.phrase(lex.dayparts, i)
        if hit is None:
            return None
        j, (h, m, mer, day_offset) = hit
        self.f.daypart = Daypart(h, m, mer, day_offset, self.keys[i] in lex.exact_dayparts)
        # "this evening 6:30", "tonight at 11"
        if self.f.time is None:
            k = self.skip(j, lex.at)
            t = self.time_expr(k, relaxed=True)
            if t and (k > j or self.t[k].kind in (TIME, DOT) or t[1].mer):
                self.f.time = t[1]
                j = t[0]
        return self.mark(i, j)

    def all_day(self, i: int) -> int | None:
        hit = self.phrase(self.lex.all_day, i)
        if hit is None:
            return None
        self.f.all_day = True
        return self.mark(i, hit[0])
