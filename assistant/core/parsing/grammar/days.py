"""Calendar days: "tomorrow", "next Tuesday", "March 24", "24th of March", "12.03", "3/30",
ISO dates and "the 20th"; impossible dates become a question instead of a guess.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta

from ..limits import TOO_FAR, year_in_horizon
from ..tokens import DOT, ISO, MER, NUM, ORD, SLASH, TIME
from .base import ScannerBase
from .found import MONTH_NAMES, WEEKDAY_NAMES, Daypart, Recurrence, TimeOfDay, next_weekday


class DayGrammar(ScannerBase):
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
        part = self.phrase(lex.dayparts, i + 1)
        if part is not None and not self.keys[i + 1] in lex.exact_dayparts:
            h, m, mer, day_offset = part[1][:4]
            self.f.time = TimeOfDay(self.t[i].value, 0, mer)
            self.f.daypart = Daypart(h, m, mer, day_offset, False)
            return self.mark(i, part[0])
        if self.phrase(lex.relative_days, i + 1) is not None and k not in lex.months:
            self.f.time = TimeOfDay(self.t[i].value, strong=False)
            self.mark(i, i + 1)
            return self.date_with_prep(i + 1) or i + 1
        return None

    def date_with_prep(self, i: int) -> int | None:
        """"on Friday", "March 24", "the 20th", "12.03", "3/30", "tomorrow", "next Tuesday"."""
        lex = self.lex
        j = i
        if self.keys[i] in lex.on and self.free(i + 1):
            j = i + 1
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
            end += 1
        return self.mark(i, end)

    def date_expr(self, i: int) -> int | None:
        """Read one date at i and record it; the index after it, or None."""
        if not self.free(i):
            return None
        for reader in (self.relative_day, self.weekday_expr, self.month_day, self.day_month,
                       self.numeric_date, self.ordinal_day):
            j = reader(i)
            if j is not None:
                return j
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
        # "Tuesday next week"
        week = self.week_words_at(j)
        if week and week[1][0] == "week":
            self.f.week_offset = week[1][1]
            j = week[0]
        # "Wednesday, March 11": the date decides; a mismatch is a question.
        k = self.skip_comma(j)
        k = self.skip(k, lex.the)
        before = len(self.f.dates)
        end = self.month_day(k) or self.day_month(k) or self.numeric_date(k) or self.ordinal_day(k, True)
        if end is not None and len(self.f.dates) > before:
            d = self.f.dates[-1]
            named_month = self.key(k) in self.lex.months or self.key(k + 1) in self.lex.months or \
                self.key(k + 2) in self.lex.months
            if d.weekday() != wd and self.f.question is None and self.year_at(end)[0] is None and named_month \
                    and not self.f.dom_only:
                # "Sunday, Feb 10" once Feb 10 has passed: the year the weekday fits, if it is
                # this one or the next ("Tuesday, January 10" said in August)
                for y in (self.today.year, self.today.year + 1):
                    try:
                        alt = d.replace(year=y)
                    except ValueError:
                        continue
                    if alt.weekday() == wd:
                        self.f.dates[-1] = d = alt
                        break
            if d.weekday() != wd and self.f.question is None:
                self.f.question = (f"{MONTH_NAMES[d.month]} {d.day} is a {WEEKDAY_NAMES[d.weekday()]}, "
                                   f"not a {WEEKDAY_NAMES[wd]} — which day did you mean?")
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
        if self.keys[j] not in self.lex.ambiguous_months or self.t[j].cap:
            return True
        if self.key(j - 1) in self.lex.on:
            return True
        nxt = self.kind(j + 1)
        if nxt == NUM and self.kind(j + 2) != NUM and not self.t[j + 1].spoken and (
                j + 2 >= self.n or self.key(j + 2) in self.lex.for_ or self.key(j + 2) in self.lex.range_to
                or self.key(j + 2) in (",", ".", "!", "?")):
            return True                     # "wed 10 for 3 hrs", "sun 10-12"
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
        j = self.skip(j, lex.the)
        if self.kind(j) not in (NUM, ORD) or not self.free(j):
            return None
        day = self.t[j].value
        if self.kind(j) == NUM and (self.key(j + 1) in lex.units or self.kind(j + 1) in (MER,) or self.key(j + 1) == ":"):
            return None
        if self.key(i) in lex.ambiguous_months and not self.t[i].cap and self.kind(j) == NUM and self.key(i - 1) not in lex.on:
            return None
        j += 1
        year, j = self.year_at(j)
        return self.record_date(year, month, day, j)

    def day_month(self, i: int) -> int | None:
        """"24 March", "24th of March", "the 24th of March 2026"."""
        lex = self.lex
        j = self.skip(i, lex.the)
        if self.kind(j) not in (NUM, ORD) or not self.free(j):
            return None
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
        if month is None:
            return None
        if self.key(k) in lex.ambiguous_months and not self.t[k].cap and self.kind(j) == NUM:
            return None
        year, end = self.year_at(k + 1)
        return self.record_date(year, month, day, end)

    def year_at(self, i: int) -> tuple[int | None, int]:
        j = self.skip_comma(i)
        if self.kind(j) == NUM and 1900 <= self.t[j].value <= 2200 and len(self.t[j].text) == 4:
            return self.t[j].value, j + 1
        if self.kind(j) == NUM and len(self.t[j].text) == 2 and self.t[j].value >= 32 and self.free(j) \
                and self.kind(j + 1) != MER and self.key(j + 1) not in self.lex.units \
                and self.key(j + 1) not in (":", "-", "–") and self.kind(j + 1) != NUM:
            # "Aug 9, 96", "3rd Feb 82": two digits too big for a day or an hour are a year,
            # in the century that puts it nearest to today
            y = self.t[j].value
            year = min((c + y for c in (1900, 2000, 2100)), key=lambda c: abs(c - self.today.year))
            return year, j + 1
        return None, i

    def numeric_date(self, i: int) -> int | None:
        """"12.03" / "12.03.2026" (day first), "3/30" (month first unless impossible), ISO."""
        if not self.free(i):
            return None
        tok = self.t[i]
        if tok.kind == ISO:
            y, m, d = tok.value
            return self.record_date(y, m, d, i + 1)
        if tok.kind == DOT:
            a, b, c, _trail = tok.value
            day, month = int(a), int(b)
            if self.key(i + 1) in self.lex.units:
                return None
            year = self.full_year(c)
            return self.record_date(year, month, day, i + 1)
        if tok.kind == SLASH:
            m, d, y = tok.value
            if m > 12 and d <= 12:
                m, d = d, m
            return self.record_date(self.full_year(y), m, d, i + 1)
        return None

    def full_year(self, value: str | int | None) -> int | None:
        """"26" -> 2026, "74" -> the century nearest today; four digits ("0001") stay as written."""
        if value is None:
            return None
        y = int(value)
        if y < 100 and not (isinstance(value, str) and len(value) == 4):
            return min((c + y for c in (1900, 2000, 2100)), key=lambda c: abs(c - self.today.year))
        return y

    def ordinal_day(self, i: int, after_weekday: bool = False) -> int | None:
        """"the 20th", "on the 1st", "20th" — a day of this month (next month once it passed)."""
        lex = self.lex
        j = self.skip(i, lex.the)
        if self.kind(j) != ORD or not self.free(j):
            return None
        if j == i and self.key(i - 1) not in lex.on and not after_weekday:
            # a bare "2nd" without "on"/"the" is too vague ("2nd floor")
            return None
        day = self.t[j].value
        end = j + 1
        if self.key(end) in lex.of and (self.key(end + 1) in self.lex.every.single
                                        or self.key(end + 1) in lex.the) and self.key(end + 2) == "month":
            self.f.rec = self.f.rec or Recurrence("MONTHLY")
            self.f.rec.bymonthday = day
            return end + 3
        if self.kind(end) in (NUM, MER) or self.key(end) in lex.units or self.key(end) in self.lex.weekdays:
            return None
        if not 1 <= day <= 31:
            self.f.question = f"There is no day {day} in a month — which date did you mean?"
            return end
        year, month = self.today.year, self.today.month
        if day < self.today.day:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        self.f.dom_only = True
        return self.record_date(year, month, day, end, dom=True)

    def record_date(self, year: int | None, month: int, day: int, end: int, dom: bool = False) -> int:
        """Store a calendar date (this year, or next once it passed); impossible -> a question."""
        if not 1 <= month <= 12:
            self.f.question = f"There is no month {month} — which date did you mean?"
            return end
        y = year if year is not None else self.today.year
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
        self.add_date(d)
        return end
