"""Amounts of time: lengths ("for 45 minutes", "an hour and a half") and offsets from now
("in 2 hours", "in two weeks on Tuesday").
"""
from __future__ import annotations

from datetime import timedelta

from ..tokens import ALNUM, DEC, DOT, MER, NUM, PUNCT, SLASH, TIME
from .found import add_months, next_weekday
from .shifts import SIGNS, ShiftGrammar

_QUANTITIES = frozenset({NUM, DEC, DOT, SLASH, ALNUM, TIME})
_NOT_BEFORE_NOW = frozenset({"until", "till", "til", "by", "for", "since", "than", "before", "up"})
_NOT_AFTER_NOW = frozenset({"on", "that", "and", "or"})
_PLUS = frozenset({"+", "plus"})


class AmountGrammar(ShiftGrammar):
    """The amounts matchers of `Scanner`; see `scanner.py` for how they are combined."""

    def amount(self, i: int) -> tuple[int, float, str] | None:
        """"2 hours", "an hour", "half an hour", "1.5 hours", "30-minute", "an hour and a half",
        "1 hour 30 minutes", "2h", "1/2 hour", "three quarters of an hour", "2 and a half hours",
        "1d 2hr 5min", "1 day, 2 hours and 5 minutes" -> (end, minutes, unit word of the smallest
        part). Minutes are whole unless seconds were said ("in 5 seconds")."""
        hit = self.amount_parts(i)
        if hit is None:
            return None
        j, parts = hit
        return j, whole_minutes(sum(minutes for minutes, _ in parts)), parts[-1][1]

    def amount_parts(self, i: int) -> tuple[int, list[tuple[float, str]]] | None:
        """The parts of an amount (see `amount`), largest unit first: "1 year 9 months 1 day" ->
        (end, [(525600, "year"), (388800, "months"), (1440, "day")]) — for calendar arithmetic."""
        first = self.one_amount(i)
        if first is None:
            return None
        j, minutes, unit = first
        parts = [(minutes, unit)]
        per = self.lex.units.get(unit, 1)
        while True:                         # a compound: each part in a smaller unit
            k = self.skip_comma(j)
            k = self.skip(k, self.lex.and_)
            if self.whole(k) is None and self.kind(k) != DEC:
                break
            part = self.one_amount(k)
            if part is None or self.lex.units.get(part[2], 1) >= per:
                break
            j, unit = part[0], part[2]
            parts.append((part[1], unit))
            per = self.lex.units.get(unit, 1)
        return j, parts

    def one_amount(self, i: int) -> tuple[int, float, str] | None:
        """One quantity and its unit (see `amount`)."""
        lex = self.lex
        if not self.free(i):
            return None
        k = self.keys[i]
        tok = self.t[i]
        if (tok.kind not in _QUANTITIES and k not in lex.articles and k not in lex.half and k not in lex.quarter
                and k not in lex.single_units):
            return None
        if tok.kind == TIME and "h" in tok.text.lower() and (self.key(i - 1) in lex.in_ or self.key(i - 1) in lex.for_):
            hours, mins = tok.value                         # "in 1h30", "for 2h15"
            return i + 1, hours * 60 + mins, "h"
        frac = self.fraction(i)
        if frac is not None:                # "half an hour", "a quarter of an hour", "3/4h"
            j, qty = frac
            j = self.skip(j, lex.of)
            j = self.skip(j, lex.articles) if self.key(j) in lex.articles and self.key(j + 1) in lex.units else j
            per = lex.units.get(self.key(j)) if self.free(j) else None
            if per is None or per < 1:
                return None
            return j + 1, qty * per, self.keys[j]
        whole = self.whole(i)
        if whole is not None:
            qty: float = whole
        elif tok.kind == DEC:
            qty = tok.value
        elif tok.kind == DOT and len(tok.value[1]) <= 2 and tok.value[2] is None:
            qty = float(f"{tok.value[0]}.{tok.value[1]}")
        elif k in lex.articles:
            qty = 1
        elif k in lex.single_units and self.key(i + 1) not in lex.dayparts:
            return i + 1, lex.units.get(k), k        # Russian "через час", "через полчаса"
        else:
            return None
        j = i + 1
        if whole is not None and self.key(j) in lex.and_:
            more = self.fraction(j + 1)     # "2 and a half hours"
            if more is not None and self.key(more[0]) in lex.units:
                qty, j = qty + more[1], more[0]
        j = self.skip(j, lex.more)
        if self.key(j) in ("-", "–") and self.key(j + 1) in lex.units:
            j += 1
        unit = self.key(j)
        per = lex.units.get(unit) if self.free(j) else None
        if per is None and self.free(j) and self.alt[j] != unit and self.alt[j] in lex.units:
            unit = self.alt[j]                                  # "in a fortnight's time"
            per = lex.units.get(unit)
        if per is None and unit == "mon" and whole is not None and self.key(i - 1) in lex.in_:
            per, unit = lex.units.get("month"), "month"     # "in 1 mon"
        if per is None:
            return None
        if k in lex.articles and per == 1 and unit in ("m", "min"):
            return None
        minutes = qty * per
        j += 1
        # "an hour and a half", "2 hours and 30 minutes", "1 hour 30"
        if self.key(j) in lex.and_ and (self.key(j + 1) in lex.articles or self.kind(j + 1) == NUM):
            more = self.fraction(j + 1)
            if more is not None and self.key(more[0]) not in lex.units and self.key(more[0]) not in lex.of:
                minutes += per * more[1]
                j = more[0]
        if per == 60 and j < self.n:
            k2 = j + 1 if self.key(j) in lex.and_ else j
            if self.kind(k2) == NUM and self.key(k2 + 1) in ("minutes", "min", "mins", "m"):
                minutes += self.t[k2].value
                j = k2 + 2
        return j, minutes, unit

    def fraction(self, i: int) -> tuple[int, float] | None:
        """"half", "a half", "a quarter", "three quarters", "three-quarters", "1/2", "3/4" ->
        (end, the fraction); the caller reads the unit after it."""
        lex = self.lex
        if not self.free(i):
            return None
        j = i + 1 if self.keys[i] in lex.articles and self.keys[i] != "one" else i
        k = self.key(j)
        if k in lex.half:
            return j + 1, 0.5
        if k in lex.quarter:
            return j + 1, 0.25
        if j == i and self.kind(i) == NUM and self.t[i].value == 3 and self.t[i].spoken:
            q = i + 2 if self.key(i + 1) == "-" else i + 1
            if self.key(q).rstrip("s") in lex.quarter:
                return q + 1, 0.75
        tok = self.t[i]
        if j == i and tok.kind == SLASH and tok.value[2] is None and 0 < tok.value[0] < tok.value[1] <= 4:
            return i + 1, tok.value[0] / tok.value[1]
        return None

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
        if minutes <= 0 or unit == "h" and end == j + 2 and self.h_clock(j, j + 1, False):
            return None
        if minutes < 60 and (self.key(end) in lex.past or self.key(end) in lex.to_hour) and (
                self.kind(end + 1) in (NUM, TIME) or self.key(end + 1) in lex.exact_dayparts):
            return None                     # "15 minutes past 3pm" is a time, not a length
        if minutes < 60 and j == i and self.key(end) in lex.from_ and self.clock_follows(end + 1):
            return None                     # "15 minutes from 1pm" is a time too
        if minutes >= 1440 and j == i and self.keys[i] not in lex.for_ and self.f.rec is None:
            # a bare "3 days" is not a length unless "for" says so
            return None
        self.f.duration = int(round(minutes))
        return self.mark(i, end)

    def clock_follows(self, i: int) -> bool:
        """A clock time said plainly at i: "1pm", "13:00", "noon"."""
        return (self.kind(i) == TIME or self.kind(i) == NUM and self.kind(i + 1) == MER
                or self.key(i) in self.lex.exact_dayparts)

    def offset(self, i: int) -> int | None:
        """"in 2 hours", "in 3 days", "in two weeks on Tuesday", "2 hours from now", "a week ago",
        "a week from Friday", "two weeks from tomorrow", "3 Fridays from now"."""
        lex = self.lex
        k = self.keys[i]
        sign = 1
        said_now = self.now_said(i)
        if said_now is not None:
            return said_now
        if k in SIGNS:
            return self.signed_offset(i)
        at = i
        if k in lex.in_ or k in lex.after and self.key(i - 1) not in lex.the:
            j = at = self.skip(self.skip(i + 1, lex.approx), lex.approx)      # "in about ~5 hours"
            hit = self.amount(j) or (self.bare_minutes(j) if k in lex.in_ else None)
            if hit is None or k in lex.after and (self.key(hit[0]) in lex.of or self.key(hit[0]) in lex.and_):
                return None                 # "after an hour" is "in an hour"; "after 2 hours of work" is not
            end = hit[0]
            said_twice = self.phrase(lex.from_now, end) if k in lex.in_ else None
            if said_twice is not None:
                end = said_twice[0]         # "in two days from today", "in 3 weeks from now"
        elif self.key(i - 1) in lex.timer_words or k in lex.for_ and self.key(i - 2) in lex.timer_words:
            at = i + 1 if k in lex.for_ else i
            hit = self.amount(at)                       # "set a timer for 5 minutes": it rings then
            if hit is None or hit[1] <= 0:
                return None
            end = hit[0]
        else:
            hit = self.amount(i)
            if hit is None:
                return self.weekdays_from_now(i) or self.nth_unit_after(i)
            fn = self.phrase(lex.from_now, hit[0])
            if fn is not None:
                end = fn[0]
            elif self.key(hit[0]) in lex.timer_words and hit[1] < 1440:
                end = hit[0] + 1            # "a 5 minute timer"
            elif self.key(hit[0]) in lex.ago and self.free(hit[0]):
                end, sign = hit[0] + 1, -1
            elif self.key(hit[0]) == "out" and self.free(hit[0]) and (
                    hit[0] + 1 >= self.n or self.kind(hit[0] + 1) == PUNCT):
                end = hit[0] + 1            # "15 minutes out"
            else:
                return self.from_anchor(i, hit)
        parts = self.amount_parts(at)
        if parts is not None and parts[0] == hit[0] and self.mixed_amount(parts[1]):
            self.shift_by(parts[1], sign)   # "1 year 9 months 1 day from now": on the calendar
            return self.mark(i, end)
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

    def now_said(self, i: int) -> int | None:
        """"now", "right now", "ASAP", "at the moment" — but not "from now on", "until now",
        "for now", "now that", "every now and then" or the ATM on the corner."""
        hit = self.phrase(self.lex.now, i)
        if hit is None:
            return None
        before, after = self.key(i - 1), self.key(hit[0])
        if before in _NOT_BEFORE_NOW or before in self.lex.from_ or after in _NOT_AFTER_NOW:
            return None
        if self.keys[i] == "atm" and (before in self.lex.articles or before in self.lex.the or self.t[i].text == "atm"
                                      and before in self.lex.at):
            return None
        after_now = self.amount(hit[0] + 1) if after in _PLUS else None
        if after_now is not None and self.lex.units.get(after_now[2], 1) < 1440:
            self.f.offset_minutes = after_now[1]            # "now + 40 minutes", "now plus 2 hours"
            return self.mark(i, after_now[0])
        self.f.now = True
        return self.mark(i, hit[0])

    def bare_minutes(self, i: int) -> tuple[int, float, str] | None:
        """"remind me in 5", "in 15'": a bare number after "in" at the end of a reminder is minutes."""
        count = self.whole(i)
        if count is None or not 1 <= count <= 180 or self.kind(i) != NUM:
            return None
        k = self.key(i + 1)
        if k in ("'", "’"):
            return i + 2, count, "minutes"
        if k == '"':
            return i + 2, count / 60, "seconds"
        if not (i + 1 >= self.n or self.kind(i + 1) == PUNCT and k not in ("-", "–", "/", ":")):
            return None
        reminder = self.lex.kind_prefixes.get("reminder")
        if reminder is None or not any(reminder.match(self.keys, p) for p in range(min(i, 4))):
            return None
        return i + 1, count, "minutes"

    def from_anchor(self, i: int, hit: tuple[int, int, str]) -> int | None:
        """"a week from Friday" (the bare Friday + 7 days), "two weeks from tomorrow", "3 days
        after March 3", "2 days before Friday": a number of days, weeks or months from a date."""
        lex = self.lex
        j, minutes, unit = hit
        direction = self.key(j)
        if direction in lex.on and self.free(j):
            parts = self.amount_parts(i)
            return self.amount_on_weekday(i, j, parts[1]) if parts is not None and parts[0] == j else None
        if not self.free(j) or direction not in lex.anchor_after and direction not in lex.anchor_before:
            return None
        per = lex.units.get(unit, 1)
        if per < 1440:
            sign = -1 if direction in lex.anchor_before else 1
            return self.clock_shift(i, j + 1, minutes, sign)
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


def whole_minutes(minutes: float) -> float:
    """Whole minutes, unless the amount is seconds: "in 5 seconds" stays 5/60 of a minute."""
    seconds = minutes * 60
    if abs(seconds - round(seconds)) < 1e-6 and abs(minutes - round(minutes)) > 1e-6:
        return round(seconds) / 60
    return int(round(minutes))
