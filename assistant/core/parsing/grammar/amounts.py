"""Amounts of time: lengths ("for 45 minutes", "an hour and a half") and offsets from now
("in 2 hours", "in two weeks on Tuesday").
"""
from __future__ import annotations

from datetime import timedelta

from ..tokens import DEC, DOT, NUM
from .base import ScannerBase
from .found import add_months, next_weekday


class AmountGrammar(ScannerBase):
    """The amounts matchers of `Scanner`; see `scanner.py` for how they are combined."""

    def amount(self, i: int) -> tuple[int, int, str] | None:
        """"2 hours", "an hour", "half an hour", "1.5 hours", "30-minute", "an hour and a half",
        "1 hour 30 minutes", "2h" -> (end, minutes, unit word)."""
        lex = self.lex
        if not self.free(i):
            return None
        k = self.keys[i]
        tok = self.t[i]
        if k in lex.half and self.key(i + 1) in lex.articles and self.key(i + 2) in ("hour", "hr"):
            return i + 3, 30, "hour"
        if k in lex.articles and self.key(i + 1) in lex.half and self.key(i + 2) in ("hour", "hr"):
            return i + 3, 30, "hour"
        whole = self.whole(i)
        if whole is not None:
            qty: float = whole
        elif tok.kind == DEC:
            qty = tok.value
        elif tok.kind == DOT and len(tok.value[1]) <= 2 and tok.value[2] is None:
            qty = float(f"{tok.value[0]}.{tok.value[1]}")
        elif k in lex.articles:
            qty = 1
        else:
            return None
        j = i + 1
        if self.key(j) in ("-", "–") and self.key(j + 1) in lex.units:
            j += 1
        unit = self.key(j)
        per = lex.units.get(unit) if self.free(j) else None
        if per is None:
            return None
        if k in lex.articles and per == 1 and unit in ("m", "min"):
            return None
        minutes = qty * per
        j += 1
        # "an hour and a half", "2 hours and 30 minutes", "1 hour 30"
        if self.key(j) in lex.and_ and self.key(j + 1) in lex.articles and self.key(j + 2) in lex.half:
            minutes += per / 2
            j += 3
        elif per == 60:
            k2 = j + 1 if self.key(j) in lex.and_ else j
            if self.kind(k2) == NUM and self.key(k2 + 1) in ("minutes", "min", "mins", "m"):
                minutes += self.t[k2].value
                j = k2 + 2
        return j, int(round(minutes)), unit

    def duration(self, i: int) -> int | None:
        """"for 45 minutes", "2 hours", "30 min", "for 5 weeks" (a count when repeating)."""
        lex = self.lex
        j = i + 1 if self.keys[i] in lex.for_ else i
        hit = self.amount(j)
        if hit is None:
            # "5 times", "for 10 sessions"
            count = self.whole(j)
            if count is not None and self.key(j + 1) in lex.times_words:
                self.f.count = count
                return self.mark(i, j + 2)
            return None
        end, minutes, unit = hit
        if minutes <= 0:
            return None
        if minutes < 60 and (self.key(end) in lex.past or self.key(end) in lex.to_hour) and (
                self.kind(end + 1) == NUM or self.key(end + 1) in lex.exact_dayparts):
            return None                     # "15 minutes past 3pm" is a time, not a length
        if minutes >= 1440 and j == i and self.keys[i] not in lex.for_ and self.f.rec is None:
            # a bare "3 days" is not a length unless "for" says so
            return None
        self.f.duration = minutes
        return self.mark(i, end)

    def offset(self, i: int) -> int | None:
        """"in 2 hours", "in 3 days", "in two weeks on Tuesday", "2 hours from now", "a week ago",
        "a week from Friday", "two weeks from tomorrow", "3 Fridays from now"."""
        lex = self.lex
        k = self.keys[i]
        sign = 1
        if k in lex.in_:
            hit = self.amount(i + 1)
            if hit is None:
                return None
            end = hit[0]
        else:
            hit = self.amount(i)
            if hit is None:
                return self.weekdays_from_now(i)
            fn = self.phrase(lex.from_now, hit[0])
            if fn is not None:
                end = fn[0]
            elif self.key(hit[0]) in lex.ago and self.free(hit[0]):
                end, sign = hit[0] + 1, -1
            else:
                return self.from_anchor(i, hit)
        _, minutes, unit = hit
        minutes *= sign
        per = lex.units.get(unit, 1)
        if per < 1440:
            self.f.offset_minutes = minutes
        elif per in (10080, 20160):
            weeks = round(minutes / 10080)
            k2 = self.skip(end, lex.on)
            wd = lex.weekdays.get(self.key(k2)) if self.free(k2) else None
            if wd is not None:
                self.f.week_offset = weeks
                self.f.weekday = (wd, "bare")
                end = k2 + 1
            else:
                self.f.day_offset = weeks * 7
        elif per == 1440:
            self.f.day_offset = round(minutes / 1440)
        elif per == 43200:
            self.f.month_offset = round(minutes / 43200)
        else:
            self.f.month_offset = 12 * round(minutes / 525600)
        return self.mark(i, end)

    def from_anchor(self, i: int, hit: tuple[int, int, str]) -> int | None:
        """"a week from Friday" (the bare Friday + 7 days), "two weeks from tomorrow", "3 days
        after March 3", "2 days before Friday": a number of days, weeks or months from a date."""
        lex = self.lex
        j, minutes, unit = hit
        direction = self.key(j)
        if not self.free(j) or direction not in lex.anchor_after and direction not in lex.anchor_before:
            return None
        per = lex.units.get(unit, 1)
        if per < 1440:
            return None
        saved_dates, saved_wd, saved_q = list(self.f.dates), self.f.weekday, self.f.question
        end = self.date_expr(j + 1)
        anchor = None
        if end is not None and len(self.f.dates) > len(saved_dates):
            anchor = self.f.dates.pop()
        elif end is not None and self.f.weekday is not None and self.f.weekday != saved_wd:
            wd, mode = self.f.weekday
            anchor = next_weekday(self.today, wd, mode, self.f.week_offset)
        self.f.dates, self.f.weekday = saved_dates, saved_wd
        if anchor is None:
            self.f.question = saved_q
            return None
        sign = -1 if direction in lex.anchor_before else 1
        if per >= 43200:
            months = round(minutes / 43200) if per == 43200 else 12 * round(minutes / 525600)
            day = add_months(anchor, sign * months)
        else:
            day = anchor + timedelta(days=sign * round(minutes / 1440))
        self.add_date(day)
        return self.mark(i, end)

    def weekdays_from_now(self, i: int) -> int | None:
        """"3 Fridays from now": the third Friday after today."""
        lex = self.lex
        count = self.whole(i)
        if count is None and self.key(i) in lex.articles:
            count = 1
        wd = lex.weekday_plurals.get(self.key(i + 1)) if self.free(i + 1) else None
        if wd is None and count == 1:
            wd = lex.weekdays.get(self.key(i + 1)) if self.free(i + 1) else None
        if count is None or wd is None or not 1 <= count <= 520:
            return None
        fn = self.phrase(lex.from_now, i + 2)
        if fn is None:
            if self.key(i + 2) in lex.ago and self.free(i + 2):      # "2 Thursdays ago"
                self.add_date(next_weekday(self.today, wd, "last") - timedelta(weeks=count - 1))
                return self.mark(i, i + 3)
            return None
        self.add_date(next_weekday(self.today, wd, "bare") + timedelta(weeks=count - 1))
        return self.mark(i, fn[0])
