"""An in-memory calendar that passes the whole connector contract: the reference implementation, and the
remote calendar the facade's and the runtime's tests talk to.

    work = MemoryConnector("work", ZONE, events=[busy_or_item, …], free_busy={"boris@example.com": [Busy…]})
    work.fail_next(errors.Unavailable("cannot reach x; will retry"), times=None)   # down until heal()
    work.heal()

* Events (`Item`s; seeded `Busy` values are kept as given) are expanded per window with
  `core.recurrence.occurrences`, as the built-in calendar does: all-day ones span local midnights in `zone`,
  timed series keep their wall-clock time across DST in the zone they were made in.
* Reminders and notes are kept apart (`reminders`, `notes`), like the built-in calendar: they never show
  as events.
* `changes(start, end, token)` gives real deltas: a counter moves on every write; a delta lists the
  objects written since the token (their occurrences in the window, possibly none) and the keys of the
  deleted ones; an unknown or expired token (`expire_tokens()`) gives a full listing.
* `free_busy` answers from the `free_busy` dict given to the constructor (keys are e-mail addresses).
* `capabilities` (everything by default) can be narrowed to play a more limited provider: without WRITE
  every write raises `ReadOnlyError`; without NOTES / REMINDERS / ALL_DAY / RECURRENCE such items are
  refused (`Rejected`); without SYNC_TOKENS `changes` answers full listings (an empty delta while
  nothing changed, as a ctag check would); without FREE_BUSY nobody is known.
* Fault injection: `fail_next(error, times=1, only=None)` raises `error` from the next `times` calls
  (every call until `heal()` when `times` is None), only from the methods named in `only` when given.
  Every call is recorded in `calls` as (method, uid or None), so a test can also assert that something
  was *not* asked of the provider.

Thread-safe: one lock around everything.
"""
from __future__ import annotations

import itertools
import threading
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Iterable
from urllib.parse import quote
from zoneinfo import ZoneInfo

from assistant import errors
from assistant.connectors.base import (Busy, CalendarInfo, Capability, Changes, ConnectorError, Declared,
                                       RemoteObject, Written)
from assistant.core.item import Item, Kind
from assistant.core.recurrence import RecurrenceError, occurrences
from assistant.core.zones import instant

UTC = ZoneInfo("UTC")
DEFAULT_MINUTES = 60


@dataclass
class _Fault:
    error: ConnectorError
    remaining: int | None
    only: frozenset[str] | None


@dataclass
class _Event:
    item: Item | None
    """The event as written; None for one seeded as fixed occurrences."""
    fixed: list[Busy] = field(default_factory=list)
    version: int = 0


