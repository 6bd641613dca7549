"""Time zones by name: an unknown or empty name is a value (None or the fallback), never an exception."""
from __future__ import annotations

from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_named(name: str | None) -> ZoneInfo | None:
    """The IANA zone called `name`, or None when there is no such zone."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_or(name: str | None, fallback: tzinfo) -> tzinfo:
    return zone_named(name) or fallback


def midnight(day: date, zone: tzinfo) -> datetime:
    """The start of `day` on the wall clock of `zone` (all-day dates become instants this way)."""
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def instant(value: datetime | date, zone: tzinfo) -> datetime:
    """A datetime as it is; a date (an all-day start or end) as its midnight in `zone`."""
    return value if isinstance(value, datetime) else midnight(value, zone)
