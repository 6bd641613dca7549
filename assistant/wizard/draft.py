"""The configuration being edited: `config.toml` as a tomlkit document (keys, order and comments kept),
changed value by value by the wizard's steps and written once, atomically, at the end.

    draft = Draft.open(Path("config.toml"))     # the file, or (first run) config.example.toml as a template
    draft.get("telegram.token")                 # the current value (the model's default when absent)
    draft.set("telegram.token", "123:…")
    draft.put_entry("calendars", {"name": "icloud", "type": "caldav", …})
    draft.problem()                             # what `config.load` would say about the result, or None
    draft.write(vault=…)                        # temp file + fsync + os.replace, mode 0600; secrets to the vault

Secrets: a secret goes to the vault instead of the file only where the code that uses it reads it from
there (`VAULT_SECRETS`); until then it stays in `config.toml`, which is written readable by the owner only.
"""
from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any, Callable

import tomlkit
from tomlkit.exceptions import TOMLKitError

from assistant import config as config_module
from assistant.errors import ConfigError

SECRET_KEYS = frozenset({"token", "password", "api_key", "client_secret"})
KINDS = ("event", "reminder", "note")
EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"

VAULT_SECRETS: dict[tuple[str, str], Callable[[dict[str, Any]], str]] = {
    ("notion", "token"): lambda entry: str(entry["name"]),
    ("caldav", "password"): lambda entry: str(entry["name"]),
}
"""(entry type or section, key) → the vault name its reader takes it from. A secret listed here is stored
in the vault (as `{key: value}`, merged into what that name already holds) and its key is removed from the
file. Only where the reader looks there: the Notion connector reads an empty `token`, the CalDAV
connector an empty `password`, from the vault under the entry's name. Every other secret stays in config.toml (written mode 0600), where its reader takes it."""


