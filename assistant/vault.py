"""Secrets at rest: OAuth tokens, passwords and API keys, encrypted in the database.

Each secret is a JSON value sealed with AES-256-GCM under a key of its own, derived with HKDF-SHA256
from one master key and the integration's name; the name is also the authenticated data, so a blob
copied to another row does not open. The master key comes from, in this order:

1. `ASSISTANT_MASTER_KEY` (base64url of 32 bytes) — for containers and services that inject secrets;
2. the OS keyring (`keyring`: Secret Service, macOS Keychain, Windows Credential Locker);
3. a key file `master.key` (mode 0600) in the data directory — where no keyring works (a headless Pi).

`source` says which, and `assistant doctor` shows it. A blob that was tampered with, or a master key
that changed, raises `VaultError` with what to do — never garbage. `rotate()` re-encrypts everything
under a new master key. Secrets never go to the log, to exceptions or to `config.toml`.
"""
from __future__ import annotations

import base64
import json
import logging
import os
import secrets as random
from enum import StrEnum
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from assistant.errors import VaultError
from assistant.store import Store, private_dir, utc_now

log = logging.getLogger(__name__)

ENV_KEY = "ASSISTANT_MASTER_KEY"
KEY_FILE = "master.key"
KEYRING_SERVICE = "assistant"
FORMAT = 1
NONCE = 12


class KeySource(StrEnum):
    ENVIRONMENT = "environment variable ASSISTANT_MASTER_KEY"
    KEYRING = "OS keyring"
    KEY_FILE = "key file"
    NONE = "nowhere yet (it is made with the first secret)"


class Vault:
    def __init__(self, store: Store, data_dir: Path, master_key: bytes | None = None):
        self.store = store
        self.data_dir = data_dir
        self._key_file = data_dir / KEY_FILE
        self._master: bytes | None = master_key
        self.source = KeySource.ENVIRONMENT if master_key is not None else KeySource.NONE
        if master_key is None:
            self._master, self.source = self._load_master(create=False)

    @property
    def master(self) -> bytes:
        """The master key, made (and kept in the keyring or the key file) the first time one is needed."""
        if self._master is None:
            self._master, self.source = self._load_master(create=True)
        return self._master

    # ── secrets ─────────────────────────────────────────────────────────────────────────────
    def put(self, name: str, secret: Any) -> None:
        """Store `secret` (any JSON value) for `name`, replacing what was there."""
        blob = _seal(self.master, name, json.dumps(secret).encode())
        with self.store.transaction():
            self.store.db["vault"].upsert({"name": name, "blob": blob, "updated_at": utc_now()}, pk="name")
        log.info("secret stored", extra={"integration": name})

    def get(self, name: str) -> Any:
        """The secret of `name`, or None when there is none. Raises VaultError when it cannot be opened."""
        rows = self.store.query("SELECT blob FROM vault WHERE name = ?", [name])
        if not rows:
            return None
        return json.loads(_open(self.master, name, rows[0]["blob"]))

    def delete(self, name: str) -> bool:
        return self.store.execute("DELETE FROM vault WHERE name = ?", [name]) > 0

    def names(self) -> list[str]:
        return [row["name"] for row in self.store.query("SELECT name FROM vault ORDER BY name")]

    def rotate(self) -> int:
        """Re-encrypt every secret under a new master key, kept where the old one was; returns how many."""
        if self.source == KeySource.ENVIRONMENT:
            raise VaultError(f"The master key comes from {ENV_KEY}, which the vault cannot change: unset "
                             "it to let the vault keep its own key (keyring or key file), then rotate.")
        new = AESGCM.generate_key(bit_length=256)
        rows = self.store.query("SELECT name, blob FROM vault")
        opened = [(row["name"], _open(self.master, row["name"], row["blob"])) for row in rows]
        with self.store.transaction():
            for name, plain in opened:
                self.store.db["vault"].update(name, {"blob": _seal(new, name, plain), "updated_at": utc_now()})
            self._save_master(new)          # inside the transaction: a failure here rolls the rows back
        self._master = new
        log.info("vault rotated", extra={"secrets": len(opened), "source": self.source.value})
        return len(opened)

    # ── the master key ──────────────────────────────────────────────────────────────────────
    def _load_master(self, create: bool) -> tuple[bytes | None, KeySource]:
        from_env = os.environ.get(ENV_KEY)
        if from_env:
            return _decode_key(from_env, ENV_KEY), KeySource.ENVIRONMENT
        stored = _keyring_get(self._account)
        if stored:
            return _decode_key(stored, "the keyring's entry"), KeySource.KEYRING
        if self._key_file.exists():
            return _decode_key(self._key_file.read_text().strip(), str(self._key_file)), KeySource.KEY_FILE
        if not create:
            return None, KeySource.NONE
        if self.names():
            raise VaultError("The vault holds secrets but its master key is gone (no keyring entry, no "
                             f"{self._key_file}): restore the key, or run `assistant connect NAME` again.")
        key = AESGCM.generate_key(bit_length=256)
        source = KeySource.KEYRING if _keyring_set(self._account, _encode_key(key)) else KeySource.KEY_FILE
        if source == KeySource.KEY_FILE:
            self._write_key_file(key)
            log.warning("no OS keyring works here; the master key is kept in a 0600 key file",
                        extra={"path": str(self._key_file)})
        return key, source

    def _save_master(self, key: bytes) -> None:
        if self.source == KeySource.KEYRING:
            if not _keyring_set(self._account, _encode_key(key)):
                raise VaultError("The OS keyring refused the new master key; nothing was changed.")
        else:
            self._write_key_file(key)

    def _write_key_file(self, key: bytes) -> None:
        private_dir(self.data_dir)
        temporary = self._key_file.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(_encode_key(key) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self._key_file)

    @property
    def _account(self) -> str:
        """One keyring entry per installation (its database path)."""
        return f"master-key:{self.store.path.resolve()}"


