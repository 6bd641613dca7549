"""Wall-clock times: where a said time falls (the am/pm rules), the instant of a wall-clock time in
a zone, and the default times (an event's length, a date-only reminder's 09:00).

Used by the resolver (`dates.py`), repeat rules (`series.py`) and edits that keep a time of day.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from .grammar import TimeOfDay

DEFAULT_EVENT_MINUTES = 60
REMINDER_DEFAULT = (9, 0)
UTC = timezone.utc


def local(d: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    """Wall-clock time on a date in a zone; a time in a DST gap moves forward, a fold takes the first."""
    naive = datetime(d.year, d.month, d.day, hour, minute, tzinfo=zone)
    return naive.astimezone(UTC).astimezone(zone)


