"""Small repositories, one per group of tables. They speak plain values and `Item`s."""
from __future__ import annotations

import json
import os
import secrets
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from assistant.core.item import Item
from assistant.core.recurrence import stored_zone
from assistant.core.states import ConversationState, ItemStatus, OutboxAction, OutboxStatus, ReminderStatus
from assistant.core.zones import instant

if TYPE_CHECKING:
    from assistant.store import Store

from assistant.store import dumps, utc_key, utc_now


def to_utc(value: datetime | date, zone: Any) -> str:
    """A stored instant for range queries: all-day dates count from midnight in the owner's zone."""
    return utc_key(instant(value, zone))


class _Repo:
    def __init__(self, store: "Store"):
        self.store = store

    @property
    def db(self):
        return self.store.db


class Items(_Repo):
    """Every item the assistant proposed, and what became of it."""

    def save(self, item: Item, status: ItemStatus, chat_id: int | None = None, **extra: Any) -> None:
        now = utc_now()
        row = {"id": item.id, "kind": item.kind.value, "status": ItemStatus(status).value, "data": item.to_json(),
               "target": item.target, "chat_id": chat_id, "updated_at": now, **extra}
        with self.store.transaction():
            if self.db["items"].count_where("id = ?", [item.id]):
                if chat_id is None:
                    row.pop("chat_id")
                self.db["items"].update(item.id, row)
            else:
                self.db["items"].insert({**row, "created_at": now})

    def get(self, item_id: str) -> Item | None:
        row = self.row(item_id)
        return Item.from_json(row["data"]) if row else None

    def row(self, item_id: str) -> dict[str, Any] | None:
        rows = self.store.query("SELECT * FROM items WHERE id = ?", [item_id])
        return rows[0] if rows else None

    def status(self, item_id: str) -> ItemStatus | None:
        row = self.row(item_id)
        return ItemStatus(row["status"]) if row else None

    def set_status(self, item_id: str, status: ItemStatus, **extra: Any) -> None:
        with self.store.transaction():
            self.db["items"].update(item_id, {"status": ItemStatus(status).value, "updated_at": utc_now(), **extra})

    def with_status(self, *statuses: ItemStatus) -> list[dict[str, Any]]:
        marks = ",".join("?" for _ in statuses)
        return self.store.query(f"SELECT * FROM items WHERE status IN ({marks}) ORDER BY created_at",
                                [ItemStatus(s).value for s in statuses])

    def last_confirmed(self, chat_id: int) -> str | None:
        """The newest item confirmed from this chat and not undone (for /undo)."""
        rows = self.store.query(
            "SELECT id FROM items WHERE chat_id = ? AND status IN (?, ?) AND confirmed_at IS NOT NULL "
            "ORDER BY confirmed_at DESC, updated_at DESC LIMIT 1",
            [chat_id, ItemStatus.CONFIRMED.value, ItemStatus.DELIVERED.value])
        return rows[0]["id"] if rows else None

    # the message↔item mapping: which chat message shows an item's preview
    def set_message(self, item_id: str, message_id: int | None) -> int | None:
        """Remember the message showing the item; returns the one it replaces (None: none or the same)."""
        with self.store.transaction():
            row = self.row(item_id)
            if row is None:
                return None
            self.db["items"].update(item_id, {"message_id": message_id})
        previous = row["message_id"]
        return previous if previous != message_id else None

    def for_message(self, chat_id: int, message_id: int) -> str | None:
        rows = self.store.query("SELECT id FROM items WHERE chat_id = ? AND message_id = ?", [chat_id, message_id])
        return rows[0]["id"] if rows else None

    def set_source(self, item_id: str, message_id: int) -> None:
        self.store.execute("UPDATE items SET source_message_id = ? WHERE id = ? AND source_message_id IS NULL",
                           [message_id, item_id])

    def for_source(self, chat_id: int, message_id: int) -> str | None:
        rows = self.store.query("SELECT id FROM items WHERE chat_id = ? AND source_message_id = ?",
                                [chat_id, message_id])
        return rows[0]["id"] if rows else None


