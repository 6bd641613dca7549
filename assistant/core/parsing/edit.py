"""`apply_edit()`: patch a pending item from a reply in plain words ("make it 4pm", "add Boris").

Edits are operations on the open item, not new requests:
  times      shift, stretch, retime, redate and repeat ("an hour later", "make it 30 min longer",
             "make it 9:45", "friday instead", "make it weekly"): edit_times.py
  people     "add Sam", "with Anna too", "Sam is coming too", "without Bill", "not Boris, Bill"
             (Bill takes Boris's place, in the title too): edit_people.py
  kind       "make it a reminder" (at the item's start, no end), "make it an event"
  place, title, "no location", "just once" (no repeat): here.

A reply is an edit only when every word is either understood or filler ("make it", "instead",
"please"). Anything else is a new request or chatter, and we return None: the item never changes
silently.
"""
from __future__ import annotations

import re

from datetime import datetime
from zoneinfo import ZoneInfo

from ..item import Item, Kind
from . import extract
from .edit_people import edit_people
from .edit_repeat_days import repeat_days
from .edit_times import bare_time, mark_directions, moved, relative_days, retime, shift_or_stretch
from .grammar import Scanner
from .kinds import mark
from .lexicons import Lexicon, detect_language
from .limits import beyond, shifted
from .parser import WHAT_QUESTION, to_zone
from .period_reply import as_offered, period_asked, pick_day
from .places import location
from .scanning import scan_into
from .tokens import PUNCT, Token, tokenize
from .wall_time import REMINDER_DEFAULT, local


_AGREES = re.compile(r"(?:yes|yep|yeah|yup|y|sure|ok|okay|correct|right|exactly|that's right|"
                     r"ja|genau|richtig|да|верно|точно)\W*", re.IGNORECASE)


def apply_edit(item: Item, text: str, now: datetime, tz: str | ZoneInfo) -> Item | None:
    """The item with the reply's changes applied (same id), or None when the text is not an edit."""
    if period_asked(item) is not None:      # "Which day in March?" -> "the 14th"
        return pick_day(item, text, now, to_zone(tz), edit_item)
    if item.within is not None:
        return answer_guess(item, text, now, tz)
    edited = edit_item(item, text, now, tz)
    if item.question != WHAT_QUESTION or not item.needs_clarification:
        return edited
    if edited is None:                  # the answer to "What is it?" names it
        lex = detect_language(text)
        return name_it(item, text, tokenize(text[:500], lex), lex, now)
    if not edited.title:
        edited = edited.with_changes(needs_clarification=True, question=WHAT_QUESTION)
    return edited


def answer_guess(item: Item, text: str, now: datetime, tz: str | ZoneInfo) -> Item | None:
    """The reply to "… did you mean Wednesday, June 17?": "yes" takes the guessed day; "no, the
    18th" is an edit of the guess (so its time stays); a reply that leaves the day alone keeps
    asking."""
    assert item.within is not None
    guess = as_offered(item)
    if _AGREES.fullmatch(text.strip()):
        return guess.with_changes(needs_clarification=False, question=None)
    edited = edit_item(guess, text, now, tz)
    if edited is None or edited.start != guess.start:
        return edited if edited is None else edited.with_changes(needs_clarification=False, question=None)
    return edited.with_changes(within=(edited.start, edited.end), start=None, end=None, all_day=False)


def edit_item(item: Item, text: str, now: datetime, tz: str | ZoneInfo) -> Item | None:
    zone = to_zone(tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=zone)
    now = now.astimezone(zone)
    lex = detect_language(text)
    toks = tokenize(text[:500], lex)
    if not toks:
        return None
    roles: list[str | None] = [None] * len(toks)
    keys = [t.key for t in toks]
    changes: dict = {}

    for i in range(len(keys) - 1):          # "what about Tuesday?", "…, how about Thursday"
        if (keys[i], keys[i + 1]) in (("what", "about"), ("how", "about")) and (i == 0 or toks[i - 1].kind == PUNCT):
            mark(roles, i, i + 2, "k")
    renamed = rename(text, toks, keys, roles, lex)
    if renamed is not None:
        return item.with_changes(title=renamed) if renamed else None
    if flag(lex.edit_no_location, keys, roles):
        changes["location"] = None
    if flag(lex.edit_no_repeat, keys, roles):
        changes["recurrence"] = None
    new_kind = change_kind(keys, roles, lex)
    people = edit_people(item, toks, keys, roles, lex)
    if people is not None:
        changes["attendees"], title = people
        if title != item.title:
            changes["title"] = title
    refused_clause(toks, keys, roles, lex)
    days_edit = repeat_days(item, toks, keys, roles, lex, now, zone)
    move = shift_or_stretch(toks, keys, roles, lex)
    days = relative_days(keys, roles, lex) if move is None else None

    found = scan_into(toks, roles, lex, now.date(), 0, len(toks))
    if not found.has_time:
        bare_time(toks, roles, lex, found)
    if move is None and found.has_when:
        mark_directions(keys, roles, lex)       # "bring it forward to 8", "push it back to Friday"
    place = location(toks, roles, lex)
    if place is None:
        place = location_word(text, toks, keys, roles, lex)
    if place is None and not found.has_when:
        place = moved_to_place(toks, keys, roles, lex)
    if place:
        changes["location"] = place
    if not all(ok_leftover(t, r, lex) for t, r in zip(toks, roles)):
        return None
    question = found.question or beyond(found, now.date())
    if question:
        changes.update(start=None, end=None, needs_clarification=True, question=question)
        return item.with_changes(**changes)
    if move is not None:
        timing = moved(item, move, now, zone)
    else:
        if days is not None and not found.has_date:
            found.day_shift = days
        timing = retime(item, found, toks, roles, now, zone)
    if timing is None and days_edit is not None:
        timing = days_edit
    if timing is None and not changes and new_kind is None:
        return None
    changes.update(timing or {})
    edited = item.with_changes(**changes)
    return as_kind(edited, new_kind, zone) if new_kind is not None else edited


