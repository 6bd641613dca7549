"""TOML → typed configuration. The only place that reads the file and reports its errors.

Every problem becomes one `ConfigError` line naming the file, the key and what is expected, so the CLI
can print it and exit 2 instead of showing a traceback.
"""
from __future__ import annotations

import os
import tomllib
import types
import typing
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


from assistant.errors import ConfigError


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
        try:
            if name and ZoneInfo(name):
                return name
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return "UTC"


@dataclass
class AssistantSection:
    timezone: str = field(default_factory=system_timezone)
    data_dir: str = "data"
    language: str = "en"
    log_level: str = "INFO"


@dataclass
class TelegramSection:
    token: str = ""
    owner_id: int = 0
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    pairing_code: str = ""


@dataclass
class SpeechSection:
    engine: str = "auto"
    model: str = "data/models/whisper-base"
    language: str = ""
    compute_type: str = "int8"
    beam_size: int = 5
    vad_filter: bool = True
    initial_prompt: str = ""
    idle_unload_seconds: int = 0
    max_local_seconds: int = 600
    threads: int = 0
    api_base_url: str = ""
    api_model: str = "whisper-1"
    api_key: str = ""


@dataclass
class LlmSection:
    base_url: str = ""
    model: str = ""
    api_key: str = ""
    timeout_seconds: float = 20.0


@dataclass
class CalendarSection:
    name: str = ""
    type: str = ""
    url: str = ""
    username: str = ""
    password: str = ""
    calendar: str = ""
    """Which of the account's calendars to write to; empty = the first one found."""
    read_only: bool = False
    alarm_minutes: int = -1
    """A default alarm before each new event; -1 = none."""
    reminders_as: str = "event"
    """How reminders are written on CalDAV: "event" (VEVENT with an alarm) or "todo" (VTODO)."""
    refresh_minutes: int = 15
    timeout_seconds: float = 20.0
    busy: bool = True
    """Whether this calendar's events count for conflicts and free slots (false: shown, never blocking)."""


@dataclass
class RoutingSection:
    event: str = "local"
    reminder: str = "local"
    note: str = "local"


@dataclass
class AvailabilitySection:
    work_days: list[str] = field(default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"])
    work_start: str = "09:00"
    work_end: str = "18:00"
    buffer_minutes: int = 0
    min_notice_minutes: int = 30
    all_day_blocks: bool = True
    """Whether opaque all-day events make the whole day busy (transparent ones — most holidays and
    birthdays — never do)."""
    slot_step_minutes: int = 15


@dataclass
class Config:
    assistant: AssistantSection = field(default_factory=AssistantSection)
    telegram: TelegramSection = field(default_factory=TelegramSection)
    speech: SpeechSection = field(default_factory=SpeechSection)
    llm: LlmSection = field(default_factory=LlmSection)
    calendars: list[CalendarSection] = field(default_factory=list)
    routing: RoutingSection = field(default_factory=RoutingSection)
    availability: AvailabilitySection = field(default_factory=AvailabilitySection)
    path: Path | None = None
    """The file this came from (None: built-in defaults)."""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.assistant.timezone)

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    @property
    def data_dir(self) -> Path:
        return self.resolve_path(self.assistant.data_dir)

    @property
    def db_path(self) -> Path:
        return self.data_dir / "assistant.db"

    def resolve_path(self, value: str) -> Path:
        """A path from the file, relative to the file's folder."""
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.base_dir / path

    @property
    def is_configured(self) -> bool:
        return bool(self.telegram.token)


ENVIRONMENT = {
    ("telegram", "token"): "ASSISTANT_TELEGRAM_TOKEN",
    ("llm", "api_key"): "ASSISTANT_LLM_API_KEY",
    ("speech", "api_key"): "ASSISTANT_SPEECH_API_KEY",
}
CALENDAR_TYPES = ("caldav", "google", "outlook", "ics")
SPEECH_ENGINES = ("auto", "local", "api")


def default_path() -> Path:
    return Path(os.environ.get("ASSISTANT_CONFIG") or "config.toml")


