"""`apply_edit()`: patch a pending item from a reply in plain words ("make it 4pm", "add Boris").

Edits are operations on the open item, not new requests:
  shift      "an hour later", "push it by 30 minutes", "15 min earlier": start and end move by that
             elapsed time from the item's own start ("a day later": same wall-clock time)
  stretch    "make it 30 min longer" / "shorter": only the end moves
  retime     "make it 9:45", "change the time to 11", "4:30 instead": new time, same date and length
  redate     "friday instead", "move it to the day after", "next week same time": new date, same
             time and length
  people     "add Sam", "with Anna too", "Sam is coming too", "without Bill", "not Boris, Bill"
             (Bill takes Boris's place, in the title too)
  kind       "make it a reminder" (at the item's start, no end), "make it an event"
  repeat     "make it weekly" (on the start's weekday), "every Monday", "just once"
  place, title, "no location" as before.

A reply is an edit only when every word is either understood or filler ("make it", "instead",
"please"). Anything else is a new request or chatter, and we return None: the item never changes
silently.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ..item import Item, Kind
from . import extract
from .dates import resolve
from .limits import QUESTIONS, TOO_FAR, TOO_LONG, beyond, in_horizon, shifted
from .kinds import mark
from .lexicons import Lexicon, detect_language
from .parser import WHAT_QUESTION, scan_into, to_zone
from .grammar import Found, TimeOfDay
from .tokens import EMAIL, NUM, PUNCT, Token, tokenize

UTC = timezone.utc

_PRONOUNS = frozenset({"her", "him", "them"})
_END_WORDS = frozenset({"until", "till", "til", "end", "ends", "ending", "finish", "finishes",
                        "finishing", "bis"})


def apply_edit(item: Item, text: str, now: datetime, tz: str | ZoneInfo) -> Item | None:
    """The item with the reply's changes applied (same id), or None when the text is not an edit."""
    edited = edit_item(item, text, now, tz)
    if item.question != WHAT_QUESTION or not item.needs_clarification:
        return edited
    if edited is None:                  # the answer to "What is it?" names it
        lex = detect_language(text)
        return name_it(item, text, tokenize(text[:500], lex), lex, now)
    if not edited.title:
        edited = edited.with_changes(needs_clarification=True, question=WHAT_QUESTION)
    return edited


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

    for lead in (("what", "about"), ("how", "about")):      # "what about Tuesday?"
        if tuple(keys[:2]) == lead:
            mark(roles, 0, 2, "k")
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
    move = shift_or_stretch(toks, keys, roles, lex)
    days = relative_days(keys, roles, lex) if move is None else None

    found = scan_into(toks, roles, lex, now.date(), 0, len(toks))
    if not found.has_time:
        bare_time(toks, roles, lex, found)
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
    if move is not None:
        timing = moved(item, move, now, zone)
    else:
        if days is not None and not found.has_date:
            found.day_shift = days
        timing = retime(item, found, toks, roles, now, zone)
    if timing is None and not changes and new_kind is None:
        return None
    changes.update(timing or {})
    edited = item.with_changes(**changes)
    return as_kind(edited, new_kind, zone) if new_kind is not None else edited


def name_it(item: Item, text: str, toks: list[Token], lex: Lexicon, now: datetime) -> Item | None:
    """The answer to "What is it?" ("tomorrow 9am" -> "dentist"): the reply is the title, unless
    it says when (then it is an edit or a new request)."""
    from .grammar import Scanner

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


def edit_people(item: Item, toks: list[Token], keys: list[str], roles, lex: Lexicon) -> tuple[list[str], str] | None:
    """"add Boris", "invite anna@x.com and Carl", "with Anna too", "Sam is coming too", "remove
    Boris", "without Boris", "not Boris, Bill" -> (the new attendees, the title)."""
    people = list(item.attendees)
    title = item.title
    changed = False
    swap = replacement(toks, keys, roles, lex)
    if swap is not None:
        old, new = swap
        people = [new if same_person(p, old) else p for p in people]
        if not any(same_person(p, new) for p in people):
            people.append(new)
        title = replace_word(title, old, new)
        changed = True
    coming, leaving = joining(toks, keys, roles, lex)
    for name in coming:
        if leaving:
            people = [p for p in people if not same_person(p, name)]
        elif not any(same_person(p, name) for p in people):
            people.append(name)
        changed = True
    for table, adding in ((lex.edit_add, True), (lex.edit_remove, False)):
        for i in range(len(keys)):
            if roles[i] is not None:
                continue
            hit = table.match(keys, i)
            if not hit:
                continue
            names, end = extract.name_list(toks, roles, hit[0], lex, lowercase_ok=True)
            if not names and not adding and hit[0] < len(keys) and keys[hit[0]] in _PRONOUNS:
                # "Kate cancelled, remove her": the person just named, or the only one there is
                named = coming or (people if len(people) == 1 else [])
                if named:
                    names, end = list(named), hit[0] + 1
                    mark(roles, hit[0], end, "k")
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
    return (people, title) if changed else None


