"""`assistant status`, `/status` and the wizard's dashboard: how the assistant is doing, from local state only.

    report = collect(config, store)              # a plain dict (what `--json` prints)
    print(text(report))                          # the same, for a terminal or a chat (fits 80 columns)

Nothing here talks to a server (that is `assistant doctor`'s job): each integration's health is its last
sync (`Calendars.sync_status()`, kept in SQLite) or its last write (the delivery metrics); the outbox is
counted; the metrics are folded over the last day and the last 7 days (`assistant.store.metrics`); the
recent errors are the `error` metrics; the model and memory are the speech model on disk, the language
model configured, the resident memory of this process and the running assistant's last heartbeat.
"""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.store import metrics as metrics_module

if TYPE_CHECKING:
    from assistant.config import Config
    from assistant.core.render import Reply
    from assistant.store import Store
    from assistant.usecases import UseCases

WINDOWS = {"day": timedelta(days=1), "week": timedelta(days=7)}
HEARTBEAT_STALE = timedelta(minutes=25)
"""A heartbeat older than this (the runtime records one every 10 minutes): probably not running."""


# ── collecting ──────────────────────────────────────────────────────────────────────────────
def collect(config: "Config", store: "Store", sync_status: dict[str, dict] | None = None,
            now: datetime | None = None, speech_loaded: bool | None = None,
            llm: str | None = None) -> dict[str, Any]:
    """Everything `assistant status` shows, as JSON-ready values. `sync_status` is the running assistant's
    `Calendars.sync_status()` (read from the store when not given); `speech_loaded` and `llm` describe
    the process asking (the bot's own `/status`)."""
    now = now or datetime.now(timezone.utc)
    metrics = metrics_module.of(store)
    if sync_status is None:
        sync_status = {c.name: store.cache.state(c.name) for c in config.calendars}
    week = metrics.summary(now - WINDOWS["week"])
    return {
        "generated_at": now.astimezone(timezone.utc).isoformat(timespec="seconds"),
        "configuration": str(config.path) if config.path else None,
        "timezone": config.assistant.timezone,
        "integrations": _integrations(config, store, sync_status, week),
        "outbox": _outbox(store),
        "metrics": {"day": metrics.summary(now - WINDOWS["day"]), "week": week},
        "errors": metrics.recent_errors(10),
        "model": {"speech": speech_model(config, speech_loaded), "llm": llm or llm_summary(config)},
        "memory": _memory(metrics, now),
    }


