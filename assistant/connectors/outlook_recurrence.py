"""Repeat rules as Outlook keeps them: an RRULE → Graph's patternedRecurrence (`graph_recurrence`), and a
series' pattern moved with its start (`moved_recurrence`).

Graph knows daily, weekly on days, monthly on a day or "the second Tuesday", and yearly, with an
interval and a count or an end date; anything else is an `UnsupportedRule` whose message says why.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any

from assistant.connectors.outlook_times import UTC, windows_zone
from assistant.core import weekdays
from assistant.core.recurrence import normalize_rule

DAYS = {code: name.lower() for code, name in zip(weekdays.RRULE, weekdays.NAMES)}
"""RRULE weekday codes → Graph's dayOfWeek values ("MO" → "monday")."""


INDEX = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")


RULE_PARTS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"})


class UnsupportedRule(ValueError):
    """An RRULE Outlook's patternedRecurrence cannot express; the message says why."""


def _ints(value: str | None, name: str) -> list[int]:
    if not value:
        return []
    try:
        return [int(v) for v in value.split(",")]
    except ValueError:
        raise UnsupportedRule(f"{name} cannot be read") from None


def _one(values: list[int], name: str, low: int, high: int) -> int | None:
    if not values:
        return None
    if len(values) > 1:
        raise UnsupportedRule(f"several {name} values")
    if not low <= values[0] <= high:
        raise UnsupportedRule(f"{name}={values[0]}")
    return values[0]


def graph_recurrence(rule: str, start: datetime | date, zone: Any) -> dict:
    """Graph's patternedRecurrence for an RRULE whose first occurrence is `start` (a local date for
    all-day series, else an aware time in the series' zone). Raises UnsupportedRule."""
    parts: dict[str, str] = {}
    for piece in normalize_rule(rule).split(";"):
        if not piece.strip():
            continue
        key, sep, value = piece.partition("=")
        key = key.strip().upper()
        if not sep or not value.strip():
            raise UnsupportedRule("it cannot be read")
        if key in parts:
            raise UnsupportedRule(f"{key} appears twice")
        parts[key] = value.strip().upper()
    unknown = sorted(set(parts) - RULE_PARTS)
    if unknown:
        raise UnsupportedRule(f"it uses {', '.join(unknown)}")
    first = start.astimezone(zone).date() if isinstance(start, datetime) else start
    freq = parts.get("FREQ")
    interval = _one(_ints(parts.get("INTERVAL"), "INTERVAL"), "INTERVAL", 1, 99) or 1
    byday: list[tuple[int | None, str]] = []
    for code in filter(None, (parts.get("BYDAY") or "").split(",")):
        match = _BYDAY.match(code.strip())
        if not match:
            raise UnsupportedRule(f"BYDAY={code}")
        byday.append((int(match.group(1)) if match.group(1) else None, match.group(2)))
    monthdays = _ints(parts.get("BYMONTHDAY"), "BYMONTHDAY")
    months = _ints(parts.get("BYMONTH"), "BYMONTH")
    setpos = _ints(parts.get("BYSETPOS"), "BYSETPOS")
    week_start = DAYS.get(parts.get("WKST", "MO"))
    if week_start is None:
        raise UnsupportedRule(f"WKST={parts['WKST']}")
    plain_days = [DAYS[d] for o, d in byday if o is None]
    ordinals = [o for o, _ in byday if o is not None]

    if freq == "DAILY":
        if monthdays or months or setpos or ordinals:
            raise UnsupportedRule("a daily rule with BYMONTHDAY, BYMONTH, BYSETPOS or numbered days")
        if byday:
            if interval != 1:
                raise UnsupportedRule("every few days on chosen weekdays")
            pattern = {"type": "weekly", "interval": 1, "daysOfWeek": plain_days, "firstDayOfWeek": week_start}
        else:
            pattern = {"type": "daily", "interval": interval}
    elif freq == "WEEKLY":
        if monthdays or months or setpos or ordinals:
            raise UnsupportedRule("a weekly rule with BYMONTHDAY, BYMONTH, BYSETPOS or numbered days")
        days = plain_days or [DAYS[weekdays.RRULE[first.weekday()]]]
        pattern = {"type": "weekly", "interval": interval, "daysOfWeek": days, "firstDayOfWeek": week_start}
    elif freq in ("MONTHLY", "YEARLY"):
        month = None
        if freq == "YEARLY":
            month = _one(months, "BYMONTH", 1, 12) or first.month
        elif months:
            raise UnsupportedRule("a monthly rule limited to some months")
        if byday:
            if monthdays:
                raise UnsupportedRule("both BYDAY and BYMONTHDAY")
            index, days = _relative(byday, setpos)
            pattern = {"type": "relativeMonthly" if freq == "MONTHLY" else "relativeYearly",
                       "interval": interval, "daysOfWeek": days, "index": index}
        else:
            if setpos:
                raise UnsupportedRule("BYSETPOS without BYDAY")
            day = _one(monthdays, "BYMONTHDAY", 1, 31) or first.day
            pattern = {"type": "absoluteMonthly" if freq == "MONTHLY" else "absoluteYearly",
                       "interval": interval, "dayOfMonth": day}
        if month is not None:
            pattern["month"] = month
    else:
        raise UnsupportedRule(f"FREQ={freq}" if freq else "it has no FREQ")

    span: dict[str, Any] = {"startDate": first.isoformat(), "recurrenceTimeZone": windows_zone(zone)}
    if "COUNT" in parts and "UNTIL" in parts:
        raise UnsupportedRule("both COUNT and UNTIL")
    if "COUNT" in parts:
        count = _one(_ints(parts["COUNT"], "COUNT"), "COUNT", 1, 999)
        span.update(type="numbered", numberOfOccurrences=count)
    elif "UNTIL" in parts:
        span.update(type="endDate", endDate=_until_date(parts["UNTIL"], start, zone).isoformat())
    else:
        span["type"] = "noEnd"
    return {"pattern": pattern, "range": span}


