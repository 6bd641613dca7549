"""Notion: notes (and events and reminders routed there) as pages of one database, over the Notion API v1.

    [[notes]]
    name = "notion"
    type = "notion"
    token = "ntn_…"                  # an internal integration secret (or empty: the vault, see below)
    database = "…"                   # the database id (or its link); share it with the integration
    base_url = "https://api.notion.com/v1"

Talking to Notion (all through `assistant.connectors.http.Http`):

* `Authorization: Bearer TOKEN` and `Notion-Version: 2022-06-28` on every request. The token is the
  section's `token`; when that is empty it is read from the vault (`assistant.vault`, the secret stored
  under the entry's name by `assistant connect NAME` — a string, or a dict with `access_token`), and
  without either every call raises an `AuthError` that says to set the token. (`token_source` is the hook.)
* A token bucket keeps us at 3 requests/s (Notion's average limit); a 429 is waited out (its `Retry-After`,
  else a growing backoff) and tried again, up to MAX_RATE_RETRIES times; after that the outbox retries later.
* Errors are worded per Notion's `code` (unauthorized, object_not_found, validation_error, rate_limited…),
  naming the target and the action, never the note.

Mapping an item onto the database's own schema (read once with GET /databases/{id}):

* the title property, whatever its name, gets the title (at most 2,000 characters);
* the first date property (one named date / when / due first) gets the start — and the end of an event;
  all-day events are dates with an inclusive end, as Notion shows them;
* the first multi-select (one named tags first) gets the #hashtags of the text;
* rich-text properties named Location / Place / Where and Attendees / People / With get those fields;
* the text becomes paragraph blocks: a block per line, each cut into pieces of at most 2,000 characters
  (Notion's rich-text limit), at most 100 blocks per request;
* an update sets only what the item names (a reschedule keeps the title); new text replaces the blocks;
  delete archives the page.

Idempotency: the page id of each item is remembered (`store.notebook.RemoteIds`), so a second create of the
same item updates its page. A create whose answer was lost (the network failed after Notion made the
page) must not make a second page: the item id is also written to a text property "Assistant ID" (added
to the database's schema on first use when the database lacks one — hide it in your views), and a retry
first queries the database for a page holding that id. Where the schema cannot be changed (the
integration lacks the permission), a retry looks for a page with the same title created since the first
attempt (Notion's created time has minute precision, so the search starts a minute earlier).

Not `Syncable`: Notion is not read into the calendar cache (events written there are cached as they are
written). `list_events` answers the events it wrote that have a date in the window.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator
from zoneinfo import ZoneInfo

import httpx

from assistant import errors
from assistant.connectors.base import Busy, CalendarInfo, Capability, Declared, Written
from assistant.connectors.http import Http, host_of, json_body
from assistant.core import render
from assistant.core.item import Item, Kind
from assistant.core.zones import midnight
from assistant.store import Store, StoreError
from assistant.store.notebook import RemoteIds

log = logging.getLogger(__name__)

NOTION_VERSION = "2022-06-28"
DEFAULT_BASE_URL = "https://api.notion.com/v1"
RATE = 3.0
"""Requests per second (Notion: "an average of three requests per second")."""
MAX_RATE_RETRIES = 6
MAX_RATE_WAIT = 30.0
"""A 429 asking to wait longer than this is left to the outbox's retry."""
TEXT_LIMIT = 2000
"""Characters per rich-text object."""
RICH_TEXT_ITEMS = 100
"""Rich-text objects per array."""
BLOCKS_PER_REQUEST = 100
ID_PROPERTY = "Assistant ID"
HASHTAG = re.compile(r"(?<![\w#])#([^\W\d_][\w-]{0,60})")
DATE_NAMES = ("date", "when", "due", "day", "datum", "дата")
TAG_NAMES = ("tags", "tag", "labels", "schlagwörter", "теги")
LOCATION_NAMES = ("location", "place", "where", "ort", "место")
ATTENDEE_NAMES = ("attendees", "people", "with", "participants", "guests", "teilnehmer", "участники")


