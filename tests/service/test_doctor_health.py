"""`assistant doctor`: healthy without Telegram (the console chat), the bot asked through base_url, the clock,
the disk, the keyring behind the vault, the OAuth sign-ins' tokens and the language model's server."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from assistant import config as config_module, doctor
from assistant.store import Store
from assistant.vault import Vault
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.openai_server import FakeOpenAI

KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", "--config", str(tmp_path / "config.toml"), *args],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env={"PATH": "/usr/bin:/bin", "ASSISTANT_MASTER_KEY": KEY})


def write(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "config.toml"
    path.write_text('[assistant]\ntimezone = "Europe/Berlin"\n\n[speech]\nmodel = "base"\n' + extra)
    return path


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_console_only_owner_is_healthy(tmp_path: Path) -> None:
    write(tmp_path)
    result = cli(tmp_path, "doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[ok ] telegram: not configured (the console chat works without it" in result.stdout
    for name in ("clock and zone: Europe/Berlin, now ", "disk: ", "vault: ", "keyring backend: "):
        assert name in result.stdout
    assert result.stdout.strip().endswith("healthy")


def test_the_bot_is_asked_through_base_url(tmp_path: Path) -> None:
    with FakeBotApi() as api:
        write(tmp_path, f'\n[telegram]\ntoken = "{api.token}"\nbase_url = "{api.base_url}"\n')
        good = cli(tmp_path, "doctor")
        write(tmp_path, f'\n[telegram]\ntoken = "123456:a-well-formed-but-wrong-token"\nbase_url = "{api.base_url}"\n')
        wrong = cli(tmp_path, "doctor")
    assert good.returncode == 0, good.stdout
    assert "telegram: @assistant_test_bot answers; not paired yet" in good.stdout
    assert wrong.returncode == 1
    assert "[FAIL] telegram: Telegram refused this token" in wrong.stdout and "@BotFather" in wrong.stdout
    assert "a-well-formed-but-wrong-token" not in wrong.stdout


def test_the_language_model_server_is_reachable_or_named(tmp_path: Path) -> None:
    with FakeOpenAI() as fake:
        config = config_module.load(write(tmp_path, f'\n[llm]\nbase_url = "{fake.base_url}"\nmodel = "m"\n'
                                                    f'api_key = "{fake.api_key}"\n'))
        [up] = list(doctor._language_model(config))
        config.llm.api_key = "sk-wrong"
        [refused] = list(doctor._language_model(config))
    config.llm.base_url = f"http://127.0.0.1:{closed_port()}/v1"
    [down] = list(doctor._language_model(config))
    assert up.ok and "the server answers" in up.detail
    assert not refused.ok and "refused the key" in refused.detail and "[llm] api_key" in refused.detail
    assert not down.ok and "cannot reach 127.0.0.1" in down.detail


def test_each_sign_in_says_how_long_its_tokens_hold(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ASSISTANT_MASTER_KEY", KEY)
    config = config_module.load(write(tmp_path, """
[[calendars]]
name = "work"
type = "google"
client_id = "x.apps.googleusercontent.com"

[[calendars]]
name = "office"
type = "outlook"
client_id = "y"

[[calendars]]
name = "old"
type = "outlook"
client_id = "z"
"""))
    store = Store(config.db_path)
    later = datetime.now(timezone.utc) + timedelta(minutes=50)
    gone = datetime.now(timezone.utc) - timedelta(days=2)
    try:
        vault = Vault(store, config.data_dir)
        vault.put("work", {"access_token": "a", "refresh_token": "r", "expiry": later.isoformat()})
        vault.put("office", json.dumps({"AccessToken": {"k": {"expires_on": str(int(gone.timestamp()))}},
                                        "RefreshToken": {}}))
    finally:
        store.close()
    checks = {c.name: c for c in doctor._sign_ins(config)}
    assert checks["sign-in work"].ok and "valid until" in checks["sign-in work"].detail
    assert "refresh token renews it" in checks["sign-in work"].detail
    assert not checks["sign-in office"].ok and "assistant connect office" in checks["sign-in office"].detail
    assert not checks["sign-in old"].ok and "not signed in: run `assistant connect old`" in checks["sign-in old"].detail
