"""The bot's handlers: text, voice, forwarded messages, button taps and commands.

Each one turns a Telegram update into a use-case call (run on the runtime's worker thread, so SQLite and
calendar I/O never block the event loop) and the `Reply` back into a message. Only the owner gets here: the guard
in group -1 stops everyone else.
"""
from __future__ import annotations

import logging
from datetime import date
import re
import time
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import (Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler,
                          TypeHandler, filters)

from assistant import status
from assistant.channels.telegram.guard import Guard
from assistant.channels.telegram.media import (MAX_DOWNLOAD, chat_action, file_name, media_of, origin_name,
                                               too_big_text)
from assistant.channels.telegram.send import Sender
from assistant.config import Config
from assistant.core.render import Reply
from assistant.errors import StoreError
from assistant.usecases import UseCases
from assistant.usecases.notes import FORGET, MORE, Listing

log = logging.getLogger(__name__)

Runner = Callable[..., Awaitable[Any]]
DEBOUNCE_SECONDS = 5.0
"""A second tap on the same button of the same message within this time is a double tap."""
EDIT_IN_PLACE = {"calendars", "alternatives", "preview"}
APPENDING = {"create", "cancel", "apply", "undo", "retry", "to_local", "drop", "done"}
"""Actions whose result is added below the message's text (the card stays readable in the chat); a
second tap on one of them within DEBOUNCE_SECONDS is ignored."""

COMMANDS = [
    ("today", "Today's events"),
    ("tomorrow", "Tomorrow's events"),
    ("week", "The next 7 days, as a picture"),
    ("agenda", "Upcoming events (/agenda 30 = 30 days)"),
    ("pending", "Writes and voice notes still waiting"),
    ("undo", "Undo the last created item (within an hour)"),
    ("cancel", "Drop the open preview"),
    ("notes", "Your notes, newest first (/notes wifi searches)"),
    ("reminders", "Upcoming reminders (🗑 cancels one)"),
    ("contacts", "People and their e-mail addresses"),
    ("sync", "Sync connected calendars now"),
    ("settings", "What the assistant works with"),
    ("timezone", "Show or set your time zone"),
    ("status", "How the assistant is doing: integrations, outbox, metrics"),
    ("help", "How to use the assistant"),
]
AGENDA_MESSAGE_KEY = "telegram.agenda_message"
"""Which message is today's agenda (set by the bot when it sends one)."""
HELP = """Send me a request in plain words, dictate a voice note, or forward a message or an e-mail:
• Lunch with Anna tomorrow at 1pm
• Remind me to call mom at 6pm
• Team sync every Monday at 10
• What do I have on Friday?
• Move the dentist to Thursday 3pm · Cancel lunch with Anna

I answer with a preview: ✅ Create writes it, ✏️ Edit (or just reply “make it 4pm”, “add Boris”, “45 minutes”, “at the office”, “every Monday”) changes it, Calendar ▸ picks another calendar, Alternatives offers free slots when it clashes.

/today /tomorrow /week /agenda — what's planned (/week or “show me my week” as a picture)
/pending — what is still waiting · /undo — undo the last one (for an hour) · /cancel — drop the preview
/notes — your notes (/notes wifi searches; reply “delete” or “add: …” to a note) · /reminders — upcoming, 🗑 cancels
/sync — refresh connected calendars now · /status — how I am doing
/contacts Boris boris@example.com — who is who · /settings · /timezone Europe/Berlin"""


