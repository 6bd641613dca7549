"""CalDAV (iCloud, Nextcloud, Fastmail, Radicale, …) on the `caldav` package.

Discovery starts at the configured base URL and goes through the current-user principal and its
calendar-home-set, which may live on another host (iCloud moves every account to its own
pNN-caldav.icloud.com): nothing provider-specific is hard-coded. Events are written as one resource
per event, `<uid>.ics`, UID = our item id, with `If-None-Match: *`, so a retried create can never make
a second copy; a create that finds the UID already there updates it instead.

The `caldav` library is the HTTP client here (not `connectors.http`); its failures — exceptions carrying
`.status`, and answers checked by `_check` — go through the one mapping `errors.for_status`, with
wording the owner can act on (`caldav_answers.status_error`). Reading the server's answers (free/busy,
resources, display names, our sync state) is `assistant.connectors.caldav_answers`'s.
"""
from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Callable, Iterator
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import caldav
from caldav.lib import error as dav_error

from assistant import errors
from assistant.config import CalendarSection
from assistant.connectors.base import (Busy, CalendarInfo, Capability, Changes, ConnectorError, Declared,
                                       RemoteObject, Written)
from assistant.connectors import caldav_answers as answers
from assistant.connectors.caldav_answers import auth_message
from assistant.connectors.ical import expand, item_to_ics, parse, patch_ics
from assistant.core.item import Item, Kind

__all__ = ["CAPABILITIES", "CalDAVConnector", "auth_message", "connector_from_config"]

log = logging.getLogger(__name__)

ICAL_HEADERS = {"Content-Type": "text/calendar; charset=utf-8"}


CAPABILITIES = (Capability.WRITE | Capability.ALL_DAY | Capability.RECURRENCE | Capability.REMINDERS
                | Capability.SYNC_TOKENS | Capability.FREE_BUSY)
"""SYNC_TOKENS: RFC 6578 where the server offers it (a ctag check and full polls otherwise); FREE_BUSY:
the scheduling outbox (RFC 6638) where offered, else nobody is known. Notes are not kept."""