class TokenBucket:
    """At most `rate` requests a second on average, bursts of up to `capacity`; thread-safe. `take()`
    reserves a token and sleeps until it is due; `pause(seconds)` holds everyone back (after a 429)."""

    def __init__(self, rate: float = RATE, capacity: float | None = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.rate = rate
        self.capacity = capacity if capacity is not None else max(1.0, rate)
        self.clock = clock
        self.sleep = sleep
        self._tokens = self.capacity
        self._at = clock()
        self._lock = threading.Lock()

    def take(self) -> float:
        """Wait for a token; returns how long it waited."""
        with self._lock:
            now = self.clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._at) * self.rate)
            self._at = now
            self._tokens -= 1
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            self.sleep(wait)
        return wait

    def pause(self, seconds: float) -> None:
        """Nobody sends for `seconds` (the bucket is emptied that far ahead)."""
        with self._lock:
            now = self.clock()
            self._tokens = min(self._tokens, -seconds * self.rate)
            self._at = now


@dataclass
class Schema:
    """Which of the database's properties get what (None: the database has no such property)."""
    database: str
    name: str
    title: str
    date: str | None = None
    tags: str | None = None
    location: str | None = None
    attendees: str | None = None
    id_property: str | None = None
    id_type: str = "rich_text"
    url: str | None = None

    def describe(self) -> str:
        parts = [f"title → {self.title!r}", f"date → {self.date!r}" if self.date else "no date property",
                 f"tags → {self.tags!r}" if self.tags else "no multi-select for tags"]
        if self.location:
            parts.append(f"location → {self.location!r}")
        if self.attendees:
            parts.append(f"attendees → {self.attendees!r}")
        parts.append("text → paragraph blocks")
        parts.append(f"item id → {self.id_property!r}" if self.id_property else
                     "no id property (retries search by title and time)")
        return ", ".join(parts)


def database_id(value: str) -> str:
    """The id in what the owner pasted: a bare id (with or without dashes) or the database's link."""
    value = value.strip()
    found = re.findall(r"[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", value.split("?")[0])
    return found[-1].replace("-", "").lower() if found else value


def plain(rich: list[dict] | None) -> str:
    """The text of a rich-text array."""
    return "".join((r.get("plain_text") if r.get("plain_text") is not None else (r.get("text") or {}).get("content", ""))
                   for r in rich or [])