def load(path: str | Path | None = None, *, required: bool = False) -> Config:
    """Read and validate the configuration file; a missing default file means built-in defaults."""
    explicit = path is not None or "ASSISTANT_CONFIG" in os.environ
    file = Path(path) if path is not None else default_path()
    if not file.exists():
        if explicit or required:
            raise ConfigError(f"{file}: no such configuration file (copy config.example.toml to start)")
        config = Config()
    else:
        try:
            raw = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file}: not valid TOML: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file}: cannot read: {exc}") from None
        config = _build(Config, raw, str(file), "")
        config.path = file.resolve()
    _apply_environment(config)
    _check(config, str(file))
    return config


def _build(cls: type, raw: Any, file: str, where: str) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{file}: {where or 'top level'}: expected a table")
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls) if f.name != "path"}
    values = {}
    for key, value in raw.items():
        name = f"{where}.{key}" if where else key
        if key not in known:
            expected = ", ".join(sorted(known))
            raise ConfigError(f"{file}: unknown key '{name}' (expected one of: {expected})")
        values[key] = _convert(hints[key], value, file, name)
    return cls(**values)


def _convert(hint: Any, value: Any, file: str, name: str) -> Any:
    origin = typing.get_origin(hint)
    if is_dataclass(hint):
        return _build(hint, value, file, name)
    if origin is list:
        (inner,) = typing.get_args(hint)
        if not isinstance(value, list):
            raise ConfigError(f"{file}: '{name}' must be a list, got {_type_name(value)}")
        return [_convert(inner, v, file, f"{name}[{i}]") for i, v in enumerate(value)]
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(options[0], value, file, name)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is bool and not isinstance(value, bool) or hint is not bool and isinstance(value, bool):
        raise ConfigError(f"{file}: '{name}' must be {_type_name_of(hint)}, got {_type_name(value)}")
    if not isinstance(value, hint):
        raise ConfigError(f"{file}: '{name}' must be {_type_name_of(hint)}, got {_type_name(value)}")
    return value


def _type_name(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__) + f" ({value!r})"[:60]


def _type_name_of(hint: Any) -> str:
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(hint, str(hint))


def _apply_environment(config: Config) -> None:
    for (section, key), variable in ENVIRONMENT.items():
        value = os.environ.get(variable)
        if value:
            setattr(getattr(config, section), key, value)


def _check(config: Config, file: str) -> None:
    try:
        ZoneInfo(config.assistant.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{file}: 'assistant.timezone': unknown time zone {config.assistant.timezone!r} "
            "(expected an IANA name such as Europe/Berlin)") from None
    if config.speech.engine not in SPEECH_ENGINES:
        raise ConfigError(f"{file}: 'speech.engine' must be one of {', '.join(SPEECH_ENGINES)}, "
                          f"got {config.speech.engine!r}")
    if config.telegram.owner_id < 0:
        raise ConfigError(f"{file}: 'telegram.owner_id' must be 0 (pair with /start) or a user id")
    names = {"local"}
    for i, cal in enumerate(config.calendars):
        where = f"calendars[{i}]"
        if not cal.name:
            raise ConfigError(f"{file}: '{where}.name' is required")
        if cal.name in names:
            raise ConfigError(f"{file}: '{where}.name': the name {cal.name!r} is used twice")
        if cal.type not in CALENDAR_TYPES:
            raise ConfigError(f"{file}: '{where}.type' must be one of {', '.join(CALENDAR_TYPES)}, "
                              f"got {cal.type!r}")
        names.add(cal.name)
    for kind in ("event", "reminder", "note"):
        target = getattr(config.routing, kind)
        if target not in names:
            raise ConfigError(f"{file}: 'routing.{kind}': no calendar named {target!r} "
                              f"(expected one of: {', '.join(sorted(names))})")
    for key in ("work_start", "work_end"):
        value = getattr(config.availability, key)
        if not _is_clock(value):
            raise ConfigError(f"{file}: 'availability.{key}' must be a time like \"09:00\", got {value!r}")
    days = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
    for day in config.availability.work_days:
        if day not in days:
            raise ConfigError(f"{file}: 'availability.work_days': {day!r} is not one of mon, tue, … sun")


def _is_clock(value: str) -> bool:
    parts = value.split(":")
    return (len(parts) == 2 and all(p.isdigit() for p in parts)
            and 0 <= int(parts[0]) <= 23 and 0 <= int(parts[1]) <= 59)
