"""Read-only `.ics` subscriptions (public holidays, a partner's shared calendar): a file path, a
file:// URL, or an http(s)/webcal URL. Their events count for conflicts; nothing is ever written.

HTTP feeds are fetched through `assistant.connectors.http` with `If-None-Match`/`If-Modified-Since`, and
an unchanged body is recognised by its hash, so a refresh that finds nothing new costs one small request
and no parsing. Capabilities: `ALL_DAY` and `RECURRENCE` (whatever the feed holds), no `WRITE`, no
`SYNC_TOKENS` (`changes` is a full listing, or an empty delta when the feed is unchanged).
"""
from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import httpx

from assistant import errors
from assistant.connectors.base import (Busy, CalendarInfo, Capability, Changes, ConnectorError, Declared,
                                       ReadOnlyError, RemoteObject, Written)
from assistant.connectors.http import DEFAULT_TIMEOUT, Http, check, host_of
from assistant.connectors.ical import IcalError, expand, group_by_uid, parse
from assistant.core.item import Item

log = logging.getLogger(__name__)


ADDRESS_HINT = "check the address (a private link may have been reset)"


class IcsConnector(Declared):
    capabilities = Capability.ALL_DAY | Capability.RECURRENCE

    def __init__(self, name: str, source: str, zone: ZoneInfo, base_dir: Path | None = None,
                 transport: httpx.BaseTransport | None = None, timeout: float = DEFAULT_TIMEOUT):
        self.name = name
        self.source = source.strip()
        self.zone = zone
        self.base_dir = base_dir or Path.cwd()
        self.http = Http(timeout=timeout, transport=transport, headers={"Accept": "text/calendar, */*;q=0.5"})

    # --- fetching ------------------------------------------------------------------------------

    def _is_http(self) -> bool:
        return urlsplit(self.source).scheme.lower() in ("http", "https", "webcal", "webcals")

    def _path(self) -> Path:
        parts = urlsplit(self.source)
        path = Path(unquote(parts.path)) if parts.scheme.lower() == "file" else Path(self.source).expanduser()
        return path if path.is_absolute() else self.base_dir / path

    def _url(self) -> str:
        scheme, rest = self.source.split(":", 1)
        return {"webcal": "https", "webcals": "https"}.get(scheme.lower(), scheme.lower()) + ":" + rest

    def fetch(self, state: dict[str, Any] | None = None) -> tuple[bytes | None, dict[str, Any]]:
        """The feed's bytes (None when unchanged since `state`) and the new state."""
        state = state or {}
        if not self.source:
            raise ConnectorError(f"subscription {self.name!r} has no url in the configuration", retryable=False)
        body, new_state = self._fetch_http(state) if self._is_http() else self._fetch_file()
        if body is None:
            return None, {**state, **new_state}
        digest = hashlib.sha256(body).hexdigest()
        new_state["sha"] = digest
        if state.get("sha") == digest:
            return None, new_state
        return body, new_state

    def _fetch_file(self) -> tuple[bytes, dict[str, Any]]:
        path = self._path()
        try:
            return path.read_bytes(), {}
        except FileNotFoundError:
            raise errors.NotFound(f"subscription {self.name!r}: no file at {path}") from None
        except OSError as exc:
            raise errors.Unavailable(f"subscription {self.name!r}: cannot read {path}: {exc.strerror}") from None

    def _fetch_http(self, state: dict[str, Any]) -> tuple[bytes | None, dict[str, Any]]:
        headers = {}
        if state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state.get("modified"):
            headers["If-Modified-Since"] = state["modified"]
        url = self._url()
        what = f"fetching the subscription {self.name!r}"
        response = self.http.get(url, what, headers=headers, checked=False)
        try:
            check(response, what)
        except (errors.AuthError, errors.PermissionError_, errors.NotFound) as exc:
            raise type(exc)(f"subscription {self.name!r}: {host_of(url)} answered HTTP {response.status_code}; "
                            f"{ADDRESS_HINT}") from None
        if response.status_code == 304:
            return None, {}
        return response.content, {"etag": response.headers.get("etag"),
                                  "modified": response.headers.get("last-modified")}

    def _events(self, body: bytes, start: datetime, end: datetime) -> list[Busy]:
        try:
            return expand(parse(body), start, end, self.zone, self.name)
        except IcalError as exc:
            raise errors.BadData(f"subscription {self.name!r}: {exc}") from None

    # --- the protocol --------------------------------------------------------------------------

    def authenticate(self) -> None:
        """Public feeds need no sign-in (a secret link carries its own key)."""

    def refresh_token(self) -> None:
        """No token."""

    def test_connection(self) -> str:
        body, _ = self.fetch()
        try:
            cal = parse(body or b"")
        except IcalError as exc:
            raise errors.BadData(f"subscription {self.name!r}: {exc}") from None
        count = len(list(cal.walk("VEVENT")))
        return f"subscription with {count} event{'s' if count != 1 else ''}"

    def list_calendars(self) -> list[CalendarInfo]:
        return [CalendarInfo(id=self.source, name=self.name, read_only=True)]

    def list_events(self, start: datetime, end: datetime) -> list[Busy]:
        body, _ = self.fetch()
        return self._events(body or b"", start, end)

    def free_busy(self, start: datetime, end: datetime, people: list[str]) -> dict[str, list[Busy]]:
        return {}

    def changes(self, start: datetime, end: datetime, token: str | None) -> Changes:
        try:
            state = json.loads(token) if token else {}
        except ValueError:
            state = {}
        if not isinstance(state, dict):  # not a token of ours: a full listing
            state = {}
        body, new_state = self.fetch(state)
        new_token = json.dumps(new_state, sort_keys=True)
        if body is None:
            return Changes(token=new_token, full=False)
        grouped = group_by_uid(self._events(body, start, end))
        objects = [RemoteObject(key=uid, uid=uid, occurrences=occ) for uid, occ in grouped.items()]
        return Changes(token=new_token, full=True, objects=objects)

    def create(self, item: Item) -> Written:
        raise ReadOnlyError(self.name)

    def update(self, item: Item) -> Written:
        raise ReadOnlyError(self.name)

    def delete(self, uid: str) -> None:
        raise ReadOnlyError(self.name)

    def close(self) -> None:
        self.http.close()


def connector_from_config(section: Any, config: Any, store: Any) -> IcsConnector:
    return IcsConnector(section.name, section.url, config.zone, base_dir=config.base_dir,
                        timeout=getattr(section, "timeout_seconds", None) or DEFAULT_TIMEOUT)