class Draft:
    def __init__(self, path: Path, document: tomlkit.TOMLDocument, existed: bool):
        self.path = path
        self.doc = document
        self.existed = existed
        self.original = _plain(document)
        self.secrets: dict[str, dict[str, Any]] = {}
        """Vault name → {key: value}, written with the file."""
        self.renamed: dict[str, str] = {}
        """Old entry name → new: the vault's secrets (OAuth tokens too) move with the name when saved."""
        self.notes: dict[str, str] = {}
        """Things the owner should do after saving (`assistant connect work`, …), by subject; said on the
        review step and when the wizard ends."""

    # ── opening ─────────────────────────────────────────────────────────────────────────────
    @classmethod
    def open(cls, path: Path) -> "Draft":
        """The file as it is; a missing file starts from config.example.toml (its comments explain every
        key) with the machine's time zone. A file that is not TOML at all raises ConfigError."""
        if path.exists():
            try:
                text = path.read_text(encoding="utf-8")
                return cls(path, tomlkit.parse(text), existed=True)
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{path}: cannot read: {exc}") from None
            except TOMLKitError as exc:
                raise ConfigError(f"{path}: not valid TOML: {exc} (fix it by hand, or move it away to start "
                                  "afresh)") from None
        template = EXAMPLE.read_text(encoding="utf-8") if EXAMPLE.exists() else ""
        draft = cls(path, tomlkit.parse(template), existed=False)
        draft.set("assistant.timezone", config_module.system_timezone())
        return draft

    # ── plain values ────────────────────────────────────────────────────────────────────────
    def get(self, key: str) -> Any:
        """The value of `section.key` in the document, or the model's default."""
        section, name = key.split(".", 1)
        table = self.doc.get(section)
        if table is not None and name in table:
            return _unwrap(table[name])
        return default_of(key)

    def set(self, key: str, value: Any) -> None:
        """Set `section.key` (the table is made when missing); an unchanged value is left as it is."""
        section, name = key.split(".", 1)
        if section not in self.doc:
            self.doc[section] = tomlkit.table()
        table = self.doc[section]
        if name in table and _unwrap(table[name]) == value:
            return
        table[name] = value

    def check(self, key: str, value: Any) -> str | None:
        """`assistant.config.validate` for one field: the problem in one line, or None."""
        return config_module.validate(key, value)

    # ── [[calendars]] and [[notes]] ─────────────────────────────────────────────────────────
    def entries(self, kind: str) -> list[dict[str, Any]]:
        return [dict(_unwrap(t)) for t in self.doc.get(kind, [])]

    def first(self, kind: str, type_name: str) -> dict[str, Any] | None:
        return next((e for e in self.entries(kind) if e.get("type") == type_name), None)

    def names(self) -> list[str]:
        return [str(e.get("name")) for kind in ("calendars", "notes") for e in self.entries(kind)]

    def targets(self) -> list[str]:
        """Where items can go: "local" and every entry's name."""
        return ["local", *self.names()]

    def put_entry(self, kind: str, values: dict[str, Any], old_name: str | None = None) -> None:
        """Add the entry, or update the one called `old_name` (keys set to None are removed). A renamed
        entry keeps its routing: defaults and rules follow the new name."""
        values = dict(values)
        tables = self.doc.get(kind)
        table = None
        if tables is not None and old_name:
            table = next((t for t in tables if t.get("name") == old_name), None)
        if table is None:
            if tables is None:
                self.doc[kind] = tomlkit.aot()
                tables = self.doc[kind]
            table = tomlkit.table()
            table.update({k: v for k, v in values.items() if v is not None})
            tables.append(table)
            return
        for key, value in values.items():
            if value is None:
                table.pop(key, None)
            elif key not in table or _unwrap(table[key]) != value:
                table[key] = value
        new_name = values.get("name")
        if old_name and new_name and new_name != old_name:
            self._retarget(old_name, new_name)
            first = next((old for old, new in self.renamed.items() if new == old_name), old_name)
            self.renamed[first] = new_name

    def remove_entry(self, kind: str, name: str) -> None:
        """Remove the entry; what was routed to it goes to the built-in calendar, rules naming it go."""
        tables = self.doc.get(kind)
        if tables is None:
            return
        kept = [t for t in tables if t.get("name") != name]
        if len(kept) == len(tables):
            return
        if kept:
            fresh = tomlkit.aot()
            for table in kept:
                fresh.append(table)
            self.doc[kind] = fresh
        else:
            del self.doc[kind]
        self._retarget(name, None)

    def _retarget(self, old: str, new: str | None) -> None:
        routing = self.doc.get("routing")
        if routing is None:
            return
        for kind in KINDS:
            if routing.get(kind) == old:
                routing[kind] = new or "local"
        rules = [r for r in self.rules() if not (new is None and r.get("target") == old)]
        for rule in rules:
            if rule.get("target") == old:
                rule["target"] = new
        if rules != self.rules():
            self.set_rules(rules)

    # ── [routing] rules ─────────────────────────────────────────────────────────────────────
    def rules(self) -> list[dict[str, Any]]:
        routing = self.doc.get("routing") or {}
        return [dict(_unwrap(r)) for r in routing.get("rules", [])]

    def set_rules(self, rules: list[dict[str, Any]]) -> None:
        if "routing" not in self.doc:
            self.doc["routing"] = tomlkit.table()
        routing = self.doc["routing"]
        if not rules:
            routing.pop("rules", None)
            return
        current = self.rules()
        if current == rules:
            return
        aot = tomlkit.aot()
        for rule in rules:
            table = tomlkit.table()
            table.update({k: v for k, v in rule.items() if v not in (None, [], "")})
            aot.append(table)
        routing["rules"] = aot

    # ── secrets ─────────────────────────────────────────────────────────────────────────────
    def put_secret(self, where: str, key: str, value: str, entry: dict[str, Any] | None = None) -> bool:
        """A secret for `where` (a section, or an entry's type with the entry): into the vault when its
        reader takes it from there (True), else into the document (False)."""
        vault_name = VAULT_SECRETS.get((where, key))
        if vault_name is not None and value:
            name = vault_name(entry or {})
            self.secrets.setdefault(name, {})[key] = value
            if entry is not None:
                entry[key] = None                  # put_entry removes it from the file
            elif where in self.doc and key in self.doc[where]:
                self.doc[where][key] = ""
            return True
        if entry is not None:
            entry[key] = value
        else:
            self.set(f"{where}.{key}", value)
        return False

    @staticmethod
    def vaulted(where: str, key: str) -> bool:
        """Whether a secret of `where` (section or entry type) and `key` is kept in the vault."""
        return (where, key) in VAULT_SECRETS

    # ── checking and writing ────────────────────────────────────────────────────────────────
    def text(self) -> str:
        return tomlkit.dumps(self.doc)

    def problem(self) -> str | None:
        """What `config.load` would say about the draft (without the file name), or None when it loads."""
        with tempfile.TemporaryDirectory(prefix="assistant-setup-") as folder:
            probe = Path(folder) / self.path.name
            probe.write_text(self.text(), encoding="utf-8")
            try:
                config_module.load(probe)
            except ConfigError as exc:
                return str(exc).removeprefix(f"{probe}: ")
        return None

    def config(self) -> "config_module.Config":
        """The draft as the typed configuration (its paths relative to the target file's folder)."""
        raw = tomllib.loads(self.text())
        config = config_module.Config.model_validate(raw)
        config.path = self.path.resolve()
        return config

    def config_or_defaults(self) -> "config_module.Config":
        """`config()`, or the built-in defaults (at the target file's place) while the draft does not load."""
        try:
            return self.config()
        except (ValueError, tomllib.TOMLDecodeError):
            config = config_module.Config()
            config.path = self.path.resolve()
            return config

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(key, before, after) for every value the wizard changed, secrets masked."""
        before, after = _flatten(self.original), _flatten(_plain(self.doc))
        for name, values in self.secrets.items():
            for key, value in values.items():
                after[f"vault[{name}].{key}"] = value
        found = []
        for key in sorted(set(before) | set(after), key=_order(list(after) + list(before))):
            old, new = before.get(key), after.get(key)
            if old != new:
                secret = key.rsplit(".", 1)[-1] in SECRET_KEYS
                found.append((key, _mask(old) if secret else old, _mask(new) if secret else new))
        return found

    def write(self, vault_factory: Callable[["config_module.Config"], Any] | None = None) -> list[str]:
        """Check the draft, store its vault secrets, then replace the file atomically (a temporary file in
        the same folder, fsync, os.replace; mode 0600). Returns what was done, a line each; raises
        ConfigError when the draft would not load."""
        problem = self.problem()
        if problem:
            raise ConfigError(f"{self.path}: {problem}")
        done = []
        config = self.config()
        moves = {old: new for old, new in self.renamed.items() if old != new}
        if self.secrets or (moves and config.db_path.exists()):
            vault = (vault_factory or _open_vault)(config)
            try:
                for old, new in moves.items():
                    held = vault.get(old)
                    if held is not None and vault.get(new) is None:
                        vault.put(new, held)
                        vault.delete(old)
                        done.append(f"the vault's secrets of {old} now belong to {new}")
                for name, values in self.secrets.items():
                    held = vault.get(name)
                    vault.put(name, {**(held if isinstance(held, dict) else {}), **values})
                    done.append(f"secret(s) for {name} stored in the vault ({', '.join(sorted(values))})")
            finally:
                if vault_factory is None:
                    vault.store.close()
        _atomic_write(self.path, self.text())
        done.insert(0, f"written {self.path}")
        self.original = _plain(self.doc)
        self.existed = True
        self.secrets, self.renamed = {}, {}
        return done


def default_of(key: str) -> Any:
    """The model's default for `section.key` (None when the key has no default)."""
    section, name = key.split(".", 1)
    model = config_module.Config.model_fields.get(section)
    if model is None or not hasattr(model.annotation, "model_fields"):
        return None
    field = model.annotation.model_fields.get(name)
    if field is None:
        return None
    value = field.get_default(call_default_factory=True)
    return getattr(value, "value", value)


def _open_vault(config: "config_module.Config") -> Any:
    from assistant.store import Store  # noqa: PLC0415
    from assistant.vault import Vault  # noqa: PLC0415

    return Vault(Store(config.db_path), config.data_dir)


def _atomic_write(path: Path, text: str) -> None:
    folder = path.resolve().parent
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    try:
        directory = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(directory)
    except OSError:
        pass
    finally:
        os.close(directory)


def _unwrap(value: Any) -> Any:
    return value.unwrap() if hasattr(value, "unwrap") else value


def _plain(document: Any) -> dict[str, Any]:
    return dict(_unwrap(document))


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            flat.update(_flatten(value, dotted))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for index, entry in enumerate(value):
                label = entry.get("name") or entry.get("target") or index
                flat.update(_flatten(entry, f"{dotted}[{label}]" if "name" in entry else f"{dotted}[{index}]"))
        else:
            flat[dotted] = value
    return flat


def _order(keys: list[str]) -> Callable[[str], int]:
    position = {key: i for i, key in reversed(list(enumerate(keys)))}
    return lambda key: position.get(key, len(position))


def _mask(value: Any) -> Any:
    if not value:
        return value
    return "•" * 8