def _integrations(config: "Config", store: "Store", sync_status: dict[str, dict],
                  week: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for section in config.calendars:
        state = sync_status.get(section.name) or {}
        error, synced = state.get("error"), state.get("synced_at")
        health = "error" if error else "ok" if synced else "not synced yet"
        found.append({"name": section.name, "type": str(section.type), "kind": "calendar", "health": health,
                      "last_sync": synced, "error": error})
    for section in config.notes:
        writes = week["delivery"].get(section.name)
        entry: dict[str, Any] = {"name": section.name, "type": str(section.type), "kind": "notes",
                                 "last_sync": None, "error": None}
        if writes and writes["failed"] and not writes["ok"]:
            entry["health"] = "failing"
        else:
            entry["health"] = "ok" if writes else "no writes yet"
        if str(section.type) == "apple_notes":
            entry["waiting_for_phone"] = _count(store, "SELECT COUNT(*) AS n FROM bridge_notes WHERE target = ? "
                                                       "AND status = 'pending'", [section.name])
        found.append(entry)
    return found


def _outbox(store: "Store") -> dict[str, int]:
    rows = store.query("SELECT status, COUNT(*) AS n, SUM(last_error IS NOT NULL) AS troubled FROM outbox "
                       "WHERE status != 'done' GROUP BY status")
    counts = {row["status"]: row for row in rows}
    pending = counts.get("pending", {})
    return {"pending": int(pending.get("n") or 0), "retrying": int(pending.get("troubled") or 0),
            "failed": int((counts.get("failed") or {}).get("n") or 0)}


def _count(store: "Store", sql: str, params: list[Any]) -> int | None:
    try:
        return int(store.query(sql, params)[0]["n"])
    except Exception:  # noqa: BLE001 (a table of a feature this database does not have yet)
        return None


def _memory(metrics: metrics_module.Metrics, now: datetime) -> dict[str, Any]:
    beat = metrics.last(metrics_module.RSS_MB)
    service = None
    if beat is not None:
        at = datetime.fromisoformat(beat["at"])
        service = {"rss_mb": round(beat["value"], 1), "at": beat["at"], "recent": now - at <= HEARTBEAT_STALE}
    return {"this_process_rss_mb": rss_mb(), "this_process_peak_mb": peak_rss_mb(), "assistant": service}


def speech_model(config: "Config", loaded: bool | None = None) -> dict[str, Any]:
    """The speech model in use: its folder and size on disk, or a size name downloaded on first use."""
    value = config.speech.model.strip()
    info: dict[str, Any] = {"engine": str(config.speech.engine), "model": value, "path": None, "size_mb": None,
                            "found": False}
    if loaded is not None:
        info["loaded"] = loaded
    for candidate in (config.resolve_path(value), Path.cwd() / Path(value).expanduser()):
        if candidate.is_dir():
            size = sum(p.stat().st_size for p in candidate.rglob("*") if p.is_file())
            info.update(path=str(candidate), size_mb=round(size / 1e6, 1), found=(candidate / "model.bin").exists())
            return info
    if "/" not in value and "\\" not in value:
        info["found"] = None          # a size name: fetched by faster-whisper on first use
    return info


def llm_summary(config: "Config") -> str:
    section = config.llm
    if section.mode == "off" or not section.base_url.strip() or not section.model.strip():
        return "none (the offline parser only)"
    from urllib.parse import urlsplit  # noqa: PLC0415

    host = urlsplit(section.base_url).netloc or section.base_url
    return f"{section.model} at {host} (mode {section.mode})"


def rss_mb() -> float | None:
    """This process's resident memory in MB (Linux /proc; elsewhere the peak from getrusage)."""
    value = _proc_status("VmRSS")
    return value if value is not None else peak_rss_mb()


def peak_rss_mb() -> float | None:
    value = _proc_status("VmHWM")
    if value is not None:
        return value
    try:
        import resource  # noqa: PLC0415

        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    except (ImportError, OSError):
        return None


def _proc_status(field: str) -> float | None:
    try:
        for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError, IndexError):
        return None
    return None


# ── for the owner ───────────────────────────────────────────────────────────────────────────
def reply(usecases: "UseCases") -> "Reply":
    """/status in the chat: the same report, from inside the running assistant."""
    from assistant.core.render import Reply  # noqa: PLC0415

    deps = usecases.deps
    report = collect(deps.config, deps.store, sync_status=deps.calendars.sync_status(),
                     speech_loaded=usecases.voice.speech_loaded,
                     llm=deps.understanding.summary())
    return Reply(text(report, zone=deps.zone))


def record_error(usecases: "UseCases", where: str, error_type: str) -> None:
    """A failure outside the jobs (a chat handler) counted with the others; never raises."""
    metrics_module.of(usecases.deps.store).record(metrics_module.ERROR, 1, type=error_type, where=where)