class MemoryConnector(Declared):
    def __init__(self, name: str = "memory", zone: ZoneInfo = UTC, *, events: Iterable[Item | Busy] = (),
                 free_busy: dict[str, list[Busy]] | None = None,
                 capabilities: Capability = Capability.everything(), read_only: bool = False):
        self.name = name
        self.zone = zone
        self.capabilities = capabilities & ~Capability.WRITE if read_only else capabilities
        self.people = {email.lower(): list(spans) for email, spans in (free_busy or {}).items()}
        self.notes: dict[str, Item] = {}
        self.reminders: dict[str, Item] = {}
        self.calls: list[tuple[str, str | None]] = []
        self._events: dict[str, _Event] = {}
        self._deleted: dict[str, int] = {}
        """Key → the version that deleted it (tombstones for deltas)."""
        self._version = 0
        self._floor = 0
        """Tokens older than this have expired."""
        self._epoch = uuid.uuid4().hex[:8]
        self._faults: list[_Fault] = []
        self._lock = threading.RLock()
        self.seed(*events)

    # --- test controls (not part of the connector protocol; never fail, never recorded) ---------

    def seed(self, *events: Item | Busy) -> None:
        """Put events in as if made elsewhere (bypassing WRITE and faults). `Busy` values with one uid
        become one object whose occurrences are exactly those."""
        with self._lock:
            for event in events:
                if isinstance(event, Busy):
                    record = self._events.get(event.uid)
                    fixed = (record.fixed if record is not None and record.item is None else []) + [event]
                    self._store(event.uid, _Event(item=None, fixed=fixed))
                else:
                    self._check_item(event)
                    self._store(event.id, _Event(item=event))

    def fail_next(self, error: ConnectorError, times: int | None = 1, only: str | Iterable[str] | None = None) -> None:
        """Raise `error` from the next `times` calls (None: every call until `heal()`); with `only`, just
        from those methods ("changes", "create", …)."""
        names = frozenset([only] if isinstance(only, str) else only) if only is not None else None
        with self._lock:
            self._faults.append(_Fault(error, times, names))

    def heal(self) -> None:
        """Forget every pending fault."""
        with self._lock:
            self._faults.clear()

    def expire_tokens(self) -> None:
        """Every sync token given so far stops working (the next `changes` with one is a full listing)."""
        with self._lock:
            self._floor = self._version
            self._deleted.clear()

    def get(self, uid: str) -> Item | None:
        """The event, reminder or note stored under `uid` (seeded fixed occurrences: as an Item)."""
        with self._lock:
            record = self._events.get(uid)
            if record is not None:
                return record.item or _item_of(record.fixed[0])
            return self.reminders.get(uid) or self.notes.get(uid)

    def key(self, uid: str) -> str:
        """The object key `changes` reports for an event (what `Written.extra["href"]` names as its path)."""
        return f"/{uid}.ics"

    # --- the connector protocol ----------------------------------------------------------------

    def authenticate(self) -> None:
        self._enter("authenticate")

    def refresh_token(self) -> None:
        self._enter("refresh_token")

    def test_connection(self) -> str:
        with self._lock:
            self._enter("test_connection")
            count = len(self._events)
            return f"in-memory calendar: {count} event{'s' if count != 1 else ''}"

    def list_calendars(self) -> list[CalendarInfo]:
        self._enter("list_calendars")
        components = ["VEVENT", "VTODO"] if Capability.REMINDERS in self.capabilities else ["VEVENT"]
        return [CalendarInfo(id=self.name, name=self.name, read_only=self.read_only, components=components)]

    def list_events(self, start: datetime, end: datetime) -> list[Busy]:
        with self._lock:
            self._enter("list_events")
            found = [b for uid in self._events for b in self._occurrences(uid, start, end)]
        return sorted(found, key=lambda b: (b.start, b.end, b.uid))

    def free_busy(self, start: datetime, end: datetime, people: list[str]) -> dict[str, list[Busy]]:
        with self._lock:
            self._enter("free_busy")
            if Capability.FREE_BUSY not in self.capabilities:
                return {}
            return {p.lower(): [b for b in self.people[p.lower()] if b.start < end and b.end > start]
                    for p in people if p.lower() in self.people}

    def changes(self, start: datetime, end: datetime, token: str | None) -> Changes:
        with self._lock:
            self._enter("changes", token)
            since = self._since(token)
            if since is not None and since == self._version:
                return Changes(token=token, full=False)
            if since is None or Capability.SYNC_TOKENS not in self.capabilities:
                objects = [o for o in (self._object(uid, start, end) for uid in self._events) if o.occurrences]
                return Changes(token=self._token(), full=True, objects=objects)
            objects = [self._object(uid, start, end) for uid, record in self._events.items() if record.version > since]
            deleted = sorted(key for key, version in self._deleted.items() if version > since)
            return Changes(token=self._token(), full=False, objects=objects, deleted=deleted)

    def create(self, item: Item) -> Written:
        with self._lock:
            self._enter("create", item.id)
            return self._write(item)

    def update(self, item: Item) -> Written:
        """Change what is stored under item.id; what the item leaves empty (a reschedule naming only
        the new time) keeps the stored title, place, people, text and repeat rule. Creates it if gone."""
        with self._lock:
            self._enter("update", item.id)
            record = self._events.get(item.id)
            if record is not None and item.kind not in (Kind.NOTE, Kind.REMINDER):
                old = record.item or _item_of(record.fixed[0])
                item = old.with_changes(
                    title=item.title or old.title, location=item.location or old.location,
                    attendees=list(item.attendees) or list(old.attendees), body=item.body or old.body,
                    recurrence=item.recurrence or old.recurrence,
                    **({"start": item.start, "end": item.end, "all_day": item.all_day,
                        "duration_minutes": item.duration_minutes} if item.start is not None else {}))
            return self._write(item)

    def delete(self, uid: str) -> None:
        with self._lock:
            self._enter("delete", uid)
            self._require_write()
            self.notes.pop(uid, None)
            self.reminders.pop(uid, None)
            if self._events.pop(uid, None) is not None:
                self._version += 1
                self._deleted[self.key(uid)] = self._version

    # --- inside --------------------------------------------------------------------------------

    def _enter(self, method: str, uid: str | None = None) -> None:
        with self._lock:
            self.calls.append((method, uid))
            for fault in self._faults:
                if fault.only is not None and method not in fault.only:
                    continue
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                raise fault.error

    def _refuse(self, what: str) -> ConnectorError:
        return errors.Rejected(f"calendar {self.name!r} does not keep {what}")

    def _write(self, item: Item) -> Written:
        self._require_write()
        if item.kind == Kind.NOTE:
            if Capability.NOTES not in self.capabilities:
                raise self._refuse("notes")
            self._drop_other(item.id, keep=self.notes)
            self.notes[item.id] = item
        elif item.kind == Kind.REMINDER:
            if Capability.REMINDERS not in self.capabilities:
                raise self._refuse("reminders")
            if item.start is None:
                raise errors.Rejected(f"cannot save it in calendar {self.name!r}: a reminder needs a time")
            self._drop_other(item.id, keep=self.reminders)
            self.reminders[item.id] = item
        else:
            self._check_item(item)
            self._drop_other(item.id, keep=None)
            self._store(item.id, _Event(item=item.with_changes(kind=Kind.EVENT)))
        href = f"memory://{quote(self.name, safe='')}/{quote(item.id, safe='@')}.ics"
        return Written(uid=item.id, link=href, extra={"href": href})

    def _drop_other(self, uid: str, keep: dict | None) -> None:
        """An id lives in one place: writing it as a note drops an event or reminder of that id."""
        for place in (self.notes, self.reminders):
            if place is not keep:
                place.pop(uid, None)
        if keep is not None and self._events.pop(uid, None) is not None:
            self._version += 1
            self._deleted[self.key(uid)] = self._version

    def _check_item(self, item: Item) -> None:
        if item.start is None:
            raise errors.Rejected(f"cannot save it in calendar {self.name!r}: an event needs a start")
        first, last, all_day = self._span(item)
        if all_day and Capability.ALL_DAY not in self.capabilities:
            raise self._refuse("all-day events")
        if item.recurrence:
            if Capability.RECURRENCE not in self.capabilities:
                raise self._refuse("repeating events")
            try:
                next(iter(occurrences(item.recurrence, first, last - first, instant(first, self.zone),
                                      instant(first, self.zone) + timedelta(days=1), self._series_zone(first))),
                     None)
            except RecurrenceError:
                raise errors.Rejected(f"cannot save it in calendar {self.name!r}: the repeat rule cannot be "
                                      "read") from None

    def _store(self, uid: str, record: _Event) -> None:
        self._version += 1
        record.version = self._version
        self._events[uid] = record
        self._deleted.pop(self.key(uid), None)

    def _token(self) -> str:
        return f"{self._epoch}:{self._version}"

    def _since(self, token: str | None) -> int | None:
        """The version a token of ours stands for; None when it is unknown or expired."""
        epoch, _, number = (token or "").partition(":")
        if epoch != self._epoch or not number.isdigit():
            return None
        version = int(number)
        return version if self._floor <= version <= self._version else None

    def _object(self, uid: str, start: datetime, end: datetime) -> RemoteObject:
        record = self._events[uid]
        return RemoteObject(key=self.key(uid), uid=uid, occurrences=self._occurrences(uid, start, end),
                            etag=str(record.version))

    def _span(self, item: Item) -> tuple[datetime | date, datetime | date, bool]:
        """First start and end as written: dates for all-day events (exclusive end), else aware times."""
        start, end = item.start, item.end
        if item.all_day or not isinstance(start, datetime):
            first = start.date() if isinstance(start, datetime) else start
            last = end.date() if isinstance(end, datetime) else end
            return first, (last if isinstance(last, date) and last > first else first + timedelta(days=1)), True
        if not isinstance(start.tzinfo, ZoneInfo):
            start = start.astimezone(self.zone)
        if isinstance(end, datetime) and end > start:
            return start, end, False
        return start, start + timedelta(minutes=item.duration_minutes or DEFAULT_MINUTES), False

    def _series_zone(self, first: datetime | date) -> ZoneInfo:
        return first.tzinfo if isinstance(first, datetime) and isinstance(first.tzinfo, ZoneInfo) else self.zone

    def _occurrences(self, uid: str, start: datetime, end: datetime) -> list[Busy]:
        record = self._events[uid]
        if record.item is None:
            return [replace(b, calendar=self.name, start=b.start.astimezone(self.zone), end=b.end.astimezone(self.zone))
                    for b in record.fixed if b.start < end and b.end > start]
        item = record.item
        first, last, all_day = self._span(item)

        def busy(s: datetime, e: datetime, rid: str = "") -> Busy:
            return Busy(start=s.astimezone(self.zone), end=e.astimezone(self.zone), title=item.title, uid=uid,
                        calendar=self.name, all_day=all_day, location=item.location,
                        attendees=list(item.attendees), recurrence_id=rid, recurring=bool(item.recurrence))

        if not item.recurrence:
            s, e = instant(first, self.zone), instant(last, self.zone)
            return [busy(s, e)] if s < end and e > start else []
        spans = occurrences(item.recurrence, first, last - first, start, end, self._series_zone(first))
        return [busy(s, e, s.astimezone(UTC).isoformat(timespec="seconds")) for s, e in itertools.islice(spans, 10_000)]


def _item_of(busy: Busy) -> Item:
    """A seeded occurrence as the event it stands for."""
    if busy.all_day:
        return Item(kind=Kind.EVENT, title=busy.title, start=busy.start.date(), end=busy.end.date(), all_day=True,
                    location=busy.location, attendees=list(busy.attendees), id=busy.uid)
    return Item(kind=Kind.EVENT, title=busy.title, start=busy.start, end=busy.end, location=busy.location,
                attendees=list(busy.attendees), id=busy.uid)


__all__ = ["MemoryConnector"]
