"""Times as Microsoft Graph writes them: Windows zone names (CLDR's table) and IANA zones, its
`dateTimeTimeZone` values ({"dateTime": "…", "timeZone": "…"}) and DateTimeOffset text, and the dates
all-day boundaries stand for.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

try:  # CLDR's IANA → Windows zone table (tzlocal comes with APScheduler 3)
    from tzlocal.windows_tz import tz_win as IANA_TO_WINDOWS, win_tz as WINDOWS_TO_IANA
except ImportError:  # pragma: no cover - then IANA names are sent, which Graph accepts for most zones
    IANA_TO_WINDOWS, WINDOWS_TO_IANA = {}, {}

UTC = timezone.utc


def windows_zone(zone: Any) -> str:
    """The zone name Graph takes for `zone`: its Windows name where CLDR has one, else its IANA key."""
    key = getattr(zone, "key", None) or "UTC"
    return IANA_TO_WINDOWS.get(key) or key


def zone_of(name: str | None) -> Any:
    """A Graph `timeZone` value (UTC, a Windows name or an IANA key) as a tzinfo; UTC when unknown."""
    if not name or name.upper() in ("UTC", "ETC/UTC", "Z"):
        return UTC
    key = WINDOWS_TO_IANA.get(name, name)
    try:
        return ZoneInfo(key)
    except (ValueError, KeyError, OSError):
        return UTC


_FRACTION = re.compile(r"(\.\d{1,6})\d*")


def parse_graph_time(value: dict | None) -> datetime | None:
    """A dateTimeTimeZone ({"dateTime": "2030-03-25T09:00:00.0000000", "timeZone": "UTC"}) as aware."""
    if not value or not value.get("dateTime"):
        return None
    text = _FRACTION.sub(lambda m: m.group(1), value["dateTime"].replace("Z", ""))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        return parsed
    return parsed.replace(tzinfo=zone_of(value.get("timeZone")))


def offset_time(value: str | None) -> datetime | None:
    """A DateTimeOffset ("2030-03-25T09:00:00Z", originalStart) as aware."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(_FRACTION.sub(lambda m: m.group(1), value.replace("Z", "+00:00")))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def wall_text(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day_of(moment: datetime) -> date:
    """The date an all-day boundary stands for: midnight as sent, or the nearest midnight when a server
    converted it to another zone."""
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.date()
    return (moment.astimezone(UTC) + timedelta(hours=12)).date()
