"""Dates written with digits and separators: "12.03", "3/30", ISO, "10-31-74", "31/Oct/1974",
"2012/Aug/10", "2024/13/1", "14april 2015", "Sun 15Sep", "2018 March 18" — and `record_date`,
which turns a said year, month and day into a date, or into a question when no such day exists.

Order conventions (README): `D.M[.Y]` is day-first, `M/D[/Y]` and `M-D-Y` month-first; either flips
only when its own reading is impossible and the flipped one is not ("10.31.1974", "31/12"). A
written year first is year-month-day, flipped to year-day-month only when the month is impossible.
"""
from __future__ import annotations

import calendar
import re
from datetime import date

from ..limits import TOO_FAR, year_in_horizon
from ..tokens import ALNUM, DEC, DOT, ISO, MER, NUM, ORD, SLASH, TIME, WORD
from .base import ScannerBase
from .found import MONTH_NAMES, add_months

_SEPARATORS = frozenset({"/", "-", "."})
_GLUED_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?([a-z]{3,9})\.?$")
_GLUED_MONTH_DAY = re.compile(r"^([a-z]{3,9})\.?(\d{1,2})(?:st|nd|rd|th)?$")
ERA_WORDS = frozenset({"ad", "ce"})
YEAR_WORDS = frozenset({"г", "года", "год"})     # a year's own word after it (Russian "2026 г.")
_APOSTROPHES = frozenset({"'", "’"})
_YEAR_DOT_MONTH = re.compile(r"^(\d{4})\.(\d{1,2})$")
# Where a written date may stop: the end, punctuation, or a word that starts the next part.
_DATE_STOPS = frozenset({",", ".", "!", "?", ")", ";", ":", "-", "–"})
# Words before a run of digits that make it a number, not a date: "order 20161016".
ID_WORDS = frozenset({"no", "nr", "number", "id", "order", "ref", "invoice", "ticket", "account", "phone",
                      "tel", "call", "code", "pin", "room", "flight", "booking", "case", "po"})
MIN_COMPACT_YEAR, MAX_COMPACT_YEAR = 1900, 2199


def nearest_century(y: int, today: date) -> int:
    """A two-digit year in the century that puts it nearest to today ("74" -> 1974 in 2013)."""
    return min((c + y for c in (1900, 2000, 2100)), key=lambda c: abs(c - today.year))


