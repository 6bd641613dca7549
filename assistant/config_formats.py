"""What the configuration models share: the value formats of their keys and the `Section` base.

Each format check raises `ValueError("must be …")`, which `assistant.config` turns into one line. The
core sections (`assistant.config_models`) and the `[[calendars]]` / `[[notes]]` models
(`assistant.config_providers`) build on this; import every name from `assistant.config`.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Callable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from assistant.core.weekdays import CODES as WEEKDAYS


def system_timezone() -> str:
    """The machine's IANA zone (TZ, /etc/timezone or the /etc/localtime link), else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text(encoding="utf-8", errors="replace").strip())
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        candidates.append(str(localtime.resolve()).split("zoneinfo/", 1)[-1])
    for name in candidates:
        if name and _is_zone(name):
            return name
    return "UTC"


# ---------------------------------------------------------------- value formats (each error: "must be …")
def _is_zone(name: str) -> bool:
    try:
        return bool(name) and ZoneInfo(name) is not None
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False


def _zone(value: str) -> str:
    if not _is_zone(value):
        raise ValueError(f"must be a known IANA time zone such as Europe/Berlin, got unknown time zone {value!r}")
    return value


def _clock(value: str) -> str:
    if not re.fullmatch(r"\d{1,2}:\d{2}", value) or int(value[:-3]) > 23 or int(value[-2:]) > 59:
        raise ValueError('must be a time like "09:00" (HH:MM)')
    return value


def _url(value: str) -> str:
    try:
        parts = urlsplit(value)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and (parts.port or 1) > 0
    except ValueError:
        ok = False
    if not ok:
        raise ValueError("must be an http(s) URL such as https://example.com")
    return value


def _not_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("must be set (not empty)")
    return value


def _target_name(value: str) -> str:
    _not_empty(value)
    if value == "local":
        raise ValueError('must be another name ("local" is the built-in calendar)')
    return value


def _host_port(value: str) -> str:
    host, _, port = value.rpartition(":")
    if not host.strip("[]") or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError('must be an address like "127.0.0.1:8765" (host:port)')
    return value


def _weekday(value: str) -> str:
    if value not in WEEKDAYS:
        raise ValueError(f"must be one of {', '.join(WEEKDAYS)}")
    return value


def _optional(check: Callable[[str], str]) -> Callable[[str], str]:
    """The same format, where "" (none) is allowed too."""
    return lambda value: value and check(value)


Zone = Annotated[str, AfterValidator(_zone)]
Clock = Annotated[str, AfterValidator(_clock)]
OptionalClock = Annotated[str, AfterValidator(_optional(_clock))]
Url = Annotated[str, AfterValidator(_url)]
OptionalUrl = Annotated[str, AfterValidator(_optional(_url))]
NotEmpty = Annotated[str, AfterValidator(_not_empty)]
Name = Annotated[str, AfterValidator(_target_name)]
HostPort = Annotated[str, AfterValidator(_host_port)]
Weekday = Annotated[str, AfterValidator(_weekday)]
Seconds = Annotated[float, Field(gt=0)]


def fail(key: str, must: str, got: Any) -> PydanticCustomError:
    """An error about `key` found by a check across a section's keys (`assistant.config` words it)."""
    return PydanticCustomError("config", "'{key}' must be {must}", {"key": key, "must": must, "got": got})


class Section(BaseModel):
    """Shared base: unknown keys are errors, every field is documented, assignments are validated."""
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, validate_assignment=True,
                              strict=True)
