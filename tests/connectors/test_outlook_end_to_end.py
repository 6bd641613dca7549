"""Outlook end to end, as the owner meets it: `assistant connect office --no-browser` from outside, then
requests through the use cases (and `assistant chat`) against the HTTPS fake of Microsoft: an event lands
once at the right instant, a pre-existing event shows as a conflict, a 429 during the write is retried,
the rotated refresh token is kept, and after a revocation a new event waits, the owner is told to
reconnect, and it lands once after `connect`. No token is ever on disk in plain text."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from assistant.connect import LoopbackOptions, connect
from assistant.usecases import build
from outlook_support import MASTER_KEY, Outlook
from tests.fakes.microsoft_server import FakeMicrosoft

ZONE = ZoneInfo("Europe/Berlin")


def tomorrow_at(hour: int, minute: int = 0) -> datetime:
    day = datetime.now(ZONE).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def seed_standup(fake: FakeMicrosoft) -> datetime:
    start = tomorrow_at(10)
    fake.seed({"subject": "Standup", "start": {"dateTime": start.strftime("%Y-%m-%dT%H:%M:%S"),
                                               "timeZone": "W. Europe Standard Time"},
               "end": {"dateTime": (start + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%S"),
                       "timeZone": "W. Europe Standard Time"}})
    return start


def stored_instant(event: dict) -> datetime:
    assert event["start"]["timeZone"] == "W. Europe Standard Time"
    return datetime.fromisoformat(event["start"]["dateTime"]).replace(tzinfo=ZONE)


def titled(fake: FakeMicrosoft, title: str) -> list[dict]:
    return [e for e in fake.stored() if e["subject"] == title]


def make_due(store) -> None:
    store.execute("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00+00:00'")


def no_plain_tokens(fake: FakeMicrosoft, *places: Path) -> None:
    secrets = [*fake.access_tokens, *fake.refresh_tokens]
    assert secrets
    for place in places:
        files = [place] if place.is_file() else [p for p in place.rglob("*") if p.is_file()]
        for file in files:
            data = file.read_bytes()
            leaked = [s[:12] for s in secrets if s.encode() in data]
            assert not leaked, f"{file} holds tokens in plain text"


@pytest.fixture
def office(microsoft, tmp_path):
    installation = Outlook(microsoft, tmp_path, routing={"event": "office"})
    yield installation
    installation.close()


def test_requests_land_once_through_throttling_rotation_and_revocation(office, microsoft):
    office.connect()
    standup = seed_standup(microsoft)
    usecases = build(office.config, office.store)
    calendars = usecases.deps.calendars
    try:
        calendars.sync()

        # a pre-existing event shows as a conflict
        preview = usecases.conversation.handle_text(1, "Meeting with Boris tomorrow at 10")
        assert "Calendar: office" in preview.text and "⚠️ overlaps Standup 10:00–10:30" in preview.text

        # the access token has run out meanwhile, and Graph throttles the write once
        microsoft.access_token_lifetime = 200
        calendars.connectors["office"].refresh_token()
        microsoft.access_token_lifetime = 3600
        [old_refresh_token] = microsoft.valid_refresh_tokens()
        microsoft.fail_next(429, method="POST", path="/events", retry_after=1)
        done = usecases.proposals.confirm(1, preview.item_id)
        assert done.text.startswith("✅ Created: Meeting with Boris — Calendar: office")
        [meeting] = titled(microsoft, "Meeting with Boris")
        assert stored_instant(meeting) == standup
        assert len(microsoft.graph_requests("POST", "/events")) == 2            # the 429, then the write

        # every refresh stored the rotated refresh token; the old one is refused and nothing breaks
        [new_refresh_token] = microsoft.valid_refresh_tokens()
        assert new_refresh_token != old_refresh_token
        cache = office.record()["cache"]
        assert new_refresh_token in cache and old_refresh_token not in cache

        # a long throttle: the outbox keeps the write and it lands once later
        microsoft.fail_next(429, method="POST", path="/events", retry_after=90)
        preview = usecases.conversation.handle_text(1, "Lunch with Anna tomorrow at 1pm")
        queued = usecases.proposals.confirm(1, preview.item_id)
        assert queued.text.startswith("⏳ Saved") and titled(microsoft, "Lunch with Anna") == []
        make_due(office.store)
        (notice,) = usecases.delivery.run()
        assert notice.text.startswith("✅ Written now: Lunch with Anna")
        [lunch] = titled(microsoft, "Lunch with Anna")
        assert stored_instant(lunch) == tomorrow_at(13)

        # the owner revokes the access (or changes the password): the new event waits
        microsoft.revoke()
        preview = usecases.conversation.handle_text(1, "Call with Carla tomorrow at 3pm")
        waiting = usecases.proposals.confirm(1, preview.item_id)
        assert waiting.text.startswith("🔑 Saved") and "`assistant connect office`" in waiting.text
        assert "waiting" in usecases.commands.pending().text
        make_due(office.store)
        assert usecases.delivery.run() == []                                       # told once, kept
        assert titled(microsoft, "Call with Carla") == []

        # `assistant connect office` again: the waiting write is released and lands once
        line = connect(office.config, "office", LoopbackOptions(open_browser=True, out=_Null()))
        assert line.startswith("calendar 'office' connected: signed in to Microsoft as alice@contoso.com")
        assert "1 write that waited for this sign-in goes out" in line
        (notice,) = usecases.delivery.run()
        assert notice.text.startswith("✅ Written now: Call with Carla")
        assert usecases.delivery.run() == []
        [call] = titled(microsoft, "Call with Carla")
        assert stored_instant(call) == tomorrow_at(15)
        assert len(microsoft.stored()) == 4                                         # standup + three, once each
        for _ in range(2):                                     # deltas after the writes: each event once
            calendars.sync()
            day = tomorrow_at(0)
            titles = [b.title for b in calendars.events_between(day, day + timedelta(days=1))
                      if b.calendar == "office"]
            assert titles == ["Standup", "Meeting with Boris", "Lunch with Anna", "Call with Carla"]
    finally:
        calendars.close()
    no_plain_tokens(microsoft, office.config.data_dir)


class _Null:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


# ── from outside: the command line ───────────────────────────────────────────────────────────

def write_config(fake: FakeMicrosoft, folder: Path) -> Path:
    path = folder / "config.toml"
    path.write_text(f"""
