"""Metrics in SQLite and `assistant status` / `/status`: recorded by the use cases and the runtime, folded per
window, pruned after 30 days; shown after a few chat requests, from outside, as the owner would look."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from assistant import status
from assistant.config import Config
from assistant.runtime import Runtime
from assistant.store import metrics
from assistant.usecases import build

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "channels"))


def assistant(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", "--config", str(tmp_path / "config.toml"), *args],
                          input=stdin, capture_output=True, text=True, timeout=120, cwd=tmp_path)


def usecases_in(tmp_path: Path):
    config = Config()
    config.assistant.timezone = "Europe/Berlin"
    config.assistant.data_dir = str(tmp_path / "data")
    return build(config)


def test_requests_edits_and_writes_are_measured(tmp_path: Path) -> None:
    usecases = usecases_in(tmp_path)
    talk = usecases.conversation.handle_text
    try:
        assert talk(1, "Lunch with Anna tomorrow at 1pm").is_preview
        assert talk(1, "make it 2pm").is_preview                       # an edit of the open preview
        assert "Created" in talk(1, "yes").text
        assert talk(1, "Dentist on Friday at 10").is_preview
        assert "Created" in talk(1, "yes").text
        week = metrics.of(usecases.deps.store).summary(datetime.now(timezone.utc) - timedelta(days=7))
    finally:
        usecases.close()
    assert week["requests"]["count"] == 5 and week["previews"]["count"] == 3
    assert week["previews"]["p50_ms"] is not None and week["previews"]["p95_ms"] >= week["previews"]["p50_ms"]
    assert week["edits"] == {"confirmed": 2, "edited": 1, "edit_rate": 0.5}
    assert week["delivery"] == {"local": {"ok": 2, "failed": 0, "success_rate": 1.0}}


def test_failed_jobs_count_as_errors_and_old_metrics_are_pruned(tmp_path: Path) -> None:
    usecases = usecases_in(tmp_path)
    runtime = Runtime(usecases, lambda reply: None)
    store = usecases.deps.store
    try:
        with runtime._guard("sync"):
            raise TimeoutError("a calendar server hung")
        store.execute("INSERT INTO metrics (at, name, value, tags) VALUES ('2000-01-01T00:00:00+00:00', "
                      "'request_ms', 5, '{}')")
        runtime.prune_job()
        rows = store.query("SELECT name, at FROM metrics")
        errors = metrics.of(store).recent_errors()
    finally:
        usecases.close()
    assert all(not row["at"].startswith("2000") for row in rows)
    assert errors[0]["type"] == "TimeoutError" and errors[0]["where"] == "job:sync"


def test_the_process_binding_records_for_code_without_a_store(tmp_path: Path) -> None:
    usecases = usecases_in(tmp_path)
    try:
        metrics.record("llm_ms", 1.0)                                   # nothing bound: dropped quietly
        metrics.bind(usecases.deps.store)
        metrics.record("llm_ms", 840.0, model="m", ok=True)
        metrics.record("llm_tokens", 120, model="m", part="total")
        metrics.unbind(usecases.deps.store)
        day = metrics.of(usecases.deps.store).summary(datetime.now(timezone.utc) - timedelta(days=1))
    finally:
        usecases.close()
    assert day["llm"]["count"] == 1 and day["llm"]["p50_ms"] == 840.0 and day["llm"]["tokens"] == 120


def test_status_shows_the_metrics_after_a_few_chat_requests(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[assistant]\ntimezone = "Europe/Berlin"\ndata_dir = "state"\n')
    chat = assistant(tmp_path, "chat", stdin="Lunch with Anna tomorrow at 1pm\nmake it 2pm\nyes\n"
                                              "Dentist on Friday at 10\nyes\nwhat do I have tomorrow?\n")
    assert chat.returncode == 0, chat.stderr

    shown = assistant(tmp_path, "status")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines if not line.startswith("Configuration: "))
    previews = next(line for line in lines if "message → preview" in line)
    assert " 3× p50 " in previews and previews.rstrip().endswith(" ms")
    assert "1 of 2 (50%)" in next(line for line in lines if "edited before Create" in line)
    assert "2/2 ok (100%)" in next(line for line in lines if "writes to local" in line)
    assert "Outbox: 0 waiting (0 retrying), 0 failed" in shown.stdout
    assert "memory of this process" in shown.stdout and "speech (auto" in shown.stdout

    as_json = assistant(tmp_path, "status", "--json")
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    week = report["metrics"]["week"]
    assert week["requests"]["count"] == 6 and week["previews"]["count"] == 3
    assert week["edits"]["edit_rate"] == 0.5
    assert report["outbox"] == {"pending": 0, "retrying": 0, "failed": 0}
    assert report["integrations"] == [] and report["memory"]["this_process_rss_mb"] > 0


def test_status_names_each_integration_and_its_last_sync(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        '[assistant]\ntimezone = "Europe/Berlin"\ndata_dir = "state"\n\n'
        '[[calendars]]\nname = "holidays"\ntype = "ics"\nurl = "holidays.ics"\n\n'
        '[[calendars]]\nname = "icloud"\ntype = "caldav"\nurl = "https://caldav.example.com/"\n')
    from assistant import config as config_module
    from assistant.store import Store

    config = config_module.load(tmp_path / "config.toml")
    store = Store(config.db_path)
    try:
        store.cache.set_state("holidays", synced_at="2026-03-10T08:00:00+00:00", error=None)
        store.cache.set_state("icloud", error="caldav.example.com refused the login: create an app-specific password")
        report = status.collect(config, store)
    finally:
        store.close()
    health = {i["name"]: (i["health"], i["last_sync"]) for i in report["integrations"]}
    assert health == {"holidays": ("ok", "2026-03-10T08:00:00+00:00"), "icloud": ("error", None)}
    text = status.text(report)
    assert "✓ holidays (ics): synced" in text and "✗ icloud (caldav): error: caldav.example.com refused" in text


def test_status_in_telegram(tmp_path: Path) -> None:
    from telegram_harness import OWNER, BotThread, FakeBotApi, make_config

    with FakeBotApi() as api:
        config = make_config(tmp_path, api)
        bot = BotThread(config, api).start()
        try:
            mark = api.mark()
            api.send_text(OWNER, "Lunch with Anna tomorrow at 1pm")
            api.wait_for("sendMessage", after=mark)
            mark = api.mark()
            api.send_text(OWNER, "/status")
            answer = api.wait_for("sendMessage", after=mark)
        finally:
            bot.stop()
        commands = [c["command"] for c in api.calls_of("setMyCommands")[0].params["commands"]]
    assert "status" in commands
    assert "Integrations" in answer.text and "message → preview" in answer.text
    assert "memory of this process" in answer.text


def test_transcription_time_is_measured_per_engine(tmp_path: Path) -> None:
    from assistant.errors import EngineError
    from assistant.speech.result import Transcript

    class Speech:
        def __init__(self) -> None:
            self.answers = [Transcript("Lunch with Anna tomorrow at 1pm", "api", "en", 3.0, 0.8), EngineError("down")]

        def transcribe(self, path: Path) -> Transcript:
            answer = self.answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer

        def close(self) -> None:
            pass

    usecases = usecases_in(tmp_path)
    try:
        usecases.voice._speech = Speech()
        for name in ("a.ogg", "b.ogg"):
            path = usecases.voice.path_for(name)
            path.write_bytes(b"OggS")
            usecases.voice.keep(name, path, 1)
            usecases.voice.transcribe(1, name, path)
        store = usecases.deps.store
        day = metrics.of(store).summary(datetime.now(timezone.utc) - timedelta(days=1))
        errors = metrics.of(store).recent_errors()
    finally:
        usecases.close()
    assert day["transcription"] == {"api": {"count": 1, "p50_s": 0.8, "p95_s": 0.8, "mean_s": 0.8, "max_s": 0.8}}
    assert errors[0] == {"at": errors[0]["at"], "type": "EngineError", "where": "speech"}
