"""Weekdays said with a date or a week: "Tuesday, 10 January", "Jul 18, Fri", "Thu 15th",
"last week's Sunday", "the closest Monday to Oct 5th".

A weekday said with a date is a check on it. The date is read by the forward rule (the next such
date); when the weekday does not fit, the user most likely means the next date where it does — a
later year for a named day and month, a later month for a bare day of the month. Only the next
year or month is taken silently; a later fit is taken and asked about, and with no fit within reach
(or with a written year) the date stays and the user is asked — the date kept, as `Found.doubt`.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta

from ..tokens import MER, NUM, ORD, TIME
from .weekday_counts import WeekdayCountGrammar
from .found import MONTH_NAMES, WEEKDAY_NAMES, next_weekday

YEARS_TO_FIT = 2        # "Jul 18, Fri" said in February 2013: July 18, 2014 is that Friday
MONTHS_TO_FIT = 12      # "Thu 15th": the next month whose 15th is a Thursday
JUST_PASSED = 31        # days: "Sunday, Feb 10" said on Feb 12 meant the Sunday just gone (and is asked)
CLOSEST = frozenset({"closest", "nearest"})


class WeekdayDateGrammar(WeekdayCountGrammar):
    """Readers that tie a weekday to a date or a week."""

    def fit_weekday(self, wd: int) -> None:
        """The date just read was said with weekday `wd`: move it to the next date the weekday
        fits (see module doc); a fit past the next month or year is kept but asked about, and no
        fit (or a written year) keeps the date and asks."""
        d = self.f.dates[-1]
        if d.weekday() == wd or self.f.question is not None or self.f.doubt is not None:
            return
        said = (f"{MONTH_NAMES[d.month]} {d.day}" + (f", {d.year}" if self.said_year else "")
                + f" is a {WEEKDAY_NAMES[d.weekday()]}, not a {WEEKDAY_NAMES[wd]}")
        if not self.said_year:
            for alt, silent in self.same_days_to_try(d):
                if alt.weekday() == wd:
                    self.f.dates[-1] = alt
                    if not silent:              # a fit that far off is a guess: kept aside, asked
                        self.f.doubt = (f"{said} — did you mean {WEEKDAY_NAMES[wd]}, "
                                        f"{MONTH_NAMES[alt.month]} {alt.day}, {alt.year}?")
                        self.f.guessed_day = True
                    return
        self.f.doubt = f"{said} — which day did you mean?"

    def same_days_to_try(self, d: date) -> list[tuple[date, bool]]:
        """Dates the weekday may have meant, best first, each with whether to take it silently:
        for a bare day of the month the same day in the next months (the next one silently); for a
        day and month the next year's (silently), this year's if it has just passed ("Sunday,
        Feb 10" said on the 12th), then later years'. Days a month or year lacks are left out."""
        out: list[tuple[date, bool]] = []
        if self.f.dom_only:
            y, m = d.year, d.month
            for n in range(MONTHS_TO_FIT):
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
                if d.day <= calendar.monthrange(y, m)[1]:
                    out.append((date(y, m, d.day), n == 0))
            return out
        just_passed = d.year > self.today.year and 0 < (self.today - d.replace(year=d.year - 1)).days <= JUST_PASSED \
            if (d.month, d.day) != (2, 29) else False
        years = [d.year + 1] + ([d.year - 1] if just_passed else []) + list(range(d.year + 2, d.year + 1 + YEARS_TO_FIT))
        for n, y in enumerate(years):
            if d.day <= calendar.monthrange(y, d.month)[1]:
                out.append((date(y, d.month, d.day), n == 0))
        return out

    def trailing_weekday(self, end: int) -> int:
        """"Jul 18, Fri", "March 3rd (Tuesday)", "15.03 on Friday": a weekday right after the date
        just read checks it; the index after what was read."""
        k = self.skip(self.skip(self.skip_comma(end), frozenset({"("})), self.lex.on)
        wd = self.lex.weekdays.get(self.key(k)) if self.free(k) else None
        if wd is None or self.key(k) in self.lex.ambiguous_months and not self.t[k].cap and k + 1 < self.n:
            return end
        if self.key(k + 1) in self.lex.range_to or self.key(k + 1) in self.lex.and_:
            return end                          # "March 3, Monday and Tuesday": a list, not a check
        self.fit_weekday(wd)
        k += 1
        k = self.skip(k, frozenset({"."}))
        return self.skip(k, frozenset({")"}))

    def week_possessive(self, i: int) -> int | None:
        """"last week's Sunday", "next week's Monday": that week's day."""
        if "'" not in self.key(i + 1) and "'" not in self.key(i + 2):
            return None
        lex = self.lex
        hit = self.phrase(lex.next, i)
        if hit is not None:
            offset, j = 1, hit[0]
        elif self.key(i) in lex.this or self.key(i) in lex.prev:
            offset, j = (0 if self.key(i) in lex.this else -1), i + 1
        else:
            return None
        if not self.free(j) or lex.week_words.get(self.alt[j]) != "week" or self.keys[j] == self.alt[j]:
            return None
        wd = lex.weekdays.get(self.key(j + 1)) if self.free(j + 1) else None
        if wd is None:
            return None
        self.f.week_offset = offset
        self.f.weekday = (wd, "bare")
        return j + 2

    def closest_weekday(self, i: int) -> int | None:
        """"the closest Monday to Oct 5th", "the second nearest Friday to the 20th"."""
        if not (self.key(i) in CLOSEST or self.key(i + 1) in CLOSEST or self.key(i + 2) in CLOSEST):
            return None
        lex = self.lex
        j = self.skip(i, lex.the)
        nth = 1
        if self.kind(j) == ORD and self.free(j):
            nth, j = self.t[j].value, j + 1
        if self.key(j) not in CLOSEST or not self.free(j) or not 1 <= nth <= 10:
            return None
        wd = lex.weekdays.get(self.key(j + 1)) if self.free(j + 1) else None
        if wd is None or self.key(j + 2) not in lex.range_to:
            return None
        saved = (list(self.f.dates), self.f.weekday, self.f.week_offset)
        end = self.date_expr(j + 3)
        anchor = None
        if end is not None and len(self.f.dates) > len(saved[0]):
            anchor = self.f.dates[-1]
        elif end is not None and self.f.weekday is not None and self.f.weekday != saved[1]:
            anchor = next_weekday(self.today, *self.f.weekday, self.f.week_offset)
        self.f.dates, self.f.weekday, self.f.week_offset = saved
        if anchor is None:
            return None
        after = (wd - anchor.weekday()) % 7
        ahead = [anchor + timedelta(days=after + 7 * n) for n in range(nth)]
        behind = [anchor - timedelta(days=(7 - after) % 7 + 7 * n) for n in range(nth)]
        ordered = sorted(set(ahead + behind), key=lambda d: (abs((d - anchor).days), d < anchor))
        self.f.dates.append(ordered[nth - 1])
        return end

    def bare_day_number(self, k: int) -> int | None:
        """"Monday 21", "on Friday 31", "friday 23 at 4" (k after the weekday): a typed number that
        cannot be the hour is the day of the month. 1–12 stay an hour ("Friday 3") unless a time
        follows ("friday 9 at 4pm"); 13–31 are a day unless a clock word follows ("Monday 15 h")."""
        if self.kind(k) != NUM or not self.free(k) or self.t[k].spoken or len(self.t[k].text) > 2:
            return None
        day, nxt = self.t[k].value, self.key(k + 1)
        if not 1 <= day <= 31 or self.kind(k + 1) in (MER, NUM, ORD) or nxt == ":" \
                or nxt in self.lex.oclock or nxt in self.lex.units or nxt in self.lex.months:
            return None
        if nxt in self.lex.range_to and (self.kind(k + 2) == TIME or self.kind(k + 2) == NUM
                                         and self.key(k + 3) in self.lex.oclock):
            return None                     # "Di 14-15 Uhr", "Mittwoch 14-15:30": hours, not the 14th
        time_next = self.kind(k + 1) == TIME or nxt in self.lex.at and self.kind(k + 2) in (NUM, TIME)
        if not time_next and (day <= 12 or not (self.date_stops(k + 1) or nxt in self.lex.between)):
            return None
        year, month = self.today.year, self.today.month
        if day < self.today.day:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        self.f.dom_only = True
        return self.record_dom(year, month, day, k + 1)

    def record_dom(self, year: int, month: int, day: int, end: int) -> int:
        """A bare day of the month: this month's (the next month's once passed); a month too short
        for the day takes the next month that has it, which the weekday then checks."""
        while day > calendar.monthrange(year, month)[1]:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return self.record_date(year, month, day, end, dom=True)
