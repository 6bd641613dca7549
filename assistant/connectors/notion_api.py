"""Talking to Notion (the API v1) for one `[[notes]]` target, through `assistant.connectors.http.Http`.

* `Authorization: Bearer TOKEN` and `Notion-Version: 2022-06-28` on every request. The token is the
  section's `token`; when that is empty it is read from the vault (`assistant.vault`, the secret stored
  under the entry's name by `assistant connect NAME` — a string, or a dict with `access_token`), and
  without either every call raises an `AuthError` that says to set the token. (`token_source` is the hook.)
* A token bucket keeps us at 3 requests/s (Notion's average limit); a 429 is waited out (its `Retry-After`,
  else a growing backoff) and tried again, up to MAX_RATE_RETRIES times; after that the outbox retries later.
* Errors are worded per Notion's `code` (unauthorized, object_not_found, validation_error, rate_limited…),
  naming the target and the action, never the note.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import httpx

from assistant import errors
from assistant.connectors.http import Http, host_of, json_body
from assistant.store import Store, StoreError
from assistant.vault import secret_for

log = logging.getLogger(__name__)

NOTION_VERSION = "2022-06-28"
DEFAULT_BASE_URL = "https://api.notion.com/v1"
RATE = 3.0
"""Requests per second (Notion: "an average of three requests per second")."""
MAX_RATE_RETRIES = 6
MAX_RATE_WAIT = 30.0
"""A 429 asking to wait longer than this is left to the outbox's retry."""


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


def token_source(name: str, store: Store | None, data_dir: Path | None) -> str | None:
    """The token `assistant connect NAME` (or the setup wizard) keeps in the vault under the entry's name:
    a string, or {"access_token": …} / {"token": …}; None when there is none."""
    if store is None:
        return None
    folder = data_dir or store.path.parent
    try:
        return secret_for(store, folder, name, "access_token") or secret_for(store, folder, name, "token")
    except StoreError as exc:
        raise errors.AuthError(f"the Notion token of {name!r} cannot be read from the vault: {exc}") from None


class NotionApi:
    """Requests for the target `name`, paced by one token bucket; `call` answers the JSON or raises."""

    def __init__(self, name: str, store: Store | None, token: str = "", base_url: str = DEFAULT_BASE_URL,
                 timeout: float = 20.0, transport: httpx.BaseTransport | None = None, data_dir: Path | None = None,
                 rate: float = RATE, sleep: Callable[[float], None] = time.sleep, max_rate_wait: float = MAX_RATE_WAIT):
        self.name = name
        self.store = store
        self.token = token
        self.base_url = base_url.rstrip("/")
        self.data_dir = data_dir
        self.http = Http(timeout=timeout, transport=transport)
        self.bucket = TokenBucket(rate, sleep=sleep)
        self.max_rate_wait = max_rate_wait

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

    def listing(self, method: str, path: str, what: str, query: dict | None = None) -> Iterator[dict]:
        """Every result of a paginated listing, 100 at a time: a GET's cursor goes in the parameters, a
        POST's (a database query, `query` its filter) in the body."""
        cursor = None
        while True:
            page = {**(query or {}), "page_size": 100, **({"start_cursor": cursor} if cursor else {})}
            data = (self.call(method, path, what, page) if method == "POST"
                    else self.call(method, path, what, params=page))
            yield from data.get("results") or []
            cursor = data.get("next_cursor")
            if not data.get("has_more") or not cursor:
                return

    def close(self) -> None:
        self.http.close()


__all__ = ["DEFAULT_BASE_URL", "NOTION_VERSION", "NotionApi", "TokenBucket", "token_source"]
