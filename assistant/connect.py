"""`assistant connect NAME [--no-browser]`: authorise a `[[calendars]]` / `[[notes]]` entry by OAuth.

The entry's `type` picks the provider module in `PROVIDERS`; the module exposes

    def authorise(section, config, vault, options: LoopbackOptions) -> str

which runs its sign-in on the loopback redirect (`assistant.oauth.Loopback`; `options.wait(loopback,
url, state)` prints the URL, opens a browser unless `--no-browser`, and with `--no-browser` also takes the
redirected address pasted on standard input), stores the tokens in `vault` under the entry's name, and
returns the success line naming the account and the calendar (or database) it will write to. It raises
`ConfigError` for a bad entry (exit 2) and `UserError` for anything the owner can retry (exit 1).

A provider registers itself with one line here (or `register("outlook", "assistant.connectors.outlook")`).
After a successful sign-in, writes that waited for it in the outbox are made due at once: the running
assistant (or the next `assistant chat`) delivers them on its next outbox run.
"""
from __future__ import annotations

import importlib
import logging
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, TextIO

from assistant.errors import ConfigError, ConnectorError, UserError
from assistant.oauth import WAIT_SECONDS, Answer, Loopback

log = logging.getLogger(__name__)

PROVIDERS: dict[str, str] = {
    "google": "assistant.connectors.google",
    "outlook": "assistant.connectors.outlook",
}
"""`type` of a [[calendars]] / [[notes]] entry → the module whose `authorise(...)` signs it in."""

NO_CONNECT = {
    "caldav": "signs in with its user name and password (or an app-specific password) from the configuration",
    "ics": "is a read-only subscription: it needs no sign-in",
    "apple_notes": "is served to your Shortcut by `assistant run`: it needs no sign-in",
    "notion": "uses the integration token from the configuration",
}


def register(type_name: str, module: str) -> None:
    """Add (or replace) the module that authorises entries of `type_name`."""
    PROVIDERS[type_name] = module


@dataclass
class LoopbackOptions:
    """How the sign-in talks to the owner: the browser, the terminal, how long to wait."""
    open_browser: bool = True
    paste: TextIO | None = None
    """Where a redirected address may be pasted (standard input with --no-browser), or None."""
    out: TextIO = field(default_factory=lambda: sys.stdout)
    timeout: float = WAIT_SECONDS

    def wait(self, loopback: Loopback, url: str, state: str | None) -> Answer:
        """Show `url` and wait for the provider's redirect to `loopback` (or a pasted address)."""
        return loopback.wait(url, state=state, open_browser=self.open_browser, paste=self.paste, out=self.out,
                             timeout=self.timeout)


def find_section(config: Any, name: str) -> Any:
    for section in [*config.calendars, *config.notes]:
        if section.name == name:
            return section
    known = ", ".join(s.name for s in [*config.calendars, *config.notes]) or "none"
    raise ConfigError(f"there is no [[calendars]] or [[notes]] entry named {name!r} in "
                      f"{getattr(config, 'path', None) or 'the configuration'} (entries: {known})")


def provider_for(section: Any) -> Any:
    """The module that signs `section` in; UserError when its type needs no `connect`."""
    kind = str(getattr(section.type, "value", section.type))
    module_name = PROVIDERS.get(kind)
    if module_name is None:
        reason = NO_CONNECT.get(kind, "cannot be connected by this version")
        if kind == "notion" and getattr(section, "client_id", ""):
            reason = "cannot be connected by this version yet (use an internal integration token)"
        raise UserError(f"{section.name!r} ({kind}) {reason}; nothing to connect")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UserError(f"the {kind} provider is not available ({exc.name or exc})") from None
    if not callable(getattr(module, "authorise", None)):
        raise UserError(f"{section.name!r} ({kind}) cannot be connected by this version yet")
    return module


def connect(config: Any, name: str, options: LoopbackOptions) -> str:
    """Authorise the entry `name`; the success line (and a second one about waiting writes, if any)."""
    from assistant.store import Store, StoreError  # noqa: PLC0415
    from assistant.vault import Vault  # noqa: PLC0415

    section = find_section(config, name)
    provider = provider_for(section)
    try:
        store = Store(config.db_path)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    try:
        vault = Vault(store, config.data_dir)
        line = provider.authorise(section, config, vault, options)
        waiting = release_waiting(store, name)
    except (StoreError, ConnectorError) as exc:       # a vault that cannot be opened, a provider's refusal
        raise UserError(str(exc)) from None
    finally:
        store.close()
    if waiting:
        line += (f"\n{waiting} write{'s' if waiting != 1 else ''} that waited for this sign-in "
                 f"{'go' if waiting != 1 else 'goes'} out with the assistant's next outbox run.")
    return line


def release_waiting(store: Any, target: str) -> int:
    """Outbox entries for `target` that wait (for a login, or a retry): due now."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    try:
        return store.execute("UPDATE outbox SET next_attempt_at = ? WHERE target = ? AND status = 'pending' "
                             "AND last_error IS NOT NULL AND next_attempt_at > ?", [now, target, now])
    except Exception as exc:  # noqa: BLE001 (the sign-in worked; the outbox job picks them up later anyway)
        log.warning("waiting writes not released", extra={"error": type(exc).__name__})
        return 0


def run(config: Any, name: str, no_browser: bool = False, stdin: TextIO | None = None,
        stdout: TextIO | None = None) -> int:
    """The command: prints the URL (and, with --no-browser, reads a pasted address), then the success line."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if no_browser:
        options = LoopbackOptions(open_browser=False, paste=stdin, out=stdout)
    else:
        options = LoopbackOptions(open_browser=True, paste=stdin if _is_tty(stdin) else None, out=stdout)
    print(connect(config, name, options), file=stdout, flush=True)
    return 0


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


__all__ = ["LoopbackOptions", "NO_CONNECT", "PROVIDERS", "connect", "find_section", "provider_for", "register",
           "release_waiting", "run"]