class Events(_Repo):
    """The built-in local calendar."""

    def upsert(self, item: Item, zone: Any, uid: str | None = None) -> str:
        uid = uid or item.id
        start, end = item.start, item.end
        if start is None:
            raise ValueError("an event needs a start")
        if end is None:
            end = start + (timedelta(days=1) if not isinstance(start, datetime) else timedelta(hours=1))
        now = utc_now()
        row = {
            "uid": uid, "item_id": item.id, "title": item.title or "(no title)",
            "start": start.isoformat(), "end": end.isoformat(),
            "start_utc": to_utc(start, zone), "end_utc": to_utc(end, zone),
            "all_day": int(item.all_day), "tz": stored_zone(item, zone),
            "location": item.location, "attendees": dumps(item.attendees),
            "recurrence": item.recurrence, "description": item.description, "updated_at": now,
        }
        with self.store.transaction():
            existing = self.db["events"].count_where("uid = ?", [uid])
            if existing:
                self.db["events"].update(uid, row)
            else:
                self.db["events"].insert({**row, "created_at": now})
        return uid

    def get(self, uid: str) -> dict[str, Any] | None:
        rows = self.store.query("SELECT * FROM events WHERE uid = ?", [uid])
        return rows[0] if rows else None

    def delete(self, uid: str) -> bool:
        return self.store.execute("DELETE FROM events WHERE uid = ?", [uid]) > 0

    def overlapping(self, start_utc: str, end_utc: str) -> list[dict[str, Any]]:
        """Single events that overlap the range, and every recurring series begun before its end."""
        return self.store.query(
            "SELECT * FROM events WHERE start_utc < :end AND (end_utc > :start OR recurrence IS NOT NULL) "
            "ORDER BY start_utc", {"start": start_utc, "end": end_utc})

    def all(self) -> list[dict[str, Any]]:
        return self.store.query("SELECT * FROM events ORDER BY start_utc")


class Notes(_Repo):
    def add(self, item: Item) -> str:
        with self.store.transaction():
            self.db["notes"].upsert({"id": item.id, "item_id": item.id, "title": item.title,
                                     "body": item.body or item.source_text, "created_at": utc_now()}, pk="id")
        return item.id

    def all(self) -> list[dict[str, Any]]:
        return self.store.query("SELECT * FROM notes ORDER BY created_at")

    def delete(self, note_id: str) -> bool:
        return self.store.execute("DELETE FROM notes WHERE id = ?", [note_id]) > 0


class Reminders(_Repo):
    def add(self, item: Item, zone: Any) -> str:
        if item.start is None:
            raise ValueError("a reminder needs a time")
        fire_at = item.start if isinstance(item.start, datetime) else datetime(
            item.start.year, item.start.month, item.start.day, 9, tzinfo=zone)
        with self.store.transaction():
            row = self.get(item.id)
            if row is not None and row["last_sent_at"] and fire_at <= datetime.fromisoformat(row["last_sent_at"]):
                return item.id  # written again (the outbox repeating a write cut off by a crash): this time has fired
            self.db["reminders"].upsert({
                "id": item.id, "item_id": item.id, "title": item.title, "fire_at": fire_at.isoformat(),
                "recurrence": item.recurrence, "tz": stored_zone(item, zone),
                "status": ReminderStatus.PENDING.value, "created_at": utc_now()}, pk="id")
        return item.id

    def pending(self) -> list[dict[str, Any]]:
        return self.store.query("SELECT * FROM reminders WHERE status = ? ORDER BY fire_at",
                                [ReminderStatus.PENDING.value])

    def snooze(self, reminder_id: str, suffix: str, title: str, at: datetime, zone: Any) -> str:
        """A one-off copy of the reminder that fires once at `at` (a second snooze moves the same copy)."""
        copy = reminder_id + suffix
        with self.store.transaction():
            self.db["reminders"].upsert({
                "id": copy, "item_id": None, "title": title, "fire_at": at.isoformat(), "recurrence": None,
                "tz": getattr(zone, "key", str(zone)), "status": ReminderStatus.PENDING.value,
                "last_sent_at": None, "created_at": utc_now()}, pk="id")
        return copy

    def get(self, reminder_id: str) -> dict[str, Any] | None:
        rows = self.store.query("SELECT * FROM reminders WHERE id = ?", [reminder_id])
        return rows[0] if rows else None

    def update(self, reminder_id: str, **values: Any) -> None:
        with self.store.transaction():
            self.db["reminders"].update(reminder_id, values)

    def delete(self, reminder_id: str) -> bool:
        return self.store.execute("DELETE FROM reminders WHERE id = ?", [reminder_id]) > 0

    # a firing in flight: claimed, its message not confirmed sent yet (see usecases/reminders.py)
    def begin_send(self, row: dict[str, Any]) -> None:
        self.db["reminder_sends"].upsert({"reminder_id": row["id"], "previous": dumps(dict(row)),
                                          "holder": lease_holder(), "created_at": utc_now()}, pk="reminder_id")

    def end_send(self, reminder_id: str) -> None:
        self.store.execute("DELETE FROM reminder_sends WHERE reminder_id = ?", [reminder_id])

    def put_back(self, previous: dict[str, Any]) -> None:
        """The reminder as it was before a firing whose message never went out: due again."""
        with self.store.transaction():
            self.update(previous["id"], fire_at=previous["fire_at"], status=previous["status"],
                        last_sent_at=previous["last_sent_at"])
            self.end_send(previous["id"])

    def orphaned_sends(self) -> list[dict[str, Any]]:
        """Rows before firings whose sending process is gone (killed before the message went out)."""
        rows = self.store.query("SELECT * FROM reminder_sends ORDER BY created_at")
        return [json.loads(row["previous"]) for row in rows if not holder_alive(row["holder"])]


