"""TOML → typed configuration. The only place that reads the file and reports its errors.

Every problem becomes one `ConfigError` line, `"{file}: '{dotted.key}' must be …, got …"`, so the CLI can
print it and exit 2 instead of showing a traceback. `validate(key, value)` checks one value the same way
(for the setup wizard). References between sections (routing targets, unique names) are checked by
`load()` (`check_references`) only, so sections can be built on their own in code and tests.

The models are re-exported here (`__all__`): `Config` and one `…Section` per table, `RoutingRule` and the
enums (`assistant.config_models`); the `[[calendars]]` models `CaldavCalendar`, `GoogleCalendar`,
`OutlookCalendar`, `IcsCalendar` (base `CalendarBase`; `CalendarSection(type=…, …)` builds the right one)
and the `[[notes]]` models `NotionNotes`, `AppleNotes` (base `NotesBase`) (`assistant.config_providers`);
the `Section` base (`assistant.config_formats`).
"""
from __future__ import annotations

import os
import tomllib
import typing
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.config_formats import WEEKDAYS, Section, system_timezone
from assistant.config_models import (AgendaSection, AssistantSection, AvailabilitySection, Config, LlmMode,
                                     LlmSection, LogLevel, RoutingRule, RoutingSection, RuleKind, SpeechEngine,
                                     SpeechSection, TelegramSection)
from assistant.config_providers import (AppleNotes, CaldavCalendar, Calendar, CalendarBase, CalendarSection,
                                        CalendarType, GoogleCalendar, IcsCalendar, Notes, NotesBase, NotesSection,
                                        NotesType, NotionNotes, OutlookCalendar, RemindersAs)
from assistant.errors import ConfigError

__all__ = [
    "load", "validate", "check_references", "default_path", "ConfigError", "ENVIRONMENT", "CALENDAR_TYPES",
    "SPEECH_ENGINES",
    # the models, re-exported: the public names of the configuration
    "Config", "Section", "AssistantSection", "TelegramSection", "SpeechSection", "LlmSection", "RoutingSection",
    "RoutingRule", "AvailabilitySection", "AgendaSection", "Calendar", "CalendarBase", "CalendarSection",
    "CaldavCalendar", "GoogleCalendar", "OutlookCalendar", "IcsCalendar", "Notes", "NotesBase", "NotesSection",
    "NotionNotes", "AppleNotes", "CalendarType", "NotesType", "RemindersAs", "LogLevel", "SpeechEngine",
    "LlmMode", "RuleKind", "WEEKDAYS", "system_timezone",
]


ENVIRONMENT = {
    ("telegram", "token"): "ASSISTANT_TELEGRAM_TOKEN",
    ("llm", "api_key"): "ASSISTANT_LLM_API_KEY",
    ("speech", "api_key"): "ASSISTANT_SPEECH_API_KEY",
}
CALENDAR_TYPES = tuple(CalendarType)
SPEECH_ENGINES = tuple(SpeechEngine)


def default_path() -> Path:
    return Path(os.environ.get("ASSISTANT_CONFIG") or "config.toml")


def load(path: str | Path | None = None, *, required: bool = False) -> Config:
    """Read and validate the configuration file; a missing default file means built-in defaults,
    a missing file named explicitly (argument or ASSISTANT_CONFIG) or `required` is an error."""
    explicit = path is not None or "ASSISTANT_CONFIG" in os.environ
    file = Path(path) if path is not None else default_path()
    if not file.exists():
        if explicit or required:
            raise ConfigError(f"{file}: no such configuration file (copy config.example.toml to start)")
        config = Config()
    else:
        try:
            raw = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file}: not valid TOML: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file}: cannot read: {exc}") from None
        if "path" in raw:
            raise ConfigError(f"{file}: {_unknown(('path',))}")
        try:
            config = Config.model_validate(raw)
        except ValidationError as exc:
            raise ConfigError(f"{file}: {_describe(exc.errors(include_url=False)[0])}") from None
        config.path = file.resolve()
    for (section, key), variable in ENVIRONMENT.items():
        if os.environ.get(variable):
            setattr(getattr(config, section), key, os.environ[variable])
    problem = check_references(config)
    if problem:
        raise ConfigError(f"{file}: {problem}")
    return config


def check_references(config: Config) -> str | None:
    """The cross-section rules, as one line (None when fine): names are unique across calendars and
    notes, and every routing default and rule names "local" or one of them."""
    seen: set[str] = set()
    for where, entries in (("calendars", config.calendars), ("notes", config.notes)):
        for i, entry in enumerate(entries):
            if entry.name in seen:
                return f"'{where}[{i}].name' must be unique, got {entry.name!r} (used twice)"
            seen.add(entry.name)
    names = config.target_names()
    expected = f'"local" or a [[calendars]] / [[notes]] name ({", ".join(names)})'
    targets = [(f"routing.{kind}", getattr(config.routing, kind)) for kind in RuleKind]
    targets += [(f"routing.rules[{i}].target", r.target) for i, r in enumerate(config.routing.rules)]
    for key, target in targets:
        if target not in names:
            return f"'{key}' must be {expected}, got {target!r}"
    return None


