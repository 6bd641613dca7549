"""`assistant run`: the python-telegram-bot Application and our own long-polling loop, over the runtime.

Why our own getUpdates loop instead of PTB's Updater: the Bot API confirms an update only when a later
getUpdates passes its id as offset, and PTB's Updater asks for the next batch before the current one is
handled. We store the last *handled* update id in SQLite after each update and poll from there, so a crash
or restart neither loses an update nor handles one twice (a crash in the middle of one repeats just that
one, and confirming twice is harmless).

Updates are handled one at a time, in order: "yes" can never overtake the request it answers. Use-case
calls (SQLite, calendar writes) run on the runtime's worker thread, so they never block the event loop;
background jobs (reminders, retries, sync) belong to the runtime, which reports through `notify`.

When the database cannot be written (a full disk), the update that failed is not confirmed: the owner is
told once, polling pauses with backoff, and the same update is handled again once storage works.
"""
from __future__ import annotations

import asyncio
import logging
import signal
import sys
import threading
import time

from telegram import BotCommand, Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from assistant.channels.telegram.guard import Guard
from assistant.channels.telegram.handlers import AGENDA_MESSAGE_KEY, COMMANDS, Handlers
from assistant.channels.telegram.send import Sender, retry_seconds
from assistant.config import Config
from assistant.core.render import Reply
from assistant.errors import StoreError
from assistant.logs import correlated
from assistant.runtime import Runtime
from assistant.usecases import UseCases

log = logging.getLogger(__name__)

OFFSET_KEY = "telegram.offset"
POLL_TIMEOUT = 25
"""Seconds a getUpdates long poll waits for news (Telegram allows up to 50)."""
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
MAX_BACKOFF = 60.0
NOTIFY_TIMEOUT = 60.0


def build_application(config: Config) -> Application:
    """The PTB Application, pointed at `base_url` / `base_file_url` (the real API, a local one, or a fake)."""
    return (Application.builder().token(config.telegram.token)
            .base_url(config.telegram.base_url).base_file_url(config.telegram.base_file_url)
            .updater(None).concurrent_updates(False)
            .connect_timeout(10).read_timeout(30).write_timeout(30).pool_timeout(10)
            .build())


