"""Calendar days: "tomorrow", "next Tuesday", "March 24", "24th of March", "12.03", "3/30",
ISO dates and "the 20th"; impossible dates become a question instead of a guess.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from ..tokens import ALNUM, DEC, DOT, ISO, MER, NUM, ORD, PUNCT, SLASH, TIME, WORD
from .weekday_dates import WeekdayDateGrammar
from .found import Daypart, Recurrence, TimeOfDay, next_weekday


WEEKS_ON = {"week": 7, "fortnight": 14}
IDES = frozenset({"ides"})              # "the ides of March": the 15th (13th in most months)
_DAY_COMMA_YEAR = re.compile(r"^(\d{1,2}),(\d{4})$")


MIN_YEAR_WORD, MAX_YEAR_WORD = 1900, 2100
"""Four digits in this range after a date are its year, not a time ("May 5 2027")."""


class DayGrammar(WeekdayDateGrammar):
    """The days matchers of `Scanner`; see `scanner.py` for how they are combined."""

    def hour_before_day(self, i: int) -> int | None:
        """"9 tomorrow", "8 this evening", "3 in the morning": a bare hour said before its day or
        part of the day."""
        lex = self.lex
        if self.kind(i) != NUM or not self.free(i) or not 1 <= self.t[i].value <= 12 or self.f.time is not None:
            return None
        if self.key(i - 1) in lex.for_ or self.key(i - 1) in lex.in_ or self.kind(i - 1) in (NUM, ORD):
            return None
        k = self.key(i + 1)
        p = i + 1
        part = self.phrase(lex.dayparts, p)
        if part is None and k == "," and self.free(p):
            p += 1
            part = self.phrase(lex.dayparts, p)               # "10, tonight": a part that names the day
            part = part if part is not None and part[1][3] is not None else None
        first = i
        if self.key(i - 1) in lex.alternatives and self.kind(i - 2) == NUM and self.free(i - 2) \
                and 1 <= self.t[i - 2].value <= 12:
            first = i - 2                   # "10 or 11 tomorrow": the first one said
        if part is not None and not self.keys[p] in lex.exact_dayparts \
                and not (self.keys[p] in lex.day_bound_dayparts and part[0] == p + 1):
            h, m, mer, day_offset = part[1][:4]
            self.f.time = TimeOfDay(self.t[first].value)
            self.daypart_meridiem(self.f.time, part[1])
            self.f.daypart = Daypart(h, m, mer, day_offset, False)
            return self.mark(first, part[0])
        if self.phrase(lex.relative_days, i + 1) is not None and k not in lex.months:
            self.f.time = TimeOfDay(self.t[first].value, strong=False)
            self.mark(first, i + 1)
            return self.date_with_prep(i + 1) or i + 1
        return None

    def date_with_prep(self, i: int) -> int | None:
        """"on Friday", "March 24", "the 20th", "12.03", "3/30", "tomorrow", "next Tuesday"."""
        lex = self.lex
        j = i
        if self.keys[i] in lex.on and self.free(i + 1):
            j = i + 1
            placed = self.weekday_after_amount(i)
            if placed is not None:
                return placed
        hit = self.date_expr(j)
        if hit is None:
            return None
        end = hit
        # "Friday 3" / "tomorrow 8": a bare hour right after a date is a time.
        if self.f.time is None and self.kind(end) == NUM and 1 <= self.t[end].value <= 12 \
                and not self.t[end].spoken and self.key(end + 1) not in self.lex.units \
                and self.kind(end + 1) not in (NUM, ORD, MER) and self.key(end + 1) not in self.lex.months \
                and self.key(end + 1) not in self.lex.range_to:
            self.f.time = TimeOfDay(self.t[end].value, strong=False)
            end = self.zone_after(end + 1)              # "tomorrow 10 pacific"
        elif self.f.time is None and self.kind(end) == NUM and not self.t[end].spoken \
                and len(self.t[end].text) in (3, 4) and self.key(end + 1) not in self.lex.units \
                and self.key(end + 1) not in self.lex.range_to:            # "Mon 1300-1500": a range's
            hh, mm = divmod(self.t[end].value, 100)     # "2moro 1230", "Friday 930": an hour and minutes
            text, after = self.t[end].text, self.t[end + 1] if end + 1 < self.n else None
            counted = after is not None and after.kind == WORD and after.key not in self.lex.known_words
            round_ = mm == 0 and not (text[0] == "0" or hh > 12)           # "200 people", "1200 euros"
            if hh <= 23 and mm <= 59 and not counted and not round_ \
                    and not MIN_YEAR_WORD <= self.t[end].value <= MAX_YEAR_WORD:
                self.f.time = TimeOfDay(hh, mm, strong=False, explicit=hh > 12 or self.t[end].text[0] == "0")
                end += 1
        return self.mark(i, end)

    def date_expr(self, i: int) -> int | None:
        """Read one date at i and record it; the index after it, or None."""
        if not self.free(i):
            return None
        for reader in (self.relative_day, self.week_possessive, self.closest_weekday, self.counted_weekday,
                       self.weekday_expr):
            j = reader(i)
            if j is not None:
                return j
        before = len(self.f.dates)
        for reader in (self.month_day, self.day_month, self.numeric_date, self.ordinal_day):
            j = reader(i)
            if j is not None:
                return self.trailing_weekday(j) if len(self.f.dates) > before else j
        return None

    def add_date(self, d: date) -> None:
        self.f.dates.append(d)

    def relative_day(self, i: int) -> int | None:
        hit = self.phrase(self.lex.relative_days, i)
        if hit is None:
            j = self.skip(i, self.lex.the)
            hit = self.phrase(self.lex.relative_days, j) if j > i else None
            if hit is None:
                return None
        j, offset = hit
        if self.f.has_date and self.phrase(self.lex.anchor_days, i) is not None:
            return None                     # "dinner on Friday and the next day lunch": not from today
        self.add_date(self.today + timedelta(days=offset))
        return j

    def weekday_expr(self, i: int) -> int | None:
        """[next|this|last] <weekday> [next week|this week] [, <date>]."""
        lex = self.lex
        mode = "bare"
        j = i
        hit = self.phrase(lex.next, j)
        if hit:
            mode, j = hit[1], hit[0]
        elif self.keys[i] in lex.this:
            mode, j = "this", i + 1
        elif self.keys[i] in lex.prev:
            mode, j = "last", i + 1
        elif self.key(i + 1) in lex.weekdays or self.key(i + 2) in lex.weekdays:
            back = self.phrase(lex.period_prev, i)        # "this past Monday", "the previous Friday"
            if back is not None:
                mode, j = "last", back[0]
        if not self.free(j):
            return None
        wd = lex.weekdays.get(self.keys[j], lex.weekdays.get(self.alt[j]))
        if wd is None:
            return None
        if mode == "bare" and not self.weekday_word_ok(j):
            return None
        j += 1
        if self.key(j) == ".":
            j += 1
        if mode == "bare" and self.key(j) in self.lex.after and self.key(j + 1) == "next":
            self.f.weekday = (wd, "bare")   # "Friday after next": a week after the coming one
            self.add_date(next_weekday(self.today, wd, "bare") + timedelta(days=7))
            self.f.weekday = None
            return j + 2
        if mode == "bare":
            end = self.weekday_before_last(j, wd) or self.weekday_in_week_of(j, wd)
            if end is not None:
                return end
        if mode == "bare" and self.key(j) in WEEKS_ON and self.free(j) and self.date_stops(j + 1):
            # "Tuesday week", "Friday fortnight" (British): that long after the coming one
            self.add_date(next_weekday(self.today, wd, "bare") + timedelta(days=WEEKS_ON[self.key(j)]))
            return j + 1
        # "Tuesday next week", "Sunday of last week"
        week = self.week_words_at(j)
        if week is None and (self.key(j) in lex.of or self.key(j) in lex.from_) and self.free(j):
            week = self.week_words_at(j + 1)
        if week and week[1][0] == "week":
            self.f.week_offset = week[1][1]
            j = week[0]
        # "Wednesday, March 11": the date decides; a mismatch is a question.
        k = self.skip_comma(j)
        k = self.skip(k, lex.the)
        before = len(self.f.dates)
        end = (self.month_day(k) or self.day_month(k) or self.numeric_date(k) or self.ordinal_day(k, True)
               or self.bare_day_number(k))
        if end is not None and len(self.f.dates) > before:
            self.fit_weekday(wd)
            return end
        if end is not None:
            return end
        if mode == "bare" and self.f.rec is None and self.another_weekday(j):
            # "Mon, Wed and Fri at 9:15": several weekdays mean every one of them
            return self.weekday_list(i, plural_start=False)
        if self.f.weekday is None:
            self.f.weekday = (wd, mode)
        return j

    def weekday_word_ok(self, j: int) -> bool:
        """"sun", "sat", "wed" are also plain words: a weekday only when capitalised, after "on",
        or right before a time ("sat 10am", "sun 6pm")."""
        if self.keys[j] not in self.lex.ambiguous_months or self.t[j].cap or self.standalone(j):
            return True
        if self.key(j - 1) in self.lex.on or self.phrase(self.lex.dayparts, j + 1) is not None:
            return True                     # "on sat", "sat evening", "sun morning"
        if self.key(j + 1) in self.lex.of and self.week_words_at(j + 2) is not None:
            return True                     # "wed of the week after next"
        nxt = self.kind(j + 1)
        if nxt == NUM and self.kind(j + 2) != NUM and not self.t[j + 1].spoken and (
                j + 2 >= self.n or self.key(j + 2) in self.lex.for_ or self.key(j + 2) in self.lex.range_to
                or self.key(j + 2) in (",", ".", "!", "?")):
            return True                     # "wed 10 for 3 hrs", "sun 10-12"
        if nxt in (SLASH, ISO) or self.key(j + 1) in self.lex.months and self.key(j + 1) not in self.lex.ambiguous_months \
                or nxt == ORD and (self.date_stops(j + 2) or self.key(j + 2) in self.lex.of):
            return True                     # "sun 15th", "sat 3/14", "wed march 11" (not "I sat 3rd in")
        if nxt in (ALNUM, WORD) and self.glued_day(j + 1):
            return True                     # "sun 15sep"
        return nxt in (TIME, DOT) or nxt == NUM and (self.kind(j + 2) == MER or self.key(j + 2) in self.lex.oclock)

    def another_weekday(self, j: int) -> bool:
        """Is there ", <weekday>" / "and <weekday>" at j?"""
        k = j + 1 if self.key(j) == "," else j
        k = k + 1 if self.key(k) in self.lex.and_ else k
        return k > j and self.free(k) and self.key(k) in self.lex.weekdays

    def month_day(self, i: int) -> int | None:
        """"March 24", "Mar 24th", "March the 24th", "March 24, 2026", "March twenty fourth"."""
        lex = self.lex
        month = lex.months.get(self.key(i)) if self.free(i) else None
        if month is None:
            return None
        j = self.skip(i + 1, frozenset({"."}))
        if self.key(j) == "," and self.kind(j + 1) == ORD:
            j += 1                      # "Sunday, March, 6th 2016"
        j = self.skip(j, lex.the)
        glued = _DAY_COMMA_YEAR.match(self.t[j].text) if self.kind(j) == DEC and self.free(j) else None
        if glued:                       # "oct 1,1980": the tokenizer read a decimal comma
            return self.record_date(int(glued.group(2)), month, int(glued.group(1)), j + 1)
        if self.kind(j) not in (NUM, ORD) or not self.free(j):
            return None
        day = self.t[j].value
        if self.kind(j) == NUM and (self.key(j + 1) in lex.units or self.kind(j + 1) in (MER,) or self.key(j + 1) == ":"
                                    or len(self.t[j].text) == 4 or day >= 50 and len(self.t[j].text) == 2):
            return None                 # "March 2027", "Aug 96" are months (periods.py), "May 3 pm" a time
        if self.key(i) in lex.ambiguous_months and not self.t[i].cap and self.kind(j) == NUM and self.key(i - 1) not in lex.on:
            return None
        j += 1
        year, j = self.year_at(j)
        return self.record_date(year if year is not None else self.year_after_clock(j), month, day, j)

    def day_month(self, i: int) -> int | None:
        """"24 March", "24th of March", "the 24th of March 2026"."""
        lex = self.lex
        j = self.skip(i, lex.the)
        ides = self.key(j) in IDES and j > i
        if self.kind(j) not in (NUM, ORD) and not ides or not self.free(j):
            return None
        if self.kind(j) == NUM and len(self.t[j].text) == 4:
            return None                 # "2018 March 18": a year first (dateforms.py)
        day = self.t[j].value
        k = self.skip(j + 1, lex.of)
        k = self.skip(k, frozenset({"."}))
        month = lex.months.get(self.key(k)) if self.free(k) else None
        if month is None and k > j + 1 and self.key(j + 1) in lex.of:
            # "the 20th of next month", "20 of this month"
            k2 = self.skip(k, lex.the)
            hit = self.month_expr(k2) if self.key(k2) not in lex.months else None
            if hit is not None:
                end, first = hit
                return self.record_date(first.year, first.month, day, end, dom=True)
            return None
        if month is None or ides and k == j + 1:
            return None
        if self.key(k) in lex.ambiguous_months and not self.t[k].cap and self.kind(j) == NUM:
            return None
        if ides:
            day = 15 if month in (3, 5, 7, 10) else 13
        year, end = self.year_at(k + 1, loose=True)
        return self.record_date(year, month, day, end)

    def ordinal_day(self, i: int, after_weekday: bool = False) -> int | None:
        """"the 20th", "on the 1st", "20th" — a day of this month (next month once it passed)."""
        lex = self.lex
        j = self.skip(i, lex.the)
        # German writes the ordinal with a dot and says "am" for "on the": "am 15.", "am 15"
        german = (self.kind(j) == NUM and "." in lex.ordinal_suffixes and self.key(i - 1) in lex.on
                  and self.free(j))
        if not self.free(j) or self.kind(j) != ORD and not german and not (j > i and self.day_number(j)):
            return None
        dotted = german and self.key(j + 1) == "."                 # "am 1. jedes Monats"
        tail = self.month_tail(self.skip(j + 1 + dotted, lex.date_words)) \
            if self.kind(j) == ORD or dotted else None
        if tail is not None and 1 <= self.t[j].value <= 31:
            self.f.rec = self.f.rec or Recurrence("MONTHLY")    # "первого числа каждого месяца"
            self.f.rec.bymonthday = self.t[j].value
            return tail
        if j == i and self.key(i - 1) not in lex.on and not after_weekday \
                and not (self.t[j].text[:1].isdigit() and self.t[j].key.endswith(lex.date_ordinal_suffixes)):
            # a bare "2nd" without "on"/"the" is too vague ("2nd floor"); Russian "20-го" is a date
            return None
        day = self.t[j].value
        end = j + 1 + (german and self.key(j + 1) == ".")
        if self.key(end) in lex.of and (self.key(end + 1) in self.lex.every.single
                                        or self.key(end + 1) in lex.the) and self.key(end + 2) == "month":
            self.f.rec = self.f.rec or Recurrence("MONTHLY")
            self.f.rec.bymonthday = day
            return end + 3
        clock = after_weekday and self.kind(end) == NUM and self.kind(end + 1) == MER     # "monday the 24th 6 pm"
        if self.kind(end) in (NUM, MER) and not clock or self.key(end) in lex.units or self.key(end) in self.lex.weekdays:
            return None
        if not 1 <= day <= 31:
            self.f.question = f"There is no day {day} in a month — which date did you mean?"
            return end
        year, month = self.today.year, self.today.month
        if day < self.today.day:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        self.f.dom_only = True
        return self.record_date(year, month, day, end, dom=True)

    def day_number(self, j: int) -> bool:
        """"the 24" (j at 24): a typed day number after "the" that ends the date, unlike "the 3 of
        us", "the 2 pm call" or "the 5-7 slot"."""
        tok = self.t[j]
        return (tok.kind == NUM and not tok.spoken and len(tok.text) <= 2 and 1 <= tok.value <= 31
                and self.date_stops(j + 1) and self.key(j + 1) != ":"
                and (self.key(j + 1) not in self.lex.range_to or self.key(j + 2) in self.lex.the
                     or self.kind(j + 2) == ORD))

    def standalone(self, j: int) -> bool:
        """Is token j the only word of the request ("sat", "sun.")?"""
        return all(t.kind == PUNCT for x, t in enumerate(self.t) if x != j)
