"""`assistant run`: the python-telegram-bot Application, our own long-polling loop and the scheduled jobs.

Why our own getUpdates loop instead of PTB's Updater: the Bot API confirms an update only when a later
getUpdates passes its id as offset, and PTB's Updater asks for the next batch before the current one is
handled. We store the last *handled* update id in SQLite after each update and poll from there, so a crash
or restart neither loses an update nor handles one twice (a crash in the middle of one repeats just that
one, and confirming twice is harmless).

Updates are handled one at a time, in order: "yes" can never overtake the request it answers. Service
calls (SQLite, calendar writes) run on one dedicated thread, shared with the scheduled jobs, so they never
block the event loop and never race each other.
"""
from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from telegram import BotCommand, Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from assistant import jobs
from assistant.channels.telegram.guard import Guard
from assistant.channels.telegram.handlers import COMMANDS, Handlers
from assistant.channels.telegram.send import Sender, retry_seconds
from assistant.config import Config
from assistant.logs import correlated
from assistant.service import Reply, Service
from assistant.store import Store, StoreError

log = logging.getLogger(__name__)

OFFSET_KEY = "telegram.offset"
POLL_TIMEOUT = 25
"""Seconds a getUpdates long poll waits for news (Telegram allows up to 50)."""
ALLOWED_UPDATES = ["message", "callback_query"]
OUTBOX_EVERY = 30
REMINDERS_EVERY = 15
PRUNE_EVERY = 6 * 3600
MAX_BACKOFF = 60.0


def build_application(config: Config) -> Application:
    """The PTB Application, pointed at `base_url` / `base_file_url` (the real API, a local one, or a fake)."""
    return (Application.builder().token(config.telegram.token)
            .base_url(config.telegram.base_url).base_file_url(config.telegram.base_file_url)
            .updater(None).concurrent_updates(False)
            .connect_timeout(10).read_timeout(30).write_timeout(30).pool_timeout(10)
            .build())


class TelegramBot:
    def __init__(self, config: Config, store: Store, service: Service, poll_timeout: int = POLL_TIMEOUT):
        self.config = config
        self.store = store
        self.service = service
        self.poll_timeout = poll_timeout
        self.application = build_application(config)
        self.sender = Sender(self.application.bot, store)
        self.guard = Guard(config.telegram, store, self.sender)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="service")
        self.handlers = Handlers(config, service, self.sender, self.guard, self.run_sync)
        self.handlers.install(self.application)
        self.scheduler: AsyncIOScheduler | None = None
        self.stopping: asyncio.Event | None = None
        self._stop: threading.Event | None = None

    def stopped(self) -> bool:
        """Asked to stop: by a signal, or (checked directly, so between two updates) by the caller's event."""
        return bool(self.stopping and self.stopping.is_set() or self._stop and self._stop.is_set())

    async def run_sync(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run blocking work on the service thread, keeping the correlation id of the update."""
        context = contextvars.copy_context()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(context.run, function, *args))

    # ── lifecycle ───────────────────────────────────────────────────────────────────────────
    async def serve(self, stop: threading.Event | None = None) -> int:
        """Start, poll until stopped (signal or `stop`), shut down; the exit code for the CLI."""
        self.stopping = asyncio.Event()
        self._stop = stop
        watchers = self._watch_stop(stop)
        try:
            if not await self._initialize():
                return 0 if self.stopping.is_set() else 1
            try:
                await self._announce()
                self._start_jobs()
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
            self.executor.shutdown(wait=True)
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
                                       "offset": self.store.settings.get(OFFSET_KEY)})

    async def _shutdown(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        await self.application.shutdown()
        await self.run_sync(self.handlers.close)
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
        offset = self.store.settings.get(OFFSET_KEY)
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
                await self.handle(update)
                offset = update.update_id
                await self.run_sync(self.store.settings.set, OFFSET_KEY, offset)
                if self.stopped():
                    return

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

    # ── scheduled jobs ──────────────────────────────────────────────────────────────────────
    def _start_jobs(self) -> None:
        scheduler = AsyncIOScheduler(timezone=timezone.utc,
                                     job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60})
        now = datetime.now(timezone.utc)
        scheduler.add_job(self.outbox_job, "interval", seconds=OUTBOX_EVERY, id="outbox")
        scheduler.add_job(self.reminder_job, "interval", seconds=REMINDERS_EVERY, id="reminders", next_run_time=now)
        scheduler.add_job(self.prune_job, "interval", seconds=PRUNE_EVERY, id="prune", next_run_time=now)
        minutes = [c.refresh_minutes for c in self.config.calendars if c.refresh_minutes > 0]
        if minutes and hasattr(self.service.calendars, "sync"):
            scheduler.add_job(self.sync_job, "interval", minutes=min(minutes), id="sync", next_run_time=now)
        scheduler.start()
        self.scheduler = scheduler

    async def outbox_job(self) -> None:
        """Retry queued calendar writes; tell the owner when a delayed one lands or finally fails."""
        with correlated("outbox"):
            try:
                notices = await self.run_sync(self.service.retry_outbox)
            except Exception as exc:  # noqa: BLE001 (a job must survive to run again)
                log.error("outbox job failed", extra={"error": type(exc).__name__})
                return
            for notice in notices:
                await self.notify(notice)

    async def reminder_job(self) -> None:
        """Send due reminders; one that cannot be sent is put back and tried on the next run."""
        if self.guard.owner is None:
            return
        with correlated("reminders"):
            now = datetime.now(timezone.utc)
            try:
                fired = await self.run_sync(jobs.claim_due_reminders, self.store, now, self.service.zone)
            except Exception as exc:  # noqa: BLE001
                log.error("reminder job failed", extra={"error": type(exc).__name__})
                return
            for reminder in fired:
                try:
                    await self.notify(Reply(f"⏰ {reminder.title}"), raise_errors=True)
                    log.info("reminder sent", extra={"reminder": reminder.reminder_id})
                except TelegramError as exc:
                    log.warning("reminder not sent; will retry", extra={"error": type(exc).__name__})
                    await self.run_sync(jobs.release_reminder, self.store, reminder)

    async def prune_job(self) -> None:
        with correlated("prune"):
            try:
                await self.run_sync(jobs.prune_callbacks, self.store)
            except Exception as exc:  # noqa: BLE001
                log.error("prune job failed", extra={"error": type(exc).__name__})

    async def sync_job(self) -> None:
        with correlated("sync"):
            try:
                await self.run_sync(self.service.calendars.sync)
            except Exception as exc:  # noqa: BLE001
                log.error("calendar sync failed", extra={"error": type(exc).__name__})

    async def notify(self, reply: Reply, raise_errors: bool = False) -> None:
        """A message to the owner that is not an answer (reminders, delayed writes)."""
        owner = self.guard.owner
        if owner is None:
            return
        try:
            await self.sender.send(owner.chat_id, reply)
        except TelegramError as exc:
            if raise_errors:
                raise
            log.warning("notice not sent", extra={"error": type(exc).__name__})


def run(config: Config, stop: threading.Event | None = None, poll_timeout: int = POLL_TIMEOUT) -> int:
    """`assistant run`: the bot until SIGINT/SIGTERM (or `stop`, for tests). Returns the exit code."""
    try:
        store = Store(config.db_path)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        service = Service(config, store)
        bot = TelegramBot(config, store, service, poll_timeout=poll_timeout)
        return asyncio.run(bot.serve(stop))
    finally:
        store.close()
