"""The command line with `[llm]`: `parse` uses the model unless --offline; `chat` stays within the timeout
whatever the server does; with `[llm]` empty nothing leaves the machine."""
from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.fakes.openai_server import FakeOpenAI
from tests.llm.conftest import item
from tests.llm.test_llm_failures import closed_port

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 1.0


def write_config(tmp_path: Path, llm: str = "") -> Path:
    path = tmp_path / "config.toml"
    path.write_text('[assistant]\ntimezone = "Europe/Berlin"\ndata_dir = "state"\n\n[llm]\n' + llm)
    return path


def llm_section(base_url: str, key: str, mode: str = "fallback", timeout: float = TIMEOUT) -> str:
    return (f'base_url = "{base_url}"\nmodel = "test-model"\napi_key = "{key}"\nmode = "{mode}"\n'
            f"timeout_seconds = {timeout}\n")


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ASSISTANT_"))}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def assistant(tmp_path: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return subprocess.run([sys.executable, "-m", "assistant", "--config", str(tmp_path / "config.toml"), *args],
                          input=stdin, capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env=env or environment())


def test_parse_uses_the_model_and_offline_never_does(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.chat_answer = {"items": [item("event", "Lunch with Anna", when="tomorrow at 1pm", attendees=["Anna"]),
                                  item("reminder", "Call Boris", when="at 5pm")]}
    write_config(tmp_path, llm_section(fake.base_url, fake.api_key, mode="always", timeout=5))
    args = ("parse", "--now", "2026-03-10T09:00:00+01:00", "--json")
    text = "Lunch with Anna tomorrow at 1pm, then remind me to call Boris at 5"
    result = assistant(tmp_path, *args, text)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(fake.chat_calls) == 1
    assert data["start"] == "2026-03-11T13:00:00+01:00" and [m["title"] for m in data["more"]] == ["Call Boris"]

    fake.reset()
    offline = assistant(tmp_path, *args, "--offline", stdin=text + "\nasdf qwerty\n")
    assert offline.returncode == 0, offline.stderr
    assert fake.requests == [] and len(offline.stdout.splitlines()) == 2


class Silent:
    """A listening socket that must see no connection."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> int:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()
        return self.accepted


@pytest.mark.parametrize("section", ["", "mode off"])
def test_nothing_leaves_the_machine_with_llm_empty_or_off(tmp_path: Path, section: str) -> None:
    silent = Silent()
    llm = "" if not section else llm_section(silent.url, "sk-test", mode="off")
    write_config(tmp_path, llm)
    # even with the openai package's own variables pointing at the socket
    env = environment(OPENAI_BASE_URL=silent.url, OPENAI_API_KEY="sk-test", ASSISTANT_LLM_API_KEY="sk-test")
    lines = ("Lunch with Anna tomorrow at 1pm\nno\nasdf qwerty zxcv\n"
             "From: Carla Rossi <carla@example.com>\nSubject: Budget\n\nCould we meet Friday at 10?\n"
             "priya wants a catch-up, whenever suits\n/settings\n")
    chat = assistant(tmp_path, "chat", stdin=lines, env=env)
    parse = assistant(tmp_path, "parse", "priya wants a catch-up, whenever suits", env=env)
    assert chat.returncode == 0 and parse.returncode == 0, chat.stderr + parse.stderr
    assert "Language model: off (offline parser)" in chat.stdout
    assert silent.close() == 0


class Chat:
    """`assistant chat` driven a line at a time, timing each answer."""

    def __init__(self, tmp_path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "--config", str(tmp_path / "config.toml"), "chat"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
            env=environment(), bufsize=1)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def say(self, text: str, wait: float = 30.0) -> tuple[float, str]:
        """Seconds until the answer's first line, and the answer (its lines until a short pause)."""
        assert self.proc.stdin is not None
        while not self.lines.empty():
            self.lines.get_nowait()
        started = time.monotonic()
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        first = self.lines.get(timeout=wait)
        elapsed = time.monotonic() - started
        answer = [first]
        while True:
            try:
                answer.append(self.lines.get(timeout=0.3))
            except queue.Empty:
                return elapsed, "".join(answer)

    def close(self) -> str:
        assert self.proc.stdin is not None and self.proc.stderr is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        return self.proc.stderr.read()


@pytest.mark.parametrize("failure", ["hang", "connection refused", "500"])
def test_chat_answers_every_request_offline_within_the_timeout(fake: FakeOpenAI, tmp_path: Path,
                                                               failure: str) -> None:
    base_url = fake.base_url
    if failure == "hang":
        fake.hang_seconds = 60
    elif failure == "connection refused":
        base_url = f"http://127.0.0.1:{closed_port()}/v1"
    else:
        fake.fail(500, times=1000)
    write_config(tmp_path, llm_section(base_url, fake.api_key, mode="always"))
    chat = Chat(tmp_path)
    try:
        _, settings = chat.say("/settings", wait=60)  # start-up (imports, first sync) is not timed
        assert "Language model: 127.0.0.1" in settings and "test-model" in settings
        for request, expected in (("Lunch with Anna tomorrow at 1pm", "Lunch with Anna"),
                                  ("no", "Dropped"),
                                  ("Dentist next Tuesday at 8:15", "Dentist"),
                                  ("make it 9am", "Dentist"),
                                  ("no", "Dropped"),
                                  ("asdf qwerty zxcv", "didn't understand"),
                                  ("Gym on Friday at 7am", "Gym")):
            elapsed, answer = chat.say(request)
            print(f"{failure}: {request!r} answered in {elapsed:.2f} s")
            assert expected in answer, (request, answer)
            assert elapsed <= TIMEOUT + 1, (request, elapsed)
    finally:
        stderr = chat.close()
    assert "Traceback" not in stderr
    if failure != "connection refused":
        assert any(r.path.endswith("/chat/completions") for r in fake.requests)  # the model was really asked
