"""Microsoft Graph requests for one Outlook calendar entry, over the one HTTP layer.

Every request carries a fresh bearer token from the entry's `SignIn` (a 401 refreshes it once). 429
and 503 honour Retry-After — a short wait is done here, a longer one is left to the outbox through
the error tree; other 5xx are tried once more after a second, a 409 once after half a second. Graph's
error code ("ErrorItemNotFound", "syncStateNotFound"…) is added to the error's message. Listings are
followed through `@odata.nextLink`, delta rounds to their `@odata.deltaLink`; a link to another
server is refused.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Iterator, NoReturn
from urllib.parse import urlsplit

import httpx

from assistant import errors
from assistant.connectors.base import ConnectorError
from assistant.connectors.http import Http, check, host_of, json_body
from assistant.connectors.outlook_signin import SignIn, auth_error

log = logging.getLogger(__name__)

INLINE_WAIT = 5.0
"""Retry-After up to this many seconds is waited for here; longer ones go back to the outbox."""
INLINE_TRIES = 3


class Graph:
    """The Graph API at `base` for the calendar entry `name`, signed in through `signin`."""

    def __init__(self, base: str, http: Http, signin: SignIn, name: str):
        self.base = base
        self.http = http
        self.signin = signin
        self.name = name

    def url(self, path_or_url: str) -> str:
        """A path under the base address, or a link Graph sent (which must point at the same server)."""
        if not path_or_url.startswith(("http://", "https://")):
            return self.base + path_or_url
        mine, theirs = urlsplit(self.base), urlsplit(path_or_url)
        if (mine.scheme, mine.netloc) != (theirs.scheme, theirs.netloc):
            raise errors.BadData(f"{host_of(self.base)} sent a link to another server; it is not followed")
        return path_or_url

    def call(self, method: str, path: str, what: str, *, ok: tuple[int, ...] = (), utc: bool = False,
             page_size: int | None = None, **kwargs: Any) -> httpx.Response:
        """One Graph request with a fresh bearer token: a 401 refreshes once; 429/503 with a short
        Retry-After and other 5xx are tried again here a few times, a 409 once; failures → the error tree.
        `utc` asks for times in UTC; `page_size` caps the items per page of a delta listing."""
        url = self.url(path)
        what = f"{what} of calendar {self.name!r}"
        token = self.signin.token()
        prefer = [p for p, on in (('outlook.timezone="UTC"', utc),
                                  (f"odata.maxpagesize={page_size}", page_size is not None)) if on]
        refreshed = False
        attempt = 0
        while True:
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json",
                       **({"Prefer": ", ".join(prefer)} if prefer else {})}
            response = self.http.request(method, url, what, checked=False, headers=headers, **kwargs)
            status = response.status_code
            if status == 401:
                if not refreshed:
                    refreshed = True
                    token = self.signin.token(stale=token)
                    continue
                raise auth_error(self.name, f"Microsoft Graph refused the sign-in while {what} "
                                            f"({graph_code(response) or 'HTTP 401'})")
            if status in ok or 200 <= status < 300:
                return response
            attempt += 1
            wait = self._retry_wait(response, attempt)
            if wait is None:
                self._fail(response, what)
            time.sleep(wait)

    def _retry_wait(self, response: httpx.Response, attempt: int) -> float | None:
        """Seconds to wait before sending a failed request again, or None to leave it to the error tree."""
        status = response.status_code
        if status == 409 and attempt == 1:            # changed at that very moment: once more, then Conflict
            return 0.5
        if (status in (429, 503) or status >= 500) and attempt < INLINE_TRIES:
            wait = errors.retry_after_seconds(response.headers.get("Retry-After"))
            wait = float(attempt) if wait is None else wait
            if wait <= INLINE_WAIT and (status in (429, 503) or attempt == 1):
                log.info("graph asks to wait", extra={"calendar": self.name, "status": status, "wait_s": wait})
                return wait
        return None

    def _fail(self, response: httpx.Response, what: str) -> NoReturn:
        code = graph_code(response)
        try:
            check(response, what)
        except ConnectorError as exc:
            if code:
                exc.args = (f"{exc} [{code}]",)
            raise
        raise errors.BadData(f"{host_of(self.base)} answered HTTP {response.status_code} while {what}")

    def json(self, method: str, path: str, what: str, **kwargs: Any) -> Any:
        response = self.call(method, path, what, **kwargs)
        return json_body(response, what) if response.content else {}

    def pages(self, path: str, what: str, params: dict | None = None, **kwargs: Any) -> Iterator[dict]:
        """Every item of a listing, following `@odata.nextLink`."""
        url: str | None = path
        while url:
            data = self.json("GET", url, what, params=params, **kwargs)
            yield from data.get("value") or []
            url, params = data.get("@odata.nextLink"), None

    def delta_round(self, url: str, params: dict | None, page_size: int) -> tuple[list[dict], str]:
        """Every item of a delta round, and the delta link that ends it."""
        items: list[dict] = []
        while True:
            data = self.json("GET", url, "syncing", params=params, utc=True, page_size=page_size)
            items.extend(data.get("value") or [])
            if data.get("@odata.nextLink"):
                url, params = data["@odata.nextLink"], None
                continue
            link = data.get("@odata.deltaLink")
            if not link:
                raise errors.BadData(f"{host_of(self.base)} ended a delta listing without a delta link")
            self.url(link)
            return items, link


def graph_code(response: httpx.Response) -> str | None:
    """Graph's error code ("ErrorItemNotFound", "syncStateNotFound"…) from an error body, if any."""
    try:
        data = response.json()
    except ValueError:
        return None
    error = data.get("error") if isinstance(data, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return str(code)[:80] if code else None


__all__ = ["Graph", "graph_code"]
