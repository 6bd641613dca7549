"""`assistant transcribe [--json] FILE …` (run_transcribe_command)."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from assistant.config import Config
from assistant.speech import run_transcribe_command


def test_json_lines_in_order_with_a_failure(config: Config, audio: Path, capsys: pytest.CaptureFixture) -> None:
    out = io.StringIO()
    files = [str(audio / "lunch_anna.oga"), str(audio / "not_audio.oga"), str(audio / "remind_boris.oga")]
    code = run_transcribe_command(config, files, as_json=True, out=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 1 and len(lines) == 3
    assert set(lines[0]) == {"text", "engine", "language", "duration", "seconds"}
    assert "Anna" in lines[0]["text"] and lines[0]["engine"] == "local"
    assert lines[1]["text"] == "" and lines[1]["error"].startswith("Couldn't transcribe: the file is not audio")
    assert "Boris" in lines[2]["text"]
    assert "not_audio.oga: Couldn't transcribe" in capsys.readouterr().err


def test_plain_text_and_success(config: Config, audio: Path) -> None:
    out = io.StringIO()
    assert run_transcribe_command(config, [str(audio / "lunch_anna.oga")], as_json=False, out=out) == 0
    assert "Anna" in out.getvalue() and len(out.getvalue().splitlines()) == 1


def test_silence_is_a_failed_line(config: Config, audio: Path) -> None:
    out = io.StringIO()
    assert run_transcribe_command(config, [str(audio / "silence.oga")], as_json=True, out=out) == 1
    assert json.loads(out.getvalue())["error"] == "I couldn't hear anything"
