"""The small protocols every calendar and notes provider implements, and the capabilities they declare.

A connector is one account (or one subscription) of one provider. The service never talks to a provider
directly: it goes through `assistant.calendars.Calendars`, which reads busy time from the SQLite cache
and hands writes to the connector named by the routing rules.

Each connector declares what it can do as `capabilities` (a `Capability` flag set); `read_only` is
derived from it (no `WRITE`). Rules every connector follows — the shared contract class in
`tests/connectors/connector_contract.py` checks them, run for every provider in
`tests/connectors/test_contract.py`, skipping what a connector does not declare:

* `create(item)` and `update(item)` are idempotent under `item.id`: the provider-side identifier (the
  iCalendar UID on CalDAV) is the item's id, so a retry after a lost answer never makes a duplicate;
  a `create` that finds the id already there updates it instead; an `update` of something gone creates
  it; what an update leaves empty (a reschedule naming only the new time) keeps the stored value.
* `delete(uid)` of something already gone succeeds.
* `list_events(start, end)` returns every occurrence overlapping the range, recurring series expanded,
  as aware `Busy` values sorted by start.
* Without `WRITE`, create/update/delete raise `ReadOnlyError` (never retryable). Items of a kind the
  connector does not declare (`NOTES`, `REMINDERS`) are refused with a non-retryable `ConnectorError`.
* `changes()` (the `Syncable` protocol): with `SYNC_TOKENS` a token gives a real delta; otherwise
  every call may be a full listing (or an empty delta when the provider says nothing changed).
* `free_busy()` answers only for people it knows (absent keys = unknown); without `FREE_BUSY` it is `{}`.
* Failures raise `assistant.errors.ConnectorError` subclasses with a message the owner can act on;
  `retryable=True` means trying later may help (network down, server error, rate limit), `AuthError`
  means the owner must act. HTTP connectors get this from `assistant.connectors.http`.
* Nothing secret and no event title goes to the log or into an error message.

A provider module exposes `connector_from_config(section, config, store) -> Connector` so
`assistant.connectors.build_connectors` can build it from a `[[calendars]]` entry.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from assistant.core.item import Item
from assistant.core.slots import Busy

__all__ = ["AuthError", "Busy", "CalendarInfo", "Capability", "Changes", "Connector", "ConnectorError", "Declared",
           "ReadOnlyError", "RemoteObject", "Syncable", "Written"]


from assistant.errors import AuthError, ConnectorError, ReadOnlyError  # noqa: E402 (re-exported)


class Capability(enum.Flag):
    """What a connector can do, declared as its `capabilities`; the contract tests skip what is absent."""

    NONE = 0
    WRITE = enum.auto()
    """create / update / delete events; without it every write raises `ReadOnlyError`."""
    ALL_DAY = enum.auto()
    """All-day events (date start, exclusive date end) are kept as such and read back `all_day`,
    midnight to midnight in the owner's zone."""
    RECURRENCE = enum.auto()
    """Repeat rules (RRULE) are kept, and `list_events` expands the series, wall-clock time kept across DST."""
    REMINDERS = enum.auto()
    """`Kind.REMINDER` items are accepted (a row the scheduler fires, a VTODO, or an event with an alarm);
    a reminder never blocks time."""
    NOTES = enum.auto()
    """`Kind.NOTE` items are accepted and kept; they never show as events."""
    SYNC_TOKENS = enum.auto()
    """`changes(start, end, token)` answers a delta after a token: created or changed objects and the
    keys of deleted ones. Without it a syncable connector returns full listings (or an empty delta
    when the provider says nothing changed, e.g. an unchanged .ics feed)."""
    FREE_BUSY = enum.auto()
    """`free_busy` may know other people's busy time (the server still answers only for people it knows)."""

    @classmethod
    def everything(cls) -> "Capability":
        value = cls.NONE
        for flag in cls:
            value |= flag
        return value


class Declared:
    """Mixin for connectors: `read_only` derived from the declared `capabilities`."""

    name: str
    capabilities: Capability = Capability.NONE

    @property
    def read_only(self) -> bool:
        return Capability.WRITE not in self.capabilities

    def _require_write(self) -> None:
        if Capability.WRITE not in self.capabilities:
            raise ReadOnlyError(self.name)


@dataclass
class CalendarInfo:
    id: str
    name: str
    read_only: bool = False
    components: list[str] = field(default_factory=lambda: ["VEVENT"])
    """iCalendar components the calendar accepts (VEVENT, VTODO, …)."""


@dataclass
class Written:
    """What a provider returns for a create or update."""
    uid: str
    link: str | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class RemoteObject:
    """One provider object (an event or series) as the cache stores it: its occurrences in the window."""
    key: str
    """Stable per object within its calendar: the resource href on CalDAV, the event id elsewhere."""
    uid: str
    occurrences: list[Busy]
    etag: str = ""


@dataclass
class Changes:
    """What `changes()` returns: either the whole calendar in the window (`full`), or a delta."""
    token: str | None
    full: bool
    objects: list[RemoteObject] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    """Keys of objects that are gone (delta only)."""


@runtime_checkable
class Connector(Protocol):
    name: str
    capabilities: Capability
    read_only: bool
    """True when `capabilities` lacks `WRITE` (kept for callers that only ask this)."""

    def authenticate(self) -> None:
        """Log in / discover the account; raises AuthError on bad credentials."""

    def refresh_token(self) -> None:
        """Renew a short-lived access token; a no-op for password and local connectors."""

    def test_connection(self) -> str:
        """A one-line, secret-free summary of what was found ("3 calendars; writing to 'Work'")."""

    def list_calendars(self) -> list[CalendarInfo]: ...

    def list_events(self, start: datetime, end: datetime) -> list[Busy]:
        """Occurrences overlapping [start, end), recurring series expanded."""

    def free_busy(self, start: datetime, end: datetime, people: list[str]) -> dict[str, list[Busy]]:
        """Busy time of other people (by e-mail) where the provider offers it; absent keys = unknown."""

    def create(self, item: Item) -> Written: ...
    def update(self, item: Item) -> Written: ...
    def delete(self, uid: str) -> None: ...


@runtime_checkable
class Syncable(Protocol):
    """A connector whose events are cached in SQLite (remote calendars and subscriptions)."""

    name: str

    def changes(self, start: datetime, end: datetime, token: str | None) -> Changes:
        """What changed since `token` (None: everything in the window). A connector that cannot do
        deltas returns `full=True` with every object; `token` may be a ctag, a sync token or an ETag.
        When nothing changed it returns an empty delta with the same token."""
