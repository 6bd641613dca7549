"""The date/time grammar: scan tokens for when-expressions and collect what they say.

`scan()` walks the tokens once. At each position a short list of matchers (chosen by the token)
tries to read one expression — "next Tuesday at 8:15", "from 2pm to 5:30pm", "every other
Monday", "in 2 hours", "9am Pacific" — and records it in a `Found`. Matchers never resolve
against the clock except for plain calendar facts (which year "March 24" falls in); turning the
findings into datetimes is `dates.resolve()`'s job. Tokens a matcher reads are marked as used so
the title and location extraction skip them.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from .lexicons import Lexicon
from .tokens import DEC, DOT, ISO, MER, NUM, ORD, SLASH, TIME, Token

MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(slots=True)
class TimeOfDay:
    """A clock time as said: the hour is not yet placed in am/pm unless `mer` or `explicit`."""

    hour: int
    minute: int = 0
    mer: str | None = None          # "am" / "pm" when said
    explicit: bool = False          # 24-hour form ("15:00", "07:30"): no am/pm guessing
    offset: int = 0                 # minutes added after placing the hour ("quarter to four": -15)
    strong: bool = True             # clearly a time (colon, am/pm, "at"); weak: a bare number
    midnight: bool = False


@dataclass(slots=True)
class Daypart:
    hour: int
    minute: int
    mer: str | None
    day_offset: int | None
    exact: bool


@dataclass(slots=True)
class Recurrence:
    freq: str                       # DAILY / WEEKLY / MONTHLY / YEARLY
    interval: int = 1
    byday: list[int] = field(default_factory=list)
    bymonthday: int | None = None
    nth: int | None = None          # with one weekday: 1 = first, -1 = last (MONTHLY)
    daypart: tuple[int, int, str | None] | None = None      # "every morning" -> (9, 0, "am")


@dataclass
class Found:
    """Everything the grammar read from one request."""

    dates: list[date] = field(default_factory=list)
    dom_only: bool = False          # the date was a bare day of month ("the 20th")
    weekday: tuple[int, str] | None = None     # (0..6, "bare" | "next" | "this" | "last")
    week_offset: int | None = None             # next week = 1, this week = 0, in two weeks = 2
    day_offset: int | None = None              # in 3 days
    month_offset: int | None = None
    period: tuple[date, date] | None = None    # exclusive end (this weekend, next month)
    period_name: str | None = None
    date_range: tuple[date, date] | None = None   # inclusive end (March 24 to 26)
    time: TimeOfDay | None = None
    end_time: TimeOfDay | None = None
    daypart: Daypart | None = None
    duration: int | None = None                # minutes
    offset_minutes: int | None = None          # in 2 hours (exact, from now)
    rec: Recurrence | None = None
    count: int | None = None
    until: date | None = None
    anchor: date | None = None                 # starting next week / from April 1
    zone: str | None = None
    all_day: bool = False
    question: str | None = None                # an impossible date: what to ask
    mer_hint: str | None = None                # "dinner" -> pm, "breakfast" -> am (set by the parser)
    used: list[bool] = field(default_factory=list)
    hits: int = 0                              # expressions read, for confidence

    @property
    def has_date(self) -> bool:
        return bool(self.dates or self.weekday or self.day_offset is not None
                    or self.date_range or self.month_offset is not None
                    or (self.daypart is not None and self.daypart.day_offset is not None))

    @property
    def has_time(self) -> bool:
        return self.time is not None or self.offset_minutes is not None or (
            self.daypart is not None)


class Scanner:
    """One pass of the grammar over one token list (created per request; not shared)."""

    def __init__(self, toks: list[Token], lex: Lexicon, today: date) -> None:
        self.t = toks
        self.keys = [t.key for t in toks]
        self.alt = [t.base for t in toks]
        self.n = len(toks)
        self.lex = lex
        self.today = today
        self.f = Found(used=[False] * len(toks))

    # -- helpers ---------------------------------------------------------------------------

    def key(self, i: int) -> str:
        return self.keys[i] if 0 <= i < self.n else ""

    def kind(self, i: int) -> str:
        return self.t[i].kind if 0 <= i < self.n else ""

    def free(self, i: int) -> bool:
        return 0 <= i < self.n and not self.f.used[i]

    def skip(self, i: int, words: frozenset[str]) -> int:
        """Index after an optional word from `words` at i."""
        return i + 1 if self.free(i) and self.keys[i] in words else i

    def skip_comma(self, i: int) -> int:
        return i + 1 if self.key(i) == "," else i

    def phrase(self, table, i: int) -> tuple[int, object] | None:
        if not self.free(i):
            return None
        return table.match(self.keys, i, self.alt)

    def mark(self, i: int, j: int) -> int:
        for k in range(i, j):
            self.f.used[k] = True
        self.f.hits += 1
        return j

    # -- the scan --------------------------------------------------------------------------

    def scan(self, start: int = 0, stop: int | None = None) -> Found:
        stop = self.n if stop is None else stop
        i = start
        while i < stop:
            if self.f.used[i]:
                i += 1
                continue
            j = self.match_at(i)
            i = j if j is not None and j > i else i + 1
        return self.f

    def match_at(self, i: int) -> int | None:
        for matcher in (self.recurrence, self.ranges, self.until_or_anchor, self.offset,
                        self.duration, self.zone_phrase, self.time_with_prep, self.date_with_prep,
                        self.week_period, self.daypart, self.all_day):
            j = matcher(i)
            if j is not None:
                return j
        return None

    # -- times -----------------------------------------------------------------------------

    def time_expr(self, i: int, relaxed: bool = False) -> tuple[int, TimeOfDay] | None:
        """A clock time at i. `relaxed` (after "at", in a range) also accepts a bare hour."""
        if not self.free(i):
            return None
        tok = self.t[i]
        lex = self.lex
        k = tok.key
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
        if h > 24 or minute > 59:
            return None
        if mer or oclock or relaxed:
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
            # British "half eight" = 8:30
            end, mer = self.meridiem(j + 1)
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
        if self.kind(j + 1) != NUM or not 1 <= self.t[j + 1].value <= 12 or minutes >= 60:
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
        hit = self.phrase(lex.zones, i)
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

    # -- dates -----------------------------------------------------------------------------

    def date_with_prep(self, i: int) -> int | None:
        """"on Friday", "March 24", "the 20th", "12.03", "3/30", "tomorrow", "next Tuesday"."""
        lex = self.lex
        j = i
        if self.keys[i] in lex.on and self.free(i + 1):
            j = i + 1
        hit = self.date_expr(j)
        if hit is None:
            return None
        end = hit
        # "Friday 3" / "tomorrow 8": a bare hour right after a date is a time.
        if self.f.time is None and self.kind(end) == NUM and 1 <= self.t[end].value <= 12 \
                and not self.t[end].spoken and self.key(end + 1) not in self.lex.units \
                and self.kind(end + 1) not in (NUM, ORD, MER) and self.key(end + 1) not in self.lex.months \
                and self.key(end + 1) not in self.lex.range_to:
            self.f.time = TimeOfDay(self.t[end].value, strong=False)
            end += 1
        return self.mark(i, end)

    def date_expr(self, i: int) -> int | None:
        """Read one date at i and record it; the index after it, or None."""
        if not self.free(i):
            return None
        for reader in (self.relative_day, self.weekday_expr, self.month_day, self.day_month,
                       self.numeric_date, self.ordinal_day):
            j = reader(i)
            if j is not None:
                return j
        return None

    def add_date(self, d: date) -> None:
        self.f.dates.append(d)

    def relative_day(self, i: int) -> int | None:
        hit = self.phrase(self.lex.relative_days, i)
        if hit is None:
            j = self.skip(i, self.lex.the)
            hit = self.phrase(self.lex.relative_days, j) if j > i else None
            if hit is None:
                return None
        j, offset = hit
        self.add_date(self.today + timedelta(days=offset))
        return j

    def weekday_expr(self, i: int) -> int | None:
        """[next|this|last] <weekday> [next week|this week] [, <date>]."""
        lex = self.lex
        mode = "bare"
        j = i
        hit = self.phrase(lex.next, j)
        if hit:
            mode, j = hit[1], hit[0]
        elif self.keys[i] in lex.this:
            mode, j = "this", i + 1
        elif self.keys[i] in lex.prev:
            mode, j = "last", i + 1
        if not self.free(j):
            return None
        wd = lex.weekdays.get(self.keys[j], lex.weekdays.get(self.alt[j]))
        if wd is None:
            return None
        if self.keys[j] in ("sun", "sat", "wed", "mar") and not self.t[j].cap and mode == "bare":
            return None
        j += 1
        if self.key(j) == ".":
            j += 1
        # "Tuesday next week"
        week = self.week_words_at(j)
        if week and week[1][0] == "week":
            self.f.week_offset = week[1][1]
            j = week[0]
        # "Wednesday, March 11": the date decides; a mismatch is a question.
        k = self.skip_comma(j)
        k = self.skip(k, lex.the)
        before = len(self.f.dates)
        end = self.month_day(k) or self.day_month(k) or self.numeric_date(k) or self.ordinal_day(k, True)
        if end is not None and len(self.f.dates) > before:
            d = self.f.dates[-1]
            if d.weekday() != wd and self.f.question is None:
                self.f.question = (f"{MONTH_NAMES[d.month]} {d.day} is a {WEEKDAY_NAMES[d.weekday()]}, "
                                   f"not a {WEEKDAY_NAMES[wd]} — which day did you mean?")
            return end
        if end is not None:
            return end
        if mode == "bare" and self.f.rec is None and self.another_weekday(j):
            # "Mon, Wed and Fri at 9:15": several weekdays mean every one of them
            return self.weekday_list(i, plural_start=False)
        if self.f.weekday is None:
            self.f.weekday = (wd, mode)
        return j

    def another_weekday(self, j: int) -> bool:
        """Is there ", <weekday>" / "and <weekday>" at j?"""
        k = j + 1 if self.key(j) == "," else j
        k = k + 1 if self.key(k) in self.lex.and_ else k
        return k > j and self.free(k) and self.key(k) in self.lex.weekdays

    def week_words_at(self, i: int) -> tuple[int, tuple[str, int]] | None:
        """"next week" -> (end, ("week", 1)), "this weekend" -> ("weekend", 0), "last month"."""
        lex = self.lex
        if not self.free(i):
            return None
        hit = self.phrase(lex.next, i)
        if hit:
            offset, j = 1, hit[0]
        elif self.keys[i] in lex.this:
            offset, j = 0, i + 1
        elif self.keys[i] in lex.prev:
            offset, j = -1, i + 1
        elif self.keys[i] in lex.the and self.key(i + 1) == "weekend":
            offset, j = 0, i + 1
        else:
            return None
        unit = lex.week_words.get(self.key(j)) if self.free(j) else None
        if unit is None:
            return None
        return j + 1, (unit, offset)

    def month_day(self, i: int) -> int | None:
        """"March 24", "Mar 24th", "March the 24th", "March 24, 2026", "March twenty fourth"."""
        lex = self.lex
        month = lex.months.get(self.key(i)) if self.free(i) else None
        if month is None:
            return None
        j = self.skip(i + 1, frozenset({"."}))
        j = self.skip(j, lex.the)
        if self.kind(j) not in (NUM, ORD) or not self.free(j):
            return None
        day = self.t[j].value
        if self.kind(j) == NUM and (self.key(j + 1) in lex.units or self.kind(j + 1) in (MER,) or self.key(j + 1) == ":"):
            return None
        if self.key(i) in lex.ambiguous_months and not self.t[i].cap and self.kind(j) == NUM and self.key(i - 1) not in lex.on:
            return None
        j += 1
        year, j = self.year_at(j)
        return self.record_date(year, month, day, j)

    def day_month(self, i: int) -> int | None:
        """"24 March", "24th of March", "the 24th of March 2026"."""
        lex = self.lex
        j = self.skip(i, lex.the)
        if self.kind(j) not in (NUM, ORD) or not self.free(j):
            return None
        day = self.t[j].value
        k = self.skip(j + 1, lex.of)
        k = self.skip(k, frozenset({"."}))
        month = lex.months.get(self.key(k)) if self.free(k) else None
        if month is None:
            return None
        if self.key(k) in lex.ambiguous_months and not self.t[k].cap and self.kind(j) == NUM:
            return None
        year, end = self.year_at(k + 1)
        return self.record_date(year, month, day, end)

    def year_at(self, i: int) -> tuple[int | None, int]:
        j = self.skip_comma(i)
        if self.kind(j) == NUM and 1900 <= self.t[j].value <= 2200 and len(self.t[j].text) == 4:
            return self.t[j].value, j + 1
        return None, i

    def numeric_date(self, i: int) -> int | None:
        """"12.03" / "12.03.2026" (day first), "3/30" (month first unless impossible), ISO."""
        if not self.free(i):
            return None
        tok = self.t[i]
        if tok.kind == ISO:
            y, m, d = tok.value
            return self.record_date(y, m, d, i + 1)
        if tok.kind == DOT:
            a, b, c, _trail = tok.value
            day, month = int(a), int(b)
            if self.key(i + 1) in self.lex.units:
                return None
            year = self.full_year(c)
            return self.record_date(year, month, day, i + 1)
        if tok.kind == SLASH:
            m, d, y = tok.value
            if m > 12 and d <= 12:
                m, d = d, m
            return self.record_date(self.full_year(y), m, d, i + 1)
        return None

    @staticmethod
    def full_year(value: str | int | None) -> int | None:
        if value is None:
            return None
        y = int(value)
        return y + 2000 if y < 100 else y

    def ordinal_day(self, i: int, after_weekday: bool = False) -> int | None:
        """"the 20th", "on the 1st", "20th" — a day of this month (next month once it passed)."""
        lex = self.lex
        j = self.skip(i, lex.the)
        if self.kind(j) != ORD or not self.free(j):
            return None
        if j == i and self.key(i - 1) not in lex.on and not after_weekday:
            # a bare "2nd" without "on"/"the" is too vague ("2nd floor")
            return None
        day = self.t[j].value
        end = j + 1
        if self.key(end) in lex.of and (self.key(end + 1) in self.lex.every.single
                                        or self.key(end + 1) in lex.the) and self.key(end + 2) == "month":
            self.f.rec = self.f.rec or Recurrence("MONTHLY")
            self.f.rec.bymonthday = day
            return end + 3
        if self.kind(end) in (NUM, MER) or self.key(end) in lex.units or self.key(end) in self.lex.weekdays:
            return None
        if not 1 <= day <= 31:
            self.f.question = f"There is no day {day} in a month — which date did you mean?"
            return end
        year, month = self.today.year, self.today.month
        if day < self.today.day:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        self.f.dom_only = True
        return self.record_date(year, month, day, end, dom=True)

    def record_date(self, year: int | None, month: int, day: int, end: int, dom: bool = False) -> int:
        """Store a calendar date (this year, or next once it passed); impossible -> a question."""
        if not 1 <= month <= 12:
            self.f.question = f"There is no month {month} — which date did you mean?"
            return end
        y = year if year is not None else self.today.year
        last = calendar.monthrange(y, month)[1]
        if not 1 <= day <= last:
            leap = f" in {y}" if month == 2 else ""
            self.f.question = f"{MONTH_NAMES[month]} has {last} days{leap} — which date did you mean?"
            return end
        d = date(y, month, day)
        if year is None and d < self.today and not dom:
            y2 = y + 1
            if day > calendar.monthrange(y2, month)[1]:
                self.f.question = f"{MONTH_NAMES[month]} has {calendar.monthrange(y2, month)[1]} days in {y2} — which date did you mean?"
                return end
            d = date(y2, month, day)
        self.add_date(d)
        return end

    # -- weeks, months, parts of the day ------------------------------------------------------

    def week_period(self, i: int) -> int | None:
        """"next week", "this weekend", "next month", "end of the month", "weekend"."""
        lex = self.lex
        j = self.skip(i, lex.on) if self.key(i) in lex.on else i
        if self.keys[i] in lex.in_ and self.key(i + 1) in lex.the:
            j = i + 1
        hit = self.week_words_at(j)
        if hit:
            end, (unit, offset) = hit
            self.apply_week_unit(unit, offset)
            # "next week on Tuesday" / "next week Tuesday"
            k = self.skip(end, lex.on)
            wd = lex.weekdays.get(self.key(k)) if self.free(k) else None
            if wd is not None and unit == "week":
                self.f.weekday = (wd, "bare")
                end = k + 1
            return self.mark(i, end)
        if self.key(j) == "weekend" and self.free(j):
            self.apply_week_unit("weekend", 0)
            return self.mark(i, j + 1)
        return self.end_of(i)

    def apply_week_unit(self, unit: str, offset: int) -> None:
        today = self.today
        monday = today - timedelta(days=today.weekday())
        if unit == "week":
            self.f.week_offset = offset
            start = monday + timedelta(weeks=offset)
            self.f.period = (max(start, today) if offset == 0 else start, start + timedelta(days=7))
            self.f.period_name = "week"
        elif unit == "weekend":
            saturday = monday + timedelta(days=5 + 7 * offset)
            self.f.period = (max(saturday, today), saturday + timedelta(days=2))
            self.f.period_name = "weekend"
        elif unit == "month":
            first = add_months(today.replace(day=1), offset)
            self.f.month_offset = offset
            self.f.period = (max(first, today) if offset == 0 else first, add_months(first, 1))
            self.f.period_name = "month"
        elif unit == "year":
            first = date(today.year + offset, 1, 1)
            self.f.period = (max(first, today) if offset == 0 else first, date(first.year + 1, 1, 1))
            self.f.period_name = "year"

    def end_of(self, i: int) -> int | None:
        """"end of the month", "end of next week" -> that last day."""
        lex = self.lex
        j = self.skip(i, lex.the)
        if self.key(j) != "end" or self.key(j + 1) not in lex.of or not self.free(j):
            return None
        k = self.skip(j + 2, lex.the)
        hit = self.week_words_at(k)
        if hit:
            end, (unit, offset) = hit
        elif self.key(k) in ("month", "week"):
            end, unit, offset = k + 1, self.key(k), 0
        else:
            return None
        today = self.today
        if unit == "month":
            first = add_months(today.replace(day=1), offset)
            self.add_date(add_months(first, 1) - timedelta(days=1))
        elif unit == "week":
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
            self.add_date(max(today, monday + timedelta(days=4)))
        else:
            return None
        return self.mark(i, end)

    def daypart(self, i: int) -> int | None:
        lex = self.lex
        hit = self.phrase(lex.dayparts, i)
        if hit is None:
            return None
        j, (h, m, mer, day_offset) = hit
        self.f.daypart = Daypart(h, m, mer, day_offset, self.keys[i] in lex.exact_dayparts)
        # "this evening 6:30", "tonight at 11"
        if self.f.time is None:
            k = self.skip(j, lex.at)
            t = self.time_expr(k, relaxed=True)
            if t and (k > j or self.t[k].kind in (TIME, DOT) or t[1].mer):
                self.f.time = t[1]
                j = t[0]
        return self.mark(i, j)

    def all_day(self, i: int) -> int | None:
        hit = self.phrase(self.lex.all_day, i)
        if hit is None:
            return None
        self.f.all_day = True
        return self.mark(i, hit[0])

    # -- amounts of time --------------------------------------------------------------------

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
        if tok.kind == NUM:
            qty: float = tok.value
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
            if self.kind(j) == NUM and self.key(j + 1) in lex.times_words:
                self.f.count = self.t[j].value
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

    # -- ranges, until, starting -----------------------------------------------------------

    def ranges(self, i: int) -> int | None:
        """"from 2pm to 5:30pm", "between 2 and 4", "from March 30 to April 3", "March 24 to 26"."""
        lex = self.lex
        k = self.keys[i]
        between = k in lex.between
        j = i + 1 if (k in lex.from_ or between) else i
        connectors = lex.and_ if between else lex.range_to
        # time range
        t1 = self.time_expr(j, relaxed=j > i)
        if t1 and self.key(t1[0]) in connectors:
            t2 = self.time_expr(t1[0] + 1, relaxed=True)
            if t2 and (j > i or t1[1].mer or t2[1].mer or self.kind(j) == TIME):
                self.f.time, self.f.end_time = t1[1], t2[1]
                end = self.zone_after(t2[0])
                return self.mark(i, end)
        # date range: a full date, then a full date or a bare day of the same month
        if not (self.kind(j) in (NUM, ORD, DOT, SLASH, ISO) or self.key(j) in lex.months
                or self.key(j) in lex.weekdays or self.key(j) in lex.the):
            return None
        saved = (list(self.f.dates), self.f.weekday, self.f.question)
        d_end = self.month_day(j) or self.day_month(j) or self.numeric_date(j) or self.weekday_only(j)
        if d_end is None:
            self.f.dates, self.f.weekday, self.f.question = saved
            return None
        if self.key(d_end) not in connectors:
            self.f.dates, self.f.weekday, self.f.question = saved
            return None
        first = self.f.dates[-1] if len(self.f.dates) > len(saved[0]) else None
        m = d_end + 1
        m = self.skip(m, lex.the)
        second_end = self.month_day(m) or self.day_month(m) or self.numeric_date(m) or self.weekday_only(m)
        if second_end is None and first is not None and self.kind(m) in (NUM, ORD):
            day = self.t[m].value
            try:
                second = first.replace(day=day)
                if second < first:      # "March 30 to 2" runs into the next month
                    second = add_months(first.replace(day=1), 1).replace(day=day)
            except ValueError:
                self.f.question = f"{MONTH_NAMES[first.month]} has {calendar.monthrange(first.year, first.month)[1]} days — which date did you mean?"
                return self.mark(i, m + 1)
            self.f.dates = saved[0] + [first]
            self.f.date_range = (first, second)
            return self.mark(i, m + 1)
        if second_end is None:
            self.f.dates, self.f.weekday, self.f.question = saved
            return None
        if self.f.question:
            return self.mark(i, second_end)
        got = self.f.dates[len(saved[0]):]
        if len(got) == 2:
            a, b = got
            if self.key(m) in lex.weekdays:
                b = a + timedelta(days=(b.weekday() - a.weekday()) % 7)
            if b < a:
                b = b.replace(year=b.year + 1) if not (b.month == 2 and b.day == 29) else b
            self.f.dates = saved[0] + [a]
            self.f.date_range = (a, b)
        return self.mark(i, second_end)

    def weekday_only(self, i: int) -> int | None:
        """A weekday inside a range ("Monday to Wednesday"): resolved to its next date."""
        wd = self.lex.weekdays.get(self.key(i)) if self.free(i) else None
        if wd is None:
            return None
        self.add_date(next_weekday(self.today, wd, "bare"))
        return i + 1

    def until_or_anchor(self, i: int) -> int | None:
        """"until 5pm" (an end time), "until April 30" (last repetition), "starting next week"."""
        lex = self.lex
        k = self.keys[i]
        if k in lex.until:
            t = self.time_expr(i + 1, relaxed=True)
            if t and self.f.time is not None and self.f.end_time is None:
                self.f.end_time = t[1]
                return self.mark(i, t[0])
            saved, saved_wd = list(self.f.dates), self.f.weekday
            end = self.date_expr(i + 1)
            if end is not None and len(self.f.dates) > len(saved):
                self.f.until = self.f.dates.pop()
                return self.mark(i, end)
            if end is not None and self.f.weekday != saved_wd and self.f.weekday:
                self.f.until = next_weekday(self.today, *self.f.weekday)
                self.f.weekday = saved_wd
                return self.mark(i, end)
            self.f.dates, self.f.weekday = saved, saved_wd
            return None
        if k in lex.starting:
            j = i + 1
            hit = self.week_words_at(j)
            if hit:
                end, (unit, offset) = hit
                today = self.today
                if unit == "week":
                    self.f.anchor = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
                elif unit == "month":
                    self.f.anchor = add_months(today.replace(day=1), offset)
                else:
                    return None
                return self.mark(i, end)
            if k == "from" and self.f.rec is None:
                return None
            saved = list(self.f.dates)
            saved_wd = self.f.weekday
            j = self.skip(j, lex.on)
            end = self.date_expr(j)
            if end is None:
                return None
            if len(self.f.dates) > len(saved):
                self.f.anchor = self.f.dates.pop()
            elif self.f.weekday and self.f.weekday != saved_wd:
                wd, mode = self.f.weekday
                self.f.anchor = next_weekday(self.today, wd, mode)
                self.f.weekday = saved_wd
            return self.mark(i, end)
        return None

    # -- recurrence ------------------------------------------------------------------------

    def recurrence(self, i: int) -> int | None:
        lex = self.lex
        k = self.keys[i]
        if k in lex.on and (self.key(i + 1) in lex.weekday_plurals or self.key(i + 1) in lex.weekday_sets):
            end = self.weekday_list(i + 1, plural_start=True)
            return self.mark(i, end) if end else None
        hit = self.phrase(lex.daily, i)
        if hit:
            end, spec = hit
            spec, _, days = spec.partition(":")
            freq, _, part = spec.partition("@")
            freq, _, interval = freq.partition("/")
            self.set_rec(freq, int(interval or 1))
            if days:
                self.f.rec.byday = [int(d) for d in days.split(",")]
            if part:
                self.f.rec.daypart = self.daypart_clock(part)
            # "weekly on Mondays", "monthly on the 15th"
            return self.mark(i, end)
        if k in lex.weekday_plurals or (k in lex.weekday_sets and k.endswith("s")):
            end = self.weekday_list(i, plural_start=True)
            return self.mark(i, end) if end else None
        every = self.phrase(lex.every, i)
        if every is None:
            return None
        return self.every_expr(i, every[0])

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
        if self.key(j) in lex.other:
            interval, j = 2, j + 1
        elif self.kind(j) == NUM and self.t[j].value > 0:
            interval, j = self.t[j].value, j + 1
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
        if self.key(j) in lex.of and (self.key(j + 1) in lex.the or self.key(j + 1) in lex.every.single) \
                and self.key(j + 2) == "month":
            return j + 3
        if self.key(j) == "monthly":
            return j + 1
        return None

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


def add_months(d: date, months: int) -> date:
    """The same day `months` later, clamped to the month's length."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def next_weekday(today: date, wd: int, mode: str, week_offset: int | None = None) -> date:
    """Resolve a weekday by the README's rules.

    bare: the next such day after today (today's own weekday -> next week);
    next: that day in next week (weeks start Monday); this: this week's; last: the previous one.
    With a week offset ("in two weeks on Tuesday", "Tuesday next week"): that week's day.
    """
    monday = today - timedelta(days=today.weekday())
    if week_offset is not None:
        return monday + timedelta(weeks=week_offset, days=wd)
    if mode == "next":
        return monday + timedelta(weeks=1, days=wd)
    if mode == "this":
        return monday + timedelta(days=wd)
    if mode == "last":
        delta = (today.weekday() - wd) % 7 or 7
        return today - timedelta(days=delta)
    delta = (wd - today.weekday()) % 7 or 7
    return today + timedelta(days=delta)


def scan(toks: list[Token], lex: Lexicon, today: date, start: int = 0, stop: int | None = None,
         used: list[bool] | None = None) -> Found:
    """Run the grammar over toks[start:stop]; `used` marks tokens other steps already own."""
    s = Scanner(toks, lex, today)
    if used is not None:
        s.f.used = list(used)
    return s.scan(start, stop)


__all__ = ["Found", "TimeOfDay", "Daypart", "Recurrence", "scan", "next_weekday", "add_months",
           "MONTH_NAMES", "WEEKDAY_NAMES"]
