"""The one runtime: the scheduler and every background job, for whichever channel is in front.

    outbox      every 30 s (and at start): retry confirmed writes; announce delayed ones that land or fail
    reminders   every 15 s (and at start): fire due reminders of the built-in calendar exactly once
    sync        every `refresh_minutes` (and at start, waited for briefly): refresh the calendar cache
    agenda      every 30 s: the daily agenda when `[agenda] time` has come (once a day)
    tokens      every hour: `refresh_token()` on every connector (OAuth access tokens renewed before a write
                needs them; a revoked sign-in is told to the owner once, with the `assistant connect` to run)
    prune       every 6 h: forget old button tokens, remove recordings a crash left behind, metrics older than
                30 days (the outbox job also records the process's memory every 10 minutes)
    servers     what a connector serves while the assistant runs (the Apple Notes bridge): every connector
                with `start_serving()` is started with the jobs, and `stop_serving()` stops it with them

Jobs run on APScheduler's threads and report to the owner through the `notify` callback the channel
supplies (Telegram sends a message, the console prints a line). `notify` raises when the message could
not be delivered, so a reminder that was not seen is put back and fires on the next run.

Every job runs behind one guard: a storage failure (disk full, read-only database) is logged, told to the
owner once, and the job simply runs again on its next turn — nothing half-written, no crash loop.
Use-case calls from an event loop go through `call()`, which runs them on the runtime's one worker
thread, in order, so SQLite and network I/O never block the loop.
"""
from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any, Callable

from apscheduler.executors.pool import BasePoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from assistant.core.render import Reply
from assistant.errors import AuthError, ConnectorError, StoreError
from assistant.logs import correlated
from assistant.store import metrics
from assistant.usecases import UseCases
from assistant.usecases.reminders import claim_due_reminders, release_reminder, sent_reminder

log = logging.getLogger(__name__)

OUTBOX_EVERY = 30
REMINDERS_EVERY = 15
PRUNE_EVERY = 6 * 3600
AGENDA_EVERY = 30
TOKENS_EVERY = 3600
STARTUP_SYNC_SECONDS = 5.0
"""How long the first preview waits for the first calendar sync; a dead server never blocks longer."""

HEARTBEAT_EVERY = 600
"""How often the running assistant records its memory (rss_mb) for `assistant status`."""
STOP_WAIT = 5.0
"""How long stopping waits for running jobs; one stuck on a dead server is left behind (daemon thread)."""
STORAGE_RETELL = 3600.0
"""A storage fault that lasts is told again after this many seconds."""

Notify = Callable[[Reply], None]


