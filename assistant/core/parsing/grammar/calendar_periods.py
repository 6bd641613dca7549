"""Spans coarser than a day: months, years, quarters, seasons, weeks of a month and windows
(the last four in `period_units.py`).

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

from datetime import date, timedelta

from ..lexicons import Lexicon
from ..tokens import ALNUM, NUM, ORD, PUNCT
from .found import MONTH_NAMES, add_months
from .period_units import MAX_YEAR, MIN_YEAR
from .numbered_periods import NumberedPeriodGrammar, glued_week
from .workdays import WorkdayGrammar

EDGE_MONTH_DAYS = {"early": (1, 11), "mid": (11, 21), "late": (21, 32)}
EDGE_YEAR_MONTHS = {"early": (1, 5), "mid": (5, 9), "late": (9, 13)}
EDGE_WEEK_DAYS = {"early": (0, 3), "mid": (1, 4), "late": (3, 5)}
YEAR_CUES = frozenset({"in", "during", "throughout"})
_STARTS: dict[str, frozenset[str]] = {}


def start_words(lex: Lexicon) -> frozenset[str]:
    """The words a period expression can begin with in this language (a cheap first test)."""
    words = _STARTS.get(lex.code)
    if words is None:
        tables = (lex.period_abbreviations, lex.period_edges, lex.period_within, lex.period_next,
                  lex.period_prev, lex.period_week_of, lex.period_whole, lex.period_rest, lex.next,
                  lex.current, lex.this, lex.prev, lex.months, lex.seasons, lex.end)
        words = frozenset().union(*(t.first_words() for t in tables), lex.at, lex.in_, lex.the,
                                  lex.period_cues, lex.period_vague, lex.last_words, YEAR_CUES,
                                  lex.iso_week_words, lex.decades.first_words(), lex.own,
                                  ("q1", "q2", "q3", "q4", "year"))
        _STARTS[lex.code] = words
    return words


class CalendarPeriodGrammar(WorkdayGrammar, NumberedPeriodGrammar):
    """The calendar-period matchers of `Scanner`; see `scanner.py` for how they are combined."""

    def calendar_period(self, i: int) -> int | None:
        """Entry point: one period expression at i, or None."""
        if not self.free(i):
            return None
        kind = self.t[i].kind
        if kind == NUM:
            return self.business_days(i) or self.period_window(i) or self.numeric_month(i) or self.year_period(i)
        if kind in (ORD, ALNUM):
            return self.nth_week_of(i) or self.quarter_expr(i) or self.nth_month_of(i) or self.first_units_of(i) \
                or self.numbered_period(i)
        if self.keys[i] not in start_words(self.lex):
            return self.iso_week(i) if glued_week(self.keys[i]) else None
        if self.keys[i] in self.lex.at and not self.edge_after(i + 1):
            return None                             # "at 3pm": only "at the end of …", "at EOM"
        if self.keys[i] in self.lex.period_vague:
            j = self.calendar_period(i + 1) or self.week_period(i + 1) if self.free(i + 1) else None
            return self.mark(i, j) if j else None
        return (self.period_abbreviation(i) or self.period_edge(i) or self.business_days(i)
                or self.work_week(i) or self.period_window(i) or self.numbered_period(i)
                or self.nth_week_of(i) or self.nth_month_of(i) or self.first_units_of(i)
                or self.weekend_of(i) or self.week_of_date(i) or self.whole_or_rest(i)
                or self.quarter_expr(i) or self.season_expr(i) or self.month_period(i)
                or self.year_period(i))

    # -- abbreviations and edges -----------------------------------------------------------
    def edge_after(self, k: int) -> bool:
        lex = self.lex
        key = self.key(k)
        return key in lex.the or lex.period_edges.starts(key) or lex.period_abbreviations.starts(key)

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
                            f"in {edge} {MONTH_NAMES[first.month]}")
            return self.mark(i, end)
        year = self.year_ref(k)
        if year is not None:
            y, end = year
            a, b = EDGE_YEAR_MONTHS[edge]
            self.set_period(date(y, a, 1), date(y + (b > 12), (b - 1) % 12 + 1, 1), f"in {edge} {y}")
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

    # -- months and years -------------------------------------------------------------------
    def month_period(self, i: int) -> int | None:
        """"March", "in March", "next March", "last May", "March after next", "October 2014",
        "March in a year"."""
        lex = self.lex
        mode, j = self.said_mode(i)
        if mode is None and j > i and self.key(j) == "month" and self.key(j + 1) in lex.of:
            j += 2                              # "in the month of March"
        month = lex.months.get(self.key(j)) if self.free(j) else None
        if month is None or self.key(j) in lex.ambiguous_months and not self.t[j].cap:
            return None
        if self.kind(j + 1) == ORD or self.kind(j + 1) == NUM and self.t[j + 1].value <= 31 \
                or self.key(j + 1) in lex.the and self.kind(j + 2) == ORD:
            return None                     # "March 24": a day, read by the date grammar
        end = j + 1
        today = self.today
        year_hit = self.year_word_at(self.skip(self.skip_comma(end), lex.of))
        if year_hit is None:
            year_hit = self.year_after_month(end)   # "April of 87", "jan '80", "Aug 96" (dateforms.py)
        alone = i == 0 and (end >= self.n or self.kind(end) == PUNCT and end == self.n - 1)
        if year_hit is not None:
            year, end = year_hit
        elif mode is None and not alone and not self.month_cued(i, j, end):
            return None                     # "Meet May tomorrow", "march to the office"
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

    def month_cued(self, i: int, j: int, end: int) -> bool:
        """Is a month name without a year said as a time ("in March", "March after next")
        rather than as a name or a verb ("lunch with May", "march to the office")?"""
        lex = self.lex
        if self.after_in_years(end) is not None or self.key(end) in lex.after and self.key(end + 1) == "next":
            return self.t[j].cap or j > i
        if j == i:
            return False
        namelike = self.key(j) in lex.names or self.key(j) in lex.ambiguous_months or self.key(j) in lex.verb_months
        return not namelike or self.key(i) in lex.strong_period_cues

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
        if not (1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR):
            return None
        first = date(year, month, 1)
        self.set_period(first, add_months(first, 1), f"in {MONTH_NAMES[month]} {year}")
        return self.mark(i, i + 3)

    def year_period(self, i: int) -> int | None:
        """"in 2014", "during 2027", "in the year 2030", "2014 AD", or a year said alone."""
        lex = self.lex
        cue = self.key(i) in YEAR_CUES
        k = self.skip(i + 1 if cue else i, lex.the)
        named = self.key(k) == "year"
        k += named
        if named and self.key(k) in lex.of:
            k += 1                          # "in the year of 2008"
        hit = self.year_word_at(k)
        if hit is None:
            return None
        year, end = hit
        era = end > k + 1
        alone = k == 0 and all(self.kind(x) == PUNCT for x in range(end, self.n))
        if not (cue or named or era or alone):
            return None
        nxt = self.key(end)
        if nxt in lex.units or nxt in (":", "-", "/") or self.kind(end) == NUM or nxt in lex.meridiems:
            return None                     # "in 1500 minutes", "in 1930 hours", "2014-2015"
        if end == k + 1 and nxt in lex.months:
            first = self.year_first_date(k)             # "in 2024 August", "in 2018 March 18"
            if first is not None:
                return self.mark(i, first)
        self.set_period(date(year, 1, 1), date(year + 1, 1, 1), f"in {year}")
        return self.mark(i, end)