class Settings(_Repo):
    def get(self, key: str, default: Any = None) -> Any:
        rows = self.store.query("SELECT value FROM settings WHERE key = ?", [key])
        return json.loads(rows[0]["value"]) if rows else default

    def set(self, key: str, value: Any) -> None:
        with self.store.transaction():
            self.db["settings"].upsert({"key": key, "value": dumps(value)}, pk="key")

    def delete(self, key: str) -> None:
        self.store.execute("DELETE FROM settings WHERE key = ?", [key])


class Conversations(_Repo):
    """Where each chat stands (idle, awaiting_confirmation, …): survives a restart."""

    def get(self, chat_id: int) -> dict[str, Any]:
        """{"state": ConversationState, "item_id", "data"}; idle when the chat never spoke."""
        rows = self.store.query("SELECT * FROM conversations WHERE chat_id = ?", [chat_id])
        if not rows:
            return {"chat_id": chat_id, "state": ConversationState.IDLE, "item_id": None, "data": {}}
        row = rows[0]
        row["data"] = json.loads(row["data"])
        row["state"] = ConversationState(row["state"])
        return row

    def set(self, chat_id: int, state: ConversationState, item_id: str | None = None,
            data: dict | None = None) -> None:
        with self.store.transaction():
            self.db["conversations"].upsert({
                "chat_id": chat_id, "state": ConversationState(state).value, "item_id": item_id,
                "data": dumps(data or {}), "updated_at": utc_now()}, pk="chat_id")


class Callbacks(_Repo):
    """Short opaque tokens for Telegram's 64-byte callback_data, mapped to what a tap means."""

    def new(self, data: dict[str, Any], chat_id: int | None = None) -> str:
        token = secrets.token_urlsafe(9)
        with self.store.transaction():
            self.db["callbacks"].insert({"token": token, "chat_id": chat_id, "data": dumps(data),
                                         "created_at": utc_now()})
        return token

    def get(self, token: str) -> dict[str, Any] | None:
        rows = self.store.query("SELECT data FROM callbacks WHERE token = ?", [token])
        return json.loads(rows[0]["data"]) if rows else None

    def prune(self, older_than: timedelta) -> int:
        cutoff = (datetime.now(timezone.utc) - older_than).isoformat(timespec="seconds")
        return self.store.execute("DELETE FROM callbacks WHERE created_at < ?", [cutoff])


