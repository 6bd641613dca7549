"""When a named holiday falls: one rule per holiday, `year -> its dates in that Gregorian year`.

Four families: fixed dates (Dec 25), the nth weekday of a month (4th Thursday of November),
days counted from Easter (Western or Orthodox, `dateutil.easter`), and lunar or lunisolar days
(Islamic, Hebrew, Chinese, Hindu, Buddhist) read from the `holidays` package's calendar tables,
imported on first use so a request without such a name pays nothing. A year outside a table's
range has no dates (the grammar asks instead of guessing). Those calendar classes are the
package's internal API (underscore names), hence the pin in pyproject.toml and the fallback.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import Enum
from functools import lru_cache
from importlib import import_module
from typing import Any, Callable, Iterable

from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter

Rule = Callable[[int], list[date]]
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


class Lunar(Enum):
    """The `holidays` package's calendar classes (module, class)."""

    ISLAMIC = ("holidays.calendars.islamic", "_IslamicLunar")
    HEBREW = ("holidays.calendars.hebrew", "_HebrewLunisolar")
    CHINESE = ("holidays.calendars.chinese", "_ChineseLunisolar")
    HINDU = ("holidays.calendars.hindu", "_HinduLunisolar")
    BUDDHIST = ("holidays.calendars.buddhist", "_BuddhistLunisolar")


def fixed(month: int, day: int) -> Rule:
    def rule(year: int) -> list[date]:
        return [date(year, month, day)] if day <= calendar.monthrange(year, month)[1] else []
    return rule


def nth_weekday(month: int, weekday: int, n: int, shift: int = 0) -> Rule:
    """The nth (1..5, -1 = last) weekday of a month, plus `shift` days (Black Friday: Thanksgiving + 1)."""
    def rule(year: int) -> list[date]:
        return [nth_weekday_of(year, month, weekday, n) + timedelta(days=shift)]
    return rule


def nth_weekday_of(year: int, month: int, weekday: int, n: int) -> date:
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-n - 1))


def weekday_before(month: int, day: int, weekday: int, shift: int = 0) -> Rule:
    """The last `weekday` strictly before month/day (Victoria Day: the Monday before May 25)."""
    def rule(year: int) -> list[date]:
        d = date(year, month, day) - timedelta(days=1)
        return [d - timedelta(days=(d.weekday() - weekday) % 7) + timedelta(days=shift)]
    return rule


def from_easter(offset: int, orthodox: bool = False) -> Rule:
    method = EASTER_ORTHODOX if orthodox else EASTER_WESTERN

    def rule(year: int) -> list[date]:
        return [easter(year, method) + timedelta(days=offset)]
    return rule


def nearest_weekday(month: int, day: int) -> Rule:
    """A fixed date moved off a weekend to the nearest weekday (Boss's Day, Oct 16)."""
    def rule(year: int) -> list[date]:
        d = date(year, month, day)
        return [d + timedelta(days={5: -1, 6: 1}.get(d.weekday(), 0))]
    return rule


def kings_day(year: int) -> list[date]:
    """Koningsdag: April 27 (a Sunday moves it to the 26th); Queen's Day April 30 before 2014."""
    if year < 2014:
        d = date(year, 4, 30)
        return [d - timedelta(days=1) if d.weekday() == SUN else d]
    d = date(year, 4, 27)
    return [d - timedelta(days=1) if d.weekday() == SUN else d]


def parsi_new_year(year: int) -> list[date]:
    """Navroz of the Shahenshahi calendar: its 365-day year drifts a day every four Gregorian years."""
    return [date(2018, 8, 17) + timedelta(days=365 * (year - 2018))]


def election_day(year: int) -> list[date]:
    """US Election Day: the Tuesday after the first Monday of November."""
    return [nth_weekday_of(year, 11, MON, 1) + timedelta(days=1)]


def advent(n: int, shift: int = 0) -> Rule:
    """The nth Sunday of Advent (the 4th is the last Sunday before Christmas), plus `shift` days."""
    def rule(year: int) -> list[date]:
        eve = date(year, 12, 24)
        fourth = eve - timedelta(days=(eve.weekday() - SUN) % 7)
        return [fourth - timedelta(weeks=4 - n) + timedelta(days=shift)]
    return rule


def after_nth(month: int, weekday: int, n: int, then: int) -> Rule:
    """The first `then` weekday after the nth `weekday` of a month (Grandparents Day)."""
    def rule(year: int) -> list[date]:
        d = nth_weekday_of(year, month, weekday, n)
        return [d + timedelta(days=(then - d.weekday()) % 7 or 7)]
    return rule


def lunar(family: Lunar, method: str, shift: int = 0) -> Rule:
    """A day from one of the `holidays` package's calendars, e.g. (HEBREW, "yom_kippur_date")."""
    def rule(year: int) -> list[date]:
        try:
            found = getattr(_calendar(family), method)(year)
        except (ImportError, AttributeError, KeyError, ValueError, OverflowError):
            return []                   # the package's calendar moved or ends: ask, never crash
        return sorted(d + timedelta(days=shift) for d in _dates(found) if d.year == year)
    return rule


@lru_cache(maxsize=None)
def _calendar(family: Lunar) -> Any:
    module, cls = family.value
    return getattr(import_module(module), cls)()


def _dates(found: Any) -> Iterable[date]:
    """The package's answers come as a date, (date | None, estimated), a set of dates or an
    iterable of (date, estimated): every date in them."""
    if found is None:
        return ()
    if isinstance(found, date):
        return (found,)
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[1], bool):
        return (found[0],) if isinstance(found[0], date) else ()
    out = []
    for x in found:
        d = x[0] if isinstance(x, tuple) else x
        if isinstance(d, date):
            out.append(d)
    return out


def occurrences(rule: Rule, year: int) -> list[date]:
    """The holiday's dates in a Gregorian year (none past the calendar's range)."""
    if not 1 < year < 9999:
        return []
    try:
        return rule(year)
    except (ValueError, OverflowError):
        return []
