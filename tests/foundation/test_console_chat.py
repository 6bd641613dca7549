"""The console channel end to end, in subprocesses, as a user would drive it."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

ZONE = "America/New_York"


def assistant(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", "--config", str(tmp_path / "config.toml"), *args],
                          input=stdin, capture_output=True, text=True, timeout=120, cwd=tmp_path)


def make_config(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(f'[assistant]\ntimezone = "{ZONE}"\ndata_dir = "state"\n')


def exported_events(tmp_path: Path) -> list:
    result = assistant(tmp_path, "export", "--ics", "-")
    assert result.returncode == 0, result.stderr
    return icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")


def test_chat_creates_an_event_that_export_returns(tmp_path: Path) -> None:
    make_config(tmp_path)
    zone = ZoneInfo(ZONE)
    before = datetime.now(zone)
    result = assistant(tmp_path, "chat", stdin="Lunch with Anna tomorrow at 1pm\nyes\n")
    assert result.returncode == 0, result.stderr
    assert "Lunch with Anna" in result.stdout and "Created" in result.stdout
    events = exported_events(tmp_path)
    assert len(events) == 1
    event = events[0]
    start = event.decoded("DTSTART")
    tomorrow = (before + timedelta(days=1)).date()
    assert start.tzinfo is not None
    assert start.astimezone(zone) == datetime(tomorrow.year, tomorrow.month, tomorrow.day, 13, tzinfo=zone)
    assert event.decoded("DTEND") - start == timedelta(hours=1)
    assert "Lunch with Anna" in str(event["SUMMARY"])


def test_chat_no_drops_and_edit_changes_the_preview(tmp_path: Path) -> None:
    make_config(tmp_path)
    result = assistant(tmp_path, "chat", stdin="Dentist next Tuesday at 8:15\nno\nGym on Friday at 7am\n"
                                               "make it 6pm\nyes\n/week\n")
    assert result.returncode == 0, result.stderr
    assert "Dropped" in result.stdout
    titles = [str(e["SUMMARY"]) for e in exported_events(tmp_path)]
    assert titles == ["Gym"]
    start = exported_events(tmp_path)[0].decoded("DTSTART").astimezone(ZoneInfo(ZONE))
    assert (start.hour, start.minute, start.weekday()) == (18, 0, 4)


def test_chat_explains_what_it_did_not_understand(tmp_path: Path) -> None:
    make_config(tmp_path)
    result = assistant(tmp_path, "chat", stdin="asdfgh\nDoctor appointment March 32nd\n")
    assert result.returncode == 0, result.stderr
    assert "didn't understand" in result.stdout
    assert "31" in result.stdout  # March has 31 days
    assert exported_events(tmp_path) == []


def test_parse_reads_stdin_line_by_line(tmp_path: Path) -> None:
    make_config(tmp_path)
    result = assistant(tmp_path, "parse", "--now", "2026-03-10T09:00:00+01:00", "--tz", "Europe/Berlin", "--json",
                       "--offline", stdin="Lunch with Anna tomorrow at 1pm\nasdfgh\n")
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and len(lines) == 2
    assert '"start": "2026-03-11T13:00:00+01:00"' in lines[0]
    assert '"kind": "unknown"' in lines[1]


def test_contacts_can_be_added_listed_and_removed(tmp_path: Path) -> None:
    make_config(tmp_path)
    result = assistant(tmp_path, "chat", stdin="/contacts Boris Petrov Boris.P@Example.com\n/contacts\n"
                                               "/contacts remove Boris Petrov\n/contacts\n/contacts Boris\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Saved: Boris Petrov — boris.p@example.com" in out
    assert "• Boris Petrov — boris.p@example.com" in out
    assert "Forgot 1 contact(s)." in out
    assert "No contacts yet" in out
    assert "Say it as /contacts Name address@example.com" in out
