"""Spans named by a number: ISO weeks, decades and centuries.

"week 31", "in week 3 of 2027", "week 27 of last year", "KW 12", "CW12", "неделя 12" are the ISO
week's Monday to the next Monday — this year's, next year's once it is over. "the 1990s", "the
'90s", "the nineties" are that decade (a decade said with two digits is the latest one that has
begun: "the twenties" in 2026 are the 2020s, "the nineties" the 1990s); "the 1800s" is a century;
"the 21st century" runs 2000–2099, as it is commonly meant. "next decade" / "this century" are in
`periods.py` (`apply_week_unit`).
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from ..lexicons import Lexicon
from ..tokens import ALNUM, NUM, ORD, PUNCT, WORD
from .period_units import PeriodUnitGrammar

_GLUED_WEEK = re.compile(r"^(kw|cw|wk)(\d{1,2})$")
_DECADE = re.compile(r"^(\d{2}|\d{4})s$")
MAX_ISO_WEEK = 53


_DECADE_WORDS: dict[str, frozenset[str]] = {}


def decade_words(lex: Lexicon) -> frozenset[str]:
    words = _DECADE_WORDS.get(lex.code)
    if words is None:
        words = _DECADE_WORDS[lex.code] = lex.decades.first_words()
    return words


def glued_week(key: str) -> bool:
    """"kw12", "cw3": a week number written onto its word."""
    return _GLUED_WEEK.match(key) is not None


def iso_week_span(year: int, week: int) -> tuple[date, date] | None:
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        return None                         # week 53 of a 52-week year
    return monday, monday + timedelta(days=7)


class NumberedPeriodGrammar(PeriodUnitGrammar):
    """Matchers used by `CalendarPeriodGrammar.calendar_period`; see `scanner.py`."""

    def iso_week(self, i: int) -> int | None:
        """"(in) week 31", "KW 12", "week 3 of 2027", "week 27 of last year", "CW12, 2027"."""
        lex = self.lex
        j = self.skip(i, lex.in_)
        j = self.skip(j, lex.the)
        if not self.free(j) or self.kind(j) != WORD:
            return None
        glued = _GLUED_WEEK.match(self.keys[j])
        if glued:
            week, end = int(glued.group(2)), j + 1
        elif self.keys[j] in lex.iso_week_words and self.kind(j + 1) == NUM and self.free(j + 1) \
                and len(self.t[j + 1].text) <= 2 and self.t[j + 1].start > self.t[j].end:
            week, end = self.t[j + 1].value, j + 2
            before = self.key(j - 1)
            if before in lex.articles or before in lex.every.single or self.kind(j - 1) == NUM:
                return None                 # "once a week 3 times", "2 weeks"
        else:
            return None
        if not 1 <= week <= MAX_ISO_WEEK or self.key(end) in lex.units or self.key(end) in lex.times_words \
                or self.key(end) in lex.meridiems or self.key(end) in (":", ".", "x"):
            return None
        k = self.skip(self.skip_comma(end), lex.of)
        year = self.year_ref(k) if k > end or self.kind(k) == NUM else None
        if year is not None:
            span, end = iso_week_span(year[0], week), year[1]
        else:
            span = iso_week_span(self.today.year, week)
            if span is not None and span[1] <= self.today:
                span = iso_week_span(self.today.year + 1, week)
        if span is None:
            return None
        self.set_period(span[0], span[1], f"in week {week}")
        return self.mark(i, end)

    def decade_expr(self, i: int) -> int | None:
        """"the 1990s", "the '90s", "'90s", "the nineties", "the 1800s" (a century)."""
        lex = self.lex
        j = self.skip(i, lex.the)
        start = i
        said_the = j > i
        if self.key(j) == "'" and self.kind(j + 1) == ALNUM:
            j += 1
            said_the = True
        if not self.free(j):
            return None
        if self.kind(j) == ALNUM and (m := _DECADE.match(self.keys[j])):
            digits = m.group(1)
            said = int(digits)
        elif self.kind(j) == WORD and (named := lex.decades.match(self.keys, j)) is not None:
            digits, said = "", int(named[1])
        else:
            return None
        if len(digits) == 4:
            if said % 10:
                return None
            size = 100 if said % 100 == 0 else 10
            first = said
        else:
            apostrophe = self.key(j - 1) == "'" and self.t[j - 1].end == self.t[j].start
            if said % 10 or digits and not (said_the or apostrophe):
                return None                 # "in 90s", "plank for 60s": seconds
            size = 10
            first = 2000 + said if 2000 + said <= self.today.year else 1900 + said
        if self.key(start - 1) == "'" and self.free(start - 1):
            start -= 1
        self.set_period(date(first, 1, 1), date(first + size, 1, 1), "then")
        return self.mark(start, j + 1)

    def century_expr(self, i: int) -> int | None:
        """"the 21st century", "the twentieth century"."""
        j = self.skip(i, self.lex.the)
        if self.kind(j) != ORD or not self.free(j) or self.key(j + 1) not in self.lex.century_words:
            return None
        nth = self.t[j].value
        if not 1 <= nth <= 99:
            return None
        first = (nth - 1) * 100
        if first < 1:
            return None
        self.set_period(date(first, 1, 1), date(first + 100, 1, 1), "then")
        return self.mark(i, j + 2)

    def numbered_period(self, i: int) -> int | None:
        """Entry point for this module's matchers."""
        lex = self.lex
        j = self.skip(i, lex.the)
        kind = self.kind(j)
        if kind == ORD:
            return self.century_expr(i)
        hit = None
        if kind == ALNUM or kind == PUNCT or self.said_any(decade_words(lex)):
            hit = self.decade_expr(i)
        if hit is None and (self.said_any(lex.iso_week_words) or glued_week(self.key(j))):
            hit = self.iso_week(i)
        return hit
