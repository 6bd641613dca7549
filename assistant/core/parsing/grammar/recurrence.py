"""Repetition: "every Monday and Thursday", "every other week", "weekdays", "on Mondays",
"monthly on the 15th", "every last Friday of the month", "every morning", "every quarter",
"the last business day of each month" (BYDAY=MO..FR with BYSETPOS).
"""
from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta

from ..tokens import ORD, WORD
from .base import ScannerBase
from .found import Recurrence

WORKWEEK = (0, 1, 2, 3, 4)
MAX_NTH_WEEKDAY = 5
MAX_NTH_WORKDAY = 23                # a month has at most 23 working days
QUARTER_MONTHS = 3


def nth_of_days(first: date, nth: int, days: Sequence[int]) -> date | None:
    """The nth day (the -nth from the end when negative) of first's month whose weekday is in
    `days`, as RRULE's BYDAY with BYSETPOS picks it: "the last business day of the month"."""
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    if nth > 0:
        d, step, left = first, 1, nth
    else:
        d, step, left = last, -1, -nth
    while first <= d <= last:
        if d.weekday() in days:
            left -= 1
            if not left:
                return d
        d += timedelta(days=step)
    return None


class RecurrenceGrammar(ScannerBase):
    """The recurrence matchers of `Scanner`; see `scanner.py` for how they are combined."""

    def recurrence(self, i: int) -> int | None:
        """Any repetition at i: "on Mondays", "daily", "weekdays", "the first Monday of every
        month", "every ..."."""
        lex = self.lex
        k = self.keys[i]
        if k in lex.except_ and self.f.rec is not None:
            return self.except_days(i)
        if k in lex.on and (self.key(i + 1) in lex.weekday_plurals or self.key(i + 1) in lex.weekday_sets):
            end = self.weekday_list(i + 1, plural_start=True)
            return self.mark(i, end) if end else None
        hit = self.phrase(lex.daily, i)
        if hit:
            if k in lex.naming_frequencies and self.before_noun(hit[0]):
                return None                             # "Quarterly review on 3/30": its name
            return self.frequency_word(i, *hit)
        nth = self.nth_weekday_of_month(i)
        if nth:
            return nth
        if k in lex.weekday_plurals or (k in lex.weekday_sets and k.endswith("s")):
            end = self.weekday_list(i, plural_start=True)
            return self.mark(i, end) if end else None
        every = self.phrase(lex.every, i)
        if every is None:
            return None
        return self.every_expr(i, every[0])

    def except_days(self, i: int) -> int | None:
        """"every day at 9 except weekends", "daily but not on Sundays": the days left out, said
        after the rule."""
        lex = self.lex
        rec = self.f.rec
        j = i + 1
        if self.keys[i] in lex.except_lead:              # "but not", "but except"
            if self.key(j) not in lex.except_ or self.key(j) in lex.except_lead:
                return None
            j += 1
        while self.key(j) in lex.on or self.key(j) in lex.the or self.key(j) in ("for", "at"):
            j += 1
        k = self.key(j)
        if not self.free(j):
            return None
        wd = lex.weekdays.get(k, lex.weekday_plurals.get(k))
        out = [wd] if wd is not None else lex.weekday_sets.get(k)
        if not out or rec.freq not in ("DAILY", "WEEKLY") or rec.interval != 1:
            return None
        days = rec.byday if rec.freq == "WEEKLY" and rec.byday else list(range(7))
        kept = [d for d in days if d not in out]
        if not kept or rec.freq == "WEEKLY" and not rec.byday:
            return None
        rec.freq, rec.byday = "WEEKLY", kept
        return self.mark(i, j + 1)

    def before_noun(self, k: int) -> bool:
        """Is the word at k a noun a frequency adjective describes ("quarterly review",
        "quarterly business review"), not a date, a time or a word leading into one?"""
        if not self.free(k) or self.kind(k) != WORD or not self.keys[k].isalpha():
            return False
        lex = self.lex
        key = self.keys[k]
        if key in lex.business_qualifiers:                  # "quarterly business review", not "… day"
            return self.day_kind(k) is None
        return key not in lex.grammar_words and not any(
            key in words for words in (lex.on, lex.at, lex.in_, lex.from_, lex.starting, lex.until, lex.for_,
                                       lex.and_, lex.the, lex.of))

    def frequency_word(self, i: int, end: int, spec: str) -> int:
        """"daily", "biweekly", "every morning", "every day except weekends" (see lexicon DAILY:
        FREQ[/interval][@daypart][:weekdays])."""
        spec, _, days = spec.partition(":")
        freq, _, part = spec.partition("@")
        freq, _, interval = freq.partition("/")
        rec = self.set_rec(freq, int(interval or 1))
        if days:
            rec.byday = [int(d) for d in days.split(",")]
        if part:
            rec.daypart = self.daypart_clock(part)
        return self.mark(i, end)

    def nth_weekday_of_month(self, i: int) -> int | None:
        """"(on) the first Monday of every month", "the last Friday of the month", "the last
        business day of each month" (BYSETPOS over Monday to Friday)."""
        lex = self.lex
        j = self.skip(i, lex.on)
        j = self.skip(j, lex.the)
        if self.kind(j) != ORD and self.key(j) not in lex.last_words:
            return None
        nth = self.nth_word(j)
        said = self.day_kind(j + 1, nth) if nth is not None else None
        if said is None:
            return None
        k, days = said
        end = self.month_tail(k)
        rec = self.f.rec
        if end is None and rec is not None and rec.freq == "MONTHLY" and not rec.byday and rec.bymonthday is None \
                and self.key(k) not in lex.of and self.key(k) not in lex.in_:
            end = k                         # "monthly review on the first Monday"
        if end is None:
            return self.nth_weekday_in(i, k, nth, days)
        rec = self.set_rec("MONTHLY")
        rec.byday, rec.nth = days, nth
        return self.mark(i, end)

    def nth_word(self, j: int) -> int | None:
        """"first" .. "23rd" or "last" at j: which one of the days named next (-1 the last)."""
        if self.kind(j) == ORD and 1 <= self.t[j].value <= MAX_NTH_WORKDAY:
            return self.t[j].value
        return -1 if self.key(j) in self.lex.last_words and self.free(j) else None

    def day_kind(self, k: int, nth: int = 1) -> tuple[int, list[int]] | None:
        """The days counted in "the 2nd Monday" or "the last business day": one weekday, or Monday
        to Friday ("business day", "working day", "weekday", "Werktag", "рабочий день"); with
        the index after it. A weekday has at most five in a month."""
        if not self.free(k):
            return None
        lex = self.lex
        key = self.keys[k]
        wd = lex.weekdays.get(key)
        if wd is not None:
            return (k + 1, [wd]) if nth <= MAX_NTH_WEEKDAY else None
        hit = self.phrase(lex.weekday_sets, k)
        if hit is not None and tuple(hit[1]) == WORKWEEK:
            return hit[0], list(WORKWEEK)
        if key in lex.business_day_words:
            return k + 1, list(WORKWEEK)
        if key in lex.business_qualifiers and lex.units.get(self.key(k + 1)) == 1440 and self.free(k + 1):
            return k + 2, list(WORKWEEK)
        return None

    def nth_weekday_in(self, i: int, k: int, nth: int, days: list[int]) -> int | None:
        """"the second Thursday of April", "the last Friday of next month", "the first working
        day of May": one date."""
        lex = self.lex
        if self.key(k) not in lex.of and self.key(k) not in lex.in_:
            return None
        month = self.month_expr(k + 1, this_by_default=False) or self.months_ahead(k + 1)
        if month is None:
            return None
        end, first = month
        day = nth_of_days(first, nth, days)
        if day is not None and day < self.today and self.lex.months.get(self.key(k + 1)) is not None \
                and self.year_at(k + 2)[0] is None:
            day = nth_of_days(first.replace(year=first.year + 1), nth, days)
        if day is None:
            self.f.question = "That month has no such day — which date did you mean?"
            return self.mark(i, end)
        self.add_date(day)
        return self.mark(i, end)

    def daypart_clock(self, name: str) -> tuple[int, int] | None:
        hit = self.lex.dayparts.get(name)
        return (hit[0], hit[1], hit[2]) if hit else None

    def set_rec(self, freq: str, interval: int = 1) -> Recurrence:
        rec = self.f.rec
        if rec is None:
            rec = self.f.rec = Recurrence(freq, interval)
        else:
            rec.freq, rec.interval = freq, max(rec.interval, interval)
        return rec

    def every_expr(self, i: int, j: int) -> int | None:
        """After "every": other/2nd/N, then weekdays, a unit, an ordinal day or weekday."""
        lex = self.lex
        interval = 1
        nth = self.nth_word(j)
        said = self.day_kind(j + 1, nth) if nth is not None else None
        tail = self.month_tail(said[0]) if said is not None else None
        if said is not None and tail is not None:
            # "every first Monday of the month", "every last weekday of the month", "каждый второй
            # вторник месяца": monthly, that one of those days
            rec = self.set_rec("MONTHLY")
            rec.byday, rec.nth = said[1], nth
            return self.mark(i, tail)
        if self.key(j) in lex.other:
            interval, j = 2, j + 1
        elif (self.whole(j) or 0) > 0:
            interval, j = self.whole(j), j + 1
        elif self.kind(j) == ORD and (self.key(j + 1) in lex.weekdays or self.key(j + 1) in lex.units):
            interval, j = self.t[j].value, j + 1     # "every second Monday" = every other
        if self.key(j) in lex.weekdays or self.key(j) in lex.weekday_plurals or self.key(j) in lex.weekday_sets:
            end = self.weekday_list(j, plural_start=False)
            if end is None:
                return None
            self.f.rec.interval = interval
            return self.mark(i, end)
        unit = self.key(j)
        if unit in lex.quarter_words and self.quarter_alone(j + 1):
            self.set_rec("MONTHLY", QUARTER_MONTHS * interval)      # "every quarter", "every 2 quarters"
            return self.mark(i, j + 1)
        if unit in lex.units:
            per = lex.units.get(unit)
            freq = {60: "HOURLY", 1440: "DAILY", 10080: "WEEKLY", 43200: "MONTHLY", 525600: "YEARLY"}.get(per)
            if freq is None:
                return None
            self.set_rec(freq, interval)
            return self.mark(i, j + 1)
        part = self.phrase(lex.dayparts, j)
        if part and interval == 1:
            self.set_rec("DAILY").daypart = (part[1][0], part[1][1], part[1][2])
            return self.mark(i, part[0])
        # "every 15th (of the month)", "every March 15"
        if self.kind(j) == ORD:
            rec = self.set_rec("MONTHLY", interval)
            rec.bymonthday = self.t[j].value
            end = self.month_tail(j + 1) or j + 1
            return self.mark(i, end)
        saved = list(self.f.dates)
        end = self.month_day(j) or self.day_month(j)
        if end is not None and len(self.f.dates) > len(saved):
            self.set_rec("YEARLY", interval)
            return self.mark(i, end)
        self.f.dates = saved
        return None

    def quarter_alone(self, k: int) -> bool:
        """"quarter" at k - 1 is a quarter year, not of an hour ("every quarter hour", "a quarter
        past")."""
        lex = self.lex
        key = self.key(k)
        return lex.units.get(key) is None and key not in lex.past and key not in lex.to_hour \
            and key not in lex.of

    def month_tail(self, j: int) -> int | None:
        """"of the month" / "of every month" / "of each month" -> index after it."""
        lex = self.lex
        if (self.key(j) in lex.of or self.key(j) in lex.in_) and self.key(j + 2) == "month" \
                and (self.key(j + 1) in lex.the or self.key(j + 1) in lex.every.single) \
                and self.key(j + 3) not in lex.of:                 # "in the month of May"
            return j + 3
        if self.key(j) == "monthly":
            return j + 1
        hit = self.phrase(lex.month_tails, j)            # "im Monat", "каждого месяца"
        return hit[0] if hit else None

    def weekday_list(self, j: int, plural_start: bool) -> int | None:
        """"Monday and Thursday", "Mon, Wed and Fri", "Mondays and Thursdays", "weekdays"."""
        lex = self.lex
        days: list[int] = []
        end = j
        while True:
            k = self.key(end)
            wd = lex.weekdays.get(k, lex.weekday_plurals.get(k)) if self.free(end) else None
            sets = lex.weekday_sets.get(k) if self.free(end) and wd is None else None
            if wd is not None:
                days.append(wd)
            elif sets is not None:
                days.extend(sets)
            else:
                break
            end += 1
            nxt = end
            if self.key(nxt) == ",":
                nxt += 1
            if self.key(nxt) in lex.and_:
                nxt += 1
            if nxt > end and (self.key(nxt) in lex.weekdays or self.key(nxt) in lex.weekday_plurals):
                end = nxt
                continue
            break
        if not days:
            return None
        rec = self.set_rec("WEEKLY")
        rec.byday = sorted(set(days))
        return end
