from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from assistant.core.item import Item, Kind
from assistant.store import Store
from assistant.store.schema import MIGRATIONS

ZONE = ZoneInfo("Europe/Berlin")


def test_new_database_is_private_wal_and_migrated(tmp_path: Path) -> None:
    store = Store(tmp_path / "sub" / "a.db")
    assert os.stat(tmp_path / "sub" / "a.db").st_mode & 0o777 == 0o600
    assert os.stat(tmp_path / "sub").st_mode & 0o777 == 0o700
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.version == MIGRATIONS[-1][0]
    for table in ("items", "events", "notes", "reminders", "settings", "conversations",
                  "outbox", "callbacks", "calendar_cache", "contacts"):
        assert table in store.db.table_names()
    store.close()
    assert Store(tmp_path / "sub" / "a.db").version == MIGRATIONS[-1][0]


def test_outbox_is_idempotent_per_item_target_action(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    store.outbox.enqueue("i1", "local", "create")
    store.outbox.enqueue("i1", "local", "create")
    assert len(store.outbox.due()) == 1
    entry = store.outbox.due()[0]
    store.outbox.retry(entry["id"], "down", timedelta(minutes=5))
    assert store.outbox.due() == []
    assert len(store.outbox.pending()) == 1
    store.outbox.done(entry["id"], {"uid": "i1"})
    assert store.outbox.pending() == []


def test_items_keep_their_status_and_round_trip(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    item = Item(Kind.EVENT, "Lunch", datetime(2026, 3, 11, 13, tzinfo=ZONE), datetime(2026, 3, 11, 14, tzinfo=ZONE),
                attendees=["Anna"])
    store.items.save(item, "proposed", chat_id=7)
    store.items.set_status(item.id, "confirmed")
    assert store.items.get(item.id) == item
    assert store.items.row(item.id)["status"] == "confirmed"
    assert store.items.row(item.id)["chat_id"] == 7


def test_conversation_state_survives_reopen(tmp_path: Path) -> None:
    Store(tmp_path / "a.db").conversations.set(5, "awaiting_confirmation", "abc", {"k": 1})
    again = Store(tmp_path / "a.db").conversations.get(5)
    assert (again["state"], again["item_id"], again["data"]) == ("awaiting_confirmation", "abc", {"k": 1})


def test_callback_tokens_fit_telegram(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    token = store.callbacks.new({"action": "target", "name": "Календарь семьи 👪" * 3})
    assert len(token.encode()) <= 64
    assert store.callbacks.get(token)["name"].startswith("Календарь")


def test_local_events_range_query_includes_recurring_series(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    once = Item(Kind.EVENT, "Once", datetime(2026, 3, 11, 13, tzinfo=ZONE), datetime(2026, 3, 11, 14, tzinfo=ZONE))
    weekly = Item(Kind.EVENT, "Weekly", datetime(2026, 1, 5, 9, tzinfo=ZONE), datetime(2026, 1, 5, 10, tzinfo=ZONE),
                  recurrence="FREQ=WEEKLY;BYDAY=MO")
    store.events.upsert(once, ZONE)
    store.events.upsert(weekly, ZONE)
    rows = store.events.overlapping("2026-03-16T00:00:00+00:00", "2026-03-17T00:00:00+00:00")
    assert [r["title"] for r in rows] == ["Weekly"]


def test_database_is_plain_sqlite(tmp_path: Path) -> None:
    Store(tmp_path / "a.db").settings.set("telegram.offset", 41)
    conn = sqlite3.connect(tmp_path / "a.db")
    assert conn.execute("SELECT value FROM settings WHERE key='telegram.offset'").fetchone() == ("41",)
