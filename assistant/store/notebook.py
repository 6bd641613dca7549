"""Repositories for notes targets and for reading back what was stored (migration 5).

    BridgeQueue(store, "iphone")   notes waiting for the phone's Shortcut (the Apple Notes pull bridge)
    RemoteIds(store, "notion")     item id → the provider's id (a Notion page), and when a create began
    ShownNotes(store)              chat messages that show one note, so a reply to one can edit that note
    ReadBack(store)                the notes and reminders the owner confirmed, whatever their target

They are built where they are needed (cheap: they hold only the store), not kept on `Store`.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from assistant.core.states import ItemStatus, OutboxAction
from assistant.store import Store, utc_now
from assistant.store.repos import _Repo

PENDING, ACKED, DELETED = "pending", "acked", "deleted"
SHOWN_KEEP = timedelta(days=30)
"""A reply to a listing older than this no longer finds its note (the rows are pruned)."""


def _stamp() -> str:
    """A queue time with microseconds, so notes queued in one second keep their order."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class BridgeQueue(_Repo):
    """One Apple Notes target's queue: a note is pending until the phone acknowledges it. Rows are
    committed before `put` returns (WAL), so a crash or kill -9 loses nothing that was confirmed."""

    def __init__(self, store: Store, target: str):
        super().__init__(store)
        self.target = target

    def put(self, note_id: str, title: str, body: str) -> bool:
        """Queue a note (or its new content); True when something new is pending (the phone may be told).
        The same content again changes nothing (a retried create after a lost answer): a delivered note
        stays delivered; a changed one is queued again, and arrives on the phone as a new note."""
        with self.store.transaction():
            row = self.get(note_id)
            if row is not None and row["status"] in (PENDING, ACKED) and (row["title"], row["body"]) == (title, body):
                return False
            if row is None:
                self.db["bridge_notes"].insert({"target": self.target, "id": note_id, "title": title, "body": body,
                                                "created": _stamp(), "status": PENDING})
            else:
                created = row["created"] if row["status"] == PENDING else _stamp()
                self.db.execute("UPDATE bridge_notes SET title = ?, body = ?, status = ?, created = ?, acked_at = NULL "
                                "WHERE target = ? AND id = ?", [title, body, PENDING, created, self.target, note_id])
        return True

    def get(self, note_id: str) -> dict[str, Any] | None:
        rows = self.store.query("SELECT * FROM bridge_notes WHERE target = ? AND id = ?", [self.target, note_id])
        return rows[0] if rows else None

    def pending(self) -> list[dict[str, Any]]:
        """Pending notes, oldest first, as the bridge lists them."""
        return self.store.query("SELECT id, title, body, created FROM bridge_notes WHERE target = ? AND status = ? "
                                "ORDER BY created, rowid", [self.target, PENDING])

    def ack(self, note_id: str) -> bool:
        """The phone made the note: never listed again. False for an id this target never queued (or
        one deleted before delivery); acknowledging twice is fine."""
        with self.store.transaction():
            row = self.get(note_id)
            if row is None or row["status"] == DELETED:
                return False
            if row["status"] == PENDING:
                self.db.execute("UPDATE bridge_notes SET status = ?, acked_at = ? WHERE target = ? AND id = ?",
                                [ACKED, utc_now(), self.target, note_id])
        return True

    def delete(self, note_id: str) -> None:
        """A pending note is withdrawn (never listed); a delivered one stays on the phone (nothing can
        reach it there) and is only marked."""
        self.store.execute("UPDATE bridge_notes SET status = ? WHERE target = ? AND id = ?",
                           [DELETED, self.target, note_id])

    def count(self, status: str = PENDING) -> int:
        rows = self.store.query("SELECT COUNT(*) AS n FROM bridge_notes WHERE target = ? AND status = ?",
                                [self.target, status])
        return rows[0]["n"]