def text(report: dict[str, Any], zone: Any = None) -> str:
    """The report as lines of at most 80 characters (terminal, dashboard and chat)."""
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    zone = zone or ZoneInfo(report.get("timezone") or "UTC")

    def when(value: str | None) -> str:
        if not value:
            return "never"
        moment = datetime.fromisoformat(value).astimezone(zone)
        today = datetime.now(zone).date()
        return f"{moment:%H:%M}" if moment.date() == today else f"{moment:%d %b %H:%M}"

    lines = [f"Status at {when(report['generated_at'])} ({getattr(zone, 'key', zone)})"]
    if report.get("configuration"):
        lines.append(f"Configuration: {report['configuration']}")
    lines += ["", "Integrations"]
    if not report["integrations"]:
        lines.append("  only the built-in calendar (add more with `assistant setup`)")
    for entry in report["integrations"]:
        mark = {"ok": "✓", "error": "✗", "failing": "✗"}.get(entry["health"], "•")
        head = f"  {mark} {entry['name']} ({entry['type']})"
        if entry["kind"] == "calendar":
            detail = f"error: {entry['error']}" if entry["error"] else (
                f"synced {when(entry['last_sync'])}" if entry["last_sync"] else "not synced yet")
        else:
            detail = entry["health"]
            if entry.get("waiting_for_phone") is not None:
                detail += f"; {entry['waiting_for_phone']} note(s) waiting for the phone"
        lines.append(_clip(f"{head}: {detail}"))
    box = report["outbox"]
    lines += ["", f"Outbox: {box['pending']} waiting ({box['retrying']} retrying), {box['failed']} failed"]
    day, week = report["metrics"]["day"], report["metrics"]["week"]
    lines += ["", f"{'Metrics':<24}{'last day':<28}last 7 days"]
    rows = [("requests handled", _timing(day["requests"], "ms"), _timing(week["requests"], "ms")),
            ("message → preview", _timing(day["previews"], "ms"), _timing(week["previews"], "ms"))]
    for engine in sorted(set(day["transcription"]) | set(week["transcription"])):
        rows.append((f"transcription ({engine})", _timing(day["transcription"].get(engine), "s"),
                     _timing(week["transcription"].get(engine), "s")))
    rows.append(("language model", _llm(day["llm"]), _llm(week["llm"])))
    rows.append(("edited before Create", _edits(day["edits"]), _edits(week["edits"])))
    for target in sorted(set(day["delivery"]) | set(week["delivery"])):
        rows.append((f"writes to {target}"[:22], _rate(day["delivery"].get(target)), _rate(week["delivery"].get(target))))
    errors_day, errors_week = sum(day["errors"].values()), sum(week["errors"].values())
    rows.append(("errors", str(errors_day), f"{errors_week}" + (
        ": " + ", ".join(f"{k} {v}" for k, v in list(week["errors"].items())[:2]) if errors_week else "")))
    for label, one, seven in rows:
        lines.append(_clip(f"  {label:<22}{one:<28}{seven}"))
    if report["errors"]:
        lines += ["", "Recent errors"]
        for error in report["errors"][:5]:
            lines.append(_clip(f"  {when(error['at'])}  {error.get('where', '?')}: {error.get('type', '?')}"))
    speech, memory = report["model"]["speech"], report["memory"]
    lines += ["", "Model and memory"]
    if speech["path"]:
        where = f"{speech['path']} ({speech['size_mb']:.0f} MB)" + ("" if speech["found"] else " — no model.bin")
    elif speech["found"] is None:
        where = f"size {speech['model']!r} (downloaded on first use)"
    else:
        where = f"{speech['model']} is missing (scripts/fetch-whisper-model)"
    loaded = {True: ", loaded", False: ", not loaded yet"}.get(speech.get("loaded"), "")
    lines.append(_clip(f"  speech ({speech['engine']}{loaded}): {where}"))
    lines.append(_clip(f"  language model: {report['model']['llm']}"))
    mine = memory["this_process_rss_mb"]
    lines.append(f"  memory of this process: {mine:.0f} MB" if mine is not None else "  memory: unknown")
    service = memory["assistant"]
    if service:
        stale = "" if service["recent"] else " (not running lately?)"
        lines.append(_clip(f"  the running assistant at its last heartbeat ({when(service['at'])}): "
                           f"{service['rss_mb']:.0f} MB{stale}"))
    return "\n".join(lines)


def _timing(summary: dict[str, Any] | None, unit: str) -> str:
    if not summary or not summary["count"]:
        return "—"
    return (f"{summary['count']}× p50 {_num(summary[f'p50_{unit}'])} p95 {_num(summary[f'p95_{unit}'])} "
            f"{unit}")


def _llm(summary: dict[str, Any]) -> str:
    if not summary["count"]:
        return "—"
    failed = f" · {summary['failed']} failed" if summary["failed"] else ""
    return f"{summary['count']}× p50 {_num(summary['p50_ms'])} ms, {summary['tokens']} tok{failed}"


def _edits(summary: dict[str, Any]) -> str:
    if not summary["confirmed"]:
        return "—"
    return f"{summary['edited']} of {summary['confirmed']} ({100 * summary['edit_rate']:.0f}%)"


def _rate(summary: dict[str, Any] | None) -> str:
    if not summary:
        return "—"
    total = summary["ok"] + summary["failed"]
    return f"{summary['ok']}/{total} ok ({100 * summary['success_rate']:.0f}%)"


def _num(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _clip(line: str, width: int = 80) -> str:
    return line if len(line) <= width else line[:width - 1] + "…"
