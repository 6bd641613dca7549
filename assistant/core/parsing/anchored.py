"""Requests said right after another in the same message, read against it (see several.py):
"... and remind me an hour before", "the day after at 8", "also remind me at 6", "a follow-up the
next day at the same time", "remind me to pack the night before".

What a later request may say about the first, and what it becomes (`anchor_refs`):
  * an amount before/after it ("an hour before", "30 minutes after", "напомни за час") -> minutes;
  * a day from it ("the day before", "the same day", "2 days after", "накануне") -> days;
  * a part of a day from it ("the night before", "the evening before", "the morning of", "am Abend
    davor") -> days, the part of the day left to the grammar (the night is 20:00, as tonight);
  * "the same time" -> the first item's time of day, and its length.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ..item import Item, Kind
from . import extract
from .dates import Resolved
from .grammar import Found
from .grammar.found import Daypart
from .kinds import mark
from .lexicons import Lexicon
from .limits import TOO_FAR
from .scanning import free_scanner, scan_into
from .tokens import WORD, Token
from .wall_time import local

UTC = timezone.utc
_ANCHOR_WORDS = frozenset({"before", "after", "earlier", "later", "prior", "ahead"})
_BEFORE_WORDS = frozenset({"before", "earlier", "prior", "ahead"})


@dataclass(slots=True)
class Refs:
    """What a later request says about the item before it (see the module docstring)."""
    minutes: int | None = None          # from its start: "an hour before" -60
    days: int | None = None             # from its day: "the day before" -1
    same_time: bool = False             # "at the same time": its time of day and length
    daypart: Daypart | None = None      # "the night before": that part of the shifted day


def anchor_refs(toks: list[Token], roles: list[str | None], lex: Lexicon) -> Refs:
    """Words that point back at an item said before, marked as when-words so the title leaves
    them out."""
    keys = [t.key for t in toks]
    s = free_scanner(toks, roles, lex)
    refs = Refs()
    i = 0
    while i < len(toks):
        if roles[i] is not None:
            i += 1
            continue
        if refs.days is None:
            part = daypart_shift(keys, roles, i, lex)
            if part is not None:
                after, refs.days, h, m, mer = part
                refs.daypart = Daypart(h, m, mer, None, False)
                mark(roles, i, after, extract.ROLE_TIME)
                i = after
                continue
            hit = lex.anchor_days.match(keys, i)
            if hit and not (hit[0] < len(keys) and (keys[hit[0]] in lex.relative_days or keys[hit[0]] in lex.weekdays)):
                mark(roles, i, hit[0], extract.ROLE_TIME)
                refs.days = hit[1]
                i = hit[0]
                continue
        if not refs.same_time:
            hit = lex.same_time.match(keys, i)
            if hit:
                mark(roles, i, hit[0], extract.ROLE_TIME)
                refs.same_time = True
                i = hit[0]
                continue
        if refs.minutes is None:
            read = amount_ref(toks, roles, keys, s, i, lex)
            if read is not None:
                i, minutes, shift = read
                if shift is None:
                    refs.minutes = minutes
                elif refs.days is None:
                    refs.days = shift
                continue
        i += 1
    return refs


def amount_ref(toks: list[Token], roles: list[str | None], keys: list[str], s, i: int, lex: Lexicon
               ) -> tuple[int, int | None, int | None] | None:
    """"an hour before", "2 days after", "за час" at i -> (index after it, minutes, days), or None."""
    amount = s.amount(i)
    if amount is None:
        return None
    end, minutes, unit = amount
    per = lex.units.get(unit, 1)
    lead = i > 0 and keys[i - 1] in lex.anchor_lead and roles[i - 1] is None
    if lead and (end >= len(toks) or keys[end] not in lex.range_to and keys[end] not in lex.until):
        mark(roles, i - 1, end, extract.ROLE_TIME)      # "напомни за час"
        return (end, None, -round(minutes / 1440)) if per >= 1440 else (end, -minutes, None)
    word = keys[end] if end < len(toks) else ""
    if not (word in _ANCHOR_WORDS or word in lex.anchor_before or word in lex.anchor_after) or roles[end] is not None:
        return None
    nxt = keys[end + 1] if end + 1 < len(keys) else ""
    if nxt in lex.weekdays or nxt in lex.relative_days or nxt in lex.months or nxt in lex.the:
        return None                         # "2 days before Friday": the grammar's
    sign = -1 if word in _BEFORE_WORDS or word in lex.anchor_before else 1
    mark(roles, i, end + 1, extract.ROLE_TIME)
    if per >= 1440:
        return end + 1, None, sign * round(minutes / 1440)
    return end + 1, sign * minutes, None


def daypart_shift(keys: list[str], roles: list[str | None], i: int, lex: Lexicon
                  ) -> tuple[int, int, int, int, str | None] | None:
    """"the night before", "on the evening after", "the morning of", "am Abend davor" at i ->
    (index after the phrase, days, hour, minute, am/pm), or None. The night is tonight's hour."""
    j = i
    while j < len(keys) and j < i + 2 and (keys[j] in lex.the or keys[j] in lex.on):
        j += 1
    if j + 1 >= len(keys) or any(r is not None for r in roles[i:j + 2]):
        return None
    part = lex.dayparts.get(keys[j])
    if part is None or part[3] is not None:
        return None                         # "tonight", "heute Abend": a day of their own
    word = keys[j + 1]
    nxt = keys[j + 2] if j + 2 < len(keys) else ""
    if nxt in lex.weekdays or nxt in lex.relative_days or nxt in lex.months or nxt in lex.the or nxt[:1].isdigit():
        return None                         # "the morning of March 5": a date of its own
    if word in _BEFORE_WORDS or word in lex.anchor_before:
        days = -1
    elif word in lex.anchor_after and word != "from":
        days = 1
    elif word in lex.of:
        days = 0
    else:
        return None
    return j + 2, days, part[0], part[1], part[2]


