"""The model's requests as items, their instants computed by the offline parser from its phrases.

The model copies the words that say when ("next Friday at 8") and how it repeats ("every other Thursday
until June"); `resolve()` reads them with `core.parsing.parse` against `now` and the owner's zone, so
"next Friday" means the same with and without a model. An instant the model computed itself is only a
last resort when no phrase resolves (and one that disagrees with its own phrase is dropped).
`merge_edit()` applies the model's reading of a reply to the open item the same way.
"""
from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta
from typing import Any

from assistant.core.item import Item, Kind
from assistant.core.parsing import parse
from assistant.core.parsing.lexicons import LEXICONS, detect_language
from assistant.llm.schema import Extracted
from assistant.understanding import Context

log = logging.getLogger(__name__)

ITEM_SURE = 0.85
"""Confidence of a model item whose phrases resolved; below `SURE` when a question remains."""


CUES = {
    "en": {"reminder": "remind me", "query": "what do I have", "find_time": "find time"},
    "de": {"reminder": "erinnere mich", "query": "was habe ich", "find_time": "finde zeit"},
    "ru": {"reminder": "напомни мне", "query": "что у меня", "find_time": "найди время"},
}
"""The words that make the offline parser read a bare phrase with a kind's rules (a reminder's date-only
start is 09:00 and it has no end; a query's or find_time's phrase is a period)."""


def language_of(text: str) -> str:
    """The word tables the phrases are read with ("en", "de", "ru")."""
    return detect_language(text).code


def resolve(x: Extracted, context: Context, source: str, lang: str = "en") -> Item | None:
    """One extracted request as an `Item`, its instants computed by the offline parser from the model's
    phrases. None for kind "unknown" (the model saw nothing to propose)."""
    if x.kind == "unknown":
        return None
    kind = Kind(x.kind)
    title = " ".join((x.title or "").split())[:200]
    attendees = [a.strip() for a in x.attendees if isinstance(a, str) and a.strip()][:20]
    location = (x.location or "").strip()[:200] or None
    notes = (x.notes or "").strip() or None
    if kind == Kind.NOTE:
        body = notes or title
        return Item(kind=Kind.NOTE, title=title or _first_words(body), body=body or None, source_text=source,
                    confidence=ITEM_SURE if body else 0.5, needs_clarification=not body,
                    question=None if body else "What should the note say?")
    parsed = read_phrases(kind, x, title, context, lang)
    item = Item(kind=kind, title=title or _default_title(kind, attendees), attendees=attendees,
                location=location, source_text=source, confidence=ITEM_SURE,
                body=notes if kind in (Kind.EVENT, Kind.REMINDER) else None)
    model_start = _instant(x.start, context)
    if parsed is not None and parsed.start is not None:
        if model_start is not None and not _same(model_start, parsed.start):
            log.info("llm instant overridden by its phrase", extra={"kind": kind.value})
        item.start, item.end, item.all_day = parsed.start, parsed.end, parsed.all_day
        item.recurrence, item.original_tz = parsed.recurrence, parsed.original_tz
    elif parsed is not None and parsed.needs_clarification and parsed.question:
        item.needs_clarification, item.question = True, parsed.question  # an impossible date: ask
    elif model_start is not None and kind in (Kind.EVENT, Kind.REMINDER):
        item.start = model_start  # no phrase we can read: the model's own instant, less trusted
        item.all_day = not isinstance(model_start, datetime)
        item.confidence = 0.6
    duration = x.duration_minutes if x.duration_minutes and 0 < x.duration_minutes < 24 * 60 else None
    if kind == Kind.EVENT:
        _event_end(item, duration)
    elif kind == Kind.REMINDER:
        item.end = None
    elif kind == Kind.FIND_TIME:
        item.duration_minutes = duration or (parsed.duration_minutes if parsed else None) or 60
    if item.start is None and kind in (Kind.EVENT, Kind.REMINDER) and not item.needs_clarification:
        item.needs_clarification = True
        item.question = "When should I remind you?" if kind == Kind.REMINDER else f"When is “{item.title}”?"
    if item.needs_clarification:
        item.confidence = min(item.confidence, 0.5)
    return item


def read_phrases(kind: Kind, x: Extracted, title: str, context: Context, lang: str) -> Item | None:
    """The offline parser's reading of the model's phrases: as written in a language with word tables,
    else their English rendering (a French "demain à 13h" read with English tables would lose "demain").
    None when the model gave no phrase."""
    native = " ".join(p.strip() for p in (x.when, x.repeat) if p and p.strip())
    tries = [(native, lang)] if native else []
    if x.english and x.english.strip():
        english = (x.english.strip(), "en")
        # the model says the message is not English: unless it is one we have tables for, trust its English
        tries.insert(0 if lang == "en" else len(tries), english)
    first: Item | None = None
    dated: Item | None = None
    for phrase, code in tries:
        parsed = parse(_framed(kind, phrase, title, code), context.now, context.zone, lang=code)
        if parsed.start is not None and _whole(parsed, code):
            return parsed
        dated = dated or (parsed if parsed.start is not None else None)
        first = first or parsed
    if dated is not None:
        return dated            # read only in part ("demain à 13h" with German tables): the best there is
    if first is None and kind in (Kind.QUERY, Kind.FIND_TIME):
        return parse(_framed(kind, "", title, lang), context.now, context.zone, lang=lang)
    return first


