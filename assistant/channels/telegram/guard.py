"""Owner only: the guard in front of every handler, and pairing with a one-time code.

With `[telegram] owner_id` set, that user (in their private chat with the bot) is the owner. With 0, the
first person to send `/start CODE` — the configured `pairing_code`, or a random one printed when the bot
starts — becomes the owner; the user id and chat are stored in the settings table and the code is used up.

Anyone else gets at most one short refusal (remembered per user) and causes no other API call, no stored
text and no log line with their words. A button tapped by someone else (the owner's message with its
keyboard forwarded to them) is answered with a short refusal on the button itself, every time, and nothing
is sent to any chat: the message the query carries may be the owner's own chat.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import sys
from dataclasses import dataclass

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from assistant.channels.telegram.send import Sender
from assistant.config import TelegramSection
from assistant.core.render import Reply
from assistant.usecases.bookkeeping import Bookkeeping

log = logging.getLogger(__name__)

OWNER_KEY = "telegram.owner"
REFUSED_KEY = "telegram.refused"
USED_CODES_KEY = "telegram.used_pairing_codes"
MAX_REMEMBERED = 10_000
MAX_PAIRING_TRIES = 5
REFUSAL = "Sorry, this is a private assistant."
NOT_PAIRED = ("This assistant isn't paired yet. Its owner sends /start CODE with the code shown where "
              "`assistant run` started.")
WRONG_CODE = "That pairing code isn't right. The code is shown where `assistant run` started."


@dataclass
class Owner:
    user_id: int
    chat_id: int


class Guard:
    def __init__(self, settings: TelegramSection, book: Bookkeeping, sender: Sender):
        self.settings = settings
        self.book = book
        self.sender = sender
        self.code: str | None = None
        self._tries: dict[int, int] = {}
        self.owner = self._load_owner()

    def _load_owner(self) -> Owner | None:
        if self.settings.owner_id:
            stored = self.book.get(OWNER_KEY) or {}
            chat = stored.get("chat_id") if stored.get("user_id") == self.settings.owner_id else None
            return Owner(self.settings.owner_id, chat or self.settings.owner_id)
        stored = self.book.get(OWNER_KEY)
        return Owner(stored["user_id"], stored["chat_id"]) if stored else None

    def prepare_pairing(self, bot_username: str | None) -> None:
        """With no owner yet, make the one-time code and show it on standard error (not in the JSON log)."""
        if self.owner is not None:
            return
        code = self.settings.pairing_code.strip()
        if code and _digest(code) in (self.book.get(USED_CODES_KEY) or []):
            log.warning("the configured pairing code was used already; using a random one")
            code = ""
        self.code = code or "-".join(secrets.token_hex(2) for _ in range(3))
        where = f" to @{bot_username}" if bot_username else ""
        print(f"Nobody is paired yet: send  /start {self.code}  {where} in Telegram to become the owner.",
              file=sys.stderr, flush=True)
        log.info("waiting for pairing", extra={"configured_code": bool(self.settings.pairing_code)})

    def is_owner(self, update: Update) -> bool:
        user, chat = update.effective_user, update.effective_chat
        if self.owner is None or user is None or user.id != self.owner.user_id:
            return False
        return chat is None or chat.type == "private"

    async def check(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Group -1: let the owner through; pair, refuse once, or drop everything else."""
        if self.is_owner(update):
            if self.owner is not None and update.effective_chat and self.owner.chat_id != update.effective_chat.id:
                self._remember_owner(update.effective_chat.id)
            return
        if update.callback_query is not None:
            await self.sender.answer(update.callback_query, REFUSAL)
            log.info("button from someone else refused", extra={"update_id": update.update_id})
            raise ApplicationHandlerStop
        chat = update.effective_chat
        user = update.effective_user
        private = chat is not None and chat.type == "private" and user is not None and chat.id == user.id
        if self.owner is None and private and user is not None and update.message and update.message.text:
            await self._try_pairing(update, user.id, chat.id, update.message.text)
        elif private and user is not None and not user.is_bot:
            await self._refuse_once(chat.id, user.id, NOT_PAIRED if self.owner is None else REFUSAL)
        log.info("update from someone else ignored", extra={"update_id": update.update_id})
        raise ApplicationHandlerStop

    async def _try_pairing(self, update: Update, user_id: int, chat_id: int, text: str) -> None:
        words = text.split()
        if not words or words[0].split("@")[0] != "/start":
            await self._refuse_once(chat_id, user_id, NOT_PAIRED)
            return
        given = words[1] if len(words) > 1 else ""
        if self.code and given and hmac.compare_digest(given.encode(), self.code.encode()):
            self._pair(user_id, chat_id)
            await self.sender.send(chat_id, Reply("Paired ✅ — you are the owner of this assistant now.\n"
                                                  "Send a request such as “Lunch with Anna tomorrow at 1pm”, "
                                                  "a voice note, or a forwarded message. /help lists commands."))
            return
        tries = self._tries.get(user_id, 0) + 1
        self._tries[user_id] = tries
        log.warning("wrong pairing code", extra={"update_id": update.update_id, "tries": tries})
        if tries <= MAX_PAIRING_TRIES:
            await self.sender.send(chat_id, Reply(WRONG_CODE))

    def _pair(self, user_id: int, chat_id: int) -> None:
        used = list(self.book.get(USED_CODES_KEY) or [])
        if self.code:
            used.append(_digest(self.code))
        self.book.set_many({OWNER_KEY: {"user_id": user_id, "chat_id": chat_id}, USED_CODES_KEY: used[-100:]})
        self.owner = Owner(user_id, chat_id)
        self.code = None
        log.info("paired with the owner")

    def _remember_owner(self, chat_id: int) -> None:
        assert self.owner is not None
        self.owner = Owner(self.owner.user_id, chat_id)
        self.book.set(OWNER_KEY, {"user_id": self.owner.user_id, "chat_id": chat_id})

    async def _refuse_once(self, chat_id: int, user_id: int, text: str) -> None:
        refused = self.book.get(REFUSED_KEY) or []
        if user_id in refused:
            return
        self.book.set(REFUSED_KEY, (refused + [user_id])[-MAX_REMEMBERED:])
        await self.sender.send(chat_id, Reply(text))


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
