"""`apply_edit()`: patch a pending item from a reply in plain words ("make it 4pm", "add Boris").

A reply is an edit only when every word is either understood (a time, a date, a length, a
place, people to add or remove, a new title, "no location", a repeat rule) or filler ("make it",
"instead", "please"). Anything else means a new request, and we return None.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..item import Item, Kind
from . import extract
from .dates import resolve
from .limits import QUESTIONS, TOO_FAR, TOO_LONG, beyond, in_horizon, shifted
from .kinds import mark
from .lexicons import Lexicon, detect_language
from .parser import scan_into, to_zone
from .grammar import Found, TimeOfDay
from .tokens import EMAIL, PUNCT, Token, tokenize

_END_WORDS = frozenset({"until", "till", "til", "end", "ends", "ending", "finish", "finishes",
                        "finishing", "bis"})


def apply_edit(item: Item, text: str, now: datetime, tz: str | ZoneInfo) -> Item | None:
    """The item with the reply's changes applied (same id), or None when the text is not an edit."""
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

    renamed = rename(text, toks, keys, roles, lex)
    if renamed is not None:
        return item.with_changes(title=renamed) if renamed else None
    if flag(lex.edit_no_location, keys, roles):
        changes["location"] = None
    if flag(lex.edit_no_repeat, keys, roles):
        changes["recurrence"] = None
    people = edit_people(item, toks, keys, roles, lex)
    if people is not None:
        changes["attendees"] = people

    found = scan_into(toks, roles, lex, now.date(), 0, len(toks))
    place = extract.location(toks, roles, lex)
    if place is None:
        place = location_word(text, toks, keys, roles, lex)
    if place:
        changes["location"] = place
    if not all(ok_leftover(t, r, lex) for t, r in zip(toks, roles)):
        return None
    question = found.question or beyond(found, now.date())
    if question:
        changes.update(start=None, end=None, needs_clarification=True, question=question)
        return item.with_changes(**changes)
    timing = retime(item, found, toks, roles, now, zone)
    if timing is None and not changes:
        return None
    changes.update(timing or {})
    return item.with_changes(**changes)


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


def edit_people(item: Item, toks: list[Token], keys: list[str], roles, lex: Lexicon) -> list[str] | None:
    """"add Boris", "invite anna@x.com and Carl", "remove Boris", "without Boris"."""
    people = list(item.attendees)
    changed = False
    for table, adding in ((lex.edit_add, True), (lex.edit_remove, False)):
        for i in range(len(keys)):
            if roles[i] is not None:
                continue
            hit = table.match(keys, i)
            if not hit:
                continue
            names, end = extract.name_list(toks, roles, hit[0], lex, lowercase_ok=True)
            if not names:
                continue
            mark(roles, i, hit[0], "k")
            for name in names:
                if adding and not any(p.lower() == name.lower() for p in people):
                    people.append(name)
                elif not adding:
                    people = [p for p in people if p.lower() != name.lower()
                              and p.lower().split("@")[0] != name.lower()]
            changed = True
    for i, t in enumerate(toks):
        if t.kind == EMAIL and roles[i] is None:
            roles[i] = "a"
            if t.text not in people:
                people.append(t.text)
            changed = True
    return people if changed else None


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


def retime(item: Item, f: Found, toks: list[Token], roles, now: datetime, zone: ZoneInfo) -> dict | None:
    """New start/end/recurrence from the reply's date, time, length or repeat rule."""
    said_date = f.has_date
    said_time = f.time is not None or f.daypart is not None or f.offset_minutes is not None
    if f.time is not None and f.end_time is None and ends_at(toks, roles):
        return new_end(item, f, now, zone)
    if not (said_date or said_time or f.duration or f.rec or f.all_day):
        return None
    old = item.start
    if not in_horizon(old, now) and not (said_date and said_time):
        return too_far()        # the item itself lies past the horizon: its day or time can't be kept
    if f.duration and not (said_date or said_time or f.rec):
        if isinstance(old, datetime) and item.kind != Kind.REMINDER:
            end = shifted(old, now, minutes=f.duration)
            return {"end": end} if end is not None else too_far(question=TOO_LONG)
        if isinstance(old, date) and not isinstance(old, datetime) and f.duration >= 1440:
            end = shifted(old, now, days=round(f.duration / 1440))
            return {"end": end} if end is not None else too_far(question=TOO_LONG)
        return {"duration_minutes": f.duration} if item.kind == Kind.FIND_TIME else None
    if old is not None and f.offset_minutes is None:
        if not said_date:
            old_day = old.astimezone(zone).date() if isinstance(old, datetime) else old
            f.dates = [old_day]
        if not said_time and isinstance(old, datetime) and not f.all_day:
            local = old.astimezone(zone)
            f.time = TimeOfDay(local.hour, local.minute, explicit=True)
    kind = item.kind if item.kind in (Kind.EVENT, Kind.REMINDER) else Kind.EVENT
    res = resolve(f, kind, now, zone)
    if res.out_of_range:
        return too_far(res.question)
    if res.start is None:
        return None
    out: dict = {"start": res.start, "all_day": res.all_day, "needs_clarification": False,
                 "question": None}
    if res.original_tz:
        out["original_tz"] = res.original_tz
    if f.rec is not None:
        out["recurrence"] = res.recurrence
    if item.kind == Kind.REMINDER:
        out["end"] = None
        out["all_day"] = False
    elif item.kind in (Kind.EVENT,):
        out["end"] = keep_length(item, res, f, now)
    else:
        out["end"] = res.end
    return out


def too_far(question: str | None = None) -> dict:
    """The changes for a reply that reaches past the horizon (limits.py): ask again."""
    return {"start": None, "end": None, "needs_clarification": True,
            "question": question if question in QUESTIONS else TOO_FAR}


def keep_length(item: Item, res, f: Found, now: datetime):
    """Changing the start keeps the duration unless the reply gave a new one."""
    if f.end_time is not None or f.duration or f.date_range:
        return res.end
    old_start, old_end = item.start, item.end
    if old_start is None or old_end is None:
        return res.end
    same = {isinstance(v, datetime) for v in (res.start, old_start, old_end)}
    if len(same) == 1:
        return shifted(res.start, now, old_end - old_start) or res.end
    return res.end


def ends_at(toks: list[Token], roles) -> bool:
    """Did the reply say the time is an end ("until 5pm", "end at 5")?"""
    for i, r in enumerate(roles):
        if r == extract.ROLE_TIME:
            return toks[i].key in _END_WORDS or (i > 0 and toks[i - 1].key in _END_WORDS)
    return False


def new_end(item: Item, f: Found, now: datetime, zone: ZoneInfo) -> dict | None:
    if not isinstance(item.start, datetime) or f.time is None:
        return None
    from .dates import local, place

    if not in_horizon(item.start, now):
        return too_far()        # the item itself lies past the horizon
    h, m, extra = place(f.time)
    start = item.start.astimezone(zone)
    end = local(start.date() + timedelta(days=extra), h, m, zone)
    if end <= start:
        end += timedelta(days=1)
    return {"end": end}
