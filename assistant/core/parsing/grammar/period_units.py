"""Weeks of a month, quarters and seasons — the unit-shaped half of the
period grammar (`calendar_periods.py` has months, years, edges and the entry point).

"the first week of October 2014" is a whole Monday-to-Sunday week inside the month (a weekend a
Saturday and Sunday), "the last week of 2016" the year's last ISO week; "the week of October 6th" the week of that day (a Sunday opens the week after
it); "Q3" / "the third quarter" this year's unless it is over; seasons are the northern
hemisphere's astronomical ones. Windows of N units are in `period_windows.py`.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from ..tokens import ALNUM, NUM, ORD, WORD
from .base import ScannerBase
from .found import add_months

SEASON_STARTS = ((3, 20), (6, 21), (9, 23), (12, 21))     # spring, summer, autumn, winter
SEASON_NAMES = ("spring", "summer", "autumn", "winter")
_QUARTER = re.compile(r"^(?:q([1-4])(?:'?(\d{2}|\d{4}))?|(\d{2}|\d{4})q([1-4]))$")
MIN_YEAR, MAX_YEAR = 1900, 2199


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

def weekend_around(d: date) -> tuple[date, date]:
    """The weekend a day belongs to (see `weekend_of`): [Saturday, Monday), or to Tuesday when the
    day is a Monday."""
    wd = d.weekday()
    if wd == 0:
        return d - timedelta(days=2), d + timedelta(days=1)
    saturday = d + timedelta(days=5 - wd) if wd >= 2 else d - timedelta(days=wd + 2)
    return saturday, saturday + timedelta(days=2)


class PeriodUnitGrammar(ScannerBase):
    """Matchers used by `CalendarPeriodGrammar.calendar_period`; see `scanner.py`."""

    said_keys: frozenset[str] | None = None

    def said_any(self, words: frozenset[str]) -> bool:
        """Is any of these words in the request? A cheap gate before a rarer matcher."""
        if self.said_keys is None:
            self.said_keys = frozenset(self.keys) | frozenset(self.alt)
        return not self.said_keys.isdisjoint(words)

    # -- recording -------------------------------------------------------------------------
    def set_period(self, start: date, end: date, name: str) -> None:
        self.f.period = (start, end)
        self.f.period_name = name

    def year_word_at(self, i: int) -> tuple[int, int] | None:
        """A four-digit year in the planning range at i: (year, index after it)."""
        if self.kind(i) == NUM and len(self.t[i].text) == 4 and self.free(i) \
                and MIN_YEAR <= self.t[i].value <= MAX_YEAR:
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
        if self.key(i) == "month" and self.free(i) and self.key(i - 1) in self.lex.of:
            return i + 1, self.today.replace(day=1)         # "the beginning of month"
        return self.month_expr(i) or self.month_expr(self.skip(i, self.lex.the))

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
        k = self.week_end(j) if unit == "week" else None
        if k is not None or self.key(j + 1) == "end" and unit == "week":
            unit, j = "weekend", (k or j + 2) - 1                # "the last week-end of October"
        if unit not in ("week", "weekend") or self.key(j + 1) not in lex.of and self.key(j + 1) not in lex.in_:
            return None
        k = j + 2
        month = self.month_ref(k)
        if month is not None:
            end, first = month
            limit = add_months(first, 1)
        else:
            year = self.year_ref(k)
            if year is None:
                return None
            end, first = year[1], date(year[0], 1, 1)
            limit = date(year[0] + 1, 1, 1)
            if unit == "week":              # a year's weeks are its ISO weeks (week 1 holds Jan 4)
                first, limit = date.fromisocalendar(year[0], 1, 1), date.fromisocalendar(year[0] + 1, 1, 1)
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

    def weekend_of(self, i: int) -> int | None:
        """"the weekend of Halloween", "the weekend of May 3rd": the Saturday and Sunday of that
        day, the one after it from a Wednesday, the one before it from a Tuesday; a Monday (a bank
        holiday) is the end of a long weekend, Saturday to Monday."""
        j = self.skip(i, self.lex.the)
        if self.key(j + 1) not in self.lex.of or self.lex.week_words.get(self.key(j)) != "weekend" or not self.free(j):
            return None
        before = len(self.f.dates)
        end = self.date_expr(j + 2)
        if end is None or len(self.f.dates) == before:
            return None
        self.f.dom_only = False
        start, stop = weekend_around(self.f.dates.pop())
        self.set_period(start, stop, "that weekend")
        return self.mark(i, end)

    def holiday_weekend(self, end: int) -> int:
        """After a day just read: "weekend" makes it the weekend around it (`weekend_around`)."""
        if self.lex.week_words.get(self.key(end)) != "weekend" or not self.free(end) or not self.f.dates:
            return end
        start, stop = weekend_around(self.f.dates.pop())
        self.set_period(start, stop, "that weekend")
        return end + 1

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
        if unit not in ("week", "weekend", "month", "year"):
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

    def said_mode(self, i: int) -> tuple[str | None, int]:
        """Which one of a named period: "next …", "last …" / "this past …", "this …" / "the current
        …" -> (mode, index of the period's word); a cue ("in the", "during") -> (None, past it)."""
        lex = self.lex
        back = self.phrase(lex.period_prev, i)
        if back:
            return "last", back[0]
        ahead = self.phrase(lex.next, i)
        if ahead:
            return "next", ahead[0]
        if self.keys[i] in lex.prev:
            return "last", i + 1
        current = self.phrase(lex.current, i)
        if self.keys[i] in lex.this or current:
            return "this", i + 1 if self.keys[i] in lex.this else current[0]
        if self.keys[i] in lex.period_cues:
            return None, self.skip(i + 1, lex.the)
        return None, i

    def season_expr(self, i: int) -> int | None:
        """"this summer", "next winter", "last spring", "in the fall", "summer 2014"."""
        lex = self.lex
        mode, j = self.said_mode(i)
        s = lex.seasons.get(self.key(j)) if self.free(j) else None
        if s is None:
            return None
        end = j + 1
        year = self.year_word_at(self.skip(end, lex.of))
        if mode is None and year is None and j == i:
            return None                     # "spring cleaning", "fall asleep"
        if year is not None:
            y, end = year
        else:
            today = self.today
            spans = [(y, season_span(y, s)) for y in range(today.year - 2, today.year + 2)]
            if mode == "last":
                y = [y for y, (a, b) in spans if b <= today][-1]
            elif mode == "next":
                y = next(y for y, (a, b) in spans if a > today)
            else:
                y = next(y for y, (a, b) in spans if b > today)
        start, stop = season_span(y, s)
        self.set_period(start, stop, f"in the {SEASON_NAMES[s]}")
        return self.mark(i, end)