class Runtime:
    def __init__(self, usecases: UseCases, notify: Notify, can_notify: Callable[[], bool] = lambda: True):
        self.usecases = usecases
        self.notify = notify
        self.can_notify = can_notify
        """False while nobody can be told (Telegram before pairing): reminders wait."""
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="usecases")
        self.scheduler: BackgroundScheduler | None = None
        self.synced = threading.Event()
        self._storage_told: float | None = None
        self._heartbeat_at: float | None = None
        self._login_told: set[str] = set()
        """Connectors whose refused sign-in the owner was told about (until it works again)."""

    # ── lifecycle ───────────────────────────────────────────────────────────────────────────
    def start(self, wait_for_sync: float = STARTUP_SYNC_SECONDS) -> None:
        """Start every job (each runs once at once) and wait up to `wait_for_sync` s for the first sync."""
        scheduler = BackgroundScheduler(timezone=timezone.utc, executors={"default": _DaemonExecutor()},
                                        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60})
        now = datetime.now(timezone.utc)
        scheduler.add_job(self.outbox_job, "interval", seconds=OUTBOX_EVERY, id="outbox", next_run_time=now)
        scheduler.add_job(self.reminder_job, "interval", seconds=REMINDERS_EVERY, id="reminders", next_run_time=now)
        scheduler.add_job(self.prune_job, "interval", seconds=PRUNE_EVERY, id="prune", next_run_time=now)
        scheduler.add_job(self.agenda_job, "interval", seconds=AGENDA_EVERY, id="agenda", next_run_time=now)
        scheduler.add_job(self.token_job, "interval", seconds=TOKENS_EVERY, id="tokens")
        minutes = [c.refresh_minutes for c in self.usecases.deps.config.calendars if c.refresh_minutes > 0]
        if minutes:
            scheduler.add_job(self.sync_job, "interval", minutes=min(minutes), id="sync", next_run_time=now)
        else:
            self.synced.set()
        scheduler.start()
        self.scheduler = scheduler
        metrics.bind(self.usecases.deps.store)
        self._serve(start=True)
        if not self.synced.wait(wait_for_sync):
            log.warning("first calendar sync still running; previews use the cache meanwhile",
                        extra={"waited_s": wait_for_sync})

    def stop(self) -> None:
        metrics.unbind(self.usecases.deps.store)
        self._serve(start=False)
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=True)
            self.scheduler = None
        self.worker.shutdown(wait=True)

    def _serve(self, start: bool) -> None:
        """Start (or stop) what connectors serve; one that cannot (its port is taken) is logged, the rest run."""
        for name, connector in dict(getattr(self.usecases.deps.calendars, "connectors", {})).items():
            method = getattr(connector, "start_serving" if start else "stop_serving", None)
            if not callable(method):
                continue
            try:
                method()
            except Exception as exc:  # noqa: BLE001 (one target's server must not stop the assistant)
                log.error("connector server failed", extra={"target": name, "error": type(exc).__name__,
                                                            "detail": str(exc)})

    def __enter__(self) -> "Runtime":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def call(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run a use case on the worker thread, keeping the caller's correlation id."""
        context = contextvars.copy_context()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.worker, functools.partial(context.run, function, *args))

    # ── jobs ────────────────────────────────────────────────────────────────────────────────
    def outbox_job(self) -> None:
        """Retry queued writes; tell the owner when a delayed one lands, waits for a login, or fails."""
        with self._guard("outbox"):
            for notice in self.usecases.delivery.run():
                self._tell(notice)
            self._heartbeat()

    def reminder_job(self) -> None:
        """Send due reminders; one that cannot be sent is put back and tried on the next run."""
        if not self.can_notify():
            return
        deps = self.usecases.deps
        with self._guard("reminders"):
            now = datetime.now(timezone.utc)
            for fired in claim_due_reminders(deps.store, now, deps.zone):
                try:
                    self.notify(self.usecases.reminders.notice(fired, now))
                except Exception as exc:  # noqa: BLE001 (whatever the channel raised: not delivered)
                    log.warning("reminder not sent; will retry", extra={"error": type(exc).__name__,
                                                                        "reminder": fired.reminder_id})
                    release_reminder(deps.store, fired)
                else:
                    sent_reminder(deps.store, fired)
                    log.info("reminder sent", extra={"reminder": fired.reminder_id})

    def sync_job(self) -> None:
        try:
            with self._guard("sync"):
                self.usecases.deps.calendars.sync()
        finally:
            self.synced.set()

    def prune_job(self) -> None:
        """Housekeeping: old button tokens, and recordings left behind by a crash."""
        with self._guard("prune"):
            self.usecases.bookkeeping.prune_buttons()
            self.usecases.voice.clean(datetime.now(timezone.utc))
            metrics.of(self.usecases.deps.store).prune()

    def agenda_job(self) -> None:
        """The daily agenda, once a day at `[agenda] time` (or late, until noon, after downtime)."""
        if not self.can_notify():
            return
        with self._guard("agenda"):
            summary = self.usecases.agenda.daily(datetime.now(timezone.utc))
            if summary is not None:
                self._tell(summary)

    def token_job(self) -> None:
        """Renew every connector's token (a no-op for password and local ones); one that fails does not stop
        the others; a refused sign-in is told once, until a refresh works again."""
        with self._guard("tokens"):
            for name, connector in self.usecases.deps.calendars.connectors.items():
                refresh = getattr(connector, "refresh_token", None)
                if not callable(refresh):
                    continue
                try:
                    refresh()
                except AuthError as exc:
                    log.warning("token refresh refused", extra={"target": name, "error": type(exc).__name__})
                    if name not in self._login_told:
                        self._login_told.add(name)
                        self._tell(Reply(f"🔑 Calendar {name!r} needs a new sign-in: {exc}"))
                except ConnectorError as exc:
                    log.info("token refresh failed; next hour again", extra={"target": name,
                                                                             "error": type(exc).__name__})
                else:
                    self._login_told.discard(name)

    def _heartbeat(self) -> None:
        """The process's memory as a metric every HEARTBEAT_EVERY s (`assistant status` shows it)."""
        now = time.monotonic()
        if self._heartbeat_at is None or now - self._heartbeat_at >= HEARTBEAT_EVERY:
            from assistant.status import rss_mb  # noqa: PLC0415

            self._heartbeat_at = now
            metrics.of(self.usecases.deps.store).record(metrics.RSS_MB, rss_mb() or 0)

    # ── faults ──────────────────────────────────────────────────────────────────────────────
    def _guard(self, job: str) -> "_JobGuard":
        return _JobGuard(self, job)

    def storage_failed(self, exc: StoreError) -> None:
        """The database could not be written: logged always, told to the owner once (again after an hour
        if it lasts), never raised into the scheduler."""
        log.error("storage failed", extra={"error": type(exc).__name__})
        now = time.monotonic()
        if self._storage_told is None or now - self._storage_told > STORAGE_RETELL:
            self._storage_told = now
            self._tell(Reply(f"💾 {exc} Nothing you confirmed is lost; I carry on as soon as it works again."))

    def storage_ok(self) -> None:
        """A write worked again (the channel saw it)."""
        if self._storage_told is not None:
            self._storage_told = None
            log.info("storage works again")

    def _tell(self, reply: Reply) -> None:
        """A notice that may be lost without harm (it is not a reminder)."""
        if not self.can_notify():
            return
        try:
            self.notify(reply)
        except Exception as exc:  # noqa: BLE001 (a notice must not stop the job)
            log.warning("notice not sent", extra={"error": type(exc).__name__})


