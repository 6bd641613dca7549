"""A broken config.toml gives one clear line and exit code 2, never a traceback."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant import config as config_module
from assistant.config import (AppleNotes, CaldavCalendar, CalendarBase, CalendarSection, Config, ConfigError,
                              GoogleCalendar, IcsCalendar, LlmMode, NotionNotes, OutlookCalendar, RoutingRule,
                              RuleKind, SpeechEngine)

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
    for section in ("assistant", "telegram", "speech", "llm", "routing", "availability", "agenda"):
        for key, field in type(getattr(config, section)).model_fields.items():
            documented = f"[[{section}.{key}]]" if key == "rules" else f"{key} ="
            assert documented in text, f"[{section}] {key} is not documented in config.example.toml"
    for model in (CaldavCalendar, GoogleCalendar, OutlookCalendar, IcsCalendar, NotionNotes, AppleNotes,
                  RoutingRule):
        for key in model.model_fields:
            assert f"{key} =" in text, f"{model.__name__}.{key} is not documented in config.example.toml"


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
    path.write_text("[[calendars]]\nname='a'\ntype='ics'\nurl='a.ics'\n[[calendars]]\nname='a'\ntype='ics'\nurl='b.ics'\n")
    with pytest.raises(ConfigError, match="used twice"):
        config_module.load(path)


# ---------------------------------------------------------------- ranges and formats: one line each

CALDAV = "[[calendars]]\nname = 'c'\ntype = 'caldav'\nurl = 'https://dav.example.com'\n"


@pytest.mark.parametrize("body, key, words", [
    ("[availability]\nbuffer_minutes = -5", "availability.buffer_minutes", ["at least 0", "-5"]),
    ("[availability]\nmin_notice_minutes = -99999999999999", "availability.min_notice_minutes", ["at least 0"]),
    ("[availability]\nmin_notice_minutes = 525601", "availability.min_notice_minutes", ["at most 525600"]),
    ("[availability]\nslot_step_minutes = 0", "availability.slot_step_minutes", ["at least 1"]),
    ("[availability]\nslot_step_minutes = 1441", "availability.slot_step_minutes", ["at most 1440"]),
    ("[availability]\nwork_start = '18:00'\nwork_end = '09:00'", "availability.work_end", ["after work_start"]),
    ("[availability]\nwork_end = '25:00'", "availability.work_end", ["HH:MM", "25:00"]),
    ("[availability]\nwork_days = []", "availability.work_days", ["non-empty"]),
    ("[availability]\nwork_days = ['mon', 'funday']", "availability.work_days[1]", ["mon", "sun", "funday"]),
    ("[telegram]\nbase_url = 'not a url'", "telegram.base_url", ["http(s) URL", "not a url"]),
    ("[telegram]\nbase_file_url = 'ftp://x/file'", "telegram.base_file_url", ["http(s) URL"]),
    ("[telegram]\nowner_id = -1", "telegram.owner_id", ["at least 0"]),
    ("[assistant]\ntimezone = 'Mars/Olympus'", "assistant.timezone", ["unknown time zone", "Mars/Olympus"]),
    ("[assistant]\nlog_level = 'LOUD'", "assistant.log_level", ["'DEBUG'", "LOUD"]),
    ("[speech]\nengine = 'cloud'", "speech.engine", ["'auto'", "'local'", "'api'", "cloud"]),
    ("[speech]\nbeam_size = 0", "speech.beam_size", ["at least 1"]),
    ("[speech]\nidle_unload_seconds = -1", "speech.idle_unload_seconds", ["at least 0"]),
    ("[speech]\napi_base_url = 'localhost:9000'", "speech.api_base_url", ["http(s) URL"]),
    ("[llm]\ntimeout_seconds = 0", "llm.timeout_seconds", ["greater than 0"]),
    ("[llm]\nmode = 'sometimes'", "llm.mode", ["'fallback'", "'always'", "'off'", "sometimes"]),
    ("[llm]\nbase_url = 'not a url'", "llm.base_url", ["http(s) URL"]),
    ("[agenda]\ntime = '7.30'", "agenda.time", ["HH:MM", "7.30"]),
    ("[[calendars]]\nname = 'c'\ntype = 'caldav'", "calendars[0].url", ["required"]),
    ("[[calendars]]\nname = 'c'\ntype = 'ics'", "calendars[0].url", ["required"]),
    ("[[calendars]]\nname = 'c'\ntype = 'caldav'\nurl = 'not a url'", "calendars[0].url", ["http(s) URL"]),
    ("[[calendars]]\ntype = 'ics'\nurl = 'a.ics'", "calendars[0].name", ["required"]),
    ("[[calendars]]\nname = 'local'\ntype = 'ics'\nurl = 'a.ics'", "calendars[0].name", ["local"]),
    ("[[calendars]]\nname = 'c'", "calendars[0].type", ["caldav, google, outlook, ics", "nothing"]),
    (CALDAV + "reminders_as = 'task'", "calendars[0].reminders_as", ["'event'", "'todo'", "task"]),
    (CALDAV + "timeout_seconds = 0", "calendars[0].timeout_seconds", ["greater than 0"]),
    (CALDAV + "refresh_minutes = -1", "calendars[0].refresh_minutes", ["at least 0"]),
    (CALDAV + "alarm_minutes = -2", "calendars[0].alarm_minutes", ["at least -1"]),
    (CALDAV + "password = 42", "calendars[0].password", ["a string", "hidden"]),
    ("[[calendars]]\nname = 'g'\ntype = 'google'\nbase_url = 'not a url'", "calendars[0].base_url", ["http(s)"]),
    ("[[calendars]]\nname = 'g'\ntype = 'google'\ntoken_uri = 'x'", "calendars[0].token_uri", ["http(s)"]),
    ("[[calendars]]\nname = 'o'\ntype = 'outlook'\nauthority_host = 'login'", "calendars[0].authority_host",
     ["http(s)"]),
    ("[[notes]]\nname = 'n'\ntype = 'notion'\nbase_url = 'api.notion.com'", "notes[0].base_url", ["http(s)"]),
    ("[[notes]]\nname = 'n'\ntype = 'evernote'", "notes[0].type", ["notion, apple_notes", "evernote"]),
    ("[[notes]]\nname = 'p'\ntype = 'apple_notes'\nlisten = '8765'", "notes[0].listen", ["host:port"]),
    ("[[notes]]\nname = 'p'\ntype = 'apple_notes'\nwebhook_url = 'x'", "notes[0].webhook_url", ["http(s)"]),
    ("[[routing.rules]]\nkeywords = ['x']", "routing.rules[0].target", ["required"]),
    ("[[routing.rules]]\nkind = 'cancel'\ntarget = 'local'", "routing.rules[0].kind", ["'event'", "cancel"]),
    ("[[routing.rules]]\ntarget = 'office'", "routing.rules[0].target", ["office", "local"]),
    ("[routing]\nnote = 'nowhere'", "routing.note", ["nowhere", "local"]),
    ("[availability]\nbuffer_minutes = true", "availability.buffer_minutes", ["an integer", "boolean"]),
])
def test_range_and_format_errors_are_one_line_naming_the_key(tmp_path: Path, body: str, key: str,
                                                            words: list[str]) -> None:
    path = tmp_path / "config.toml"
    path.write_text(body)
    with pytest.raises(ConfigError) as caught:
        config_module.load(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: '{key}' must be "), message
    assert ", got " in message
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("body, words", [
    ("[[calendars]]\nname = 'c'\ntype = 'caldav'\nurl = 'https://x'\nusr = 'me'",
     ["unknown key 'calendars[0].usr'", "username", "password", "reminders_as"]),
    ("[[notes]]\nname = 'p'\ntype = 'apple_notes'\nport = 1", ["unknown key 'notes[0].port'", "listen"]),
    ("[[routing.rules]]\ntarget = 'local'\nwords = []", ["unknown key 'routing.rules[0].words'", "keywords"]),
    ("path = 'elsewhere.toml'", ["unknown key 'path'", "assistant"]),
])
def test_unknown_keys_name_the_expected_ones(tmp_path: Path, body: str, words: list[str]) -> None:
    path = tmp_path / "config.toml"
    path.write_text(body)
    with pytest.raises(ConfigError) as caught:
        config_module.load(path)
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize("body", [
    "[availability]\nmin_notice_minutes = -99999999999999",
    "[telegram]\nbase_url = 'not a url'",
    "[assistant]\nlog_level = 'LOUD'",
])
def test_range_errors_exit_2_from_the_command_line(tmp_path: Path, body: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(body)
    result = run_cli("--config", str(path), "chat", cwd=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_run_without_a_token_is_a_configuration_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[assistant]\ntimezone = 'UTC'\n")
    env = {k: v for k, v in __import__("os").environ.items() if k != "ASSISTANT_TELEGRAM_TOKEN"}
    result = subprocess.run([sys.executable, "-m", "assistant", "--config", str(path), "run"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 2
    assert "telegram.token" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_log_level_is_case_insensitive_and_enums_compare_as_strings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[assistant]\nlog_level = 'debug'\n[speech]\nengine = 'local'\n[llm]\nmode = 'off'\n")
    config = config_module.load(path)
    assert config.assistant.log_level == "DEBUG"
    assert config.speech.engine == "local" and config.speech.engine is SpeechEngine.LOCAL
    assert config.llm.mode == LlmMode.OFF == "off"
    assert Config().llm.mode == "fallback" and Config().agenda.time == ""


def test_assignments_are_validated(tmp_path: Path) -> None:
    config = Config()
    config.assistant.timezone = "Asia/Tokyo"
    assert config.zone.key == "Asia/Tokyo"
    config.speech.engine = "api"
    assert config.speech.engine is SpeechEngine.API
    with pytest.raises(ValueError):
        config.assistant.timezone = "Nowhere/Land"
    with pytest.raises(ValueError):
        config.availability.buffer_minutes = -1


def test_calendar_section_builds_the_model_its_type_names() -> None:
    caldav = CalendarSection(type="caldav", name="icloud", url="https://caldav.icloud.com")
    assert isinstance(caldav, CaldavCalendar) and isinstance(caldav, CalendarBase)
    assert caldav.reminders_as == "event" and caldav.busy and caldav.alarm_minutes == -1
    assert getattr(caldav, "busy", True) is True and getattr(caldav, "client_id", None) is None
    google = CalendarSection(type="google", name="g")
    assert isinstance(google, GoogleCalendar) and google.base_url == "https://www.googleapis.com/calendar/v3"
    assert isinstance(CalendarSection(type="ics", name="h", url="h.ics"), IcsCalendar)
    with pytest.raises(ValueError):
        CalendarSection(type="caldav", name="nourl")
    config = Config()
    config.calendars = [caldav, google]
    assert [c.name for c in config.calendars] == ["icloud", "g"]


# The TOML sample of /work/shared/CONTRACT.md ("Configuration keys"), verbatim.
CONTRACT_SAMPLE = """
[assistant]
timezone = "Europe/Berlin"           # IANA zone of the owner
data_dir = "data"                    # SQLite database, voice files, models

