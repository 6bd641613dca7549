"""`assistant doctor`: what works and what needs the owner's attention, one line each."""
from __future__ import annotations

import os
from pathlib import Path
from dataclasses import dataclass
from typing import Iterator

from assistant.config import Config


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def run_checks(config: Config) -> Iterator[Check]:
    yield Check("configuration", True, str(config.path) if config.path else "built-in defaults (no config.toml)")
    yield Check("time zone", True, config.assistant.timezone)
    yield _database(config)
    yield _vault(config)
    yield _speech_model(config)
    yield _telegram(config)
    yield from _calendars(config)


def _database(config: Config) -> Check:
    from assistant.store import Store, StoreError

    try:
        store = Store(config.db_path)
        version = store.version
        store.close()
    except StoreError as exc:
        return Check("database", False, str(exc))
    mode = os.stat(config.db_path).st_mode & 0o777
    if mode & 0o077:
        return Check("database", False, f"{config.db_path} is readable by others (mode {mode:o}); chmod 600 it")
    return Check("database", True, f"{config.db_path} (schema {version})")


def _vault(config: Config) -> Check:
    """Where the master key of the secrets lives, said plainly."""
    from assistant.store import Store, StoreError
    from assistant.vault import KeySource, Vault

    try:
        store = Store(config.db_path)
    except StoreError as exc:
        return Check("vault", False, str(exc))
    try:
        vault = Vault(store, config.data_dir)
        secrets = len(vault.names())
        for name in vault.names():
            vault.get(name)
    except StoreError as exc:
        return Check("vault", False, str(exc))
    finally:
        store.close()
    where = vault.source.value
    if vault.source == KeySource.KEY_FILE:
        where += f" {config.data_dir / 'master.key'} (no OS keyring here; keep backups of it with the database)"
    return Check("vault", True, f"{secrets} secret(s); master key in the {where}")


def _speech_model(config: Config) -> Check:
    if config.speech.engine == "api":
        ok = bool(config.speech.api_key)
        return Check("speech", ok, "OpenAI API" if ok else "engine = api but no [speech] api_key")
    from assistant.speech.local import resolve_model, size_names

    model = resolve_model(config)
    if model in size_names():
        return Check("speech", True, f"model size {model!r} (downloaded on first use)")
    ok = (Path(model) / "model.bin").exists()
    return Check("speech", ok, model if ok else
                 f"no model in {model}: run scripts/fetch-whisper-model, or set [speech] model to a size name")


def _telegram(config: Config) -> Check:
    if not config.telegram.token:
        return Check("telegram", False, "no bot token: set [telegram] token or ASSISTANT_TELEGRAM_TOKEN")
    if not config.telegram.owner_id:
        return Check("telegram", True, "token set; not paired yet — send /start CODE to the bot")
    return Check("telegram", True, f"token set; owner {config.telegram.owner_id}")


def _calendars(config: Config) -> Iterator[Check]:
    """test_connection() of every calendar and notes target (Notion names its database and the mapping)."""
    if not config.calendars and not config.notes:
        return
    from assistant.connectors import build_connectors
    from assistant.connectors.base import ConnectorError
    from assistant.store import Store

    notes = {section.name for section in config.notes}
    connectors = build_connectors(config, Store(config.db_path))
    for name in sorted(notes - set(connectors)):
        yield Check(f"notes {name}", False, "cannot be set up (see the log)")
    for name, connector in connectors.items():
        if name == "local":
            continue
        label = f"{'notes' if name in notes else 'calendar'} {name}"
        try:
            yield Check(label, True, connector.test_connection())
        except ConnectorError as exc:
            yield Check(label, False, str(exc))
        finally:
            close = getattr(connector, "close", None)
            if callable(close):
                close()
