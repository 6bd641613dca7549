"""Reschedules: "Move the dentist to Wednesday at 9", "push my 3pm back by an hour".

The words before the "to" name the event to move (they become `Item.match`); the words after it
name the new time, which keeps whatever of the old one it does not say.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..item import Item, Kind, Match
from . import extract
from .dates import resolve
from .grammar import Found, Scanner
from .kinds import KindInfo
from .lexicons import Lexicon
from .limits import TOO_FAR, shifted
from .scanning import NO_DAY, bare_hour, free_scanner, scan_into
from .tokens import Token

_RESCHEDULE_SPLIT = frozenset({"to", "until", "till", "->", "→", "for", "on", "auf", "на", "bis"})
_PARTICLES = frozenset({"back", "forward", "earlier", "later", "sooner", "ahead"})
_SHIFT_LATER = frozenset({"later", "back", "forward", "earlier", "by", "sooner", "spät", "später", "früher"})


def reschedule_item(text: str, toks: list[Token], roles: list[str | None], info: KindInfo,
                    lex: Lexicon, now: datetime, zone: ZoneInfo, signer: str | None = None) -> Item:
    """"Move the dentist to Wednesday at 9" -> start = the new time; the old one goes in `match`."""
    today = now.date()
    split = find_split(toks, roles, lex, today, info.body_start)
    n = len(toks)
    if split is not None:
        roles[split] = "k"
    old = scan_into(toks, roles, lex, today, info.body_start, split if split is not None else n)
    new = scan_into(toks, roles, lex, today, split + 1, n) if split is not None else Found(used=[False] * n)
    if split is not None and not new.has_time:
        bare_hour(toks, roles, lex, split + 1, new)
    shift = shift_minutes(toks, lex, info.body_start, roles)
    for i, t in enumerate(toks):
        if roles[i] is None and t.key in _PARTICLES:
            roles[i] = "k"                  # "push the call with Bill back an hour"
    people = extract.attendees(toks, roles, lex)
    if signer and signer not in people:
        people.append(signer)
    hint = extract.title(toks, roles, lex)
    words = hint.split()
    while words and words[0].lower() in lex.hint_trim:
        words.pop(0)
    hint = " ".join(words)
    old_res = resolve(old, Kind.CANCEL, now, zone)
    item = Item(kind=Kind.RESCHEDULE, title=hint, source_text=text, attendees=people,
                match=Match(title=hint or None, start=old_res.start))
    if shift is not None and old.offset_minutes is not None and not (new.has_date or new.has_time):
        # "shift the standup 30 minutes later tomorrow": the amount is the shift, not a time
        item.needs_clarification, item.question = True, f"When is {hint or 'it'} now?"
        item.confidence = 0.5
        return item
    if not (new.has_date or new.has_time) and shift is not None and isinstance(old_res.start, datetime):
        item.start = shifted(old_res.start, now, minutes=shift)
        if item.start is None:          # "push it back by 999999 years"
            item.needs_clarification, item.question = True, TOO_FAR
        item.confidence = 0.8 if item.start is not None else 0.5
        return item
    merge_old(new, old)
    res = resolve(new, Kind.RESCHEDULE, now, zone)
    item.start, item.all_day, item.original_tz = res.start, res.all_day, res.original_tz
    if res.question or item.start is None:
        item.needs_clarification = True
        item.question = res.question or f"When should I move {hint or 'it'} to?"
    item.confidence = 0.85 if item.start is not None else 0.5
    return item


def find_split(toks: list[Token], roles, lex: Lexicon, today: date, start: int) -> int | None:
    """The "to" before the new time: the last one whose right side reads as a date or time."""
    for i in range(len(toks) - 2, start - 1, -1):
        if toks[i].key in _RESCHEDULE_SPLIT and roles[i] is None:
            probe = free_scanner(toks, roles, lex, today)
            f = probe.scan(i + 1, len(toks))
            if f.has_date or f.has_time or f.period is not None or f.question:
                return i
            if probe.time_expr(i + 1, relaxed=True) and i + 2 >= len(toks) - 1:
                return i
    return None


def merge_old(new: Found, old: Found) -> None:
    """"Move my 3pm to tomorrow": the new day keeps the old time, and the other way round."""
    if not new.has_time and old.time is not None:
        new.time = old.time
        new.daypart = new.daypart or old.daypart
    if not new.has_date and old.has_date:
        new.dates, new.weekday, new.week_offset = old.dates, old.weekday, old.week_offset
        new.day_offset = old.day_offset
        if old.daypart is not None and new.daypart is None:
            new.daypart = old.daypart


def shift_minutes(toks: list[Token], lex: Lexicon, start: int, roles: list[str | None] | None = None) -> int | None:
    """"push it back by an hour" -> 60, "bring it forward 30 minutes" -> -30 (the amount's
    tokens, with "by", are marked in `roles` when given)."""
    keys = [t.key for t in toks]
    if not set(keys) & _SHIFT_LATER:
        return None
    s = Scanner(toks, lex, NO_DAY)
    for i in range(start, len(toks)):
        hit = s.amount(i)
        if hit:
            minutes = hit[1]
            if roles is not None:
                for k in range(i - (keys[i - 1] == "by" if i > 0 else 0), hit[0]):
                    roles[k] = roles[k] or extract.ROLE_TIME
            sign = -1 if set(keys) & {"earlier", "forward", "sooner", "früher"} else 1
            return sign * minutes
    return None
