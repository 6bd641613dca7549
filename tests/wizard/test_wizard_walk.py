"""The whole wizard walked with the keyboard at 80×24 against the loopback fakes (Bot API, OpenAI, Notion) and a
real Radicale; then the written config.toml (and the vault) are checked."""
from __future__ import annotations

import socket
import stat
import tomllib
from pathlib import Path

import pytest
from textual.widgets import OptionList

from assistant import config as config_module
from assistant.connectors.notion import token_source
from assistant.store import Store
from assistant.vault import Vault
from assistant.wizard import draft as draft_module
from assistant.wizard.app import SetupApp
from assistant.wizard.dialogs import ChoiceDialog, RuleDialog
from assistant.wizard.draft import Draft
from tests.connectors.radicale_server import USERS
from tests.fakes.bot_api import user
from wizard_support import SIZE, outcome, set_field, settle, step_name, sync

MODEL = Path(__file__).resolve().parents[2] / "data" / "models" / "whisper-base"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def next_step(pilot, expected: str) -> None:
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert step_name(pilot.app) == expected, f"still on {step_name(pilot.app)}: {outcome(pilot.app)}"


@sync
async def test_the_whole_wizard_writes_a_config_that_loads(tmp_path: Path, bot_api, openai_fake, radicale, notion,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(draft_module.VAULT_SECRETS, ("caldav", "password"), lambda entry: entry["name"])
    path = tmp_path / "config.toml"
    draft = Draft.open(path)
    draft.set("telegram.base_url", bot_api.base_url)          # the wizard's own field, set as a test server's
    draft.set("speech.model", str(MODEL) if MODEL.exists() else "base")
    draft.put_entry("notes", {"name": "notion", "type": "notion", "base_url": notion.base_url})
    app = SetupApp(draft)
    async with app.run_test(size=SIZE) as pilot:
        # 1. Telegram: the token, checked with getMe through base_url
        assert step_name(app) == "TelegramStep"
        await pilot.press(*bot_api.token)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "@assistant_test_bot (Assistant)" in outcome(app)

        # 2. pairing: /start CODE arrives while the screen waits
        await next_step(pilot, "PairingStep")
        code = app.screen.code
        await pilot.press("ctrl+t")
        await pilot.pause()
        bot_api.send_text(user(4242, "Anna"), f"/start {code}")
        await settle(pilot)
        assert "paired with Anna (user 4242)" in outcome(app)

        # 3. time zone: searched, Enter picks the only match
        await next_step(pilot, "ZoneStep")
        await pilot.press(*"tokyo", "enter")
        await settle(pilot)

        # 4. speech: the local model, and an API key tested with a transcription
        await next_step(pilot, "SpeechStep")
        set_field(app, "api_key", openai_fake.api_key)
        set_field(app, "api_base_url", openai_fake.base_url)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "transcribed a test clip" in outcome(app)
        assert openai_fake.transcriptions

        # 5. language model: another OpenAI-compatible server, one test call
        await next_step(pilot, "LlmStep")
        app.screen.query_one("#provider").value = "custom"
        await pilot.pause()
        set_field(app, "base_url", openai_fake.base_url)
        set_field(app, "model", "test-model")
        set_field(app, "api_key", openai_fake.api_key)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "test-model answered" in outcome(app)

        # 6. Google: on, with the owner's OAuth client; the sign-in is left to `assistant connect`
        await next_step(pilot, "GoogleStep")
        await pilot.press("space")                                  # the "use" checkbox has the focus
        set_field(app, "client_id", "1234.apps.googleusercontent.com")
        set_field(app, "client_secret", "google-client-secret")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "assistant connect work" in outcome(app)

        # 7. Outlook: left off
        await next_step(pilot, "OutlookStep")

        # 8. CalDAV: a real Radicale; Sign in lists the calendars, one is chosen in the dialog
        await next_step(pilot, "CaldavStep")
        await pilot.press("space")
        set_field(app, "name", "family-cal")
        set_field(app, "url", radicale.url + "/")
        set_field(app, "username", "alice")
        set_field(app, "password", USERS["alice"])
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert {"Work", "Family"} <= set(labels)
        options.highlighted = labels.index("Family")
        await pilot.press("enter")
        await settle(pilot)
        assert "writing to 'Family'" in outcome(app)

        # 9. Notion: the entry exists already (pointed at the fake); List databases offers them
        await next_step(pilot, "NotionStep")
        set_field(app, "token", notion.token)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert "notes go to 'Ideas'" in outcome(app)

        # 10. Apple Notes: an address and a generated token; the Shortcut is shown
        await next_step(pilot, "AppleNotesStep")
        await pilot.press("space")
        port = free_port()
        set_field(app, "listen", f"127.0.0.1:{port}")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "is free" in outcome(app)
        token = app.screen.query_one("#token").value
        assert len(token) >= 24 and f"127.0.0.1:{port}/notes/pending" in str(app.screen.query_one("#shortcut").render())

        # 11. routing: events to the CalDAV calendar, a rule for the client to Google
        await next_step(pilot, "RoutingStep")
        app.screen.query_one("#default-event").value = "family-cal"
        app.screen.query_one("#default-note").value = "notion"
        await pilot.pause()
        app.screen.query_one("#add").press()
        await settle(pilot)
        assert isinstance(app.screen, RuleDialog)
        app.screen.query_one("#kind").value = "event"
        app.screen.query_one("#keywords").value = "client, invoice"
        app.screen.query_one("#target").value = "work"
        app.screen.query_one("#save").press()
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "→ work" in outcome(app)

        # 12. working hours and the agenda
        await next_step(pilot, "HoursStep")
        set_field(app, "work_start", "08:30")
        set_field(app, "buffer_minutes", "10")
        set_field(app, "agenda_time", "07:30")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "Mon–Fri 08:30–18:00" in outcome(app)

        # 13. review, save, finish
        await next_step(pilot, "ReviewStep")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "written" in outcome(app), outcome(app)
        assert "assistant connect work" in str(app.screen.query_one("#next-steps").render())
        connect = app.screen.query("#connect-work")
        if connect:                                  # this version's `assistant connect` knows Google
            connect.first().press()
            await settle(pilot)
            assert "assistant connect work --no-browser" in outcome(app)     # no terminal to hand over here
        await pilot.press("ctrl+n")
        await settle(pilot)
    assert app.return_value == "saved"

    text = path.read_text()
    assert "# IANA zone of the owner" in text                        # the template's comments are kept
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    raw = tomllib.loads(text)
    config = config_module.load(path)
    assert config.assistant.timezone == "Asia/Tokyo"
    assert config.telegram.token == bot_api.token and config.telegram.owner_id == 4242
    assert config.telegram.pairing_code == ""
    assert config.speech.api_key == openai_fake.api_key
    assert (config.llm.base_url, config.llm.model) == (openai_fake.base_url, "test-model")
    calendars = {c.name: c for c in config.calendars}
    assert calendars["work"].type == "google" and calendars["work"].client_secret == "google-client-secret"
    assert calendars["family-cal"].url == radicale.url + "/" and calendars["family-cal"].calendar == "Family"
    assert "password" not in raw["calendars"][[c["name"] for c in raw["calendars"]].index("family-cal")]
    notes = {n.name: n for n in config.notes}
    assert notes["notion"].database == "0f1e2d3c-aaaa-bbbb-cccc-000000000002" and notes["notion"].token == ""
    assert notion.token not in text                                    # the Notion connector reads it from the vault
    assert notes["iphone"].listen == f"127.0.0.1:{port}" and notes["iphone"].token == token
    assert (config.routing.event, config.routing.note) == ("family-cal", "notion")
    assert [(r.kind, r.keywords, r.target) for r in config.routing.rules] == [("event", ["client", "invoice"], "work")]
    assert (config.availability.work_start, config.availability.buffer_minutes) == ("08:30", 10)
    assert config.agenda.time == "07:30"
    store = Store(config.db_path)
    try:
        assert Vault(store, config.data_dir).get("family-cal") == {"password": USERS["alice"]}
        assert token_source("notion", store, config.data_dir) == notion.token
    finally:
        store.close()


@sync
async def test_a_second_run_shows_the_current_values_and_changes_only_what_is_changed(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    original = ('# my own notes about this file\n[assistant]\ntimezone = "Europe/Berlin"   # where I live\n\n'
                '[telegram]\ntoken = ""\n\n[availability]\nwork_start = "10:00"\n')
    path.write_text(original)
    app = SetupApp(Draft.open(path))
    async with app.run_test(size=SIZE) as pilot:
        await next_step(pilot, "ZoneStep")                             # no token: pairing is skipped
        assert "Now: Europe/Berlin" in str(app.screen.query_one("#chosen").render())
        for expected in ("SpeechStep", "LlmStep", "GoogleStep", "OutlookStep", "CaldavStep", "NotionStep",
                         "AppleNotesStep", "RoutingStep", "HoursStep"):
            await next_step(pilot, expected)
        assert app.screen.query_one("#work_start").value == "10:00"
        set_field(app, "work_end", "17:00")
        await next_step(pilot, "ReviewStep")
        assert "availability.work_end" in str(app.screen.query_one("#changes").render())
        await pilot.press("ctrl+n")                                     # Finish saves
        await settle(pilot)
    assert app.return_value == "saved"
    text = path.read_text()
    assert text.startswith("# my own notes about this file\n")
    assert 'timezone = "Europe/Berlin"   # where I live' in text
    assert 'work_end = "17:00"' in text and 'work_start = "10:00"' in text
    assert config_module.load(path).availability.work_end == "17:00"
