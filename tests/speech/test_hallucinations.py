"""Whisper's inventions on silence are dropped; real dictation is never rewritten."""
from __future__ import annotations

import pytest

from assistant.speech.hallucinations import is_hallucination, keep_speech


@pytest.mark.parametrize("segment", [
    " Thank you for watching.", "Thanks for watching!", " Subtitles by the Amara.org community", " you", " .",
    "...", " [Music]", "(upbeat music)", "♪", " [BLANK_AUDIO]", " Thank you.", " Untertitel im Auftrag des ZDF, 2017",
    " Продолжение следует...", " Субтитры сделал DimaTorzok", " Please subscribe to my channel.",
])
def test_known_hallucinations(segment: str) -> None:
    assert is_hallucination(segment)


@pytest.mark.parametrize("segment", [
    " Lunch with Anna tomorrow at 1 p.m.", " Remind me to subscribe to the newsletter",
    " Get the contract translated by Friday", " You have a call at 10.30", " Thank you note for Boris on Monday",
    " Meeting (with Anna) at three", " Vielen Dank an Anna schicken",
])
def test_real_requests_are_kept(segment: str) -> None:
    assert not is_hallucination(segment)


def test_dictation_quirks_reach_the_parser_intact() -> None:
    segments = [" Meeting at 10.30 p.m. with Anna", " for forty five minutes", " Thanks for watching!"]
    assert keep_speech(segments) == "Meeting at 10.30 p.m. with Anna for forty five minutes"


def test_only_hallucinations_leave_nothing() -> None:
    assert keep_speech([" you", " Thank you for watching."]) == ""
