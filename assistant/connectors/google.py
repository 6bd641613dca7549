"""Google Calendar (API v3) on the one HTTP layer (`connectors.http`), signed in by `assistant connect NAME`.

    [[calendars]]
    name = "work"
    type = "google"
    client_id = "….apps.googleusercontent.com"      # the owner's own Desktop OAuth client
    client_secret = "…"
    calendar = ""                                    # a calendar id (or its name); "" = primary

Requests go through `google_api.GoogleApi`: the access token of `google_oauth.Tokens` (a 401 renews it
once, then it is an `AuthError` naming `assistant connect NAME`), Retry-After kept, Google's 403 reasons
mapped onto the error tree, lists followed page by page.

Writing: `events.insert` with a client-supplied id derived from our item id (`google_events.event_id`),
so a create retried after a crash gets 409 — treated as done, and the event is patched to be sure it
holds what we meant; `events.patch` for updates (only what the item names; attendees are kept);
`events.delete` (404/410 = already gone = success). The event's `htmlLink` is `Written.link`.
Attendees are invited (`sendUpdates=all`) when the event is made or moved; a retried create does not
invite them twice.

Reading: Google expands recurring series itself (`singleEvents=true`), so its own exceptions, EXDATEs
and time zones hold; the occurrences of a series are grouped as one object (key: the series' Google id,
uid: our item id or, for someone else's event, that Google id). `changes()` lists the window
(`timeMin`/`timeMax`, paged) for a full listing and keeps `nextSyncToken`; deltas ask with `syncToken`
(paged); a 410 means the token expired → a full listing. Deleted events come back cancelled → deleted
keys; a series touched by a delta is re-read for the window with `events.instances`, because a delta
holds only the instances that changed. `free_busy` asks `freeBusy` for the people (and own calendars)
Google knows; the others are left out.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any, Callable
from urllib.parse import quote
from zoneinfo import ZoneInfo

import httpx

from assistant.connectors.base import (Busy, CalendarInfo, Capability, Changes, ConnectorError, Declared,
                                       RemoteObject, Written)
from assistant.connectors.google_api import GoogleApi
from assistant.connectors.google_events import (event_body, event_id, item_uid, lookup_ids, occurrence,
                                                patch_body, rfc3339, series_id)
from assistant.connectors.google_oauth import SCOPES, Tokens, authorise
from assistant.connectors.http import Http
from assistant.core.item import Item

log = logging.getLogger(__name__)

CAPABILITIES = (Capability.WRITE | Capability.ALL_DAY | Capability.RECURRENCE | Capability.REMINDERS
                | Capability.SYNC_TOKENS | Capability.FREE_BUSY)
"""Notes are not kept (route them to 'local' or a notes service)."""
PAGE_SIZE = 250
FREE_BUSY_BATCH = 50
"""`freeBusy` takes at most 50 calendars a request."""
WRITABLE_ROLES = {"owner", "writer"}


class GoogleConnector(Declared):
    def __init__(self, section: Any, zone: ZoneInfo, vault: Any, transport: httpx.BaseTransport | None = None,
                 now: Callable[[], datetime] | None = None):
        self.section = section
        self.name = section.name
        self.zone = zone
        self.capabilities = CAPABILITIES & ~Capability.WRITE if section.read_only else CAPABILITIES
        self.base = section.base_url.rstrip("/")
        self.http = Http.for_section(section, transport=transport)
        self.tokens = Tokens(section, vault, self.http, **({"now": now} if now else {}))
        self.api = GoogleApi(self.base, self.http, self.tokens, self.name)
        self._calendar_id: str | None = None
        self._summary: str | None = None

    # --- the account and its calendars ---------------------------------------------------------

    def _calendar_list(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for page in self.api.pages("/users/me/calendarList", "listing calendars", {"maxResults": PAGE_SIZE}):
            items.extend(page.get("items") or [])
        return items

    def _choose(self, calendars: list[dict[str, Any]]) -> dict[str, Any]:
        wanted = (self.section.calendar or "").strip()
        if not wanted or wanted == "primary":
            found = next((c for c in calendars if c.get("primary")), None)
        else:
            found = next((c for c in calendars if c.get("id") == wanted), None) or next(
                (c for c in calendars if wanted.lower() in (str(c.get("summaryOverride", "")).lower(),
                                                            str(c.get("summary", "")).lower())), None)
        if found is None:
            names = ", ".join(sorted(str(c.get("summary") or c.get("id")) for c in calendars)) or "none"
            raise ConnectorError(f"calendar {self.name!r}: the Google account has no calendar {wanted or 'primary'!r} "
                                 f"(found: {names})", retryable=False)
        return found

    def _configured_id(self) -> str | None:
        """The configured calendar when it is an id ("" and "primary" mean the primary calendar); None
        when it is a calendar's name, to be looked up."""
        wanted = (self.section.calendar or "").strip()
        if not wanted or wanted == "primary":
            return "primary"
        return wanted if "@" in wanted else None

    def authenticate(self) -> None:
        """Find the calendar to write to (signing in with the stored token)."""
        self.account()

    def account(self) -> tuple[str, str]:
        """(the account — its primary calendar's id, an e-mail address —, the calendar new events go to)."""
        calendars = self._calendar_list()
        chosen = self._choose(calendars)
        self._calendar_id = self._configured_id() or chosen["id"]
        summary = chosen.get("summaryOverride") or chosen.get("summary") or chosen["id"]
        self._summary = summary + (" (primary)" if chosen.get("primary") else "")
        primary = next((c for c in calendars if c.get("primary")), chosen)
        return primary["id"], self._summary

    def refresh_token(self) -> None:
        self.tokens.refresh()

    def test_connection(self) -> str:
        account, summary = self.account()
        return f"signed in to Google as {account}; writing to {summary!r}"

    def list_calendars(self) -> list[CalendarInfo]:
        return [CalendarInfo(id=c["id"], name=c.get("summaryOverride") or c.get("summary") or c["id"],
                             read_only=self.read_only or c.get("accessRole") not in WRITABLE_ROLES)
                for c in self._calendar_list()]

    @property
    def calendar_id(self) -> str:
        """The calendar's id for paths: as configured when it is an id or "primary", else looked up."""
        if self._calendar_id is None:
            self._calendar_id = self._configured_id()
            if self._calendar_id is None:
                self.authenticate()
        return self._calendar_id or "primary"

    def _events(self, suffix: str = "") -> str:
        return f"/calendars/{quote(self.calendar_id, safe='@')}/events{suffix}"

    # --- reading -------------------------------------------------------------------------------

    def _window(self, start: datetime, end: datetime) -> dict[str, Any]:
        return {"timeMin": rfc3339(start), "timeMax": rfc3339(end)}

    def _listing(self, start: datetime, end: datetime) -> tuple[list[dict[str, Any]], str | None]:
        """Every event instance in the window, and the sync token for deltas after it."""
        what = f"reading events of calendar {self.name!r}"
        params = {**self._window(start, end), "singleEvents": "true", "maxResults": PAGE_SIZE}
        items: list[dict[str, Any]] = []
        sync = None
        for page in self.api.pages(self._events(), what, params):
            items.extend(page.get("items") or [])
            sync = page.get("nextSyncToken") or sync
        return items, sync

    def _occurrences(self, events: list[dict[str, Any]], start: datetime, end: datetime) -> list[Busy]:
        found = [b for b in (occurrence(e, self.zone, self.name) for e in events) if b is not None]
        return sorted((b for b in found if b.start < end and b.end > start), key=lambda b: (b.start, b.end, b.uid))

    def list_events(self, start: datetime, end: datetime) -> list[Busy]:
        items, _ = self._listing(start, end)
        return self._occurrences(items, start, end)

    def _objects(self, events: list[dict[str, Any]], start: datetime, end: datetime) -> list[RemoteObject]:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for event in events:
            grouped.setdefault(series_id(event), []).append(event)
        return [RemoteObject(key=key, uid=item_uid(found[0]), occurrences=self._occurrences(found, start, end),
                             etag=str(found[0].get("etag", ""))) for key, found in grouped.items()]

    def changes(self, start: datetime, end: datetime, token: str | None) -> Changes:
        sync = _sync_of(token, self.calendar_id)
        if sync:
            delta = self._delta(start, end, sync)
            if delta is not None:
                return delta
        items, sync = self._listing(start, end)
        objects = [o for o in self._objects(items, start, end) if o.occurrences]
        return Changes(token=_token_of(sync, self.calendar_id), full=True, objects=objects)

    def _delta(self, start: datetime, end: datetime, sync: str) -> Changes | None:
        what = f"syncing calendar {self.name!r}"
        changed: list[dict[str, Any]] = []
        next_sync = sync
        for page in self.api.pages(self._events(), what, {"syncToken": sync, "singleEvents": "true",
                                                           "maxResults": PAGE_SIZE}, allow=(400, 410)):
            if isinstance(page, httpx.Response):
                log.info("calendar %s: the sync token is no longer valid (HTTP %s); listing everything",
                         self.name, page.status_code)
                return None
            changed.extend(page.get("items") or [])
            next_sync = page.get("nextSyncToken") or next_sync
        if not changed:
            return Changes(token=_token_of(next_sync, self.calendar_id), full=False)
        grouped: dict[str, list[dict[str, Any]]] = {}
        for event in changed:
            grouped.setdefault(series_id(event), []).append(event)
        objects: list[RemoteObject] = []
        deleted: list[str] = []
        for key, events in grouped.items():
            master_gone = any(e["id"] == key and e.get("status") == "cancelled" for e in events)
            recurring = any(e.get("recurringEventId") or e.get("recurrence") for e in events)
            if master_gone:
                deleted.append(key)
            elif recurring:
                instances = self._instances(key, start, end)
                if instances is None:
                    deleted.append(key)
                else:
                    uid = item_uid(instances[0]) if instances else item_uid(events[0])
                    objects.append(RemoteObject(key=key, uid=uid, occurrences=self._occurrences(instances, start, end),
                                                etag=str(events[-1].get("etag", ""))))
            else:
                objects.append(RemoteObject(key=key, uid=item_uid(events[-1]),
                                            occurrences=self._occurrences(events[-1:], start, end),
                                            etag=str(events[-1].get("etag", ""))))
        return Changes(token=_token_of(next_sync, self.calendar_id), full=False, objects=objects,
                       deleted=sorted(deleted))

    def _instances(self, series: str, start: datetime, end: datetime) -> list[dict[str, Any]] | None:
        """The series' instances in the window, as Google expands them; None when the series is gone."""
        what = f"reading a repeating event of calendar {self.name!r}"
        found: list[dict[str, Any]] = []
        path = self._events(f"/{quote(series, safe='')}/instances")
        params = {**self._window(start, end), "maxResults": PAGE_SIZE}
        for page in self.api.pages(path, what, params, allow=(404, 410)):
            if isinstance(page, httpx.Response):
                return None
            found.extend(page.get("items") or [])
        return found

    def free_busy(self, start: datetime, end: datetime, people: list[str]) -> dict[str, list[Busy]]:
        """Busy time of people (and own calendars) by e-mail address or calendar id, as Google knows it;
        anyone it answers with an error for (not shared, unknown) is left out."""
        wanted = list(dict.fromkeys(p.strip() for p in people if "@" in p))
        answers: dict[str, list[Busy]] = {}
        for i in range(0, len(wanted), FREE_BUSY_BATCH):
            batch = wanted[i:i + FREE_BUSY_BATCH]
            body = {**self._window(start, end), "timeZone": "UTC", "items": [{"id": p} for p in batch]}
            response = self.api.call("POST", "/freeBusy", "asking Google for free/busy time", json=body)
            calendars = self.api.data(response, "asking Google for free/busy time").get("calendars") or {}
            by_lower = {str(k).lower(): v for k, v in calendars.items()}
            for person in batch:
                answer = by_lower.get(person.lower())
                if not isinstance(answer, dict) or answer.get("errors"):
                    continue
                spans = []
                for period in answer.get("busy") or []:
                    try:
                        s = datetime.fromisoformat(period["start"]).astimezone(self.zone)
                        e = datetime.fromisoformat(period["end"]).astimezone(self.zone)
                    except (KeyError, TypeError, ValueError):
                        continue
                    if s < end and e > start:
                        spans.append(Busy(start=s, end=e))
                answers[person.lower()] = sorted(spans, key=lambda b: (b.start, b.end))
        return answers

    # --- writing -------------------------------------------------------------------------------

    def _written(self, uid: str, event: dict[str, Any]) -> Written:
        return Written(uid=uid, link=event.get("htmlLink"),
                       extra={"href": event["id"], "id": event["id"], "etag": event.get("etag", "")})

    def _find(self, uid: str) -> tuple[str, dict[str, Any]] | None:
        """(Google id, the event) for an item id — ours or a foreign event's Google id; None when gone."""
        for candidate in lookup_ids(uid):
            response = self.api.call("GET", self._events(f"/{quote(candidate, safe='')}"), "reading an event",
                                     allow=(400, 404, 410))
            if response.status_code >= 400:
                continue
            event = self.api.data(response, "reading an event")
            if event.get("status") != "cancelled":
                return candidate, event
        return None

    def create(self, item: Item) -> Written:
        self._require_write()
        body = event_body(item, self.zone, self.name, self.section.alarm_minutes)
        google_id = event_id(item.id)
        what = f"creating an event in calendar {self.name!r}"
        response = self.api.call("POST", self._events(), what, allow=(409,), params={"sendUpdates": "all"},
                                 json={**body, "id": google_id})
        if response.status_code == 409:
            log.info("calendar %s: the event exists already (a retried create); making sure it matches", self.name)
            response = self.api.call("PATCH", self._events(f"/{google_id}"), what, params={"sendUpdates": "none"},
                                     json={**body, "status": "confirmed"})
        return self._written(item.id, self.api.data(response, what))

    def update(self, item: Item) -> Written:
        """Change the event of item.id (keeping what the item leaves empty); create it when it is gone."""
        self._require_write()
        found = self._find(item.id)
        if found is None:
            return self.create(item)
        google_id, existing = found
        body = patch_body(item, existing, self.zone, self.name, self.section.alarm_minutes)
        if not body:
            return self._written(item.id, existing)
        what = f"updating an event in calendar {self.name!r}"
        response = self.api.call("PATCH", self._events(f"/{quote(google_id, safe='')}"), what,
                                 params={"sendUpdates": "all"}, json=body)
        return self._written(item.id, self.api.data(response, what))

    def delete(self, uid: str) -> None:
        """Delete the event (404/410: already gone, which is what was wanted)."""
        self._require_write()
        what = f"deleting an event in calendar {self.name!r}"
        for candidate in lookup_ids(uid):
            response = self.api.call("DELETE", self._events(f"/{quote(candidate, safe='')}"), what,
                                     allow=(400, 404, 410), params={"sendUpdates": "all"})
            if response.status_code < 300:
                return

    def close(self) -> None:
        self.http.close()


def _token_of(sync: str | None, calendar: str) -> str | None:
    return json.dumps({"calendar": calendar, "sync": sync}) if sync else json.dumps({"calendar": calendar})


def _sync_of(token: str | None, calendar: str) -> str | None:
    """Google's sync token inside ours, when it belongs to this calendar."""
    if not token:
        return None
    try:
        data = json.loads(token)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("calendar") != calendar:
        return None
    sync = data.get("sync")
    return sync if isinstance(sync, str) and sync else None


def connector_from_config(section: Any, config: Any, store: Any) -> GoogleConnector:
    from assistant.vault import Vault  # noqa: PLC0415

    return GoogleConnector(section, config.zone, Vault(store, config.data_dir))


__all__ = ["CAPABILITIES", "SCOPES", "GoogleConnector", "authorise", "connector_from_config"]
