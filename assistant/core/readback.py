"""Questions about what the owner stored, in plain words: "show my notes about wifi", "what reminders do I
have", "zeig meine Notizen", "какие у меня напоминания". Pure.

`recognise(text)` answers `Ask("notes", "wifi")`, `Ask("reminders", "")` or None. It is asked before the
understanding pipeline reads a new request, so it must never claim a request that makes something: it
only matches whole questions (anchored at both ends), and "note: …", "remind me …" never match.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

NOTES, REMINDERS = "notes", "reminders"


@dataclass(frozen=True)
class Ask:
    what: str
    """"notes" or "reminders"."""
    words: str = ""
    """Words to search for ("" = everything)."""


_ABOUT = (r"(?:about|on|for|with|regarding|re|concerning|containing|mentioning|that mention|which mention"
          r"|über|zu|zum|zur|mit|von|про|о|об|обо|по|с)")
_TAIL = rf"(?:\s+{_ABOUT}\s+(?P<words>.+?))?"
_END = r"\s*[?.!…]*\s*$"
_SHOW = r"(?:show|list|find|search|get|give|display|read|see|open|pull up|look up|check)"
_POLITE = r"(?:(?:please|pls|can you|could you|would you|will you)\s+)?"
_ME = r"(?:\s+me)?(?:\s+(?:all|every|each))?(?:\s+(?:of\s+)?(?:my|the|our))?"

_PATTERNS: list[tuple[str, str]] = [
    # English
    (NOTES, rf"^{_POLITE}{_SHOW}{_ME}\s+(?:notes?|memos?){_TAIL}{_END}"),
    (NOTES, rf"^{_POLITE}search(?:\s+(?:in|through))?\s+(?:my\s+|the\s+)?notes?\s+(?:for\s+)(?P<words>.+?){_END}"),
    (NOTES, rf"^(?:what|which|any)\s+notes?(?:\s+(?:do|did)\s+i\s+(?:have|keep|make|write|take))?{_TAIL}{_END}"),
    (NOTES, rf"^do\s+i\s+have\s+(?:any\s+)?notes?{_TAIL}{_END}"),
    (NOTES, rf"^what\s+(?:did\s+i|have\s+i)\s+(?:noted?|written|write|saved|save)(?:\s+down)?{_TAIL}{_END}"),
    (NOTES, rf"^(?:my|all(?:\s+my)?)\s+notes{_TAIL}{_END}"),
    (NOTES, rf"^notes\s+{_ABOUT}\s+(?P<words>.+?){_END}"),
    (REMINDERS, rf"^{_POLITE}{_SHOW}{_ME}\s+(?:upcoming\s+)?reminders?{_TAIL}{_END}"),
    (REMINDERS, r"^(?:what|which|any)\s+(?:upcoming\s+)?reminders?(?:\s+(?:do|did)\s+i\s+(?:have|set|get)"
                r"|\s+(?:are|have\s+i)\s+(?:there|set|got|pending|coming\s+up|left))?(?:\s+(?:set|pending|coming up))?"
                rf"{_TAIL}{_END}"),
    (REMINDERS, rf"^what\s+(?:are|is)\s+my\s+(?:upcoming\s+)?reminders?{_TAIL}{_END}"),
    (REMINDERS, rf"^do\s+i\s+have\s+(?:any\s+)?reminders?(?:\s+set)?{_TAIL}{_END}"),
    (REMINDERS, rf"^(?:my|all(?:\s+my)?)\s+(?:upcoming\s+)?reminders{_TAIL}{_END}"),
    # German
    (NOTES, rf"^(?:bitte\s+)?(?:zeig(?:e)?|liste|such(?:e)?|finde?)(?:\s+mir)?(?:\s+(?:alle|meine|die))*\s+notiz(?:en)?"
            rf"{_TAIL}(?:\s+an)?{_END}"),
    (NOTES, rf"^(?:welche|meine)\s+notizen(?:\s+habe\s+ich)?{_TAIL}{_END}"),
    (REMINDERS, rf"^(?:bitte\s+)?(?:zeig(?:e)?|liste)(?:\s+mir)?(?:\s+(?:alle|meine|die))*\s+erinnerungen{_TAIL}"
                rf"(?:\s+an)?{_END}"),
    (REMINDERS, rf"^(?:welche|meine)\s+erinnerungen(?:\s+habe\s+ich)?{_TAIL}{_END}"),
    # Russian
    (NOTES, rf"^(?:покажи|найди|выведи|список)(?:\s+мне)?(?:\s+(?:все|мои))*\s+заметк[иу]{_TAIL}{_END}"),
    (NOTES, rf"^(?:какие\s+у\s+меня|мои)\s+заметки{_TAIL}{_END}"),
    (REMINDERS, rf"^(?:покажи|выведи|список)(?:\s+мне)?(?:\s+(?:все|мои))*\s+напоминани[яй]{_TAIL}{_END}"),
    (REMINDERS, rf"^(?:какие\s+у\s+меня|мои)\s+напоминания{_TAIL}{_END}"),
]
_COMPILED = [(what, re.compile(pattern, re.IGNORECASE)) for what, pattern in _PATTERNS]
_FILLER = {"the", "a", "an", "my", "our", "me", "der", "die", "das", "den", "dem", "meine", "meinen", "мои", "моих"}


def recognise(text: str) -> Ask | None:
    """The read-back question `text` asks, or None when it asks none (then it is a request to read)."""
    text = " ".join(text.split())
    if not text or len(text) > 200:
        return None
    for what, pattern in _COMPILED:
        found = pattern.match(text)
        if found:
            return Ask(what, search_words(found.groupdict().get("words") or ""))
    return None


def search_words(words: str) -> str:
    """The words worth searching for: quotes and filler words ("the", "my") left out."""
    kept = [w for w in re.split(r"\s+", words.strip(" \"'“”„«»")) if w and w.lower() not in _FILLER]
    return " ".join(w.strip(" \"'“”„«»,;") for w in kept).strip()


def matches(words: str, *texts: str | None) -> bool:
    """Whether every word of `words` occurs (any case) in one of `texts`; no words match everything."""
    haystack = " ".join(t for t in texts if t).casefold()
    return all(word.casefold() in haystack for word in words.split())


__all__ = ["Ask", "NOTES", "REMINDERS", "matches", "recognise", "search_words"]
