"""Clock times: "5pm", "10:30", "ten thirty", "half past eight", "quarter to four",
ranges of times ("4-5pm") and a named zone right after a time ("9am Pacific").
"""
from __future__ import annotations

from ..tokens import DOT, MER, NUM, TIME, WORD, offset_zone
from .base import ScannerBase
from .found import TimeOfDay


_ADJECTIVE_ZONES = frozenset({"central", "eastern", "pacific", "mountain"})
_CLOCK_KINDS = frozenset({NUM, TIME, DOT})
_MILITARY_UNITS = frozenset({"h", "hours", "hrs", "hr"})
_WORDLIKE_ZONES = frozenset({"et", "pt", "ct", "mt", "z", "est", "ist", "wet", "eet", "zulu"})
# "at 12 Elm Street", "at 5 Old Kent Road": a house number, not an hour
_STREETS = frozenset({"street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "drive", "boulevard",
                      "blvd", "way", "terrace", "crescent", "close", "strasse", "straße", "str", "weg",
                      "allee", "gasse", "platz", "ring", "damm"})
"""Zone abbreviations that are also words: a zone after a bare hour only when typed in capitals."""
NIGHT_FROM = 20
"""A part of the day whose default hour is this or later is a night ("at night", "nachts", "ночью")."""


def military(digits: str) -> bool:
    """"0700", "0945": four digits from a zero, a morning clock time on the 24-hour clock (not a
    PIN such as "0042" or "0137")."""
    return digits[0] == "0" and digits[1] >= "5" and digits[3] in "05"


