"""From the outside, against the Google fake over HTTPS (a test CA named by SSL_CERT_FILE): `assistant connect
work --no-browser` completes when the printed URL is visited; `assistant chat` shows an event only Google
knows as a conflict and lands a confirmed event once at the right instant, with its link; after the owner
revokes access a new event is kept and the owner is told which `connect` to run; after `connect` it lands
once. No token in plain text anywhere under the data directory or in config.toml."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.fakes.google_server import GoogleFake, timed

ZONE = ZoneInfo("Europe/Berlin")
ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(r"https://127\.0\.0\.1:\d+/o/oauth2/auth\?\S+")


def next_friday_at(hour: int) -> datetime:
    today = datetime.now(ZONE).date()
    days = (4 - today.weekday()) % 7 or 7
    day = today + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


@pytest.fixture
def world(tmp_path):
    with GoogleFake(tls_dir=tmp_path / "tls") as google:
        config = tmp_path / "config.toml"
        config.write_text('[assistant]\ntimezone = "Europe/Berlin"\ndata_dir = "state"\n\n' + google.toml("work")
                          + '\n[routing]\nevent = "work"\n', encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "OAUTHLIB_"))}
        env.update(google.trust_env())
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"   # the key file fallback (a Pi)
        env["PYTHONPATH"] = str(ROOT)
        yield google, config, env, tmp_path


def assistant(config: Path, env: dict, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "assistant", "--config", str(config), *args], cwd=config.parent,
                            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kwargs)


def connect(google: GoogleFake, config: Path, env: dict) -> str:
    """`assistant connect work --no-browser`; a browser visits the printed URL."""
    process = assistant(config, env, "connect", "work", "--no-browser")
    lines: list[str] = []
    visited = threading.Event()

    def read() -> None:
        for line in process.stdout:
            lines.append(line)
            found = URL.search(line)
            if found and not visited.is_set():
                visited.set()
                page = google.browse(found.group(0))
                assert page.status_code == 200 and "Signed in" in page.text

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        code = process.wait(timeout=90)
    finally:
        process.kill()
    reader.join(10)
    errors = process.stderr.read()
    assert code == 0, errors
    assert visited.is_set()
    return "".join(lines)


def chat(config: Path, env: dict, text: str) -> str:
    result = subprocess.run([sys.executable, "-m", "assistant", "--config", str(config), "chat"], input=text,
                            capture_output=True, text=True, timeout=120, cwd=config.parent, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def ours(google: GoogleFake, title: str) -> list[dict]:
    return [e for e in google.events() if title in e.get("summary", "")]


def test_connect_chat_revoke_reconnect(world):
    google, config, env, home = world
    standup = next_friday_at(10)
    google.seed("primary", timed(standup, 30, summary="Standup"))

    printed = connect(google, config, env)
    assert "Open this address to sign in:" in printed
    assert "Connected 'work' to Google as owner@example.com; new events go to the calendar " \
           "'owner@example.com (primary)'." in printed

    shown = chat(config, env, "Meeting with Boris on Friday at 10\nyes\n")
    assert "⚠️ overlaps Standup 10:00–10:30" in shown, shown
    [meeting] = ours(google, "Meeting with Boris")
    assert datetime.fromisoformat(meeting["start"]["dateTime"]) == standup
    assert meeting["start"]["timeZone"] == "Europe/Berlin"
    assert "✅ Created: Meeting with Boris" in shown and meeting["htmlLink"] in shown

    google.revoke()
    shown = chat(config, env, "Call with Anna on Friday at 3pm\nyes\n")
    assert "run `assistant connect work`" in shown, shown
    assert ours(google, "Call with Anna") == []

    printed = connect(google, config, env)
    assert "1 write that waited for this sign-in goes out with the assistant's next outbox run." in printed

    process = assistant(config, env, "chat")          # the runtime's outbox job delivers it at start
    try:
        deadline = time.monotonic() + 60
        while not ours(google, "Call with Anna") and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)
        out, err = process.communicate("", timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, err
    [call] = ours(google, "Call with Anna")
    assert datetime.fromisoformat(call["start"]["dateTime"]) == next_friday_at(15)
    assert "✅ Written now: Call with Anna" in out and call["htmlLink"] in out
    assert len(ours(google, "Meeting with Boris")) == 1

    secrets = [*google.refresh_tokens, *google.access_tokens, *google.codes]
    files = [config, *(p for p in (home / "state").rglob("*") if p.is_file())]
    assert any(p.name == "assistant.db" for p in files)
    for path in files:
        data = path.read_bytes()
        assert not any(s.encode() in data for s in secrets), f"a token in plain text in {path}"
    assert google.problems == []
