"""Amounts added to a day or a clock time: calendar arithmetic for compound amounts ("1 year 9
months 1 day from now", "2 years 4 months 5 days ago"), signed amounts ("+15 minutes", "-3y",
"next tuesday +10 days", "2023-12-29 -10days") and amounts around a clock time ("10 hours before
noon", "5 hours after midnight").

A compound amount is added on the calendar, largest unit first: months (years as 12 months),
then days (weeks as 7), then the parts shorter than a day as elapsed time — so "1 year 9 months
1 day" after 2011-02-28 is 2012-11-29, not 638 days of 1440 minutes.
"""
from __future__ import annotations

from datetime import date, timedelta

from ..limits import TOO_FAR
from ..tokens import NUM, ORD
from .base import ScannerBase
from .found import TimeOfDay, add_months, next_weekday

MONTH, DAY = 43200, 1440
SIGNS = {"+": 1, "-": -1, "–": -1}
HELD = "\x00signed"


class ShiftGrammar(ScannerBase):
    """Calendar shifts used by `AmountGrammar`; see `scanner.py` for how matchers combine."""

    def split_amount(self, parts: list[tuple[float, str]]) -> tuple[int, int, float]:
        """(months, days, minutes) of an amount's parts."""
        months = days = 0
        minutes = 0.0
        for value, unit in parts:
            per = self.lex.units.get(unit, 1)
            if per >= MONTH:
                months += round(value / MONTH) if per == MONTH else 12 * round(value / (365 * DAY))
            elif per >= DAY:
                days += round(value / DAY)
            else:
                minutes += value
        return months, days, minutes

    def mixed_amount(self, parts: list[tuple[float, str]]) -> bool:
        """Does the amount mix months, days and clock units ("1 year 9 months 1 day")?"""
        return sum(1 for x in self.split_amount(parts) if x) > 1

    def shift_by(self, parts: list[tuple[float, str]], sign: int, base: date | None = None) -> None:
        """Record the day (or the elapsed offset, when hours or minutes are part of it) an amount
        away from `base` (today when None)."""
        months, days, minutes = self.split_amount(parts)
        start = base or self.today
        day = add_months(start, sign * months) + timedelta(days=sign * days)
        if minutes and base is None:
            self.f.offset_minutes = (day - self.today).days * DAY + sign * minutes
        else:
            self.add_date(day)

    def said_day(self) -> date | None:
        """The day read so far, taken out of the findings so a shift can replace it: "next
        tuesday" in "next tuesday +10 days"."""
        f = self.f
        if f.dates and not f.date_range:
            return f.dates.pop()
        if f.weekday is not None and f.rec is None:
            wd, mode = f.weekday
            day = next_weekday(self.today, wd, mode, f.week_offset)
            f.weekday, f.week_offset = None, None
            return day
        if f.day_offset is not None:
            day = self.today + timedelta(days=f.day_offset)
            f.day_offset = None
            return day
        return None

    def hold_signed(self, start: int, stop: int) -> list[tuple[int, int]]:
        """Signed amounts ("-10days", "+2 hours") set aside before the scan, so "2023-12-29
        -10days" is not read as a range of dates; `read_held` reads them after the day they move."""
        held: list[tuple[int, int]] = []
        if "+" not in self.keys and "-" not in self.keys and "–" not in self.keys:
            return held
        for i in range(start, stop):
            if self.keys[i] in SIGNS and self.signed_at(i):
                hit = self.amount_parts(i + 1)
                if hit is not None:
                    held.append((i, hit[0]))
                    self.keys[i] = HELD         # no range reads it as its dash while held
                    for k in range(i, hit[0]):
                        self.f.used[k] = True
        return held

    def read_held(self, held: list[tuple[int, int]]) -> None:
        for i, end in held:
            self.keys[i] = self.t[i].key
            for k in range(i, end):
                self.f.used[k] = False
            try:
                self.signed_offset(i)
            except (OverflowError, ValueError):
                self.f.question = self.f.question or TOO_FAR      # off the calendar (limits.py)

    def signed_at(self, i: int) -> bool:
        """A sign glued to the number after it and not to what stands before it (not "9-5")."""
        tok = self.t[i]
        return (self.free(i + 1) and self.kind(i + 1) == NUM and self.t[i + 1].start == tok.end
                and not (i > 0 and self.t[i - 1].end == tok.start))

    def signed_offset(self, i: int) -> int | None:
        """"+15 minutes", "+1 day 2 hour", "-3y", "-2hr5min": an amount from now with its sign
        written before it; after a day ("next tuesday +10 days") it moves that day. The sign is
        glued to the number and not to what stands before it (not "9-5", "2014-10")."""
        sign = SIGNS.get(self.keys[i])
        if sign is None or not self.signed_at(i):
            return None
        hit = self.amount_parts(i + 1)
        if hit is None:
            return None
        end, parts = hit
        months, days, minutes = self.split_amount(parts)
        if minutes == 0 and (months or days):
            base = self.said_day()
            if base is not None:
                self.shift_by(parts, sign, base)
                return self.mark(i, end)
        if not (months or days) and self.f.time is not None:
            self.f.time.offset += sign * int(round(minutes))        # "3pm +15 minutes"
        elif not (months or days):
            self.f.offset_minutes = sign * minutes
        else:
            self.shift_by(parts, sign)
        return self.mark(i, end)

    def clock_shift(self, i: int, j: int, minutes: float, sign: int) -> int | None:
        """"10 hours before noon", "5 hours after midnight", "2 hours before 6pm": an amount shorter
        than a day around a clock time (j at the time) is that clock time moved."""
        if not self.clock_follows(j) and not (self.kind(j) == NUM and self.kind(j + 1) != NUM):
            return None
        hit = self.time_expr(j, relaxed=True)
        if hit is None or self.f.time is not None:
            return None
        end, tod = hit
        self.f.time = TimeOfDay(tod.hour, tod.minute, tod.mer, tod.explicit,
                                tod.offset + sign * int(round(minutes)), True, tod.midnight)
        return self.mark(i, end)

    def months_ahead(self, i: int) -> tuple[int, date] | None:
        """"2 months", "in 3 months", "month in 2 months" after "the first Monday of": (end, the
        first day of the month that many months on)."""
        j = self.skip(i, frozenset({"month"}))
        j = self.skip(j, self.lex.in_)
        hit = self.amount_parts(j)
        if hit is None or len(hit[1]) != 1 or self.lex.units.get(hit[1][0][1]) != MONTH:
            return None
        end, parts = hit
        fn = self.phrase(self.lex.from_now, end)
        first = add_months(self.today.replace(day=1), round(parts[0][0] / MONTH))
        return (fn[0] if fn else end), first

    def amount_on_weekday(self, i: int, end: int, parts: list[tuple[float, str]]) -> int | None:
        """"a week on Tuesday", "two weeks on Friday" (British; end at "on"): the coming such
        weekday and that many weeks after it."""
        wd = self.lex.weekdays.get(self.key(end + 1)) if self.free(end + 1) else None
        months, days, minutes = self.split_amount(parts)
        if wd is None or months or minutes or days % 7:
            return None
        self.add_date(next_weekday(self.today, wd, "bare") + timedelta(days=days))
        return self.mark(i, end + 2)

    def nth_unit_after(self, i: int) -> int | None:
        """"the second week after this Friday", "the 3rd day before May 5": that many units from
        the day named."""
        j = self.skip(i, self.lex.the)
        if self.kind(j) != ORD or not self.free(j) or not 1 <= self.t[j].value <= 520:
            return None
        per = self.lex.units.get(self.key(j + 1), 0)
        direction = self.key(j + 2)
        sign = 1 if direction in self.lex.after else -1 if direction in self.lex.anchor_before else 0
        if per < DAY or not sign or not self.free(j + 2):
            return None
        anchor = self.day_at(j + 3)
        if anchor is None:
            return None
        end, day = anchor
        self.shift_by([(self.t[j].value * per, self.key(j + 1))], sign, day)
        return self.mark(i, end)
