"""The outbox worker and the scheduled jobs' work (channel-agnostic; the bot schedules them).

A confirmed item is committed to the outbox before any network call; this worker performs each entry and
marks it done, so a crash between the two repeats the call — which the connectors make idempotent under
the item's id — and nothing is written twice or lost.

Reminders in the built-in store fire exactly once per occurrence: `claim_due_reminders` moves each due
reminder past its occurrence (the next one for a repeating reminder, "sent" otherwise) in the same
transaction that hands it out, and `release_reminder` puts it back when the message could not be sent.
A bot that was down fires a missed occurrence once, late, and skips older missed repeats.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from assistant.connectors.base import ConnectorError
from assistant.core.item import Item
from assistant.core.recurrence import RecurrenceError, occurrences
from assistant.core.zones import zone_or
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
    attempts: int = 0
    """Earlier failed attempts: > 0 means the owner was told it is queued and may want to hear it landed."""
    final: bool = False
    """A failure that will not be retried."""


def deliver_due(store: Store, calendars, item_id: str | None = None) -> list[Delivery]:
    """Perform the due outbox entries (only `item_id`'s when given); return what happened."""
    entries = store.outbox.due()
    if item_id is not None:
        entries = [e for e in entries if e["item_id"] == item_id]
    return [_deliver(store, calendars, entry) for entry in entries]


def _deliver(store: Store, calendars, entry: dict) -> Delivery:
    item = store.items.get(entry["item_id"])
    target, action = entry["target"], entry["action"]
    result = Delivery(entry["item_id"], target, action, ok=False, attempts=entry["attempts"])
    if item is None:
        store.outbox.fail(entry["id"], "item missing")
        result.error = "the item is missing"
        return result
    payload = json.loads(entry["payload"] or "{}")
    try:
        written = _perform(calendars, item, target, action, payload)
    except ConnectorError as exc:
        result.error = str(exc)
        if exc.retryable and entry["attempts"] + 1 < MAX_ATTEMPTS:
            delay = timedelta(seconds=exc.retry_after or min(3600, 30 * 2 ** entry["attempts"]))
            store.outbox.retry(entry["id"], str(exc), delay)
        else:
            store.outbox.fail(entry["id"], str(exc))
            store.items.set_status(item.id, "failed", error=str(exc))
            result.final = True
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


def _perform(calendars, item: Item, target: str, action: str, payload: dict):
    """A change to an existing event names that event's uid; a new item is written under its own id."""
    uid = payload.get("uid")
    return calendars.write(target, action, item.with_changes(id=uid) if uid else item)


# ── reminders ────────────────────────────────────────────────────────────────────────────────
@dataclass
class Fired:
    reminder_id: str
    title: str
    occurrence: datetime
    previous: dict
    """The reminder's row before the claim, so a failed send can put it back."""


def claim_due_reminders(store: Store, now: datetime, fallback_zone: tzinfo) -> list[Fired]:
    """Every reminder due at `now`, each moved past this occurrence in the same transaction."""
    fired: list[Fired] = []
    with store.transaction():
        for row in store.reminders.pending():
            occurrence = datetime.fromisoformat(row["fire_at"])
            if occurrence > now:
                continue  # ISO strings with different offsets do not sort by instant
            fired.append(Fired(row["id"], row["title"], occurrence, dict(row)))
            following = _next_occurrence(store, row, now, fallback_zone)
            if following is None:
                store.reminders.update(row["id"], status="sent", last_sent_at=now.isoformat())
            else:
                store.reminders.update(row["id"], fire_at=following.isoformat(), last_sent_at=now.isoformat())
    return fired


def release_reminder(store: Store, fired: Fired) -> None:
    """The message did not go out: due again at the next run."""
    previous = fired.previous
    store.reminders.update(fired.reminder_id, fire_at=previous["fire_at"], status=previous["status"],
                           last_sent_at=previous["last_sent_at"])


def _next_occurrence(store: Store, row: dict, now: datetime, fallback_zone: tzinfo) -> datetime | None:
    """The first occurrence after `now` of a repeating reminder (None: not repeating, or the rule ended)."""
    if not row["recurrence"]:
        return None
    zone = zone_or(row["tz"], fallback_zone)
    item = store.items.get(row["item_id"]) if row["item_id"] else None
    start = item.start if item is not None and item.start is not None else datetime.fromisoformat(row["fire_at"])
    if not isinstance(start, datetime):
        start = datetime.fromisoformat(row["fire_at"])
    try:
        upcoming = occurrences(row["recurrence"], start, timedelta(seconds=1), now + timedelta(seconds=1),
                               now + timedelta(days=3660), zone, limit=100_000)
        return next((begin for begin, _ in upcoming if begin > now), None)
    except RecurrenceError:
        log.warning("reminder rule unreadable; firing it once", extra={"reminder": row["id"]})
        return None


# ── housekeeping ─────────────────────────────────────────────────────────────────────────────
CALLBACK_TTL = timedelta(days=14)


def prune_callbacks(store: Store, older_than: timedelta = CALLBACK_TTL) -> int:
    """Forget button tokens of old messages; their taps then answer "expired"."""
    removed = store.callbacks.prune(older_than)
    if removed:
        log.info("callback tokens pruned", extra={"count": removed})
    return removed