def from_anchor(found: Found, refs: Refs, anchor: Item, zone: ZoneInfo, lend_day: bool = True) -> datetime | None:
    """Read what was found against the earlier item: an instant for "an hour before" or "the
    same time"; else the earlier item's day (moved by "the day before") for a day-less time —
    unless `lend_day` is False (its own day was not said: in "at 8 and at 5" each time follows
    the time rule). None: nothing to do."""
    found.anchor_minutes, found.day_shift = refs.minutes, refs.days
    if refs.daypart is not None and found.daypart is None and found.time is None:
        found.daypart = refs.daypart
    try:
        return _from_anchor(found, refs, anchor, zone, lend_day)
    except (OverflowError, ValueError):
        found.question = TOO_FAR            # an item at the edge of the calendar (limits.py)
        return None


def _from_anchor(found: Found, refs: Refs, anchor: Item, zone: ZoneInfo, lend_day: bool) -> datetime | None:
    start = anchor.start
    timed = isinstance(start, datetime)
    same = refs.same_time and found.time is None and found.daypart is None
    if timed and (refs.minutes is not None or same):
        here = start.astimezone(zone)
        if refs.days:
            here = local(here.date() + timedelta(days=refs.days), here.hour, here.minute, zone)
        if same and found.duration is None and isinstance(anchor.end, datetime):
            found.duration = max(1, round((anchor.end - start).total_seconds() / 60))
        at = (here.astimezone(UTC) + timedelta(minutes=refs.minutes or 0)).astimezone(zone)
        found.dates = [at.date()]           # a when of its own, so "a follow-up ..." is an event
        return at
    if refs.minutes is not None or start is None:
        return None
    day = start.astimezone(zone).date() if timed else start
    if refs.days is not None:
        found.dates = [day + timedelta(days=refs.days)]
    elif lend_day and not found.has_date and found.offset_minutes is None and found.rec is None and (
            found.time is not None or found.daypart is not None):
        found.dates = [day]                 # "... Also remind me at 6 to buy wine": that day
    return None


@dataclass(slots=True)
class Lead:
    """"15 minutes before the meeting at 3", "2 days before the party on Friday": an amount counted
    from the when said after it, in the same request. `marks` are the tokens read, left unmarked
    again when nothing is said after them to count from."""
    minutes: int                        # signed: before < 0
    days: bool                          # whole days: moved on the calendar, the wall time kept
    after: int                          # first token past "before the"
    marks: list[int]


