"""Amounts of time: lengths ("for 45 minutes", "an hour and a half") and offsets from now
("in 2 hours", "in two weeks on Tuesday").
"""
from __future__ import annotations

from ..tokens import DEC, DOT, NUM
from .base import ScannerBase


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
        if minutes >= 1440 and j == i and self.keys[i] not in lex.for_ and self.f.rec is None:
            # a bare "3 days" is not a length unless "for" says so
            return None
        self.f.duration = minutes
        return self.mark(i, end)

    def offset(self, i: int) -> int | None:
        """"in 2 hours", "in 3 days", "in two weeks on Tuesday", "2 hours from now"."""
        lex = self.lex
        k = self.keys[i]
        if k in lex.in_:
            hit = self.amount(i + 1)
            if hit is None:
                return None
            end = hit[0]
        else:
            hit = self.amount(i)
            if hit is None:
                return None
            fn = self.phrase(lex.from_now, hit[0])
            if fn is None:
                return None
            end = fn[0]
        _, minutes, unit = hit
        per = lex.units.get(unit, 1)
        if per < 1440:
            self.f.offset_minutes = minutes
        elif per == 10080:
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
