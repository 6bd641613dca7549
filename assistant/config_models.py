"""The configuration's typed model: one pydantic model per TOML section, a docstring per key.

`assistant.config` reads the file, reports its errors and re-exports every name here; import from there.
Each format check raises `ValueError("must be …")`, which `assistant.config` turns into one line.
"""
from __future__ import annotations

import os
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, Union
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, model_validator
from pydantic_core import PydanticCustomError


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


# ---------------------------------------------------------------- closed choices (compare equal to str)
class LogLevel(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


class SpeechEngine(StrEnum):
    AUTO = "auto"
    LOCAL = "local"
    API = "api"


class LlmMode(StrEnum):
    FALLBACK = "fallback"
    ALWAYS = "always"
    OFF = "off"


class RemindersAs(StrEnum):
    EVENT = "event"
    TODO = "todo"


class CalendarType(StrEnum):
    CALDAV = "caldav"
    GOOGLE = "google"
    OUTLOOK = "outlook"
    ICS = "ics"


class NotesType(StrEnum):
    NOTION = "notion"
    APPLE_NOTES = "apple_notes"


class RuleKind(StrEnum):
    EVENT = "event"
    REMINDER = "reminder"
    NOTE = "note"


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


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


def _optional_clock(value: str) -> str:
    return value and _clock(value)


def _url(value: str) -> str:
    try:
        parts = urlsplit(value)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and (parts.port or 1) > 0
    except ValueError:
        ok = False
    if not ok:
        raise ValueError("must be an http(s) URL such as https://example.com")
    return value


def _optional_url(value: str) -> str:
    return value and _url(value)


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


Zone = Annotated[str, AfterValidator(_zone)]
Clock = Annotated[str, AfterValidator(_clock)]
Url = Annotated[str, AfterValidator(_url)]
OptionalUrl = Annotated[str, AfterValidator(_optional_url)]
Name = Annotated[str, AfterValidator(_target_name)]
Seconds = Annotated[float, Field(gt=0)]


def _fail(key: str, must: str, got: Any) -> PydanticCustomError:
    return PydanticCustomError("config", "'{key}' must be {must}", {"key": key, "must": must, "got": got})


# ---------------------------------------------------------------- sections
class Section(BaseModel):
    """Shared base: unknown keys are errors, every field is documented, assignments are validated."""
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, validate_assignment=True,
                              strict=True)


class AssistantSection(Section):
    timezone: Zone = Field(default_factory=system_timezone)
    """IANA zone of the owner; all times are shown and understood in it (absent: the machine's zone)."""
    data_dir: str = "data"
    """SQLite database, voice files, models; relative to the configuration file's folder."""
    language: str = "en"
    """Main language of requests (en; de and ru are understood too)."""
    log_level: Annotated[LogLevel, BeforeValidator(lambda v: v.upper() if isinstance(v, str) else v)] = Field(
        LogLevel.INFO, strict=False)
    """DEBUG | INFO | WARNING | ERROR (any case)."""


class TelegramSection(Section):
    token: str = ""
    """The bot token from @BotFather; or ASSISTANT_TELEGRAM_TOKEN."""
    owner_id: int = Field(0, ge=0)
    """0 = pair with /start CODE; else the owner's Telegram user id."""
    base_url: Url = "https://api.telegram.org/bot"
    """Bot API address (a self-hosted Bot API server or a test server)."""
    base_file_url: Url = "https://api.telegram.org/file/bot"
    """Bot API file download address."""
    pairing_code: str = ""
    """A fixed one-time pairing code; empty = a random one printed at start."""


class SpeechSection(Section):
    engine: SpeechEngine = Field(SpeechEngine.AUTO, strict=False)
    """auto (local, then API) | local | api."""
    model: str = "data/models/whisper-base"
    """A local model directory or a faster-whisper size name (tiny, base, small…)."""
    language: str = ""
    """"" = detect; or a language code such as "en"."""
    compute_type: str = "int8"
    """CTranslate2 compute type on the CPU."""
    beam_size: int = Field(5, ge=1)
    """Beam width: wider is a little more accurate and slower."""
    vad_filter: bool = True
    """Skip silence before transcribing."""
    initial_prompt: str = ""
    """"" = a built-in prompt with calendar words; anything else replaces it."""
    idle_unload_seconds: int = Field(0, ge=0)
    """Free the model after this long unused (0 = keep it loaded)."""
    max_local_seconds: int = Field(600, ge=0)
    """Longer audio goes to the API when one is configured."""
    threads: int = Field(0, ge=0)
    """CPU threads for the local model (0 = all cores)."""
    api_base_url: OptionalUrl = ""
    """OpenAI-compatible transcription API; "" = https://api.openai.com/v1."""
    api_model: str = "whisper-1"
    """The API's model name."""
    api_key: str = ""
    """The API key; or ASSISTANT_SPEECH_API_KEY. Empty = no API fallback."""


