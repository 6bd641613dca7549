"""Step 1: the Telegram bot's token, checked with getMe (through `[telegram] base_url`)."""
from __future__ import annotations

import os
from typing import Any, Iterable

from textual.widget import Widget
from textual.widgets import Static

from assistant.wizard import checks
from assistant.wizard.step import Field, Step, good


class TelegramStep(Step):
    TITLE = "Telegram bot"
    HELP = ("In Telegram, ask @BotFather for a bot (/newbot, then a name and a username ending in “bot”) and "
            "paste the token it answers with. Leave it empty to use only the console chat (assistant chat).")

    def fields(self) -> Iterable[Widget]:
        yield Field("telegram.token", "Bot token", self.draft.get("telegram.token"), password=True,
                    placeholder="123456789:AAH…", id="token")
        yield Field("telegram.base_url", "Bot API address (change only for a self-hosted Bot API server)",
                    self.draft.get("telegram.base_url"), id="base_url")
        if os.environ.get("ASSISTANT_TELEGRAM_TOKEN"):
            yield Static("Note: ASSISTANT_TELEGRAM_TOKEN is set in this environment; it overrides the token saved "
                         "here.", classes="note", markup=False)

    def check(self) -> bool:
        token = self.query_one("#token", Field)
        if not super().check():
            return False
        if token.value and not checks.TOKEN_SHAPE.match(token.value):
            token.show_error("that is not a bot token (it looks like 123456789:AAH…): copy the whole token from "
                             "@BotFather (/mybots → your bot → API Token)")
            return False
        return True

    def save(self) -> None:
        self.draft.set("telegram.base_url", self.query_one("#base_url", Field).value)
        token = self.query_one("#token", Field).value
        if token != self.draft.get("telegram.token"):
            self.draft.put_secret("telegram", "token", token)
            if token:      # a new bot: its owner pairs again unless the owner id is kept on the next step
                self.wizard.memo.pop("bot", None)

    def test(self) -> Any:
        token = self.query_one("#token", Field).value
        base_url = self.query_one("#base_url", Field).value or self.draft.get("telegram.base_url")
        bot = checks.telegram_bot(base_url, token)
        self.wizard.memo["bot"] = bot
        name = bot.get("first_name") or "?"
        return good(f"@{bot.get('username')} ({name}) answers: the token works")

    def test_failed(self, message: str) -> None:
        field = self.query_one("#base_url" if message.startswith("cannot reach") else "#token", Field)
        field.show_error(message)
        self.outcome(None)

    def tested(self, result: Any) -> None:
        for field in self.query(Field):
            field.show_error(None)