[telegram]
token = "123:ABC"                    # or ASSISTANT_TELEGRAM_TOKEN
owner_id = 0                         # 0 = pair with /start CODE; else the owner's user id
base_url = "https://api.telegram.org/bot"          # a self-hosted Bot API server or a test server
base_file_url = "https://api.telegram.org/file/bot"

[speech]
engine = "auto"                      # auto (local, then API) | local | api
model = "data/models/whisper-base"   # a local directory or a faster-whisper size name

[llm]
base_url = ""                        # any OpenAI-compatible server; empty = offline parser only
model = ""
api_key = ""                         # or ASSISTANT_LLM_API_KEY
mode = "fallback"                    # fallback (when the offline parser is unsure) | always | off

[[calendars]]                        # zero or more; the built-in local calendar always exists
name = "icloud"
type = "caldav"                      # caldav | google | outlook | ics (read-only subscription)
url = "https://caldav.icloud.com"
username = "me@example.com"
password = "app-specific-password"   # or stored in the vault by the wizard

[[calendars]]
name = "work"
type = "google"
client_id = "….apps.googleusercontent.com"   # the owner's own OAuth client (Desktop app)
client_secret = "…"
calendar = "primary"                 # a calendar id; "" = primary
base_url = "https://www.googleapis.com/calendar/v3"
auth_uri = "https://accounts.google.com/o/oauth2/auth"
token_uri = "https://oauth2.googleapis.com/token"

