"""Questions about what was stored, recognised in plain words (core.readback): pure."""
from __future__ import annotations

import pytest

from assistant.core.readback import Ask, matches, recognise, search_words


@pytest.mark.parametrize("text, what, words", [
    ("show my notes about wifi", "notes", "wifi"),
    ("Show me all my notes", "notes", ""),
    ("list notes", "notes", ""),
    ("my notes", "notes", ""),
    ("find my note about the printer", "notes", "printer"),
    ("search notes for wifi password", "notes", "wifi password"),
    ("notes about “Boris”?", "notes", "Boris"),
    ("what notes do I have about Anna", "notes", "Anna"),
    ("do I have any notes on the budget?", "notes", "budget"),
    ("what did I note about the printer", "notes", "printer"),
    ("can you show my notes", "notes", ""),
    ("what reminders do I have", "reminders", ""),
    ("What reminders do I have?", "reminders", ""),
    ("show my reminders", "reminders", ""),
    ("list reminders", "reminders", ""),
    ("what are my reminders", "reminders", ""),
    ("any reminders?", "reminders", ""),
    ("do I have any reminders set", "reminders", ""),
    ("zeig meine Notizen über WLAN", "notes", "WLAN"),
    ("welche Erinnerungen habe ich", "reminders", ""),
    ("покажи мои заметки про wifi", "notes", "wifi"),
    ("какие у меня напоминания", "reminders", ""),
])
def test_questions_are_recognised(text, what, words):
    assert recognise(text) == Ask(what, words)


@pytest.mark.parametrize("text", [
    "note: the office wifi password is hunter2", "note that the wifi password is hunter2",
    "remind me to show my notes to Anna", "remind me tomorrow at 9 to check my reminders",
    "show my notes to Anna on Friday at 3", "Lunch with Anna tomorrow at 1pm", "what do I have on Friday?",
    "notes", "reminders", "", "cancel the reminder about the dentist", "take notes at the meeting tomorrow at 10",
])
def test_requests_are_not_questions(text):
    assert recognise(text) is None


def test_search_words_and_matching():
    assert search_words("the “wifi” password") == "wifi password"
    assert matches("wifi PASS", "Office Wi-Fi", "the wifi password is hunter2")
    assert not matches("wifi printer", "the wifi password")
    assert matches("", "anything")