def _whole(parsed: Item, lang: str) -> bool:
    """Was the whole phrase read as a date? Words left over make the title ("demain à" of "demain à
    13h" read with German tables); a meal word of the frame may stay."""
    lex = LEXICONS.get(lang, LEXICONS["en"])
    left = re.findall(r"[\w']+", (parsed.title or "").lower())
    return all(w in lex.pm_nouns or w in lex.am_nouns for w in left)


def _framed(kind: Kind, phrase: str, title: str, lang: str) -> str:
    """The text the parser reads: the kind's cue, a meal word of the title ("dinner at 8" is 20:00), and
    the phrase. The title itself stays out: its words could read as dates or as another kind."""
    cue = CUES.get(lang, CUES["en"]).get(kind.value, "")
    lex = LEXICONS.get(lang, LEXICONS["en"])
    meal = next((w for w in re.findall(r"[\w']+", title.lower()) if w in lex.pm_nouns or w in lex.am_nouns), "")
    return " ".join(part for part in (cue, meal, phrase) if part)


def _event_end(item: Item, duration: int | None) -> None:
    if isinstance(item.start, datetime):
        if duration:
            item.end = item.start + timedelta(minutes=duration)
        elif not isinstance(item.end, datetime) or item.end <= item.start:
            item.end = item.start + timedelta(hours=1)
    elif isinstance(item.start, date):
        if not isinstance(item.end, date) or isinstance(item.end, datetime) or item.end <= item.start:
            item.end = item.start + timedelta(days=1)
    if duration:
        item.duration_minutes = None  # an event's length is its end


def _instant(value: str | None, context: Context) -> datetime | date | None:
    """The model's ISO instant, if it is one (a naive time is read in the owner's zone)."""
    if not value or not isinstance(value, str):
        return None
    try:
        if len(value.strip()) == 10:
            return date.fromisoformat(value.strip())
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=context.zone)
    return parsed.astimezone(context.zone)


def _same(a: datetime | date, b: datetime | date) -> bool:
    if isinstance(a, datetime) != isinstance(b, datetime):
        return False
    return a == b


def _first_words(text: str, count: int = 8) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def _default_title(kind: Kind, attendees: list[str]) -> str:
    if kind == Kind.EVENT:
        return f"Meeting with {attendees[0]}" if attendees else "Meeting"
    return {Kind.REMINDER: "Reminder", Kind.FIND_TIME: "Meeting"}.get(kind, "")


EDITABLE_KINDS = (Kind.EVENT, Kind.REMINDER, Kind.NOTE)


def describe_item(item: Item, context: Context) -> dict[str, Any]:
    """What the model is told about the open item: its fields in words (never its id)."""
    def words(value: Any) -> str | None:
        if isinstance(value, datetime):
            return value.astimezone(context.zone).strftime("%A %d %B %Y %H:%M")
        if isinstance(value, date):
            return value.strftime("%A %d %B %Y")
        return None

    return {"kind": item.kind.value, "title": item.title, "start": words(item.start), "end": words(item.end),
            "all_day": item.all_day, "repeats": item.recurrence, "attendees": item.attendees,
            "location": item.location}


def merge_edit(item: Item, x: Extracted, context: Context, lang: str) -> Item:
    """`item` with the model's edit applied (same id); dates change only when it gave new phrases."""
    kind = Kind(x.kind) if x.kind in {k.value for k in EDITABLE_KINDS} else item.kind
    if item.kind not in EDITABLE_KINDS:
        kind = item.kind
    changes: dict[str, Any] = {"kind": kind}
    title = " ".join((x.title or "").split())[:200]
    if title:
        changes["title"] = title
    changes["attendees"] = [a.strip() for a in x.attendees if isinstance(a, str) and a.strip()][:20]
    changes["location"] = (x.location or "").strip()[:200] or None
    if x.when or x.repeat or x.english:
        resolved = resolve(x.model_copy(update={"kind": kind.value, "start": None}), context,
                           item.source_text, lang)
        if resolved is not None and resolved.start is not None:
            changes.update(start=resolved.start, end=resolved.end, all_day=resolved.all_day,
                           recurrence=resolved.recurrence if x.repeat or resolved.recurrence else item.recurrence,
                           original_tz=resolved.original_tz, needs_clarification=False, question=None)
            if item.start is not None and isinstance(item.start, datetime) and isinstance(item.end, datetime) \
                    and isinstance(resolved.start, datetime) and kind == Kind.EVENT and not x.duration_minutes:
                changes["end"] = resolved.start + (item.end - item.start)  # a move keeps the length
    elif kind == Kind.REMINDER:
        changes["end"] = None
    edited = item.with_changes(**changes)
    if kind == Kind.EVENT and edited.start is not None and edited.end is None:
        _event_end(edited, x.duration_minutes)
    return edited
