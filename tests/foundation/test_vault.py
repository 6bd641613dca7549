"""The vault: secrets sealed with AES-256-GCM per integration; tamper, wrong key and keyring fallback."""
from __future__ import annotations

import base64
import os

import keyring
import pytest
from keyring.backend import KeyringBackend

from assistant.errors import VaultError
from assistant.store import Store
from assistant.vault import ENV_KEY, KEY_FILE, KeySource, Vault


class MemoryKeyring(KeyringBackend):
    """A working OS keyring, in memory (keyring's own backend API)."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.values.get((service, username))

    def set_password(self, service, username, password):
        self.values[(service, username)] = password

    def delete_password(self, service, username):
        self.values.pop((service, username), None)


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_KEY, raising=False)
    opened = Store(tmp_path / "data" / "assistant.db")
    yield opened
    opened.close()


@pytest.fixture
def no_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


TOKEN = {"access_token": "ya29.secret-access", "refresh_token": "1//secret-refresh", "expires_at": 1_900_000_000}


def test_round_trip_and_nothing_in_plain_text(store, tmp_path, no_keyring):
    vault = Vault(store, tmp_path / "data")
    vault.put("work", TOKEN)
    assert vault.get("work") == TOKEN and vault.get("other") is None
    assert vault.names() == ["work"]
    raw = b"".join(path.read_bytes() for path in (tmp_path / "data").iterdir() if path.is_file())
    assert b"secret-refresh" not in raw and b"ya29" not in raw
    assert vault.delete("work") and vault.get("work") is None


def test_without_a_keyring_the_key_lives_in_a_private_key_file(store, tmp_path, no_keyring):
    vault = Vault(store, tmp_path / "data")
    assert vault.source == KeySource.NONE and vault.get("work") is None   # no key made just to look
    assert not (tmp_path / "data" / KEY_FILE).exists()
    vault.put("work", TOKEN)
    assert vault.source == KeySource.KEY_FILE
    key_file = tmp_path / "data" / KEY_FILE
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert Vault(store, tmp_path / "data").get("work") == TOKEN          # the next start finds it


def test_a_working_keyring_holds_the_key(store, tmp_path, memory_keyring):
    vault = Vault(store, tmp_path / "data")
    vault.put("office", "s3cret")
    assert vault.source == KeySource.KEYRING and memory_keyring.values
    assert not (tmp_path / "data" / KEY_FILE).exists()
    assert Vault(store, tmp_path / "data").get("office") == "s3cret"


def test_tampered_data_is_an_error_not_garbage(store, tmp_path, no_keyring):
    vault = Vault(store, tmp_path / "data")
    vault.put("work", TOKEN)
    blob = bytearray(store.query("SELECT blob FROM vault")[0]["blob"])
    blob[-1] ^= 0x01
    store.execute("UPDATE vault SET blob = ?", [bytes(blob)])
    with pytest.raises(VaultError, match="tampered"):
        vault.get("work")


def test_a_blob_moved_to_another_name_does_not_open(store, tmp_path, no_keyring):
    vault = Vault(store, tmp_path / "data")
    vault.put("work", TOKEN)
    store.execute("INSERT INTO vault (name, blob, updated_at) SELECT 'office', blob, updated_at FROM vault")
    with pytest.raises(VaultError):
        vault.get("office")


def test_a_wrong_master_key_is_an_error(store, tmp_path, no_keyring, monkeypatch):
    Vault(store, tmp_path / "data").put("work", TOKEN)
    monkeypatch.setenv(ENV_KEY, base64.urlsafe_b64encode(os.urandom(32)).decode())
    vault = Vault(store, tmp_path / "data")
    assert vault.source == KeySource.ENVIRONMENT
    with pytest.raises(VaultError, match="master key changed"):
        vault.get("work")


def test_a_lost_key_with_secrets_left_says_what_to_do(store, tmp_path, no_keyring):
    Vault(store, tmp_path / "data").put("work", TOKEN)
    (tmp_path / "data" / KEY_FILE).unlink()
    with pytest.raises(VaultError, match="assistant connect"):
        Vault(store, tmp_path / "data").get("work")


def test_rotate_re_encrypts_under_a_new_key(store, tmp_path, no_keyring):
    vault = Vault(store, tmp_path / "data")
    vault.put("work", TOKEN)
    vault.put("office", {"cache": "msal"})
    old_key = (tmp_path / "data" / KEY_FILE).read_text()
    before = store.query("SELECT blob FROM vault ORDER BY name")
    assert vault.rotate() == 2
    assert (tmp_path / "data" / KEY_FILE).read_text() != old_key
    assert store.query("SELECT blob FROM vault ORDER BY name") != before
    again = Vault(store, tmp_path / "data")
    assert again.get("work") == TOKEN and again.get("office") == {"cache": "msal"}
