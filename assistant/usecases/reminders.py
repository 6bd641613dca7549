"""Reminders of the built-in calendar, fired by the runtime.

Reminders in the built-in store fire exactly once per occurrence: `claim_due_reminders` moves each due
reminder past its occurrence (the next one for a repeating reminder, "sent" otherwise) in the same
transaction that hands it out, and `release_reminder` puts it back when the message could not be sent.
A bot that was down fires a missed occurrence once, late, and skips older missed repeats.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from assistant.core.recurrence import RecurrenceError, occurrences
from assistant.core.states import ReminderStatus
from assistant.core.zones import zone_or
from assistant.store import Store

log = logging.getLogger(__name__)


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
                store.reminders.update(row["id"], status=ReminderStatus.SENT.value, last_sent_at=now.isoformat())
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


def reminder_notice(fired: Fired) -> str:
    """What the owner reads when a reminder fires."""
    return f"⏰ {fired.title}"
