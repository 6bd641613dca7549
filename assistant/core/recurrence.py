"""Expansion of an RRULE into the occurrences that overlap a window. Pure.

Occurrences keep their wall-clock time across DST changes: a weekly 09:00 meeting in Europe/Berlin is
at 09:00 local before and after the switch (dateutil repeats the local fields and keeps the zone).

A series made in another zone ("every Monday at 10am New York time": the parser sets the item's
`original_tz`) repeats in *that* zone: its days and times are New York's, so from Berlin it is at
15:00 while the US is on summer time and Europe is not, and at 16:00 otherwise. Expand it with
`occurrences(..., series_zone(item.original_tz, owner_zone))`.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Iterator
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from .item import Item
from .zones import zone_or


class RecurrenceError(ValueError):
    """An RRULE that cannot be read."""


def normalize_rule(rule: str) -> str:
    """The RRULE value without a leading "RRULE:" (both spellings are accepted everywhere)."""
    rule = rule.strip()
    return rule[6:] if rule.upper().startswith("RRULE:") else rule


def parse_rule(rule: str, dtstart: datetime) -> rrule:
    try:
        parsed = rrulestr(normalize_rule(rule), dtstart=dtstart)
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"cannot read the repeat rule {rule!r}: {exc}") from None
    if not isinstance(parsed, rrule):
        raise RecurrenceError(f"cannot read the repeat rule {rule!r}")
    return parsed


def series_zone(original_tz: str | None, fallback: ZoneInfo, start: datetime | date | None = None) -> ZoneInfo:
    """The zone a series repeats in: the one the request named (`Item.original_tz`), else
    `fallback` (the owner's). All-day series (a `date` start) always repeat in `fallback`."""
    if start is not None and not isinstance(start, datetime):
        return fallback
    return zone_or(original_tz, fallback)


def in_series_zone(item: Item, fallback: ZoneInfo) -> Item:
    """A repeating item whose request named another zone ("every Monday 10am New York time"), with its
    start and end on that zone's clock, so a calendar repeats it there; any other item unchanged."""
    if not item.recurrence or not isinstance(item.start, datetime):
        return item
    zone = series_zone(item.original_tz, fallback, item.start)
    if zone is fallback:
        return item
    end = item.end.astimezone(zone) if isinstance(item.end, datetime) else item.end
    return item.with_changes(start=item.start.astimezone(zone), end=end)


def stored_zone(item: Item, fallback: ZoneInfo) -> str:
    """The zone name a stored series expands in: its start's named zone, else the owner's."""
    zone = item.start.tzinfo if item.recurrence and isinstance(item.start, datetime) else None
    return getattr(zone, "key", None) or getattr(fallback, "key", str(fallback))


def _aware_start(start: datetime | date, zone: ZoneInfo) -> datetime:
    if isinstance(start, datetime):
        return start.astimezone(zone) if start.tzinfo else start.replace(tzinfo=zone)
    return datetime(start.year, start.month, start.day, tzinfo=zone)


def occurrences(rule: str, start: datetime | date, duration: timedelta, window_start: datetime,
                window_end: datetime, zone: ZoneInfo, limit: int = 10_000) -> Iterator[tuple[datetime, datetime]]:
    """(start, end) of each occurrence overlapping [window_start, window_end), in order.

    Timed series repeat in `zone` (the zone they were made in); all-day series (a `date` start)
    repeat at local midnight. UNTIL in a rule given as a plain date-time is read in that zone too.
    """
    dtstart = _aware_start(start, zone)
    body, until = _split_until(normalize_rule(rule), zone)
    parsed = parse_rule(body, dtstart)
    if until is not None:
        parsed = parsed.replace(until=until)
    first = (window_start - duration).astimezone(zone)
    count = 0
    for occurrence in parsed.xafter(first, inc=True):
        if occurrence >= window_end:
            break
        end = _end(occurrence, duration, isinstance(start, datetime), zone)
        if end > window_start:
            yield occurrence, end
        count += 1
        if count >= limit:
            break


def _split_until(rule: str, zone: ZoneInfo) -> tuple[str, datetime | None]:
    """The rule without UNTIL, and UNTIL as an aware time.

    dateutil insists on a UTC UNTIL with an aware start; rules in the wild also carry a date
    (all-day series) or a floating local time, which mean the owner's zone.
    """
    parts = [p for p in rule.split(";") if p]
    untils = [p for p in parts if p.upper().startswith("UNTIL=")]
    if not untils:
        return rule, None
    body = ";".join(p for p in parts if not p.upper().startswith("UNTIL="))
    value = untils[0][6:].upper()
    try:
        if len(value) == 8:
            day = datetime.strptime(value, "%Y%m%d")
            return body, (day + timedelta(days=1) - timedelta(seconds=1)).replace(tzinfo=zone)
        if value.endswith("Z"):
            return body, datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        return body, datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=zone)
    except ValueError:
        raise RecurrenceError(f"cannot read the repeat rule {rule!r}: bad UNTIL") from None


def _end(occurrence: datetime, duration: timedelta, timed: bool, zone: ZoneInfo) -> datetime:
    """All-day occurrences span whole local days, even on a 23- or 25-hour DST day."""
    if timed:
        return (occurrence.astimezone(ZoneInfo("UTC")) + duration).astimezone(zone)
    days = max(1, round(duration / timedelta(days=1)))
    local = occurrence.date() + timedelta(days=days)
    return datetime(local.year, local.month, local.day, tzinfo=zone)


HORIZON = timedelta(days=3660)


def next_occurrence(rule: str, start: datetime | date, after: datetime, zone: ZoneInfo,
                    inclusive: bool = False) -> datetime | None:
    """The first start of the series after `after` (or at it, when `inclusive`), within ten years; None
    when the rule has ended. Raises RecurrenceError for a rule that cannot be read."""
    window_start = after if inclusive else after + timedelta(seconds=1)
    upcoming = occurrences(rule, start, timedelta(seconds=1), window_start, after + HORIZON, zone, limit=100_000)
    return next((begin for begin, _ in upcoming if begin > after or inclusive and begin == after), None)
