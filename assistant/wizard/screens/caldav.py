"""An integration step: iCloud or any CalDAV server (Nextcloud, Fastmail, Radicale). Test signs in with
the CalDAV connector and offers the account's calendars to choose from."""
from __future__ import annotations

from typing import Any, Iterable

from textual.widget import Widget

from assistant.wizard import checks
from assistant.wizard.dialogs import ChoiceDialog
from assistant.wizard.entry import EntryStep
from assistant.wizard.step import Field, good


class CaldavStep(EntryStep):
    TITLE = "iCloud / CalDAV calendar"
    HELP = ("iCloud: your Apple ID e-mail and an app-specific password (appleid.apple.com → Sign-In and Security "
            "→ App-Specific Passwords). Nextcloud, Fastmail, Radicale: the server's CalDAV address.")
    KIND, TYPE, DEFAULT_NAME = "calendars", "caldav", "icloud"
    USE_LABEL = "Use an iCloud or CalDAV calendar"
    TEST_LABEL = "Sign in"

    def entry_fields(self) -> Iterable[Widget]:
        yield Field(self.key("url"), "Server address", self.current("url", "https://caldav.icloud.com"), id="url")
        yield Field(self.key("username"), "User name (iCloud: your Apple ID e-mail)", self.current("username"),
                    placeholder="you@icloud.com", id="username")
        yield Field(self.key("password"), "Password (iCloud: an app-specific one)", self.current("password"),
                    password=True, placeholder="abcd-efgh-ijkl-mnop", id="password")
        yield Field(self.key("calendar"), "Calendar to write to (Sign in lists them; empty = the first)",
                    self.current("calendar"), placeholder="(the first calendar that takes events)", id="calendar")

    def entry_values(self) -> dict[str, Any]:
        values = super().entry_values()
        values.update(url=self.query_one("#url", Field).value, username=self.query_one("#username", Field).value,
                      calendar=self.query_one("#calendar", Field).value)
        self.secret(values, "password", self.query_one("#password", Field).value)
        return values

    def test(self) -> Any:
        if not self.using:
            return None
        names = checks.caldav_calendars(self.query_one("#url", Field).value, self.query_one("#username", Field).value,
                                        self.query_one("#password", Field).value,
                                        self.draft.config_or_defaults().zone)
        self.found = names
        return good(f"signed in: {len(names)} calendar{'s' if len(names) != 1 else ''} take events")

    def tested(self, result: Any) -> None:
        for field in self.query(Field):
            field.show_error(None)
        names = getattr(self, "found", [])
        if not names:
            return
        calendar = self.query_one("#calendar", Field)

        def chosen(name: str | None) -> None:
            if name is not None:
                calendar.value = name
                self.outcome(good(f"signed in; writing to {name!r}"))

        self.app.push_screen(ChoiceDialog("Which calendar should new events go to?",
                                          [(n, n) for n in names], calendar.value or None), chosen)

    def test_failed(self, message: str) -> None:
        target = "#password" if "password" in message else "#url" if message.startswith(
            ("cannot reach", "no server", "the address")) else None
        if target:
            self.query_one(target, Field).show_error(message)
            self.outcome(None)
        else:
            super().test_failed(message)
