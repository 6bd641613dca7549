"""An integration step: Google Calendar, with the owner's own OAuth client (a Desktop app); the sign-in is
`assistant connect NAME`, offered once the file is saved."""
from __future__ import annotations

from typing import Any, Iterable

from textual.widget import Widget

from assistant.wizard.entry import OAuthStep
from assistant.wizard.step import Field


class GoogleStep(OAuthStep):
    TITLE = "Google Calendar"
    HELP = ("Needs your own OAuth client: console.cloud.google.com → APIs & Services → enable the Google "
            "Calendar API → Credentials → OAuth client ID → Desktop app. Paste its id and secret here.")
    KIND, TYPE, DEFAULT_NAME = "calendars", "google", "work"
    USE_LABEL = "Use a Google calendar"
    README = "Google Calendar"

    def entry_fields(self) -> Iterable[Widget]:
        yield Field(self.key("client_id"), "Client id", self.current("client_id"),
                    placeholder="….apps.googleusercontent.com", id="client_id")
        yield Field(self.key("client_secret"), "Client secret", self.current("client_secret"), password=True,
                    placeholder="GOCSPX-…", id="client_secret")
        yield Field(self.key("calendar"), "Calendar id (empty = your primary calendar)", self.current("calendar"),
                    placeholder="primary", id="calendar")

    def entry_values(self) -> dict[str, Any]:
        values = super().entry_values()
        values.update(client_id=self.query_one("#client_id", Field).value,
                      calendar=self.query_one("#calendar", Field).value)
        self.secret(values, "client_secret", self.query_one("#client_secret", Field).value)
        return values
