"""Every error the assistant raises on purpose, in one tree.

Each message is a sentence the owner can act on ("iCloud refused the password for calendar 'icloud':
make a new app-specific password …"), never a traceback, never a secret or an event title. Channels
show `str(error)`; the command line prints it as one line (exit 2 for `ConfigError`, 1 for the rest).

    AssistantError
    ├── ConfigError              the configuration file or a command-line value is wrong (exit 2)
    ├── UserError                a command failed in a way the owner can fix (exit 1)
    ├── StoreError               the database cannot be opened or written
    │   ├── StorageFull          the disk is full (or the database is read-only): free space, it resumes
    │   └── VaultError           a secret cannot be read: no master key, a wrong one, or tampered data
    ├── ConnectorError           a calendar or notes provider failed; `retryable`, `retry_after`
    │   ├── AuthError            401 — wrong password, expired or revoked token: the owner must log in again
    │   ├── PermissionError_     403 — logged in, but not allowed (a calendar shared read-only)
    │   ├── ReadOnlyError        a write to a read-only calendar or subscription
    │   ├── NotFound             404 / 410 — the calendar or object is gone
    │   ├── Conflict             409 / 412 — changed meanwhile, or already there
    │   ├── RateLimited          429 — slow down; `retry_after` seconds
    │   ├── Unavailable          5xx, timeouts, no network — try later
    │   ├── Rejected             any other 4xx: the request itself was refused
    │   └── BadData              the provider sent something we cannot read (broken iCalendar)
    ├── SpeechError              a recording could not be transcribed
    │   ├── NoSpeech             silence, noise or a known hallucination
    │   ├── UnusableAudio        not audio, empty, too large, damaged: trying again will not help
    │   └── EngineError          one engine failed; another may still work
    └── UnderstandingError       the language model could not help (the offline answer stands)
        ├── LlmAuthError         401 / 403 — the server refused `[llm] api_key`: the owner is told once
        ├── LlmUnavailable       timeouts, refused connections, 429, 5xx, no such model: asked again later
        └── LlmBadAnswer         malformed or schema-violating JSON, a refusal, no structured output

The pure core raises plain `ValueError` subclasses (`core.recurrence.RecurrenceError`) because it imports
nothing outside `core`; the layer that calls it turns them into one of the above.

`for_status()` is the one place that maps an HTTP status to an error class; every connector that sees a
status (its own httpx calls, or a library's exception carrying one) goes through it.
"""
from __future__ import annotations

from email.utils import parsedate_to_datetime
from datetime import datetime, timezone


class AssistantError(Exception):
    """The root: `str(error)` is a message for the owner."""


class ConfigError(AssistantError):
    """A configuration problem, worded as one line naming the file, the key and what is expected."""


class UserError(AssistantError):
    """A command-line failure the owner can fix; printed as one line, exit code 1."""


class StoreError(AssistantError):
    """The database cannot be opened or written; the message says what to check."""


class StorageFull(StoreError):
    """The disk is full, or the database became read-only: nothing was half-written, it resumes later."""


class VaultError(StoreError):
    """The vault cannot decrypt a secret (wrong master key, tampered data) or find its master key."""


class ConnectorError(AssistantError):
    """A provider problem worded for the owner. `retryable`: whether trying later may help."""

    retryable_default = True

    def __init__(self, message: str, retryable: bool | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.retryable = self.retryable_default if retryable is None else retryable
        self.retry_after = retry_after


class AuthError(ConnectorError):
    """Wrong password, expired or revoked token: the owner must act. The outbox keeps such writes waiting
    and tries them again now and then, so they land once the login works."""

    retryable_default = False


class PermissionError_(ConnectorError):  # noqa: N801 (the builtin PermissionError is an OSError)
    """Logged in, but the provider does not allow this (HTTP 403)."""

    retryable_default = False


class ReadOnlyError(ConnectorError):
    """A write to a read-only calendar (an .ics subscription, or `read_only = true`)."""

    retryable_default = False

    def __init__(self, name: str, retryable: bool | None = None, retry_after: float | None = None):
        super().__init__(f"the calendar {name!r} is read-only; choose another target", retryable, retry_after)


class NotFound(ConnectorError):
    """The calendar, object or address is gone (HTTP 404 or 410)."""

    retryable_default = False


class Conflict(ConnectorError):
    """Someone changed it meanwhile, or it already exists (HTTP 409 or 412)."""

    retryable_default = False


class RateLimited(ConnectorError):
    """The provider asks us to slow down (HTTP 429); `retry_after` says for how long when it told us."""


class Unavailable(ConnectorError):
    """Server errors, timeouts, no network: trying later may help."""


class Rejected(ConnectorError):
    """Any other 4xx: the provider refused the request itself; repeating it will not help."""

    retryable_default = False


class BadData(ConnectorError):
    """The provider's answer cannot be read (broken iCalendar, unexpected JSON)."""

    retryable_default = False


class SpeechError(AssistantError):
    """Transcription failed; str(e) is a message for the owner, e.g. "Couldn't transcribe: the file is not audio"."""


class NoSpeech(SpeechError):
    """The audio holds silence, noise or only a known Whisper hallucination."""

    def __init__(self, message: str = "I couldn't hear anything") -> None:
        super().__init__(message)


class UnusableAudio(SpeechError):
    """The file itself cannot be transcribed (not audio, empty, too large, damaged); it is not kept."""


class EngineError(SpeechError):
    """One engine could not transcribe (missing, misconfigured or failing); another may still work.

    The message is a clause that fits after "Couldn't transcribe: ".
    """


class UnderstandingError(AssistantError):
    """The language model failed or answered nonsense; the offline parser's answer is used instead."""


class LlmAuthError(UnderstandingError):
    """The language model's server refused the API key (HTTP 401 or 403): the owner must fix
    `[llm] api_key` (or ASSISTANT_LLM_API_KEY); the pipeline tells them once and carries on offline."""


class LlmUnavailable(UnderstandingError):
    """The server timed out, refused the connection, is rate-limited (429) or failing (5xx), or has no such
    model; `pause` is how long (seconds) not to ask it again, when the failure says (Retry-After)."""

    def __init__(self, message: str, pause: float | None = None):
        super().__init__(message)
        self.pause = pause


class LlmBadAnswer(UnderstandingError):
    """The model answered, but not usefully: malformed JSON, JSON that violates the schema, a refusal, or a
    server that accepts no form of structured output."""


def for_status(status: int) -> type[ConnectorError]:
    """The error class for an HTTP status (only call it for statuses that are failures)."""
    if status == 401:
        return AuthError
    if status == 403:
        return PermissionError_
    if status in (404, 410):
        return NotFound
    if status in (409, 412):
        return Conflict
    if status == 429:
        return RateLimited
    if status in (408, 423, 425) or status >= 500 or status == 0:
        return Unavailable
    return Rejected


def status_error(status: int, message: str, retry_after: float | None = None) -> ConnectorError:
    """An error of the right class for `status`, with `message` (which names the provider and action)."""
    return for_status(status)(message, retry_after=retry_after)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header (seconds, or an HTTP date) as seconds from now; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())