class DateFormGrammar(ScannerBase):
    """Written-date readers shared by the day, span and period matchers."""

    said_year: bool = False         # the last date recorded had its year written

    def joined(self, a: int, b: int) -> bool:
        """Are tokens a and b written with no space between them?"""
        return 0 <= a < b < self.n and self.t[a].end == self.t[b].start

    def date_stops(self, k: int) -> bool:
        """Does a date written just before k end there ("the 24", "2 / 15" but not "the 24 bus")?"""
        if k >= self.n:
            return True
        key = self.keys[k]
        return (key in _DATE_STOPS or key in self.lex.at or key in self.lex.on or key in self.lex.range_to
                or key in self.lex.weekdays or self.phrase(self.lex.dayparts, k) is not None
                or self.kind(k) == TIME or key in self.lex.for_ or key in self.lex.from_ or key in self.lex.between)

    def year_at(self, i: int, loose: bool = False) -> tuple[int | None, int]:
        """A year written at i (after an optional comma): "2026", "96" (too big for a day or an
        hour), "88 AD" as written; with `loose` (right after "<day> <month>") any two digits that
        end the date ("14th April 15"). A year may be introduced: "in 1980", "of 87", "in the year
        '89", "in the year of 2008"."""
        j = self.skip_comma(i)
        if self.key(j) == "." and self.joined(j - 1, j) and self.key(j - 1) in self.lex.months:
            j += 1                                          # "Sep. 2012"
        lead = self.year_lead(j)
        if lead is not None:
            said = self.introduced_year(*lead)
            if said is not None:
                return said
        if self.key(j) in _APOSTROPHES and self.joined(j, j + 1) and self.kind(j + 1) == NUM \
                and len(self.t[j + 1].text) == 2 and self.free(j):
            return nearest_century(self.t[j + 1].value, self.today), j + 2        # "May 1st, '27"
        if self.kind(j) != NUM or not self.free(j):
            return None, i
        tok = self.t[j]
        if self.key(j + 1) in ERA_WORDS:
            return tok.value, j + 2
        if 1900 <= tok.value <= 2200 and len(tok.text) == 4:
            if self.key(j + 1) in YEAR_WORDS:                   # "16 марта 2026 г."
                return tok.value, self.skip(j + 2, frozenset({"."}))
            return tok.value, j + 1
        if len(tok.text) == 2 and (tok.value >= 32 or loose and (tok.value >= 13 or tok.text[0] == "0")
                                   and self.date_stops(j + 1) and self.kind(j + 1) != TIME) \
                and self.kind(j + 1) != MER and self.key(j + 1) not in self.lex.units \
                and self.key(j + 1) not in (":", "-", "–") and self.kind(j + 1) != NUM:
            return nearest_century(tok.value, self.today), j + 1
        return None, i

    def year_after_month(self, k: int) -> tuple[int, int] | None:
        """A short or introduced year right after a month name ("April of 87", "jan '80", "Aug 96"):
        (year, index after); two bare digits only where the phrase ends ("in March 45 people": no)."""
        year, end = self.year_at(k)
        if year is None or self.kind(end - 1) == NUM and len(self.t[end - 1].text) == 2 \
                and self.kind(k) == NUM and not self.date_stops(end):
            return None
        return year, end

    def year_lead(self, j: int) -> tuple[int, bool] | None:
        """Words that introduce a year at j: "of", "in", "in the year", "the year of" -> (index
        after them, whether they make two digits a year too: "of 87", "in the year '89")."""
        lex = self.lex
        k = j
        if self.free(k) and (self.keys[k] in lex.of or self.keys[k] in lex.in_):
            k += 1
        named = False
        if self.key(k) in lex.the and self.key(k + 1) == "year" and self.free(k):
            k, named = k + 2, True
        elif self.key(k) == "year" and k > j and self.free(k):
            k, named = k + 1, True
        if named and self.key(k) in lex.of:
            k += 1
        if k == j or k == j + 1 and self.keys[j] in lex.in_ and self.kind(k) != NUM:
            return None
        return k, named or self.keys[j] in lex.of

    def introduced_year(self, k: int, two_digits: bool) -> tuple[int, int] | None:
        """The year after `year_lead`: four digits, or with `two_digits` "87" / "'87"."""
        if self.key(k) in _APOSTROPHES and self.joined(k, k + 1) and self.kind(k + 1) == NUM \
                and len(self.t[k + 1].text) == 2 and two_digits and self.free(k):
            k += 1
        if self.kind(k) != NUM or not self.free(k) or self.kind(k + 1) in (NUM, MER, TIME) \
                or self.key(k + 1) in self.lex.units or self.key(k + 1) == ":":
            return None
        tok = self.t[k]
        if len(tok.text) == 4 and 1000 <= tok.value <= 2999 and year_in_horizon(tok.value, self.today):
            return tok.value, k + 1
        if len(tok.text) == 2 and two_digits:
            return nearest_century(tok.value, self.today), k + 1
        return None

    def year_after_clock(self, j: int) -> int | None:
        """"Thu Oct 26 11:00:09 EDT 2023" (j after the day): the year a timestamp writes last, after
        its clock time and zone; the year token is taken, the time left to the time matchers."""
        if self.kind(j) != TIME:
            return None
        k = j + 1
        if self.kind(k) == WORD and self.t[k].text.isupper() and len(self.t[k].text) <= 5:
            k += 1
        if self.kind(k) != NUM or len(self.t[k].text) != 4 or not self.free(k) or not 1900 <= self.t[k].value <= 2200 \
                or not (k + 1 >= self.n or self.key(k + 1) in _DATE_STOPS):
            return None
        self.f.used[k] = True
        return self.t[k].value

    def full_year(self, value: str | int | None) -> int | None:
        """"26" -> 2026, "74" -> the century nearest today; four digits ("0001") stay as written."""
        if value is None:
            return None
        y = int(value)
        if y < 100 and not (isinstance(value, str) and len(value) == 4):
            return nearest_century(y, self.today)
        return y

    def numeric_date(self, i: int) -> int | None:
        """"12.03" / "12.03.2026" (day first), "3/30" (month first unless impossible), ISO, and
        the separated and glued forms (`written_date`)."""
        if not self.free(i):
            return None
        tok = self.t[i]
        if tok.kind == ISO:
            y, m, d = tok.value
            return self.record_date(y, m, d, i + 1)
        if tok.kind == DOT:
            a, b, c, trail = tok.value
            day, month = int(a), int(b)
            if self.key(i + 1) in self.lex.units or self.version_tail(i, trail):
                return None                     # "2.5 hours"; "1.2.3" is a version
            if c is None and month > 12 and self.time_span_follows(i):
                return None                     # "9.30-4.30pm": a span of clock times
            if c is not None and month > 12 and 1 <= day <= 12:
                day, month = month, day         # "10.31.1974": day-first is impossible
            return self.record_date(self.full_year(c), month, day, i + 1)
        if tok.kind == SLASH:
            m, d, y = tok.value
            if y is None and 0 < m < d <= 4 and (self.key(i + 1) in self.lex.of or self.key(i + 1) in self.lex.units):
                return None                     # "3/4 of the team", "1/2 hour": fractions
            if m > 12 and d <= 12:
                m, d = d, m
            return self.record_date(self.full_year(y), m, d, i + 1)
        return self.written_date(i)

    def time_span_follows(self, i: int) -> bool:
        """"9.30-4.30pm", "9.30 to 11.15 am": a dotted time joined to another that has its am/pm."""
        k = i + 2
        if self.key(i + 1) not in self.lex.range_to or self.kind(k) not in (DOT, TIME, NUM):
            return False
        if self.kind(k + 1) == MER:
            return True
        end = self.t[k]                 # "9.30-11.15", "9.45-10.00": neither end can be a date either
        return end.kind == DOT and end.value[2] is None and not end.value[3] and not 1 <= int(end.value[1]) <= 12

    def version_tail(self, i: int, trail: bool) -> bool:
        """Is the dotted number at i part of a longer dotted run ("1.2.3", "10.4.1.7")?"""
        if self.key(i - 1) == "." and self.joined(i - 1, i) and self.kind(i - 2) in (NUM, DOT) \
                and self.joined(i - 2, i - 1):
            return True
        k = i + 1
        if not trail:
            if self.key(k) != "." or not self.joined(i, k):
                return False
            i, k = k, k + 1
        return self.kind(k) in (NUM, DOT) and self.joined(i, k)

    def written_date(self, i: int) -> int | None:
        kind = self.kind(i)
        if kind == NUM:
            return self.separated_date(i) or self.year_first_date(i)
        if kind == WORD and self.keys[i] in self.lex.months and self.key(i + 1) in _SEPARATORS:
            return self.separated_date(i)
        if kind == ALNUM and len(self.keys[i]) == 8 and self.keys[i].isdigit():
            return self.compact_date(i)
        if kind == ALNUM or kind == WORD and self.keys[i][-1:].isdigit():
            return self.glued_date(i)
        if kind == DEC:
            return self.year_dot_date(i)
        return None

    def year_dot_date(self, i: int) -> int | None:
        """"2026.03.16": year, month and day with dots (read by the tokenizer as a decimal first)."""
        m = _YEAR_DOT_MONTH.match(self.t[i].text)
        if not m or self.key(i + 1) != "." or self.kind(i + 2) != NUM or len(self.t[i + 2].text) > 2 \
                or not (self.joined(i, i + 1) and self.joined(i + 1, i + 2)) or not self.free(i + 2):
            return None
        return self.record_date(int(m.group(1)), int(m.group(2)), self.t[i + 2].value, i + 3)

    def separated_date(self, i: int) -> int | None:
        """"10-31-74", "31/Oct/1974", "31-Oct-74", "2012/Aug/10", "Oct-31-2012", "2024/13/1",
        "2 / 15": parts joined by one separator, a month named or in the order's place."""
        if self.kind(i) == NUM and len(self.t[i].text) == 4 and self.key(i + 1) == "/" \
                and self.kind(i + 2) == SLASH and self.joined(i, i + 1) and self.joined(i + 1, i + 2) \
                and self.t[i + 2].value[2] is None:
            m, d = self.t[i + 2].value[:2]
            if m > 12 and d <= 12:
                m, d = d, m                     # "2024/13/1": year-day-month
            return self.record_date(self.t[i].value, m, d, i + 3)
        parts = [i]
        sep = self.key(i + 1)
        if sep not in _SEPARATORS:
            return None
        spaced = not (self.joined(i, i + 1) and self.joined(i + 1, i + 2))
        k = i
        while len(parts) < 3 and self.key(k + 1) == sep and self.free(k + 2) and (
                spaced or self.joined(k, k + 1) and self.joined(k + 1, k + 2)):
            k += 2
            parts.append(k)
        if len(parts) < 2 or not all(self.free(p) for p in parts):
            return None
        end = parts[-1] + 1
        if self.key(end) in _SEPARATORS and self.kind(end + 1) == NUM:
            return None                         # "1-800-555-1234": more parts than a date has
        months = [self.lex.months.get(self.keys[p]) if self.kind(p) != NUM else None for p in parts]
        if any(self.kind(p) != NUM and m is None for p, m in zip(parts, months)):
            return None
        if spaced and (sep != "/" or len(parts) != 2 or not self.date_stops(end)):
            return None                         # "2 / 15" only: "2 - 1" is a score, "2.14" a room
        nums = [self.t[p] for p in parts]
        if months[0] is None and months[1] is not None:          # 31-Oct[-74] / 2012/Aug/10
            if len(nums[0].text) == 4 and len(parts) == 3:
                return self.record_date(nums[0].value, months[1], nums[2].value, end)
            year = self.full_year(nums[2].text) if len(parts) == 3 else None
            return self.record_date(year, months[1], nums[0].value, end)
        if months[2:] and months[2] is not None and months[0] is None and months[1] is None \
                and len(nums[0].text) == 4:                      # 2020/23/Sep
            return self.record_date(nums[0].value, months[2], nums[1].value, end)
        if months[0] is not None and months[1] is None:          # Oct-31[-1974]
            if len(nums[1].text) > 2:
                return None
            year = self.full_year(nums[2].text) if len(parts) == 3 else None
            return self.record_date(year, months[0], nums[1].value, end)
        if any(m is not None for m in months):
            return None
        if sep == "." or len(parts) == 2 and sep == "-" and (self.key(i - 1) not in self.lex.on or not self.date_stops(end)):
            return None                         # dotted forms are tokens already; "2-15" is a span, "on 2-15" a day
        if len(parts) == 3 and len(nums[2].text) not in (2, 4):
            return None
        a, b = nums[0].value, nums[1].value
        if a > 12 and b <= 12:
            a, b = b, a
        year = self.full_year(nums[2].text) if len(parts) == 3 else None
        return self.record_date(year, a, b, end)

    def compact_date(self, i: int) -> int | None:
        """"20161016": eight digits that make a valid year-month-day, not a number said as an id
        ("order 20161016", "#20161016")."""
        text = self.keys[i]
        y, m, d = int(text[:4]), int(text[4:6]), int(text[6:])
        if not (MIN_COMPACT_YEAR <= y <= MAX_COMPACT_YEAR and 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]):
            return None
        if self.key(i - 1) in ID_WORDS or self.key(i - 1) in ("#", "+") or self.kind(i + 1) == NUM:
            return None
        return self.record_date(y, m, d, i + 1)

    def spaced_year_first(self, i: int) -> int | None:
        """"2016 10 16": a four-digit year, a month and a day with spaces, when it is a valid date
        and no other number runs on (a phone number, a list of figures)."""
        if self.kind(i + 1) != NUM or self.kind(i + 2) != NUM or not (self.free(i + 1) and self.free(i + 2)):
            return None
        m, d = self.t[i + 1], self.t[i + 2]
        if len(m.text) > 2 or len(d.text) > 2 or m.spoken or d.spoken or self.kind(i + 3) == NUM \
                or self.kind(i - 1) == NUM or self.key(i - 1) in ID_WORDS or not self.date_stops(i + 3):
            return None
        if not (1 <= m.value <= 12 and 1 <= d.value <= calendar.monthrange(self.t[i].value, m.value)[1]):
            return None
        return self.record_date(self.t[i].value, m.value, d.value, i + 3)

    def glued_date(self, i: int) -> int | None:
        """"14april 2015", "15Sep", "Sep15": a day and a month written as one word."""
        if self.kind(i) not in (ALNUM, WORD) or not self.free(i):
            return None
        hit = self.glued_day(i)
        if hit is None:
            return None
        month, day = hit
        year, end = self.year_at(i + 1)
        return self.record_date(year, month, day, end)

    def glued_day(self, i: int) -> tuple[int, int] | None:
        """(month, day) of a day and month written as one word at i ("15sep", "Apr14")."""
        key = self.keys[i]
        m = _GLUED_DAY_MONTH.match(key)
        if m:
            day, month = int(m.group(1)), self.lex.months.get(m.group(2))
        else:
            m = _GLUED_MONTH_DAY.match(key)
            if not m:
                return None
            day, month = int(m.group(2)), self.lex.months.get(m.group(1))
        return None if month is None else (month, day)

    def year_first_date(self, i: int) -> int | None:
        """"2018 March 18", "2018, March the 18th": a four-digit year before the month and day."""
        if self.kind(i) != NUM or len(self.t[i].text) != 4 or not 1900 <= self.t[i].value <= 2200:
            return None
        j = self.skip_comma(i + 1)
        month = self.lex.months.get(self.key(j)) if self.free(j) else None
        if month is None:
            return self.spaced_year_first(i) if j == i + 1 else None
        k = self.skip(self.skip(j + 1, frozenset({"."})), self.lex.the)
        if self.date_stops(k) and self.key(i - 1) not in ID_WORDS and self.kind(i - 1) != NUM:
            first = date(self.t[i].value, month, 1)             # "2024 Aug", "2023 Sept": the month
            getattr(self, "set_period")(first, add_months(first, 1), f"in {MONTH_NAMES[month]} {first.year}")
            return k
        if self.kind(k) not in (NUM, ORD) or not self.free(k) or self.kind(k + 1) == MER \
                or self.key(k + 1) in (":",) or self.key(k + 1) in self.lex.units:
            return None
        return self.record_date(self.t[i].value, month, self.t[k].value, k + 1)

    def record_date(self, year: int | None, month: int, day: int, end: int, dom: bool = False) -> int:
        """Store a calendar date (this year, or next once it passed); impossible -> a question."""
        if not 1 <= month <= 12:
            self.f.question = f"There is no month {month} — which date did you mean?"
            return end
        y = year if year is not None else self.today.year
        if year is None and not dom and (month, day) < (self.today.month, self.today.day):
            y += 1                          # passed this year: next year's decides ("2/29" said in March 2019)
        if not year_in_horizon(y, self.today):
            self.f.question = TOO_FAR       # "31.12.9999", "0001-01-01": no date is built from it
            return end
        last = calendar.monthrange(y, month)[1]
        if not 1 <= day <= last:
            leap = f" in {y}" if month == 2 else ""
            self.f.question = f"{MONTH_NAMES[month]} has {last} days{leap} — which date did you mean?"
            return end
        d = date(y, month, day)
        if year is None and d < self.today and not dom:
            y2 = y + 1
            if day > calendar.monthrange(y2, month)[1]:
                self.f.question = f"{MONTH_NAMES[month]} has {calendar.monthrange(y2, month)[1]} days in {y2} — which date did you mean?"
                return end
            d = date(y2, month, day)
        self.f.dates.append(d)
        self.said_year = year is not None and not dom
        return end