class TimeGrammar(ScannerBase):
    """The times matchers of `Scanner`; see `scanner.py` for how they are combined."""

    def time_expr(self, i: int, relaxed: bool = False) -> tuple[int, TimeOfDay] | None:
        """A clock time at i. `relaxed` (after "at", in a range) also accepts a bare hour."""
        if not self.free(i):
            return None
        tok = self.t[i]
        lex = self.lex
        k = tok.key
        if tok.kind not in _CLOCK_KINDS and not lex.counted_hours and k not in lex.articles and k not in lex.half \
                and k not in lex.quarter and k not in lex.exact_dayparts:
            return None                                     # the common case, a plain word: no time here
        if lex.counted_hours:
            hit = self.counted_hour_time(i)                 # "полтретьего", "без четверти восемь"
            if hit:
                return hit
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
            explicit = mer is None and (h >= 13 or h == 0 or tok.text.startswith("0") or "h" in tok.text.lower())
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
        if tok.spoken and self.key(j) == "-" and self.kind(j + 1) in (NUM, WORD):
            j += 1                          # "ten-thirty", "twelve-oh-three"
        nxt = self.t[j] if j < self.n else None
        if nxt is not None and self.is_oh(j) and tok.spoken and 1 <= h <= 12:
            k = j + 2 if self.key(j + 1) == "-" else j + 1
            if self.kind(k) == NUM and 1 <= self.t[k].value < 10:
                minute, j = self.t[k].value, k + 1     # "twelve oh three", "twelve-zero-three"
            else:
                j = i + 1
            nxt = self.t[j] if j < self.n else None
        if minute:
            pass
        elif j > i + 1 and nxt is not None and nxt.kind == NUM and nxt.spoken and 10 <= nxt.value <= 59:
            minute, j = nxt.value, j + 1
        elif j > i + 1:
            j = i + 1
            nxt = self.t[j]
        if minute:
            pass
        elif (nxt is not None and nxt.kind == NUM and 10 <= nxt.value <= 59 and h <= 24
              and (tok.spoken or nxt.spoken or relaxed) and not self.is_unit(j + 1)):
            minute, j = nxt.value, j + 1
        j2, mer = self.meridiem(j)
        oclock = self.key(j2) in lex.oclock
        if oclock:
            j2 += 1
            if mer is None and self.free(j2) and self.keys[j2] in lex.meridiems:
                mer, j2 = lex.meridiems.get(self.keys[j2]), j2 + 1     # "3 o'clock am"
        if h == 12 and minute == 0 and mer is None and self.key(j2) in lex.exact_dayparts:
            exact = self.phrase(lex.dayparts, j2)          # "12 noon", "12 midnight"
            if exact and exact[1][0] in (0, 12):
                hh = exact[1][0]
                return exact[0], TimeOfDay(hh, 0, explicit=True, midnight=(hh == 0))
        if (self.is_unit(j2) and mer is None and minute == 0 and self.keys[j2] in _MILITARY_UNITS
                and len(tok.text) == 4 and tok.text.isdigit() and self.key(i - 1) not in lex.for_
                and self.key(i - 1) not in lex.in_ and h % 100 <= 59 and h // 100 <= 23):
            return j2 + 1, TimeOfDay(h // 100, h % 100, explicit=True)      # "0600h", "1300 hours"
        if self.is_unit(j2) and mer is None and not (oclock and self.key(j2) in lex.dayparts):
            if self.h_clock(i, j2, relaxed):
                return j2 + 1, TimeOfDay(h, minute, explicit=True)    # "8h GMT", "9h30 - 11h"
            return None
        if len(tok.text) == 4 and tok.text.isdigit() and (relaxed or military(tok.text)) and mer is None \
                and minute == 0:                            # "at 1530"; "0700" is a clock time anywhere
            hh, mm = divmod(h, 100)
            if hh <= 23 and mm <= 59 and not (1900 <= h <= 2100):
                return j2, TimeOfDay(hh, mm, explicit=True)
            return None
        if len(tok.text) in (3, 4) and tok.text.isdigit() and minute == 0 and (mer or relaxed or oclock):
            hh, mm = divmod(h, 100)             # "330 p.m.", "at 730 in the evening"
            if 1 <= hh <= 12 and mm <= 59:
                return j2, TimeOfDay(hh, mm, mer, strong=True)
            return None
        if h > 24 or minute > 59:
            return None
        # dictated "two thirty" (an hour and its minutes, both said as words) is a time anywhere
        spoken_pair = (minute > 0 and tok.spoken and 1 <= h <= 12 and self.key(i - 1) not in lex.for_
                       and j > i + 1 and self.t[j - 1].spoken)
        if relaxed and not (mer or oclock or minute) and self.street_follows(j2):
            return None
        if mer or oclock or relaxed or spoken_pair or self.zone_follows(j2):
            explicit = mer is None and (h >= 13 or h == 0 or (tok.text.startswith("0") and len(tok.text) == 2))
            return j2, TimeOfDay(h, minute, mer, explicit, strong=bool(mer or oclock or relaxed))
        return None

    def daypart_meridiem(self, tod: TimeOfDay, part: tuple) -> None:
        """An hour said right before a part of the day that names no day takes it as its am/pm:
        "4 in the evening", "в 4 вечера", "um 4 abends" are 16:00. Night words ("2 at night") and
        parts that name the day ("2 tonight", "at 2 this evening") leave the hour to be read inside
        that night (`wall_time.daypart_hint`)."""
        h, _m, mer, day_offset = part[:4]
        if (mer and day_offset is None and h < NIGHT_FROM and tod.mer is None and not tod.explicit
                and 1 <= tod.hour <= 11 and not tod.offset):
            tod.mer = mer

    def is_oh(self, i: int) -> bool:
        """"oh", "o", "zero", "ou" between an hour and its minutes said as words."""
        tok = self.t[i]
        return tok.key in self.lex.oh or tok.kind == NUM and tok.value == 0 and tok.spoken

    def h_clock(self, i: int, unit: int, relaxed: bool) -> bool:
        """"8h" written glued as the French/German clock does, where a time is expected: after
        "at", in a range, before a zone ("8h GMT") — "2h" alone stays a length."""
        tok, h = self.t[i], self.t[i].value
        if self.keys[unit] != "h" or tok.kind != NUM or tok.spoken or not 0 <= h <= 23 or tok.end != self.t[unit].start:
            return False
        if relaxed and self.key(i - 1) not in self.lex.for_ and self.key(i - 1) not in self.lex.in_:
            return True
        if "h" in self.lex.oclock and (self.key(i - 1) in self.lex.weekdays
                                       or self.key(i - 1) in self.lex.relative_days):
            return True                     # German "Mo 10h Jour fixe", "morgen 9h": right after a day
        after = self.skip(unit + 1, self.lex.zone_prefix)
        return self.phrase(self.lex.zones, after) is not None

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
        if nxt not in self.lex.to_hour or self.key(i - 1) in self.lex.from_ | self.lex.between:
            return False
        if tok.spoken:
            return tok.value in (5, 10, 20, 25) and not self.hours_span_by_a_day(i)
        # "at 20 to 6", "at 10 past 4": typed minutes after "at" before a bare hour
        return (self.key(i - 1) in self.lex.at and tok.value in (5, 10, 15, 20, 25)
                and self.kind(i + 2) == NUM and 1 <= self.t[i + 2].value <= 12 and self.kind(i + 3) != MER)

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
        named = self.key(j) in ("minutes", "min", "mins")
        if named:
            j += 1
        direction = self.key(j)
        if direction in lex.past or named and direction in lex.from_:
            sign = 1
        elif direction in lex.to_hour and k not in lex.half:
            sign = -1
        else:
            return None
        if minutes >= 60:
            return None
        if named or self.kind(j + 1) == TIME:
            # "15 minutes from 1pm", "10 minutes before 3:30", "15 minutes past 15h": any clock time
            hit = self.time_expr(j + 1, relaxed=True) if self.clock_follows(j + 1) or self.kind(j + 1) == NUM else None
            if hit is not None and (hit[1].minute == 0 or direction not in lex.to_hour or named):
                end, tod = hit
                tod.offset += sign * minutes
                return end, tod
            if direction in lex.from_:
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

    def street_follows(self, j: int) -> bool:
        """A street's name after a number: up to three capitalised words, then a street word."""
        k = j
        while k < j + 3 and self.kind(k) == WORD and self.t[k].cap and self.keys[k] not in _STREETS:
            k += 1
        return k > j and self.key(k) in _STREETS

    def is_unit(self, i: int) -> bool:
        return self.free(i) and self.keys[i] in self.lex.units

    def time_with_prep(self, i: int) -> int | None:
        """"at 5", "at 10.30", "around 3pm", "5pm", "4-5pm", "15:00-16:30", "9am Pacific"."""
        lex = self.lex
        k = self.keys[i]
        relaxed = k in lex.at or k in lex.approx
        if not relaxed and self.key(i - 1) in lex.for_ and self.key(i - 2) in lex.alarm_words:
            hit = self.single_time(i, True)                 # "set an alarm for 6"
            return None if hit is None else self.mark(i, self.zone_after(hit))
        if not relaxed and self.kind(i) == NUM and self.key(i + 1) in lex.alternatives \
                and self.kind(i + 2) in (TIME, NUM) and self.time_expr(i + 2) is not None:
            hit = self.single_time(i, True)                 # "12 or 12:30": the first is a time too
            return None if hit is None else self.mark(i, hit)
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
        elif self.alternative(i):
            pass                            # "at 12 or 12:30": the first one said is the start
        elif self.f.end_time is None:
            self.f.end_time = tod
        return j

    def alternative(self, i: int) -> bool:
        """Is what starts at i said as another choice ("or 12:30", "or at 4")?"""
        alt = self.lex.alternatives
        return self.key(i - 1) in alt or self.key(i - 1) in self.lex.at and self.key(i - 2) in alt

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
        self.f.joined_times = True
        return end

    def zone_after(self, j: int) -> int:
        """A named zone right after a time: "9am Pacific", "14:00 London time", "3pm ET"."""
        lex = self.lex
        i = self.skip(j, lex.zone_prefix)
        paren = self.key(i) == "("
        if paren:
            i += 1                          # "9 am (BST)"
        if self.key(i).startswith("@") and self.free(i):
            self.f.zone = self.key(i)[1:]   # from an ISO date-time
            return i + 1
        hit = self.zone_at(i)
        if hit and hit[1] in ("UTC", "Etc/GMT"):
            hit = self.utc_offset(hit[0]) or hit
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

    def zone_at(self, i: int) -> tuple[int, str] | None:
        """A zone name at i: "PST", "Pacific", "eastern time" — but not the adjective of a place
        ("at 10 central park", "12 Pacific Coffee")."""
        hit = self.phrase(self.lex.zones, i)
        if hit is None or hit[0] != i + 1 or self.keys[i] not in _ADJECTIVE_ZONES:
            return hit
        nxt = self.key(hit[0])
        if self.kind(hit[0]) == WORD and (nxt in self.lex.place_nouns or nxt not in self.lex.known_words):
            return None
        return hit

    def zone_follows(self, j: int) -> bool:
        """Is a zone named at j, right after a bare hour ("10 ET", "tomorrow, 10 eastern time",
        "10 London time")? A name that is also a word counts in capitals ("10 PT", not "10 pt")."""
        if not self.free(j):
            return False
        hit = self.zone_at(j)
        if hit is not None:
            return hit[0] > j + 1 or self.keys[j] not in _WORDLIKE_ZONES or self.t[j].text.isupper()
        city = self.phrase(self.lex.city_zones, j)
        return city is not None and self.key(city[0]) in self.lex.zone_suffix

    def utc_offset(self, i: int) -> tuple[int, str] | None:
        """The offset after "UTC" / "GMT": "+02", "+0900", "-08:45", "+5:30" -> (end, IANA zone)."""
        sign = self.key(i)
        if sign not in ("+", "-") or not self.free(i + 1):
            return None
        tok = self.t[i + 1]
        if tok.kind == TIME:
            hours, minutes = tok.value
        elif tok.kind == NUM and len(tok.text) in (1, 2):
            hours, minutes = tok.value, 0
        elif tok.kind == NUM and len(tok.text) == 4:
            hours, minutes = divmod(tok.value, 100)
        else:
            return None
        zone = offset_zone(sign, hours, minutes)
        if zone is None and minutes and self.f.time is not None and offset_zone(sign, hours, 0):
            # "11 am UTC+02:45": no zone keeps that offset, so the time moves into the whole hours'
            # one (10:15 at UTC+2 is the same instant)
            self.f.time.offset -= (1 if sign == "+" else -1) * minutes
            zone = offset_zone(sign, hours, 0)
        return None if zone is None else (i + 2, zone)

    def zone_phrase(self, i: int) -> int | None:
        """"London time", "in Tokyo time", "Pacific time" anywhere in the request."""
        lex = self.lex
        said = self.__dict__.get("_zone_suffix_said")
        if said is None:
            said = self._zone_suffix_said = any(k in lex.zone_suffix for k in self.keys)
        if not said:
            return None
        j = self.skip(i, lex.zone_prefix)
        for table in (lex.city_zones, lex.zones):
            hit = self.phrase(table, j)
            if hit and self.key(hit[0]) in lex.zone_suffix:
                self.f.zone = hit[1]
                return self.mark(i, hit[0] + 1)
        return None
