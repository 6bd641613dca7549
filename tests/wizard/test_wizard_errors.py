"""Inline errors that name the fix (a wrong token, a wrong password, a server that does not answer), and Esc
leaving the file exactly as it was."""
from __future__ import annotations

import socket
from pathlib import Path

from assistant.wizard.app import SetupApp
from assistant.wizard.draft import Draft
from assistant.wizard.screens import CaldavStep, LlmStep, NotionStep, TelegramStep
from tests.connectors.radicale_server import USERS
from wizard_support import SIZE, error_of, outcome, set_field, settle, step_name, sync


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def one_step(tmp_path: Path, step: type, **values: str) -> SetupApp:
    draft = Draft.open(tmp_path / "config.toml")
    for key, value in values.items():
        draft.set(key.replace("__", "."), value)
    return SetupApp(draft, steps=[step])


@sync
async def test_a_wrong_bot_token_is_refused_under_the_field(tmp_path: Path, bot_api) -> None:
    app = one_step(tmp_path, TelegramStep, telegram__base_url=bot_api.base_url)
    async with app.run_test(size=SIZE) as pilot:
        set_field(app, "token", "123456:a-well-formed-but-wrong-token")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "Telegram refused this token" in error_of(app, "token")
        assert "@BotFather" in error_of(app, "token")
        set_field(app, "token", "not a token")
        await pilot.press("ctrl+n")                              # Next checks the shape and stays
        await settle(pilot)
        assert step_name(app) == "TelegramStep"
        assert "that is not a bot token" in error_of(app, "token")


@sync
async def test_an_unreachable_bot_api_names_the_address(tmp_path: Path) -> None:
    app = one_step(tmp_path, TelegramStep, telegram__base_url=f"http://127.0.0.1:{closed_port()}/bot")
    async with app.run_test(size=SIZE) as pilot:
        set_field(app, "token", "123456:TEST-token_for-the-fake")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "cannot reach 127.0.0.1" in error_of(app, "base_url")
        assert "base_url" in error_of(app, "base_url")
        set_field(app, "base_url", "ftp://nowhere")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "http" in error_of(app, "base_url") and step_name(app) == "TelegramStep"


@sync
async def test_a_wrong_caldav_password_and_an_unreachable_server(tmp_path: Path, radicale) -> None:
    app = one_step(tmp_path, CaldavStep)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        set_field(app, "url", radicale.url + "/")
        set_field(app, "username", "alice")
        set_field(app, "password", "not-" + USERS["alice"])
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "refused the user name or password" in error_of(app, "password")
        assert "app-specific password" in error_of(app, "password")

        set_field(app, "url", f"http://127.0.0.1:{closed_port()}/")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "cannot reach 127.0.0.1" in error_of(app, "url")

        set_field(app, "name", "local")                            # a name the built-in calendar has
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert step_name(app) == "CaldavStep" and "local" in error_of(app, "name")


@sync
async def test_an_unreachable_language_model_and_a_wrong_notion_token(tmp_path: Path, notion) -> None:
    app = one_step(tmp_path, LlmStep)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#provider").value = "custom"
        await pilot.pause()
        set_field(app, "base_url", f"http://127.0.0.1:{closed_port()}/v1")
        set_field(app, "model", "some-model")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "cannot reach 127.0.0.1" in outcome(app) and "/v1" in outcome(app)

    draft = Draft.open(tmp_path / "config.toml")
    draft.put_entry("notes", {"name": "notion", "type": "notion", "base_url": notion.base_url})
    app = SetupApp(draft, steps=[NotionStep])
    async with app.run_test(size=SIZE) as pilot:
        set_field(app, "token", "ntn_wrong")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "Notion refused the token" in error_of(app, "token")


@sync
async def test_escape_leaves_the_file_unchanged(tmp_path: Path, bot_api) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[assistant]\ntimezone = "Europe/Berlin"  # mine\n')
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    app = SetupApp(Draft.open(path))
    async with app.run_test(size=SIZE) as pilot:
        set_field(app, "token", bot_api.token)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert app.return_value is None
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]      # no temporary file, no database
