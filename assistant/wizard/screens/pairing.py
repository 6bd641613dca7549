"""Step 2: pairing — the owner sends `/start CODE` to the bot; the wizard watches for it (getUpdates,
nothing confirmed, so the bot still sees every message later) and saves the sender as the owner. Skipped,
the code is saved as `[telegram] pairing_code`, so sending it once `assistant run` is up pairs just the same."""
from __future__ import annotations

import threading
from typing import Any, Iterable

from textual.widget import Widget
from textual.widgets import Static

from assistant.wizard import checks
from assistant.wizard.step import Step, bad, good, plain


class PairingStep(Step):
    TITLE = "Pair with your Telegram account"
    HELP = ("Only the owner can use the bot. Send the line below to your bot in Telegram; this screen waits for "
            "it (Wait). Next without waiting keeps the code: sending it once the assistant runs pairs too.")
    TEST_LABEL = "Wait for /start"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.code = self.draft.get("telegram.pairing_code") or checks.pairing_code()
        self.owner = int(self.draft.get("telegram.owner_id") or 0)
        self.stop = threading.Event()

    @classmethod
    def skip(cls, draft: Any) -> bool:
        return not draft.get("telegram.token")

    def fields(self) -> Iterable[Widget]:
        bot = self.wizard.memo.get("bot") or {}
        to = f"@{bot['username']}" if bot.get("username") else "your bot"
        if self.owner:
            yield Static(good(f"Paired: the owner is Telegram user {self.owner}. Next keeps it; Wait pairs "
                              "someone else (you, on a new account)."), id="current")
        yield Static(plain(f"Send to {to}:", "bold"), id="to")
        yield Static(plain(f"    /start {self.code}", "bold reverse"), id="code")

    def mounted(self) -> None:
        super().mounted()
        if not (self.wizard.memo.get("bot") or {}).get("username"):
            self.run_worker(self._lookup, thread=True, name="lookup")

    def _lookup(self) -> None:
        """The bot's @name for the instruction (the Telegram step's Test may not have run)."""
        try:
            bot = checks.telegram_bot(self.draft.get("telegram.base_url"), self.draft.get("telegram.token"), timeout=5)
        except checks.CheckFailed:
            return
        self.wizard.memo["bot"] = bot
        self.app.call_from_thread(self._show_bot, str(bot.get("username")))

    def _show_bot(self, username: str) -> None:
        if self.is_mounted:
            self.query_one("#to", Static).update(plain(f"Send to @{username}:", "bold"))

    def test(self) -> Any:
        self.stop.clear()
        self.app.call_from_thread(self.outcome, plain("waiting for /start … (Esc quits, Next skips)", "italic"))
        found = checks.wait_for_start(self.draft.get("telegram.base_url"), self.draft.get("telegram.token"),
                                      self.code, self.stop, poll_seconds=3)
        if found is None:
            if self.stop.is_set():
                return None
            raise checks.CheckFailed("nothing arrived within 10 minutes: check you sent it to the right bot, "
                                     "then Wait again")
        self.owner = found.user_id
        return good(f"paired with {found.name} (user {found.user_id}): Next saves it")

    def save(self) -> None:
        self.stop.set()
        if self.owner:
            self.draft.set("telegram.owner_id", self.owner)
            if self.draft.get("telegram.pairing_code"):
                self.draft.set("telegram.pairing_code", "")
        else:
            self.draft.set("telegram.pairing_code", self.code)
            self.draft.notes["pairing"] = f"once the assistant runs, send /start {self.code} to your bot to pair"
            return
        self.draft.notes.pop("pairing", None)

    def action_back(self) -> None:
        self.stop.set()
        super().action_back()

    def on_unmount(self) -> None:
        self.stop.set()

    def test_failed(self, message: str) -> None:
        self.outcome(bad(message))
