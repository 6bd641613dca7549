"""The console channel over a real CalDAV server: the runtime syncs before the first request is read, so
the very first preview of a fresh `assistant chat` already warns of an event that only the server knows."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from assistant.config import CalendarSection
from assistant.connectors.caldav import CalDAVConnector
from assistant.core.item import Item, Kind
from radicale_server import USERS

ZONE = ZoneInfo("Europe/Berlin")


def next_friday_at(hour: int) -> datetime:
    today = datetime.now(ZONE).date()
    days = (4 - today.weekday()) % 7 or 7
    day = today + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


def test_first_chat_run_warns_of_a_conflict_only_the_caldav_server_knows(radicale, tmp_path: Path) -> None:
    name = radicale.make_calendar("alice")
    url = radicale.url + "/"
    section = CalendarSection(type="caldav", name="icloud", url=url, username="alice", password=USERS["alice"],
                              calendar=name)
    standup = next_friday_at(10)
    CalDAVConnector(section, ZONE).create(Item(kind=Kind.EVENT, title="Standup", start=standup,
                                               end=standup + timedelta(minutes=30)))
    (tmp_path / "config.toml").write_text(f"""
[assistant]
timezone = "Europe/Berlin"
data_dir = "state"

[[calendars]]
name = "icloud"
type = "caldav"
url = "{url}"
username = "alice"
password = "{USERS['alice']}"
calendar = "{name}"

[routing]
event = "icloud"
""", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "assistant", "--config", str(tmp_path / "config.toml"), "chat"],
                            input="Meeting with Boris on Friday at 10\n", capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Meeting with Boris" in result.stdout
    assert "⚠️ overlaps Standup 10:00–10:30" in result.stdout, result.stdout


def test_a_server_that_never_answers_does_not_hold_up_the_chat(tmp_path: Path) -> None:
    with socket.socket() as silent:                      # accepts connections, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        (tmp_path / "config.toml").write_text(f"""
[assistant]
timezone = "Europe/Berlin"
data_dir = "state"

[[calendars]]
name = "icloud"
type = "caldav"
url = "http://127.0.0.1:{port}/"
username = "alice"
password = "secret"
timeout_seconds = 60
""", encoding="utf-8")
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "assistant", "--config", str(tmp_path / "config.toml"),
                                 "chat"], input="Lunch with Anna tomorrow at 1pm\n", capture_output=True,
                                text=True, timeout=120, cwd=tmp_path)
        assert "Lunch with Anna" in result.stdout
        assert time.monotonic() - started < 30            # the start-up sync waits 5 s, not the 60 s timeout
