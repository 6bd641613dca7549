"""The one small protocol every calendar and notes provider implements.

A connector is one account (or one subscription) of one provider. The service never talks to a provider
directly: it goes through `assistant.calendars.Calendars`, which reads busy time from the SQLite cache
and hands writes to the connector named by the routing rules.

Rules every connector follows (the shared contract tests in `tests/connectors/contract.py` check them):

* `create(item)` and `update(item)` are idempotent under `item.id`: the provider-side identifier (the
  iCalendar UID on CalDAV) is the item's id, so a retry after a lost answer never makes a duplicate;
  a `create` that finds the id already there updates it instead.
* `delete(uid)` of something already gone succeeds.
* `list_events(start, end)` returns every occurrence overlapping the range, recurring series expanded.
* Failures raise `ConnectorError` with a message the owner can act on; `retryable=True` means trying
  later may help (network down, server error, rate limit), `AuthError` means the owner must act.
* Nothing secret and no event title goes to the log.

A provider module exposes `connector_from_config(section, config, store) -> Connector` so
`assistant.connectors.build_connectors` can build it from a `[[calendars]]` entry.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from assistant.core.item import Item
from assistant.core.slots import Busy

__all__ = ["AuthError", "Busy", "CalendarInfo", "Changes", "Connector", "ConnectorError", "ReadOnlyError",
           "RemoteObject", "Syncable", "Written"]


from assistant.errors import AuthError, ConnectorError, ReadOnlyError  # noqa: E402 (re-exported)


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
    read_only: bool

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
