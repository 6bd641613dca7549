"""SQLite state through sqlite-utils: one `Store` per process, small repositories per table group."""
from __future__ import annotations

import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

from assistant.store.schema import MIGRATIONS


from assistant.errors import StorageFull, StoreError  # noqa: F401 (re-exported for the store's users)


def utc_now() -> str:
    return utc_key(datetime.now(timezone.utc))


def utc_key(value: datetime) -> str:
    """The stored form of an instant: comparable as text (ISO, UTC, seconds)."""
    return value.astimezone(timezone.utc).isoformat(timespec="seconds")


DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) readable by the owner's user only; tighten it if it exists."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        os.chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Make an existing file readable by the owner's user only."""
    if path.exists() and path.stat().st_mode & 0o077:
        os.chmod(path, FILE_MODE)
    return path


def _storage_error(exc: sqlite3.Error, path: Path) -> StoreError:
    """SQLite's failure as a sentence the owner can act on; a full disk or read-only file is StorageFull."""
    text = str(exc).lower()
    if "full" in text:
        return StorageFull(f"The disk holding {path.parent} is full: free some space.")
    if "readonly" in text or "read-only" in text:
        return StorageFull(f"The database {path} is read-only: check its permissions and the disk.")
    if "locked" in text or "busy" in text:
        return StoreError(f"The database {path} is locked by another program (is a second assistant running?).")
    return StoreError(f"The database {path} could not be written ({exc}).")


class Store:
    """The database: opened once, migrated on open, safe to share between the bot's threads."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.lock = threading.RLock()
        try:
            if self.path.parent.exists() and not self.path.parent.is_dir():
                raise StoreError(f"cannot open the database {self.path}: {self.path.parent} is a file, not a "
                                 "folder (check [assistant] data_dir)")
            private_dir(self.path.parent)
            conn = sqlite3.connect(str(self.path), timeout=10, check_same_thread=False)
            private_file(self.path)
            self.db = sqlite_utils.Database(conn, execute_plugins=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA busy_timeout=10000")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc}") from None
        except OSError as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc.strerror or exc} "
                             "(check [assistant] data_dir)") from None
        for suffix in ("-wal", "-shm"):
            private_file(Path(f"{self.path}{suffix}"))
        from assistant.store import repos  # noqa: PLC0415 (repos import Store for typing only)

        self.items = repos.Items(self)
        self.events = repos.Events(self)
        self.notes = repos.Notes(self)
        self.reminders = repos.Reminders(self)
        self.settings = repos.Settings(self)
        self.conversations = repos.Conversations(self)
        self.callbacks = repos.Callbacks(self)
        self.outbox = repos.Outbox(self)
        self.voice_files = repos.VoiceFiles(self)
        from assistant.store import calendar_cache, contacts  # noqa: PLC0415 (calendars: cache and contacts)
        self.cache, self.contacts = calendar_cache.CalendarCache(self), contacts.Contacts(self)

    @property
    def version(self) -> int:
        row = self.db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return row[0] or 0

    def _migrate(self) -> None:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
        current = self.version
        for number, name, sql in MIGRATIONS:
            if number <= current:
                continue
            with self.transaction():
                for statement in _statements(sql):
                    self.db.execute(statement)
                self.db.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [number, name, utc_now()])

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """One atomic unit of work; nested calls join the outer one. A write SQLite refuses (disk full,
        read-only, locked) becomes a `StoreError` and nothing of the unit is kept."""
        with self.lock:
            try:
                with self.db.atomic():
                    yield self.db
            except sqlite3.OperationalError as exc:
                raise _storage_error(exc, self.path) from None

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.db.query(sql, params))

    def execute(self, sql: str, params: Any = ()) -> int:
        with self.transaction():
            return self.db.execute(sql, params).rowcount

    def close(self) -> None:
        with self.lock:
            self.db.close()


def _statements(script: str) -> list[str]:
    """Split a migration script on semicolons (no migration uses one inside a string)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
