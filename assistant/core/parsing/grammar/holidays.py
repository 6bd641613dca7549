"""Named days: "Christmas Eve", "next Thanksgiving", "easter 2010", "the morning of xmas",
"thanksgiving in 9 months", "the 2nd closest xmas to today", "Ostermontag", "на Пасху".

A holiday name is one more kind of date: `HolidayGrammar.date_expr` tries the other date readers
first, then a name, so every phrase built on a date takes holidays too ("three days after Easter",
"until Christmas", "a year from Christmas"). Which occurrence: the next one, today included (the
forward rule); `next X` the next one after today, `last X` the one before; a year ("christmas
2014", "of next year", "in 3 years", "3 months ago") picks that year's. Three generic phrases built
on any date live here too: "the third Tuesday after Christmas", "the day after Easter Monday" and
"the week after Easter" (a period). "Christmas party" names no day (it asks); "Black Friday sale"
does, and keeps the name in the title.

Names are looked up in a word trie built once at import (`holiday_names.TABLE`); which tokens may
start a phrase is worked out once per request (`may_start`).
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from enum import Enum
from functools import lru_cache
from typing import Any

from ..lexicons import Lexicon
from ..limits import TOO_FAR, year_in_horizon
from ..tokens import NUM, ORD, PUNCT
from .days import DayGrammar
from .found import add_months
from .holiday_names import DAY_WORDS, TABLE, norm_word
from .holiday_rules import Rule, occurrences

_END = ""                                   # trie key of a complete name


class Which(Enum):
    """Which occurrence a name means: the coming one (today included), the one after today
    ("next Christmas"), or the last one before today ("last Easter")."""

    COMING = "coming"
    AFTER_TODAY = "after today"
    BEFORE_TODAY = "before today"


_Trie = dict[str, Any]


def _build() -> _Trie:
    root: _Trie = {}
    for rule, names in TABLE:
        for name in names.split("|"):
            ambiguous = name.startswith("?")
            words = [norm_word(w) for w in re.split(r"[\s\-]+", name.lstrip("?")) if w]
            node = root
            for w in words:
                node = node.setdefault(w, {})
            node.setdefault(_END, (rule, ambiguous, name.lstrip("?")))
    return root


TRIE = _build()

CONTEXT = {
    "en": frozenset({"on", "for", "during", "until", "till", "til", "before", "after", "since", "over",
                     "by", "from", "through", "around", "at", "of", "every"}),
    "de": frozenset({"an", "am", "zu", "zum", "über", "vor", "nach", "bis", "seit", "um", "ab"}),
    "ru": frozenset({"на", "в", "до", "после", "к", "перед", "с", "по"}),
}
"""Words before an ambiguous name ("lent", "holi") that make it a day: "during Lent"."""

LEAD = frozenset({"over", "during", "zu", "über", "к"})
"""Prepositions read with the name (besides the language's "on" words): "zu Weihnachten"."""

ATTRIBUTIVE = frozenset({
    "party", "parties", "market", "markets", "shopping", "card", "cards", "gift", "gifts", "present",
    "presents", "tree", "trees", "break", "holiday", "holidays", "vacation", "sale", "sales", "fair",
    "concert", "decorations", "lights", "movie", "film", "song", "songs", "bonus", "list", "cookies",
    "egg", "eggs", "hunt", "costume", "costumes", "season", "week", "weekend", "period", "rush",
    "special", "menu", "play", "show", "feier", "markt", "ferien", "geschenk", "geschenke", "baum",
    "woche", "urlaub", "каникулы", "корпоратив", "подарки", "подарок", "ёлка", "елка", "ярмарка",
})
"""A noun after a name makes it an attribute, not a day: "Christmas party", "Easter eggs"."""

EVE = frozenset({"eve", "erev"})
ARTICLES = {"en": frozenset({"a", "an"}), "de": frozenset({"ein", "eine", "einen", "einem"})}
CLOSEST = frozenset({"closest", "nearest"})
NOW_WORDS = frozenset({"today", "now"})


@lru_cache(maxsize=8192)
def _norm(word: str) -> str:
    return norm_word(word)


@lru_cache(maxsize=None)
def _starters(lex: Lexicon) -> frozenset[str]:
    """Words a phrase may start with before the name: "the", "next", "last", "closest", "erev"."""
    words = set(lex.the) | CLOSEST | EVE
    for table in (lex.this, lex.prev, lex.next):
        words.update(table.single if hasattr(table, "single") else table)
    return frozenset(words)


class HolidayGrammar(DayGrammar):
    """Holiday names as dates; see `scanner.py` for how the matchers are combined."""

    titled = False
    """The name just read is an attribute of the title's noun ("Black Friday sale")."""
    holiday_starts: list[bool] | None = None
    """Per token: could a holiday phrase start there (`may_start`), computed on first use."""

    def date_expr(self, i: int) -> int | None:
        hit = super().date_expr(i)
        return hit if hit is not None or not self.may_start(i) else self.holiday_expr(i)

    def holiday_date(self, i: int) -> int | None:
        """The scanner's matcher: "[on] <holiday>", "morning of <holiday>", "the third Tuesday
        after <date>", "the day after <date>", "the week after <date>"."""
        if self.may_start(i):
            j = i
        elif not self.free(i):
            return None
        else:
            lex, k = self.lex, self.keys[i]
            if not (k in lex.on or k in LEAD or k in lex.of and self.key(i - 1) in lex.dayparts.single):
                return None
            j = i + 1                       # "on Christmas", "the morning of xmas"
            if not self.may_start(j):
                return None
        self.titled = False
        end = (self.holiday_expr(j) or self.nth_weekday_from(j) or self.day_from(j)
               or self.week_from(j))
        if end is None:
            return None
        if self.titled:
            self.mark(i, j)                 # the name stays in the title
            return end
        end = self.holiday_weekend(end)     # "Labor Day weekend" (period_units.py)
        return self.mark(i, end)

    def may_start(self, i: int) -> bool:
        """Could a holiday phrase start at i? A cheap test before reading one."""
        starts = self.holiday_starts
        if starts is None:
            words = _starters(self.lex)
            starts = self.holiday_starts = [
                t.key in words or t.kind == ORD or _norm(t.text) in TRIE or _norm(t.key) in TRIE
                for t in self.t]
        return 0 <= i < self.n and starts[i] and not self.f.used[i]

    def name_at(self, i: int) -> tuple[int, tuple[Rule, bool, str]] | None:
        """The longest holiday name at i: (index after it, (rule, ambiguous, name))."""
        best = None
        node = TRIE
        j = i
        while j < self.n and self.free(j):
            tok = self.t[j]
            if tok.kind == PUNCT:
                if j == i or tok.text not in ("-", ".", "'"):
                    break
                j += 1
                continue
            word = _norm(tok.text)
            nxt = node.get(word)
            if nxt is None and tok.key != tok.text.lower():
                nxt = node.get(_norm(tok.key))
            if nxt is None:
                break
            node = nxt
            j += 1
            if _END in node:
                best = (j, node[_END])
        return best

    def holiday_expr(self, i: int) -> int | None:
        """[the] [next|this|last] [<nth>] [closest] <name> [eve] [day] [<year>|in 3 years|...]."""
        if not self.free(i):
            return None
        lex = self.lex
        start = i
        j = self.skip(i, lex.the)
        which, modified = Which.COMING, True
        hit = self.phrase(lex.next, j)
        if hit is not None:
            which, j = Which.AFTER_TODAY, hit[0]
        elif self.key(j) in lex.this and self.free(j):
            j += 1
        elif self.key(j) in lex.prev and self.free(j):
            which, j = Which.BEFORE_TODAY, j + 1
        else:
            modified = False
        nth = 0
        if self.kind(j) == ORD and self.key(j + 1) in CLOSEST:
            nth, j = self.t[j].value, j + 1
        if self.key(j) in CLOSEST and self.free(j):
            nth, j = max(nth, 1), j + 1
        shift = 0
        if self.key(j) in EVE:                      # "erev Yom Kippur"
            shift, j = -1, j + 1
        named = self.name_at(j)
        if named is None:
            return None
        end, (rule, ambiguous, _name) = named
        last = self.key(end - 1)
        plural = _norm(self.t[end - 1].text) != self.t[end - 1].text.lower()   # "valentines"
        if self.key(start - 1) in ARTICLES.get(self.lex.code, ()):
            return None                             # "a passover plate"
        if self.attributive(end) and self.lex.week_words.get(self.key(end)) != "weekend":     # "Easter weekend": its weekend
            if not (_norm(last) in DAY_WORDS or last in EVE or last in self.lex.weekdays):
                return None                         # "Christmas party": when is not said
            self.titled = True                      # "New Year's Eve party": that day, titled so
        if self.key(end) in EVE:
            shift, end = -1, end + 1
        if _norm(self.key(end)) in DAY_WORDS and self.free(end):
            end += 1
        year, end = self.holiday_year(end)
        if ambiguous and not (modified or nth or year is not None or plural
                              or self.key(start - 1) in CONTEXT.get(self.lex.code, ())
                              or self.key(start - 1) in self.lex.range_to):
            return None                             # "lent me", "meet Valentine", "had an epiphany"
        if nth and self.key(end) in ("to", "from") and self.key(end + 1) in NOW_WORDS:
            end += 2
        day = self.pick(rule, which, year, nth)
        if day is None:
            return end
        self.add_date(day + timedelta(days=shift))
        return end

    def attributive(self, i: int) -> bool:
        return self.key(i) in ATTRIBUTIVE or _norm(self.key(i)) in ATTRIBUTIVE

    def pick(self, rule: Rule, which: Which, year: int | None, nth: int) -> date | None:
        """The occurrence meant; a year without one (or past the horizon) is a question."""
        today = self.today
        if year is not None:
            if not year_in_horizon(year, today):
                self.f.question = TOO_FAR
                return None
            days = occurrences(rule, year)
            if not days:
                self.f.question = f"I don't know that day's date in {year} — which day is it?"
                return None
            return days[0]
        if nth:
            near = sorted((d for y in range(today.year - nth - 1, today.year + nth + 2)
                           for d in occurrences(rule, y)), key=lambda d: (abs((d - today).days), d))
            return near[nth - 1] if len(near) >= nth else None
        if which == Which.BEFORE_TODAY:
            past = [d for y in (today.year - 2, today.year - 1, today.year)
                    for d in occurrences(rule, y) if d < today]
            return past[-1] if past else None
        for y in (today.year, today.year + 1, today.year + 2):
            for d in occurrences(rule, y):
                if d > today or d == today and which == Which.COMING:
                    return d
        self.f.question = "I don't know when that day falls next — which day is it?"
        return None

    def holiday_year(self, j: int) -> tuple[int | None, int]:
        """A year said after a name: "2014", ", 2014", "of 2014", "in 2019", "two thousand ten",
        "of next year", "this year", "in 3 years", "9 months from now", "3 months ago"."""
        lex = self.lex
        year, end = self.year_at(j)
        if year is not None:
            return year, end
        k = j + 1 if (self.key(j) in lex.of or self.key(j) in lex.in_) and self.free(j) else j
        if k > j:
            year, end = self.year_at(k)
            if year is not None:
                return year, end
        spoken = self.spoken_year(k)
        if spoken is not None:
            return spoken
        week = self.week_words_at(k)
        if week is not None and week[1][0] == "year":
            return self.today.year + week[1][1], week[0]
        if self.key(j) in lex.in_ and self.free(j):
            hit = self.amount(j + 1)
            if hit is not None and lex.units.get(hit[2], 0) >= 1440:
                return self.years_away(hit[1], hit[2]), hit[0]
            return None, j
        hit = self.amount(j)
        if hit is not None and lex.units.get(hit[2], 0) >= 1440:
            fn = self.phrase(lex.from_now, hit[0])
            if fn is not None:
                return self.years_away(hit[1], hit[2]), fn[0]
            if self.key(hit[0]) in lex.ago and self.free(hit[0]):
                return self.years_away(-hit[1], hit[2]), hit[0] + 1
        return None, j

    def years_away(self, minutes: int, unit: str) -> int:
        """The year a day `minutes` from today falls in (months and years as calendar units)."""
        per = self.lex.units.get(unit, 1440)
        if per >= 43200:
            months = round(minutes / 43200) if per == 43200 else 12 * round(minutes / 525600)
            return add_months(self.today, months).year
        return (self.today + timedelta(days=round(minutes / 1440))).year

    def spoken_year(self, j: int) -> tuple[int, int] | None:
        """"two thousand ten", "two thousand and eighteen"."""
        if self.kind(j) != NUM or self.t[j].value != 2 or self.key(j + 1) != "thousand":
            return None
        k = j + 2
        k = k + 1 if self.key(k) in self.lex.and_ else k
        if self.kind(k) == NUM and self.t[k].value < 100 and self.t[k].spoken:
            return 2000 + self.t[k].value, k + 1
        return 2000, j + 2

    def nth_weekday_from(self, i: int) -> int | None:
        """"the third Tuesday after Christmas 2014", "the first Monday before Easter"."""
        lex = self.lex
        j = self.skip(i, lex.the)
        if self.kind(j) == ORD and self.free(j) and 1 <= self.t[j].value <= 52:
            n = self.t[j].value
        elif j > i:
            n, j = 1, j - 1                 # "the Tuesday before Thanksgiving"
        else:
            return None
        wd = lex.weekdays.get(self.key(j + 1)) if self.free(j + 1) else None
        direction = self.key(j + 2)
        if wd is None or not (direction in lex.anchor_after or direction in lex.anchor_before):
            return None
        anchor = self.anchor_date(j + 3)
        if anchor is None:
            return None
        end, day = anchor
        if direction in lex.anchor_before:
            back = (day.weekday() - wd) % 7 or 7
            self.add_date(day - timedelta(days=back + 7 * (n - 1)))
        else:
            ahead = (wd - day.weekday()) % 7 or 7
            self.add_date(day + timedelta(days=ahead + 7 * (n - 1)))
        return end

    def day_from(self, i: int) -> int | None:
        """"the day after Christmas", "the day before Easter Monday"."""
        hit = self.unit_from(i, "day")
        if hit is None:
            return None
        end, day, step = hit
        self.add_date(day + timedelta(days=step))
        return end

    def week_from(self, i: int) -> int | None:
        """"the week after Easter" / "the week before Christmas": that week, Monday to Monday."""
        hit = self.unit_from(i, "week")
        if hit is None:
            return None
        end, day, step = hit
        day += timedelta(days=7 * step)
        monday = day - timedelta(days=day.weekday())
        self.f.period = (monday, monday + timedelta(days=7))
        self.f.period_name = "week"
        return end

    def unit_from(self, i: int, unit: str) -> tuple[int, date, int] | None:
        """"the <unit> after/before <date>": (index after it, the date, +1 after or -1 before)."""
        lex = self.lex
        j = self.skip(i, lex.the)
        if j == i or self.key(j) != unit or not self.free(j):
            return None
        direction = self.key(j + 1)
        if not (direction in lex.after or direction in lex.anchor_before):
            return None
        anchor = self.anchor_date(j + 2)
        if anchor is None:
            return None
        end, day = anchor
        return end, day, -1 if direction in lex.anchor_before else 1

    def anchor_date(self, i: int) -> tuple[int, date] | None:
        """A date read at i without recording it: (index after it, the date)."""
        saved_dates, saved_q, saved_wd = list(self.f.dates), self.f.question, self.f.weekday
        end = self.date_expr(i)
        got = self.f.dates[len(saved_dates):]
        self.f.dates, self.f.weekday = saved_dates, saved_wd
        if end is None or not got or self.f.question != saved_q:
            self.f.question = saved_q
            return None
        return end, got[-1]
