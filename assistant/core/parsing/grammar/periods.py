"""Spans named by words: "next week", "this weekend", "next month", "end of the month",
parts of the day ("tomorrow morning", "tonight at 9") and "all day".
"""
from __future__ import annotations

from datetime import date, timedelta

from ..tokens import DOT, NUM, ORD, TIME
from .base import ScannerBase
from .period_units import current_season, season_span, shift_season
from .found import Daypart, Recurrence, add_months, next_weekday


class PeriodGrammar(ScannerBase):
    """The periods matchers of `Scanner`; see `scanner.py` for how they are combined."""

    def week_words_at(self, i: int) -> tuple[int, tuple[str, int]] | None:
        """"next week" -> (end, ("week", 1)), "this weekend" -> ("weekend", 0), "last month"."""
        lex = self.lex
        if not self.free(i):
            return None
        beyond = self.unit_after_next(i)
        if beyond is not None:
            return beyond
        hit = self.phrase(lex.next, i)
        past = self.phrase(lex.period_prev, i) or ((i + 1, True) if self.keys[i] in lex.prev else None)
        current = self.phrase(lex.current, i)
        if hit:
            offset, j = 1, hit[0]
        elif past:
            offset, j = -1, past[0]         # "last week", "this past weekend", "the previous month"
        elif self.keys[i] in lex.this:
            offset, j = 0, i + 1
        elif current:
            offset, j = 0, current[0]
        elif self.keys[i] in lex.the and self.the_week(i + 1) or self.keys[i] in lex.own:
            offset, j = 0, i + 1            # "the weekend", "the week", "my week" = this one
        else:
            return None
        unit = lex.week_words.get(self.key(j)) if self.free(j) else None
        if unit is None:
            return None
        compound = self.week_end(j) if unit == "week" else None
        if compound is not None:
            return compound, ("weekend", offset)
        return j + 1, (unit, offset)

    def unit_after_next(self, i: int) -> tuple[int, tuple[str, int]] | None:
        """"the week after next" -> (end, ("week", 2)), "the month before last" -> ("month", -2)."""
        lex = self.lex
        j = self.skip(i, lex.the)
        unit = lex.week_words.get(self.key(j)) if self.free(j) else None
        if unit is None:
            return None
        k = self.key(j + 1)
        if k in lex.after and self.key(j + 2) == "next":
            return j + 3, (unit, 2)
        if k in lex.anchor_before and self.key(j + 2) in lex.last_words:
            return j + 3, (unit, -2)
        return None

    def week_end(self, j: int) -> int | None:
        """"week-end", "week end" (not "the week end of …" nor "week end-to-end") -> index after."""
        if self.key(j + 1) == "-" and self.key(j + 2) == "end" and self.t[j + 1].start == self.t[j].end \
                and self.t[j + 2].start == self.t[j + 1].end and self.free(j + 2):
            return j + 3
        if self.key(j + 1) == "end" and self.free(j + 1) and self.key(j + 2) not in self.lex.of \
                and self.key(j + 2) != "-":
            return j + 2
        return None

    def the_week(self, j: int) -> bool:
        """"the weekend" / "the week" as this one — not "the week of May 4" or "the week after"."""
        unit = self.lex.week_words.get(self.key(j))
        if unit == "weekend":
            return True
        nxt = self.key(j + 1)
        return unit == "week" and nxt not in self.lex.of and nxt not in self.lex.after \
            and nxt not in self.lex.anchor_before and nxt not in self.lex.anchor_after and self.kind(j + 1) != ORD

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
            # "next week on Tuesday" / "next week Tuesday" / "next week Wednesday to Friday"
            k = self.skip(end, lex.on)
            wd = lex.weekdays.get(self.key(k)) if self.free(k) else None
            if wd is not None and unit == "week":
                self.f.weekday = (wd, "bare")
                end = k + 1
                wd2 = lex.weekdays.get(self.key(end + 1)) if self.key(end) in lex.range_to and self.free(end + 1) else None
                if wd2 is not None:
                    first = next_weekday(self.today, wd, "bare", offset)
                    self.f.weekday = None
                    self.f.dates.append(first)
                    self.f.date_range = (first, first + timedelta(days=(wd2 - wd) % 7))
                    self.f.weekday_span = (wd, wd2)
                    end += 2
            return self.mark(i, end)
        if self.lex.week_words.get(self.key(j)) == "weekend" and self.free(j):     # "на выходные"
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
            self.f.period = (max(saturday, today) if offset == 0 else saturday, saturday + timedelta(days=2))
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
        elif unit == "quarter":
            first = add_months(today.replace(day=1, month=3 * ((today.month - 1) // 3) + 1), 3 * offset)
            self.f.period = (max(first, today) if offset == 0 else first, add_months(first, 3))
            self.f.period_name = "that quarter"
        elif unit == "fortnight":
            self.f.period = (today - timedelta(days=14), today) if offset < 0 else (today, today + timedelta(days=14))
            self.f.period_name = "then"
        elif unit == "decade" or unit == "century":
            size = 10 if unit == "decade" else 100
            first = date(today.year - today.year % size + offset * size, 1, 1)
            self.f.period = (max(first, today) if offset == 0 else first, date(first.year + size, 1, 1))
            self.f.period_name = "then"
        elif unit == "season":
            year, s = shift_season(*current_season(today), offset)
            first, end = season_span(year, s)
            self.f.period = (max(first, today) if offset == 0 else first, end)
            self.f.period_name = "that season"

    def end_of(self, i: int) -> int | None:
        """"end of the month", "end of next week", "end of April" -> that last day."""
        hit = self.end_of_expr(i)
        if hit is None:
            return None
        end, day = hit
        self.add_date(day)
        return self.mark(i, end)

    def end_of_expr(self, i: int) -> tuple[int, date] | None:
        """The last day "(the) end of <month or week>" names, without recording it."""
        lex = self.lex
        j = self.skip(i, lex.the)
        if self.key(j) != "end" or self.key(j + 1) not in lex.of or not self.free(j):
            return None
        k = self.skip(j + 2, lex.the)
        hit = self.week_words_at(k)
        if hit:
            end, (unit, offset) = hit
        elif self.key(k) in ("month", "week") and self.free(k):
            end, unit, offset = k + 1, self.key(k), 0
        else:
            month = self.month_expr(k)
            if month is None:
                return None
            end, first = month
            return end, add_months(first, 1) - timedelta(days=1)
        today = self.today
        if unit == "month":
            first = add_months(today.replace(day=1), offset)
            return end, add_months(first, 1) - timedelta(days=1)
        if unit == "week":
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
            friday = monday + timedelta(days=4)
            return end, max(today, friday) if offset >= 0 else friday
        return None

    def month_expr(self, i: int, this_by_default: bool = True) -> tuple[int, date] | None:
        """A month: "April" / "April 2027" (this year's, next year's once it is over), "next
        month", "this month", "the month" -> (index after it, its first day)."""
        lex = self.lex
        if not self.free(i):
            return None
        today = self.today
        month = lex.months.get(self.keys[i])
        if month is not None:
            if self.keys[i] in lex.ambiguous_months and not self.t[i].cap:
                return None
            year, end = self.year_at(i + 1)
            if year is None:
                year = today.year if month >= today.month else today.year + 1
            if not 1 <= year <= 9999:
                return None
            return end, date(year, month, 1)
        hit = self.week_words_at(i)
        if hit and hit[1][0] == "month":
            return hit[0], add_months(today.replace(day=1), hit[1][1])
        if this_by_default and self.keys[i] in lex.the and self.key(i + 1) == "month" and self.free(i + 1):
            return i + 2, today.replace(day=1)
        k = self.skip(i, lex.the)
        hit = self.week_words_at(k) if k > i else None
        if hit and hit[1][0] == "month":                # "the next month", "the previous month"
            return hit[0], add_months(today.replace(day=1), hit[1][1])
        return None

    def day_of_month(self, i: int) -> int | None:
        """"(on) the last day of the month", "the first day of next month", "the last day of April",
        "the 15th day of May"; "of every month" repeats (BYMONTHDAY=-1 for the last day)."""
        lex = self.lex
        j = self.skip(i, lex.on)
        j = self.skip(j, lex.the)
        if self.kind(j) == ORD and self.free(j):
            nth = self.t[j].value
            if self.key(j + 1) in lex.last_words:
                nth, j = -nth, j + 1        # "the fifth last day of May"
        elif self.key(j) in lex.last_words and self.free(j):
            nth = -1
        else:
            return None
        if self.key(j + 1) != "day" or self.key(j + 2) not in lex.of and self.key(j + 2) not in lex.in_:
            return None
        k = j + 3
        if self.key(k) in lex.every.single or self.key(k) == "each":
            if self.key(k + 1) != "month" or nth < -1:
                return None
            rec = self.f.rec if self.f.rec is not None else Recurrence("MONTHLY")
            rec.freq, rec.bymonthday = "MONTHLY", nth
            self.f.rec = rec
            return self.mark(i, k + 2)
        month = self.month_expr(k)
        if month is None or not (-31 <= nth <= 31) or nth == 0:
            return None
        end, first = month
        last = add_months(first, 1) - timedelta(days=1)
        day = last + timedelta(days=nth + 1) if nth < 0 else first + timedelta(days=nth - 1)
        if day.month != first.month:
            self.f.question = f"That month has {last.day} days — which date did you mean?"
            return self.mark(i, end)
        if day < self.today and self.key(k) in lex.the:
            # "the first day of the month" once it has passed: next month's
            first = add_months(first, 1)
            last = add_months(first, 1) - timedelta(days=1)
            day = last + timedelta(days=nth + 1) if nth < 0 else first + timedelta(days=nth - 1)
        self.add_date(day)
        return self.mark(i, end)

    def daypart(self, i: int) -> int | None:
        lex = self.lex
        hit = self.phrase(lex.dayparts, i)
        if hit is None:
            return None
        j, (h, m, mer, day_offset) = hit
        if self.keys[i] in lex.day_bound_dayparts and j == i + 1 and not self.after_day_word(i):
            return None
        self.f.daypart = Daypart(h, m, mer, day_offset, self.keys[i] in lex.exact_dayparts)
        if self.f.time is not None and self.f.end_time is None and i > 0 and self.f.used[i - 1] \
                and (self.kind(i - 1) in (NUM, TIME, DOT) or self.key(i - 1) in lex.oclock):
            self.daypart_meridiem(self.f.time, hit[1])         # "at 4 in the evening", "в 4 вечера"
        # "this evening 6:30", "tonight at 11"
        if self.f.time is None:
            k = self.skip(j, lex.at)
            t = self.time_expr(k, relaxed=True)
            if t and (k > j or self.t[k].kind in (TIME, DOT) or t[1].mer or len(self.t[k].text) in (3, 4)
                      and self.t[k].text.isdigit()):
                self.f.time = t[1]
                j = t[0]
        if self.f.zone is None:
            j = self.zone_after(j)                              # "tonight at 8 ET", "Evening JST"
        return self.mark(i, j)

    def after_day_word(self, i: int) -> bool:
        """Is the word before i a day read as a date ("tomorrow", "Friday", "sat")?"""
        k = self.key(i - 1)
        return i > 0 and self.f.used[i - 1] and (k in self.lex.relative_days or k in self.lex.weekdays)

    def all_day(self, i: int) -> int | None:
        hit = self.phrase(self.lex.all_day, i)
        if hit is None:
            return None
        self.f.all_day = True
        return self.mark(i, hit[0])
