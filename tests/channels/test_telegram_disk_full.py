"""A disk that fills while the bot runs: one message to the owner, polling goes on, the request that could
not be stored is handled once space is back, and the database stays intact (a real full tmpfs)."""
from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest

from telegram_harness import OWNER, BotThread, FakeBotApi, make_config


@pytest.fixture
def small_disk(tmp_path: Path):
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root (CAP_SYS_ADMIN)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    """Write until the file system refuses; returns the filler to delete later."""
    filler = folder / f"filler-{uuid.uuid4().hex}"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 512, 1):                       # down to the last byte
            while True:
                try:
                    os.write(descriptor, b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
    finally:
        os.close(descriptor)
    return filler


def test_a_full_disk_is_told_once_and_the_request_is_handled_when_space_returns(small_disk: Path) -> None:
    with FakeBotApi() as api:
        config = make_config(small_disk, api)
        with BotThread(config, api):
            mark = api.mark()
            api.send_text(OWNER, "/help")                        # the database is warm and working
            api.wait_for("sendMessage", after=mark)
            filler = fill(small_disk)
            mark = api.mark()
            api.send_text(OWNER, "Lunch with Anna tomorrow at 1pm")
            told = api.wait_for("sendMessage", lambda c: "💾" in c.text, after=mark, timeout=30)
            assert "full" in told.text
            api.send_text(OWNER, "Dentist on Friday at 9")         # waits behind the first one
            with pytest.raises(AssertionError):
                api.wait_for("sendMessage", lambda c: "Lunch with Anna" in c.text, after=mark, timeout=4)
            filler.unlink()
            lunch = api.wait_for("sendMessage", lambda c: "Lunch with Anna" in c.text, after=mark, timeout=90)
            assert lunch.labels[0] == "✅ Create"
            api.wait_for("sendMessage", lambda c: "Dentist" in c.text, after=mark, timeout=30)
            warnings = [c for c in api.calls[mark:] if c.method == "sendMessage" and "💾" in c.text]
            assert len(warnings) == 1                             # told once, not at every retry
            assert len([c for c in api.calls[mark:] if c.method == "sendMessage"
                        and "Lunch with Anna" in c.text]) == 1    # handled once
    with sqlite3.connect(config.db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
