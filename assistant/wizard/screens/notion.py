"""An integration step: Notion — an internal integration's token and the database notes go to; Test lists
the databases shared with the integration to choose from."""
from __future__ import annotations

from typing import Any, Iterable

from textual.widget import Widget

from assistant.wizard import checks
from assistant.wizard.dialogs import ChoiceDialog
from assistant.wizard.entry import EntryStep
from assistant.wizard.step import Field, good

DEFAULT_BASE = "https://api.notion.com/v1"


class NotionStep(EntryStep):
    TITLE = "Notion"
    HELP = ("notion.so/my-integrations → New integration (internal) → copy its secret. Then open your notes "
            "database in Notion → ••• → Connections → add the integration, so it may write there.")
    KIND, TYPE, DEFAULT_NAME = "notes", "notion", "notion"
    USE_LABEL = "Send notes to a Notion database"
    TEST_LABEL = "List databases"

    def entry_fields(self) -> Iterable[Widget]:
        kept = self.entry is not None and not self.current("token") and self.draft.vaulted("notion", "token")
        yield Field(self.key("token"), "Integration secret (kept in the encrypted vault)", self.current("token"),
                    password=True, id="token",
                    placeholder="in the vault: type a new one to replace it" if kept else "ntn_… or secret_…")
        yield Field(self.key("database"), "Database id (List databases fills it)", self.current("database"),
                    placeholder="0f1e2d3c-…", id="database")

    @property
    def base_url(self) -> str:
        return str(self.current("base_url", DEFAULT_BASE))

    def entry_values(self) -> dict[str, Any]:
        values = super().entry_values()
        values["database"] = self.query_one("#database", Field).value
        self.secret(values, "token", self.query_one("#token", Field).value)
        return values

    def test(self) -> Any:
        if not self.using:
            return None
        token = self.query_one("#token", Field).value
        database = self.query_one("#database", Field).value
        try:
            self.found = checks.notion_databases(self.base_url, token)
        except checks.CheckFailed:
            if not database:
                raise
            self.found = []
            return good(f"the database {checks.notion_database(self.base_url, token, database)!r} is reachable")
        return good(f"{len(self.found)} database{'s' if len(self.found) != 1 else ''} shared with the integration")

    def tested(self, result: Any) -> None:
        for field in self.query(Field):
            field.show_error(None)
        found = getattr(self, "found", [])
        if not found:
            return
        database = self.query_one("#database", Field)
        titles = dict(found)

        def chosen(value: str | None) -> None:
            if value is not None:
                database.value = value
                self.outcome(good(f"notes go to {titles.get(value, value)!r}"))

        self.app.push_screen(ChoiceDialog("Which database should notes go to?", [(i, t) for i, t in found],
                                          database.value or None), chosen)

    def test_failed(self, message: str) -> None:
        field = "#token" if "token" in message or "secret" in message else "#database" if "database" in message \
            else None
        if field:
            self.query_one(field, Field).show_error(message)
            self.outcome(None)
        else:
            super().test_failed(message)
