"""The outbox worker (and, as they land, the scheduled jobs).

A confirmed item is committed to the outbox before any network call; this worker performs each entry and
marks it done, so a crash between the two repeats the call — which the connectors make idempotent under
the item's id — and nothing is written twice or lost.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta, tzinfo

from assistant.connectors.base import ConnectorError
from assistant.core.item import Item, Kind
from assistant.store import Store, utc_now

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


@dataclass
class Delivery:
    item_id: str
    target: str
    action: str
    ok: bool
    link: str | None = None
    error: str | None = None


def deliver_due(store: Store, calendars, zone: tzinfo, item_id: str | None = None) -> list[Delivery]:
    """Perform the due outbox entries (only `item_id`'s when given); return what happened."""
    entries = store.outbox.due()
    if item_id is not None:
        entries = [e for e in entries if e["item_id"] == item_id]
    return [_deliver(store, calendars, zone, entry) for entry in entries]


def _deliver(store: Store, calendars, zone: tzinfo, entry: dict) -> Delivery:
    item = store.items.get(entry["item_id"])
    target, action = entry["target"], entry["action"]
    result = Delivery(entry["item_id"], target, action, ok=False)
    if item is None:
        store.outbox.fail(entry["id"], "item missing")
        result.error = "the item is missing"
        return result
    payload = json.loads(entry["payload"] or "{}")
    try:
        written = _perform(store, calendars, zone, item, target, action, payload)
    except ConnectorError as exc:
        result.error = str(exc)
        if exc.retryable and entry["attempts"] + 1 < MAX_ATTEMPTS:
            delay = timedelta(seconds=exc.retry_after or min(3600, 30 * 2 ** entry["attempts"]))
            store.outbox.retry(entry["id"], str(exc), delay)
        else:
            store.outbox.fail(entry["id"], str(exc))
            store.items.set_status(item.id, "failed", error=str(exc))
        log.warning("outbox entry failed", extra={"entry": entry["id"], "target": target, "action": action,
                                                  "retryable": exc.retryable})
        return result
    link = getattr(written, "link", None)
    with store.transaction():
        store.outbox.done(entry["id"], {"uid": getattr(written, "uid", None), "link": link})
        if action == "create":
            store.items.set_status(item.id, "delivered", delivered_at=utc_now(), link=link)
    log.info("outbox entry done", extra={"entry": entry["id"], "target": target, "action": action})
    result.ok, result.link = True, link
    return result


def _perform(store: Store, calendars, zone: tzinfo, item: Item, target: str, action: str, payload: dict):
    """Local notes and reminders live in our own tables; everything else goes through a connector."""
    if target == "local" and item.kind == Kind.NOTE:
        if action == "delete":
            store.execute("DELETE FROM notes WHERE id = ?", [item.id])
            return None
        store.notes.add(item)
        return None
    if target == "local" and item.kind == Kind.REMINDER:
        if action == "delete":
            store.reminders.delete(item.id)
            return None
        store.reminders.add(item, zone)
        return None
    return calendars.write(target, action, item, uid=payload.get("uid"))
