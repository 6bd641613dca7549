"""The calendars as the service sees them: one facade over the store (built-in calendar, cache,
contacts) and the connectors.

Reads for previews (`busy`, `conflicts_and_alternatives`, `events_between`, `find_matching`) use only
SQLite: the built-in calendar and the cache that `sync` keeps fresh. Network happens in `write` (the
outbox worker), `sync` (the scheduler) and attendees' free/busy in `find_time`.
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime, time, timedelta, timezone
from email.utils import getaddresses
from typing import Iterable
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from assistant.config import Config
from assistant.connectors import build_connectors
from assistant.connectors.base import Busy, Capability, Connector, ConnectorError, Syncable, Written
from assistant.connectors.ical import IcalError, expand, item_to_ics, parse
from assistant.connectors.local import LocalConnector
from assistant.core import availability, matching
from assistant.core.item import Item, Kind
from assistant.core.recurrence import in_series_zone
from assistant.core.slots import Slot, SlotPrefs, conflicts, find_slots, weekdays
from assistant.core.zones import instant, midnight
from assistant.store import Store

log = logging.getLogger(__name__)

SYNC_BACK = timedelta(days=30)
SYNC_AHEAD = timedelta(days=180)
FULL_POLL_EVERY = timedelta(hours=24)
"""A full poll also moves the cached window on; deltas in between keep it current."""
ALTERNATIVES = 3
ALTERNATIVES_DAYS = 7


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


class Calendars:
    def __init__(self, config: Config, store: Store, connectors: dict[str, Connector] | None = None):
        self.config = config
        self.store = store
        self.connectors = dict(connectors) if connectors is not None else build_connectors(config, store)
        if "local" not in self.connectors:
            self.connectors = {"local": LocalConnector(store, config.zone), **self.connectors}
        self.zone = config.zone
        self.sections = {c.name: c for c in config.calendars}
        self._locks = {name: threading.RLock() for name in self.connectors}

    @property
    def zone(self) -> ZoneInfo:
        return self._zone

    @zone.setter
    def zone(self, value: ZoneInfo) -> None:
        """The owner moved (the service sets this): reads and the built-in calendar follow."""
        self._zone = value
        for connector in self.connectors.values():
            if hasattr(connector, "zone"):
                connector.zone = value

    # --- what exists ---------------------------------------------------------------------------

    def names(self) -> list[str]:
        """Writable targets, "local" first: calendars and notes targets (`[[notes]]`: Notion, Apple Notes), so
        routing and the Calendar ▸ buttons offer both. Notes targets are not synced (not `Syncable`)."""
        rest = [n for n, c in self.connectors.items()
                if n != "local" and Capability.WRITE in getattr(c, "capabilities", Capability.NONE)]
        return ["local", *rest]

    def _local(self) -> Connector:
        return self.connectors["local"]

    def _remote(self, busy_only: bool) -> list[str]:
        names = [n for n in self.connectors if n != "local"]
        if busy_only:
            names = [n for n in names if getattr(self.sections.get(n), "busy", True)]
        return names

    # --- reading (no network) ------------------------------------------------------------------

    def busy(self, start: datetime, end: datetime) -> list[Busy]:
        """Occurrences that count for availability in [start, end): the built-in calendar and the cached
        remote calendars and subscriptions whose `busy` setting is on, recurring series expanded."""
        return self._between(start, end, busy_only=True)

    def events_between(self, start: datetime, end: datetime) -> list[Busy]:
        """Everything in [start, end) for agendas (/today, /week) and questions, by start."""
        return self._between(start, end, busy_only=False)

    def _between(self, start: datetime, end: datetime, busy_only: bool) -> list[Busy]:
        found = self._local().list_events(start, end)
        found += self.store.cache.between(start, end, self._remote(busy_only), zone=self.zone)
        return sorted(found, key=lambda b: (b.start, b.end, b.calendar, b.uid))

    # --- availability --------------------------------------------------------------------------

    def prefs(self, prefer_near: datetime | None = None, part_of_day: str | None = None) -> SlotPrefs:
        a = self.config.availability
        return SlotPrefs(tz=self.zone, work_days=weekdays(a.work_days), work_start=_clock(a.work_start),
                         work_end=_clock(a.work_end), buffer=timedelta(minutes=a.buffer_minutes),
                         min_notice=timedelta(minutes=a.min_notice_minutes), part_of_day=part_of_day,
                         prefer_near=prefer_near, step=timedelta(minutes=max(1, a.slot_step_minutes)),
                         all_day_blocks=a.all_day_blocks)

    def conflicts_and_alternatives(self, item: Item, now: datetime) -> tuple[list[Busy], list[Slot]]:
        """What a timed item overlaps, and — when it overlaps something — up to three free slots of the
        same length: the same day first, nearest the requested time, within the next week."""
        span = availability.span(item)
        if span is None:
            return [], []
        start, end = span
        first_day = midnight(start.astimezone(self.zone).date(), self.zone)
        window_end = first_day + timedelta(days=ALTERNATIVES_DAYS)
        busy = [b for b in self.busy(first_day, window_end) if b.uid != item.id]
        found = conflicts(start, end, busy, all_day_blocks=self.config.availability.all_day_blocks)
        if not found:
            return [], []
        prefs = availability.widened(self.prefs(prefer_near=start), start, end, self.zone)
        slots = find_slots(busy, max(first_day, now), window_end, end - start, prefs, now, limit=ALTERNATIVES)
        return found, slots

    def find_time(self, item: Item, now: datetime, part_of_day: str | None = None) -> list[Slot]:
        """Ranked free slots for a FIND_TIME request: the owner's busy time plus the attendees' free/busy
        where a connected provider offers it. The window is the item's start..end (a date range means
        whole days), or the next week; the duration is `duration_minutes` (30 by default)."""
        duration = timedelta(minutes=item.duration_minutes or availability.FIND_TIME_MINUTES)
        window_start, window_end = availability.find_time_window(item, now, duration, self.zone)
        part_of_day = part_of_day or availability.part_of_day(item.source_text)
        busy = self.busy(window_start, window_end)
        emails, _ = self.attendee_emails(item.attendees)
        for spans in self.attendees_busy(window_start, window_end, emails).values():
            busy.extend(spans)
        near = item.start if isinstance(item.start, datetime) and not item.end else None
        return find_slots(busy, window_start, window_end, duration, self.prefs(near, part_of_day), now)

    def attendee_emails(self, attendees: Iterable[str]) -> tuple[list[str], list[str]]:
        """(e-mail addresses, names with no known address) for attendees given as names or addresses."""
        emails: list[str] = []
        unknown: list[str] = []
        for who in attendees:
            _, address = _split_label(who)
            if address:
                emails.append(address.lower())
                continue
            found = self.store.contacts.lookup(who)
            if found:
                emails.append(found[0]["email"])
            else:
                unknown.append(who)
        return list(dict.fromkeys(emails)), unknown

    def attendees_busy(self, start: datetime, end: datetime, emails: list[str]) -> dict[str, list[Busy]]:
        """Free/busy of other people from the first connected providers that know them (network)."""
        result: dict[str, list[Busy]] = {}
        missing = list(emails)
        for name in self._remote(busy_only=False):
            if not missing:
                break
            connector = self.connectors[name]
            try:
                with self._locks[name]:
                    answers = connector.free_busy(start, end, missing)
            except ConnectorError as exc:
                log.info("free/busy from %s unavailable: %s", name, exc)
                continue
            for email, spans in answers.items():
                result[email.lower()] = spans
            missing = [e for e in missing if e.lower() not in result]
        return result

    # --- finding existing events ---------------------------------------------------------------

    def find_matching(self, item: Item, now: datetime) -> list[Busy]:
        """Events the owner may mean by a cancel/reschedule request, best match first (`core.matching`);
        only events on calendars we can change."""
        start, end = matching.search_window(item, now, self.zone)
        writable = set(self.names())
        candidates = [b for b in self.events_between(start, end) if b.calendar in writable]
        return matching.best_matches(candidates, item, now)

    # --- writing (network) ---------------------------------------------------------------------

    def write(self, target: str, action: str, item: Item) -> Written:
        """create | update | delete `item` on `target`, idempotent under item.id. Raises ConnectorError
        (retryable or not) for the outbox worker; refreshes the cache so the next preview sees it. A
        series asked for in another zone is written on that zone's clock, so it repeats there."""
        item = in_series_zone(item, self.zone)
        connector = self.connectors.get(target)
        if connector is None:
            raise ConnectorError(f"no calendar named {target!r} (configured: {', '.join(self.names())})",
                                 retryable=False)
        with self._locks[target]:
            if action == "create":
                written = connector.create(item)
            elif action == "update":
                written = connector.update(item)
            elif action == "delete":
                connector.delete(item.id)
                written = Written(uid=item.id)
            else:
                raise ConnectorError(f"unknown calendar action {action!r}", retryable=False)
        if target != "local":
            self._cache_written(target, action, item, written)
        return written

    def _cache_written(self, target: str, action: str, item: Item, written: Written) -> None:
        if action == "delete":
            self.store.cache.delete_uid(target, item.id)
            return
        if item.kind != Kind.EVENT or item.start is None:
            return
        now = datetime.now(timezone.utc)
        start = instant(item.start, self.zone)
        try:
            occurrences = expand(parse(item_to_ics(item)), min(now, start) - SYNC_BACK, max(now, start) + SYNC_AHEAD,
                                 self.zone, target)
        except IcalError:
            return
        href = written.extra.get("href") if written.extra else None
        key = unquote(urlsplit(href).path) if href else item.id
        self.store.cache.delete_uid(target, item.id)
        self.store.cache.replace_objects(target, [(key, occurrences)])

    # --- sync (network) ------------------------------------------------------------------------

    def sync(self, now: datetime | None = None) -> None:
        """Refresh the cache from every remote calendar and subscription: a delta by sync token or ctag
        where offered, a full poll of -30..+180 days otherwise and once a day. A failing calendar keeps
        its last good cache; its error is kept in `sync_status()`. Attendees of the events seen become contacts."""
        now = now or datetime.now(timezone.utc)
        for name in self._remote(busy_only=False):
            connector = self.connectors[name]
            if not isinstance(connector, Syncable):
                continue
            with self._locks[name]:
                try:
                    self._sync_one(name, connector, now)
                except ConnectorError as exc:
                    log.warning("sync of calendar %s failed: %s", name, exc)
                    self.store.cache.set_state(name, error=str(exc))

    def _sync_one(self, name: str, connector: Syncable, now: datetime) -> None:
        state = self.store.cache.state(name)
        start, end = now - SYNC_BACK, now + SYNC_AHEAD
        full_at = datetime.fromisoformat(state["full_at"]) if state.get("full_at") else None
        token = state.get("token") if full_at and now - full_at < FULL_POLL_EVERY else None
        changes = connector.changes(start, end, token)
        pairs = [(o.key, o.occurrences) for o in changes.objects]
        stamp = now.astimezone(timezone.utc).isoformat(timespec="seconds")
        if changes.full:
            self.store.cache.replace_calendar(name, pairs)
            self.store.cache.set_state(name, token=changes.token, synced_at=stamp, full_at=stamp, error=None,
                                       window_start=start.isoformat(), window_end=end.isoformat())
        else:
            if changes.deleted:
                self.store.cache.delete_keys(name, changes.deleted)
            if pairs:
                self.store.cache.replace_objects(name, pairs)
            self.store.cache.set_state(name, token=changes.token, synced_at=stamp, error=None)
        self._learn_contacts(b for o in changes.objects for b in o.occurrences)

    def _learn_contacts(self, occurrences: Iterable[Busy]) -> None:
        seen: set[str] = set()
        for busy in occurrences:
            for label in busy.attendees:
                if label in seen:
                    continue
                seen.add(label)
                name, email = _split_label(label)
                if email:
                    self.store.contacts.learn(name, email)

    def sync_status(self) -> dict[str, dict]:
        """Per remote calendar: when it last synced and its last error (None when fine)."""
        return {name: self.store.cache.state(name) for name in self._remote(busy_only=False)}

    def close(self) -> None:
        """Release what connectors hold open (HTTP clients)."""
        for connector in self.connectors.values():
            close = getattr(connector, "close", None)
            if callable(close):
                close()


def _split_label(label: str) -> tuple[str | None, str | None]:
    """ "Boris Petrov <boris@example.com>" → ("Boris Petrov", "boris@example.com"); no address → (name, None)."""
    [(name, address)] = getaddresses([label]) or [("", "")]
    if "@" not in address or " " in address.strip():
        return (label.strip() or None), None
    return name or None, address
