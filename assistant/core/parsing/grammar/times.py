"""Clock times: "5pm", "10:30", "ten thirty", "half past eight", "quarter to four",
ranges of times ("4-5pm") and a named zone right after a time ("9am Pacific").
"""
from __future__ import annotations

from ..tokens import DOT, MER, NUM, TIME
from .base import ScannerBase
from .found import TimeOfDay


class TimeGrammar(ScannerBase):
    """The times matchers of `Scanner`; see `scanner.py` for how they are combined."""

    def time_expr(self, i: int, relaxed: bool = False) -> tuple[int, TimeOfDay] | None:
        """A clock time at i. `relaxed` (after "at", in a range) also accepts a bare hour."""
        if not self.free(i):
            return None
        tok = self.t[i]
        lex = self.lex
        k = tok.key
        if k in lex.articles and (self.key(i + 1) in lex.quarter or self.key(i + 1) in lex.half) \
                and (self.key(i + 2) in lex.past or self.key(i + 2) in lex.to_hour) and self.free(i + 1):
            hit = self.time_relative_to_hour(i + 1)         # "a quarter to noon"
            if hit:
                return hit
        if k in lex.half or k in lex.quarter or tok.kind == NUM and self.minutes_before_hour(i):
            hit = self.time_relative_to_hour(i)
            if hit:
                return hit
        exact = self.phrase(lex.dayparts, i) if k in lex.exact_dayparts else None
        if exact:
            h, m, _mer, _off, = exact[1][:4]
            return exact[0], TimeOfDay(h, m, explicit=True, midnight=(h == 0))
        if tok.kind == TIME:
            h, m = tok.value
            j, mer = self.meridiem(i + 1)
            j = self.skip(j, lex.oclock)
            explicit = mer is None and (h >= 13 or h == 0 or tok.text.startswith("0"))
            if h > 24 or m > 59 or h == 24 and m or mer and h > 12:
                self.f.question = f"There is no {tok.text}{' ' + mer if mer else ''} — which time did you mean?"
                return j, TimeOfDay(0, 0, explicit=True)
            return j, TimeOfDay(h, m, mer, explicit)
        if tok.kind == DOT:
            return self.dotted_time(i, relaxed)
        if tok.kind != NUM:
            return None
        return self.number_time(i, relaxed)

    def number_time(self, i: int, relaxed: bool) -> tuple[int, TimeOfDay] | None:
        """"5", "5pm", "5 o'clock", "ten thirty", "ten oh five", "1530" (after at)."""
        tok, lex = self.t[i], self.lex
        h = tok.value
        j = i + 1
        minute = 0
        nxt = self.t[j] if j < self.n else None
        if nxt is not None and nxt.key in lex.oh and self.kind(j + 1) == NUM and self.t[j + 1].value < 10:
            minute, j = self.t[j + 1].value, j + 2
        elif (nxt is not None and nxt.kind == NUM and 10 <= nxt.value <= 59 and h <= 24
              and (tok.spoken or nxt.spoken or relaxed) and not self.is_unit(j + 1)):
            minute, j = nxt.value, j + 1
        j2, mer = self.meridiem(j)
        oclock = self.key(j2) in lex.oclock
        if oclock:
            j2 += 1
        if self.is_unit(j2) and mer is None:
            return None
        if len(tok.text) == 4 and tok.text.isdigit() and relaxed and mer is None and minute == 0:
            hh, mm = divmod(h, 100)
            if hh <= 23 and mm <= 59 and not (1900 <= h <= 2100):
                return j2, TimeOfDay(hh, mm, explicit=True)
            return None
        if len(tok.text) in (3, 4) and tok.text.isdigit() and minute == 0 and (mer or relaxed):
            hh, mm = divmod(h, 100)             # "330 p.m.", "at 730 in the evening"
            if 1 <= hh <= 12 and mm <= 59:
                return j2, TimeOfDay(hh, mm, mer, strong=True)
            return None
        if h > 24 or minute > 59:
            return None
        # dictated "two thirty" (an hour and its minutes, both said as words) is a time anywhere
        spoken_pair = (minute > 0 and tok.spoken and 1 <= h <= 12 and self.key(i - 1) not in lex.for_
                       and (minute >= 10 and self.t[i + 1].spoken or self.key(i + 1) in lex.oh))
        if mer or oclock or relaxed or spoken_pair:
            explicit = mer is None and (h >= 13 or h == 0 or (tok.text.startswith("0") and len(tok.text) == 2))
            return j2, TimeOfDay(h, minute, mer, explicit, strong=bool(mer or oclock or relaxed))
        return None

    def dotted_time(self, i: int, relaxed: bool) -> tuple[int, TimeOfDay] | None:
        """"10.30" after at, "5.45 p.m.", "15.00" — H.MM written the way dictation does."""
        a, b, c, _trail = self.t[i].value
        if c is not None or len(b) != 2:
            return None
        h, m = int(a), int(b)
        if h > 23 or m > 59:
            return None
        j, mer = self.meridiem(i + 1)
        j = self.skip(j, self.lex.oclock)
        if mer or relaxed or (m == 0 and h <= 23 and self.key(i - 1) not in self.lex.on):
            return j, TimeOfDay(h, m, mer, explicit=mer is None and (h >= 13 or a.startswith("0")))
        return None

    def minutes_before_hour(self, i: int) -> bool:
        """"twenty past six", "10 minutes to 5" — but "from 5 to 6" is a range."""
        nxt = self.key(i + 1)
        if nxt in ("minutes", "min", "mins") or nxt in self.lex.past:
            return True
        tok = self.t[i]
        if nxt in self.lex.to_hour and self.key(i + 2) in self.lex.exact_dayparts and 0 < tok.value < 60:
            return True                     # "15 to noon", "10 past midnight"
        return (nxt in self.lex.to_hour and tok.spoken and tok.value in (5, 10, 20, 25)
                and self.key(i - 1) not in self.lex.from_ | self.lex.between)

    def time_relative_to_hour(self, i: int) -> tuple[int, TimeOfDay] | None:
        """"half past eight", "quarter to four", "twenty past six", "10 minutes to 5"."""
        lex = self.lex
        k = self.keys[i]
        if k in lex.half:
            minutes = 30
        elif k in lex.quarter:
            minutes = 15
        elif self.t[i].kind == NUM:
            minutes = self.t[i].value
        else:
            return None
        j = i + 1
        if k in lex.half and self.kind(j) == NUM and 1 <= self.t[j].value <= 12 and self.free(j):
            # British "half eight" = 8:30; German "halb neun" = 8:30 too (half *to* nine)
            end, mer = self.meridiem(j + 1)
            end = self.skip(end, lex.oclock)
            if lex.half_before:
                return end, TimeOfDay(self.t[j].value, 0, mer, offset=-30)
            return end, TimeOfDay(self.t[j].value, 30, mer)
        if self.key(j) in ("minutes", "min", "mins"):
            j += 1
        direction = self.key(j)
        if direction in lex.past:
            sign = 1
        elif direction in lex.to_hour and k not in lex.half:
            sign = -1
        else:
            return None
        if minutes >= 60:
            return None
        exact = self.phrase(lex.dayparts, j + 1) if self.key(j + 1) in lex.exact_dayparts else None
        if exact:                                           # "a quarter to noon", "ten past midnight"
            h, m = exact[1][0], exact[1][1]
            return exact[0], TimeOfDay(h, m, explicit=True, offset=sign * minutes, midnight=(h == 0))
        if self.kind(j + 1) != NUM or not 1 <= self.t[j + 1].value <= 12:
            return None
        hour = self.t[j + 1].value
        end, mer = self.meridiem(j + 2)
        end = self.skip(end, lex.oclock)
        return end, TimeOfDay(hour, 0, mer, offset=sign * minutes)

    def meridiem(self, i: int) -> tuple[int, str | None]:
        if self.free(i) and self.t[i].kind == MER:
            return i + 1, self.t[i].value
        return i, None

    def is_unit(self, i: int) -> bool:
        return self.free(i) and self.keys[i] in self.lex.units

    def time_with_prep(self, i: int) -> int | None:
        """"at 5", "at 10.30", "around 3pm", "5pm", "4-5pm", "15:00-16:30", "9am Pacific"."""
        lex = self.lex
        k = self.keys[i]
        relaxed = k in lex.at
        j = i + 1 if relaxed else i
        hit = self.time_range(j, relaxed) or self.single_time(j, relaxed)
        if hit is None:
            return None
        end = self.zone_after(hit)
        return self.mark(i, end)

    def single_time(self, i: int, relaxed: bool) -> int | None:
        hit = self.time_expr(i, relaxed)
        if hit is None:
            return None
        j, tod = hit
        if self.f.time is None:
            self.f.time = tod
        elif self.f.end_time is None:
            self.f.end_time = tod
        return j

    def time_range(self, i: int, relaxed: bool) -> int | None:
        """Two times joined by to / - / until / and (after between)."""
        first = self.time_expr(i, relaxed=True)
        if first is None:
            return None
        j, t1 = first
        if self.key(j) not in self.lex.range_to:
            return None
        second = self.time_expr(j + 1, relaxed=True)
        if second is None:
            return None
        end, t2 = second
        if self.key(end) in self.lex.units or self.key(end) in self.lex.times_words:
            return None
        if not (relaxed or t1.mer or t2.mer or self.kind(i) == TIME or self.kind(j + 1) == TIME):
            t1.strong = t2.strong = False
        self.f.time, self.f.end_time = t1, t2
        return end

    def zone_after(self, j: int) -> int:
        """A named zone right after a time: "9am Pacific", "14:00 London time", "3pm ET"."""
        lex = self.lex
        i = self.skip(j, lex.zone_prefix)
        paren = self.key(i) == "("
        if paren:
            i += 1                          # "9 am (BST)"
        if self.key(i).startswith("etc/gmt") and self.free(i):
            self.f.zone = self.key(i).replace("etc/gmt", "Etc/GMT")      # from an ISO date-time
            return i + 1
        hit = self.phrase(lex.zones, i)
        if hit and paren and self.key(hit[0]) == ")":
            self.f.zone = hit[1]
            return hit[0] + 1
        if paren:
            return j
        if hit:
            end = self.skip(hit[0], lex.zone_suffix)
            self.f.zone = hit[1]
            return end
        city = self.phrase(lex.city_zones, i)
        if city and self.key(city[0]) in lex.zone_suffix:
            self.f.zone = city[1]
            return city[0] + 1
        return j

    def zone_phrase(self, i: int) -> int | None:
        """"London time", "in Tokyo time", "Pacific time" anywhere in the request."""
        lex = self.lex
        j = self.skip(i, lex.zone_prefix)
        for table in (lex.city_zones, lex.zones):
            hit = self.phrase(table, j)
            if hit and self.key(hit[0]) in lex.zone_suffix:
                self.f.zone = hit[1]
                return self.mark(i, hit[0] + 1)
        return None