class Outbox(_Repo):
    """Writes to calendars and notes, committed before any network call and done exactly once."""

    def enqueue(self, item_id: str, target: str, action: OutboxAction, payload: dict | None = None) -> None:
        now = utc_now()
        with self.store.transaction():
            self.db.execute(
                "INSERT INTO outbox (item_id, target, action, payload, next_attempt_at, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (item_id, target, action) DO UPDATE SET "
                "status = 'pending', payload = excluded.payload, next_attempt_at = excluded.next_attempt_at, "
                "attempts = 0 WHERE outbox.status = 'failed'",
                [item_id, target, OutboxAction(action).value, dumps(payload or {}), now, now])

    def due(self, now: str | None = None) -> list[dict[str, Any]]:
        return self.store.query(
            "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id",
            [now or utc_now()])

    def claim_due(self, lease: timedelta, item_id: str | None = None) -> list[dict[str, Any]]:
        """The due entries (only `item_id`'s when given), each leased for `lease` in one transaction so
        two workers never perform the same entry at once. The lease names its holder (in `result`, unused
        until done), so an entry whose holder process is gone — killed mid-call — is taken over at once
        instead of when the lease runs out; the call is repeated (connectors are idempotent under the
        item id)."""
        now = utc_now()
        until = (datetime.now(timezone.utc) + lease).isoformat(timespec="seconds")
        with self.store.transaction():
            entries = [e for e in self.due(now) + self._orphaned(now) if item_id is None or e["item_id"] == item_id]
            for entry in entries:
                self.db.execute("UPDATE outbox SET next_attempt_at = ?, result = ? WHERE id = ?",
                                [until, dumps({LEASE_HOLDER: lease_holder()}), entry["id"]])
        return entries

    def _orphaned(self, now: str) -> list[dict[str, Any]]:
        """Pending entries under a lease whose holder process no longer runs."""
        rows = self.store.query("SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at > ? AND "
                                "result LIKE ? ORDER BY id", [now, f'%"{LEASE_HOLDER}"%'])
        return [row for row in rows if not holder_alive(json.loads(row["result"]).get(LEASE_HOLDER))]

    def pending(self) -> list[dict[str, Any]]:
        return self.store.query("SELECT * FROM outbox WHERE status = 'pending' ORDER BY id")

    def waiting(self) -> list[dict[str, Any]]:
        """Every entry not done, with its item's title and status, oldest first (for /pending)."""
        return self.store.query(
            "SELECT outbox.*, items.data AS item_data FROM outbox JOIN items ON items.id = outbox.item_id "
            "WHERE outbox.status != 'done' ORDER BY outbox.id")

    def done(self, entry_id: int, result: dict | None = None) -> None:
        with self.store.transaction():
            self.db["outbox"].update(entry_id, {"status": OutboxStatus.DONE.value, "result": dumps(result or {}),
                                                "done_at": utc_now(), "last_error": None})

    def retry(self, entry_id: int, error: str, delay: timedelta, count: bool = True) -> None:
        """Due again after `delay`; `count=False` keeps the attempts (waiting for a login is not one)."""
        when = (datetime.now(timezone.utc) + delay).isoformat(timespec="seconds")
        with self.store.transaction():
            self.db.execute("UPDATE outbox SET attempts = attempts + ?, last_error = ?, next_attempt_at = ?, "
                            "result = NULL WHERE id = ?", [int(count), error, when, entry_id])

    def fail(self, entry_id: int, error: str) -> None:
        with self.store.transaction():
            self.db.execute("UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, "
                            "result = NULL WHERE id = ?", [error, entry_id])


LEASE_HOLDER = "leased_by"
_PROCESS_TOKEN = secrets.token_hex(6)


def lease_holder() -> str:
    """This process, as the holder of an outbox lease: its pid and a token of this run (pids are reused)."""
    return f"{os.getpid()}:{_PROCESS_TOKEN}"


def holder_alive(holder: Any) -> bool:
    """Whether the process that took a lease may still be performing it (when unsure: yes, the lease
    then runs out as before)."""
    pid_text, _, token = str(holder or "").partition(":")
    if not pid_text.isdigit():
        return True
    pid = int(pid_text)
    if pid == os.getpid():
        return token == _PROCESS_TOKEN    # our pid with another token: an earlier run that had this pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:                       # it exists but is not ours to signal
        return True
    return True


class VoiceFiles(_Repo):
    """Voice notes kept on disk until they are transcribed, so none is lost when speech fails."""

    def add(self, file_id: str, path: str, size: int, chat_id: int | None) -> None:
        with self.store.transaction():
            self.db["voice_files"].upsert({"id": file_id, "chat_id": chat_id, "path": path, "size": size,
                                           "status": "pending", "created_at": utc_now()}, pk="id")

    def set(self, file_id: str, status: str, error: str | None = None) -> None:
        with self.store.transaction():
            self.db["voice_files"].update(file_id, {"status": status, "error": error})

    def pending(self) -> list[dict[str, Any]]:
        return self.store.query("SELECT * FROM voice_files WHERE status = 'pending' ORDER BY created_at")
