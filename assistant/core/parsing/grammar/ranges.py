"""Ranges between two points said in full: "from May to December", "between 2007 and 2009",
"2014-2018", "Dec/2018-May/2019", "26 june in 2019 to 28 june in 2020", "first day of may to last
day of may", "between now and November 15th", "from today to tomorrow afternoon",
"FRI 13SEP 1:29 PM - FRI 13SEP 3:29 PM".

`spans.py` reads the tight forms first ("2pm to 5:30pm", "March 24 to 26", "Monday to
Wednesday"); what it leaves, this module reads as two points, each read by the ordinary matchers
into a `Found` of its own, and then joins them:
- both points are days or spans of days (a date, a month, a year, a week): `date_range` runs from
  the first one's first day to the last one's last day (all-day; a query asks about those days);
- either has a time of day or is "now": the first point is merged into the request's `Found` and the
  second is kept whole in `Found.upto`; `range_ends.py` resolves the pair against the clock.

A year said only with the second point counts for both ("26 june to 28 june in 2020", "December
to May 2022": a named first point takes the latest such day not after the second). When neither
names a year and the second falls before the first, the range is read as under way if it can be:
a named first day a year earlier, while the end is still ahead ("from August to October" said in
September is this August's; "between Jan 22 and now"); otherwise the end is next year's ("from
December to May" said in June). One that names its year and still falls before the first is asked
about, never flipped.

Without "from"/"between" both points must be of one sort (two dates, two times), so "Monday - at
5 the gym" is not a range.
"""
from __future__ import annotations

from dataclasses import fields
from datetime import date, timedelta

from ..tokens import ALNUM, DOT, ISO, MER, NUM, ORD, SLASH, TIME
from .base import ScannerBase
from .found import Found, add_months, next_weekday

_YEAR_GLUE = frozenset({"in", "of", ","})
_NOT_FOUND_FIELDS = frozenset({"used", "hits", "dates"})
_MIN_YEAR, _MAX_YEAR = 1900, 2199
_DIGIT_KINDS = frozenset({NUM, ORD, TIME, SLASH, DOT, ISO, ALNUM})
_STARTERS: dict[int, frozenset[str]] = {}      # per lexicon: words a point can begin with
_LOOKAHEAD = 10                     # tokens from a point's start to the word that joins it to the next
REVERSED = "The end comes before the start — which dates did you mean?"