class Handlers:
    def __init__(self, config: Config, usecases: UseCases, sender: Sender, guard: Guard, run: Runner):
        self.config = config
        self.u = usecases
        self.sender = sender
        self.guard = guard
        self.run = run
        self._taps: dict[tuple[int, int, str], float] = {}
        self.storage_error: StoreError | None = None
        """Set by the error handler when an update failed for want of storage: it must be handled again."""
        self._told_storage = False

    def storage_recovered(self) -> None:
        """Storage works again: the next outage is told to the owner again."""
        self._told_storage = False

    def install(self, app: Application) -> None:
        app.add_handler(TypeHandler(Update, self.guard.check), group=-1)
        app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, self.on_edited))
        commands = {"start": self.on_start, "help": self.on_help, "today": self._agenda_command("today"),
                    "tomorrow": self._agenda_command("tomorrow"), "week": self._agenda_command("week"),
                    "agenda": self.on_agenda, "pending": self.on_pending, "settings": self.on_settings,
                    "timezone": self.on_timezone, "undo": self.on_undo, "cancel": self.on_cancel,
                    "sync": self.on_sync,
                    "contacts": self.on_contacts, "notes": self.on_notes, "reminders": self.on_reminders,
                    "status": self.on_status}
        for name, callback in commands.items():
            app.add_handler(CommandHandler(name, callback))
        app.add_handler(MessageHandler(filters.VOICE | filters.AUDIO | filters.VIDEO_NOTE, self.on_voice))
        app.add_handler(MessageHandler(filters.FORWARDED & (filters.TEXT | filters.CAPTION), self.on_forward))
        app.add_handler(MessageHandler(filters.COMMAND, self.on_help))
        app.add_handler(MessageHandler(filters.TEXT, self.on_text))
        app.add_handler(CallbackQueryHandler(self.on_callback))
        app.add_handler(MessageHandler(filters.ALL, self.on_other))
        app.add_error_handler(self.on_error)

    # ── messages ────────────────────────────────────────────────────────────────────────────
    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        chat_id = message.chat_id
        replied = message.reply_to_message
        if replied is not None:
            answer = await self.run(self.u.notes.on_reply, chat_id, replied.message_id, message.text)
            if answer is not None:   # "delete" / "add: …" in reply to a stored note
                await self.deliver(chat_id, answer)
                return
            item_id = await self.run(self.u.bookkeeping.item_for_message, chat_id, replied.message_id)
            if item_id:
                await self.run(self.u.proposals.focus, chat_id, item_id)
        about = await self._agenda_day(replied.message_id) if replied is not None else None
        reply = await self.run(self.u.conversation.handle_text, chat_id, message.text, None, False, about)
        if reply.item_id:
            await self.run(self.u.bookkeeping.remember_source, reply.item_id, message.message_id)
        await self.deliver(chat_id, reply)

    async def _agenda_day(self, message_id: int) -> date | None:
        """The day of the daily agenda this message is, if it is one (a reply to it is about that day)."""
        agenda = await self.run(self.u.bookkeeping.get, AGENDA_MESSAGE_KEY)
        if not agenda or agenda.get("message_id") != message_id:
            return None
        return date.fromisoformat(agenda["day"])

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The owner corrected a message they sent: when it made the preview that is still open, that
        preview is read again from the new text; otherwise they are told the edit changes nothing."""
        message = update.effective_message
        if message is None or not message.text:
            return
        item_id = await self.run(self.u.bookkeeping.item_for_source, message.chat_id, message.message_id)
        reply = await self.run(self.u.conversation.reread, message.chat_id, item_id, message.text)
        await self.deliver(message.chat_id, reply)

    async def on_forward(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        owner = self.guard.owner.user_id if self.guard.owner else None
        sender = origin_name(message, owner)
        text = message.text or message.caption or ""
        reply = await self.run(self.u.conversation.handle_forward, message.chat_id, text, sender)
        await self.deliver(message.chat_id, reply)

    async def on_voice(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        found = media_of(message)
        if found is None:
            return
        media, kind = found
        size = media.file_size or 0
        log.info("voice received", extra={"kind": kind, "bytes": size, "seconds": getattr(media, "duration", None)})
        if size > MAX_DOWNLOAD:
            await self.sender.send(message.chat_id, Reply(too_big_text(size)))
            return
        async with chat_action(self.sender.bot.send_chat_action, message.chat_id, ChatAction.TYPING):
            path = await self._download(message, media, kind)
            if path is None:
                return
            sender = None
            if message.forward_origin is not None:
                sender = origin_name(message, self.guard.owner.user_id if self.guard.owner else None)
            reply = await self.run(self.u.voice.transcribe, message.chat_id, media.file_unique_id, path, sender)
        await self.deliver(message.chat_id, reply)

    async def _download(self, message: Message, media: Any, kind: str) -> Path | None:
        path = self.u.voice.path_for(file_name(media, kind))
        started = time.perf_counter()
        try:
            file = await self.sender.call(lambda: media.get_file(), "getFile")
            await file.download_to_drive(path)
        except (TelegramError, OSError) as exc:
            log.warning("voice download failed", extra={"error": type(exc).__name__, "detail": _safe(exc)})
            text = (too_big_text(media.file_size or MAX_DOWNLOAD + 1) if "too big" in str(exc).lower()
                    else "I couldn't download that recording from Telegram — please send it again.")
            await self.sender.send(message.chat_id, Reply(text))
            return None
        await self.run(self.u.voice.keep, media.file_unique_id, path, message.chat_id)
        log.info("voice saved", extra={"bytes": path.stat().st_size,
                                       "ms": round(1000 * (time.perf_counter() - started), 1)})
        return path

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        await self.sender.send(message.chat_id, Reply(
            "I read text, voice notes, audio files and forwarded messages — send your request as one of those."))

    # ── sending ─────────────────────────────────────────────────────────────────────────────
    async def deliver(self, chat_id: int, reply: Reply) -> Message | None:
        """Send a reply; a new preview replaces the item's older one, whose buttons are removed."""
        if isinstance(reply, Listing):
            return await self.send_listing(chat_id, reply)
        message = await self.sender.send(chat_id, reply)
        if reply.item_id is not None:
            shown = message.message_id if message is not None and reply.is_preview else None
            previous = await self.run(self.u.bookkeeping.remember_message, reply.item_id, shown)
            if previous:
                await self.sender.strip_keyboard(chat_id, previous)
        for extra in reply.more:
            await self.deliver(chat_id, extra)
        return message

    async def send_listing(self, chat_id: int, listing: Listing) -> Message | None:
        """A page of notes: one message per note (a reply to one means that note), buttons on the last."""
        message = None
        for part in listing.parts or [listing]:
            message = await self.sender.send(chat_id, Reply(part.text, part.buttons))
            if message is not None and part.item_id:
                await self.run(self.u.notes.shown, chat_id, message.message_id, part.item_id)
        return message

    # ── buttons ─────────────────────────────────────────────────────────────────────────────
    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        token, _, index = (query.data or "").partition(".")
        entry = await self.run(self.u.bookkeeping.buttons, token) if token else None
        actions = entry["actions"] if entry else []
        if not index.isdigit() or int(index) >= len(actions) or not isinstance(query.message, Message):
            await self.sender.answer(query, "This button has expired — please send the request again.")
            return
        action, item_id = actions[int(index)], entry.get("item")
        message = query.message
        chat_id = message.chat_id
        if action in APPENDING and self._double_tap(chat_id, message.message_id, action):
            await self.sender.answer(query, "Already on it…")
            return
        if action == "create" and item_id and await self.run(self.u.proposals.is_done, item_id):
            await self.sender.answer(query, "Already done ✅")
            return
        await self.sender.answer(query)
        log.info("button", extra={"action": action.split(":")[0]})
        await self.dispatch(chat_id, message, action, item_id)

    def _double_tap(self, chat_id: int, message_id: int, action: str) -> bool:
        now = time.monotonic()
        key = (chat_id, message_id, action)
        last = self._taps.get(key)
        self._taps = {k: t for k, t in self._taps.items() if now - t < DEBOUNCE_SECONDS}
        self._taps[key] = now
        return last is not None and now - last < DEBOUNCE_SECONDS

    async def dispatch(self, chat_id: int, message: Message, action: str, item_id: str | None) -> None:
        proposals = self.u.proposals
        if action == "retry_voice":
            await self.retry_voice(chat_id)
            return
        if action.startswith((MORE, FORGET)):   # a listing's More ▸ (new messages) or a reminder's 🗑 (in place)
            reply = await self.run(self.u.notes.action, chat_id, action)
            if action.startswith(MORE):
                await self.sender.strip_keyboard(chat_id, message.message_id)
                await self.deliver(chat_id, reply)
            else:
                await self.sender.edit(chat_id, message.message_id, reply)
            return
        if item_id is None:
            return
        if action == "edit":
            reply = await self.run(proposals.start_edit, chat_id, item_id)
            await self.sender.send(chat_id, reply, reply_to=message.message_id)
            return
        simple: dict[str, Callable[..., Reply]] = {
            "calendars": proposals.show_calendars, "alternatives": proposals.show_alternatives,
            "preview": proposals.refresh, "create": proposals.confirm, "cancel": proposals.drop,
            "apply": self.u.changes.apply, "undo": proposals.undo, "retry": proposals.retry,
            "to_local": proposals.to_local, "drop": proposals.drop}
        if action in simple:
            reply = await self.run(simple[action], chat_id, item_id)
        elif action == "done":
            reply = await self.run(self.u.reminders.done, item_id)
        elif action.startswith("snooze:"):
            reply = await self.run(self.u.reminders.snooze, item_id, action.split(":", 1)[1])
        elif action.startswith("target:"):
            reply = await self.run(proposals.choose_target, chat_id, item_id, action.split(":", 1)[1])
        elif action.startswith("slot:") and action[5:].isdigit():
            reply = await self.run(proposals.choose_alternative, chat_id, item_id, int(action[5:]))
        else:
            log.warning("unknown button action")
            return
        appended = action in APPENDING or action.startswith("snooze:")
        prefix = (message.text_html + "\n\n") if appended and message.text else ""
        await self.sender.edit(chat_id, message.message_id, reply, prefix)
        if reply.is_preview and reply.item_id:
            await self.run(self.u.bookkeeping.remember_message, reply.item_id, message.message_id)

    async def retry_voice(self, chat_id: int) -> None:
        rows = await self.run(self.u.voice.waiting)
        if not rows:
            await self.sender.send(chat_id, Reply("No voice notes are waiting."))
            return
        for row in rows:
            async with chat_action(self.sender.bot.send_chat_action, chat_id, ChatAction.TYPING):
                reply = await self.run(self.u.voice.transcribe, chat_id, row["id"], Path(row["path"]))
            await self.deliver(chat_id, reply)

    # ── commands ────────────────────────────────────────────────────────────────────────────
    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.sender.send(update.effective_chat.id, Reply("Hello! I'm your assistant.\n\n" + HELP))

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.sender.send(update.effective_chat.id, Reply(HELP))

    def _agenda_command(self, name: str) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]:
        async def command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            reply = await self.run(getattr(self.u.agenda, name))
            await self.sender.send(update.effective_chat.id, reply)
        return command

    async def on_agenda(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        days = int(context.args[0]) if context.args and context.args[0].isdigit() else 14
        await self.sender.send(update.effective_chat.id, await self.run(self.u.agenda.upcoming, days))

    async def on_notes(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        await self.deliver(chat_id, await self.run(self.u.notes.list, chat_id, " ".join(context.args or [])))

    async def on_reminders(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        await self.sender.send(chat_id, await self.run(self.u.notes.reminders, chat_id))

    async def on_pending(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.sender.send(update.effective_chat.id, await self.run(self.u.commands.pending))

    async def on_sync(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.sender.send(update.effective_chat.id, await self.run(self.u.commands.sync))

    async def on_status(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.sender.send(update.effective_chat.id, await self.run(status.reply, self.u))

    async def on_settings(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.sender.send(update.effective_chat.id, await self.run(self.u.commands.settings))

    async def on_timezone(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        name = " ".join(context.args or [])
        await self.sender.send(update.effective_chat.id, await self.run(self.u.commands.timezone, name))

    async def on_contacts(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        args = " ".join(context.args or [])
        await self.sender.send(update.effective_chat.id, await self.run(self.u.commands.contacts, args))

    async def on_undo(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.sender.send(update.effective_chat.id,
                               await self.run(self.u.proposals.undo_last, update.effective_chat.id))

    async def on_cancel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        await self.deliver(chat_id, await self.run(self.u.proposals.cancel_pending, chat_id))

    # ── errors ──────────────────────────────────────────────────────────────────────────────
    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log where it failed (type and place, never the message) and tell the owner."""
        error = context.error
        frame = traceback.extract_tb(error.__traceback__)[-1] if error and error.__traceback__ else None
        log.error("handler failed", extra={
            "error": type(error).__name__, "where": f"{Path(frame.filename).name}:{frame.lineno}" if frame else "",
            "update_id": getattr(update, "update_id", None)})
        try:
            await self.run(status.record_error, self.u, "handler", type(error).__name__)
        except Exception:  # noqa: BLE001 (counting it must not hide the failure itself)
            pass
        if isinstance(error, StoreError):
            self.storage_error = error
            await self.report_storage(error)
            return
        if isinstance(update, Update) and self.guard.is_owner(update) and update.effective_chat:
            await self._tell(update.effective_chat.id, Reply(
                "Sorry — something went wrong on my side with that. Please try again; /pending shows "
                "anything still waiting."))

    async def report_storage(self, error: StoreError) -> None:
        """Tell the owner, once per outage, that nothing can be stored right now."""
        owner = self.guard.owner
        if self._told_storage or owner is None:
            return
        self._told_storage = True
        await self._tell(owner.chat_id, Reply(f"💾 {error} I'll handle your messages as soon as it works again; "
                                              "nothing you confirmed is lost."))

    async def _tell(self, chat_id: int, reply: Reply) -> None:
        try:
            await self.sender.send(chat_id, reply)
        except TelegramError as exc:
            log.warning("error notice not sent", extra={"error": type(exc).__name__})


def _safe(exc: BaseException) -> str:
    """An error's message for the log, without the bot token that file URLs carry."""
    text = str(exc)
    return re.sub(r"bot\d+:[A-Za-z0-9_-]+", "bot<token>", text)[:200]
