"""Weekdays said with a date or a week: "Tuesday, 10 January", "Jul 18, Fri", "Thu 15th",
"last week's Sunday", "the closest Monday to Oct 5th".

A weekday said with a date is a check on it. The date is read by the forward rule (the next such
date); when the weekday does not fit, the user most likely means the next date where it does — a
later year for a named day and month, a later month for a bare day of the month — found within a
short reach; past that, or with a written year, the date stays and the user is asked.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta

from ..tokens import ORD
from .dateforms import DateFormGrammar
from .found import MONTH_NAMES, WEEKDAY_NAMES, next_weekday

YEARS_TO_FIT = 2        # "Jul 18, Fri" said in February 2013: July 18, 2014 is that Friday
MONTHS_TO_FIT = 12      # "Thu 15th": the next month whose 15th is a Thursday
CLOSEST = frozenset({"closest", "nearest"})


class WeekdayDateGrammar(DateFormGrammar):
    """Readers that tie a weekday to a date or a week."""

    def fit_weekday(self, wd: int) -> None:
        """The date just read was said with weekday `wd`: move it to the next date the weekday
        fits (see module doc) or ask."""
        d = self.f.dates[-1]
        if d.weekday() == wd or self.f.question is not None or self.f.doubt is not None:
            return
        if not self.said_year:
            for alt in self.later_same_days(d):
                if alt.weekday() == wd:
                    self.f.dates[-1] = alt
                    return
        self.f.doubt = (f"{MONTH_NAMES[d.month]} {d.day} is a {WEEKDAY_NAMES[d.weekday()]}, "
                           f"not a {WEEKDAY_NAMES[wd]} — which day did you mean?")

    def later_same_days(self, d: date) -> list[date]:
        """The same day of the month in the next months (a bare "15th"), else the same day and
        month in the next years; days a month or year lacks are left out."""
        out: list[date] = []
        if self.f.dom_only:
            y, m = d.year, d.month
            for _ in range(MONTHS_TO_FIT):
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
                if d.day <= calendar.monthrange(y, m)[1]:
                    out.append(date(y, m, d.day))
            return out
        for y in range(d.year + 1, d.year + 1 + YEARS_TO_FIT):
            if d.day <= calendar.monthrange(y, d.month)[1]:
                out.append(date(y, d.month, d.day))
        return out

    def trailing_weekday(self, end: int) -> int:
        """"Jul 18, Fri", "March 3rd (Tuesday)": a weekday right after the date just read checks
        it; the index after what was read."""
        k = self.skip(self.skip_comma(end), frozenset({"("}))
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
        lex = self.lex
        hit = self.week_words_at(i)
        if hit is None or hit[1][0] != "week" or self.keys[hit[0] - 1] == self.alt[hit[0] - 1]:
            return None
        j = hit[0]
        wd = lex.weekdays.get(self.key(j)) if self.free(j) else None
        if wd is None:
            return None
        self.f.week_offset = hit[1][1]
        self.f.weekday = (wd, "bare")
        return j + 1

    def closest_weekday(self, i: int) -> int | None:
        """"the closest Monday to Oct 5th", "the second nearest Friday to the 20th"."""
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
