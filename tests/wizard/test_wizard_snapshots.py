"""Snapshots at 80×24: the SVG Textual exports for a screen, compared to a stored golden.

A changed screen fails with the new picture saved next to the golden (`*.new.svg`) to look at; when the change
is intended, regenerate the goldens with `UPDATE_SNAPSHOTS=1 pytest tests/wizard/test_wizard_snapshots.py`.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from assistant.wizard import checks
from assistant.wizard.app import SetupApp
from assistant.wizard.draft import Draft
from assistant.wizard.screens import CaldavStep, HoursStep, PairingStep, RoutingStep, TelegramStep, ZoneStep
from assistant.wizard.screens import timezone as timezone_screen
from wizard_support import SIZE, settle, still_blink, sync

GOLDEN = Path(__file__).parent / "snapshots"


def compare(name: str, svg: str) -> None:
    svg = re.sub(r"\s+$", "", svg, flags=re.M)
    golden = GOLDEN / f"{name}.svg"
    if os.environ.get("UPDATE_SNAPSHOTS") or not golden.exists():
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(svg)
        if not os.environ.get("UPDATE_SNAPSHOTS"):
            pytest.skip(f"golden {golden.name} written; run again to compare")
        return
    new = golden.with_suffix(".new.svg")
    if golden.read_text() != svg:
        new.write_text(svg)
        pytest.fail(f"{name} at 80×24 differs from {golden.name}: see {new} (UPDATE_SNAPSHOTS=1 accepts it)")
    new.unlink(missing_ok=True)


async def shot(app: SetupApp, name: str, before=None) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if before is not None:
            await before(pilot)
            await settle(pilot)
        still_blink(app)
        await settle(pilot)
        compare(name, app.export_screenshot(title="assistant setup"))


@pytest.fixture
def fixed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Draft:
    monkeypatch.setattr(timezone_screen, "system_timezone", lambda: "Europe/Berlin")
    monkeypatch.setattr(checks, "pairing_code", lambda: "1a2b-3c4d-5e6f")
    monkeypatch.setattr("assistant.config.system_timezone", lambda: "Europe/Berlin")
    draft = Draft.open(tmp_path / "config.toml")
    draft.set("assistant.timezone", "Europe/Berlin")
    return draft


@sync
async def test_telegram_step(fixed: Draft) -> None:
    await shot(SetupApp(fixed, steps=[TelegramStep, PairingStep]), "telegram")


@sync
async def test_pairing_step(fixed: Draft) -> None:
    fixed.set("telegram.token", "123456:TEST-token_for-the-fake")
    app = SetupApp(fixed, steps=[PairingStep])
    app.memo["bot"] = {"username": "assistant_test_bot"}
    await shot(app, "pairing")


@sync
async def test_time_zone_step_searched(fixed: Draft) -> None:
    async def search(pilot) -> None:
        await pilot.press(*"berl")
    await shot(SetupApp(fixed, steps=[ZoneStep]), "timezone", search)


@sync
async def test_caldav_step_with_an_error(fixed: Draft) -> None:
    async def fill(pilot) -> None:
        await pilot.press("space")
        pilot.app.screen.query_one("#username").value = "me@icloud.com"
        pilot.app.screen.query_one("#name").value = "local"
        await pilot.press("ctrl+n")
    await shot(SetupApp(fixed, steps=[CaldavStep]), "caldav-error", fill)


@sync
async def test_routing_and_hours_steps(fixed: Draft) -> None:
    fixed.put_entry("calendars", {"name": "office", "type": "outlook", "client_id": "x"})
    fixed.set_rules([{"kind": "event", "keywords": ["client"], "target": "office"}])
    await shot(SetupApp(fixed, steps=[RoutingStep]), "routing")
    await shot(SetupApp(fixed, steps=[HoursStep]), "hours")
