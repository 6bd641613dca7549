"""`LlmReader`: the language model as a `Reader` of the understanding pipeline (see the package's
docstring), and when it is worth asking although the offline reading was sure (`asking_reason`).
"""
from __future__ import annotations

import logging
import re
import time
from typing import Any, Callable

from assistant.core.forwarded import as_meeting, read_email
from assistant.core.item import Item, Kind
from assistant.core.parsing import parse, parse_all
from assistant.core.parsing.lexicons import LEXICONS
from assistant.errors import UnderstandingError
from assistant.llm.client import ChatClient, FormatMemory
from assistant.llm.phrases import describe_item, language_of, merge_edit, resolve
from assistant.llm.schema import EDIT_PROMPT, SYSTEM_PROMPT, EditAnswer, Extraction
from assistant.understanding import SURE, Context, Reading

log = logging.getLogger(__name__)

LONG_DICTATION = 200
"""Characters: a longer message goes to the model even when the offline reading is sure."""
MAX_ITEMS = 10
MAX_TEXT = 8000
"""Characters of a message sent to the model (a long e-mail thread is cut)."""


class LlmReader(ChatClient):
    """A `Reader` backed by a chat-completions server. Thread-safe: the bot reads from several threads."""

    name = "llm"

    def __init__(self, *, base_url: str, model: str, api_key: str = "", timeout: float = 20.0,
                 mode: str = "fallback", memory: FormatMemory | None = None, sure: float = SURE,
                 client: Any = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(base_url=base_url, model=model, api_key=api_key, timeout=timeout, memory=memory,
                         client=client, clock=clock, sleep=sleep)
        self.mode = str(getattr(mode, "value", mode))
        self.sure = sure

    def describe(self) -> str:
        return f"{self.host}, model {self.model}, mode {self.mode}"

    # -- the Reader protocol -------------------------------------------------------------------

    def wants(self, text: str, context: Context, first: Reading) -> bool:
        """Whether to ask the model although the first reading was sure (mode `fallback`): a long
        dictation, a forwarded message or e-mail, several requests, or a language without word tables.
        Mode `always` asks for everything. An unsure first reading is asked anyway by the pipeline."""
        if self.mode == "always":
            return True
        if self.mode != "fallback":
            return False
        reason = asking_reason(text, context, first)
        if reason:
            log.debug("llm asked", extra={"reason": reason})
        return reason is not None

    def read(self, text: str, context: Context) -> Reading:
        if self.mode == "off":
            raise UnderstandingError("the language model is off")
        email = read_email(text)
        payload = {
            "message": text[:MAX_TEXT],
            "forwarded_from": (email.sender if email and email.sender else None) or context.sender,
            **_clock(context),
        }
        answer = self.ask(SYSTEM_PROMPT, payload, Extraction, "items")
        lang = language_of(text)
        items: list[Item] = []
        for extracted in answer.items[:MAX_ITEMS]:
            item = resolve(extracted, context, text, lang)
            if item is not None:
                items.append(self._forwarded(item, text, context, email))
        if not items:
            return Reading([], 0.0, self.name)
        return Reading(items, min(i.confidence for i in items), self.name)

    def edit(self, item: Item, text: str, context: Context) -> Item | None:
        """The model's reading of a reply the offline parser could not read as an edit. In `fallback`
        mode a reply the offline parser reads as a sure new request is not sent: it is one."""
        if self.mode == "off" or read_email(text) is not None:
            return None
        if self.mode == "fallback":
            fresh = parse(text, context.now, context.zone)
            if fresh.kind != Kind.UNKNOWN and fresh.confidence >= self.sure and not fresh.needs_clarification:
                return None
        payload = {"item": describe_item(item, context), "reply": text[:MAX_TEXT], **_clock(context)}
        answer = self.ask(EDIT_PROMPT, payload, EditAnswer, "edit")
        if not answer.changed or answer.item is None:
            return None
        return merge_edit(item, answer.item, context, language_of(text))

    def _forwarded(self, item: Item, text: str, context: Context, email: Any) -> Item:
        """A forwarded message or e-mail: its sender joins a meeting and the text stays as context."""
        sender = (email.sender if email is not None and email.sender else None) or context.sender
        if not (context.forwarded or sender or email is not None):
            return item
        if item.kind == Kind.EVENT:
            return as_meeting(item, sender, email.subject if email is not None else None, text)
        intro = f"Forwarded from {sender}:\n" if sender else "Forwarded:\n"
        return item.with_changes(context=intro + text[:2000])


def _clock(context: Context) -> dict[str, str]:
    """The owner's clock as the model is told it: now (with the weekday) and the zone's name."""
    return {"now": f"{context.now.isoformat(timespec='minutes')} ({context.now.strftime('%A')})",
            "timezone": getattr(context.zone, "key", str(context.zone))}


_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_TABLED_SCRIPT = re.compile(r"[A-Za-z\u00C0-\u024F\u0400-\u04FF]")
_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)
_KNOWN = frozenset().union(*(lex.known_words for lex in LEXICONS.values()))


def asking_reason(text: str, context: Context, first: Reading) -> str | None:
    """Why a sure offline reading should still go to the model (mode `fallback`), or None."""
    if context.forwarded or context.sender or read_email(text) is not None:
        return "forwarded"
    if len(text) > LONG_DICTATION:
        return "long"
    if len(first.items) > 1 or several_requests(text, context):
        return "several"
    if untabled_language(text):
        return "language"
    return None


def several_requests(text: str, context: Context) -> bool:
    """Whether the offline parser splits the text into two requests or more ("Lunch with Anna tomorrow at
    1 and remind me to call Boris at 5") — worth a model's second reading."""
    return len(parse_all(text[:MAX_TEXT], context.now, context.zone)) > 1


def untabled_language(text: str) -> bool:
    """A language the offline parser has no word tables for: another script, or (in Latin script) words
    that none of the tables know."""
    letters = _LETTER.findall(text)
    if not letters:
        return False
    foreign = sum(1 for ch in letters if not _TABLED_SCRIPT.match(ch))
    if foreign / len(letters) > 0.3:
        return True
    words = [w.lower() for w in _WORDS.findall(text) if len(w) > 1]
    if len(words) < 3:
        return False
    known = sum(1 for w in words if w in _KNOWN)
    return known / len(words) < 0.15
