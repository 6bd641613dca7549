"""F2 on any step: the status of the saved configuration (integrations, outbox, metrics), Esc back to the step."""
from __future__ import annotations

from pathlib import Path

from assistant import config as config_module
from assistant.usecases import build
from assistant.wizard.app import SetupApp
from assistant.wizard.draft import Draft
from assistant.wizard.screens.dashboard import Dashboard
from wizard_support import SIZE, settle, step_name, sync


@sync
async def test_f2_shows_the_status_and_escape_goes_back(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[assistant]\ntimezone = "Europe/Berlin"\n')
    usecases = build(config_module.load(path))
    try:
        usecases.conversation.handle_text(1, "Lunch with Anna tomorrow at 1pm")
        usecases.conversation.handle_text(1, "yes")
    finally:
        usecases.close()
    app = SetupApp(Draft.open(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, Dashboard)
        report = str(app.screen.query_one("#report").render())
        assert "message → preview     1× p50" in report and "writes to local" in report
        await pilot.press("escape")
        await settle(pilot)
        assert step_name(app) == "TelegramStep"
        await pilot.press("escape")
        await settle(pilot)
    assert app.return_value is None


@sync
async def test_the_dashboard_before_the_first_run(tmp_path: Path) -> None:
    app = SetupApp(Draft.open(tmp_path / "config.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        assert "has not run with this configuration" in str(app.screen.query_one("#report").render())
    assert not (tmp_path / "data").exists()