def refused_clause(toks: list[Token], keys: list[str], roles, lex: Lexicon) -> None:
    """"tomorrow doesn't work, Thursday?": the clause that turns a day or time down is read (and
    set aside) when another clause says what to do instead."""
    for i, k in enumerate(keys):
        if k not in lex.edit_refused or roles[i] is not None:
            continue
        a = i
        while a > 0 and toks[a - 1].kind != PUNCT:
            a -= 1
        b = i + 1
        while b < len(toks) and toks[b].kind != PUNCT and keys[b] not in lex.edit_but:
            b += 1
        if any(t.kind != PUNCT and keys[x] not in lex.edit_filler for x, t in enumerate(toks)
               if not a <= x < b):
            mark(roles, a, b, "k")
        return


def name_it(item: Item, text: str, toks: list[Token], lex: Lexicon, now: datetime) -> Item | None:
    """The answer to "What is it?" ("tomorrow 9am" -> "dentist"): the reply is the title, unless
    it says when (then it is an edit or a new request)."""
    found = Scanner(toks, lex, now.date()).scan()
    if found.has_when or not any(t.kind != PUNCT for t in toks):
        return None
    title = extract.capitalise(text.strip().strip("\"'“”‘’").rstrip(".!").strip())
    if not title or len(title) > 200:
        return None
    return item.with_changes(title=title[:80], needs_clarification=False, question=None)


def ok_leftover(tok: Token, role: str | None, lex: Lexicon) -> bool:
    return role is not None or tok.kind == PUNCT or tok.key in lex.edit_filler


def flag(table, keys: list[str], roles: list[str | None]) -> bool:
    for i in range(len(keys)):
        hit = table.match(keys, i)
        if hit:
            mark(roles, i, hit[0], "k")
            return True
    return False


def rename(text: str, toks: list[Token], keys: list[str], roles, lex: Lexicon) -> str | None:
    """"call it Budget review", "rename to X", "title: X" -> the new title ("" if empty)."""
    i = 0
    while i < len(keys) and keys[i] in ("please", "pls", "and", "also", "ok", "okay", "actually", "no"):
        i += 1
    hit = lex.edit_rename.match(keys, i)
    if not hit:
        return None
    j = hit[0]
    while j < len(toks) and (toks[j].key in ("to", ":", "-", "as") or toks[j].kind == PUNCT and toks[j].key in "\"'“‘"):
        j += 1
    if j >= len(toks):
        return ""
    return text[toks[j].start:].strip().strip("\"'“”‘’").rstrip(".!").strip()


def location_word(text: str, toks: list[Token], keys: list[str], roles, lex: Lexicon) -> str | None:
    """"location: Room 12", "place is the lobby"."""
    for i, k in enumerate(keys):
        if k in lex.edit_location_words and roles[i] is None:
            j = i + 1
            while j < len(toks) and toks[j].key in (":", "is", "=", "-", "to", "now"):
                j += 1
            if j < len(toks):
                for x in range(i, len(toks)):
                    roles[x] = "l"
                return text[toks[j].start:].strip().rstrip(".!")
    return None


def moved_to_place(toks: list[Token], keys: list[str], roles, lex: Lexicon) -> str | None:
    """"move it to Café Central", "change it to the big room": a place where no time was said."""
    for i, k in enumerate(keys):
        if k != "to" or roles[i] is not None or i + 1 >= len(toks):
            continue
        rest = range(i + 1, len(toks))
        if any(roles[x] is not None for x in rest):
            return None
        if not any(toks[x].cap or keys[x] in lex.place_nouns for x in rest):
            return None
        end = len(toks)
        while end > i + 1 and toks[end - 1].kind == PUNCT:
            end -= 1
        for x in range(i, len(toks)):
            roles[x] = "l"
        return extract._slice(toks, i + 1, end)
    return None


def change_kind(keys: list[str], roles, lex: Lexicon) -> Kind | None:
    """"make it a reminder", "as a reminder", "turn it into an event" -> the new kind."""
    for i in range(len(keys)):
        hit = lex.edit_kind.match(keys, i) if roles[i] is None else None
        if hit:
            mark(roles, i, hit[0], "k")
            return Kind(hit[1])
    return None


def as_kind(item: Item, kind: Kind, zone: ZoneInfo) -> Item:
    """The item as a reminder (at its start, no end) or as an event (the default length)."""
    if kind == item.kind:
        return item
    start = item.start
    if kind == Kind.REMINDER:
        if start is not None and not isinstance(start, datetime):
            start = local(start, *REMINDER_DEFAULT, zone)
        return item.with_changes(kind=kind, start=start, end=None, all_day=False)
    if kind == Kind.EVENT and isinstance(start, datetime):
        end = item.end if isinstance(item.end, datetime) and item.end > start else shifted(start, start, minutes=60)
        return item.with_changes(kind=kind, end=end)
    return item.with_changes(kind=kind)
