"""The understanding pipeline: text (with what surrounds it) → items, and a reply → an edited item.

Use cases ask `Understanding`, never a parser directly, so a second reader (the language model of the
LLM issue) plugs in here without touching them:

    understanding = from_config(config, store)   # offline only, or offline then the model (`llm.LlmReader`)
    understanding = Understanding([OfflineReader(), LlmReader(...)])   # the same, by hand

Each `Reader` answers with a `Reading` (items, and how sure it is); the pipeline asks them in order. A
later reader is asked when the readings so far are unsure (below `SURE`), or when it `wants` the text
although they are sure (the model: a forwarded e-mail, a long dictation, several requests, another
language; everything in mode `always`). A later reader's sure reading wins — it was asked because it
knows better — else the most confident one does. A reader that fails raises `UnderstandingError` and the
pipeline goes on with the others, so a model that is down never makes the assistant less reliable than
the offline parser alone; a refused API key (`LlmAuthError`) also leaves one notice for the owner.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from assistant.core.forwarded import as_meeting, read_email
from assistant.core.item import Item, Kind
from assistant.core.parsing import apply_edit, parse, parse_all
from assistant.errors import LlmAuthError, UnderstandingError

if TYPE_CHECKING:
    from assistant.config import Config, LlmSection
    from assistant.store import Store

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

    # Optional: `wants(text, context, first: Reading) -> bool` — ask me even though the readings so far
    # are sure (the pipeline looks it up with getattr; a reader without it is asked only when they are not).


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
        if sender or email is not None or context.forwarded:
            # a forward or an e-mail is one request about meeting its sender, however many sentences it has
            item = parse(body, context.now, context.zone)
            if item.kind in (Kind.UNKNOWN, Kind.EVENT) and (sender or email is not None):
                item = as_meeting(item, sender, email.subject if email else None, text)
            items = [item]
        else:
            items = parse_all(body, context.now, context.zone)
        first = items[0]
        confidence = 0.0 if first.kind == Kind.UNKNOWN else min(i.confidence for i in items)
        return Reading(items, confidence, self.name)

    def edit(self, item: Item, text: str, context: Context) -> Item | None:
        return apply_edit(item, text, context.now, context.zone)


class Understanding:
    """Asks its readers in order (the offline parser first) and keeps the best answer."""

    def __init__(self, readers: list[Reader] | None = None, sure: float = SURE):
        self.readers: list[Reader] = readers if readers is not None else [OfflineReader()]
        self.sure = sure
        self.notices: list[str] = []
        """Messages for the owner, once each (a refused API key); a channel may `take_notices()`."""
        self._told: set[str] = set()

    def read(self, text: str, context: Context) -> list[Item]:
        """One item or more; a single UNKNOWN item when nobody understood."""
        best: Reading | None = None
        for reader in self.readers:
            if best is not None and best.confidence >= self.sure and not self._wants(reader, text, context, best):
                continue
            try:
                reading = reader.read(text, context)
            except UnderstandingError as exc:
                self._failed(reader, exc)
                continue
            if not reading.items:
                continue
            if best is None or reading.confidence > best.confidence or reading.confidence >= self.sure:
                best = reading
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
                self._failed(reader, exc)
                continue
            if edited is not None:
                return edited
        return None

    def take_notices(self) -> list[str]:
        """The owner's pending notices (each said once per process), emptied."""
        notices, self.notices = self.notices, []
        return notices

    def summary(self) -> str:
        """What reads the owner's messages, for `/settings`: the model's host, name and mode, and its last
        problem while it lasts — never the key."""
        for reader in self.readers:
            describe = getattr(reader, "describe", None)
            if describe is not None:
                problem = getattr(reader, "problem", None)
                return describe() + (f" — last problem: {problem}" if problem else "")
        return "off (offline parser)"

    @staticmethod
    def _wants(reader: Reader, text: str, context: Context, first: Reading) -> bool:
        wants = getattr(reader, "wants", None)
        if wants is None:
            return False
        try:
            return bool(wants(text, context, first))
        except Exception:  # noqa: BLE001 (a heuristic's bug must not cost the sure answer already read)
            log.exception("reader's wants failed", extra={"reader": reader.name})
            return False

    def _failed(self, reader: Reader, exc: UnderstandingError) -> None:
        log.warning("reader failed", extra={"reader": reader.name, "error": type(exc).__name__})
        if isinstance(exc, LlmAuthError) and str(exc) not in self._told:
            self._told.add(str(exc))
            self.notices.append(str(exc)[:1].upper() + str(exc)[1:] + ". Until then I read messages offline.")

    @staticmethod
    def is_email(text: str) -> bool:
        """A pasted e-mail is always a new request, never an edit of the open preview."""
        return read_email(text) is not None


def from_config(config: "Config", store: "Store | None" = None) -> Understanding:
    """The one place the pipeline is built: the offline reader, then the language model when `[llm]` names
    a server and a model and `mode` is not off. With `[llm]` empty nothing is ever sent anywhere. The
    structured-output form that works is remembered in `store` (in memory when there is none)."""
    section = config.llm
    if not llm_enabled(section):
        if section.base_url.strip() and not section.model.strip() and section.mode != "off":
            log.warning("llm off: [llm] model is empty")
        return Understanding([OfflineReader()])
    from assistant.llm import LlmReader  # noqa: PLC0415 (the openai package loads only when it is used)

    reader = LlmReader(base_url=section.base_url, model=section.model, api_key=section.api_key,
                       timeout=section.timeout_seconds, mode=section.mode.value,
                       memory=store.settings if store is not None else None)
    return Understanding([OfflineReader(), reader])


def llm_enabled(section: "LlmSection") -> bool:
    return section.mode != "off" and bool(section.base_url.strip()) and bool(section.model.strip())