def same_person(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a == b or a.split("@")[0] == b or a.split()[0] == b


def replace_word(title: str, old: str, new: str) -> str:
    """"Lunch with Boris" -> "Lunch with Bill"."""
    return re.sub(rf"\b{re.escape(old)}\b", new, title, flags=re.IGNORECASE) if title else title


def replacement(toks: list[Token], keys: list[str], roles, lex: Lexicon) -> tuple[str, str] | None:
    """"not Boris, Bill" / "not Boris but Bill" / "Bill instead of Boris" / "replace Boris with
    Bill" / "swap Boris for Bill" -> (old, new)."""
    n = len(toks)
    for i in range(n):
        if roles[i] is not None:
            continue
        k = keys[i]
        if k in lex.edit_not or k in lex.edit_swap:
            a, end_a = extract.name_list(toks, roles, i + 1, lex, lowercase_ok=True)
            if len(a) == 2 and "and" not in keys[i + 1:end_a] and "&" not in keys[i + 1:end_a]:
                mark(roles, i, end_a, "k")              # "not Boris, Bill"
                return a[0], a[1]
            if len(a) != 1:
                unmark_people(roles, i + 1, end_a)
                continue
            j = end_a
            while j < n and roles[j] is None and keys[j] in (",", "-", "—", "–", "but", "with", "for", "by", "->", "→", "rather"):
                j += 1
            b, end_b = extract.name_list(toks, roles, j, lex, lowercase_ok=True)
            if len(b) == 1:
                mark(roles, i, end_b, "k")
                return a[0], b[0]
            unmark_people(roles, i + 1, end_b)
        if i + 3 < n and keys[i + 1] == "instead" and keys[i + 2] == "of":      # "Bill instead of Boris"
            b, end_b = extract.name_list(toks, roles, i, lex, lowercase_ok=True)
            if len(b) == 1 and end_b == i + 1:
                a, end_a = extract.name_list(toks, roles, i + 3, lex, lowercase_ok=True)
                if len(a) == 1:
                    mark(roles, i, end_a, "k")
                    return a[0], b[0]
            unmark_people(roles, i, n)
    return None


def unmark_people(roles, a: int, b: int) -> None:
    for x in range(a, min(b, len(roles))):
        if roles[x] in (extract.ROLE_PERSON, extract.ROLE_WITH):
            roles[x] = None


def joining(toks: list[Token], keys: list[str], roles, lex: Lexicon) -> tuple[list[str], bool]:
    """"with Anna too", "Sam is coming too", "Sam joins", "Anna as well": people who join;
    "Anna can't make it", "Boris isn't coming": people who leave (then the flag is True)."""
    n = len(toks)
    for i in range(n):
        if roles[i] is not None:
            continue
        start = i + 1 if keys[i] in ("with", "w", "w/", "also", "plus") else i
        if start == i and i > 0 and any(r is None and keys[x] not in lex.edit_filler for x, r in enumerate(roles[:i])):
            continue
        names, end = extract.name_list(toks, roles, start, lex, lowercase_ok=True)
        stop = next((x for x in range(end, n) if keys[x] in (",", ";", ".", "!")), n)   # this clause
        rest = [k for k, r in zip(keys[end:stop], roles[end:stop]) if r is None]
        words = lex.edit_joining | lex.edit_leaving
        if names and rest and all(k in words or k in lex.edit_filler for k in rest) \
                and any(k in words for k in rest) or names and start > i and not rest:
            leaving = start == i and any(k in lex.edit_leaving for k in rest)
            mark(roles, i, end, "k")
            for x in range(end, stop):
                if roles[x] is None and keys[x] in words:
                    roles[x] = "k"
            return names, leaving
        unmark_people(roles, start, end)
    return [], False


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
            from .dates import REMINDER_DEFAULT, local

            start = local(start, *REMINDER_DEFAULT, zone)
        return item.with_changes(kind=kind, start=start, end=None, all_day=False)
    if kind == Kind.EVENT and isinstance(start, datetime):
        end = item.end if isinstance(item.end, datetime) and item.end > start else shifted(start, start, minutes=60)
        return item.with_changes(kind=kind, end=end)
    return item.with_changes(kind=kind)


def shift_or_stretch(toks: list[Token], keys: list[str], roles, lex: Lexicon) -> tuple[str, int, int] | None:
    """"an hour later", "push it by 30 minutes", "pull it forward 15 min", "30 minutes earlier",
    "make it 30 min longer", "an hour shorter" -> ("shift" | "stretch", minutes, days)."""
    from .grammar import Scanner

    words = set(keys)
    later, earlier = words & lex.edit_later, words & lex.edit_earlier
    longer, shorter = words & lex.edit_longer, words & lex.edit_shorter
    if not (later or earlier or longer or shorter):
        return None
    s = Scanner(toks, lex, date(2000, 1, 1))
    s.f.used = [r is not None for r in roles]
    for i in range(len(toks)):
        hit = s.amount(i)
        if hit is None:
            continue
        end, minutes, unit = hit
        per = lex.units.get(unit, 1)
        if longer or shorter:
            op, sign = "stretch", -1 if shorter and not longer else 1
        else:
            op, sign = "shift", -1 if earlier and not later else 1
        mark(roles, i, end, "k")
        for x, k in enumerate(keys):
            if roles[x] is None and (k in lex.edit_later or k in lex.edit_earlier or k in lex.edit_longer
                                     or k in lex.edit_shorter):
                roles[x] = "k"
        if per >= 1440:
            return op, 0, sign * round(minutes / 1440)
        return op, sign * minutes, 0
    return None


def relative_days(keys: list[str], roles, lex: Lexicon) -> int | None:
    """"the day after", "the next day", "the day before", "the week after" -> days from the item."""
    for i in range(len(keys)):
        if roles[i] is not None:
            continue
        hit = lex.anchor_days.match(keys, i)
        if hit and not (hit[0] < len(keys) and keys[hit[0]] in lex.relative_days):
            mark(roles, i, hit[0], "k")
            return hit[1]
    return None


def bare_time(toks: list[Token], roles, lex: Lexicon, found: Found) -> None:
    """"change the time to 11", "make it 11", "11 instead": a lone number in an edit is the hour."""
    from .grammar import Scanner

    for i, t in enumerate(toks):
        if roles[i] is None and t.kind == NUM and 0 <= t.value <= 24:
            s = Scanner(toks, lex, date(2000, 1, 1))
            s.f.used = [r is not None for r in roles]
            hit = s.time_expr(i, relaxed=True)
            if hit:
                found.time = hit[1]
                for k in range(i, hit[0]):
                    roles[k] = extract.ROLE_TIME
            return


def moved(item: Item, move: tuple[str, int, int], now: datetime, zone: ZoneInfo) -> dict | None:
    """Start and end shifted (or the end stretched) from the item's own times."""
    op, minutes, days = move
    start, end = item.start, item.end
    if start is None:
        return None
    if not in_horizon(start, now):
        return too_far()

    def by(value):
        if value is None:
            return None
        if days:
            if isinstance(value, datetime):     # a day later: the same wall-clock time
                from .dates import local

                here = value.astimezone(zone)
                day = shifted(here.date(), now, days=days)
                return local(day, here.hour, here.minute, zone) if day is not None else None
            return shifted(value, now, days=days)
        if not isinstance(value, datetime):
            return None
        out = shifted(value.astimezone(UTC), now, minutes=minutes)     # elapsed time
        return out.astimezone(zone) if out is not None else None

    if op == "shift":
        new_start = by(start)
        if new_start is None:
            return too_far()
        new_end = by(end) if end is not None else None
        out = {"start": new_start, "end": new_end, "needs_clarification": False, "question": None}
        if days and item.recurrence and "BYDAY=" in item.recurrence and isinstance(start, date):
            out["recurrence"] = shift_byday(item.recurrence, days)
        return out
    if end is None:
        if item.kind == Kind.REMINDER:
            return None
        end = start + (timedelta(days=1) if not isinstance(start, datetime) else timedelta(minutes=60))
    new_end = by(end)
    if new_end is None:
        return too_far(question=TOO_LONG)
    if new_end <= start:
        return None
    return {"end": new_end}


def shift_byday(rule: str, days: int) -> str:
    """A weekly rule moved by whole days keeps its days in step ("MO,WE" + 1 -> "TU,TH")."""
    from .dates import RRULE_DAYS

    parts = []
    for part in rule.split(";"):
        if part.startswith("BYDAY=") and all(d in RRULE_DAYS for d in part[6:].split(",")):
            moved_days = [RRULE_DAYS[(RRULE_DAYS.index(d) + days) % 7] for d in part[6:].split(",")]
            part = "BYDAY=" + ",".join(sorted(moved_days, key=RRULE_DAYS.index))
        parts.append(part)
    return ";".join(parts)


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
    old = item.start
    old_day = (old.astimezone(zone).date() if isinstance(old, datetime) else old) if old is not None else None
    if old_day is not None and not f.has_date and f.week_offset is not None and f.weekday is None:
        # "next week same time", "the week after": the item's own day, that many weeks on
        f.dates = [old_day + timedelta(weeks=f.week_offset)] if f.week_offset else []
        f.period = None
        f.week_offset = None
    if old_day is not None and getattr(f, "day_shift", None) is not None:
        f.dates = [old_day + timedelta(days=f.day_shift)]
    said_date = f.has_date
    said_time = f.time is not None or f.daypart is not None or f.offset_minutes is not None
    if f.time is not None and f.end_time is None and ends_at(toks, roles):
        return new_end(item, f, now, zone)
    if not (said_date or said_time or f.duration or f.rec or f.all_day):
        return None
    if f.rec is not None and f.rec.freq == "WEEKLY" and not f.rec.byday and f.weekday is None \
            and old_day is not None and not said_date:
        f.rec.byday = [old_day.weekday()]        # "make it weekly": on the start's weekday
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
