"""The initial prompt: calendar vocabulary that steers Whisper's decoder towards how requests are spelt.

A prompt is "previous text" to Whisper: it biases spelling, vocabulary and punctuation, and a bad one
is copied into the transcript (a list of example times turned "at three p m" into the prompt's "10.30
a.m." in our measurements). The built-in prompt is a short glossary with no clock times in it, chosen
with scripts/bench_voice.py --wer over the spoken and dev sets (see README, "Voice"). It is English, so it is
only used for English audio; [speech] initial_prompt, when set, is used for every language.
"""
from __future__ import annotations

DEFAULT_PROMPT = ("Calendar notes: meetings, appointments, reminders, the dentist, the gym, a haircut, "
                  "tomorrow, tonight, next week, Monday to Sunday, January to December.")
DEFAULT_PROMPT_LANGUAGE = "en"


def prompt_for(language: str | None, custom: str | None) -> str | None:
    """The prompt for audio in `language` (None: unknown)."""
    if custom:
        return custom
    return DEFAULT_PROMPT if language == DEFAULT_PROMPT_LANGUAGE else None
