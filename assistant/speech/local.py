"""The local engine: one faster-whisper model, loaded lazily and unloadable to free memory.

Not thread-safe by itself: `Speech` calls it from its single worker thread only.
"""
from __future__ import annotations

import dataclasses
import gc
import logging
import os
import time
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.speech.prompt import prompt_for
from assistant.speech.result import EngineError, Heard

if TYPE_CHECKING:
    from assistant.config import Config

log = logging.getLogger(__name__)

FETCH_HINT = "run scripts/fetch-whisper-model, or set [speech] model to a size name such as \"base\" " \
             "on a machine with internet access"


DECODING: dict[str, Any] = {
    "condition_on_previous_text": False,
    "without_timestamps": True,
}
"""Decoding options beyond beam size and VAD, chosen with scripts/bench_voice.py --wer --parse (README, "Voice").

Voice notes are short, so segment timestamps buy nothing, and predicting them costs the decoder: without
them the base model spells dictated times more reliably ("at 10.30 for 45 minutes" instead of
"at 10.34.45 minutes", "in two hours" instead of "to ours"). Each window is decoded on its own
(no previous text), so one misheard phrase is not carried into the next.
"""


def size_names() -> frozenset[str]:
    from faster_whisper import available_models

    return frozenset(available_models())


def resolve_model(config: Config) -> str:
    """A faster-whisper size name as it is, else a directory: relative to the config file's folder,
    then to the working directory (the first that exists; the config-relative one when neither does)."""
    value = config.speech.model.strip()
    if value in size_names():
        return value
    candidates = [config.resolve_path(value), Path.cwd() / Path(value).expanduser()]
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    return str(candidates[0])


def default_threads() -> int:
    """The cores this process may use (a Raspberry Pi 4/5: 4); more threads than cores only slows CTranslate2."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _model_class() -> type:
    """WhisperModel that encodes the first 30-second window once instead of twice, and picks the
    initial prompt by language once the language is known.

    faster-whisper 1.2 encodes the first window for language detection and again for decoding; on a
    small CPU the encoder is most of the cost of a short voice note, so detection nearly doubled the
    time. Detection here sees exactly the frames decoding will read (the last feature frame dropped,
    as generate_segments does), so a one-entry cache in `encode` hands decoding the same output.
    Results are identical; a cache miss (e.g. another faster-whisper version) only costs the old time.
    """
    import numpy as np
    from faster_whisper import WhisperModel

    class ReusingWhisperModel(WhisperModel):  # type: ignore[misc]
        _last: tuple[Any, Any] | None = None
        encoder_reuses = 0
        prompt_chooser: Callable[[str | None], str | None] | None = None

        def detect_language(self, audio: Any = None, features: Any = None, **options: Any) -> Any:
            if audio is None and features is not None and features.shape[-1] > 1:
                features = features[..., :-1]
            return super().detect_language(audio=audio, features=features, **options)

        def encode(self, features: Any) -> Any:
            last = self._last
            if last is not None and last[0].shape == features.shape and np.array_equal(last[0], features):
                self._last = None
                self.encoder_reuses += 1
                return last[1]
            output = super().encode(features)
            self._last = (features, output)
            return output

        def generate_segments(self, features: Any, tokenizer: Any, options: Any, *args: Any, **kwargs: Any) -> Any:
            # The language is known here (given or just detected): pick the prompt that suits it.
            if self.prompt_chooser is not None:
                options = dataclasses.replace(options, initial_prompt=self.prompt_chooser(tokenizer.language_code))
            return super().generate_segments(features, tokenizer, options, *args, **kwargs)

        def forget(self) -> None:
            self._last = None

    return ReusingWhisperModel


class LocalEngine:
    name = "local"

    def __init__(self, model: str, *, compute_type: str = "int8", threads: int = 0, beam_size: int = 5,
                 vad_filter: bool = True, prompt: str | None = None) -> None:
        """`prompt`: the owner's initial prompt for every language; None = the built-in one for English."""
        self.model_ref = model
        self.compute_type = compute_type
        self.threads = threads or default_threads()
        self.beam_size = max(1, beam_size)
        self.vad_filter = vad_filter
        self.prompt = prompt or None
        self.loads = 0
        """How many times a model was loaded (tests check that it is once)."""
        self._model: Any = None

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def unavailable(self) -> str | None:
        """Why this engine cannot run, as a clause for "Couldn't transcribe: …"; None when it can try."""
        if self.model_ref in size_names():
            return None
        path = Path(self.model_ref)
        if not path.is_dir():
            return f"the local speech model is missing at {path} ({FETCH_HINT})"
        if not (path / "model.bin").is_file():
            return f"the local speech model at {path} has no model.bin ({FETCH_HINT})"
        return None

    def load(self) -> Any:
        if self._model is not None:
            return self._model
        reason = self.unavailable()
        if reason:
            raise EngineError(reason)
        started = time.perf_counter()
        try:
            self._model = _model_class()(self.model_ref, device="cpu", compute_type=self.compute_type,
                                       cpu_threads=self.threads, num_workers=1)
        except (RuntimeError, ValueError, OSError) as exc:
            log.warning("speech: loading the local model failed: %s", exc)
            raise EngineError(f"the local speech model {self.model_ref} could not be loaded ({_short(exc)}; "
                              f"{FETCH_HINT})") from None
        except Exception as exc:  # the hub client raises its own types when a size name can't be fetched
            log.warning("speech: loading the local model failed: %s: %s", type(exc).__name__, exc)
            raise EngineError(f"the local speech model {self.model_ref} could not be loaded "
                              f"({type(exc).__name__}; {FETCH_HINT})") from None
        self._model.prompt_chooser = lambda language: prompt_for(language, self.prompt)
        self.loads += 1
        log.info("speech: local model loaded (%s, %s, %d threads) in %.2f s", Path(self.model_ref).name,
                 self.compute_type, self.threads, time.perf_counter() - started)
        return self._model

    def unload(self) -> None:
        if self._model is None:
            return
        self._model = None
        gc.collect()
        log.info("speech: local model unloaded")

    def transcribe(self, path: Path, language: str | None) -> Heard:
        model = self.load()
        try:
            segments, info = model.transcribe(
                str(path), language=language or None, beam_size=self.beam_size, vad_filter=self.vad_filter,
                **DECODING)
            texts = [segment.text for segment in segments]  # the generator does the work
        except (RuntimeError, ValueError, OSError, MemoryError) as exc:
            log.warning("speech: local transcription failed: %s: %s", type(exc).__name__, exc)
            raise EngineError(f"the local speech model failed ({_short(exc)})") from None
        finally:
            model.forget()  # drop the cached encoder output (a few MB)
        return Heard(texts, info.language if texts else language, info.duration)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
