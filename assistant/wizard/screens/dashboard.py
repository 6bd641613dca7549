"""The status dashboard (F2 on any step): `assistant status` for the saved configuration — integrations,
the outbox, the metrics of the last day and week, recent errors, models and memory. R refreshes."""
from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from assistant.wizard.step import bad


class Dashboard(Screen):
    BINDINGS = [Binding("escape", "close", "Back to the setup"), Binding("r", "refresh", "Refresh")]
    DEFAULT_CSS = """
    Dashboard #report { padding: 0 1; }
    Dashboard #dashboard-actions { height: 1; dock: bottom; margin: 0 1 1 1; }
    Dashboard #dashboard-actions Button { margin-right: 2; }
    """

    def __init__(self, draft: Any):
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("", id="report", markup=False)
        with Horizontal(id="dashboard-actions"):
            yield Button("‹ Back", id="close", compact=True)
            yield Button("Refresh", id="refresh", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "assistant setup"
        self.sub_title = "Status"
        self.action_refresh()
        self.query_one("#close", Button).focus()

    def action_refresh(self) -> None:
        self.query_one("#report", Static).update(report_text(self.draft))

    @on(Button.Pressed, "#refresh")
    def _refresh(self) -> None:
        self.action_refresh()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.app.pop_screen()


def report_text(draft: Any) -> Any:
    """The status of the configuration as saved (the file, not the unsaved draft)."""
    from assistant import config as config_module, status  # noqa: PLC0415
    from assistant.errors import ConfigError, StoreError  # noqa: PLC0415
    from assistant.store import Store  # noqa: PLC0415

    try:
        config = config_module.load(draft.path) if draft.path.exists() else draft.config_or_defaults()
    except ConfigError as exc:
        return bad(f"the saved configuration does not load: {exc}")
    if not config.db_path.exists():
        return ("No data yet: the assistant has not run with this configuration.\n\n"
                "After `assistant run` (or `assistant chat`) has handled a few requests, this shows the "
                "integrations, the outbox and the metrics.")
    try:
        store = Store(config.db_path)
    except StoreError as exc:
        return bad(str(exc))
    try:
        return status.text(status.collect(config, store))
    finally:
        store.close()
