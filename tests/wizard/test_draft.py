"""The draft the wizard edits: values and entries changed in place (comments kept), references followed, the
result checked as `config.load` checks it, written atomically, secrets routed to the vault where read from it."""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from assistant import config as config_module
from assistant.errors import ConfigError
from assistant.store import Store
from assistant.vault import Vault
from assistant.wizard import checks, draft as draft_module
from assistant.wizard.draft import Draft

FILE = """# my assistant
[assistant]
timezone = "Europe/Berlin"          # where I live

[[calendars]]
name = "icloud"                     # my phone's calendar
type = "caldav"
url = "https://caldav.icloud.com"
username = "me@icloud.com"

[routing]
event = "icloud"

[[routing.rules]]
keywords = ["family"]
target = "icloud"
"""


def test_values_and_entries_change_in_place(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(FILE)
    draft = Draft.open(path)
    assert draft.get("assistant.timezone") == "Europe/Berlin"
    assert draft.get("availability.work_start") == "09:00"                 # absent: the model's default
    draft.put_entry("calendars", {"name": "phone", "calendar": "Home"}, old_name="icloud")
    draft.set("agenda.time", "07:30")
    text = draft.text()
    assert 'name = "phone"                     # my phone\'s calendar' in text and "# where I live" in text
    assert draft.get("routing.event") == "phone" and draft.rules()[0]["target"] == "phone"
    assert draft.problem() is None
    keys = [key for key, _, _ in draft.changes()]
    assert "calendars[phone].calendar" in keys and "agenda.time" in keys

    draft.remove_entry("calendars", "phone")
    assert draft.get("routing.event") == "local" and draft.rules() == []
    assert draft.problem() is None


def test_a_draft_that_would_not_load_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(FILE)
    draft = Draft.open(path)
    draft.set("availability.buffer_minutes", -5)
    assert draft.problem() == "'availability.buffer_minutes' must be at least 0, got -5"
    with pytest.raises(ConfigError):
        draft.write()
    assert path.read_text() == FILE


def test_writing_is_atomic_and_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.toml"
    path.write_text(FILE)
    os.chmod(path, 0o644)
    draft = Draft.open(path)
    draft.set("telegram.token", "123456:TEST-token_for-the-fake")
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace
    monkeypatch.setattr(draft_module.os, "replace", lambda a, b: (replaced.append((a, str(b))), real_replace(a, b)))
    assert draft.write()[0] == f"written {path}"
    [(temporary, target)] = replaced
    assert Path(temporary).parent == tmp_path and target == str(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]
    assert config_module.load(path).telegram.token == "123456:TEST-token_for-the-fake"


def test_a_fresh_draft_starts_from_the_example_with_this_machines_zone(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config_module, "system_timezone", lambda: "America/Chicago")
    draft = Draft.open(tmp_path / "config.toml")
    assert draft.get("assistant.timezone") == "America/Chicago"
    assert "# IANA zone of the owner" in draft.text()
    assert [key for key, _, _ in draft.changes()] == ["assistant.timezone"]


def test_secrets_go_to_the_vault_only_where_read_from_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_MASTER_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
    path = tmp_path / "config.toml"
    path.write_text(FILE)
    draft = Draft.open(path)
    entry = {"name": "work"}
    assert draft.put_secret("google", "client_secret", "in-the-file", entry=entry) is False   # read from the file
    assert entry == {"name": "work", "client_secret": "in-the-file"}
    draft.put_entry("calendars", {"name": "icloud", "password": "in-the-file"}, old_name="icloud")
    entry = {"name": "icloud", "password": "old"}
    assert draft.put_secret("caldav", "password", "app-specific", entry=entry) is True
    assert entry == {"name": "icloud", "password": None}
    draft.put_entry("calendars", entry, old_name="icloud")
    assert ("vault[icloud].password", None, "••••••••") in draft.changes()
    draft.write()
    assert "app-specific" not in path.read_text() and "in-the-file" not in path.read_text()
    config = config_module.load(path)
    store = Store(config.db_path)
    try:
        assert Vault(store, config.data_dir).get("icloud") == {"password": "app-specific"}
    finally:
        store.close()

    draft = Draft.open(path)                          # renamed: its vault secrets (OAuth tokens too) follow
    draft.put_entry("calendars", {"name": "phone"}, old_name="icloud")
    draft.put_entry("calendars", {"name": "mobile"}, old_name="phone")
    assert any("now belong to mobile" in line for line in draft.write())
    store = Store(config.db_path)
    try:
        vault = Vault(store, config.data_dir)
        assert vault.get("mobile") == {"password": "app-specific"} and vault.get("icloud") is None
    finally:
        store.close()


def test_fetching_the_model_reports_progress(tmp_path: Path) -> None:
    script = tmp_path / "fetch"
    script.write_text("import sys, time, pathlib\n"
                      "target = pathlib.Path(sys.argv[1]); target.mkdir(parents=True)\n"
                      "with open(target / 'model.bin', 'wb') as out:\n"
                      "    for _ in range(4):\n"
                      "        out.write(b'0' * 1000); out.flush(); time.sleep(0.3)\n")
    seen: list[float] = []
    checks.fetch_model(tmp_path / "model", seen.append, script=script)
    assert seen[-1] == 1.0 and (tmp_path / "model" / "model.bin").stat().st_size == 4000
    failing = tmp_path / "broken"
    failing.write_text("import sys\nprint('no network: pip could not download the parts', file=sys.stderr)\n"
                       "sys.exit(1)\n")
    with pytest.raises(checks.CheckFailed, match="no network"):
        checks.fetch_model(tmp_path / "other", seen.append, script=failing)
    assert sys.executable


def test_zones_are_searched_by_words() -> None:
    assert "America/New_York" in checks.zones("new york")
    assert checks.zones("berlin") == ["Europe/Berlin"]
    assert checks.zones("no such place") == []
