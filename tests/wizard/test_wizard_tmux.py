"""The acceptance check from outside: `assistant setup` in a real terminal (tmux, 80×24) draws without a
traceback, a wrong bot token shows an inline error, and Esc leaves config.toml unchanged."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (scripts/test installs it)")

ASSISTANT = Path(sys.executable).with_name("assistant")


class Tmux:
    def __init__(self, folder: Path):
        self.socket = f"wizard-{uuid.uuid4().hex[:8]}"
        self.folder = folder

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10).stdout

    def start(self, command: str) -> None:
        self.run("new-session", "-d", "-s", "setup", "-x", "80", "-y", "24", command)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "setup")

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "setup", *keys)

    def stop(self) -> None:
        self.run("kill-server")


def test_setup_in_tmux_draws_shows_a_wrong_token_and_escape_changes_nothing(tmp_path: Path, bot_api) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'# the owner\'s own file\n[telegram]\nbase_url = "{bot_api.base_url}"\n')
    before = (config.read_bytes(), config.stat().st_mtime_ns)
    done = tmp_path / "exit-code"
    tmux = Tmux(tmp_path)
    command = (f"cd {tmp_path} && env -u ASSISTANT_TELEGRAM_TOKEN {ASSISTANT} --config {config} setup; "
               f"echo $? > {done}; sleep 60")          # Textual draws on standard error: no redirection
    tmux.start(command)
    try:
        screen = tmux.wait_for("Bot token")
        assert "1/13 · Telegram bot" in screen and "Traceback" not in screen
        assert all(len(line) <= 80 for line in screen.splitlines())
        tmux.keys("-l", "123456:a-well-formed-but-wrong-token")
        tmux.keys("C-t")
        screen = tmux.wait_for("refused this token")
        assert "@BotFather" in screen
        tmux.keys("Escape")
        deadline = time.monotonic() + 20
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert done.exists(), tmux.screen()
        assert done.read_text().strip() == "0"
        after = tmux.run("capture-pane", "-p", "-S", "-", "-t", "setup")      # with the scrollback
        assert "Nothing written" in after and "Traceback" not in after
    finally:
        tmux.stop()
    assert (config.read_bytes(), config.stat().st_mtime_ns) == before
