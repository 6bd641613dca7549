"""The outbox worker: performs confirmed writes, and says what the owner should hear about them.

A confirmed item is committed to the outbox before any network call; `deliver` claims each due entry
(a lease, so the chat's immediate attempt and the runtime's retry never run the same entry at once),
performs it through its connector and marks it done — a crash between the two repeats the call, which
the connectors make idempotent under the item's id, so nothing is written twice or lost.

Failures: a retryable one (network, 5xx, 429) is tried again with backoff up to MAX_ATTEMPTS; a login
failure (`AuthError`) waits for the owner to fix the credentials and is tried again every
AUTH_RETRY without using up attempts; anything else fails the item at once and the owner is told.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from assistant.core import render
from assistant.core.item import Item
from assistant.core.render import Button, Reply
from assistant.core.states import ItemStatus, OutboxAction
from assistant.errors import AuthError, ConnectorError
from assistant.store import metrics, utc_now
from assistant.usecases.deps import Deps

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
AUTH_RETRY = timedelta(minutes=15)
LEASE = timedelta(minutes=5)
"""Longer than any connector's timeout: a claimed entry is ours until then — unless our process is gone
(killed mid-write): the next run takes such an entry over at once (`Outbox.claim_due`)."""


def give_up_buttons(target: str) -> list[list[Button]]:
    """What the owner can do with a write that will not land by itself."""
    row = [Button("🔁 Retry", "retry")]
    if target != "local":
        row.append(Button("Send to built-in calendar", "to_local"))
    return [row, [Button("✖️ Drop", "drop")]]


@dataclass
class Delivered:
    item_id: str
    target: str
    action: OutboxAction
    ok: bool
    link: str | None = None
    error: str | None = None
    attempts: int = 0
    """Earlier failed attempts: > 0 means the owner was told it is queued and may want to hear it landed."""
    final: bool = False
    """A failure that will not be retried."""
    waiting_for_login: bool = False
    """Held back until the provider accepts the login again (the owner was told how to fix it)."""


class Delivery:
    def __init__(self, deps: Deps):
        self.deps = deps

    def enqueue(self, item_id: str, target: str, action: OutboxAction, payload: dict | None = None) -> None:
        self.deps.store.outbox.enqueue(item_id, target, action, payload)

    def deliver(self, item_id: str | None = None) -> list[Delivered]:
        """Perform the due outbox entries (only `item_id`'s when given); return what happened."""
        entries = self.deps.store.outbox.claim_due(LEASE, item_id)
        return [self._deliver(entry) for entry in entries]

    def run(self) -> list[Reply]:
        """The runtime's outbox job: retry what is due; notices for the owner about delayed results."""
        notices = []
        for result in self.deliver():
            notice = self.notice(result)
            if notice is not None:
                notices.append(notice)
        return notices

    def notice(self, result: Delivered) -> Reply | None:
        """What the owner hears about a delayed write: it landed, or it never will."""
        item = self.deps.store.items.get(result.item_id)
        title = (item.title if item else "") or "(no title)"
        where = render.target_text(result.target)
        if result.ok and result.attempts > 0 and result.action == OutboxAction.CREATE:
            return Reply(f"✅ Written now: {title} — {where}" + (f"\n{result.link}" if result.link else ""))
        if result.final:
            return Reply(f"❌ I couldn't write “{title}” to {where}: {result.error}",
                         give_up_buttons(result.target) if result.action == OutboxAction.CREATE else [],
                         item_id=result.item_id)
        if result.waiting_for_login and result.attempts == 0:
            return Reply(f"🔑 “{title}” waits for {where}: {result.error}. I keep it and write it as soon "
                         "as the login works again.")
        return None

    def _deliver(self, entry: dict) -> Delivered:
        store = self.deps.store
        target, action = entry["target"], OutboxAction(entry["action"])
        item = store.items.get(entry["item_id"])
        result = Delivered(entry["item_id"], target, action, ok=False, attempts=entry["attempts"])
        if item is None:
            store.outbox.fail(entry["id"], "item missing")
            result.error, result.final = "the item is missing", True
            return result
        payload = json.loads(entry["payload"] or "{}")
        try:
            written = self._perform(item, target, action, payload)
        except ConnectorError as exc:
            self._failed(entry, item, exc, result)
            return result
        link = getattr(written, "link", None)
        with store.transaction():
            store.outbox.done(entry["id"], {"uid": getattr(written, "uid", None), "link": link})
            if action == OutboxAction.CREATE:
                store.items.set_status(item.id, ItemStatus.DELIVERED, delivered_at=utc_now(), link=link, error=None)
        log.info("outbox entry done", extra={"entry": entry["id"], "target": target, "action": action.value})
        metrics.of(store).record(metrics.DELIVERY, 1, target=target, ok=True)
        result.ok, result.link = True, link
        return result

    def _perform(self, item: Item, target: str, action: OutboxAction, payload: dict):
        """A change to an existing event names that event's uid; a new item is written under its own id."""
        uid = payload.get("uid")
        return self.deps.calendars.write(target, action.value, item.with_changes(id=uid) if uid else item)

    def _failed(self, entry: dict, item: Item, exc: ConnectorError, result: Delivered) -> None:
        store = self.deps.store
        result.error = str(exc)
        attempts = entry["attempts"]
        metrics.of(store).record(metrics.DELIVERY, 1, target=result.target, ok=False, error=type(exc).__name__)
        if isinstance(exc, AuthError):
            store.outbox.retry(entry["id"], str(exc), AUTH_RETRY, count=attempts == 0)
            store.items.set_status(item.id, ItemStatus.CONFIRMED, error=str(exc))
            result.waiting_for_login = True
        elif exc.retryable and attempts + 1 < MAX_ATTEMPTS:
            delay = timedelta(seconds=exc.retry_after or min(3600, 30 * 2 ** attempts))
            store.outbox.retry(entry["id"], str(exc), delay)
        else:
            store.outbox.fail(entry["id"], str(exc))
            store.items.set_status(item.id, ItemStatus.FAILED, error=str(exc))
            result.final = True
        log.warning("outbox entry failed", extra={"entry": entry["id"], "target": result.target,
                                                  "action": result.action.value, "error": type(exc).__name__,
                                                  "retryable": exc.retryable})
