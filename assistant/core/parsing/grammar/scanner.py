"""`Scanner`: one pass of the grammar over a request's tokens.

At each position where a date or time can start (`Scanner.live`: a word of the grammar, a number,
a holiday name, or a run of lead words before one) a fixed list of matchers (most specific first)
tries to read one expression; the first that succeeds wins and the scan continues after it. Other
words are skipped for the price of a set lookup, which keeps long messages cheap.
"""
from __future__ import annotations

from datetime import date

from ..lexicons import Lexicon
from ..limits import TOO_FAR
from ..tokens import PUNCT, WORD, Token
from .amounts import AmountGrammar
from .calendar_periods import CalendarPeriodGrammar, start_words
from .counted_hours import CountedHourGrammar
from .days import DayGrammar
from .found import Found
from .holidays import HolidayGrammar
from .periods import PeriodGrammar
from .recurrence import RecurrenceGrammar
from .spans import SpanGrammar
from .times import TimeGrammar


_WORDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {}


def grammar_words(lex: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """Per language, built once: words that may begin a date or time, and words that may lead
    into one (`Lexicon.starts_date`, `leads_date`, with the period grammar's first words)."""
    words = _WORDS.get(lex.code)
    if words is None:
        dates = lex.starts_date | start_words(lex)
        words = _WORDS[lex.code] = dates, lex.leads_date - dates
    return words


class Scanner(RecurrenceGrammar, SpanGrammar, AmountGrammar, TimeGrammar, HolidayGrammar, DayGrammar,
              PeriodGrammar, CalendarPeriodGrammar, CountedHourGrammar):
    """The whole grammar (created per request; not shared)."""

    def scan(self, start: int = 0, stop: int | None = None) -> Found:
        stop = self.n if stop is None else stop
        live = self.live()
        held = self.hold_signed(start, stop)
        i = start
        while i < stop:
            if self.f.used[i] or not live[i]:
                i += 1
                continue
            j = self.match_at(i)
            i = j if j is not None and j > i else i + 1
        self.read_held(held)
        return self.f

    def live(self) -> list[bool]:
        """Per token: could an expression start here? One that is a date or time word itself (or a
        number, or a holiday name), or a word of the grammar leading into one ("at the end of",
        "in the next"). Other words start none, and cost a set lookup each."""
        dates, leading = grammar_words(self.lex)
        temporal = [t.kind not in (WORD, PUNCT) or t.kind == WORD and not t.key.isalpha()
                    or t.key in dates or t.base in dates or self.may_start(i) for i, t in enumerate(self.t)]
        live = temporal[:]
        for i in range(len(live) - 2, -1, -1):
            if not live[i] and live[i + 1]:
                t = self.t[i]
                live[i] = t.key in leading or t.base in leading
        return live

    def match_at(self, i: int) -> int | None:
        for matcher in (self.ranges, self.day_of_month, self.holiday_date, self.recurrence, self.until_or_anchor, self.calendar_period,
                        self.offset,
                        self.duration, self.zone_phrase, self.hour_before_day, self.time_with_prep,
                        self.date_with_prep,
                        self.week_period, self.daypart, self.all_day):
            try:
                j = matcher(i)
            except (OverflowError, ValueError):
                # Calendar arithmetic ran off year 1 or 9999 (said years are checked earlier, in
                # `record_date`; this is an extreme `today`): ask instead of raising (limits.py).
                self.f.question = self.f.question or TOO_FAR
                return i + 1
            if j is not None:
                return j
        return None


def scan(toks: list[Token], lex: Lexicon, today: date, start: int = 0, stop: int | None = None,
         used: list[bool] | None = None) -> Found:
    """Run the grammar over toks[start:stop]; `used` marks tokens other steps already own."""
    s = Scanner(toks, lex, today)
    if used is not None:
        s.f.used = list(used)
    return s.scan(start, stop)