def _relative(byday: list[tuple[int | None, str]], setpos: list[int]) -> tuple[str, list[str]]:
    if setpos:
        if len(setpos) != 1 or any(o is not None for o, _ in byday):
            raise UnsupportedRule("BYSETPOS with several positions or numbered days")
        position, days = setpos[0], [DAYS[d] for _, d in byday]
    else:
        if len(byday) != 1 or byday[0][0] is None:
            raise UnsupportedRule("every such weekday of the month (not one numbered weekday)")
        position, days = byday[0][0], [DAYS[byday[0][1]]]
    if position not in INDEX:
        raise UnsupportedRule(f"the {position}. weekday of the month")
    return INDEX[position], days


def _until_date(value: str, start: datetime | date, zone: Any) -> date:
    """UNTIL as Graph's inclusive endDate: the last local date whose occurrence is not after UNTIL."""
    try:
        if len(value) == 8:
            return datetime.strptime(value, "%Y%m%d").date()
        if value.endswith("Z"):
            until = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).astimezone(zone)
        else:
            until = datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=zone)
    except ValueError:
        raise UnsupportedRule("UNTIL cannot be read") from None
    if not isinstance(start, datetime):
        return until.date()
    local = start.astimezone(zone)
    on_that_day = datetime.combine(until.date(), local.time().replace(tzinfo=None), tzinfo=zone)
    return until.date() if on_that_day <= until else until.date() - timedelta(days=1)


def moved_recurrence(recurrence: dict, old_start: datetime | None, first: date, zone: Any) -> dict:
    """A series' pattern when the whole series moves to start on `first`: its start date, and the weekday
    or day of the month that was the old start's (weekly on Monday → on the new day)."""
    moved = json.loads(json.dumps(recurrence))
    moved.setdefault("range", {})["startDate"] = first.isoformat()
    pattern = moved.get("pattern") or {}
    if old_start is None:
        return moved
    old = old_start.astimezone(zone).date()
    old_day, new_day = DAYS[weekdays.RRULE[old.weekday()]], DAYS[weekdays.RRULE[first.weekday()]]
    if pattern.get("type") == "weekly" and pattern.get("daysOfWeek") == [old_day]:
        pattern["daysOfWeek"] = [new_day]
    if pattern.get("type") in ("absoluteMonthly", "absoluteYearly") and pattern.get("dayOfMonth") == old.day:
        pattern["dayOfMonth"] = first.day
        if pattern.get("type") == "absoluteYearly" and pattern.get("month") == old.month:
            pattern["month"] = first.month
    return moved
