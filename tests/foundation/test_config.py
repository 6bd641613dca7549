"""A broken config.toml gives one clear line and exit code 2, never a traceback."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant import config as config_module
from assistant.config import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("body, words", [
    ("[assistant\ntimezone = 'UTC'", ["not valid TOML"]),
    ("[assistant]\ntimezon = 'UTC'", ["unknown key", "assistant.timezon", "timezone"]),
    ("[telegram]\nowner_id = 'me'", ["telegram.owner_id", "must be an integer"]),
    ("[assistant]\ntimezone = 'Mars/Olympus'", ["assistant.timezone", "unknown time zone", "Mars/Olympus"]),
    ("[speech]\nvad_filter = 'yes'", ["speech.vad_filter", "true or false"]),
    ("[routing]\nevent = 'icloud'", ["routing.event", "icloud"]),
    ("[[calendars]]\nname = 'x'\ntype = 'exchange'", ["calendars", "type", "exchange"]),
    ("[bogus]\nx = 1", ["unknown key", "bogus"]),
])
def test_broken_config_is_one_line_and_exit_2(tmp_path: Path, body: str, words: list[str]) -> None:
    path = tmp_path / "config.toml"
    path.write_text(body)
    result = run_cli("--config", str(path), "doctor", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert str(path) in lines[0]
    for word in words:
        assert word in lines[0]


def test_missing_explicit_config_is_exit_2(tmp_path: Path) -> None:
    result = run_cli("--config", str(tmp_path / "nope.toml"), "doctor", cwd=tmp_path)
    assert result.returncode == 2
    assert "no such configuration file" in result.stderr


def test_example_config_is_valid_and_documents_every_key() -> None:
    config = config_module.load(ROOT / "config.example.toml")
    assert config.assistant.timezone == "Europe/Berlin"
    text = (ROOT / "config.example.toml").read_text()
    for section in ("assistant", "telegram", "speech", "llm", "routing", "availability"):
        for key in vars(getattr(config, section)):
            assert f"{key} =" in text, f"[{section}] {key} is not documented in config.example.toml"


def test_environment_supplies_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[telegram]\nowner_id = 42\n")
    monkeypatch.setenv("ASSISTANT_TELEGRAM_TOKEN", "123:abc")
    config = config_module.load(path)
    assert config.telegram.token == "123:abc"
    assert config.telegram.owner_id == 42


def test_config_from_environment_variable_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "custom.toml"
    path.write_text("[assistant]\ntimezone = 'Asia/Tokyo'\ndata_dir = 'state'\n")
    monkeypatch.setenv("ASSISTANT_CONFIG", str(path))
    config = config_module.load()
    assert config.assistant.timezone == "Asia/Tokyo"
    assert config.data_dir == tmp_path / "state"


def test_no_file_means_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASSISTANT_CONFIG", raising=False)
    config = config_module.load()
    assert config.path is None and config.routing.event == "local"


def test_duplicate_calendar_names_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[[calendars]]\nname='a'\ntype='ics'\n[[calendars]]\nname='a'\ntype='ics'\n")
    with pytest.raises(ConfigError, match="used twice"):
        config_module.load(path)