[assistant]
timezone = "Europe/Berlin"
data_dir = "state"

[[calendars]]
name = "office"
type = "outlook"
client_id = "{fake.client_id}"
tenant = "common"
authority_host = "{fake.authority_host}"
base_url = "{fake.graph_url}"
calendar = ""

[routing]
event = "office"
""", encoding="utf-8")
    return path


def environment(fake: FakeMicrosoft) -> dict[str, str]:
    return {**os.environ, **fake.ca.environment(), "ASSISTANT_MASTER_KEY": MASTER_KEY}


def test_connect_no_browser_then_chat(microsoft, tmp_path):
    """`assistant connect office --no-browser` completes when the printed URL is visited; `assistant chat`
    then warns of the Standup only Outlook knows, and the confirmed meeting lands once."""
    config = write_config(microsoft, tmp_path)
    command = subprocess.Popen([sys.executable, "-m", "assistant", "--config", str(config), "connect", "office",
                                "--no-browser"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=environment(microsoft))
    printed: list[str] = []
    url = None
    assert command.stdout is not None
    for line in command.stdout:
        printed.append(line)
        found = re.search(r"https://\S+/authorize\?\S+", line)
        if found:
            url = found.group(0)
            break
    assert url, "".join(printed)
    threading.Thread(target=microsoft.browse, args=(url,), daemon=True).start()   # the browser on this machine
    out, err = command.communicate(timeout=60)
    assert command.returncode == 0, err
    assert "calendar 'office' connected: signed in to Microsoft as alice@contoso.com" in out
    assert "enter the code" in "".join(printed) + out                            # the device code was offered

    standup = seed_standup(microsoft)
    chat = subprocess.run([sys.executable, "-m", "assistant", "--config", str(config), "chat"],
                          input="Meeting with Boris tomorrow at 10\nyes\n", capture_output=True, text=True,
                          timeout=120, cwd=tmp_path, env=environment(microsoft))
    assert chat.returncode == 0, chat.stderr
    assert "⚠️ overlaps Standup 10:00–10:30" in chat.stdout, chat.stdout
    assert "Created" in chat.stdout and "outlook.office365.com" in chat.stdout
    [meeting] = titled(microsoft, "Meeting with Boris")
    assert stored_instant(meeting) == standup
    no_plain_tokens(microsoft, tmp_path / "state", config)