class CalDAVConnector(Declared):
    def __init__(self, settings: CalendarSection, zone: ZoneInfo,
                 client_factory: Callable[..., caldav.DAVClient] | None = None):
        self.settings = settings
        self.name = settings.name
        self.capabilities = CAPABILITIES & ~Capability.WRITE if settings.read_only else CAPABILITIES
        self.zone = zone
        self._factory = client_factory or caldav.DAVClient
        self._client: caldav.DAVClient | None = None
        self._calendars: list[Any] | None = None
        self._calendar: Any = None
        self._todo_calendar: Any = None

    # --- errors --------------------------------------------------------------------------------

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """Library and network failures → the tree's error, worded for the owner (no secrets, no titles)."""
        try:
            yield
        except ConnectorError:
            raise
        except dav_error.RateLimitError as exc:
            seconds = exc.retry_after_seconds
            if seconds is None:
                seconds = errors.retry_after_seconds(exc.retry_after)
            raise self._status_error(exc.status or 429, action, retry_after=seconds) from None
        except dav_error.DAVError as exc:
            status = exc.status or (401 if isinstance(exc, dav_error.AuthorizationError)
                                    else 404 if isinstance(exc, dav_error.NotFoundError) else 0)
            raise self._status_error(status, action) from None
        except OSError as exc:
            self._client = None
            raise errors.Unavailable(f"cannot reach {self._host()} while {action} ({exc.__class__.__name__}): "
                                     "the server is down or there is no network; will retry") from None

    def _check(self, response: Any, action: str, ok: tuple[int, ...] = (200, 201, 204)) -> None:
        if response.status not in ok:
            raise self._status_error(response.status, action,
                                     retry_after=errors.retry_after_seconds(answers.header(response, "retry-after")))

    def _host(self) -> str:
        return urlsplit(self.settings.url).hostname or self.settings.url

    def _status_error(self, status: int, action: str, retry_after: float | None = None) -> ConnectorError:
        """The error for `status`, worded for the owner; a refused sign-in drops the connection."""
        if errors.for_status(status) is errors.AuthError:
            self._client = None
        return answers.status_error(status, action, self.settings.url, self.name, retry_after)
    # --- connection and discovery --------------------------------------------------------------

    def _connect(self) -> caldav.DAVClient:
        if self._client is None:
            if not self.settings.url:
                raise ConnectorError(f"calendar {self.name!r} has no url in the configuration", retryable=False)
            self._client = self._factory(url=self.settings.url, username=self.settings.username or None,
                                         password=self.settings.password or None, timeout=self.settings.timeout_seconds)
            self._calendars = None
        return self._client

    def authenticate(self) -> None:
        """Discover the principal, its calendar home and calendars; choose the one to write to."""
        with self._guard("signing in"):
            client = self._connect()
            principal = client.principal()
            self._calendars = list(principal.calendars())
            self._calendar = self._choose(self._calendars)
            self._todo_calendar = None

    def refresh_token(self) -> None:
        """Password sign-in: nothing to refresh."""

    def _components(self, calendar: Any) -> list[str]:
        try:
            return [str(c).upper() for c in calendar.get_supported_components()]
        except dav_error.DAVError:
            return ["VEVENT", "VTODO"]

    def _choose(self, calendars: list[Any]) -> Any:
        wanted = self.settings.calendar.strip().lower()
        if wanted:
            for cal in calendars:
                if wanted in (answers.display_name(cal).lower(), answers.last_segment(cal.url).lower(),
                              str(cal.url).lower()):
                    return cal
            names = ", ".join(sorted(answers.display_name(c) for c in calendars)) or "none"
            raise ConnectorError(f"calendar {self.name!r}: no calendar named {self.settings.calendar!r} on the "
                                 f"account (found: {names})", retryable=False)
        for cal in calendars:
            if "VEVENT" in self._components(cal):
                return cal
        raise ConnectorError(f"calendar {self.name!r}: the account has no calendar that takes events",
                             retryable=False)

    def _target(self) -> Any:
        if self._calendar is None:
            self.authenticate()
        return self._calendar

    def _todo_target(self) -> Any:
        if self._todo_calendar is None:
            main = self._target()
            if "VTODO" in self._components(main):
                self._todo_calendar = main
            else:
                found = next((c for c in self._calendars or [] if "VTODO" in self._components(c)), None)
                if found is None:
                    raise ConnectorError(f"calendar {self.name!r}: no calendar on the account takes reminders "
                                         "(VTODO); set reminders_as = \"event\"", retryable=False)
                self._todo_calendar = found
        return self._todo_calendar

    def test_connection(self) -> str:
        self.authenticate()
        count = len(self._calendars or [])
        return (f"{count} calendar{'s' if count != 1 else ''} found; writing to "
                f"{answers.display_name(self._calendar)!r}")

    def list_calendars(self) -> list[CalendarInfo]:
        self._target()
        with self._guard("listing calendars"):
            return [CalendarInfo(id=str(c.url), name=answers.display_name(c), read_only=self.read_only,
                                 components=self._components(c)) for c in self._calendars or []]

    # --- reading -------------------------------------------------------------------------------

    def _search(self, start: datetime, end: datetime) -> list[Any]:
        calendar = self._target()
        return list(calendar.search(start=start.astimezone(timezone.utc), end=end.astimezone(timezone.utc),
                                    event=True, expand=False))

    def _occurrences(self, text: str, start: datetime, end: datetime) -> list[Busy]:
        return expand(parse(text), start, end, self.zone, self.name)

    def list_events(self, start: datetime, end: datetime) -> list[Busy]:
        with self._guard("reading events"):
            found: list[Busy] = []
            for obj in self._search(start, end):
                found.extend(self._occurrences(obj.data, start, end))
        return sorted(found, key=lambda b: (b.start, b.end, b.uid))

    def free_busy(self, start: datetime, end: datetime, people: list[str]) -> dict[str, list[Busy]]:
        """Other people's busy time through the server's scheduling outbox (RFC 6638), where offered.

        Many servers (iCloud for outsiders, Radicale) do not offer it: then nobody is known."""
        people = [p for p in people if "@" in p]
        if not people:
            return {}
        with self._guard("asking for free/busy"):
            client = self._connect()
            self._target()
            if not client.check_scheduling_support():
                return {}
            replies = client.principal().freebusy_request(start, end, [f"mailto:{p}" for p in people])
        return answers.parse_free_busy(replies, people, self.zone)

    # --- sync ----------------------------------------------------------------------------------

    def changes(self, start: datetime, end: datetime, token: str | None) -> Changes:
        """A delta by sync token (RFC 6578) when the server offers one, else a ctag check and a full
        time-range poll when the ctag moved."""
        state = answers.load_token(token)
        with self._guard("syncing"):
            calendar = self._target()
            if state.get("sync"):
                delta = self._delta(calendar, state["sync"], start, end)
                if delta is not None:
                    return delta
            elif state.get("ctag"):
                ctag = self._ctag(calendar)
                if ctag and ctag == state["ctag"]:
                    return Changes(token=token, full=False)
            return self._full(calendar, start, end)

    def _full(self, calendar: Any, start: datetime, end: datetime) -> Changes:
        sync_token = None
        try:
            sync_token = calendar.get_objects_by_sync_token(None, load_objects=False, disable_fallback=True).sync_token
        except dav_error.DAVError:
            sync_token = None
        grouped: dict[str, RemoteObject] = {}
        for obj in self._search(start, end):
            key = answers.resource_key(obj.url)
            occurrences = self._occurrences(obj.data, start, end)
            uid = occurrences[0].uid if occurrences else answers.uid_of(obj.data)
            grouped[key] = RemoteObject(key=key, uid=uid, occurrences=occurrences, etag=answers.etag(obj))
        token = json.dumps({"sync": sync_token}) if sync_token else json.dumps({"ctag": self._ctag(calendar)})
        return Changes(token=token, full=True, objects=list(grouped.values()))

    def _delta(self, calendar: Any, sync_token: str, start: datetime, end: datetime) -> Changes | None:
        try:
            collection = calendar.get_objects_by_sync_token(sync_token, load_objects=True, disable_fallback=True)
        except dav_error.DAVError:
            log.info("calendar %s: the sync token expired; doing a full poll", self.name)
            return None
        deleted = {answers.resource_key(u) for u in collection.deleted_urls}
        objects = []
        for obj in collection.objects:
            key = answers.resource_key(obj.url)
            if key in deleted or not getattr(obj, "data", None):
                continue
            occurrences = self._occurrences(obj.data, start, end)
            objects.append(RemoteObject(key=key, uid=answers.uid_of(obj.data), occurrences=occurrences,
                                        etag=answers.etag(obj)))
        return Changes(token=json.dumps({"sync": collection.sync_token}), full=False, objects=objects,
                       deleted=sorted(deleted))

    def _ctag(self, calendar: Any) -> str | None:
        try:
            props = calendar.get_properties([answers.CTagElement()])
        except dav_error.DAVError:
            return None
        value = props.get(answers.CTAG)
        return str(value) if value else None

    # --- writing -------------------------------------------------------------------------------

    def _ics(self, item: Item) -> tuple[Any, str]:
        as_todo = item.kind == Kind.REMINDER and self.settings.reminders_as == "todo"
        if item.kind == Kind.NOTE:
            raise errors.Rejected(f"calendar {self.name!r} does not keep notes; route notes to 'local' or a "
                                  "notes service")
        calendar = self._todo_target() if as_todo else self._target()
        return calendar, item_to_ics(item, self.settings.alarm_minutes, as_todo=as_todo)

    def _href(self, calendar: Any, uid: str) -> str:
        return str(calendar.url.join(quote(uid, safe="") + ".ics"))

    def create(self, item: Item) -> Written:
        self._require_write()
        with self._guard("creating an event"):
            calendar, text = self._ics(item)
            href = self._href(calendar, item.id)
            response = self._connect().put(href, text, {**ICAL_HEADERS, "If-None-Match": "*"})
            if response.status == 412:
                log.info("calendar %s: %s already exists (a retried create); updating it", self.name, item.id)
                return self.update(item)
            self._check(response, "creating an event", ok=(200, 201, 204))
            return Written(uid=item.id, link=href, extra={"href": href, "etag": answers.header(response, "etag")})

    def update(self, item: Item) -> Written:
        """Change the event with UID = item.id (keeping its attendees and alarms); create it if gone."""
        self._require_write()
        with self._guard("updating an event"):
            calendar, fresh = self._ics(item)
            found = self._find(calendar, item.id)
            if found is None:
                return self.create(item)
            href, text, etag = found
            headers = {**ICAL_HEADERS, **({"If-Match": etag} if etag else {})}
            response = self._connect().put(href, patch_ics(text, item), headers)
            if response.status == 412:  # changed on the server meanwhile: apply ours on the new version
                href, text, etag = self._find(calendar, item.id) or (href, fresh, "")
                response = self._connect().put(href, patch_ics(text, item), ICAL_HEADERS)
            self._check(response, "updating an event")
            return Written(uid=item.id, link=href, extra={"href": href, "etag": answers.header(response, "etag")})

    def delete(self, uid: str) -> None:
        self._require_write()
        with self._guard("deleting an event"):
            calendars = [self._target()]
            if self._todo_calendar is not None and self._todo_calendar is not self._calendar:
                calendars.append(self._todo_calendar)
            for calendar in calendars:
                found = self._find(calendar, uid)
                if found is not None:
                    response = self._connect().delete(found[0])
                    self._check(response, "deleting an event", ok=(200, 204, 404))

    def _find(self, calendar: Any, uid: str) -> tuple[str, str, str] | None:
        """(href, iCalendar text, etag) of the object with this UID: our own naming first, then a
        server-side search by UID (events made by other apps have other resource names)."""
        href = self._href(calendar, uid)
        response = self._connect().request(href, "GET", "", {"Accept": "text/calendar"})
        if response.status == 200 and response.raw:
            return href, answers.text_of(response.raw), answers.header(response, "etag")
        try:
            obj = calendar.get_object_by_uid(uid)
        except dav_error.NotFoundError:
            return None
        obj.load()
        return str(obj.url), obj.data, answers.etag(obj)


def connector_from_config(section: Any, config: Any, store: Any) -> CalDAVConnector:
    """The connector for a `[[calendars]]` entry; an empty `password` is taken from the vault (where the
    setup wizard keeps it, under the entry's name)."""
    if not section.password and store is not None:
        from assistant.vault import secret_for  # noqa: PLC0415

        password = secret_for(store, config.data_dir, section.name, "password")
        if password:
            section = section.model_copy(update={"password": password})
    return CalDAVConnector(section, config.zone)
