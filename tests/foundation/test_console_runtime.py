"""The runtime behind the console: reminders print while the prompt waits, delayed writes are announced."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from assistant.channels.console import CHAT_ID, Console
from assistant.config import Config
from assistant.runtime import Runtime
from assistant.usecases import build


def console_over(tmp_path: Path) -> tuple[Console, Runtime, io.StringIO]:
    config = Config()
    config.assistant.timezone = "Europe/Berlin"
    config.assistant.data_dir = str(tmp_path / "data")
    usecases = build(config)
    out = io.StringIO()
    console = Console(usecases, out)
    return console, Runtime(usecases, console.notify), out


def test_a_due_reminder_is_printed_by_the_runtime(tmp_path: Path) -> None:
    console, runtime, out = console_over(tmp_path)
    store = runtime.usecases.deps.store
    console.handle("remind me in 1 minute to stretch")
    console.handle("yes")
    assert "Reminder set" in out.getvalue()
    confirmed = len(out.getvalue())
    runtime.reminder_job()
    assert out.getvalue()[confirmed:] == ""                       # not due yet
    store.execute("UPDATE reminders SET fire_at = '2000-01-01T00:00:00+00:00'")
    runtime.reminder_job()
    runtime.reminder_job()
    fired = out.getvalue()[confirmed:]
    assert fired.startswith("⏰ Stretch\n(late: it was due") and fired.count("⏰") == 1   # once, marked late
    runtime.usecases.close()


def test_a_reminder_the_channel_could_not_show_fires_again(tmp_path: Path) -> None:
    console, runtime, out = console_over(tmp_path)
    console.handle("remind me tomorrow at 9 to call the bank")
    console.handle("yes")
    runtime.usecases.deps.store.execute("UPDATE reminders SET fire_at = '2000-01-01T00:00:00+00:00'")
    shown: list[str] = []

    def broken(reply):
        raise OSError("terminal gone")

    runtime.notify = broken
    runtime.reminder_job()
    runtime.notify = lambda reply: shown.append(reply.text)
    runtime.reminder_job()
    assert len(shown) == 1 and "call the bank" in shown[0].lower()
    runtime.usecases.close()


def test_chat_prints_a_reminder_while_stdin_stays_open(tmp_path: Path) -> None:
    """The acceptance case, as a user runs it: a reminder in a minute prints without another keypress."""
    (tmp_path / "config.toml").write_text('[assistant]\ntimezone = "Europe/Berlin"\ndata_dir = "state"\n')
    process = subprocess.Popen([sys.executable, "-m", "assistant", "--config", str(tmp_path / "config.toml"),
                                "chat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=tmp_path, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        process.stdin.write("remind me in 1 minute to stretch\nyes\n")
        process.stdin.flush()
        def fired() -> bool:
            done = [i for i, line in enumerate(lines) if "Reminder set" in line]
            return bool(done) and any(line.strip() == "⏰ Stretch" for line in lines[done[0]:])

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not fired():
            time.sleep(0.5)
        assert fired(), lines
    finally:
        process.stdin.close()
        process.wait(timeout=30)
    assert process.returncode == 0
