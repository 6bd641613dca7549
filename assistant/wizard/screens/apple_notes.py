"""An integration step: the Apple Notes bridge — an address the phone can reach, a generated token, and
the Shortcut that pulls the notes (iOS has no API to push them into Notes)."""
from __future__ import annotations

from typing import Any, Iterable

from textual import on
from textual.widget import Widget
from textual.widgets import Button, Static

from assistant.wizard import checks
from assistant.wizard.entry import EntryStep
from assistant.wizard.step import Field, good

SHORTCUT = """In the Shortcuts app on the iPhone, make a shortcut (and an automation to run it, e.g. hourly):
 1. Get Contents of URL  http://{address}/notes/pending
    (Headers: Authorization = Bearer {token})
 2. Repeat with Each item in Contents of URL:
    Create Note: title = Repeat Item.title, body = Repeat Item.body;
    Get Contents of URL  http://{address}/notes/[Repeat Item.id]/ack
    (Method POST, the same Authorization header)"""


class AppleNotesStep(EntryStep):
    TITLE = "Apple Notes"
    HELP = ("Notes routed here wait on this machine until a Shortcut on your iPhone fetches them (on the same "
            "network, or through a VPN such as Tailscale). Listen on 0.0.0.0 so the phone can reach it.")
    KIND, TYPE, DEFAULT_NAME = "notes", "apple_notes", "iphone"
    USE_LABEL = "Send notes to Apple Notes (through a Shortcut)"
    TEST_LABEL = "Check address"

    def entry_fields(self) -> Iterable[Widget]:
        yield Field(self.key("listen"), "Listen on (host:port)", self.current("listen", "0.0.0.0:8765"), id="listen")
        yield Field(self.key("token"), "Token (the Shortcut sends it)", self.current("token") or checks.bridge_token(),
                    id="token")
        yield Button("New token", id="new-token", compact=True)
        yield Static("", id="shortcut", markup=False)

    def mounted(self) -> None:
        super().mounted()
        self._show_shortcut()

    @on(Button.Pressed, "#new-token")
    def _new_token(self) -> None:
        self.query_one("#token", Field).value = checks.bridge_token()
        self._show_shortcut()

    def on_input_changed(self) -> None:
        self._show_shortcut()

    def _show_shortcut(self) -> None:
        listen = self.query_one("#listen", Field).value
        host, _, port = listen.rpartition(":")
        if host in ("", "0.0.0.0", "::", "[::]"):
            host = checks.lan_address() or "THIS-MACHINE"
        self.query_one("#shortcut", Static).update(
            SHORTCUT.format(address=f"{host}:{port}", token=self.query_one("#token", Field).value))

    def entry_values(self) -> dict[str, Any]:
        values = super().entry_values()
        values["listen"] = self.query_one("#listen", Field).value
        self.secret(values, "token", self.query_one("#token", Field).value)
        return values

    def test(self) -> Any:
        if not self.using:
            return None
        return good(checks.bridge_address(self.query_one("#listen", Field).value))

    def test_failed(self, message: str) -> None:
        self.query_one("#listen", Field).show_error(message)
        self.outcome(None)
