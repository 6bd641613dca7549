"""The setup wizard: one Textual app, a screen per step, keyboard only, 80×24 is enough.

    Telegram → pairing → time zone → speech → language model → Google → Outlook → iCloud/CalDAV → Notion →
    Apple Notes → routing → working hours → review (writes config.toml)

Esc (or Ctrl+Q) leaves at any point without writing anything; F2 shows the status dashboard. The app's
return value is "saved" when the review step wrote the file, else None.
"""
from __future__ import annotations

from typing import Any

from textual.app import App
from textual.binding import Binding

from assistant.wizard.draft import Draft
from assistant.wizard.screens import STEPS
from assistant.wizard.step import Step


class SetupApp(App[str | None]):
    TITLE = "assistant setup"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "leave", "Quit", show=False)]
    CSS = """
    Screen { background: $background; }
    """

    def __init__(self, draft: Draft, steps: list[type[Step]] | None = None, start: int = 0):
        super().__init__()
        self.draft = draft
        self.steps = list(steps or STEPS)
        self.position = start
        self.saved = False
        self.memo: dict[str, Any] = {}
        """What one step learns for another (the bot's @name for the pairing step)."""

    def on_mount(self) -> None:
        self.position = self._applicable(self.position, +1)
        self.push_screen(self._make(self.position))

    def _make(self, index: int) -> Step:
        return self.steps[index](self.draft, index, len(self.steps))

    def _applicable(self, index: int, direction: int) -> int:
        while 0 <= index < len(self.steps) and self.steps[index].skip(self.draft):
            index += direction
        return max(0, min(index, len(self.steps) - 1))

    def forward(self) -> None:
        if self.position >= len(self.steps) - 1:
            self.exit("saved" if self.saved else None)
            return
        self.position = self._applicable(self.position + 1, +1)
        self.switch_screen(self._make(self.position))

    def back(self) -> None:
        if self.position == 0:
            return
        index = self._applicable(self.position - 1, -1)
        if self.steps[index].skip(self.draft):
            return
        self.position = index
        self.switch_screen(self._make(self.position))

    def goto(self, step: type[Step]) -> None:
        self.position = self.steps.index(step)
        self.switch_screen(self._make(self.position))

    def action_leave(self) -> None:
        """Esc: leave now; nothing is written (unless the review step already saved)."""
        self.exit("saved" if self.saved else None)

    def action_dashboard(self) -> None:
        from assistant.wizard.screens.dashboard import Dashboard  # noqa: PLC0415

        if not isinstance(self.screen, Dashboard):
            self.push_screen(Dashboard(self.draft))
