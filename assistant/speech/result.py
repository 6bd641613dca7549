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


class SpeechError(Exception):
    """Transcription failed; str(e) is a message for the owner, e.g. "Couldn't transcribe: the file is not audio"."""


class NoSpeech(SpeechError):
    """The audio holds silence, noise or only a known Whisper hallucination."""

    def __init__(self, message: str = "I couldn't hear anything") -> None:
        super().__init__(message)


class EngineError(SpeechError):
    """One engine could not transcribe (missing, misconfigured or failing); another may still work.

    The message is a clause that fits after "Couldn't transcribe: ".
    """


@dataclass
class Heard:
    """An engine's raw answer, before hallucinations are dropped."""

    segments: list[str]
    language: str | None
    duration: float | None
