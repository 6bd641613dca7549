"""The understanding pipeline: text (with what surrounds it) → items, and a reply → an edited item.

Use cases ask `Understanding`, never a parser directly, so a second reader (the language model of the
LLM issue) plugs in here without touching them:

    understanding = Understanding([OfflineReader()])            # today
    understanding = Understanding([OfflineReader(), LlmReader(...)])   # later: asked when the first is unsure

Each `Reader` answers with a `Reading` (items, and how sure it is); the pipeline asks them in order and
keeps the first reading that is sure enough, else the most confident one. A reader that fails raises
`UnderstandingError` and the pipeline goes on with the others, so a model that is down never makes the
assistant less reliable than the offline parser alone.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from assistant.core.forwarded import as_meeting, read_email
from assistant.core.item import Item, Kind
from assistant.core.parsing import apply_edit, parse
from assistant.errors import UnderstandingError

log = logging.getLogger(__name__)

SURE = 0.75
"""A reading at least this confident is taken without asking the next reader."""


@dataclass(frozen=True)
class Context:
    """What surrounds a message: the clock and zone, who forwarded it, the preview it answers."""
    now: datetime
    zone: ZoneInfo
    sender: str | None = None
    """The forward's origin (a person or chat); None for the owner's own words."""
    forwarded: bool = False
    open_item: Item | None = None
    """The item whose preview is open (a reply may edit it)."""


@dataclass
class Reading:
    items: list[Item] = field(default_factory=list)
    confidence: float = 0.0
    reader: str = ""

    @property
    def first(self) -> Item:
        return self.items[0] if self.items else Item(kind=Kind.UNKNOWN)


class Reader(Protocol):
    name: str

    def read(self, text: str, context: Context) -> Reading:
        """The items in `text` (several when it holds several requests), in text order."""

    def edit(self, item: Item, text: str, context: Context) -> Item | None:
        """`item` with the reply's changes (same id), or None when the text is not an edit."""


class OfflineReader:
    """The offline parser (`core.parsing`) and the e-mail reader (`core.forwarded`): no network, no model."""

    name = "offline"

    def read(self, text: str, context: Context) -> Reading:
        email = read_email(text)
        sender = context.sender
        body = text
        if email is not None:
            sender = email.sender or sender  # the e-mail's own sender beats whoever pasted it
            body = email.body or text
        item = parse(body, context.now, context.zone)
        if item.kind in (Kind.UNKNOWN, Kind.EVENT) and (sender or email is not None):
            item = as_meeting(item, sender, email.subject if email else None, text)
        confidence = 0.0 if item.kind == Kind.UNKNOWN else item.confidence
        return Reading([item], confidence, self.name)

    def edit(self, item: Item, text: str, context: Context) -> Item | None:
        return apply_edit(item, text, context.now, context.zone)


class Understanding:
    """Asks its readers in order (the offline parser first) and keeps the best answer."""

    def __init__(self, readers: list[Reader] | None = None, sure: float = SURE):
        self.readers: list[Reader] = readers if readers is not None else [OfflineReader()]
        self.sure = sure

    def read(self, text: str, context: Context) -> list[Item]:
        """One item or more; a single UNKNOWN item when nobody understood."""
        best: Reading | None = None
        for reader in self.readers:
            try:
                reading = reader.read(text, context)
            except UnderstandingError as exc:
                log.warning("reader failed", extra={"reader": reader.name, "error": type(exc).__name__})
                continue
            if not reading.items:
                continue
            if best is None or reading.confidence > best.confidence:
                best = reading
            if reading.confidence >= self.sure:
                break
        if best is None:
            return [Item(kind=Kind.UNKNOWN, source_text=text)]
        log.debug("understood", extra={"reader": best.reader, "items": len(best.items),
                                      "kind": best.first.kind.value, "confidence": round(best.confidence, 2)})
        return best.items

    def edit(self, item: Item, text: str, context: Context) -> Item | None:
        """The first reader that reads `text` as an edit of `item` wins."""
        for reader in self.readers:
            try:
                edited = reader.edit(item, text, context)
            except UnderstandingError as exc:
                log.warning("reader failed", extra={"reader": reader.name, "error": type(exc).__name__})
                continue
            if edited is not None:
                return edited
        return None

    @staticmethod
    def is_email(text: str) -> bool:
        """A pasted e-mail is always a new request, never an edit of the open preview."""
        return read_email(text) is not None
