"""Notion: notes (and events and reminders routed there) as pages of one database, over the Notion API v1.

    [[notes]]
    name = "notion"
    type = "notion"
    token = "ntn_…"                  # an internal integration secret (or empty: the vault, see below)
    database = "…"                   # the database id (or its link); share it with the integration
    base_url = "https://api.notion.com/v1"

Talking to Notion — the token, pacing at 3 requests/s, 429s and errors worded per Notion's code — is
notion_api.py; the mapping of an item onto the database's own properties (and of a page back into busy
time) is notion_schema.py; the page's text as paragraph blocks is notion_blocks.py.

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
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator
from zoneinfo import ZoneInfo

import httpx

from assistant import errors
from assistant.connectors.base import Busy, CalendarInfo, Capability, Declared, Written
from assistant.connectors.notion_api import (DEFAULT_BASE_URL, MAX_RATE_WAIT, NOTION_VERSION, RATE, NotionApi,
                                             TokenBucket, token_source)
from assistant.connectors.notion_blocks import (BLOCKS_PER_REQUEST, TEXT_LIMIT, hashtags, page_text, paragraphs,
                                               pieces, plain)
from assistant.connectors.notion_schema import (ID_PROPERTY, Schema, database_id, page_busy, page_properties, remap,
                                                schema_of)
from assistant.core.item import Item, Kind
from assistant.store import Store
from assistant.store.notebook import RemoteIds

log = logging.getLogger(__name__)


class NotionConnector(Declared):
    capabilities = Capability.WRITE | Capability.NOTES | Capability.REMINDERS | Capability.ALL_DAY

    def __init__(self, name: str, store: Store, database: str, token: str = "", base_url: str = DEFAULT_BASE_URL,
                 zone: ZoneInfo = ZoneInfo("UTC"), timeout: float = 20.0, transport: httpx.BaseTransport | None = None,
                 data_dir: Path | None = None, rate: float = RATE, sleep: Callable[[float], None] = time.sleep,
                 max_rate_wait: float = MAX_RATE_WAIT):
        self.name = name
        self.store = store
        self.database = database_id(database)
        self.zone = zone
        self.api = NotionApi(name, store, token=token, base_url=base_url, timeout=timeout, transport=transport,
                             data_dir=data_dir, rate=rate, sleep=sleep, max_rate_wait=max_rate_wait)
        self.ids = RemoteIds(store, name)
        self._schema: Schema | None = None
        self._lock = threading.RLock()

    def close(self) -> None:
        self.api.close()

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
        data = self.api.call("GET", f"/databases/{self.database}", "reading the database's properties")
        schema = schema_of(data, self.database, self.name)
        if schema.id_property is None:
            schema.id_property = self._add_id_property()
        return schema

    def _add_id_property(self) -> str | None:
        """Add the hidden text property that holds our item ids; None when the integration may not."""
        try:
            self.api.call("PATCH", f"/databases/{self.database}", "adding the 'Assistant ID' property",
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
            busy = page_busy(page, schema, known, self.zone, self.name)
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
                    self.api.call("PATCH", f"/pages/{page_id}", "archiving a page", {"archived": True})
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
        blocks = paragraphs(page_text(item, schema, self.zone))
        body = {"parent": {"database_id": self.database}, "properties": page_properties(item, schema, full=True),
                "children": blocks[:BLOCKS_PER_REQUEST]}
        page = self._write("POST", "/pages", "creating a page", body)
        self.ids.set(item.id, page["id"], kind.value)
        self._append(page["id"], blocks[BLOCKS_PER_REQUEST:])
        return Written(uid=item.id, link=page.get("url"), extra={"page": page["id"]})

    def _update_page(self, page_id: str, item: Item, schema: Schema, full: bool) -> Written:
        row = self.ids.get(item.id)
        kind = self._kind(item, row)
        properties = page_properties(item, schema, full=full)
        try:
            page = self._write("PATCH", f"/pages/{page_id}", "updating a page", {"properties": properties})
        except (errors.NotFound, errors.Rejected) as exc:
            if isinstance(exc, errors.Rejected) and not self._archived(page_id):
                raise
            self.ids.forget(item.id)            # deleted (archived) in Notion meanwhile: make it again
            return self._create_page(item, schema)
        self.ids.set(item.id, page_id, kind.value)
        text = page_text(item, schema, self.zone)
        if text:
            self._replace_blocks(page_id, paragraphs(text))
        return Written(uid=item.id, link=page.get("url"), extra={"page": page_id})

    def _archived(self, page_id: str) -> bool:
        try:
            return bool(self.api.call("GET", f"/pages/{page_id}", "reading a page").get("archived"))
        except errors.NotFound:
            return True

    def _write(self, method: str, path: str, what: str, body: dict) -> dict:
        """A page write; when Notion refuses it for the schema, the schema is read again and it is tried once more."""
        try:
            return self.api.call(method, path, what, body)
        except errors.Rejected:
            if "properties" not in body:
                raise
            fresh = self.schema(fresh=True)
            body = {**body, "properties": remap(body["properties"], fresh)}
            return self.api.call(method, path, what, body)

    def _append(self, page_id: str, blocks: list[dict]) -> None:
        for start in range(0, len(blocks), BLOCKS_PER_REQUEST):
            self.api.call("PATCH", f"/blocks/{page_id}/children", "adding text to a page",
                          {"children": blocks[start:start + BLOCKS_PER_REQUEST]})

    def _replace_blocks(self, page_id: str, blocks: list[dict]) -> None:
        """The page's text becomes `blocks` (unchanged text is left alone)."""
        old = list(self._children(page_id))
        if [plain((b.get("paragraph") or {}).get("rich_text")) for b in old] == \
                [plain(b["paragraph"]["rich_text"]) for b in blocks] and all(b.get("type") == "paragraph" for b in old):
            return
        for block in old:
            try:
                self.api.call("DELETE", f"/blocks/{block['id']}", "replacing a page's text")
            except errors.NotFound:
                pass
        self._append(page_id, blocks)

    def _children(self, page_id: str) -> Iterator[dict]:
        return self.api.listing("GET", f"/blocks/{page_id}/children", "reading a page's text")

    def _query(self, query: dict, what: str) -> Iterator[dict]:
        return self.api.listing("POST", f"/databases/{self.database}/query", what, query)

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


def connector_from_config(section: Any, config: Any, store: Store) -> NotionConnector:
    return NotionConnector(section.name, store, database=section.database, token=section.token,
                           base_url=section.base_url, zone=config.zone, timeout=section.timeout_seconds,
                           data_dir=config.data_dir)


__all__ = ["ID_PROPERTY", "NOTION_VERSION", "NotionConnector", "Schema", "TokenBucket", "connector_from_config",
           "database_id", "hashtags", "paragraphs", "pieces", "plain", "token_source"]
