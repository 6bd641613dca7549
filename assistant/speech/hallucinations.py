"""Whisper's known inventions on silence and noise.

Whisper was trained on subtitled video, so on a silent or noisy clip it tends to "hear" a sign-off or a
subtitle credit. Such a segment must not become a calendar item: it is dropped, and a clip left with
nothing becomes NoSpeech. Real dictation is never rewritten, only whole segments are dropped.
"""
from __future__ import annotations

import re

_EXACT = frozenset({
    "", "you", "thank you", "thank you very much", "thanks", "thank you so much", "bye", "bye bye",
    "thank you for watching", "thanks for watching", "thank you so much for watching",
    "thank you for watching and see you next time", "thanks for watching see you next time",
    "please subscribe", "like and subscribe", "subscribe", "the end", "so", "um", "uh", "hmm",
    "music", "applause", "silence", "blank audio", "foreign", "laughter",
    # German and Russian sign-offs
    "vielen dank", "danke", "danke fürs zuschauen", "vielen dank fürs zuschauen", "tschüss",
    "спасибо", "спасибо за внимание", "спасибо за просмотр", "продолжение следует",
})
_CREDITS = re.compile(
    r"amara\.org|thanks? (?:you )?for watching|subscribe to (?:my|our|the) channel|редактор субтитров"
    r"|^\W*(?:subtitles?|subtitled|captions?|captioning|transcription|transcribed|translated|translation)"
    r"(?: \w+)? by\b|^\W*untertitel|^\W*субтитры|^\W*корректор",
    re.IGNORECASE,
)
"""Credits anywhere in a segment, or a credit line's opening; "get it translated by Friday" stays."""
_ANNOTATION = re.compile(r"^\s*(?:[\[(*♪♫][^\])*]*[\])*♪♫]?\s*)+$")
"""A segment made only of bracketed annotations: "[Music]", "(upbeat music)", "[BLANK_AUDIO]", "♪"."""


def normalise(text: str) -> str:
    """Lower case, punctuation and spacing removed: "Thanks for watching!" → "thanks for watching"."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).replace("_", " ").split())


def is_hallucination(segment: str) -> bool:
    return (normalise(segment) in _EXACT or bool(_CREDITS.search(segment))
            or bool(_ANNOTATION.match(segment)))


def keep_speech(segments: list[str]) -> str:
    """The transcript without hallucinated segments; "" when nothing real is left."""
    return " ".join(s.strip() for s in segments if not is_hallucination(s)).strip()