[[calendars]]
name = "office"
type = "outlook"
client_id = "…"                      # an Entra ID app registration (public client)
tenant = "common"
authority_host = "https://login.microsoftonline.com"
base_url = "https://graph.microsoft.com/v1.0"
calendar = ""                        # a calendar name; "" = the default calendar

[[notes]]                            # zero or more notes targets
name = "notion"
type = "notion"                      # notion | apple_notes
token = ""                           # an internal integration secret, or empty and `assistant connect notion`
database = "…"                       # the database id pages are created in
base_url = "https://api.notion.com/v1"

[[notes]]
name = "iphone"
type = "apple_notes"                 # a pull bridge for an iOS Shortcut
listen = "127.0.0.1:8765"            # address the bridge serves on
token = "…"                          # the Shortcut sends it as `Authorization: Bearer …`

[routing]                            # default target per kind: "local" or a [[calendars]] / [[notes]] name
event = "local"
reminder = "local"
note = "local"

[[routing.rules]]                    # first match wins, before the defaults
kind = "event"                       # optional
keywords = ["client", "invoice"]     # optional: any word in the request
attendees = ["Boris"]                # optional: any attendee
target = "office"

[agenda]
time = "07:30"                       # the daily agenda in the chat; "" = none
"""


def test_contract_sample_loads_into_the_right_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSISTANT_TELEGRAM_TOKEN", raising=False)
    path = tmp_path / "config.toml"
    path.write_text(CONTRACT_SAMPLE, encoding="utf-8")
    config = config_module.load(path)
    assert [type(c) for c in config.calendars] == [CaldavCalendar, GoogleCalendar, OutlookCalendar]
    assert [type(n) for n in config.notes] == [NotionNotes, AppleNotes]
    icloud, work, office = config.calendars
    assert icloud.type == "caldav" and icloud.username == "me@example.com" and icloud.reminders_as == "event"
    assert work.calendar == "primary" and work.token_uri == "https://oauth2.googleapis.com/token"
    assert office.tenant == "common" and office.authority_host == "https://login.microsoftonline.com"
    assert config.notes[1].listen == "127.0.0.1:8765" and config.notes[0].base_url == "https://api.notion.com/v1"
    (rule,) = config.routing.rules
    assert isinstance(rule, RoutingRule) and rule.kind is RuleKind.EVENT and rule.target == "office"
    assert rule.keywords == ["client", "invoice"] and rule.attendees == ["Boris"]
    assert config.llm.mode is LlmMode.FALLBACK and config.agenda.time == "07:30"
    assert config.telegram.token == "123:ABC" and config.is_configured
    assert config.target_names() == ["local", "icloud", "work", "office", "notion", "iphone"]


def test_names_are_unique_across_calendars_and_notes(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[[calendars]]\nname='x'\ntype='ics'\nurl='a.ics'\n[[notes]]\nname='x'\ntype='notion'\n")
    with pytest.raises(ConfigError, match=r"'notes\[0\].name' must be unique.*used twice"):
        config_module.load(path)


def test_routing_may_name_a_notes_target(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[[notes]]\nname='n'\ntype='notion'\n[routing]\nnote='n'\n"
                    "[[routing.rules]]\nkeywords=['idea']\ntarget='n'\n")
    assert config_module.load(path).routing.note == "n"


# ---------------------------------------------------------------- validate(): the wizard's per-field check

@pytest.mark.parametrize("key, value, words", [
    ("availability.buffer_minutes", -5, ["'availability.buffer_minutes' must be at least 0, got -5"]),
    ("availability.min_notice_minutes", -10**15, ["at least 0"]),
    ("availability.work_end", "08:00", ["'availability.work_end' must be after work_start (09:00)"]),
    ("calendars.caldav.url", "not a url", ["'calendars.caldav.url' must be an http(s) URL", "not a url"]),
    ("calendars.google.token_uri", "x", ["'calendars.google.token_uri'", "http(s)"]),
    ("notes.apple_notes.listen", "nowhere", ["'notes.apple_notes.listen'", "host:port"]),
    ("assistant.log_level", "LOUD", ["'assistant.log_level' must be one of"]),
    ("assistant.timezone", "Mars/Olympus", ["unknown time zone"]),
    ("llm.mode", "never", ["'llm.mode' must be one of"]),
    ("routing.rules.kind", "query", ["'routing.rules.kind'"]),
    ("agenda.time", "7h", ["'agenda.time'", "HH:MM"]),
    ("telegram.owner_id", "me", ["'telegram.owner_id' must be an integer, got a string ('me')"]),
])
def test_validate_returns_the_one_line_problem(key: str, value: object, words: list[str]) -> None:
    message = config_module.validate(key, value)
    assert message is not None and "\n" not in message and message.startswith(f"'{key}' ")
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("key, value", [
    ("availability.buffer_minutes", 10), ("calendars.caldav.url", "https://dav.example.com/"),
    ("calendars.ics.url", "holidays.ics"), ("assistant.log_level", "debug"), ("agenda.time", ""),
    ("agenda.time", "07:30"), ("llm.mode", "always"), ("notes.apple_notes.listen", "0.0.0.0:9000"),
    ("assistant.timezone", "America/New_York"), ("routing.rules.target", "office"), ("llm.timeout_seconds", 5),
])
def test_validate_accepts_good_values(key: str, value: object) -> None:
    assert config_module.validate(key, value) is None


@pytest.mark.parametrize("key", ["availability.nope", "calendars.url", "calendars.exchange.url", "nope", "nope.x"])
def test_validate_rejects_unknown_keys(key: str) -> None:
    with pytest.raises(KeyError):
        config_module.validate(key, 1)
