"""Metrics: timings and counts in SQLite, a rolling window (the runtime's prune job keeps `KEEP_DAYS`).

    from assistant.store import metrics
    metrics.of(store).record("request_ms", 12.5, preview=True)    # where a store is at hand
    metrics.record("llm_ms", 840, model="gpt-4o-mini", ok=True)    # anywhere: the process's bound store

One row per observation: `name`, a number and a few tags (engine, target, ok, error type — never message
text, names or secrets). Recording never raises: a metric that cannot be written is dropped (a full disk
must not fail a request). `summary(since)` folds a window into what `assistant status` shows.

Names:
    request_ms      a message handled, from arrival to the answer (tag preview: whether it was a preview)
    transcribe_s    speech to text of one recording (tag engine: local | api)
    llm_ms          one exchange with the language model (tags model, ok)
    llm_tokens      tokens used by it (tags model, part: prompt | completion | total)
    preview_edit    an open preview was edited by the owner (tag item)
    preview_confirm a preview was created (tag edited: whether the owner changed it first)
    delivery        one attempt to write to a target (tags target, ok, error)
    error           a failure nobody asked for (tags type, where: job:NAME | handler | speech)
    rss_mb          the running assistant's resident memory (a heartbeat, every few minutes)
"""
from __future__ import annotations

import json
import logging
import math
import threading
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from assistant.store import utc_key, utc_now

if TYPE_CHECKING:
    from assistant.store import Store

log = logging.getLogger(__name__)

KEEP_DAYS = 30
REQUEST_MS = "request_ms"
TRANSCRIBE_S = "transcribe_s"
LLM_MS = "llm_ms"
LLM_TOKENS = "llm_tokens"
PREVIEW_EDIT = "preview_edit"
PREVIEW_CONFIRM = "preview_confirm"
DELIVERY = "delivery"
ERROR = "error"
RSS_MB = "rss_mb"


class Metrics:
    """The metrics table of one store (cheap to make: it holds nothing but the store)."""

    def __init__(self, store: "Store"):
        self.store = store

    # ── writing ─────────────────────────────────────────────────────────────────────────────
    def record(self, name: str, value: float, **tags: Any) -> None:
        """One observation; never raises (a metric that cannot be stored is dropped and logged)."""
        try:
            row = [utc_now(), name, float(value),
                   json.dumps(tags, sort_keys=True, default=str, ensure_ascii=False)]
            self.store.execute("INSERT INTO metrics (at, name, value, tags) VALUES (?, ?, ?, ?)", row)
        except Exception as exc:  # noqa: BLE001 (metrics must never fail what they measure)
            log.debug("metric dropped", extra={"metric": name, "error": type(exc).__name__})

    def edited(self, item_id: str) -> None:
        """The owner changed the open preview of `item_id` (an edit by reply or after ✏️ Edit)."""
        self.record(PREVIEW_EDIT, 1, item=item_id)

    def confirmed(self, item_id: str) -> None:
        """A preview was created: counted as edited when the owner changed it before."""
        self.record(PREVIEW_CONFIRM, 1, edited=self.was_edited(item_id))

    def was_edited(self, item_id: str) -> bool:
        try:
            rows = self.store.query("SELECT 1 FROM metrics WHERE name = ? AND json_extract(tags, '$.item') = ? "
                                    "LIMIT 1", [PREVIEW_EDIT, item_id])
        except Exception:  # noqa: BLE001
            return False
        return bool(rows)

    def prune(self, keep: timedelta = timedelta(days=KEEP_DAYS), now: datetime | None = None) -> int:
        """Forget observations older than `keep`; returns how many."""
        cutoff = utc_key((now or datetime.now(timezone.utc)) - keep)
        return self.store.execute("DELETE FROM metrics WHERE at < ?", [cutoff])

    # ── reading ─────────────────────────────────────────────────────────────────────────────
    def rows(self, since: datetime, *names: str) -> list[dict[str, Any]]:
        where = " AND name IN (%s)" % ",".join("?" * len(names)) if names else ""
        rows = self.store.query(f"SELECT id, at, name, value, tags FROM metrics WHERE at >= ?{where} ORDER BY id",
                                [utc_key(since), *names])
        for row in rows:
            row["tags"] = _tags(row["tags"])
        return rows

    def last(self, name: str) -> dict[str, Any] | None:
        rows = self.store.query("SELECT at, value, tags FROM metrics WHERE name = ? ORDER BY id DESC LIMIT 1", [name])
        if not rows:
            return None
        rows[0]["tags"] = _tags(rows[0]["tags"])
        return rows[0]

    def recent_errors(self, limit: int = 10) -> list[dict[str, Any]]:
        """The latest `error` observations, newest first: when, what type, where."""
        rows = self.store.query("SELECT at, tags FROM metrics WHERE name = ? ORDER BY id DESC LIMIT ?", [ERROR, limit])
        return [{"at": r["at"], **{k: v for k, v in _tags(r["tags"]).items() if k in ("type", "where")}}
                for r in rows]

    def summary(self, since: datetime) -> dict[str, Any]:
        """The window from `since` folded into the figures `assistant status` shows (see the module doc)."""
        rows = self.rows(since)
        by_name: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            by_name.setdefault(row["name"], []).append(row)
        requests = by_name.get(REQUEST_MS, [])
        previews = [r for r in requests if r["tags"].get("preview")]
        transcription: dict[str, Any] = {}
        for row in by_name.get(TRANSCRIBE_S, []):
            transcription.setdefault(str(row["tags"].get("engine", "?")), []).append(row["value"])
        llm = by_name.get(LLM_MS, [])
        confirms = by_name.get(PREVIEW_CONFIRM, [])
        edited = sum(1 for r in confirms if r["tags"].get("edited"))
        delivery: dict[str, dict[str, Any]] = {}
        for row in by_name.get(DELIVERY, []):
            target = delivery.setdefault(str(row["tags"].get("target", "?")), {"ok": 0, "failed": 0})
            target["ok" if row["tags"].get("ok") else "failed"] += 1
        for target in delivery.values():
            target["success_rate"] = round(target["ok"] / (target["ok"] + target["failed"]), 3)
        errors: dict[str, int] = {}
        for row in by_name.get(ERROR, []):
            kind = str(row["tags"].get("type", "?"))
            errors[kind] = errors.get(kind, 0) + 1
        return {
            "requests": _timings([r["value"] for r in requests], "ms"),
            "previews": _timings([r["value"] for r in previews], "ms"),
            "transcription": {engine: _timings(values, "s") for engine, values in sorted(transcription.items())},
            "llm": {**_timings([r["value"] for r in llm], "ms"),
                    "failed": sum(1 for r in llm if r["tags"].get("ok") is False),
                    "tokens": int(sum(r["value"] for r in by_name.get(LLM_TOKENS, [])
                                      if r["tags"].get("part", "total") == "total"))},
            "edits": {"confirmed": len(confirms), "edited": edited,
                      "edit_rate": round(edited / len(confirms), 3) if confirms else None},
            "delivery": dict(sorted(delivery.items())),
            "errors": dict(sorted(errors.items(), key=lambda kv: (-kv[1], kv[0]))),
        }


