"""Google Calendar v3 requests for one calendar entry, over the one HTTP layer (`connectors.http`).

Every request carries the access token of `google_oauth.Tokens` (vault-backed, renewed under a lock);
a 401 renews it once and repeats the request, then it is an `AuthError` naming `assistant connect NAME`.
429 and 503 keep their Retry-After (`RateLimited` / `Unavailable`), and so does Google's other way of
saying "slow down" (403 `rateLimitExceeded` / `userRateLimitExceeded`); a 403 for missing permissions is
an `AuthError` too. Lists are followed through `nextPageToken`.
"""
from __future__ import annotations

import logging
from typing import Any, Iterator

import httpx

from assistant import errors
from assistant.connectors.google_oauth import Tokens, connect_hint
from assistant.connectors.http import Http, host_of, json_body, status_message

log = logging.getLogger(__name__)

MAX_PAGES = 400
RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "dailyLimitExceeded"}
SCOPE_REASONS = {"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}


class GoogleApi:
    """The Calendar API at `base` for the calendar entry `name`, with that entry's `tokens`."""

    def __init__(self, base: str, http: Http, tokens: Tokens, name: str):
        self.base = base
        self.http = http
        self.tokens = tokens
        self.name = name

    def call(self, method: str, path: str, what: str, allow: tuple[int, ...] = (), **kwargs: Any) -> httpx.Response:
        """One API request with the bearer token; a 401 renews the token once and repeats it. Statuses in
        `allow` are returned as they are; other failures raise the tree's error."""
        url = path if path.startswith("http") else self.base + path
        for attempt in (1, 2):
            token = self.tokens.access_token()
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
            response = self.http.request(method, url, what, checked=False, headers=headers, **kwargs)
            if response.status_code == 401 and attempt == 1:
                log.info("google answered 401; renewing the token", extra={"integration": self.name})
                self.tokens.reject(token)
                continue
            break
        if response.status_code in allow:
            return response
        return self._check(response, what)

    def _check(self, response: httpx.Response, what: str) -> httpx.Response:
        """The response when it succeeded, else the error of the tree that says what to do about it."""
        status = response.status_code
        if status < 300 or status == 304:
            return response
        reasons = _reasons(response)
        retry_after = errors.retry_after_seconds(response.headers.get("Retry-After"))
        if status == 401:
            raise errors.AuthError(f"Google refused the sign-in of calendar {self.name!r} while {what}: "
                                   f"{connect_hint(self.name)}")
        if status == 403 and reasons & RATE_REASONS:
            raise errors.RateLimited(f"Google asks us to slow down while {what} (HTTP 403); will retry",
                                     retry_after=retry_after)
        if status == 403 and reasons & SCOPE_REASONS:
            raise errors.AuthError(f"Google did not let calendar {self.name!r} see or edit events while {what}: "
                                   f"{connect_hint(self.name)} and allow both calendar permissions")
        raise errors.status_error(status, status_message(status, host_of(response.request.url), what), retry_after)

    def data(self, response: httpx.Response, what: str) -> dict[str, Any]:
        """The answer's JSON object (anything else is `BadData`)."""
        data = json_body(response, what)
        if not isinstance(data, dict):
            raise errors.BadData(f"Google sent an answer that cannot be read while {what}")
        return data

    def pages(self, path: str, what: str, params: dict[str, Any], allow: tuple[int, ...] = ()
              ) -> Iterator[dict[str, Any] | httpx.Response]:
        """Each page of a list (following nextPageToken); an allowed failure status ends it as a response."""
        params = dict(params)
        for _ in range(MAX_PAGES):
            response = self.call("GET", path, what, allow=allow, params=params)
            if response.status_code in allow:
                yield response
                return
            page = self.data(response, what)
            yield page
            token = page.get("nextPageToken")
            if not token:
                return
            params["pageToken"] = token
        raise errors.BadData(f"Google kept sending pages while {what}")


def _reasons(response: httpx.Response) -> set[str]:
    """The `reason`s of Google's error body ({"error": {"errors": [{"reason": …}], "status": …}})."""
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return set()
    if not isinstance(error, dict):
        return set()
    found = {str(e.get("reason")) for e in error.get("errors") or [] if isinstance(e, dict) and e.get("reason")}
    for detail in error.get("details") or []:
        if isinstance(detail, dict) and detail.get("reason"):
            found.add(str(detail["reason"]))
    return found

