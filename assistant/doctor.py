"""`assistant doctor`: what works and what needs the owner's attention, one line each; every problem says
its fix. Checks: the configuration, the clock and zone, the database and the disk it is on, the vault and
the keyring behind it, each OAuth sign-in's tokens, the speech model, Telegram (a console-only owner is
healthy without it), the language model, and every connected calendar (each server is asked)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from assistant.config import Config


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def run_checks(config: Config) -> Iterator[Check]:
    yield Check("configuration", True, str(config.path) if config.path else "built-in defaults (no config.toml)")
    yield _clock(config)
    yield _database(config)
    yield _disk(config)
    yield _vault(config)
    yield from _sign_ins(config)
    yield _speech_model(config)
    yield _telegram(config)
    yield from _language_model(config)
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
    return Check("vault", True, f"{secrets} secret(s); master key in the {where}; keyring backend: "
                                f"{_keyring_backend()}")


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
        return Check("telegram", True, "not configured (the console chat works without it; `assistant setup` "
                                       "adds a bot)")
    from assistant.wizard.checks import CheckFailed, telegram_bot

    details: dict = {}
    try:
        bot = telegram_bot(config.telegram.base_url, config.telegram.token, timeout=TIMEOUT, details=details)
    except CheckFailed as exc:
        return Check("telegram", False, str(exc))
    skew = _skew(details.get("date"))
    name = f"@{bot.get('username')}"
    if skew is not None and abs(skew) > CLOCK_SKEW:
        return Check("telegram", False, f"{name} answers, but this machine's clock is {abs(skew) / 60:.0f} min "
                                        f"{'behind' if skew > 0 else 'ahead of'} Telegram's: turn on time "
                                        "synchronisation (sudo timedatectl set-ntp true)")
    if not config.telegram.owner_id:
        return Check("telegram", True, f"{name} answers; not paired yet — send /start CODE to the bot "
                                       "(`assistant setup` shows a code)")
    return Check("telegram", True, f"{name} answers; owner {config.telegram.owner_id}")


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


TIMEOUT = 8.0
CLOCK_SKEW = 120.0
"""Seconds this machine's clock may differ from a server's before doctor calls it a problem."""
LOW_DISK = 300_000_000
"""Below this many free bytes on the data folder's disk, voice notes and the database may not fit."""


def _clock(config: Config) -> Check:
    """The zone, the local time, and whether the clock is plausible and synchronised."""
    now = datetime.now(config.zone)
    shown = f"{config.assistant.timezone}, now {now:%Y-%m-%d %H:%M} (UTC{now:%z})"
    if now.year < 2024:
        return Check("clock and zone", False, f"{shown}: the clock is wrong (no network time yet?) — connect to "
                                              "the network, or sudo timedatectl set-ntp true")
    synced = _ntp_synchronised()
    if synced is False:
        return Check("clock and zone", False, f"{shown}; the clock is not synchronised: sudo timedatectl set-ntp "
                                              "true (reminders and agendas follow this clock)")
    return Check("clock and zone", True, shown + ("; synchronised" if synced else ""))


def _ntp_synchronised() -> bool | None:
    import shutil
    import subprocess

    if Path("/run/systemd/timesync/synchronized").exists():
        return True
    if shutil.which("timedatectl") and Path("/run/systemd/system").is_dir():
        try:
            done = subprocess.run(["timedatectl", "show", "--property=NTPSynchronized", "--value"],
                                  capture_output=True, text=True, timeout=5)
        except (OSError, subprocess.SubprocessError):
            return None
        if done.returncode == 0 and done.stdout.strip() in ("yes", "no"):
            return done.stdout.strip() == "yes"
    return None


def _disk(config: Config) -> Check:
    import shutil

    folder = config.data_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        usage = shutil.disk_usage(folder)
    except OSError as exc:
        return Check("disk", False, f"cannot see the disk of {config.data_dir}: {exc.strerror}")
    free = f"{usage.free / 1e9:.1f} GB free of {usage.total / 1e9:.0f} GB for {config.data_dir}"
    if usage.free < LOW_DISK:
        return Check("disk", False, f"only {free}: free some space (old voice notes in data/voice, logs, apt "
                                    "caches: sudo apt clean)")
    return Check("disk", True, free)


def _keyring_backend() -> str:
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 (a broken keyring install is reported, not raised)
        return f"unavailable ({type(exc).__name__})"
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if "fail" in name.lower() or "null" in name.lower():
        return "none (the key file is used)"
    return name.removeprefix("keyring.backends.")


