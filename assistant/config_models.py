"""The configuration's typed model: one pydantic model per TOML section, a docstring per key.

`assistant.config` reads the file, reports its errors and re-exports every name here; import from there.
The `[[calendars]]` / `[[notes]]` entries are in `assistant.config_providers`, the value formats and the
`Section` base in `assistant.config_formats`.
"""
from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import BeforeValidator, Field, model_validator

from assistant.config_formats import (Clock, NotEmpty, OptionalClock, OptionalUrl, Seconds, Section, Url, Weekday,
                                      Zone, fail, system_timezone)
from assistant.config_providers import Calendar, Notes
from assistant.core.weekdays import WORK_WEEK


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


class PictureDays(StrEnum):
    ALL = "all"
    WORKING = "working"


class RuleKind(StrEnum):
    EVENT = "event"
    REMINDER = "reminder"
    NOTE = "note"


# ---------------------------------------------------------------- sections
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
    keep_voice_days: int = Field(7, ge=1, le=3650)
    """Recordings left in data/voice (a crash between transcribing and deleting) are removed after this
    many days; one still waiting to be transcribed is never removed."""
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


class RoutingRule(Section):
    """One `[[routing.rules]]` entry: it matches when every condition it sets holds."""
    kind: RuleKind | None = Field(None, strict=False)
    """event | reminder | note; absent = any."""
    keywords: list[str] = []
    """Any of these words (whole words, any case) in the request."""
    attendees: list[str] = []
    """Any of these names among the attendees."""
    target: NotEmpty
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
    work_days: list[Weekday] = Field(default_factory=lambda: list(WORK_WEEK), min_length=1)
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
            raise fail("work_end", f"after work_start ({self.work_start})", self.work_end)
        return self


class AgendaSection(Section):
    time: OptionalClock = ""
    """When the daily agenda is sent to the chat, HH:MM in your zone; "" = none."""
    free_minutes: int = Field(60, ge=15, le=1440)
    """Free blocks in working hours at least this long are listed in the agenda."""
    picture: bool = False
    """Whether the daily agenda also comes as a picture of the day (/week always sends one)."""
    picture_days: PictureDays = Field(PictureDays.ALL, strict=False)
    """The days the week picture shows: "all" seven, or the "working" days (and any other day with plans)."""


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
