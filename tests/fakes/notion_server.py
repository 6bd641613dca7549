"""A loopback fake of the Notion API v1 (version 2022-06-28), written from its reference
(developers.notion.com/reference): enough of databases, pages and blocks for a connector, with Notion's
error bodies and limits.

    with FakeNotion() as notion:              # one database ("Meeting notes": Name, Date, Tags, Location, Attendees)
        connector = NotionConnector("notion", store, database=notion.database_id, token=notion.token,
                                    base_url=notion.base_url)
        notion.pages_in()                     # live pages of the database
        notion.text_of(page_id)               # its paragraphs, one per line

What it checks, as Notion does:

* `Authorization: Bearer <token>` → else 401 `unauthorized`; `Notion-Version` → else 400 `missing_version`
  (an unknown version: 400 `validation_error`);
* more than `rate` requests in any second → 429 `rate_limited` with `Retry-After: 1` (Notion averages three
  a second; this fake is stricter, so a burst sees real 429s);
* property values against the database's schema: unknown names, wrong types, rich text over 2,000
  characters or 100 items, commas in multi-select names, unreadable dates, more than 100 children →
  400 `validation_error` with Notion's "body failed validation: …" messages;
* unknown ids → 404 `object_not_found`; an archived page cannot be edited (400 `validation_error`)
  until it is unarchived; archived pages are not returned by database queries;
* `POST /search` (query words, `filter` by object: page or database) lists what is shared;
* queries: `filter` (and/or; title, rich_text, url: equals, contains, starts_with, ends_with, is_empty,
  is_not_empty; date: equals, before, after, on_or_before, on_or_after, is_empty, is_not_empty;
  multi_select: contains; created_time / last_edited_time timestamps), `page_size` ≤ 100 and
  `start_cursor` / `next_cursor` / `has_more` pagination; block children are paginated the same way.
* `created_time` has minute precision, as Notion's has.

Test controls: `fail_next(status, code, …)` (an error body the next matching request gets),
`lose_next(method, path)` (the request is carried out, then the connection drops without an answer),
`allow_schema_change` (False: PATCH /databases answers 403 `restricted_resource`), `calls`.
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.loopback import LoopbackServer

TOKEN = "ntn_fake_secret_4711"
VERSIONS = {"2022-06-28", "2022-02-22", "2021-08-16", "2021-05-13"}
DEFAULT_PROPERTIES = {"Name": "title", "Date": "date", "Tags": "multi_select", "Location": "rich_text",
                      "Attendees": "rich_text"}


class NotionError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


@dataclass
class Call:
    method: str
    path: str
    status: int
    at: float
    body: Any = None


def _now_iso(minute: bool = False) -> str:
    now = datetime.now(timezone.utc)
    if minute:
        now = now.replace(second=0, microsecond=0)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _invalid(message: str) -> NotionError:
    return NotionError(400, "validation_error", message)


def _not_found(kind: str, object_id: str) -> NotionError:
    return NotionError(404, "object_not_found", f"Could not find {kind} with ID: {object_id}. Make sure the relevant "
                                                "pages and databases are shared with your integration.")


def _rich(items: list[dict], where: str) -> list[dict]:
    """Validate a rich-text array and answer it as Notion does (with plain_text and annotations)."""
    if not isinstance(items, list):
        raise _invalid(f"body failed validation: {where} should be an array, instead was `{json.dumps(items)}`.")
    if len(items) > 100:
        raise _invalid(f"body failed validation: {where}.length should be ≤ `100`, instead was `{len(items)}`.")
    out = []
    for i, item in enumerate(items):
        content = ((item or {}).get("text") or {}).get("content")
        if not isinstance(content, str):
            raise _invalid(f"body failed validation: {where}[{i}].text.content should be defined, instead was "
                           "`undefined`.")
        if len(content) > 2000:
            raise _invalid(f"body failed validation: {where}[{i}].text.content.length should be ≤ `2000`, instead "
                           f"was `{len(content)}`.")
        out.append({"type": "text", "text": {"content": content, "link": None},
                    "annotations": {"bold": False, "italic": False, "strikethrough": False, "underline": False,
                                    "code": False, "color": "default"}, "plain_text": content, "href": None})
    return out


def _parse_date(value: Any, where: str) -> date | datetime:
    if not isinstance(value, str):
        raise _invalid(f"body failed validation: {where} should be a string, instead was `{json.dumps(value)}`.")
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    except ValueError:
        raise _invalid(f"body failed validation: {where} should be a valid ISO 8601 date string, instead was "
                       f"`{json.dumps(value)}`.") from None


def _instant(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)


class FakeNotion:
    def __init__(self, token: str = TOKEN, rate: float = 3.0, properties: dict[str, str] | None = None,
                 title: str = "Meeting notes", allow_schema_change: bool = True):
        self.token = token
        self.rate = rate
        self.allow_schema_change = allow_schema_change
        self.lock = threading.RLock()
        self.calls: list[Call] = []
        self.database_id = str(uuid.uuid4())
        props = properties if properties is not None else DEFAULT_PROPERTIES
        self.database = {"object": "database", "id": self.database_id, "created_time": _now_iso(True),
                         "last_edited_time": _now_iso(True),
                         "title": _rich([{"text": {"content": title}}], "title"), "description": [],
                         "properties": {name: self._property(name, kind) for name, kind in props.items()},
                         "parent": {"type": "workspace", "workspace": True}, "archived": False,
                         "url": f"https://www.notion.so/{self.database_id.replace('-', '')}"}
        self.pages: dict[str, dict] = {}
        self.blocks: dict[str, list[dict]] = {}
        self._recent: list[float] = []
        self._failures: list[tuple[str | None, str | None, NotionError]] = []
        self._lose: list[tuple[str, str]] = []
        self._server: LoopbackServer | None = None
        self._thread: threading.Thread | None = None

    # ── lifecycle ───────────────────────────────────────────────────────────────────────────
    def start(self) -> "FakeNotion":
        fake = self

        class Handler(_Handler):
            notion = fake

        self._server = LoopbackServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeNotion":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    # ── test controls ───────────────────────────────────────────────────────────────────────
    def fail_next(self, status: int, code: str, message: str = "failed", retry_after: int | None = None,
                  method: str | None = None, path: str | None = None) -> None:
        """The next request (of `method`, whose path contains `path`, when given) gets this error."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self.lock:
            self._failures.append((method, path, NotionError(status, code, message, headers)))

    def lose_next(self, method: str, path: str) -> None:
        """The next `method` request whose path contains `path` is carried out, but never answered."""
        with self.lock:
            self._lose.append((method, path))

    def pages_in(self) -> list[dict]:
        """Live (not archived) pages of the database, oldest first."""
        with self.lock:
            return [p for p in self.pages.values() if not p["archived"]]

    def title_of(self, page: dict) -> str:
        for value in page["properties"].values():
            if value["type"] == "title":
                return "".join(r["plain_text"] for r in value["title"])
        return ""

    def text_of(self, page_id: str) -> str:
        with self.lock:
            lines = []
            for block in self.blocks.get(page_id, []):
                content = block.get(block["type"], {}).get("rich_text", [])
                lines.append("".join(r["plain_text"] for r in content))
            return "\n".join(lines)

    def count(self, method: str, path_part: str = "", status: int | None = None) -> int:
        with self.lock:
            return sum(1 for c in self.calls if c.method == method and path_part in c.path
                       and (status is None or c.status == status))

    # ── the API ─────────────────────────────────────────────────────────────────────────────
    def handle(self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: Any) -> tuple[int, Any, dict]:
        """(status, JSON body, extra headers); raises _Lost to drop the connection."""
        lost = False
        try:
            self._check_headers(headers)
            with self.lock:
                self._limit()
                failure = self._failure(method, path)
                if failure is not None:
                    raise failure
                for i, (m, p) in enumerate(self._lose):
                    if m == method and p in path:
                        del self._lose[i]
                        lost = True
                        break
                status, answer = self._route(method, path, query, body)
        except NotionError as exc:
            status, answer = exc.status, {"object": "error", "status": exc.status, "code": exc.code,
                                          "message": exc.message}
            with self.lock:
                self.calls.append(Call(method, path, status, time.monotonic(), body))
            return status, answer, exc.headers
        with self.lock:
            self.calls.append(Call(method, path, status, time.monotonic(), body))
        if lost:
            raise _Lost()
        return status, answer, {}

    def _check_headers(self, headers: Any) -> None:
        auth = headers.get("Authorization") or ""
        if auth != f"Bearer {self.token}":
            raise NotionError(401, "unauthorized", "API token is invalid.")
        version = headers.get("Notion-Version")
        if not version:
            raise NotionError(400, "missing_version", "Notion-Version header failed validation: Notion-Version header "
                                                      "should be defined, instead was `undefined`.")
        if version not in VERSIONS:
            raise _invalid(f"Notion-Version header failed validation: Notion-Version header should be a valid version,"
                           f" instead was `{version}`.")

    def _limit(self) -> None:
        now = time.monotonic()
        self._recent = [t for t in self._recent if now - t < 1.0]
        if len(self._recent) >= self.rate:
            raise NotionError(429, "rate_limited", "You have been rate limited. Please try again in a few minutes.",
                              {"Retry-After": "1"})
        self._recent.append(now)

    def _failure(self, method: str, path: str) -> NotionError | None:
        for i, (m, p, error) in enumerate(self._failures):
            if (m is None or m == method) and (p is None or p in path):
                del self._failures[i]
                return error
        return None

    def _route(self, method: str, path: str, query: dict, body: Any) -> tuple[int, Any]:
        parts = [p for p in path.split("/") if p]
        if not parts or parts[0] != "v1":
            raise NotionError(400, "invalid_request_url", "Invalid request URL.")
        parts = parts[1:]
        if parts == ["users", "me"] and method == "GET":
            return 200, {"object": "user", "id": str(uuid.uuid4()), "type": "bot", "name": "assistant",
                         "bot": {"owner": {"type": "workspace", "workspace": True}}}
        if len(parts) >= 2 and parts[0] == "databases":
            database = self._database(parts[1])
            if len(parts) == 2 and method == "GET":
                return 200, database
            if len(parts) == 2 and method == "PATCH":
                return 200, self._patch_database(body)
            if len(parts) == 3 and parts[2] == "query" and method == "POST":
                return 200, self._query(body or {})
        if parts == ["search"] and method == "POST":
            return 200, self._search(body or {})
        if parts == ["pages"] and method == "POST":
            return 200, self._create_page(body or {})
        if len(parts) == 2 and parts[0] == "pages":
            page = self._page(parts[1])
            if method == "GET":
                return 200, page
            if method == "PATCH":
                return 200, self._patch_page(page, body or {})
        if len(parts) == 3 and parts[0] == "blocks" and parts[2] == "children":
            parent = self._block_parent(parts[1])
            if method == "GET":
                return 200, self._children(parent, query)
            if method == "PATCH":
                return 200, self._append(parent, (body or {}).get("children"))
        if len(parts) == 2 and parts[0] == "blocks" and method == "DELETE":
            return 200, self._delete_block(parts[1])
        raise NotionError(400, "invalid_request_url", "Invalid request URL.")

    # databases
    def _property(self, name: str, kind: str) -> dict:
        prop = {"id": "title" if kind == "title" else uuid.uuid4().hex[:4], "name": name, "type": kind}
        prop[kind] = {"options": []} if kind in ("select", "multi_select") else {}
        return prop

    def _database(self, database_id: str) -> dict:
        if database_id.replace("-", "") != self.database_id.replace("-", ""):
            raise _not_found("database", database_id)
        return self.database

    def _patch_database(self, body: Any) -> dict:
        if not self.allow_schema_change:
            raise NotionError(403, "restricted_resource", "Insufficient permissions for this endpoint.")
        for name, spec in ((body or {}).get("properties") or {}).items():
            if spec is None:
                self.database["properties"].pop(name, None)
                continue
            kinds = [k for k in spec if k != "name"]
            if len(kinds) != 1 or kinds[0] not in ("title", "rich_text", "url", "date", "multi_select", "select",
                                                    "number", "checkbox"):
                raise _invalid(f"body failed validation: body.properties.{name} should be a property schema.")
            self.database["properties"][name] = self._property(name, kinds[0])
        return self.database

    def _schema(self) -> dict[str, dict]:
        return self.database["properties"]

    # pages
    def _page(self, page_id: str) -> dict:
        for key, page in self.pages.items():
            if key.replace("-", "") == page_id.replace("-", ""):
                return page
        raise _not_found("page", page_id)

    def _values(self, given: Any, existing: dict | None) -> dict:
        if not isinstance(given, dict):
            raise _invalid("body failed validation: body.properties should be an object.")
        schema = self._schema()
        values = dict(existing or {})
        for name, value in given.items():
            prop = schema.get(name)
            if prop is None:
                raise _invalid(f"{name} is not a property that exists.")
            kind = prop["type"]
            if not isinstance(value, dict) or kind not in value:
                raise _invalid(f"{name} is expected to be {kind}.")
            values[name] = self._value(name, prop, value[kind])
        for name, prop in schema.items():
            if name not in values:
                values[name] = self._value(name, prop, None, empty=True)
        return values

    def _value(self, name: str, prop: dict, raw: Any, empty: bool = False) -> dict:
        kind = prop["type"]
        where = f"body.properties.{name}.{kind}"
        answer: dict[str, Any] = {"id": prop["id"], "type": kind}
        if kind in ("title", "rich_text"):
            answer[kind] = [] if empty or raw is None else _rich(raw, where)
        elif kind == "date":
            if empty or raw is None:
                answer[kind] = None
            else:
                if not isinstance(raw, dict) or "start" not in raw:
                    raise _invalid(f"body failed validation: {where}.start should be defined, instead was `undefined`.")
                start = _parse_date(raw["start"], f"{where}.start")
                end = _parse_date(raw["end"], f"{where}.end") if raw.get("end") else None
                if end is not None and _instant(end) < _instant(start):
                    raise _invalid(f"body failed validation: {where}.end should be after start.")
                answer[kind] = {"start": raw["start"], "end": raw.get("end"), "time_zone": raw.get("time_zone")}
        elif kind == "multi_select":
            options = []
            for i, option in enumerate([] if empty or raw is None else raw):
                label = (option or {}).get("name")
                if not isinstance(label, str) or not label:
                    raise _invalid(f"body failed validation: {where}[{i}].name should be defined.")
                if "," in label:
                    raise _invalid(f"Invalid multi_select value, commas not allowed: {label}")
                if len(label) > 100:
                    raise _invalid(f"body failed validation: {where}[{i}].name.length should be ≤ `100`.")
                known = {o["name"]: o for o in prop[kind]["options"]}
                if label not in known:
                    known[label] = {"id": uuid.uuid4().hex[:4], "name": label, "color": "default"}
                    prop[kind]["options"].append(known[label])
                options.append(known[label])
            answer[kind] = options
        elif kind == "url":
            if raw is not None and (not isinstance(raw, str) or len(raw) > 2000):
                raise _invalid(f"body failed validation: {where} should be a string of at most 2000 characters.")
            answer[kind] = None if empty else raw
        else:
            answer[kind] = None if empty else raw
        return answer

    def _create_page(self, body: dict) -> dict:
        parent = body.get("parent") or {}
        if "database_id" not in parent:
            raise _invalid("body failed validation: body.parent.database_id should be defined, instead was "
                           "`undefined`.")
        self._database(parent["database_id"])
        children = body.get("children") or []
        blocks = self._blocks(children, "body.children")
        page_id = str(uuid.uuid4())
        stamp = _now_iso(minute=True)
        page = {"object": "page", "id": page_id, "created_time": stamp, "last_edited_time": stamp,
                "created_by": {"object": "user", "id": "bot"}, "parent": {"type": "database_id",
                                                                          "database_id": self.database_id},
                "archived": False, "properties": self._values(body.get("properties") or {}, None),
                "url": f"https://www.notion.so/{page_id.replace('-', '')}"}
        self.pages[page_id] = page
        self.blocks[page_id] = [self._block_of(b, page_id) for b in blocks]
        return page

    def _patch_page(self, page: dict, body: dict) -> dict:
        if page["archived"] and body.get("archived") is not False:
            raise _invalid("Can't edit block that is archived. You must unarchive the block before editing.")
        if "properties" in body:
            page["properties"] = self._values(body["properties"], page["properties"])
        if "archived" in body:
            page["archived"] = bool(body["archived"])
        page["last_edited_time"] = _now_iso(minute=True)
        return page

    # blocks
    def _blocks(self, children: Any, where: str) -> list[dict]:
        if not isinstance(children, list):
            raise _invalid(f"body failed validation: {where} should be an array.")
        if len(children) > 100:
            raise _invalid(f"body failed validation: {where}.length should be ≤ `100`, instead was `{len(children)}`.")
        for i, block in enumerate(children):
            kind = (block or {}).get("type")
            if kind not in ("paragraph", "heading_1", "heading_2", "heading_3", "bulleted_list_item",
                            "numbered_list_item", "to_do", "quote"):
                raise _invalid(f"body failed validation: {where}[{i}].type should be a block type.")
            _rich((block.get(kind) or {}).get("rich_text", []), f"{where}[{i}].{kind}.rich_text")
        return children

    def _block_of(self, block: dict, parent: str) -> dict:
        kind = block["type"]
        return {"object": "block", "id": str(uuid.uuid4()), "type": kind, "has_children": False, "archived": False,
                "parent": {"type": "page_id", "page_id": parent},
                kind: {"rich_text": _rich(block[kind].get("rich_text", []), kind), "color": "default"}}

    def _block_parent(self, block_id: str) -> str:
        page = self._page(block_id)
        if page["archived"]:
            raise _invalid("Can't edit block that is archived. You must unarchive the block before editing.")
        return page["id"]

    def _children(self, parent: str, query: dict) -> dict:
        return self._paged(self.blocks.get(parent, []), query.get("start_cursor", [None])[0],
                           query.get("page_size", [None])[0], "block")

    def _append(self, parent: str, children: Any) -> dict:
        blocks = [self._block_of(b, parent) for b in self._blocks(children, "body.children")]
        self.blocks.setdefault(parent, []).extend(blocks)
        return {"object": "list", "results": blocks, "next_cursor": None, "has_more": False, "type": "block",
                "block": {}}

    def _delete_block(self, block_id: str) -> dict:
        for parent, blocks in self.blocks.items():
            for block in blocks:
                if block["id"] == block_id:
                    blocks.remove(block)
                    return {**block, "archived": True}
        raise _not_found("block", block_id)

    # queries
    def _search(self, body: dict) -> dict:
        """POST /search: the database and live pages shared with the integration, by title words."""
        wanted = (body.get("filter") or {}).get("value")
        if wanted not in (None, "page", "database"):
            raise _invalid("body failed validation: body.filter.value should be `\"page\"` or `\"database\"`.")
        found = [] if wanted == "page" else [self.database]
        if wanted != "database":
            found += [p for p in self.pages.values() if not p["archived"]]
        words = str(body.get("query") or "").lower()
        if words:
            found = [r for r in found if words in "".join(t["plain_text"] for t in r.get("title", [])).lower()
                     or words in self.title_of(r).lower()]
        return self._paged(found, body.get("start_cursor"), body.get("page_size"), "page_or_database")

    def _query(self, body: dict) -> dict:
        pages = [p for p in self.pages.values() if not p["archived"]]
        if body.get("filter"):
            pages = [p for p in pages if self._matches(p, body["filter"])]
        return self._paged(pages, body.get("start_cursor"), body.get("page_size"), "page_or_database")

    def _paged(self, rows: list[dict], cursor: str | None, size: Any, kind: str) -> dict:
        try:
            size = int(size) if size is not None else 100
        except ValueError:
            raise _invalid("body failed validation: page_size should be a number.") from None
        if not 1 <= size <= 100:
            raise _invalid(f"body failed validation: body.page_size should be ≤ `100`, instead was `{size}`.")
        start = 0
        if cursor:
            ids = [r["id"] for r in rows]
            if cursor not in ids:
                raise _invalid("body failed validation: start_cursor should be a valid cursor.")
            start = ids.index(cursor)
        chunk = rows[start:start + size]
        more = start + size < len(rows)
        return {"object": "list", "results": chunk, "next_cursor": rows[start + size]["id"] if more else None,
                "has_more": more, "type": kind, kind: {}}

    def _matches(self, page: dict, condition: dict) -> bool:
        if "and" in condition:
            return all(self._matches(page, c) for c in condition["and"])
        if "or" in condition:
            return any(self._matches(page, c) for c in condition["or"])
        if "timestamp" in condition:
            field = condition["timestamp"]
            return self._compare_date(_parse_date(page[field], field), condition.get(field) or {})
        name = condition.get("property")
        prop = self._schema().get(name)
        if prop is None:
            raise _invalid(f"Could not find property with name or id: {name}")
        kind = prop["type"]
        tests = condition.get(kind)
        if tests is None:
            raise _invalid(f"body failed validation: filter.{kind} should be defined, instead was `undefined`.")
        value = page["properties"].get(name, {}).get(kind)
        if kind in ("title", "rich_text", "url"):
            text = value if kind == "url" else "".join(r["plain_text"] for r in value or [])
            return self._compare_text(text or "", tests)
        if kind == "date":
            if "is_empty" in tests:
                return value is None
            if "is_not_empty" in tests:
                return value is not None
            return value is not None and self._compare_date(_parse_date(value["start"], "date"), tests)
        if kind == "multi_select":
            names = {o["name"] for o in value or []}
            if "contains" in tests:
                return tests["contains"] in names
            if "does_not_contain" in tests:
                return tests["does_not_contain"] not in names
        raise _invalid(f"body failed validation: filter.{kind} is not supported by this fake.")

    def _compare_text(self, text: str, tests: dict) -> bool:
        for op, wanted in tests.items():
            checks = {"equals": lambda: text == wanted, "does_not_equal": lambda: text != wanted,
                      "contains": lambda: wanted in text, "does_not_contain": lambda: wanted not in text,
                      "starts_with": lambda: text.startswith(wanted), "ends_with": lambda: text.endswith(wanted),
                      "is_empty": lambda: text == "", "is_not_empty": lambda: text != ""}
            if op not in checks:
                raise _invalid(f"body failed validation: filter condition {op} is not valid.")
            if not checks[op]():
                return False
        return True

    def _compare_date(self, value: date | datetime, tests: dict) -> bool:
        for op, raw in tests.items():
            wanted = _parse_date(raw, op)
            if isinstance(wanted, datetime):
                left, right = _instant(value), wanted
            else:
                left, right = (value.date() if isinstance(value, datetime) else value), wanted
            checks = {"equals": left == right, "before": left < right, "after": left > right,
                      "on_or_before": left <= right, "on_or_after": left >= right}
            if op not in checks:
                raise _invalid(f"body failed validation: filter condition {op} is not valid.")
            if not checks[op]:
                return False
        return True


class _Lost(Exception):
    """The request was carried out, but its answer is lost."""


class _Handler(BaseHTTPRequestHandler):
    notion: FakeNotion
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_PATCH(self) -> None:  # noqa: N802
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                self._send(400, {"object": "error", "status": 400, "code": "invalid_json",
                                 "message": "Error parsing JSON body."}, {})
                return
        try:
            status, answer, headers = self.notion.handle(method, parts.path, parse_qs(parts.query), self.headers, body)
        except _Lost:
            self.close_connection = True
            try:
                self.connection.shutdown(2)
            except OSError:
                pass
            return
        self._send(status, answer, headers)

    def _send(self, status: int, answer: Any, headers: dict[str, str]) -> None:
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


__all__ = ["Call", "DEFAULT_PROPERTIES", "FakeNotion", "TOKEN"]