def _timings(values: list[float], unit: str) -> dict[str, Any]:
    """count, and the median, 95th percentile, mean and maximum (None with no values)."""
    if not values:
        return {"count": 0, f"p50_{unit}": None, f"p95_{unit}": None, f"mean_{unit}": None, f"max_{unit}": None}
    ordered = sorted(values)

    def percentile(share: float) -> float:
        return ordered[min(len(ordered), max(1, math.ceil(share * len(ordered)))) - 1]   # nearest rank

    digits = 1 if unit == "ms" else 2
    return {"count": len(values), f"p50_{unit}": round(percentile(0.5), digits),
            f"p95_{unit}": round(percentile(0.95), digits), f"mean_{unit}": round(sum(values) / len(values), digits),
            f"max_{unit}": round(ordered[-1], digits)}


def _tags(text: str | None) -> dict[str, Any]:
    try:
        tags = json.loads(text or "{}")
    except (TypeError, ValueError):
        return {}
    return tags if isinstance(tags, dict) else {}


# ── the process's metrics, for code without a store at hand (the LLM adapter) ───────────────
_bound: Metrics | None = None
_bound_lock = threading.Lock()


def of(store: "Store") -> Metrics:
    return Metrics(store)


def bind(store: "Store") -> Metrics:
    """Make `store` the one `record()` writes to (the runtime binds its store when it starts)."""
    global _bound
    with _bound_lock:
        _bound = Metrics(store)
        return _bound


def unbind(store: "Store | None" = None) -> None:
    """Forget the bound store (only when it is `store`, if given)."""
    global _bound
    with _bound_lock:
        if store is None or (_bound is not None and _bound.store is store):
            _bound = None


def record(name: str, value: float, **tags: Any) -> None:
    """Record into the bound store; nothing happens when none is bound (a tool such as `assistant parse`)."""
    bound = _bound
    if bound is not None:
        bound.record(name, value, **tags)


__all__ = ["Metrics", "of", "bind", "unbind", "record", "KEEP_DAYS", "REQUEST_MS", "TRANSCRIBE_S", "LLM_MS",
           "LLM_TOKENS", "PREVIEW_EDIT", "PREVIEW_CONFIRM", "DELIVERY", "ERROR", "RSS_MB"]
