"""Outlook / Microsoft 365 calendars: Microsoft Graph v1.0 over the one HTTP layer, signed in with msal.

    [[calendars]]
    name = "office"
    type = "outlook"
    client_id = "…"                                  # an Entra ID app registration (public client)
    tenant = "common"                                # common | organizations | consumers | a tenant id
    authority_host = "https://login.microsoftonline.com"
    base_url = "https://graph.microsoft.com/v1.0"
    calendar = ""                                    # a calendar name; "" = the default calendar

Here is the connector (the calendar, reading, sync, writing). outlook_signin.py signs in (`authorise`, for
`assistant connect NAME`) and keeps msal's tokens in the vault; outlook_graph.py sends the requests;
outlook_events.py converts items and events, with outlook_recurrence.py (RRULE → patternedRecurrence)
and outlook_times.py (Windows zones, Graph's time values).

Graph: `/me/calendars` (`calendar = ""` → `/me/calendar`, else by name or id); events are created with a
`transactionId` derived from our item id (Graph drops a repeated create) and carry our item id in a
single-value extended property (`ITEM_PROPERTY`), which is how an event is found again for update and
delete (`$filter=singleValueExtendedProperties/Any(…)` on the calendar's events) and how listings report
our id as `Busy.uid` (other events: Graph's event id, the series master's for occurrences). Times are
read back in UTC (`Prefer: outlook.timezone="UTC"`).

Reading: `calendarView` (paged by `@odata.nextLink`); `changes()` is a `calendarView/delta` of the chosen
calendar: the first call lists the window and keeps the delta link as the token; later calls follow it,
and each changed event (or series) is read again so it is reported whole; 410 / `syncStateNotFound`
means a full listing again. `free_busy` asks `getSchedule` and answers only for addresses Graph knows.
"""
from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, unquote, urlsplit
from zoneinfo import ZoneInfo

import httpx

from assistant import errors
from assistant.connectors.base import (Busy, CalendarInfo, Capability, Changes, ConnectorError, Declared,
                                       RemoteObject, Written)
from assistant.connectors.http import Http, host_of, json_body
from assistant.connectors.outlook_events import (ITEM_PROPERTY, busy_of, event_body, overlaps, refuse_notes,
                                                 schedule_busy)
from assistant.connectors.outlook_graph import Graph
from assistant.connectors.outlook_recurrence import UnsupportedRule, graph_recurrence
from assistant.connectors.outlook_signin import SignIn, authorise, authority_of
from assistant.connectors.outlook_times import UTC, utc_text, wall_text, windows_zone
from assistant.core.item import Item

log = logging.getLogger(__name__)

CAPABILITIES = (Capability.WRITE | Capability.ALL_DAY | Capability.RECURRENCE | Capability.REMINDERS
                | Capability.SYNC_TOKENS | Capability.FREE_BUSY)
PAGE = 100
"""Items per page of a listing (`$top`) and of a delta round (`odata.maxpagesize`)."""
TRANSACTION_NAMESPACE = uuid.UUID("4f7c2b1e-93a5-4d6e-8f10-2a6b9c3d5e71")
"""Where the transactionId of a create comes from (with the calendar's and our item's id)."""
SCHEDULE_DAYS = 62
"""getSchedule answers at most this many days per request."""
SCHEDULE_PEOPLE = 20
EVENT_FIELDS = ("id,subject,start,end,isAllDay,showAs,isCancelled,location,attendees,type,seriesMasterId,"
                "originalStart,webLink,changeKey")
EXPAND = f"singleValueExtendedProperties($filter=id eq '{ITEM_PROPERTY}')"
"""Our item id property, read with each event."""


