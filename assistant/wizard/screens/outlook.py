"""An integration step: Outlook / Microsoft 365, with an Entra ID app registration (a public client); the
sign-in is `assistant connect NAME`, offered once the file is saved."""
from __future__ import annotations

from typing import Any, Iterable

from textual.widget import Widget

from assistant.wizard.entry import OAuthStep
from assistant.wizard.step import Field


class OutlookStep(OAuthStep):
    TITLE = "Outlook / Microsoft 365"
    HELP = ("Needs an app registration: entra.microsoft.com → App registrations → New (personal and work "
            "accounts) → Authentication: Mobile and desktop, redirect http://localhost, public client flows on.")
    KIND, TYPE, DEFAULT_NAME = "calendars", "outlook", "office"
    USE_LABEL = "Use an Outlook / Microsoft 365 calendar"
    README = "Outlook"

    def entry_fields(self) -> Iterable[Widget]:
        yield Field(self.key("client_id"), "Application (client) id", self.current("client_id"),
                    placeholder="00000000-0000-0000-0000-000000000000", id="client_id")
        yield Field(self.key("tenant"), "Tenant (common = any account)", self.current("tenant", "common"),
                    id="tenant")
        yield Field(self.key("calendar"), "Calendar name (empty = your default calendar)", self.current("calendar"),
                    placeholder="(the default calendar)", id="calendar")

    def entry_values(self) -> dict[str, Any]:
        values = super().entry_values()
        values.update(client_id=self.query_one("#client_id", Field).value,
                      tenant=self.query_one("#tenant", Field).value or "common",
                      calendar=self.query_one("#calendar", Field).value)
        return values
