"""The calendar cache: occurrences of connected calendars' events, refreshed by sync.

Recurring series are stored expanded over the sync window (one row per occurrence), so the conflict
check under a preview is one indexed range query with no network round trip and no rule expansion.
"""
from __future__ import annotations

import json
from functools import lru_cache
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Iterable

from assistant.core.slots import Busy

if TYPE_CHECKING:
    from assistant.store import Store

from assistant.store import dumps, utc_key, utc_now


class CalendarCache:
    def __init__(self, store: "Store"):
        self.store = store

    # --- writing -------------------------------------------------------------------------------

    def replace_calendar(self, calendar: str, objects: Iterable[tuple[str, list[Busy]]]) -> int:
        """Drop everything cached for `calendar` and store `objects` as (key, occurrences) pairs."""
        now = utc_now()
        with self.store.transaction() as db:
            db.execute("DELETE FROM calendar_cache WHERE calendar = ?", [calendar])
            return self._insert(calendar, objects, now)

    def replace_objects(self, calendar: str, objects: Iterable[tuple[str, list[Busy]]]) -> int:
        """Replace the occurrences of each changed object (a delta from a sync token)."""
        objects = list(objects)
        now = utc_now()
        with self.store.transaction() as db:
            for key, _ in objects:
                db.execute("DELETE FROM calendar_cache WHERE calendar = ? AND href = ?", [calendar, key])
            return self._insert(calendar, objects, now)

    def delete_keys(self, calendar: str, keys: Iterable[str]) -> None:
        with self.store.transaction() as db:
            for key in keys:
                db.execute("DELETE FROM calendar_cache WHERE calendar = ? AND href = ?", [calendar, key])

    def delete_uid(self, calendar: str, uid: str) -> None:
        """Forget an event right after we deleted it, before the next sync notices."""
        self.store.execute("DELETE FROM calendar_cache WHERE calendar = ? AND uid = ?", [calendar, uid])

    def clear(self, calendar: str | None = None) -> None:
        with self.store.transaction() as db:
            if calendar is None:
                db.execute("DELETE FROM calendar_cache")
                db.execute("DELETE FROM sync_state")
            else:
                db.execute("DELETE FROM calendar_cache WHERE calendar = ?", [calendar])
                db.execute("DELETE FROM sync_state WHERE calendar = ?", [calendar])

    def _insert(self, calendar: str, objects: Iterable[tuple[str, list[Busy]]], now: str) -> int:
        rows = [self._row(calendar, key, busy, now) for key, occurrences in objects for busy in occurrences]
        if rows:
            self.store.db.conn.executemany(
                "INSERT OR REPLACE INTO calendar_cache (calendar, uid, recurrence_id, href, title, start_utc, "
                "end_utc, all_day, transparent, status, data, synced_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        return len(rows)

    @staticmethod
    def _row(calendar: str, key: str, busy: Busy, now: str) -> tuple[Any, ...]:
        data = {"location": busy.location, "attendees": busy.attendees, "recurring": busy.recurring}
        status = "TENTATIVE" if busy.tentative else None
        return (calendar, busy.uid, busy.recurrence_id, key, busy.title, utc_key(busy.start), utc_key(busy.end),
                int(busy.all_day), int(busy.transparent), status, dumps(data), now)

    # --- reading -------------------------------------------------------------------------------

    def between(self, start: datetime, end: datetime, calendars: list[str] | None = None,
                zone: Any = timezone.utc) -> list[Busy]:
        """Occurrences overlapping [start, end), by start, with times in `zone`."""
        sql = ("SELECT calendar, uid, recurrence_id, title, start_utc, end_utc, all_day, transparent, status, data "
               "FROM calendar_cache WHERE start_utc < ? AND end_utc > ?")
        params: list[Any] = [utc_key(end), utc_key(start)]
        if calendars is not None:
            if not calendars:
                return []
            # "+calendar": filter, don't search by it — the range index is the selective one
            sql += f" AND +calendar IN ({','.join('?' for _ in calendars)})"
            params += calendars
        sql += " ORDER BY start_utc"
        with self.store.lock:
            rows = self.store.db.conn.execute(sql, params).fetchall()
        return [_busy(row, zone) for row in rows]

    def calendars(self) -> list[str]:
        return [r["calendar"] for r in self.store.query("SELECT DISTINCT calendar FROM calendar_cache")]

    def count(self, calendar: str | None = None) -> int:
        if calendar is None:
            return self.store.query("SELECT COUNT(*) AS n FROM calendar_cache")[0]["n"]
        return self.store.query("SELECT COUNT(*) AS n FROM calendar_cache WHERE calendar = ?", [calendar])[0]["n"]

    # --- sync state ----------------------------------------------------------------------------

    def state(self, calendar: str) -> dict[str, Any]:
        rows = self.store.query("SELECT * FROM sync_state WHERE calendar = ?", [calendar])
        return rows[0] if rows else {"calendar": calendar, "token": None, "synced_at": None, "full_at": None,
                                     "window_start": None, "window_end": None, "error": None}

    def set_state(self, calendar: str, **values: Any) -> None:
        row = {**self.state(calendar), **values, "calendar": calendar}
        with self.store.transaction() as db:
            db["sync_state"].upsert(row, pk="calendar")


@lru_cache(maxsize=4096)
def _extra(data: str) -> dict[str, Any]:
    """Decoded once per distinct value: most rows share one (no place, no attendees)."""
    return json.loads(data) if data and data != "{}" else {}


def _busy(row: tuple[Any, ...], zone: Any) -> Busy:
    calendar, uid, recurrence_id, title, start, end, all_day, transparent, status, data = row
    extra = _extra(data)
    return Busy(start=datetime.fromisoformat(start).astimezone(zone), end=datetime.fromisoformat(end).astimezone(zone),
                title=title or "", uid=uid, calendar=calendar, all_day=bool(all_day),
                transparent=bool(transparent), tentative=status == "TENTATIVE",
                location=extra.get("location"), attendees=list(extra.get("attendees") or []),
                recurrence_id=recurrence_id, recurring=bool(extra.get("recurring")))
