"""What a channel must remember between messages, kept in the store on its behalf: its own settings
(the Telegram offset, the paired owner), button tokens, and which message shows which item.

Channels call this instead of touching the store, so the store stays the use cases' business.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from assistant.store import Store

log = logging.getLogger(__name__)

BUTTON_TTL = timedelta(days=14)
"""Button tokens of older messages are forgotten; their taps then answer "expired"."""


class Bookkeeping:
    def __init__(self, store: Store):
        self._store = store

    # settings a channel keeps (namespaced keys such as "telegram.offset")
    def get(self, key: str, default: Any = None) -> Any:
        return self._store.settings.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self._store.settings.set(key, value)

    def set_many(self, values: dict[str, Any]) -> None:
        """Several settings at once, atomically."""
        with self._store.transaction():
            for key, value in values.items():
                self._store.settings.set(key, value)

    # buttons: Telegram's callback_data holds 64 bytes, so a tap carries a short token
    def new_buttons(self, item_id: str | None, actions: list[str], chat_id: int | None) -> str:
        return self._store.callbacks.new({"item": item_id, "actions": actions}, chat_id)

    def buttons(self, token: str) -> dict | None:
        """{"item": id or None, "actions": [...]} for a token, None when unknown or forgotten."""
        return self._store.callbacks.get(token)

    def prune_buttons(self, older_than: timedelta = BUTTON_TTL) -> int:
        removed = self._store.callbacks.prune(older_than)
        if removed:
            log.info("callback tokens pruned", extra={"count": removed})
        return removed

    # the message showing an item's preview
    def remember_message(self, item_id: str, message_id: int | None) -> int | None:
        """The channel's message now showing the item; returns the older one it replaces, if any."""
        return self._store.items.set_message(item_id, message_id)

    def item_for_message(self, chat_id: int, message_id: int) -> str | None:
        return self._store.items.for_message(chat_id, message_id)

    # the owner's message an item was read from (an edit of that message reads it again)
    def remember_source(self, item_id: str, message_id: int) -> None:
        """Kept only for the message that made the item, not for later replies that edited it."""
        self._store.items.set_source(item_id, message_id)

    def item_for_source(self, chat_id: int, message_id: int) -> str | None:
        return self._store.items.for_source(chat_id, message_id)
