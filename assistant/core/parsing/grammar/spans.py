"""Two ends: "from 2pm to 5:30pm", "between 2 and 4", "March 24 to 26", "Monday to Wednesday",
and the limits of a series: "until April 30", "starting next week".
"""
from __future__ import annotations

import calendar
from datetime import timedelta

from ..tokens import DOT, ISO, NUM, ORD, SLASH, TIME
from .found import MONTH_NAMES, add_months, next_weekday
from .ranges import REVERSED, RangeGrammar


RANGE_REACH = 12
"""How far after a range's first token its joining word may be (ranges.py reads points up to 10)."""


class SpanGrammar(RangeGrammar):
    """The spans matchers of `Scanner`; see `scanner.py` for how they are combined."""

    connectors_ahead: list[int] | None = None

    def ranges(self, i: int) -> int | None:
        """"from 2pm to 5:30pm", "between 2 and 4", "from March 30 to April 3", "March 24 to 26"."""
        lex = self.lex
        k = self.keys[i]
        between = k in lex.between
        if not (between or k in lex.from_ or self.connector_ahead(i)):
            return None
        j = i + 1 if (k in lex.from_ or between) else i
        connectors = lex.and_ if between else lex.range_to
        return (self.days_of_one_month(i, j, connectors) or self.time_span(i, j, connectors)
                or self.date_span(i, j, connectors) or self.point_range(i, j, connectors)
                or self.from_time(i, j))

    def connector_ahead(self, i: int) -> bool:
        """Is a word that joins two ends ("to", "-", "and") close enough after i for a range to start
        here? Worked out once per request; most positions have none and skip the range readers."""
        ahead = self.connectors_ahead
        if ahead is None:
            words = self.lex.range_to | self.lex.and_
            ahead, last = [self.n] * self.n, self.n
            for x in range(self.n - 1, -1, -1):
                ahead[x] = last
                if self.keys[x] in words:
                    last = x
            self.connectors_ahead = ahead
        return ahead[i] - i <= RANGE_REACH

    def time_span(self, i: int, j: int, connectors: frozenset[str]) -> int | None:
        """"2pm to 5:30pm", "4-5pm", "15:00-16:30"; after from/between also "2 to 4"."""
        t1 = self.time_expr(j, relaxed=j > i)
        if t1 is None or self.key(t1[0]) not in connectors:
            return None
        t2 = self.time_expr(t1[0] + 1, relaxed=True)
        if t2 and (j > i or t1[1].mer or t2[1].mer or self.kind(j) == TIME):
            self.f.time, self.f.end_time = t1[1], t2[1]
            self.f.joined_times = True
            end = self.zone_after(t2[0])
            return self.mark(i, end)
        return None

    def days_of_one_month(self, i: int, j: int, connectors: frozenset[str]) -> int | None:
        """"12-14 May", "the 3rd to the 5th of April": a bare first day takes the second's month."""
        a = self.skip(j, self.lex.the)
        if self.kind(a) not in (NUM, ORD) or not self.free(a):
            return None
        dotted = self.dotted_date(a + 3) or self.dotted_date(a + 2)
        dot = 1 if self.key(a + 1) == "." and ("." in self.lex.ordinal_suffixes or dotted) else 0
        if self.key(a + 1 + dot) not in connectors:
            return None
        saved = (list(self.f.dates), self.f.question)
        end = self.day_month(a + 2 + dot) or (
            self.numeric_date(a + 2 + dot) if self.kind(a + 2 + dot) == DOT and (dot or dotted) else None)   # "20.-22.4."
        if end is not None and self.f.question:
            return self.mark(i, end)                # "30-31 April": the question stands
        if end is None or len(self.f.dates) <= len(saved[0]):
            self.f.dates, self.f.question = saved
            return None
        second = self.f.dates.pop()
        day = self.t[a].value
        month = second if day <= second.day else add_months(second.replace(day=1), -1)
        if not 1 <= day <= calendar.monthrange(month.year, month.month)[1]:
            self.f.question = f"{MONTH_NAMES[month.month]} has {calendar.monthrange(month.year, month.month)[1]} days — which date did you mean?"
            return self.mark(i, end)
        first = month.replace(day=day)
        self.f.dates.append(first)
        self.f.date_range = (first, second)
        return self.mark(i, end)

    def dotted_date(self, k: int) -> bool:
        """Is token k a day-first date that is surely one ("26.3.", "26.03.2026"), not "5.30"?"""
        return self.kind(k) == DOT and (self.t[k].value[2] is not None or bool(self.t[k].value[3]))

    def date_span(self, i: int, j: int, connectors: frozenset[str]) -> int | None:
        """"March 24 to 26", "from March 30 to April 3", "5/20 to 5/23", "Monday to Wednesday"."""
        lex = self.lex
        if not (self.kind(j) in (NUM, ORD, DOT, SLASH, ISO) or self.key(j) in lex.months
                or self.key(j) in lex.weekdays or self.key(j) in lex.the):
            return None
        saved = (list(self.f.dates), self.f.weekday, self.f.question)
        d_end = (self.month_day(j) or self.day_month(j) or self.numeric_date(j) or self.weekday_only(j)
                 or self.ordinal_day(j, j > i))
        if d_end is None:
            self.f.dates, self.f.weekday, self.f.question = saved
            return None
        if self.key(d_end) not in connectors:
            end = self.from_two_dates(d_end, saved[0]) if j > i else None
            if end is not None:
                return self.mark(i, end)
            self.f.dates, self.f.weekday, self.f.question = saved
            return None
        first = self.f.dates[-1] if len(self.f.dates) > len(saved[0]) else None
        m = d_end + 1
        m = self.skip(m, lex.the)
        second_end = self.month_day(m) or self.day_month(m) or self.numeric_date(m) or self.weekday_only(m)
        if second_end is None and first is not None and self.kind(m) in (NUM, ORD):
            day = self.t[m].value
            year, after = self.year_at(m + 1)
            if year is not None and not self.has_year(j, d_end):
                first = self.same_day_in(first, year)       # "May 8 - 10, 2010"
            try:
                second = first.replace(day=day)
                if second < first:      # "March 30 to 2" runs into the next month
                    second = add_months(first.replace(day=1), 1).replace(day=day)
            except ValueError:
                self.f.question = f"{MONTH_NAMES[first.month]} has {calendar.monthrange(first.year, first.month)[1]} days — which date did you mean?"
                return self.mark(i, m + 1)
            self.f.dates = saved[0] + [first]
            self.f.date_range = (first, second)
            return self.mark(i, after)
        if second_end is None:
            self.f.dates, self.f.weekday, self.f.question = saved
            return None
        if self.f.question:
            return self.mark(i, second_end)
        got = self.f.dates[len(saved[0]):]
        if len(got) == 2:
            a, b = got
            tail = None if self.has_year(j, second_end) else self.year_tail(second_end)
            if tail is not None:                            # "26 june to 28 june in 2020"
                b, second_end = self.same_day_in(b, tail[0]), tail[1]
            if self.has_year(m, second_end) and not self.has_year(j, d_end):
                a = self.same_day_in(a, b.year)             # "Aug 10 - Nov 12, 2013"
                if a > b:
                    a = self.same_day_in(a, b.year - 1)
            if self.key(m) in lex.weekdays:
                if self.key(j) in lex.weekdays:
                    week = self.week_words_at(second_end)
                    if week and week[1][0] == "week":        # "Monday to Wednesday next week"
                        a = next_weekday(self.today, a.weekday(), "bare", week[1][1])
                        second_end = week[0]
                b = a + timedelta(days=(b.weekday() - a.weekday()) % 7)
                if self.key(j) in lex.weekdays:
                    self.f.weekday_span = (a.weekday(), b.weekday())
            if b < a and self.has_year(m, second_end):
                self.f.dates, self.f.question = saved[0], REVERSED      # never flipped: asked
                return self.mark(i, second_end)
            if b < a and self.named_without_year(j, d_end) and not self.has_year(m, second_end) \
                    and self.under_way(a, b):
                a = self.same_day_in(a, a.year - 1)         # "from 10/1 to 11/7" said on Oct 24
            if b < a:
                b = b.replace(year=b.year + 1) if not (b.month == 2 and b.day == 29) else b
            self.f.dates = saved[0] + [a]
            self.f.date_range = (a, b)
        return self.mark(i, second_end)

    def has_year(self, a: int, b: int) -> bool:
        """Is a year written among tokens a..b ("2013", or "96" after a month)?"""
        return any(self.kind(x) == NUM and (len(self.t[x].text) == 4 or self.t[x].value >= 32)
                   or self.kind(x) in (ISO, SLASH, DOT) and len(self.t[x].value) > 2 and self.t[x].value[2]
                   for x in range(a, b))

    @staticmethod
    def same_day_in(d, year: int):
        try:
            return d.replace(year=year)
        except ValueError:                  # February 29
            return d.replace(year=year, day=28)

    def from_two_dates(self, k: int, before: list) -> int | None:
        """"from March 30th April 3rd": dictation often loses the "to" between two full dates."""
        end = self.month_day(k) or self.day_month(k)
        got = self.f.dates[len(before):]
        if end is None or len(got) != 2 or not got[0] < got[1] or self.f.question:
            return None
        self.f.dates = before + [got[0]]
        self.f.date_range = (got[0], got[1])
        return end

    def weekday_only(self, i: int) -> int | None:
        """A weekday inside a range ("Monday to Wednesday"): resolved to its next date."""
        wd = self.lex.weekdays.get(self.key(i)) if self.free(i) else None
        if wd is None:
            return None
        self.add_date(next_weekday(self.today, wd, "bare"))
        return i + 1

    def until_month(self, i: int) -> int | None:
        """"until June", "until next month" (i at "until"): the series ends before that month begins,
        so its last day is the day before the first (a month already begun, named without a year,
        is next year's)."""
        month = self.month_expr(i + 1, this_by_default=False)
        if month is None:
            return None
        end, first = month
        if first <= self.today and self.year_at(i + 2)[0] is None:
            first = add_months(first, 12)
        self.f.until = first - timedelta(days=1)
        return self.mark(i, end)

    def until_or_anchor(self, i: int) -> int | None:
        """"until 5pm" (an end time), "until April 30" (last repetition), "starting next week"."""
        lex = self.lex
        k = self.keys[i]
        if k in lex.until:
            t = self.time_expr(i + 1, relaxed=True)
            if t and self.f.time is not None and self.f.end_time is None:
                self.f.end_time = t[1]
                return self.mark(i, t[0])
            last = self.end_of_expr(i + 1)
            if last is not None:                # "until end of April", "until the end of the month"
                self.f.until = last[1]
                return self.mark(i, last[0])
            saved, saved_wd = list(self.f.dates), self.f.weekday
            end = self.date_expr(i + 1)
            if end is not None and len(self.f.dates) > len(saved):
                self.f.until = self.f.dates.pop()
                return self.mark(i, end)
            if end is not None and self.f.weekday != saved_wd and self.f.weekday:
                self.f.until = next_weekday(self.today, *self.f.weekday)
                self.f.weekday = saved_wd
                return self.mark(i, end)
            self.f.dates, self.f.weekday = saved, saved_wd
            return self.until_month(i)
        if k in lex.starting:
            j = i + 1
            hit = self.week_words_at(j)
            if hit:
                end, (unit, offset) = hit
                today = self.today
                if unit == "week":
                    self.f.anchor = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
                elif unit == "month":
                    self.f.anchor = add_months(today.replace(day=1), offset)
                else:
                    return None
                return self.mark(i, end)
            if k == "from" and self.f.rec is None:
                return None
            saved = list(self.f.dates)
            saved_wd = self.f.weekday
            j = self.skip(j, lex.on)
            end = self.date_expr(j)
            if end is None:
                return None
            if len(self.f.dates) > len(saved):
                self.f.anchor = self.f.dates.pop()
            elif self.f.weekday and self.f.weekday != saved_wd:
                wd, mode = self.f.weekday
                self.f.anchor = next_weekday(self.today, wd, mode)
                self.f.weekday = saved_wd
            return self.mark(i, end)
        return None