def _derive(master: bytes, name: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"assistant vault v1:" + name.encode()).derive(master)


def _seal(master: bytes, name: str, plain: bytes) -> bytes:
    nonce = random.token_bytes(NONCE)
    return bytes([FORMAT]) + nonce + AESGCM(_derive(master, name)).encrypt(nonce, plain, name.encode())


def _open(master: bytes, name: str, blob: bytes) -> bytes:
    if not blob or blob[0] != FORMAT or len(blob) < 1 + NONCE + 16:
        raise VaultError(f"The secret for {name!r} is damaged: run `assistant connect {name}` again.")
    try:
        return AESGCM(_derive(master, name)).decrypt(blob[1:1 + NONCE], blob[1 + NONCE:], name.encode())
    except InvalidTag:
        raise VaultError(f"The secret for {name!r} cannot be opened: the master key changed or the data was "
                         f"tampered with. Restore the key, or run `assistant connect {name}` again.") from None


def _encode_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode().rstrip("=")


def _decode_key(text: str, where: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except ValueError:
        key = b""
    if len(key) != 32:
        raise VaultError(f"The master key in {where} is not 32 bytes of base64url.")
    return key


def _keyring_get(account: str) -> str | None:
    """The stored key, or None when there is none or no keyring works."""
    try:
        import keyring  # noqa: PLC0415 (slow to import; only the vault needs it)
        from keyring.errors import KeyringError  # noqa: PLC0415

        return keyring.get_password(KEYRING_SERVICE, account)
    except (ImportError, KeyringError, RuntimeError) as exc:
        log.debug("keyring unavailable", extra={"error": type(exc).__name__})
        return None


def _keyring_set(account: str, value: str) -> bool:
    try:
        import keyring  # noqa: PLC0415
        from keyring.errors import KeyringError  # noqa: PLC0415

        keyring.set_password(KEYRING_SERVICE, account, value)
        return keyring.get_password(KEYRING_SERVICE, account) == value
    except (ImportError, KeyringError, RuntimeError) as exc:
        log.debug("keyring unavailable", extra={"error": type(exc).__name__})
        return False


def secret_for(store: Store, data_dir: Path, name: str, key: str) -> str | None:
    """One secret of an integration kept in the vault (a string, or `key` of a dict), None when there is
    none; a secret the vault cannot open raises VaultError (which says what to do)."""
    secret = Vault(store, data_dir).get(name)
    if isinstance(secret, dict):
        secret = secret.get(key)
    return secret if isinstance(secret, str) and secret else None
