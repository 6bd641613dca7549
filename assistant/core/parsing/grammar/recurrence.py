"""Repetition: "every Monday and Thursday", "every other week", "weekdays", "on Mondays",
"monthly on the 15th", "every last Friday of the month", "every morning".
"""
from __future__ import annotations

from ..tokens import ORD
from .base import ScannerBase
from .found import Recurrence


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
        """"(on) the first Monday of every month", "the last Friday of the month"."""
        lex = self.lex
        j = self.skip(i, lex.on)
        j = self.skip(j, lex.the)
        if self.kind(j) == ORD and 1 <= self.t[j].value <= 5:
            nth = self.t[j].value
        elif self.key(j) in lex.last_words:
            nth = -1
        else:
            return None
        wd = lex.weekdays.get(self.key(j + 1)) if self.free(j + 1) else None
        if wd is None:
            return None
        end = self.month_tail(j + 2)
        rec = self.f.rec
        if end is None and rec is not None and rec.freq == "MONTHLY" and not rec.byday and rec.bymonthday is None \
                and self.key(j + 2) not in lex.of and self.key(j + 2) not in lex.in_:
            end = j + 2                     # "monthly review on the first Monday"
        if end is None:
            return self.nth_weekday_in(i, j + 2, nth, wd)
        rec = self.set_rec("MONTHLY")
        rec.byday, rec.nth = [wd], nth
        return self.mark(i, end)

    def nth_weekday_in(self, i: int, k: int, nth: int, wd: int) -> int | None:
        """"the second Thursday of April", "the last Friday of next month": one date."""
        lex = self.lex
        if self.key(k) not in lex.of and self.key(k) not in lex.in_:
            return None
        month = self.month_expr(k + 1, this_by_default=False) or self.months_ahead(k + 1)
        if month is None:
            return None
        end, first = month
        day = self.nth_weekday_date(first, nth, wd)
        if day is not None and day < self.today and self.lex.months.get(self.key(k + 1)) is not None \
                and self.year_at(k + 2)[0] is None:
            day = self.nth_weekday_date(first.replace(year=first.year + 1), nth, wd)
        if day is None:
            self.f.question = "That month has no such day — which date did you mean?"
            return self.mark(i, end)
        self.add_date(day)
        return self.mark(i, end)

    @staticmethod
    def nth_weekday_date(first, nth: int, wd: int):
        import calendar
        from datetime import timedelta

        if nth > 0:
            d = first + timedelta(days=(wd - first.weekday()) % 7) + timedelta(weeks=nth - 1)
            return d if d.month == first.month else None
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return last - timedelta(days=(last.weekday() - wd) % 7)

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
        if self.key(j) in lex.other and not (self.kind(j) == ORD and self.key(j + 1) in lex.weekdays
                                              and self.month_tail(j + 2)):
            interval, j = 2, j + 1                  # not "каждый второй вторник месяца": monthly
        elif (self.whole(j) or 0) > 0:
            interval, j = self.whole(j), j + 1
        elif self.kind(j) == ORD and (self.key(j + 1) in lex.weekdays or self.key(j + 1) in lex.units):
            # "every second Monday" = every other; "every first Monday of the month" = monthly
            if self.key(j + 1) in lex.weekdays and self.month_tail(j + 2):
                rec = self.set_rec("MONTHLY")
                rec.byday, rec.nth = [lex.weekdays.get(self.key(j + 1))], self.t[j].value
                return self.mark(i, self.month_tail(j + 2))
            interval, j = self.t[j].value, j + 1
        elif self.key(j) in lex.last_words and self.key(j + 1) in lex.weekdays and self.month_tail(j + 2):
            rec = self.set_rec("MONTHLY")
            rec.byday, rec.nth = [lex.weekdays.get(self.key(j + 1))], -1
            return self.mark(i, self.month_tail(j + 2))
        if self.key(j) in lex.weekdays or self.key(j) in lex.weekday_plurals or self.key(j) in lex.weekday_sets:
            end = self.weekday_list(j, plural_start=False)
            if end is None:
                return None
            self.f.rec.interval = interval
            return self.mark(i, end)
        unit = self.key(j)
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