class LlmSection(Section):
    base_url: OptionalUrl = ""
    """Any OpenAI-compatible server; empty = offline parser only."""
    model: str = ""
    """The model name on that server."""
    api_key: str = ""
    """The API key; or ASSISTANT_LLM_API_KEY."""
    timeout_seconds: Seconds = 20.0
    """How long to wait for an answer."""
    mode: LlmMode = Field(LlmMode.FALLBACK, strict=False)
    """fallback (when the offline parser is unsure) | always | off."""


class CalendarBase(Section):
    """Keys every `[[calendars]]` entry has."""
    name: Name
    """Your name for it, used in [routing] and in previews; unique, not "local"."""
    type: CalendarType = Field(strict=False)
    """caldav | google | outlook | ics."""
    read_only: bool = False
    """true = only used for conflicts and agendas."""
    refresh_minutes: int = Field(15, ge=0)
    """How often the calendar cache is synced (0 = never on a timer)."""
    timeout_seconds: Seconds = 20.0
    """How long to wait for the server."""
    busy: bool = True
    """Whether its events count for conflicts and free slots (false: shown, never blocking)."""
    alarm_minutes: int = Field(-1, ge=-1)
    """A default alarm this many minutes before each new event; -1 = none."""


class CaldavCalendar(CalendarBase):
    type: Literal[CalendarType.CALDAV] = CalendarType.CALDAV
    """caldav."""
    url: Url
    """CalDAV base URL (the account's own host is discovered)."""
    username: str = ""
    """The account's user name."""
    password: str = ""
    """The password (iCloud: an app-specific one), or stored in the vault by the wizard."""
    calendar: str = ""
    """Which of the account's calendars to write to; empty = the first writable one."""
    reminders_as: RemindersAs = Field(RemindersAs.EVENT, strict=False)
    """How reminders are written: "event" (VEVENT with an alarm) or "todo" (VTODO)."""


class GoogleCalendar(CalendarBase):
    type: Literal[CalendarType.GOOGLE] = CalendarType.GOOGLE
    """google."""
    client_id: str = ""
    """The owner's own OAuth client (Desktop app)."""
    client_secret: str = ""
    """That client's secret."""
    calendar: str = ""
    """A calendar id; "" = primary."""
    base_url: Url = "https://www.googleapis.com/calendar/v3"
    """Calendar API address."""
    auth_uri: Url = "https://accounts.google.com/o/oauth2/auth"
    """OAuth authorisation endpoint."""
    token_uri: Url = "https://oauth2.googleapis.com/token"
    """OAuth token endpoint."""


class OutlookCalendar(CalendarBase):
    type: Literal[CalendarType.OUTLOOK] = CalendarType.OUTLOOK
    """outlook."""
    client_id: str = ""
    """An Entra ID app registration (public client)."""
    tenant: str = "common"
    """The tenant; the authority is authority_host/tenant."""
    authority_host: Url = "https://login.microsoftonline.com"
    """Microsoft identity platform address."""
    base_url: Url = "https://graph.microsoft.com/v1.0"
    """Microsoft Graph address."""
    calendar: str = ""
    """A calendar name; "" = the default calendar."""


class IcsCalendar(CalendarBase):
    type: Literal[CalendarType.ICS] = CalendarType.ICS
    """ics (a read-only subscription)."""
    url: Annotated[str, AfterValidator(_not_empty)]
    """http(s)://, webcal://, file:///path or a path relative to the configuration file."""


class NotesBase(Section):
    """Keys every `[[notes]]` entry has."""
    name: Name
    """Your name for it, used in [routing]; unique across calendars and notes, not "local"."""
    type: NotesType = Field(strict=False)
    """notion | apple_notes."""
    timeout_seconds: Seconds = 20.0
    """How long to wait for the service."""


class NotionNotes(NotesBase):
    type: Literal[NotesType.NOTION] = NotesType.NOTION
    """notion."""
    token: str = ""
    """An internal integration secret; or empty and `assistant connect NAME`."""
    database: str = ""
    """The database id pages are created in."""
    base_url: Url = "https://api.notion.com/v1"
    """Notion API address."""
    client_id: str = ""
    """A public integration's OAuth client id (only for `assistant connect`)."""
    client_secret: str = ""
    """That integration's secret."""


class AppleNotes(NotesBase):
    type: Literal[NotesType.APPLE_NOTES] = NotesType.APPLE_NOTES
    """apple_notes (a pull bridge for an iOS Shortcut)."""
    listen: Annotated[str, AfterValidator(_host_port)] = "127.0.0.1:8765"
    """host:port the bridge serves on."""
    token: str = ""
    """The Shortcut sends it as `Authorization: Bearer …`."""
    webhook_url: OptionalUrl = ""
    """An address told about each new note; "" = none."""