class RemoteIds(_Repo):
    """Which provider object an item became on one target (a Notion page id), with the time its first
    create was sent: a retry after a lost answer looks for what that attempt may have made."""

    def __init__(self, store: Store, target: str):
        super().__init__(store)
        self.target = target

    def get(self, item_id: str) -> dict[str, Any] | None:
        rows = self.store.query("SELECT * FROM remote_ids WHERE target = ? AND item_id = ?", [self.target, item_id])
        return rows[0] if rows else None

    def begin(self, item_id: str, kind: str) -> dict[str, Any]:
        """The row for a create about to be sent (made now unless an earlier attempt made it)."""
        with self.store.transaction():
            row = self.get(item_id)
            if row is None:
                now = utc_now()
                row = {"target": self.target, "item_id": item_id, "kind": kind, "remote_id": None,
                       "attempted_at": now, "updated_at": now}
                self.db["remote_ids"].insert(row)
        return row

    def set(self, item_id: str, remote_id: str, kind: str) -> None:
        now = utc_now()
        with self.store.transaction():
            self.db.execute(
                "INSERT INTO remote_ids (target, item_id, kind, remote_id, attempted_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (target, item_id) DO UPDATE SET remote_id = excluded.remote_id, "
                "kind = excluded.kind, updated_at = excluded.updated_at",
                [self.target, item_id, kind, remote_id, now, now])

    def forget(self, item_id: str) -> None:
        self.store.execute("DELETE FROM remote_ids WHERE target = ? AND item_id = ?", [self.target, item_id])

    def by_remote(self) -> dict[str, dict[str, Any]]:
        """remote id → row, for every object this target knows."""
        rows = self.store.query("SELECT * FROM remote_ids WHERE target = ? AND remote_id IS NOT NULL", [self.target])
        return {row["remote_id"]: row for row in rows}


class ShownNotes(_Repo):
    """Chat messages showing one note each (a /notes listing): a reply "delete" or "add: …" to one of
    them finds its note here."""

    def remember(self, chat_id: int, message_id: int, item_id: str) -> None:
        cutoff = (datetime.now(timezone.utc) - SHOWN_KEEP).isoformat(timespec="seconds")
        with self.store.transaction():
            self.db["shown_notes"].upsert({"chat_id": chat_id, "message_id": message_id, "item_id": item_id,
                                           "created_at": utc_now()}, pk=("chat_id", "message_id"))
            self.db.execute("DELETE FROM shown_notes WHERE created_at < ?", [cutoff])

    def item(self, chat_id: int, message_id: int) -> str | None:
        rows = self.store.query("SELECT item_id FROM shown_notes WHERE chat_id = ? AND message_id = ?",
                                [chat_id, message_id])
        return rows[0]["item_id"] if rows else None


KEPT = (ItemStatus.CONFIRMED.value, ItemStatus.DELIVERED.value)
"""Items the owner confirmed and has not undone (a failed one is not kept anywhere)."""


class ReadBack(_Repo):
    """What the owner stored, whatever its target: confirmed notes and reminders, from the items table."""

    def notes(self) -> list[dict[str, Any]]:
        """Confirmed notes, newest first (rows of `items`)."""
        return self.store.query(
            "SELECT * FROM items WHERE kind = 'note' AND status IN (?, ?) "
            "ORDER BY COALESCE(confirmed_at, created_at) DESC, rowid DESC", list(KEPT))

    def reminders(self) -> list[dict[str, Any]]:
        """Confirmed reminders, each with its built-in row's state when it lives there (`fire_at`,
        `reminder_status`), oldest first."""
        return self.store.query(
            "SELECT items.*, reminders.fire_at AS fire_at, reminders.status AS reminder_status "
            "FROM items LEFT JOIN reminders ON reminders.id = items.id "
            "WHERE items.kind = 'reminder' AND items.status IN (?, ?) ORDER BY items.created_at", list(KEPT))

    def reopen(self, item_id: str, target: str, action: OutboxAction) -> None:
        """Queue `action` again for an item whose earlier entry of that action is done (a second append
        to a note is a second update)."""
        with self.store.transaction():
            self.db.execute("DELETE FROM outbox WHERE item_id = ? AND target = ? AND action = ? AND status = 'done'",
                            [item_id, target, OutboxAction(action).value])
            self.store.outbox.enqueue(item_id, target, action)


__all__ = ["ACKED", "BridgeQueue", "DELETED", "PENDING", "ReadBack", "RemoteIds", "ShownNotes"]