class TelegramBot:
    def __init__(self, config: Config, usecases: UseCases, poll_timeout: int = POLL_TIMEOUT):
        self.config = config
        self.book = usecases.bookkeeping
        self.poll_timeout = poll_timeout
        self.application = build_application(config)
        self.sender = Sender(self.application.bot, self.book)
        self.guard = Guard(config.telegram, self.book, self.sender)
        self.runtime = Runtime(usecases, self.notify_from_job, can_notify=lambda: self.guard.owner is not None)
        self.run_sync = self.runtime.call
        self.handlers = Handlers(config, usecases, self.sender, self.guard, self.run_sync)
        self.handlers.install(self.application)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stopping: asyncio.Event | None = None
        self._stop: threading.Event | None = None

    def stopped(self) -> bool:
        """Asked to stop: by a signal, or (checked directly, so between two updates) by the caller's event."""
        return bool(self.stopping and self.stopping.is_set() or self._stop and self._stop.is_set())

    # ── lifecycle ───────────────────────────────────────────────────────────────────────────
    async def serve(self, stop: threading.Event | None = None) -> int:
        """Start, poll until stopped (signal or `stop`), shut down; the exit code for the CLI."""
        self.stopping = asyncio.Event()
        self.loop = asyncio.get_running_loop()
        self._stop = stop
        watchers = self._watch_stop(stop)
        try:
            if not await self._initialize():
                return 0 if self.stopping.is_set() else 1
            try:
                await self._announce()
                await asyncio.to_thread(self.runtime.start)
                await self.poll()
            finally:
                await self._shutdown()
        except InvalidToken:
            print("error: Telegram refused the bot token — check [telegram] token (from @BotFather)",
                  file=sys.stderr)
            return 1
        finally:
            for task in watchers:
                task.cancel()
        return 0

    def _watch_stop(self, stop: threading.Event | None) -> list[asyncio.Task]:
        assert self.stopping is not None
        loop = asyncio.get_running_loop()
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, self.stopping.set)
        if stop is None:
            return []

        async def watch() -> None:
            while not stop.is_set():
                await asyncio.sleep(0.05)
            self.stopping.set()

        return [asyncio.create_task(watch())]

    async def _initialize(self) -> bool:
        """getMe until it works (the network may come up after us); False when stopped first."""
        delay = 1.0
        while not self.stopping.is_set():
            try:
                await self.application.initialize()
                return True
            except InvalidToken:
                raise
            except (NetworkError, RetryAfter) as exc:
                log.warning("Telegram not reachable yet", extra={"error": type(exc).__name__, "retry_in": delay})
                await self._sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF)
        return False

    async def _announce(self) -> None:
        bot = self.application.bot
        await self.sender.call(lambda: bot.delete_webhook(drop_pending_updates=False), "deleteWebhook")
        await self.sender.call(lambda: bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS]),
                               "setMyCommands")
        self.guard.prepare_pairing(bot.username)
        log.info("bot started", extra={"bot_id": bot.id, "paired": self.guard.owner is not None,
                                       "offset": self.book.get(OFFSET_KEY)})

    async def _shutdown(self) -> None:
        await asyncio.to_thread(self.runtime.stop)
        await self.application.shutdown()
        log.info("bot stopped")

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but wake up at once when stopping."""
        try:
            await asyncio.wait_for(self.stopping.wait(), timeout=seconds)
        except asyncio.TimeoutError:
            return

    # ── polling ─────────────────────────────────────────────────────────────────────────────
    async def poll(self) -> None:
        """getUpdates from the last handled update on; store the offset after each one is handled."""
        offset = await self.run_sync(self.book.get, OFFSET_KEY)
        delay = 1.0
        while not self.stopping.is_set():
            try:
                updates = await self._fetch(offset)
            except RetryAfter as exc:
                await self._sleep(retry_seconds(exc))
                continue
            except Conflict:
                log.error("another process is polling this bot (or a webhook is set); retrying")
                await self._sleep(5)
                continue
            except NetworkError as exc:
                log.warning("getUpdates failed", extra={"error": type(exc).__name__, "retry_in": delay})
                await self._sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF)
                continue
            if updates is None:
                return
            delay = 1.0
            for update in updates:
                if not await self._handle_stored(update):
                    return
                offset = update.update_id
                if self.stopped():
                    return

    async def _handle_stored(self, update: Update) -> bool:
        """Handle the update and store its id as the offset; while storage fails, wait (backing off) and
        handle it again. False when asked to stop meanwhile."""
        delay = 1.0
        handled = False
        while not self.stopping.is_set():
            failed: StoreError | None = None
            if not handled:
                self.handlers.storage_error = None
                await self.handle(update)
                failed = self.handlers.storage_error
                handled = failed is None
            if handled:
                try:
                    await self.run_sync(self.book.set, OFFSET_KEY, update.update_id)
                    self.runtime.storage_ok()
                    self.handlers.storage_recovered()
                    return True
                except StoreError as exc:
                    failed = exc
            log.error("storage failed; update kept", extra={"update_id": update.update_id,
                                                            "error": type(failed).__name__, "retry_in": delay})
            await self.handlers.report_storage(failed)
            await self._sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF)
        return False

    async def _fetch(self, offset: int | None) -> tuple[Update, ...] | None:
        """One long poll that a stop interrupts (None then)."""
        fetch = asyncio.ensure_future(self.application.bot.get_updates(
            offset=offset + 1 if offset is not None else None, timeout=self.poll_timeout,
            allowed_updates=ALLOWED_UPDATES))
        stopped = asyncio.ensure_future(self.stopping.wait())
        done, _ = await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if fetch not in done:
            fetch.cancel()
            await asyncio.gather(fetch, return_exceptions=True)
            return None
        stopped.cancel()
        return fetch.result()

    async def handle(self, update: Update) -> None:
        """One update through the guard and handlers; failures are the error handler's business."""
        started = time.perf_counter()
        with correlated(f"u{update.update_id}"):
            try:
                await self.application.process_update(update)
            except Exception as exc:  # noqa: BLE001 (one bad update must not stop the bot)
                log.error("update failed", extra={"update_id": update.update_id, "error": type(exc).__name__})
            log.info("update handled", extra={"update_id": update.update_id,
                                              "ms": round(1000 * (time.perf_counter() - started), 1)})

    # ── notices from the runtime ────────────────────────────────────────────────────────────
    def notify_from_job(self, reply: Reply) -> None:
        """The runtime's `notify`, called on a job thread: send on the bot's loop and wait; raises when the
        message did not go out (so a reminder is put back)."""
        if self.loop is None or self.loop.is_closed():
            raise RuntimeError("the bot is not running")
        future = asyncio.run_coroutine_threadsafe(self.notify(reply, raise_errors=True), self.loop)
        future.result(NOTIFY_TIMEOUT)

    async def notify(self, reply: Reply, raise_errors: bool = False) -> None:
        """A message to the owner that is not an answer (reminders, delayed writes)."""
        owner = self.guard.owner
        if owner is None:
            return
        try:
            message = await self.sender.send(owner.chat_id, reply)
        except TelegramError as exc:
            if raise_errors:
                raise
            log.warning("notice not sent", extra={"error": type(exc).__name__})
            return
        if reply.day is not None and message is not None:   # a reply to the agenda is about its day
            await self.run_sync(self.book.set, AGENDA_MESSAGE_KEY,
                                {"message_id": message.message_id, "day": reply.day.isoformat()})


def run(config: Config, stop: threading.Event | None = None, poll_timeout: int = POLL_TIMEOUT) -> int:
    """`assistant run`: the bot until SIGINT/SIGTERM (or `stop`, for tests). Returns the exit code."""
    from assistant.usecases import build  # noqa: PLC0415

    try:
        usecases = build(config)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        return asyncio.run(TelegramBot(config, usecases, poll_timeout=poll_timeout).serve(stop))
    finally:
        usecases.close()