class OutlookConnector(Declared):
    def __init__(self, settings: Any, zone: ZoneInfo, signin: SignIn,
                 transport: httpx.BaseTransport | None = None):
        self.settings = settings
        self.name = settings.name
        self.zone = zone
        self.capabilities = CAPABILITIES & ~Capability.WRITE if settings.read_only else CAPABILITIES
        self.signin = signin
        self.base = settings.base_url.rstrip("/")
        self.http = Http.for_section(settings, transport=transport)
        self.graph = Graph(self.base, self.http, signin, self.name)
        self._calendar: dict | None = None
        self._calendars: list[dict] = []
        self._uids: dict[str, str] = {}
        """Graph id of a single event or series master → the uid we report (our item id where tagged)."""
        self._masters: dict[str, str] = {}
        """Graph id of an occurrence → its series master's id (for deltas that only name the occurrence)."""

    # --- the account and calendar --------------------------------------------------------------

    def authenticate(self) -> None:
        """Sign in (a token from the vault) and choose the calendar to write to."""
        self._calendars = list(self.graph.pages("/me/calendars", "listing calendars",
                                                params={"$select": "id,name,canEdit,isDefaultCalendar", "$top": 50}))
        wanted = self.settings.calendar.strip()
        if not wanted:
            default = self.graph.json("GET", "/me/calendar", "finding the default calendar",
                                      params={"$select": "id,name,canEdit"})
            self._calendar = {"id": default["id"], "name": default.get("name") or "Calendar", "default": True}
            return
        for calendar in self._calendars:
            if wanted.casefold() in (str(calendar.get("name", "")).casefold(), str(calendar.get("id", "")).casefold()):
                self._calendar = {"id": calendar["id"], "name": calendar.get("name") or wanted,
                                  "default": bool(calendar.get("isDefaultCalendar"))}
                return
        names = ", ".join(sorted(str(c.get("name")) for c in self._calendars)) or "none"
        raise ConnectorError(f"calendar {self.name!r}: no Outlook calendar named {wanted!r} on the account "
                             f"(found: {names})", retryable=False)

    def _target(self) -> dict:
        if self._calendar is None:
            self.authenticate()
        assert self._calendar is not None
        return self._calendar

    def _calendar_path(self) -> str:
        return f"/me/calendars/{quote(self._target()['id'], safe='')}"

    def refresh_token(self) -> None:
        """Renew the access token now (and store the rotated refresh token): the runtime's hourly job."""
        self.signin.token(force=True)

    def test_connection(self) -> str:
        self.authenticate()
        me = self.graph.json("GET", "/me", "reading the account",
                             params={"$select": "displayName,mail,userPrincipalName"})
        who = me.get("mail") or me.get("userPrincipalName") or me.get("displayName") or "the account"
        count = len(self._calendars)
        return (f"signed in to Microsoft as {who}; {count} calendar{'s' if count != 1 else ''}; writing to "
                f"{self._target()['name']!r}")

    def list_calendars(self) -> list[CalendarInfo]:
        self._target()
        return [CalendarInfo(id=c["id"], name=c.get("name") or c["id"], read_only=self.read_only)
                for c in self._calendars]

    def close(self) -> None:
        self.http.close()

    # --- reading -------------------------------------------------------------------------------

    def _key(self, event_id: str) -> str:
        """The cache key of an event (or series): the path of its Graph address, as `Written.extra["href"]`."""
        return unquote(urlsplit(self._href(event_id)).path)

    def _href(self, event_id: str) -> str:
        return f"{self.base}/me/events/{quote(event_id, safe='')}"

    def _window(self, start: datetime, end: datetime) -> dict:
        return {"startDateTime": utc_text(start), "endDateTime": utc_text(end)}

    def _view(self, start: datetime, end: datetime) -> list[dict]:
        params = {**self._window(start, end), "$select": EVENT_FIELDS, "$expand": EXPAND, "$top": PAGE}
        return list(self.graph.pages(f"{self._calendar_path()}/calendarView", "reading events", params=params,
                                     utc=True))

    def _tag(self, event: dict) -> str | None:
        for prop in event.get("singleValueExtendedProperties") or []:
            if str(prop.get("id", "")).casefold() == ITEM_PROPERTY.casefold():
                return prop.get("value")
        return None

    def _object_id(self, event: dict) -> str:
        master = event.get("seriesMasterId")
        if master and event.get("type") in ("occurrence", "exception"):
            self._masters[event["id"]] = master
            return master
        return event["id"]

    def _uid(self, event: dict) -> str:
        """Our item id for events we wrote (or their series), else Graph's id of the event or series."""
        object_id = self._object_id(event)
        tag = self._tag(event)
        if tag:
            self._uids[object_id] = tag
            return tag
        if object_id not in self._uids:
            if object_id == event["id"]:
                self._uids[object_id] = object_id
            else:
                master = self._get_event(object_id, "reading a repeating event")
                self._uids[object_id] = (self._tag(master) if master else None) or object_id
        return self._uids[object_id]

    def _objects(self, events: list[dict], start: datetime, end: datetime) -> dict[str, RemoteObject]:
        """Events (occurrences grouped by series) as cache objects keyed by `_key`."""
        objects: dict[str, RemoteObject] = {}
        for event in events:
            uid = self._uid(event)
            key = self._key(self._object_id(event))
            obj = objects.setdefault(key, RemoteObject(key=key, uid=uid, occurrences=[],
                                                       etag=str(event.get("changeKey") or "")))
            busy = busy_of(event, uid, self.zone, self.name)
            if busy is not None and overlaps(busy, start, end):
                obj.occurrences.append(busy)
        for obj in objects.values():
            obj.occurrences.sort(key=lambda b: (b.start, b.end))
        return objects

    def list_events(self, start: datetime, end: datetime) -> list[Busy]:
        found = [b for o in self._objects(self._view(start, end), start, end).values() for b in o.occurrences]
        return sorted(found, key=lambda b: (b.start, b.end, b.uid))

    def free_busy(self, start: datetime, end: datetime, people: list[str]) -> dict[str, list[Busy]]:
        """Other people's busy time from Graph's getSchedule; addresses it cannot answer for are left out."""
        addresses = list(dict.fromkeys(p.strip() for p in people if "@" in p))
        if not addresses:
            return {}
        answers: dict[str, list[Busy]] = {}
        failed: set[str] = set()
        for group in (addresses[i:i + SCHEDULE_PEOPLE] for i in range(0, len(addresses), SCHEDULE_PEOPLE)):
            piece = start
            while piece < end:
                piece_end = min(end, piece + timedelta(days=SCHEDULE_DAYS))
                for schedule in self._schedules(group, piece, piece_end):
                    who = str(schedule.get("scheduleId") or "").lower()
                    if who and schedule.get("error"):
                        failed.add(who)
                    elif who:
                        answers.setdefault(who, []).extend(schedule_busy(schedule, start, end, self.zone, self.name))
                piece = piece_end
        for who in failed:
            answers.pop(who, None)
        for spans in answers.values():
            spans.sort(key=lambda b: (b.start, b.end))
        return answers

    def _schedules(self, group: list[str], start: datetime, end: datetime) -> list[dict]:
        """getSchedule's answers (one per address) for at most SCHEDULE_PEOPLE people and SCHEDULE_DAYS."""
        body = {"schedules": group, "availabilityViewInterval": 30,
                "startTime": {"dateTime": wall_text(start.astimezone(UTC)), "timeZone": "UTC"},
                "endTime": {"dateTime": wall_text(end.astimezone(UTC)), "timeZone": "UTC"}}
        data = self.graph.json("POST", "/me/calendar/getSchedule", "asking for free/busy", json=body, utc=True)
        return data.get("value") or []

    # --- sync ----------------------------------------------------------------------------------

    def changes(self, start: datetime, end: datetime, token: str | None) -> Changes:
        state = _load_token(token)
        calendar_id = self._target()["id"]
        if state and state.get("calendar") == calendar_id and state.get("delta"):
            try:
                return self._delta(state["delta"], start, end)
            except (errors.NotFound, errors.Conflict):
                log.info("calendar %s: the delta link expired; listing everything again", self.name)
            except errors.Rejected as exc:
                if "syncstatenotfound" not in str(exc).casefold() and "resyncrequired" not in str(exc).casefold():
                    raise
                log.info("calendar %s: the delta link expired; listing everything again", self.name)
        return self._full(start, end)

    def _full(self, start: datetime, end: datetime) -> Changes:
        """Everything in the window, and a delta link for next time (the primary calendar's documented
        `/me/calendarView/delta`, else the calendar's own); a server refusing delta gets full listings."""
        path = "/me/calendarView/delta" if self._target().get("default") else \
            f"{self._calendar_path()}/calendarView/delta"
        try:
            _, link = self.graph.delta_round(path, self._window(start, end), PAGE)
        except (errors.Rejected, errors.NotFound) as exc:
            log.info("calendar %s: no delta sync (%s); listing everything each time", self.name, exc)
            link = None
        objects = self._objects(self._view(start, end), start, end)
        token = json.dumps({"v": 1, "calendar": self._target()["id"], "delta": link})
        return Changes(token=token, full=True, objects=list(objects.values()))

    def _delta(self, link: str, start: datetime, end: datetime) -> Changes:
        items, new_link = self.graph.delta_round(link, None, PAGE)
        changed: list[str] = []
        deleted: set[str] = set()
        for item in items:
            event_id = item.get("id")
            if not event_id:
                continue
            if "@removed" in item:
                master = self._masters.get(event_id)
                if master:
                    changed.append(master)
                else:
                    deleted.add(event_id)
                    self._uids.pop(event_id, None)
            else:
                changed.append(self._object_id(item))
        objects: dict[str, RemoteObject] = {}
        for object_id in dict.fromkeys(changed):
            key = self._key(object_id)
            events = self._series_or_event(object_id, start, end)
            if events is None:
                deleted.add(object_id)
                continue
            found = self._objects(events, start, end)
            objects[key] = found.get(key) or RemoteObject(key=key, uid=self._uids.get(object_id, object_id),
                                                          occurrences=[])
        keys = {self._key(d) for d in deleted} - set(objects)
        token = json.dumps({"v": 1, "calendar": self._target()["id"], "delta": new_link})
        return Changes(token=token, full=False, objects=list(objects.values()), deleted=sorted(keys))

    def _series_or_event(self, object_id: str, start: datetime, end: datetime) -> list[dict] | None:
        """The event as listed items: a series' instances in the window, or the single event; None if gone."""
        event = self._get_event(object_id, "syncing")
        if event is None:
            return None
        self._uids[object_id] = self._tag(event) or object_id
        if event.get("type") != "seriesMaster":
            return [event]
        params = {**self._window(start, end), "$select": EVENT_FIELDS, "$top": PAGE}
        return list(self.graph.pages(f"/me/events/{quote(object_id, safe='')}/instances", "syncing",
                                     params=params, utc=True))

    def _get_event(self, event_id: str, what: str) -> dict | None:
        response = self.graph.call("GET", f"/me/events/{quote(event_id, safe='')}", what, ok=(400, 404), utc=True,
                                   params={"$select": EVENT_FIELDS + ",recurrence", "$expand": EXPAND})
        if response.status_code in (400, 404):
            return None
        return json_body(response, what)

    # --- writing -------------------------------------------------------------------------------

    def _find(self, uid: str) -> dict | None:
        """Our event (single or series master) tagged with `uid`; else, for a Graph id (an event made
        elsewhere), that event; None when there is none."""
        quoted = uid.replace("'", "''")
        params = {"$filter": f"singleValueExtendedProperties/Any(ep: ep/id eq '{ITEM_PROPERTY}' and "
                             f"ep/value eq '{quoted}')",
                  "$select": EVENT_FIELDS + ",recurrence", "$expand": EXPAND, "$top": 2}
        found = self.graph.json("GET", f"{self._calendar_path()}/events", "finding an event", params=params,
                                utc=True).get("value") or []
        if found:
            return found[0]
        if len(uid) > 40:          # our ids are short; Graph's are long
            return self._get_event(uid, "finding an event")
        return None

    def create(self, item: Item) -> Written:
        self._require_write()
        body = self._create_body(item)
        existing = self._find(item.id)
        if existing is not None:
            log.info("calendar %s: %s already exists (a retried create); updating it", self.name, item.id)
            patch = {k: v for k, v in body.items() if k not in ("transactionId", "singleValueExtendedProperties")}
            event = self.graph.json("PATCH", f"/me/events/{quote(existing['id'], safe='')}", "updating an event",
                                    json=patch)
        else:
            event = self.graph.json("POST", f"{self._calendar_path()}/events", "creating an event", json=body)
        return self._written(item, event)

    def update(self, item: Item) -> Written:
        """Change the event of `item.id`; what the item leaves empty keeps the stored value. Creates it if gone."""
        self._require_write()
        refuse_notes(item, self.name)
        existing = self._find(item.id)
        if existing is None:
            return self.create(item)
        body = event_body(item, self.name, self.zone, full=False, existing=existing,
                          alarm_minutes=self._alarm_minutes())
        event = self.graph.json("PATCH", f"/me/events/{quote(existing['id'], safe='')}", "updating an event",
                                json=body)
        return self._written(item, event)

    def delete(self, uid: str) -> None:
        self._require_write()
        existing = self._find(uid)
        if existing is None:
            return
        self.graph.call("DELETE", f"/me/events/{quote(existing['id'], safe='')}", "deleting an event", ok=(404,))
        self._uids.pop(existing["id"], None)

    def _written(self, item: Item, event: dict) -> Written:
        event_id = event.get("id")
        if not event_id:
            raise errors.BadData(f"{host_of(self.base)} did not say which event it wrote for calendar {self.name!r}")
        self._uids[event_id] = item.id
        href = self._href(event_id)
        return Written(uid=item.id, link=event.get("webLink") or None, extra={"href": href, "event_id": event_id})

    def _create_body(self, item: Item) -> dict:
        """Everything of a new event, with the transaction id that makes Graph drop a repeated create
        and our item id in its extended property."""
        body = event_body(item, self.name, self.zone, full=True, alarm_minutes=self._alarm_minutes())
        body["transactionId"] = str(uuid.uuid5(TRANSACTION_NAMESPACE, f"{self._target()['id']}/{item.id}"))
        body["singleValueExtendedProperties"] = [{"id": ITEM_PROPERTY, "value": item.id}]
        return body

    def _alarm_minutes(self) -> int:
        return getattr(self.settings, "alarm_minutes", -1)


def _load_token(token: str | None) -> dict | None:
    try:
        state = json.loads(token) if token else None
    except ValueError:
        return None
    return state if isinstance(state, dict) and state.get("v") == 1 else None


def connector_from_config(section: Any, config: Any, store: Any) -> OutlookConnector:
    from assistant.vault import Vault  # noqa: PLC0415

    return OutlookConnector(section, config.zone, SignIn(section, Vault(store, config.data_dir)))


__all__ = ["CAPABILITIES", "ITEM_PROPERTY", "OutlookConnector", "SignIn", "UnsupportedRule", "authorise",
           "authority_of", "connector_from_config", "graph_recurrence", "windows_zone"]
