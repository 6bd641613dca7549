"""Spans coarser than a day: months, years, quarters, seasons, weeks of a month and windows.

"in March", "next March", "October 2014", "2014-10", "early April", "the beginning of the year",
"Q3", "4th quarter 2018", "this summer", "the first week of October", "the week of October 6th",
"the last weekend of October", "all week", "the rest of the month", "the next 3 days",
"the past 2 weeks", "within 2 weeks".

Each reading sets `Found.period` to [first day, exclusive end) and `Found.period_name` to the words
a follow-up question can use ("Which day in March?"). A month, quarter or season with no year is
the next one that has not ended (the current one included); `next <month>` skips the current
year's once it has begun. Seasons are the northern hemisphere's astronomical ones.

A bare month or year needs a cue, because "May", "March" and "1974" are also names, verbs, house
numbers and prices: a preposition before it ("in", "during"…), a year after a month, or nothing
else in the message.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from ..tokens import ALNUM, NUM, ORD, PUNCT, WORD
from .base import ScannerBase
from .found import MONTH_NAMES, add_months

SEASON_STARTS = ((3, 20), (6, 21), (9, 23), (12, 21))     # spring, summer, autumn, winter
SEASON_NAMES = ("spring", "summer", "autumn", "winter")
EDGE_MONTH_DAYS = {"early": (1, 11), "mid": (11, 21), "late": (21, 32)}
EDGE_YEAR_MONTHS = {"early": (1, 5), "mid": (5, 9), "late": (9, 13)}
EDGE_WEEK_DAYS = {"early": (0, 3), "mid": (1, 4), "late": (3, 5)}
YEAR_CUES = frozenset({"in", "during", "throughout", "since", "year", "of"})
_QUARTER = re.compile(r"^(?:q([1-4])(?:'?(\d{2}|\d{4}))?|(\d{2}|\d{4})q([1-4]))$")
_MIN_YEAR, _MAX_YEAR = 1900, 2199


def quarter_start(year: int, q: int) -> date:
    return date(year, 3 * q - 2, 1)


def season_start(year: int, s: int) -> date:
    m, d = SEASON_STARTS[s]
    return date(year, m, d)


def season_span(year: int, s: int) -> tuple[date, date]:
    """Season `s` (0 spring … 3 winter) that begins in `year`."""
    end = season_start(year + 1, 0) if s == 3 else season_start(year, s + 1)
    return season_start(year, s), end


def current_season(today: date) -> tuple[int, int]:
    """(year it began, season index) of the season `today` is in."""
    for s in (3, 2, 1, 0):
        if today >= season_start(today.year, s):
            return today.year, s
    return today.year - 1, 3


def shift_season(year: int, s: int, by: int) -> tuple[int, int]:
    n = year * 4 + s + by
    return n // 4, n % 4


class CalendarPeriodGrammar(ScannerBase):
    """The calendar-period matchers of `Scanner`; see `scanner.py` for how they are combined."""

    def calendar_period(self, i: int) -> int | None:
        """Entry point: one period expression at i, or None."""
        if not self.free(i):
            return None
        return (self.period_abbreviation(i) or self.period_edge(i) or self.period_window(i)
                or self.nth_week_of(i) or self.week_of_date(i) or self.whole_or_rest(i)
                or self.quarter_expr(i) or self.season_expr(i) or self.month_period(i)
                or self.numeric_month(i) or self.year_period(i))

    # -- recording -------------------------------------------------------------------------
    def set_period(self, start: date, end: date, name: str) -> None:
        self.f.period = (start, end)
        self.f.period_name = name

    def year_word_at(self, i: int) -> tuple[int, int] | None:
        """A four-digit year in the planning range at i: (year, index after it)."""
        if self.kind(i) == NUM and len(self.t[i].text) == 4 and self.free(i) \
                and _MIN_YEAR <= self.t[i].value <= _MAX_YEAR:
            return self.t[i].value, i + 1 + (self.key(i + 1) in self.lex.era_words)
        return None

    def year_ref(self, i: int) -> tuple[int, int] | None:
        """"2014", "this year", "next year", "the year", "year" -> (year, index after it)."""
        hit = self.year_word_at(i)
        if hit:
            return hit
        j = self.skip(i, self.lex.the)
        if self.key(j) in ("year", "yr") and self.free(j) and (j > i or self.key(i - 1) in self.lex.of):
            return self.today.year, j + 1
        week = self.week_words_at(j)
        if week and week[1][0] == "year":
            return self.today.year + week[1][1], week[0]
        return None

    def month_ref(self, i: int) -> tuple[int, date] | None:
        """A month name (with its year if said) or "next month" / "this month": (end, first day)."""
        j = self.skip(i, self.lex.the)
        return self.month_expr(j, this_by_default=True) if self.free(j) else None

    # -- abbreviations and edges -----------------------------------------------------------
    def period_abbreviation(self, i: int) -> int | None:
        """"BOY", "EOY", "EOM", "BOM" (written in capitals: "boy" is a word)."""
        j = self.skip(i, self.lex.the)
        hit = self.lex.period_abbreviations.get(self.key(j))
        if hit is None or not self.free(j) or not self.t[j].text.isupper():
            return None
        edge, unit = hit
        today = self.today
        if unit == "year":
            first = date(today.year, 1, 1)
            if edge == "end":
                self.add_date(date(today.year, 12, 31))
            else:
                self.set_period(first, date(today.year, EDGE_YEAR_MONTHS["early"][1], 1), "early in the year")
        else:
            first = today.replace(day=1)
            if edge == "end":
                self.add_date(add_months(first, 1) - timedelta(days=1))
            else:
                self.set_period(first, first + timedelta(days=10), "early this month")
        return self.mark(i, j + 1)

    def period_edge(self, i: int) -> int | None:
        """"early March", "mid-April", "late 2027", "the beginning of next week", "the start of the
        year"; "the end of 2027" is its last day (like "the end of the month")."""
        lex = self.lex
        j = self.skip(i, lex.at) if self.key(i) in lex.at else self.skip(i, lex.in_)
        hit = self.phrase(lex.period_edges, j)
        if hit is None:
            return self.end_of_year(i, j)
        k, edge = hit
        if self.key(k) == "-" and self.t[k].start == self.t[k - 1].end:
            k += 1                                          # "mid-March"
        month = self.month_ref(k)
        if month is not None:
            end, first = month
            a, b = EDGE_MONTH_DAYS[edge]
            last = add_months(first, 1)
            self.set_period(first + timedelta(days=a - 1), min(last, first + timedelta(days=b - 1)),
                            f"{edge} in {MONTH_NAMES[first.month]}")
            return self.mark(i, end)
        year = self.year_ref(k)
        if year is not None:
            y, end = year
            a, b = EDGE_YEAR_MONTHS[edge]
            self.set_period(date(y, a, 1), date(y + (b > 12), (b - 1) % 12 + 1, 1), f"{edge} in {y}")
            return self.mark(i, end)
        week = self.week_words_at(self.skip(k, lex.the))
        if week is None and self.key(self.skip(k, lex.the)) == "week":
            week = (self.skip(k, lex.the) + 1, ("week", 0))
        if week is not None and week[1][0] == "week":
            end, (_, offset) = week
            monday = self.today - timedelta(days=self.today.weekday()) + timedelta(weeks=offset)
            a, b = EDGE_WEEK_DAYS[edge]
            self.set_period(monday + timedelta(days=a), monday + timedelta(days=b), "that week")
            return self.mark(i, end)
        return None

    def end_of_year(self, i: int, j: int) -> int | None:
        """"(at) the end of 2012", "end of the year", "end of next year" -> December 31."""
        lex = self.lex
        k = self.skip(j, lex.the)
        if self.key(k) != "end" or self.key(k + 1) not in lex.of or not self.free(k):
            return None
        year = self.year_ref(k + 2)
        if year is None:
            return None
        self.add_date(date(year[0], 12, 31))
        return self.mark(i, year[1])

    # -- windows: "the next 3 days", "the past 2 weeks", "within a month" ------------------
    def period_window(self, i: int) -> int | None:
        lex = self.lex
        sign = 0
        hit = self.phrase(lex.period_within, i) or self.phrase(lex.period_next, i)
        if hit:
            sign, j = 1, hit[0]
        else:
            hit = self.phrase(lex.period_prev, i)
            if hit:
                sign, j = -1, hit[0]
        if sign:
            amount = self.window_amount(j)
            if amount is None:
                return None
            n, unit, end = amount
        else:
            n = self.whole(i) if self.free(i) else None      # "2 upcoming weeks"
            nxt = self.phrase(lex.period_next, i + 1) if n is not None else None
            unit = self.window_unit(nxt[0]) if nxt else None
            if unit is None:
                return None
            sign, end = 1, nxt[0] + 1
        if not 1 <= n <= 1000:
            return None
        today = self.today
        if unit == "day":
            other = today + timedelta(days=sign * n)
        elif unit == "week":
            other = today + timedelta(weeks=sign * n)
        else:
            other = add_months(today, sign * n * unit)
        span = (today, other) if sign > 0 else (other, today)
        self.set_period(span[0], span[1], "then")
        return self.mark(i, end)

    def window_amount(self, j: int) -> tuple[int, str | int, int] | None:
        """"3 days", "two weeks", "few days", "a month" after the window word: (n, unit, end)."""
        n = self.whole(j) if self.free(j) else None
        k = j + 1
        if n is None and self.key(j) in self.lex.articles:
            n = 1
        if n is None:
            return None
        unit = self.window_unit(k)
        return (n, unit, k + 1) if unit is not None else None

    def window_unit(self, k: int) -> str | int | None:
        """"day(s)" / "week(s)" -> that word; months, quarters, years -> their length in months."""
        key = self.key(k)
        if not self.free(k):
            return None
        if key in self.lex.quarter_words:
            return 3
        minutes = self.lex.units.get(key)
        return {1440: "day", 10080: "week", 20160: "fortnight", 43200: 1, 525600: 12}.get(minutes) \
            if minutes is not None and minutes != 20160 else None

    # -- weeks -------------------------------------------------------------------------------
    def nth_week_of(self, i: int) -> int | None:
        """"the first week of October 2014", "the second last week of October", "the last
        weekend of October", "the 3rd last week of 2018". A week of a month is a Monday-to-Sunday
        week inside it; a weekend a Saturday and Sunday."""
        lex = self.lex
        j = self.skip(i, lex.the)
        if self.kind(j) == ORD and self.free(j):
            nth = self.t[j].value
            j += 1
            if self.key(j) in lex.last_words:
                nth, j = -nth, j + 1
        elif self.key(j) in lex.last_words and self.free(j):
            nth, j = -1, j + 1
        else:
            return None
        unit = lex.week_words.get(self.key(j))
        if unit not in ("week", "weekend") or self.key(j + 1) not in lex.of and self.key(j + 1) not in lex.in_:
            return None
        k = j + 2
        month = self.month_ref(k)
        if month is not None:
            end, first = month
            limit = add_months(first, 1)
            name = f"in {MONTH_NAMES[first.month]}"
        else:
            year = self.year_ref(k)
            if year is None:
                return None
            end, first = year[1], date(year[0], 1, 1)
            limit, name = date(year[0] + 1, 1, 1), f"in {year[0]}"
        length, weekday = (7, 0) if unit == "week" else (2, 5)
        starts = []
        d = first + timedelta(days=(weekday - first.weekday()) % 7)
        while d + timedelta(days=length) <= limit:
            starts.append(d)
            d += timedelta(days=7)
        if not starts or abs(nth) > len(starts) or nth == 0:
            return None
        start = starts[nth - 1] if nth > 0 else starts[nth]
        self.set_period(start, start + timedelta(days=length), f"that {unit}")
        return self.mark(i, end)

    def week_of_date(self, i: int) -> int | None:
        """"the week of October 6th": the Monday-to-Sunday week of that day (a Sunday opens the
        week after it, as a week "of" a Sunday is the one it starts)."""
        hit = self.phrase(self.lex.period_week_of, i)
        if hit is None:
            return None
        before = len(self.f.dates)
        end = self.date_expr(hit[0])
        if end is None or len(self.f.dates) == before:
            return None
        d = self.f.dates.pop()
        monday = d - timedelta(days=d.weekday()) + timedelta(days=7 if d.weekday() == 6 else 0)
        self.f.dom_only = False
        self.set_period(monday, monday + timedelta(days=7), "that week")
        return self.mark(i, end)

    def whole_or_rest(self, i: int) -> int | None:
        """"all week", "the whole month", "all next week" (the whole span); "the rest of the
        week" (today to its end)."""
        lex = self.lex
        whole = self.phrase(lex.period_whole, i)
        rest = None if whole else self.phrase(lex.period_rest, i)
        hit = whole or rest
        if hit is None:
            return None
        j = self.skip(hit[0], lex.the)
        week = self.week_words_at(j)
        if week is not None:
            end, (unit, offset) = week
        elif lex.week_words.get(self.key(j)) in ("week", "weekend", "month", "year") and self.free(j):
            end, unit, offset = j + 1, lex.week_words[self.key(j)], 0
        else:
            return None
        self.apply_week_unit(unit, offset)
        start, stop = self.f.period
        if whole:
            start = {"week": stop - timedelta(days=7), "weekend": stop - timedelta(days=2),
                     "month": add_months(stop, -1), "year": date(stop.year - 1, 1, 1)}[unit]
        else:
            start = max(self.today, start)
        self.f.period = (start, stop)
        return self.mark(i, end)

    # -- quarters and seasons ---------------------------------------------------------------
    def quarter_expr(self, i: int) -> int | None:
        """"Q3", "Q4 2018", "2018Q4", "18q4", "the third quarter", "4th qtr of 2018"."""
        lex = self.lex
        j = self.skip(i, lex.the)
        year = None
        if self.kind(j) in (WORD, ALNUM) and self.free(j) and (m := _QUARTER.match(self.key(j))):
            q = int(m.group(1) or m.group(4))
            said = m.group(2) or m.group(3)
            year = int(said) + (2000 if len(said) == 2 else 0) if said else None
            end = j + 1
        elif self.kind(j) == ORD and self.free(j) and 1 <= self.t[j].value <= 4 \
                and self.key(j + 1) in lex.quarter_words:
            q, end = self.t[j].value, j + 2
        else:
            return None
        if year is None:
            k = self.skip(end, lex.of)
            hit = self.year_ref(k)
            if hit is not None:
                year, end = hit
            else:
                year = self.today.year
                if quarter_start(year, q) + timedelta(days=92) <= self.today:
                    year += 1
        start = quarter_start(year, q)
        self.set_period(start, add_months(start, 3), f"in Q{q}")
        return self.mark(i, end)

    def season_expr(self, i: int) -> int | None:
        """"this summer", "next winter", "last spring", "in the fall", "summer 2014"."""
        lex = self.lex
        j = i
        mode = None
        hit = self.phrase(lex.period_prev, i)
        if hit:
            mode, j = "last", hit[0]
        elif self.phrase(lex.next, i):
            mode, j = "next", self.phrase(lex.next, i)[0]
        elif self.keys[i] in lex.this or self.phrase(lex.current, i):
            mode, j = "this", (i + 1 if self.keys[i] in lex.this else self.phrase(lex.current, i)[0])
        elif self.keys[i] in lex.period_cues or self.keys[i] in lex.the:
            j = self.skip(self.skip(i, lex.period_cues), lex.the)
        s = lex.seasons.get(self.key(j)) if self.free(j) else None
        if s is None:
            return None
        end = j + 1
        year = self.year_word_at(self.skip(end, lex.of))
        if mode is None and year is None and j == i:
            return None                     # "spring cleaning", "fall asleep"
        today = self.today
        cy, cs = current_season(today)
        if year is not None:
            y, end = year
        elif mode == "last":
            y = cy if s != cs and season_start(cy, s) < today else cy - 1
            if season_span(y, s)[1] > today:
                y -= 1
        else:
            y = cy if s >= cs else cy + 1
            if s == cs and mode == "next":
                y += 1
            if season_span(y, s)[1] <= today:
                y += 1
        start, stop = season_span(y, s)
        self.set_period(start, stop, f"in the {SEASON_NAMES[s]}")
        return self.mark(i, end)

    # -- months and years -------------------------------------------------------------------
    def month_period(self, i: int) -> int | None:
        """"March", "in March", "next March", "last May", "March after next", "October 2014",
        "March in a year"."""
        lex = self.lex
        mode = None
        j = i
        hit = self.phrase(lex.next, i)
        if hit:
            mode, j = "next", hit[0]
        elif self.keys[i] in lex.prev or self.phrase(lex.period_prev, i):
            mode, j = "last", (self.phrase(lex.period_prev, i) or (i + 1,))[0]
        elif self.keys[i] in lex.this or self.phrase(lex.current, i):
            mode, j = "this", (i + 1 if self.keys[i] in lex.this else self.phrase(lex.current, i)[0])
        elif self.keys[i] in lex.period_cues:
            j = self.skip(i + 1, lex.the)
            if self.key(j) == "month" and self.key(j + 1) in lex.of:
                j += 2
        month = lex.months.get(self.key(j)) if self.free(j) else None
        if month is None or self.key(j) in lex.ambiguous_months and not self.t[j].cap:
            return None
        if self.kind(j + 1) == ORD or self.kind(j + 1) == NUM and self.t[j + 1].value <= 31 \
                or self.key(j + 1) in lex.the and self.kind(j + 2) == ORD:
            return None                     # "March 24": a day, read by the date grammar
        end = j + 1
        today = self.today
        year_hit = self.year_word_at(self.skip(self.skip_comma(end), lex.of))
        alone = i == 0 and (end >= self.n or self.kind(end) == PUNCT and end == self.n - 1)
        if year_hit is not None:
            year, end = year_hit
        elif mode is None and j == i and not alone and not self.t[j].cap:
            return None
        elif mode is None and j == i and not alone and self.after_in_years(end) is None \
                and not (self.key(end) in lex.after and self.key(end + 1) == "next"):
            return None                     # "Meet May tomorrow", "March to the office"
        else:
            year = today.year if month >= today.month else today.year + 1
            if mode == "next" and month <= today.month:
                year = today.year + 1
            elif mode == "this":
                year = today.year
            elif mode == "last":
                year = today.year - 1 if month >= today.month else today.year
            if self.key(end) in lex.after and self.key(end + 1) == "next":
                year, end = year + 1, end + 2            # "March after next"
            later = self.after_in_years(end)
            if later is not None:
                years, end = later
                year = today.year + years
        first = date(year, month, 1)
        self.set_period(first, add_months(first, 1), f"in {MONTH_NAMES[month]}")
        return self.mark(i, end)

    def after_in_years(self, k: int) -> tuple[int, int] | None:
        """"in a year", "in 2 years" after a month: (years, index after)."""
        if self.key(k) not in self.lex.in_:
            return None
        n = 1 if self.key(k + 1) in self.lex.articles else self.whole(k + 1)
        if n is None or self.lex.units.get(self.key(k + 2)) != 525600:
            return None
        return n, k + 3

    def numeric_month(self, i: int) -> int | None:
        """"2014-10", "2014/10", "2/2013", "04/2016" (written without spaces)."""
        if self.kind(i) != NUM or self.key(i + 1) not in ("-", "/") or self.kind(i + 2) != NUM \
                or not self.free(i + 2) or self.t[i + 1].start != self.t[i].end \
                or self.t[i + 2].start != self.t[i + 1].end:
            return None
        if self.key(i + 3) in ("-", "/", ".", ":") and self.kind(i + 4) == NUM:
            return None                     # a longer number: a phone, an id
        a, b = self.t[i], self.t[i + 2]
        if len(a.text) == 4 and len(b.text) <= 2:
            year, month = a.value, b.value
        elif len(b.text) == 4 and len(a.text) <= 2 and self.key(i + 1) == "/":
            year, month = b.value, a.value
        else:
            return None
        if not (1 <= month <= 12 and _MIN_YEAR <= year <= _MAX_YEAR):
            return None
        first = date(year, month, 1)
        self.set_period(first, add_months(first, 1), f"in {MONTH_NAMES[month]} {year}")
        return self.mark(i, i + 3)

    def year_period(self, i: int) -> int | None:
        """"in 2014", "during 2027", "the year 2030", "2014 AD", or a year said alone."""
        lex = self.lex
        j = self.skip(i, lex.the)
        cue = self.key(j) in YEAR_CUES and self.key(j) != "of"
        k = j + 1 if cue else i
        if self.key(k) in lex.the or self.key(k) == "year":
            k = self.skip(self.skip(k, lex.the), frozenset({"year"}))
        hit = self.year_word_at(k)
        if hit is None:
            return None
        year, end = hit
        era = end > k + 1
        alone = k == 0 and all(self.kind(x) == PUNCT for x in range(end, self.n))
        if not (cue or era or alone or k > i):
            return None
        nxt = self.key(end)
        if nxt in lex.units or nxt in (":", "-", "/") or self.kind(end) in (NUM,) or nxt in lex.meridiems:
            return None                     # "in 1500 minutes", "in 1930 hours", "2014-2015"
        self.set_period(date(year, 1, 1), date(year + 1, 1, 1), f"in {year}")
        return self.mark(i, end)
