"""`Speech`: one worker thread, one model, the engine order and the fallbacks."""
from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from assistant.speech import audio
from assistant.speech.api import ApiEngine
from assistant.speech.hallucinations import keep_speech
from assistant.speech.local import LocalEngine, resolve_model
from assistant.speech.result import EngineError, Heard, NoSpeech, SpeechError, Transcript

if TYPE_CHECKING:
    from assistant.config import Config

log = logging.getLogger(__name__)
T = TypeVar("T")
SHUT_DOWN = "Couldn't transcribe: the speech service is shut down"


class Speech:
    """Transcribes voice notes on one dedicated worker thread (thread-safe; calls are serialised)."""

    def __init__(self, config: Config) -> None:
        settings = config.speech
        self.engine = settings.engine
        self.language = settings.language.strip() or None
        self.max_local_seconds = settings.max_local_seconds
        self.idle_unload_seconds = settings.idle_unload_seconds
        prompt = settings.initial_prompt.strip() or None
        self.local = LocalEngine(resolve_model(config), compute_type=settings.compute_type,
                                 threads=settings.threads, beam_size=settings.beam_size,
                                 vad_filter=settings.vad_filter, prompt=prompt)
        self.api = ApiEngine(api_key=settings.api_key, base_url=settings.api_base_url,
                             model=settings.api_model, prompt=prompt)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="speech")
        self._lock = threading.Lock()
        self._closed = False
        self._jobs = itertools.count(1)
        self._generation = 0
        self._pending = 0
        """Jobs queued or running; the idle timer starts only when this drops to 0."""
        self._idle_timer: threading.Timer | None = None

    # -- public -----------------------------------------------------------------------------------

    def transcribe(self, path: Path, language: str | None = None) -> Transcript:
        """Blocking: queue the file on the worker and wait for its transcript."""
        try:
            return self._submit(Path(path), language).result()
        except CancelledError:  # queued when close() was called
            raise SpeechError(SHUT_DOWN) from None

    async def transcribe_async(self, path: Path, language: str | None = None) -> Transcript:
        """Queue the file on the worker; the event loop stays free while it runs."""
        future = self._submit(Path(path), language)
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            if self._closed and future.cancelled():  # close() dropped it, nobody cancelled the caller
                raise SpeechError(SHUT_DOWN) from None
            raise

    def warm_up(self) -> Future[None]:
        """Load the local model on the worker now (e.g. at bot start) instead of at the first voice note."""
        return self._submit_task(self._warm_up)

    @property
    def model_loads(self) -> int:
        return self.local.loads

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._cancel_idle_timer()
        self._executor.shutdown(wait=True, cancel_futures=True)
        self.local.unload()
        self.api.close()

    def __enter__(self) -> Speech:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the worker ---------------------------------------------------------------------------------

    def _submit(self, path: Path, language: str | None) -> Future[Transcript]:
        job = next(self._jobs)
        return self._submit_task(self._run, path, language, job)

    def _submit_task(self, fn: Callable[..., T], *args: object) -> Future[T]:
        with self._lock:
            if self._closed:
                raise SpeechError(SHUT_DOWN)
            self._cancel_idle_timer()
            self._generation += 1
            self._pending += 1
            return self._executor.submit(self._tracked, fn, *args)

    def _tracked(self, fn: Callable[..., T], *args: object) -> T:
        try:
            return fn(*args)
        finally:
            with self._lock:
                self._pending -= 1
            self._schedule_unload()

    def _warm_up(self) -> None:
        try:
            if self.engine != "api" and not self.local.unavailable():
                self.local.load()
        except EngineError as exc:
            log.warning("speech: warm-up failed: %s", exc)

    def _run(self, path: Path, language: str | None, job: int) -> Transcript:
        started = time.perf_counter()
        info = audio.probe(path)
        duration = audio.measured_duration(info)
        log.info("speech: job %d: %d bytes, %.1f s of %s audio", job, info.size, duration, info.container)
        engine, heard = self._transcribe_with_fallback(info, duration, language or self.language, job)
        text = keep_speech(heard.segments)
        seconds = time.perf_counter() - started
        if not text:
            log.info("speech: job %d: no speech (%s, %.2f s)", job, engine, seconds)
            raise NoSpeech()
        duration = heard.duration or duration
        log.info("speech: job %d: %s, %s, %d words, %.1f s audio in %.2f s (RTF %.2f)", job, engine,
                 heard.language, len(text.split()), duration, seconds, seconds / duration if duration else 0)
        return Transcript(text=text, engine=engine, language=heard.language, duration=round(duration, 3),
                          seconds=round(seconds, 3))

    def _order(self, duration: float) -> list[LocalEngine | ApiEngine]:
        if self.engine == "local":
            return [self.local]
        if self.engine == "api":
            return [self.api]
        long_audio = self.max_local_seconds > 0 and duration > self.max_local_seconds
        if long_audio and not self.api.unavailable():
            return [self.api, self.local]
        return [self.local, self.api]

    def _transcribe_with_fallback(self, info: audio.Probe, duration: float, language: str | None,
                                  job: int) -> tuple[str, Heard]:
        problems: list[str] = []
        for engine in self._order(duration):
            reason = engine.unavailable()
            if reason:
                problems.append(reason)
                continue
            try:
                if isinstance(engine, LocalEngine):
                    return engine.name, engine.transcribe(info.path, language)
                return engine.name, engine.transcribe(info, language)
            except NoSpeech:
                raise
            except EngineError as exc:
                log.warning("speech: job %d: %s engine failed: %s", job, engine.name, exc)
                problems.append(str(exc))
        raise SpeechError("Couldn't transcribe: " + "; and ".join(problems))

    # -- idle unload ----------------------------------------------------------------------------------

    def _schedule_unload(self) -> None:
        """After idle_unload_seconds without a new job, unload the model (on the worker, between jobs)."""
        if self.idle_unload_seconds <= 0:
            return
        with self._lock:
            if self._closed or self._pending or not self.local.loaded:
                return
            self._cancel_idle_timer()
            timer = threading.Timer(self.idle_unload_seconds, self._idle, args=(self._generation,))
            timer.daemon = True
            self._idle_timer = timer
            timer.start()

    def _idle(self, generation: int) -> None:
        with self._lock:
            if self._closed or generation != self._generation:
                return
            self._executor.submit(self._unload_if_idle, generation)  # not tracked: it is not a job

    def _unload_if_idle(self, generation: int) -> None:
        with self._lock:
            if generation != self._generation or self._pending:
                return
        self.local.unload()

    def _cancel_idle_timer(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