Calendar = Annotated[Union[CaldavCalendar, GoogleCalendar, OutlookCalendar, IcsCalendar], Field(discriminator="type")]
Notes = Annotated[Union[NotionNotes, AppleNotes], Field(discriminator="type")]
_CALENDAR = TypeAdapter(Calendar)
_NOTES = TypeAdapter(Notes)


def CalendarSection(**values: Any) -> CalendarBase:  # noqa: N802 (reads like the class it builds)
    """Build the `[[calendars]]` model its `type` names: `CalendarSection(type="caldav", name=…, url=…)`
    is a `CaldavCalendar`. Raises pydantic's `ValidationError` on bad values. (For type hints, too.)"""
    return _CALENDAR.validate_python(values)


def NotesSection(**values: Any) -> NotesBase:  # noqa: N802
    """Build the `[[notes]]` model its `type` names (see `CalendarSection`)."""
    return _NOTES.validate_python(values)


class RoutingRule(Section):
    """One `[[routing.rules]]` entry: it matches when every condition it sets holds."""
    kind: RuleKind | None = Field(None, strict=False)
    """event | reminder | note; absent = any."""
    keywords: list[str] = []
    """Any of these words (whole words, any case) in the request."""
    attendees: list[str] = []
    """Any of these names among the attendees."""
    target: Annotated[str, AfterValidator(_not_empty)]
    """Where a matching item goes: "local" or a [[calendars]] / [[notes]] name."""


class RoutingSection(Section):
    event: str = "local"
    """Default target for events: "local" or a [[calendars]] / [[notes]] name."""
    reminder: str = "local"
    """Default target for reminders."""
    note: str = "local"
    """Default target for notes."""
    rules: list[RoutingRule] = []
    """Tried in order before the defaults; the first match wins."""


class AvailabilitySection(Section):
    work_days: list[Annotated[str, AfterValidator(_weekday)]] = Field(
        default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"], min_length=1)
    """Working days (mon … sun); used for conflicts, alternatives and "find time"."""
    work_start: Clock = "09:00"
    """Start of the working day, HH:MM."""
    work_end: Clock = "18:00"
    """End of the working day, HH:MM; after work_start."""
    buffer_minutes: int = Field(0, ge=0)
    """Keep this much free before and after meetings."""
    min_notice_minutes: int = Field(30, ge=0, le=525600)
    """Never propose a slot sooner than this (at most a year)."""
    all_day_blocks: bool = True
    """Whether opaque all-day events make the whole day busy (transparent ones — most holidays and
    birthdays — never do)."""
    slot_step_minutes: int = Field(15, ge=1, le=1440)
    """Proposed slots start on this grid from the start of the working day."""

    @model_validator(mode="after")
    def _day_order(self) -> "AvailabilitySection":
        start, end = (tuple(map(int, t.split(":"))) for t in (self.work_start, self.work_end))
        if end <= start:
            raise _fail("work_end", f"after work_start ({self.work_start})", self.work_end)
        return self


class AgendaSection(Section):
    time: Annotated[str, AfterValidator(_optional_clock)] = ""
    """When the daily agenda is sent to the chat, HH:MM; "" = none."""


class Config(Section):
    assistant: AssistantSection = Field(default_factory=AssistantSection)
    """[assistant]: zone, data folder, language, logging."""
    telegram: TelegramSection = Field(default_factory=TelegramSection)
    """[telegram]: the bot."""
    speech: SpeechSection = Field(default_factory=SpeechSection)
    """[speech]: voice messages."""
    llm: LlmSection = Field(default_factory=LlmSection)
    """[llm]: the optional language model."""
    calendars: list[Calendar] = []
    """[[calendars]]: connected calendars; the built-in "local" one always exists."""
    notes: list[Notes] = []
    """[[notes]]: notes targets."""
    routing: RoutingSection = Field(default_factory=RoutingSection)
    """[routing]: where each item goes."""
    availability: AvailabilitySection = Field(default_factory=AvailabilitySection)
    """[availability]: working hours for conflicts and free slots."""
    agenda: AgendaSection = Field(default_factory=AgendaSection)
    """[agenda]: the daily agenda."""
    path: Path | None = Field(None, exclude=True)
    """The file this came from (None: built-in defaults); not a key of the file."""

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

    def target_names(self) -> list[str]:
        """"local" and every [[calendars]] / [[notes]] name, in file order."""
        return ["local", *(c.name for c in self.calendars), *(n.name for n in self.notes)]