class RangeGrammar(ScannerBase):
    """The two-point range matcher of `Scanner` (called from `SpanGrammar.ranges`)."""

    def point_range(self, i: int, j: int, connectors: frozenset[str]) -> int | None:
        """"<point> <to> <point>" at i; the first point starts at j (after from/between)."""
        if j == i and not self.may_start_point(i):
            return None
        c = self.connector_within(j, connectors)
        if c is None or not self.may_start_second(c + 1):
            return None
        a = self.read_point(j, c)
        if a is None or a[0] != c:
            return None
        b = self.read_point(c + 1, None)
        if b is None:
            return None
        whole = self.read_point(j, None)
        if whole is not None and whole[0] > c:
            return None                     # a matcher reads on across the connector: its form
        (_, first), (end, second) = a, b
        said_from = j > i
        timed = [self.is_instant(p) for p in (first, second)]
        if not said_from and timed[0] != timed[1] and not first.now:
            return None
        if not any(timed):
            if not self.join_days(first, second, self.has_year(j, c), self.has_year(c + 1, end),
                                  self.named_without_year(j, c)):
                return None
        else:
            if second.now and first.dates and first.dates[0] > self.today and self.named_without_year(j, c):
                first.dates[0] = self.same_day_in(first.dates[0], first.dates[0].year - 1)  # "between Jan 22 and now"
            self.merge(first)
            self.f.upto = second
        return self.mark(i, end)

    def from_time(self, i: int, j: int) -> int | None:
        """"from 9 for 2.5 hrs", "for 2 hours from 9": after "from" a bare hour is the start
        when a length is said with it (otherwise "from 3" may be a count: "from 3 clients")."""
        if j == i or self.keys[i] not in self.lex.from_ or self.f.time is not None:
            return None
        hit = self.time_expr(j, relaxed=True)
        if hit is None:
            return None
        end, tod = hit
        if self.f.duration is None and self.key(end) not in self.lex.for_:
            return None
        self.f.time = tod
        return self.mark(i, end)

    def hours_span_by_a_day(self, i: int) -> bool:
        """"five to seven today", "Friday ten to twelve": two spoken hours joined by "to" next to a
        day, and not after "at", are a span like "5-7"; "(at) five to seven" alone stays 6:55."""
        h = i + 2
        if self.key(i - 1) in self.lex.at or self.kind(h) != NUM or not self.t[i].value < self.t[h].value <= 12:
            return False
        after = h + 1 + (self.kind(h + 1) == MER)
        return self.names_a_day(i - 1) or self.names_a_day(self.skip(after, self.lex.on))

    def names_a_day(self, k: int) -> bool:
        key = self.key(k)
        return key in self.lex.weekdays or self.lex.relative_days.match(self.keys, k) is not None

    # -- reading one point -----------------------------------------------------------------------
    def may_start_point(self, i: int) -> bool:
        """Can a point said without "from" begin at i? A cheap test run at every token."""
        if self.t[i].kind in _DIGIT_KINDS:
            return True
        starters = _STARTERS.get(id(self.lex))
        if starters is None:
            lex = self.lex
            starters = frozenset().union(lex.months.first_words(), lex.weekdays.first_words(),
                                         lex.relative_days.first_words(), lex.now.first_words(),
                                         lex.next.first_words(), lex.this.first_words(), lex.prev.first_words(),
                                         lex.the, lex.last_words)
            _STARTERS[id(self.lex)] = starters
        return self.keys[i] in starters

    def may_start_second(self, k: int) -> bool:
        """Can the second point begin at k? "to call", "and Anna": no — checked before reading."""
        if k >= self.n:
            return False
        may_start = getattr(self, "may_start", None)        # a holiday name (HolidayGrammar)
        return (self.may_start_point(k) or not self.keys[k].isalpha()
                or self.keys[k] in self.lex.grammar_words
                or may_start is not None and may_start(k))

    def connector_within(self, j: int, connectors: frozenset[str]) -> int | None:
        for k in range(j + 1, min(self.n, j + _LOOKAHEAD)):
            if self.keys[k] in connectors and self.free(k):
                return k
        return None

    def read_point(self, k: int, stop: int | None) -> tuple[int, Found] | None:
        """Read expressions from k up to `stop` (or as long as they follow each other) into a
        fresh `Found`; the request's own `Found` is left as it was."""
        outer, outer_year = self.f, self.said_year
        self.f, self.said_year = Found(used=list(outer.used)), False
        if stop is not None:
            for x in range(stop, self.n):
                self.f.used[x] = True
        start = k
        try:
            while k < self.n and self.free(k):
                nxt = self.point_part(k)
                if nxt is None and self.keys[k] == "," and k > start and k + 1 < self.n:
                    nxt = self.point_part(k + 1)
                if nxt is None or nxt <= k:
                    break
                k = nxt
            got = self.f
        finally:
            self.f, self.said_year = outer, outer_year
        if k == start or not (got.has_when or got.period is not None) or got.rec is not None:
            return None
        if got.question is None and got.dates and (got.period is None or got.dates[0] < got.period[0]
                                                   or got.dates[0] >= got.period[1]):
            got.period = None               # "26 june in 2019": the year was read as a period
        return k, got

    def point_part(self, k: int) -> int | None:
        """One expression of a point: a said year after a date, "now", a month with its year,
        or whatever the day, time and period matchers read."""
        year = self.year_tail(k) if self.f.dates and not self.said_year else None
        if year is not None:
            y, end = year
            self.f.dates = [self.same_day_in(d, y) for d in self.f.dates]
            self.said_year = True
            return end
        hit = self.phrase(self.lex.now, k)
        if hit and self.keys[k] not in self.lex.at:
            self.f.now = True
            return hit[0]
        for reader in (self.month_slash_year, self.bare_year, getattr(self, "holiday_date", None),
                       getattr(self, "calendar_period", None),
                       self.day_of_month, self.date_with_prep, self.time_with_prep, self.daypart,
                       self.week_period):
            if reader is None:
                continue
            end = reader(k)
            if end is not None:
                return end
        month = self.month_expr(k, this_by_default=False)
        if month is not None and self.keys[k] in self.lex.months:
            end, first = month
            self.f.period, self.f.period_name = (first, add_months(first, 1)), "month"
            return self.mark(k, end)
        return None

    def year_tail(self, k: int) -> tuple[int, int] | None:
        """"in 2020", ", 2020", "of 2020", "in the year 2020" after a date: (year, index after)."""
        j = k + 1 if self.key(k) in _YEAR_GLUE else k
        if self.key(j) in self.lex.the and self.key(j + 1) == "year":
            j += 2
        elif self.key(j) == "year":
            j += 1
        if j == k and not self.f.dates:
            return None
        if self.kind(j) == NUM and len(self.t[j].text) == 4 and self.free(j) \
                and _MIN_YEAR <= self.t[j].value <= _MAX_YEAR:
            return self.t[j].value, j + 1
        return None

    def bare_year(self, k: int) -> int | None:
        """A four-digit year as a point of a range ("2014-2018", "between 2007 and 2009")."""
        if self.f.has_when or self.kind(k) != NUM or len(self.t[k].text) != 4 or not self.free(k):
            return None
        y = self.t[k].value
        if self.key(k + 1) in ("-", "/") and self.key(k + 2) in self.lex.months and self.key(k + 3) == self.key(k + 1):
            return None                     # "2006-Jun-16" is one date
        if not _MIN_YEAR <= y <= _MAX_YEAR or self.key(k + 1) in (":", "/", ".") and self.kind(k + 2) == NUM \
                or self.key(k + 1) in self.lex.units or self.key(k + 1) in self.lex.meridiems:
            return None
        self.f.period, self.f.period_name = (date(y, 1, 1), date(y + 1, 1, 1)), "year"
        return self.mark(k, k + 1)

    def month_slash_year(self, k: int) -> int | None:
        """"Dec/2018", "May-2019", "Sep 2012": a month with its year."""
        month = self.lex.months.get(self.key(k)) if self.free(k) else None
        if month is None:
            return None
        j = k + 1 if self.key(k + 1) in ("/", "-", ",") else k
        if self.kind(j + 1) != NUM or len(self.t[j + 1].text) != 4 or not self.free(j + 1):
            return None
        y = self.t[j + 1].value
        if not _MIN_YEAR <= y <= _MAX_YEAR:
            return None
        first = date(y, month, 1)
        self.f.period, self.f.period_name = (first, add_months(first, 1)), "month"
        return self.mark(k, j + 2)

    # -- joining two points ------------------------------------------------------------------------
    @staticmethod
    def is_instant(p: Found) -> bool:
        return p.has_time

    def days_of(self, p: Found) -> tuple[date, date] | None:
        """The days a point without a time covers: [first, exclusive end)."""
        if p.date_range:
            return p.date_range[0], p.date_range[1] + timedelta(days=1)
        d = None
        if p.dates:
            d = p.dates[0]
        elif p.weekday:
            d = next_weekday(self.today, p.weekday[0], p.weekday[1], p.week_offset)
        elif p.day_offset is not None:
            d = self.today + timedelta(days=p.day_offset)
        if d is not None:
            return d, d + timedelta(days=1)
        return p.period

    def join_days(self, first: Found, second: Found, first_year: bool, second_year: bool,
                  first_named: bool = False) -> bool:
        """Two day-points -> an all-day `date_range`; False when either covers no days. A named
        first day with no year that comes after the end is last year's while the end is still
        ahead (the range is under way), else the end is next year's."""
        if first.question or second.question:
            self.f.question = first.question or second.question
            return True
        a, b = self.days_of(first), self.days_of(second)
        if a is None or b is None:
            return False
        start, stop = a[0], b[1]
        if first.dom_only and second.dates and not first_year:
            start = self.day_in_month_of(start.day, b[0]) or start     # "from the 1st to June 30"
        if second.weekday and second.weekday[1] == "bare" and second.week_offset is None:
            stop = start + timedelta(days=(second.weekday[0] - start.weekday()) % 7 + 1)
        if second_year and not first_year and first_named:
            start = self.same_day_in(start, b[0].year)
            if start > b[0]:
                start = self.same_day_in(start, b[0].year - 1)
        elif stop <= start and not second_year and first_named and self.under_way(start, stop - timedelta(days=1)):
            start = self.same_day_in(start, start.year - 1)
        elif stop <= start and not second_year:
            while stop <= start:
                stop = self.same_day_in(stop, stop.year + 1)
        if stop <= start:
            self.f.question = REVERSED
            return True
        self.f.dates.append(start)
        self.f.date_range = (start, stop - timedelta(days=1))
        return True

    def under_way(self, start: date, last: date) -> bool:
        """Would a range from `start` a year earlier to `last` hold today (`last` still ahead)?"""
        return last >= self.today and self.same_day_in(start, start.year - 1) <= min(self.today, last)

    def named_without_year(self, a: int, b: int) -> bool:
        """Do tokens a..b name a day or month by its name or number, with no year and nothing
        relative ("August", "March 30", "10/1"; not "next Friday", "this May")?"""
        lex = self.lex
        named = False
        for x in range(a, b):
            key = self.keys[x]
            if key in lex.next.single or key in lex.this or key in lex.prev or key in lex.weekdays \
                    or lex.relative_days.match(self.keys, x) is not None:
                return False
            named = named or key in lex.months or self.kind(x) in (SLASH, DOT, ORD, NUM)
        return named and not self.has_year(a, b)

    @staticmethod
    def day_in_month_of(day: int, d: date) -> date | None:
        """Day `day` of d's month, when it exists and is not after d."""
        try:
            got = d.replace(day=day)
        except ValueError:
            return None
        return got if got <= d else None

    def merge(self, p: Found) -> None:
        """Put what a point read into the request's `Found` (its first point)."""
        f = self.f
        f.dates.extend(p.dates)
        for fld in fields(Found):
            if fld.name in _NOT_FOUND_FIELDS:
                continue
            value = getattr(p, fld.name)
            if value is not None and value is not False:
                setattr(f, fld.name, value)