class _JobGuard:
    """One job run: a correlation id, storage faults reported, any other failure logged (never raised
    into the scheduler, so the job runs again on its next turn)."""

    def __init__(self, runtime: Runtime, job: str):
        self.runtime = runtime
        self.job = job
        self._correlated = correlated(job)

    def __enter__(self) -> None:
        self._correlated.__enter__()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> bool:
        try:
            if exc is None:
                return False
            if not isinstance(exc, Exception):
                return False
            metrics.of(self.runtime.usecases.deps.store).record(metrics.ERROR, 1, type=type(exc).__name__,
                                                                where=f"job:{self.job}")
            if isinstance(exc, StoreError):
                self.runtime.storage_failed(exc)
            else:
                log.error("job failed", extra={"job": self.job, "error": type(exc).__name__})
            return True
        finally:
            self._correlated.__exit__(kind, exc, tb)


class _DaemonPool:
    """Runs each job on its own daemon thread: stopping waits for running jobs only STOP_WAIT seconds,
    so a sync stuck on a server that never answers cannot hold up `chat`'s exit or the bot's shutdown."""

    def __init__(self) -> None:
        self._threads: set[threading.Thread] = set()
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()

        def run() -> None:
            try:
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(fn(*args, **kwargs))
                    except BaseException as exc:  # noqa: BLE001 (handed to APScheduler through the future)
                        future.set_exception(exc)
            finally:
                with self._lock:
                    self._threads.discard(threading.current_thread())

        thread = threading.Thread(target=run, name="job", daemon=True)
        with self._lock:
            self._threads.add(thread)
        thread.start()
        return future

    def shutdown(self, wait: bool = True) -> None:
        if not wait:
            return
        deadline = time.monotonic() + STOP_WAIT
        with self._lock:
            running = list(self._threads)
        for thread in running:
            thread.join(max(0.0, deadline - time.monotonic()))


class _DaemonExecutor(BasePoolExecutor):
    def __init__(self) -> None:
        super().__init__(_DaemonPool())