def _sign_ins(config: Config) -> Iterator[Check]:
    """Each OAuth calendar's tokens in the vault: present, and until when the access token holds."""

    from assistant.store import Store, StoreError
    from assistant.vault import Vault

    entries = [c for c in config.calendars if str(c.type) in ("google", "outlook")]
    if not entries:
        return
    try:
        store = Store(config.db_path)
    except StoreError:
        return
    try:
        vault = Vault(store, config.data_dir)
        now = datetime.now(timezone.utc)
        for entry in entries:
            name = f"sign-in {entry.name}"
            try:
                secret = vault.get(entry.name)
            except StoreError as exc:
                yield Check(name, False, str(exc))
                continue
            if not secret:
                yield Check(name, False, f"not signed in: run `assistant connect {entry.name}` (over SSH add "
                                         "--no-browser)")
                continue
            expiry, refresh = _token_state(secret)
            until = f"{expiry.astimezone(config.zone):%Y-%m-%d %H:%M}" if expiry else "an unknown time"
            if refresh:
                state = "expired; renewed on next use" if expiry and expiry <= now else f"valid until {until}"
                yield Check(name, True, f"access token {state} (a refresh token renews it)")
            elif expiry and expiry > now:
                yield Check(name, True, f"access token valid until {until}; no refresh token: after that run "
                                        f"`assistant connect {entry.name}` again")
            else:
                yield Check(name, False, f"the sign-in has expired ({until}) and cannot renew itself: run "
                                         f"`assistant connect {entry.name}`")
    finally:
        store.close()


def _token_state(secret: object) -> tuple[datetime | None, bool]:
    """(access token expiry, whether a refresh token is kept) from a vault entry: Google's token dict
    ({"expiry", "refresh_token"}) or an msal token cache (serialised or as a dict)."""
    import json

    data = secret
    if isinstance(data, dict) and isinstance(data.get("cache"), str):
        data = data["cache"]
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            return None, False
    if not isinstance(data, dict):
        return None, False
    expiries: list[datetime] = []
    for key in ("expiry", "expires_at", "expires_on"):
        value = data.get(key)
        if value:
            expiries.append(_instant(value))
    for token in (data.get("AccessToken") or {}).values():
        if isinstance(token, dict) and token.get("expires_on"):
            expiries.append(_instant(token["expires_on"]))
    refresh = bool(data.get("refresh_token")) or bool(data.get("RefreshToken"))
    found = [e for e in expiries if e is not None]
    return (max(found) if found else None), refresh


def _instant(value: object) -> datetime | None:

    try:
        if isinstance(value, (int, float)) or (isinstance(value, str) and value.isdigit()):
            return datetime.fromtimestamp(float(value), timezone.utc)
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _language_model(config: Config) -> Iterator[Check]:
    """The LLM server (and the speech API when a key is set) answers, and takes the key."""
    from assistant.status import llm_summary

    llm = config.llm
    if llm.mode != "off" and llm.base_url.strip() and llm.model.strip():
        yield _models_endpoint("language model", llm.base_url, llm.api_key, llm_summary(config), "[llm] api_key")
    if config.speech.api_key and config.speech.engine != "local":
        base = config.speech.api_base_url or "https://api.openai.com/v1"
        yield _models_endpoint("speech API", base, config.speech.api_key, f"{config.speech.api_model} at {base}",
                               "[speech] api_key")


def _models_endpoint(name: str, base_url: str, api_key: str, what: str, key_name: str) -> Check:
    import httpx
    from urllib.parse import urlsplit

    host = urlsplit(base_url).netloc or base_url
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        response = httpx.get(f"{base_url.rstrip('/')}/models", headers=headers, timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        return Check(name, False, f"cannot reach {host} ({type(exc).__name__}): is the server running, and is "
                                  "the address right (it ends in /v1)?")
    if response.status_code in (401, 403):
        return Check(name, False, f"{host} refused the key ({response.status_code}): check {key_name}")
    if response.status_code >= 500:
        return Check(name, False, f"{host} answered {response.status_code}: the server has a problem; try later")
    return Check(name, True, f"{what}: the server answers")


def _skew(date: str | None) -> float | None:
    """Seconds this machine's clock is behind a server's HTTP Date header (negative: ahead), or None."""
    import email.utils
    import time

    if not date:
        return None
    try:
        return email.utils.parsedate_to_datetime(date).timestamp() - time.time()
    except (TypeError, ValueError):
        return None