def pieces(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at a space where one is near the end."""
    out: list[str] = []
    while len(text) > limit:
        cut = text.rfind(" ", limit - 200, limit)
        cut = cut + 1 if cut > 0 else limit
        out.append(text[:cut])
        text = text[cut:]
    if text:
        out.append(text)
    return out


def rich_text(text: str) -> list[dict]:
    return [{"type": "text", "text": {"content": piece}} for piece in pieces(text)]


def paragraphs(text: str) -> list[dict]:
    """Paragraph blocks for `text`: one per line, at most RICH_TEXT_ITEMS pieces of 2,000 characters each
    (a longer line continues in the next block)."""
    blocks = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = rich_text(line)
        for start in range(0, len(parts), RICH_TEXT_ITEMS):
            blocks.append({"object": "block", "type": "paragraph",
                           "paragraph": {"rich_text": parts[start:start + RICH_TEXT_ITEMS]}})
    return blocks


def hashtags(*texts: str | None) -> list[str]:
    """#words of the text, in order, once each (Notion's option names allow no commas)."""
    found: dict[str, None] = {}
    for text in texts:
        for tag in HASHTAG.findall(text or ""):
            found.setdefault(tag, None)
    return list(found)


def token_source(name: str, store: Store | None, data_dir: Path | None) -> str | None:
    """The hook for `assistant connect NAME`: a token the vault keeps under the entry's name (a string, or
    {"access_token": …}); None when there is no vault, no secret, or no database to look in."""
    if store is None:
        return None
    try:
        from assistant import vault as vault_module  # noqa: PLC0415 (optional: the vault is another module's)
    except ImportError:
        return None
    try:
        if not store.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'vault'"):
            return None
        if not store.query("SELECT 1 FROM vault WHERE name = ?", [name]):
            return None
        secret = vault_module.Vault(store, data_dir or store.path.parent).get(name)
    except StoreError as exc:
        raise errors.AuthError(f"the Notion token of {name!r} cannot be read from the vault: {exc}") from None
    if isinstance(secret, str):
        return secret or None
    if isinstance(secret, dict):
        return secret.get("access_token") or secret.get("token") or None
    return None


class NotionConnector(Declared):
    capabilities = Capability.WRITE | Capability.NOTES | Capability.REMINDERS | Capability.ALL_DAY

    def __init__(self, name: str, store: Store, database: str, token: str = "", base_url: str = DEFAULT_BASE_URL,
                 zone: ZoneInfo = ZoneInfo("UTC"), timeout: float = 20.0, transport: httpx.BaseTransport | None = None,
                 data_dir: Path | None = None, rate: float = RATE, sleep: Callable[[float], None] = time.sleep,
                 max_rate_wait: float = MAX_RATE_WAIT):
        self.name = name
        self.store = store
        self.database = database_id(database)
        self.token = token
        self.base_url = base_url.rstrip("/")
        self.zone = zone
        self.data_dir = data_dir
        self.http = Http(timeout=timeout, transport=transport)
        self.bucket = TokenBucket(rate, sleep=sleep)
        self.sleep = sleep
        self.max_rate_wait = max_rate_wait
        self.ids = RemoteIds(store, name)
        self._schema: Schema | None = None
        self._lock = threading.RLock()

    # ── talking to Notion ───────────────────────────────────────────────────────────────────
    def _token(self) -> str:
        token = self.token or token_source(self.name, self.store, self.data_dir)
        if not token:
            raise errors.AuthError(f"the Notion target {self.name!r} has no token: set [[notes]] token to the "
                                   "internal integration's secret (notion.so/my-integrations), or run "
                                   f"`assistant connect {self.name}` for a public integration")
        return token

    def call(self, method: str, path: str, what: str, body: dict | None = None,
             params: dict | None = None) -> dict:
        """One API call at the bucket's pace; a 429 is waited out and tried again; a failure is the
        error tree's, worded for Notion."""
        headers = {"Authorization": f"Bearer {self._token()}", "Notion-Version": NOTION_VERSION}
        for attempt in range(MAX_RATE_RETRIES + 1):
            self.bucket.take()
            response = self.http.request(method, f"{self.base_url}{path}", what, checked=False, json=body,
                                         params=params, headers=headers)
            if response.status_code == 429 and attempt < MAX_RATE_RETRIES:
                wait = errors.retry_after_seconds(response.headers.get("Retry-After"))
                wait = wait if wait is not None else min(MAX_RATE_WAIT, 0.5 * 2 ** attempt)
                if wait <= self.max_rate_wait:
                    log.info("notion rate limited; waiting", extra={"target": self.name, "wait_s": wait})
                    self.bucket.pause(wait)
                    continue
            if 200 <= response.status_code < 300:
                return json_body(response, what)
            raise self._error(response, what)
        raise AssertionError("unreachable")  # pragma: no cover

    def _error(self, response: httpx.Response, what: str) -> errors.ConnectorError:
        status = response.status_code
        try:
            code = str(response.json().get("code") or "")
        except (ValueError, AttributeError):
            code = ""
        host = host_of(response.request.url)
        retry_after = errors.retry_after_seconds(response.headers.get("Retry-After"))
        where = f"Notion ({host}) while {what} (HTTP {status}{' ' + code if code else ''})"
        if status == 401:
            return errors.AuthError(f"{where} refused the token of {self.name!r}: check [[notes]] token (the "
                                    f"integration's secret), or run `assistant connect {self.name}`")
        if status == 403:
            return errors.PermissionError_(f"{where} does not allow it: give the integration the capabilities to "
                                           "read, insert and update content")
        if status == 404:
            return errors.NotFound(f"{where} found no such database or page: share the database with the "
                                   "integration (••• → Connections) and check [[notes]] database")
        if status == 409:
            return errors.Conflict(f"{where}: it changed meanwhile; will retry", retryable=True)
        if status == 429:
            return errors.RateLimited(f"{where} asks us to slow down; will retry", retry_after=retry_after)
        if status == 400 and code == "validation_error":
            return errors.Rejected(f"{where} refused what was sent: the database's properties may have changed")
        return errors.status_error(status, f"{where} failed" + ("; will retry" if status >= 500 else ""), retry_after)

    def close(self) -> None:
        self.http.close()

    # ── the schema ──────────────────────────────────────────────────────────────────────────
    def schema(self, fresh: bool = False) -> Schema:
        """The mapping onto the database's properties (read once; `fresh` reads it again)."""
        with self._lock:
            if self._schema is None or fresh:
                self._schema = self._read_schema()
            return self._schema

    def _read_schema(self) -> Schema:
        if not self.database:
            raise errors.Rejected(f"the Notion target {self.name!r} has no database: set [[notes]] database to the "
                                  "id (or the link) of a database shared with the integration")
        data = self.call("GET", f"/databases/{self.database}", "reading the database's properties")
        properties: dict[str, dict] = data.get("properties") or {}
        by_type: dict[str, list[str]] = {}
        for prop_name, prop in properties.items():
            by_type.setdefault(prop.get("type", ""), []).append(prop_name)
        titles = by_type.get("title") or []
        if not titles:
            raise errors.BadData(f"the Notion database of {self.name!r} has no title property")

        def pick(kind: str, names: tuple[str, ...], required: bool = False) -> str | None:
            candidates = [n for n in by_type.get(kind, []) if n != ID_PROPERTY]
            for wanted in names:
                for candidate in candidates:
                    if candidate.strip().lower() == wanted:
                        return candidate
            return candidates[0] if candidates and not required else None

        schema = Schema(database=self.database, name=plain(data.get("title")) or "Untitled", title=titles[0],
                        date=pick("date", DATE_NAMES), tags=pick("multi_select", TAG_NAMES),
                        location=pick("rich_text", LOCATION_NAMES, required=True),
                        attendees=pick("rich_text", ATTENDEE_NAMES, required=True), url=data.get("url"))
        for prop_name, prop in properties.items():
            if prop_name.strip().lower() == ID_PROPERTY.lower() and prop.get("type") in ("rich_text", "url"):
                schema.id_property, schema.id_type = prop_name, prop["type"]
        if schema.id_property is None:
            schema.id_property = self._add_id_property()
        return schema

    def _add_id_property(self) -> str | None:
        """Add the hidden text property that holds our item ids; None when the integration may not."""
        try:
            self.call("PATCH", f"/databases/{self.database}", "adding the 'Assistant ID' property",
                      {"properties": {ID_PROPERTY: {"rich_text": {}}}})
        except (errors.Rejected, errors.PermissionError_, errors.NotFound) as exc:
            log.info("notion id property not added; retries search by title", extra={"target": self.name,
                                                                                     "error": type(exc).__name__})
            return None
        return ID_PROPERTY

    # ── the connector ───────────────────────────────────────────────────────────────────────
    def authenticate(self) -> None:
        self.schema(fresh=True)

    def refresh_token(self) -> None:
        """An integration token does not expire (an OAuth token is renewed by `assistant connect`)."""

    def test_connection(self) -> str:
        schema = self.schema(fresh=True)
        return f"Notion database {schema.name!r}: {schema.describe()}"

    def list_calendars(self) -> list[CalendarInfo]:
        name = self._schema.name if self._schema else self.name
        return [CalendarInfo(id=self.database or self.name, name=name, read_only=self.read_only,
                             components=["VJOURNAL", "VEVENT", "VTODO"])]

    def free_busy(self, start: datetime, end: datetime, people: list[str]) -> dict[str, list[Busy]]:
        return {}

    def list_events(self, start: datetime, end: datetime) -> list[Busy]:
        """The events (and, never blocking, the reminders) this connector wrote, with a date in [start, end)."""
        schema = self.schema()
        if schema.date is None:
            return []
        known = self.ids.by_remote()
        query = {"filter": {"and": [
            {"property": schema.date, "date": {"on_or_before": end.isoformat()}},
            {"property": schema.date, "date": {"on_or_after": (start - timedelta(days=31)).date().isoformat()}}]}}
        found = []
        for page in self._query(query, "listing the database's dated pages"):
            busy = self._busy(page, schema, known)
            if busy is None:
                continue
            inside = start <= busy.start < end if busy.start == busy.end else busy.start < end and busy.end > start
            if inside:
                found.append(busy)
        return sorted(found, key=lambda b: (b.start, b.end, b.uid))

    def create(self, item: Item) -> Written:
        self._require_write()
        self._check(item)
        with self._lock:
            schema = self.schema()
            row = self.ids.get(item.id)
            page_id = row["remote_id"] if row else None
            if page_id is None and row is not None:
                page_id = self._find(item, schema, row["attempted_at"])     # an earlier attempt's answer was lost
            if page_id is not None:
                return self._update_page(page_id, item, schema, full=True)
            return self._create_page(item, schema)

    def update(self, item: Item) -> Written:
        """Set what the item names on its page (a reschedule keeps the title and text); creates it if gone."""
        self._require_write()
        with self._lock:
            schema = self.schema()
            row = self.ids.get(item.id)
            page_id = row["remote_id"] if row else None
            if page_id is None:
                page_id = self._find(item, schema, row["attempted_at"] if row else None)
            if page_id is None:
                self._check(item)
                return self._create_page(item, schema)
            self._check(item, partial=True)
            return self._update_page(page_id, item, schema, full=False)

    def delete(self, uid: str) -> None:
        """Archive the page (Notion's delete); one already gone is fine."""
        self._require_write()
        with self._lock:
            row = self.ids.get(uid)
            page_id = row["remote_id"] if row else None
            if page_id is None:
                schema = self.schema()
                page_id = self._find(Item(kind=Kind.NOTE, id=uid), schema, row["attempted_at"] if row else None)
            if page_id is not None:
                try:
                    self.call("PATCH", f"/pages/{page_id}", "archiving a page", {"archived": True})
                except (errors.NotFound, errors.Rejected):
                    pass   # already gone, or already archived
            self.ids.forget(uid)

    # ── inside ──────────────────────────────────────────────────────────────────────────────
    def _check(self, item: Item, partial: bool = False) -> None:
        """Refuse for good what a page cannot hold (`partial`: an update, which may name only some fields)."""
        if item.kind in (Kind.EVENT, Kind.REMINDER) and item.start is None and not partial:
            what = "an event" if item.kind == Kind.EVENT else "a reminder"
            raise errors.Rejected(f"cannot save it in Notion ({self.name!r}): {what} needs a time")
        if item.recurrence:
            raise errors.Rejected(f"Notion ({self.name!r}) cannot keep repeating items: route them to a calendar")

    def _kind(self, item: Item, row: dict | None) -> Kind:
        if item.kind in (Kind.EVENT, Kind.REMINDER, Kind.NOTE):
            return item.kind
        return Kind(row["kind"]) if row and row.get("kind") in {k.value for k in Kind} else Kind.EVENT

    def _create_page(self, item: Item, schema: Schema) -> Written:
        kind = self._kind(item, None)
        self.ids.begin(item.id, kind.value)          # committed before the request: a lost answer is found again
        blocks = paragraphs(self._text(item, schema))
        body = {"parent": {"database_id": self.database}, "properties": self._properties(item, schema, full=True),
                "children": blocks[:BLOCKS_PER_REQUEST]}
        page = self._write("POST", "/pages", "creating a page", body)
        self.ids.set(item.id, page["id"], kind.value)
        self._append(page["id"], blocks[BLOCKS_PER_REQUEST:])
        return Written(uid=item.id, link=page.get("url"), extra={"page": page["id"]})

    def _update_page(self, page_id: str, item: Item, schema: Schema, full: bool) -> Written:
        row = self.ids.get(item.id)
        kind = self._kind(item, row)
        properties = self._properties(item, schema, full=full)
        try:
            page = self._write("PATCH", f"/pages/{page_id}", "updating a page", {"properties": properties})
        except (errors.NotFound, errors.Rejected) as exc:
            if isinstance(exc, errors.Rejected) and not self._archived(page_id):
                raise
            self.ids.forget(item.id)            # deleted (archived) in Notion meanwhile: make it again
            return self._create_page(item, schema)
        self.ids.set(item.id, page_id, kind.value)
        text = self._text(item, schema)
        if text:
            self._replace_blocks(page_id, paragraphs(text))
        return Written(uid=item.id, link=page.get("url"), extra={"page": page_id})

    def _archived(self, page_id: str) -> bool:
        try:
            return bool(self.call("GET", f"/pages/{page_id}", "reading a page").get("archived"))
        except errors.NotFound:
            return True

    def _write(self, method: str, path: str, what: str, body: dict) -> dict:
        """A page write; when Notion refuses it for the schema, the schema is read again and it is tried once more."""
        try:
            return self.call(method, path, what, body)
        except errors.Rejected:
            if "properties" not in body:
                raise
            fresh = self.schema(fresh=True)
            body = {**body, "properties": self._remap(body["properties"], fresh)}
            return self.call(method, path, what, body)

    def _remap(self, properties: dict, schema: Schema) -> dict:
        """Keep only properties the (re-read) schema still has."""
        kept = {schema.title, schema.date, schema.tags, schema.location, schema.attendees, schema.id_property}
        return {name: value for name, value in properties.items() if name in kept}

    def _properties(self, item: Item, schema: Schema, full: bool) -> dict[str, Any]:
        props: dict[str, Any] = {}
        if item.title or full:
            props[schema.title] = {"title": [{"type": "text", "text": {"content": (item.title or "(no title)")[:TEXT_LIMIT]}}]}
        if schema.date and item.start is not None:
            props[schema.date] = {"date": self._date(item)}
        tags = hashtags(item.title, item.body, item.context)
        if schema.tags and tags:
            props[schema.tags] = {"multi_select": [{"name": tag} for tag in tags]}
        if schema.location and item.location:
            props[schema.location] = {"rich_text": rich_text(item.location)[:RICH_TEXT_ITEMS]}
        if schema.attendees and item.attendees:
            props[schema.attendees] = {"rich_text": rich_text(", ".join(item.attendees))[:RICH_TEXT_ITEMS]}
        if schema.id_property and full:
            props[schema.id_property] = ({"url": f"assistant:{item.id}"} if schema.id_type == "url"
                                         else {"rich_text": [{"type": "text", "text": {"content": item.id}}]})
        return props

    def _date(self, item: Item) -> dict[str, Any]:
        start, end = item.start, item.end
        if item.all_day or not isinstance(start, datetime):
            first = start.date() if isinstance(start, datetime) else start
            last = end.date() if isinstance(end, datetime) else end
            inclusive = last - timedelta(days=1) if isinstance(last, date) and last > first + timedelta(days=1) else None
            return {"start": first.isoformat(), "end": inclusive.isoformat() if inclusive else None}
        if end is None and item.kind != Kind.REMINDER:
            end = start + timedelta(minutes=item.duration_minutes or 60)
        return {"start": start.isoformat(), "end": end.isoformat() if isinstance(end, datetime) and end != start else None}

    def _text(self, item: Item, schema: Schema) -> str:
        """What goes into the page as text: the note's body, or an event's details and description."""
        lines = []
        if item.kind != Kind.NOTE:
            if item.start is not None and schema.date is None:
                lines.append(f"When: {render.when_text(item, self.zone)}")
            if item.location and not schema.location:
                lines.append(f"Where: {item.location}")
            if item.attendees and not schema.attendees:
                lines.append("With: " + ", ".join(item.attendees))
        body = (item.description or "").strip()
        if body and (item.kind == Kind.NOTE or body.casefold() != (item.title or "").strip().casefold()):
            lines.append(body)   # a note's text always (the page shows it), an event's when it says more
        return "\n".join(lines)

    def _append(self, page_id: str, blocks: list[dict]) -> None:
        for start in range(0, len(blocks), BLOCKS_PER_REQUEST):
            self.call("PATCH", f"/blocks/{page_id}/children", "adding text to a page",
                      {"children": blocks[start:start + BLOCKS_PER_REQUEST]})

    def _replace_blocks(self, page_id: str, blocks: list[dict]) -> None:
        """The page's text becomes `blocks` (unchanged text is left alone)."""
        old = list(self._children(page_id))
        if [plain((b.get("paragraph") or {}).get("rich_text")) for b in old] == \
                [plain(b["paragraph"]["rich_text"]) for b in blocks] and all(b.get("type") == "paragraph" for b in old):
            return
        for block in old:
            try:
                self.call("DELETE", f"/blocks/{block['id']}", "replacing a page's text")
            except errors.NotFound:
                pass
        self._append(page_id, blocks)

    def _children(self, page_id: str) -> Iterator[dict]:
        cursor = None
        while True:
            params = {"page_size": 100, **({"start_cursor": cursor} if cursor else {})}
            data = self.call("GET", f"/blocks/{page_id}/children", "reading a page's text", params=params)
            yield from data.get("results") or []
            cursor = data.get("next_cursor")
            if not data.get("has_more") or not cursor:
                return

    def _query(self, query: dict, what: str) -> Iterator[dict]:
        cursor = None
        while True:
            body = {**query, "page_size": 100, **({"start_cursor": cursor} if cursor else {})}
            data = self.call("POST", f"/databases/{self.database}/query", what, body)
            yield from data.get("results") or []
            cursor = data.get("next_cursor")
            if not data.get("has_more") or not cursor:
                return

    def _find(self, item: Item, schema: Schema, attempted_at: str | None) -> str | None:
        """The page an earlier attempt made for this item: by our id property, else (no such property,
        and an attempt we know of) by title and creation time."""
        if schema.id_property:
            condition = ({"url": {"equals": f"assistant:{item.id}"}} if schema.id_type == "url"
                         else {"rich_text": {"equals": item.id}})
            query = {"filter": {"property": schema.id_property, **condition}}
        elif attempted_at and item.title:
            since = datetime.fromisoformat(attempted_at).replace(second=0, microsecond=0) - timedelta(minutes=1)
            query = {"filter": {"and": [
                {"property": schema.title, "title": {"equals": item.title[:TEXT_LIMIT]}},
                {"timestamp": "created_time", "created_time": {"on_or_after": since.isoformat()}}]}}
        else:
            return None
        for page in self._query(query, "looking for a page made earlier"):
            if not page.get("archived"):
                return page["id"]
        return None

    def _busy(self, page: dict, schema: Schema, known: dict[str, dict]) -> Busy | None:
        props = page.get("properties") or {}
        row = known.get(page["id"])
        uid = row["item_id"] if row else None
        if uid is None and schema.id_property:
            value = props.get(schema.id_property) or {}
            uid = (value.get("url") or "").removeprefix("assistant:") if schema.id_type == "url" else plain(value.get("rich_text"))
        if not uid:
            return None
        kind = row["kind"] if row else Kind.EVENT.value
        if kind == Kind.NOTE.value:
            return None
        when = (props.get(schema.date) or {}).get("date") or {}
        if not when.get("start"):
            return None
        start, end, all_day = self._span(when)
        text = lambda name: plain((props.get(name) or {}).get("rich_text")) if name else ""  # noqa: E731
        attendees = [a.strip() for a in text(schema.attendees).split(",") if a.strip()]
        return Busy(start=start, end=end, title=plain((props.get(schema.title) or {}).get("title")), uid=uid,
                    calendar=self.name, all_day=all_day, location=text(schema.location) or None, attendees=attendees,
                    transparent=kind == Kind.REMINDER.value)

    def _span(self, when: dict) -> tuple[datetime, datetime, bool]:
        raw_start, raw_end = when["start"], when.get("end")
        if len(raw_start) == 10:
            first = date.fromisoformat(raw_start)
            last = date.fromisoformat(raw_end[:10]) + timedelta(days=1) if raw_end else first + timedelta(days=1)
            return midnight(first, self.zone), midnight(last, self.zone), True
        start = _instant(raw_start, self.zone)
        end = _instant(raw_end, self.zone) if raw_end else start
        return start.astimezone(self.zone), end.astimezone(self.zone), False


def _instant(value: str, zone: ZoneInfo) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def connector_from_config(section: Any, config: Any, store: Store) -> NotionConnector:
    return NotionConnector(section.name, store, database=section.database, token=section.token,
                           base_url=section.base_url, zone=config.zone, timeout=section.timeout_seconds,
                           data_dir=config.data_dir)


__all__ = ["ID_PROPERTY", "NOTION_VERSION", "NotionConnector", "Schema", "TokenBucket", "connector_from_config",
           "database_id", "hashtags", "paragraphs", "pieces", "token_source"]
