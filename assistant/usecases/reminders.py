"""Reminders of the built-in calendar, fired by the runtime.

Reminders in the built-in store fire exactly once per occurrence: `claim_due_reminders` moves each due
reminder past its occurrence (the next one for a repeating reminder, "sent" otherwise) in the same
transaction that hands it out, and `release_reminder` puts it back when the message could not be sent.
A bot that was down fires a missed occurrence once, late, and skips older missed repeats.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from assistant.core.recurrence import RecurrenceError, next_occurrence
from assistant.core.render import Button, Reply
from assistant.core.states import ReminderStatus
from assistant.core.zones import zone_or
from assistant.store import Store
from assistant.usecases.deps import Deps

log = logging.getLogger(__name__)


@dataclass
class Fired:
    reminder_id: str
    title: str
    occurrence: datetime
    previous: dict
    """The reminder's row before the claim, so a failed send can put it back."""


def claim_due_reminders(store: Store, now: datetime, fallback_zone: tzinfo) -> list[Fired]:
    """Every reminder due at `now`, each moved past this occurrence in the same transaction and marked
    as being sent; `sent_reminder` ends that once the message went out. A firing whose process died
    before its message went out is put back first, so it fires again (late) — at least once, never lost."""
    fired: list[Fired] = []
    with store.transaction():
        for previous in store.reminders.orphaned_sends():
            log.warning("a reminder's message was cut off by a crash; sending it again",
                        extra={"reminder": previous["id"]})
            store.reminders.put_back(previous)
        for row in store.reminders.pending():
            occurrence = datetime.fromisoformat(row["fire_at"])
            if occurrence > now:
                continue  # ISO strings with different offsets do not sort by instant
            fired.append(Fired(row["id"], row["title"], occurrence, dict(row)))
            store.reminders.begin_send(row)
            following = _next_occurrence(store, row, now, fallback_zone)
            if following is None:
                store.reminders.update(row["id"], status=ReminderStatus.SENT.value, last_sent_at=now.isoformat())
            else:
                store.reminders.update(row["id"], fire_at=following.isoformat(), last_sent_at=now.isoformat())
    return fired


def release_reminder(store: Store, fired: Fired) -> None:
    """The message did not go out: due again at the next run."""
    store.reminders.put_back(fired.previous)


def sent_reminder(store: Store, fired: Fired) -> None:
    """The message went out: this firing is over."""
    store.reminders.end_send(fired.reminder_id)


def _next_occurrence(store: Store, row: dict, now: datetime, fallback_zone: tzinfo) -> datetime | None:
    """The first occurrence after `now` of a repeating reminder (None: not repeating, or the rule ended)."""
    if not row["recurrence"]:
        return None
    zone = zone_or(row["tz"], fallback_zone)
    item = store.items.get(row["item_id"]) if row["item_id"] else None
    start = item.start if item is not None and isinstance(item.start, datetime) \
        else datetime.fromisoformat(row["fire_at"])
    try:
        return next_occurrence(row["recurrence"], start, now, zone)
    except RecurrenceError:
        log.warning("reminder rule unreadable; firing it once", extra={"reminder": row["id"]})
        return None


def reminder_notice(fired: Fired) -> str:
    """What the owner reads when a reminder fires."""
    return f"⏰ {fired.title}"


SNOOZE_SUFFIX = "~snooze"
LATE_AFTER = timedelta(minutes=2)
MORNING = time(9)
SNOOZES = {"10": ("⏰ 10 min", timedelta(minutes=10)), "60": ("1 h", timedelta(hours=1)), "tomorrow": ("Tomorrow", None)}


def base_id(reminder_id: str) -> str:
    """The reminder a snoozed copy belongs to."""
    return reminder_id.removesuffix(SNOOZE_SUFFIX)


class Reminders:
    """What the owner does with a reminder that fired: snooze it (once more, later) or mark it done."""

    def __init__(self, deps: Deps):
        self.deps = deps

    def notice(self, fired: Fired, now: datetime) -> Reply:
        """The message a firing becomes: its title, "late" when the bot was down at its time, buttons."""
        text = reminder_notice(fired)
        if now - fired.occurrence > LATE_AFTER:
            when = fired.occurrence.astimezone(self.deps.zone)
            day = "" if when.date() == now.astimezone(self.deps.zone).date() else f"{when:%a %d %b} "
            text += f"\n(late: it was due {day}{when:%H:%M}, while I was not running)"
        buttons = [[Button(label, f"snooze:{key}") for key, (label, _) in SNOOZES.items()],
                   [Button("✅ Done", "done")]]
        return Reply(text, buttons, item_id=fired.reminder_id)

    def snooze(self, reminder_id: str, choice: str) -> Reply:
        """Fire once more after the chosen delay (tomorrow = 09:00); a second snooze moves that one."""
        store = self.deps.store
        row = store.reminders.get(reminder_id) or store.reminders.get(base_id(reminder_id))
        if row is None or choice not in SNOOZES:
            return Reply("That reminder is gone.")
        now = self.deps.now()
        label, delay = SNOOZES[choice]
        if delay is None:
            day = now.astimezone(self.deps.zone).date() + timedelta(days=1)
            at = datetime.combine(day, MORNING, tzinfo=self.deps.zone)
        else:
            at = now + delay
        store.reminders.snooze(base_id(reminder_id), SNOOZE_SUFFIX, row["title"], at, self.deps.zone)
        return Reply(f"💤 Snoozed until {at.astimezone(self.deps.zone):%a %H:%M}.")

    def done(self, reminder_id: str) -> Reply:
        """Mark it done: a one-off reminder is finished, any snoozed copy is dropped."""
        store = self.deps.store
        base = base_id(reminder_id)
        with store.transaction():
            store.reminders.delete(base + SNOOZE_SUFFIX)
            row = store.reminders.get(base)
            if row is not None and not row["recurrence"]:
                store.reminders.update(base, status=ReminderStatus.DONE.value)
        return Reply("✅ Done.")
