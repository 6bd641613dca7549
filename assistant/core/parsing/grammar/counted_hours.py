"""Clock times said by the hour in progress, as Russian does: "в половине одиннадцатого" (10:30),
"полтретьего" (2:30), "четверть пятого" (4:15), "десять минут шестого" (5:10), "без четверти
восемь" (7:45), "без пятнадцати шесть" (5:45), and "в час" (1:00); German says some the same way: "dreiviertel
fünf" (4:45), "viertel fünf" (4:15).

The hour named is the one the hour rule places ("полтретьего" is 14:30 because three is
afternoon), the way German "halb drei" is read: a `TimeOfDay` of the named hour with a negative
offset. Only lexicons with `COUNTED_HOURS` use this.
"""
from __future__ import annotations

from ..tokens import NUM, ORD
from .base import ScannerBase
from .found import TimeOfDay


class CountedHourGrammar(ScannerBase):
    """The counted-hour matcher of `Scanner`, called from `TimeGrammar.time_expr`."""

    def counted_hour_time(self, i: int) -> tuple[int, TimeOfDay] | None:
        lex = self.lex
        k = self.keys[i]
        hour = lex.half_hours.get(k)
        if hour is not None:                                    # "полтретьего"
            return self.counted_end(i + 1, hour, -30)
        fraction = lex.hour_fractions.get(k)
        if fraction is not None and self.kind(i + 1) == NUM and 1 <= self.t[i + 1].value <= 12 \
                and self.free(i + 1):                           # "dreiviertel fünf"
            return self.counted_end(i + 2, self.t[i + 1].value, fraction)
        if k in lex.half or k in lex.quarter:                   # "половина/четверть пятого"
            hour = self.ordinal_hour(i + 1)
            if hour is None:
                return None
            return self.counted_end(i + 2, hour, -30 if k in lex.half else -45)
        if k in lex.before_hour:                                # "без четверти восемь"
            return self.before_hour(i + 1)
        if k in lex.one_oclock and (self.key(i - 1) in lex.at or self.key(i + 1) in lex.dayparts):
            return self.counted_end(i + 1, 1, 0)                # "в час", "час дня"
        tok = self.t[i]
        if tok.kind == NUM and 0 < tok.value < 60 and lex.units.get(self.key(i + 1)) == 1:
            hour = self.ordinal_hour(i + 2)                     # "десять минут шестого"
            if hour is not None:
                return self.counted_end(i + 3, hour, tok.value - 60)
        return None

    def ordinal_hour(self, i: int) -> int | None:
        """An hour said as an ordinal ("одиннадцатого"), 1..12."""
        if (self.free(i) and self.kind(i) == ORD and 1 <= self.t[i].value <= 12
                and self.key(i + 1) not in self.lex.months):     # "пятого апреля" is a date
            return self.t[i].value
        return None

    def before_hour(self, i: int) -> tuple[int, TimeOfDay] | None:
        """After "без": (a quarter | N [minutes]) and the hour as a number."""
        lex = self.lex
        if self.key(i) in lex.quarter:
            minutes, j = 15, i + 1
        elif self.kind(i) == NUM and 0 < self.t[i].value < 60:
            minutes, j = self.t[i].value, i + 1
            if lex.units.get(self.key(j)) == 1:
                j += 1
        else:
            return None
        if self.kind(j) != NUM or not 1 <= self.t[j].value <= 12 or not self.free(j):
            return None
        return self.counted_end(j + 1, self.t[j].value, -minutes)

    def counted_end(self, j: int, hour: int, offset: int) -> tuple[int, TimeOfDay]:
        j = self.skip(j, self.lex.oclock)
        return j, TimeOfDay(hour, 0, None, offset=offset)