def lead_amount(toks: list[Token], roles: list[str | None], lex: Lexicon) -> Lead | None:
    """An amount followed by "before"/"after" and an item ("the meeting", "my flight", "standup"),
    marked as a when so the title is the item. Not "2 days before Friday": a date is the grammar's."""
    keys = [t.key for t in toks]
    n = len(toks)
    s = None
    for e in range(1, n):
        if roles[e] is not None or not lex.event_anchors.starts(keys[e]):
            continue
        hit = lex.event_anchors.match(keys, e)
        if hit is None or hit[0] >= n or roles[hit[0]] is not None or not _names_item(toks[hit[0]], lex):
            continue
        s = s or free_scanner(toks, roles, lex)
        for i in range(max(0, e - 8), e):
            amount = s.amount(i) if roles[i] is None else None
            if amount is None or amount[0] != e:
                continue
            _, minutes, unit = amount
            k = hit[0] + (keys[hit[0]] in lex.event_pointers)
            first = i - 1 if i > 0 and keys[i - 1] in lex.anchor_lead and roles[i - 1] is None else i
            marks = [j for j in range(first, k) if roles[j] is None]
            for j in marks:
                roles[j] = extract.ROLE_TIME
            days = lex.units.get(unit, 1) >= 1440 and minutes % 1440 == 0
            return Lead(hit[1] * (int(minutes) // 1440 if days else int(minutes)), days, k, marks)
    return None


def _names_item(tok: Token, lex: Lexicon) -> bool:
    """Does the word after "before" begin an item ("the", "meeting"), not a date or time?"""
    key = tok.key
    if tok.kind != WORD:
        return False
    return key in lex.event_pointers or not (
        key in lex.weekdays or key in lex.relative_days or key in lex.months or key in lex.dayparts
        or key in lex.numbers or key in lex.next or key in lex.this or key in lex.starts_date)


def scan_with_lead(toks: list[Token], roles: list[str | None], lex: Lexicon, today: date
                   ) -> tuple[Found, Lead | None]:
    """The grammar's reading, with "15 minutes before the meeting" set aside when a when is said
    after it; else read as if it were not there."""
    lead = lead_amount(toks, roles, lex)
    saved = roles[:] if lead is not None else None
    found = scan_into(toks, roles, lex, today, 0, len(toks))
    if lead is None or saved is None:
        return found, None
    said_after = any(r == extract.ROLE_TIME for r in roles[lead.after:])
    if said_after and (found.time is not None or lead.days and found.has_date) and found.rec is None:
        return found, lead
    for j in lead.marks:
        saved[j] = None
    roles[:] = saved
    return scan_into(toks, roles, lex, today, 0, len(toks)), None


def apply_lead(lead: Lead, res: Resolved, found: Found, kind: Kind, zone: ZoneInfo) -> Resolved:
    """`res` moved by the amount (see `scan_with_lead`)."""
    start = res.start
    if kind not in (Kind.EVENT, Kind.REMINDER) or res.recurrence or start is None:
        return res
    if lead.days:
        if isinstance(start, datetime):
            here = start.astimezone(zone)
            moved = local(here.date() + timedelta(days=lead.minutes), here.hour, here.minute, zone)
            end = moved + (res.end - start) if isinstance(res.end, datetime) else None
            return replace(res, start=moved, end=end)
        day = start + timedelta(days=lead.minutes)
        return replace(res, start=day, end=res.end + timedelta(days=lead.minutes) if res.end else None)
    if not isinstance(start, datetime) or found.time is None:
        return res
    moved = (start.astimezone(UTC) + timedelta(minutes=lead.minutes)).astimezone(zone)
    if kind == Kind.REMINDER or res.end is None:
        return replace(res, start=moved, end=None)
    if lead.minutes < 0 and found.duration is None:
        return replace(res, start=moved, end=start)     # "prep 30 minutes before the talk at 3": up to it
    return replace(res, start=moved, end=moved + (res.end - start))