def validate(key: str, value: Any) -> str | None:
    """Check one value for a dotted key, as the setup wizard asks field by field: the one-line problem
    (without the file name), or None when the value is fine.

    Keys are `section.field` ("availability.buffer_minutes", "llm.mode"); list entries are qualified by
    type ("calendars.caldav.url", "notes.apple_notes.listen") and rules by "routing.rules.target".
    Rules that tie fields together are checked against the section's defaults for the other fields
    (`work_end` against the default `work_start`); references between sections are `load()`'s. Raises
    KeyError for a key that does not exist."""
    *where, name = key.split(".")
    cls = _model_at(where) if where else None
    if cls is None or cls is Config or name not in cls.model_fields:
        raise KeyError(f"unknown configuration key {key!r}")
    probe = cls.model_construct()
    try:
        setattr(probe, name, value)
    except ValidationError as exc:
        return _describe(exc.errors(include_url=False)[0], key)
    return None


# ---------------------------------------------------------------- pydantic errors → one line
_TAGS = {str(t) for t in (*CalendarType, *NotesType)}
_MUST = {
    "int_type": "an integer", "int_parsing": "an integer", "int_from_float": "an integer",
    "float_type": "a number", "float_parsing": "a number", "bool_type": "true or false",
    "bool_parsing": "true or false", "string_type": "a string", "list_type": "a list",
    "model_type": "a table", "dict_type": "a table", "model_attributes_type": "a table",
    "greater_than_equal": "at least {ge}", "greater_than": "greater than {gt}",
    "less_than_equal": "at most {le}", "less_than": "less than {lt}", "too_short": "a non-empty list",
    "enum": "one of {expected}", "literal_error": "one of {expected}", "missing": "set (it is required)",
}
_SECRETS = {"token", "password", "api_key", "client_secret"}


def _describe(error: dict[str, Any], key: str | None = None) -> str:
    loc, kind, ctx, value = error["loc"], error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "extra_forbidden":
        return _unknown(loc)
    if kind == "config":
        loc, value = (*loc, ctx["key"]), ctx["got"]
        key = key and ".".join([*key.split(".")[:-1], ctx["key"]])
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        loc, value = (*loc, "type"), ctx.get("tag")
        tags = CalendarType if loc[0] == "calendars" else NotesType
        must = "one of " + ", ".join(tags)
    elif kind == "value_error":
        must = str(ctx["error"]).removeprefix("must be ")
    elif kind == "config":
        must = ctx["must"]
    else:
        numbers = {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in ctx.items()}
        must = _MUST.get(kind, error["msg"]).format(**numbers)
    key = key or _dotted(loc)
    if ", got " in must:
        return f"'{key}' must be {must}"
    return f"'{key}' must be {must}, got {_got(value, kind, hidden=str(loc[-1]) in _SECRETS)}"


def _unknown(loc: tuple) -> str:
    cls = _model_at(loc[:-1])
    expected = ", ".join(sorted(f for f in cls.model_fields if f != "path")) if cls else "?"
    return f"unknown key '{_dotted(loc)}' (expected one of: {expected})"


def _got(value: Any, kind: str, hidden: bool) -> str:
    if kind in ("missing", "union_tag_not_found") or value is None:
        return "nothing"
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
             dict: "a table"}
    if hidden:
        return names.get(type(value), "a value") + " (hidden)"
    text = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "…"
    if kind.endswith(("_type", "_parsing")) or isinstance(value, (dict, list)):
        return f"{names.get(type(value), type(value).__name__)} ({text})"
    return text


def _dotted(loc: tuple) -> str:
    """('calendars', 0, 'caldav', 'url') → 'calendars[0].url' (the union's tag is left out)."""
    key, after_index = "", False
    for part in loc:
        if isinstance(part, int):
            key += f"[{part}]"
        elif not (after_index and part in _TAGS):
            key += f".{part}" if key else str(part)
        after_index = isinstance(part, int)
    return key


def _model_at(path: typing.Sequence[str | int]) -> type[Section] | None:
    """The section model at a path of keys (list indexes skipped, list-entry types picked by tag)."""
    options: list[type[Section]] = [Config]
    for part in path:
        if isinstance(part, int):
            continue
        tagged = [c for c in options if c.model_fields.get("type") and c.model_fields["type"].default == part]
        if tagged:
            options = tagged
            continue
        field = options[0].model_fields.get(str(part)) if len(options) == 1 else None
        options = _models_in(field.annotation) if field else []
        if not options:
            return None
    return options[0] if len(options) == 1 else None


def _models_in(annotation: Any) -> list[type[Section]]:
    if isinstance(annotation, type) and issubclass(annotation, Section):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
