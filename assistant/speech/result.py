"""What the speech layer returns and raises."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Transcript:
    text: str
    engine: str
    """"local" or "api"."""
    language: str | None
    duration: float
    """Seconds of audio."""
    seconds: float
    """Processing time in seconds (model loading included when this call loaded it)."""


from assistant.errors import EngineError, NoSpeech, SpeechError, UnusableAudio  # noqa: F401 (the speech branch)


@dataclass
class Heard:
    """An engine's raw answer, before hallucinations are dropped."""

    segments: list[str]
    language: str | None
    duration: float | None
