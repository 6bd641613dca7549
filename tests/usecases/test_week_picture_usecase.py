"""The week picture in the use cases and on the command line: /week's reply carries the PNG, "show me next
week" draws next week, the daily agenda's optional picture, the console writes the file, `assistant week
--png FILE` does the same from the shell, and a picture that cannot be drawn leaves the list alone."""
from __future__ import annotations

import io
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image

from assistant.calendars import Calendars
from assistant.channels.console import Console
from assistant.config import Config, RoutingSection
from assistant.connectors.memory import MemoryConnector
from assistant import week_picture
from assistant.core.item import Item, Kind
from assistant.core.slots import Busy
from assistant.store import Store
from assistant.usecases import build

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=BERLIN)          # a Tuesday


def world(tmp_path, agenda: str = "", now: datetime = NOW, **connectors):
    store = Store(tmp_path / "data" / "assistant.db")
    config = Config(routing=RoutingSection(event="local"))
    config.assistant.timezone = "Europe/Berlin"
    config.assistant.data_dir = str(tmp_path / "data")
    config.agenda.time = agenda
    calendars = Calendars(config, store, connectors=connectors) if connectors else None
    return build(config, store, calendars=calendars, clock=lambda: now), store


def png_size(data: bytes | None) -> tuple[int, int]:
    assert data is not None
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.size


def spy(monkeypatch) -> list:
    seen = []
    original = week_picture.render

    def render(entries, zone, view, now=None):
        seen.append((entries, view, now))
        return original(entries, zone, view, now)

    monkeypatch.setattr(week_picture, "render", render)
    return seen


def test_week_is_the_list_with_a_picture(tmp_path, monkeypatch):
    seen = spy(monkeypatch)
    usecases, store = world(tmp_path)
    usecases.conversation.handle_text(1, "Lunch with Anna tomorrow at 1pm")
    usecases.conversation.handle_text(1, "yes")
    reply = usecases.agenda.week()
    assert reply.text.startswith("The next 7 days") and "Lunch with Anna" in reply.text
    assert png_size(reply.photo) == (1280, 960)
    ((entries, view, now),) = seen
    assert [e.title for e in entries] == ["Lunch with Anna"] and now == NOW
    assert view.start == NOW.date() and view.days == 7 and not view.working_days_only
    assert (view.work_start.hour, view.work_end.hour) == (9, 18) and view.free_minimum == timedelta(hours=1)
    assert list(view.colours)[0] == "local"
    assert "photo=" not in repr(reply)                                  # no PNG bytes in logs or asserts
    store.close()


def test_show_me_next_week_draws_next_week(tmp_path, monkeypatch):
    seen = spy(monkeypatch)
    usecases, store = world(tmp_path)
    reply = usecases.conversation.handle_text(1, "show me next week")
    assert reply.photo is not None and reply.text.startswith("Week of Mon 16 Mar 2026")
    assert seen[-1][1].start == date(2026, 3, 16)
    reply = usecases.conversation.handle_text(1, "show me my week")
    assert reply.photo is not None and reply.text.startswith("The next 7 days")
    assert seen[-1][1].start == NOW.date()
    assert usecases.conversation.handle_text(1, "what do I have next week?").photo is None     # a list
    for text in ("my week at a glance", "zeig mir meine Woche", "покажи мою неделю"):  # not read as queries
        assert usecases.conversation.handle_text(1, text).photo is not None, text
    store.close()


def test_working_days_only_and_quiet_calendars_reach_the_picture(tmp_path, monkeypatch):
    seen = spy(monkeypatch)
    today = datetime.now(BERLIN).date()                      # the sync reads around the real date
    midnight = datetime(today.year, today.month, today.day, tzinfo=BERLIN)
    holiday = Busy(midnight + timedelta(days=2), midnight + timedelta(days=3), "Holiday", uid="h1",
                   calendar="work", all_day=True, transparent=True)
    board = Item(kind=Kind.EVENT, title="Board", start=midnight + timedelta(days=1, hours=10),
                 end=midnight + timedelta(days=1, hours=11))
    usecases, store = world(tmp_path, now=midnight + timedelta(hours=8),
                            work=MemoryConnector("work", BERLIN, events=[holiday, board]))
    usecases.deps.config.agenda.picture_days = "working"
    usecases.commands.sync()
    usecases.agenda.week()
    entries, view, _ = seen[-1]
    assert view.working_days_only
    assert {e.title for e in entries} == {"Holiday", "Board"}
    assert {e.title for e in view.non_blocking} == {"Holiday"}
    assert list(view.colours)[:2] == ["local", "work"]
    store.close()


def test_a_picture_that_cannot_be_drawn_leaves_the_list(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("no font")

    monkeypatch.setattr(week_picture, "render", broken)
    usecases, store = world(tmp_path)
    reply = usecases.agenda.week()
    assert reply.photo is None and reply.text.startswith("The next 7 days")
    store.close()


def test_the_daily_agenda_comes_with_the_days_picture_when_asked(tmp_path, monkeypatch):
    seen = spy(monkeypatch)
    usecases, store = world(tmp_path, agenda="07:30")
    assert usecases.agenda.daily(datetime(2026, 3, 10, 7, 31, tzinfo=BERLIN)).photo is None
    usecases.deps.config.agenda.picture = True
    summary = usecases.agenda.daily(datetime(2026, 3, 11, 7, 31, tzinfo=BERLIN))
    assert summary.text.startswith("Good morning") and png_size(summary.photo) == (1280, 960)
    assert seen[-1][1].start == date(2026, 3, 11) and seen[-1][1].days == 1
    store.close()


def test_the_console_writes_the_picture_and_says_where(tmp_path):
    usecases, store = world(tmp_path)
    out = io.StringIO()
    console = Console(usecases, out)
    console.handle("/week")
    path = Path(usecases.deps.config.data_dir) / "week.png"
    assert f"🖼 Picture: {path.resolve()}" in out.getvalue()
    assert png_size(path.read_bytes()) == (1280, 960)
    assert path.stat().st_mode & 0o077 == 0                              # private, like the data folder
    console.notify(usecases.agenda.picture(date(2026, 3, 10), 1, "Today"))
    assert (Path(usecases.deps.config.data_dir) / "agenda.png").exists()
    assert "agenda.png" in out.getvalue().splitlines()[-1]
    usecases.close()


def test_assistant_week_png_from_the_shell(tmp_path):
    (tmp_path / "config.toml").write_text('[assistant]\ntimezone = "Europe/Berlin"\ndata_dir = "state"\n')

    def assistant(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "assistant", "--config", str(tmp_path / "config.toml"), *args],
                              capture_output=True, text=True, timeout=120, cwd=tmp_path)

    result = assistant("week", "--png", "week.png", "--start", "2026-03-09")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Week of Mon 09 Mar 2026") and "Nothing planned." in result.stdout
    assert f"picture: {(tmp_path / 'week.png').resolve()}" in result.stdout
    assert png_size((tmp_path / "week.png").read_bytes()) == (1280, 960)
    result = assistant("week")
    assert result.returncode == 0 and result.stdout.startswith("The next 7 days") and "picture:" not in result.stdout
    result = assistant("week", "--start", "next monday")
    assert result.returncode == 2 and "--start" in result.stderr
