"""Turning `Reply` values into Telegram messages: HTML with escaping, parts of at most 4,096 characters as
Telegram counts them (`html_split`), inline keyboards whose callback_data is a short opaque token, and the
Bot API's flood control.

Every call goes through `Sender.call`, which waits out a `RetryAfter` and tries once more, and treats
"message is not modified" as success (a refresh that changed nothing).
"""
from __future__ import annotations

import asyncio
import html
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any, TypeVar

from telegram import (Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message,
                      ReplyParameters)
from telegram.constants import ParseMode
from telegram.error import BadRequest, RetryAfter

from assistant.channels.telegram.html_split import MAX_TEXT, split_html, visible_length
from assistant.core.render import Button, Reply
from assistant.usecases.bookkeeping import Bookkeeping

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_RETRY_WAIT = 60.0
HIGHLIGHTED = ("create", "apply", "preview", "target:", "slot:")
"""Replies with these buttons are previews, their variants or questions: the first line (the title) is bold."""
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
MAX_CAPTION = 1024
"""Telegram's limit for a photo's caption, counted like a message's text."""


def to_html(reply: Reply) -> str:
    """The reply as Telegram HTML: every character of user-derived text escaped."""
    lines = reply.text.split("\n")
    escaped = [html.escape(line, quote=False) for line in lines]
    if escaped and escaped[0] and any(b.action.startswith(HIGHLIGHTED) for row in reply.buttons for b in row):
        escaped[0] = f"<b>{escaped[0]}</b>"
    return "\n".join(escaped)


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter.retry_after is an int or a timedelta depending on PTB_TIMEDELTA; read it quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    return max(0.0, min(seconds, MAX_RETRY_WAIT))


def is_not_modified(exc: BadRequest) -> bool:
    return "message is not modified" in str(exc).lower()


class Sender:
    def __init__(self, bot: Bot, book: Bookkeeping):
        self.bot = bot
        self.book = book

    async def call(self, make: Callable[[], Awaitable[T]], what: str) -> T | None:
        """One API call: wait out flood control and retry once; "not modified" is a no-op."""
        for attempt in (1, 2):
            try:
                return await make()
            except RetryAfter as exc:
                wait = retry_seconds(exc)
                log.warning("flood control", extra={"method": what, "retry_after": wait, "attempt": attempt})
                if attempt == 2:
                    raise
                await asyncio.sleep(wait)
            except BadRequest as exc:
                if is_not_modified(exc):
                    return None
                raise
        return None

    def keyboard(self, reply: Reply, chat_id: int) -> InlineKeyboardMarkup | None:
        """Inline buttons; one SQLite token per keyboard, each button's data is "<token>.<index>"."""
        if not reply.buttons:
            return None
        actions = [b.action for row in reply.buttons for b in row]
        token = self.book.new_buttons(reply.item_id, actions, chat_id)
        rows, index = [], 0
        for row in reply.buttons:
            buttons = []
            for button in row:
                buttons.append(InlineKeyboardButton(_label(button), callback_data=f"{token}.{index}"))
                index += 1
            rows.append(buttons)
        return InlineKeyboardMarkup(rows)

    async def send(self, chat_id: int, reply: Reply, reply_to: int | None = None) -> Message | None:
        """Send a reply (in parts when long); returns the last message, which carries the keyboard."""
        if reply.photo is not None:
            return await self.send_photo(chat_id, reply, reply_to)
        parts = split_html(to_html(reply))
        markup = self.keyboard(reply, chat_id)
        message = None
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            message = await self.call(lambda part=part, last=last: self.bot.send_message(
                chat_id, part, parse_mode=ParseMode.HTML, reply_markup=markup if last else None,
                link_preview_options=NO_PREVIEW,
                reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True)
                if reply_to and i == 0 else None), "sendMessage")
        return message

    async def send_photo(self, chat_id: int, reply: Reply, reply_to: int | None = None) -> Message | None:
        """The reply's picture with its text as the caption (HTML, escaped). A text longer than a caption may
        be (1,024 characters) follows as its own message(s); the picture is then captioned with its first line."""
        text = to_html(reply)
        fits = visible_length(text) <= MAX_CAPTION
        caption = text if fits else (split_html(text.split("\n", 1)[0], MAX_CAPTION) or [""])[0]
        markup = self.keyboard(reply, chat_id) if fits else None
        message = await self.call(lambda: self.bot.send_photo(
            chat_id, reply.photo, caption=caption or None, parse_mode=ParseMode.HTML, reply_markup=markup,
            filename="week.png", reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True)
            if reply_to else None), "sendPhoto")
        if not fits:
            message = await self.send(chat_id, replace(reply, photo=None))
        return message

    async def edit(self, chat_id: int, message_id: int, reply: Reply, prefix_html: str = "") -> None:
        """Replace a message's text and keyboard (a refreshed preview); too long, or a picture → send instead."""
        text = prefix_html + to_html(reply)
        if visible_length(text) > MAX_TEXT or reply.photo is not None:
            await self.send(chat_id, reply)
            return
        markup = self.keyboard(reply, chat_id)
        await self.call(lambda: self.bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML, reply_markup=markup,
            link_preview_options=NO_PREVIEW), "editMessageText")

    async def strip_keyboard(self, chat_id: int, message_id: int) -> None:
        """Remove the buttons of an outdated preview; a message that is gone or unchanged is fine."""
        try:
            await self.call(lambda: self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id,
                                                                       reply_markup=None),
                            "editMessageReplyMarkup")
        except BadRequest as exc:
            log.info("old keyboard not removed", extra={"error": type(exc).__name__})

    async def action(self, chat_id: int, action: str) -> None:
        await self.call(lambda: self.bot.send_chat_action(chat_id, action), "sendChatAction")

    async def answer(self, query: Any, text: str | None = None) -> None:
        """Answer a callback query (stops the button's spinner); a stale query is not an error."""
        try:
            await self.call(lambda: query.answer(text), "answerCallbackQuery")
        except BadRequest as exc:
            log.info("callback answer failed", extra={"error": type(exc).__name__})


def _label(button: Button) -> str:
    """Telegram shows about 64 characters of a button; longer labels are shortened."""
    return button.label if len(button.label) <= 60 else button.label[:59] + "…"
