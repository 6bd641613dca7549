"""Requests said right after another in the same message, read against it (see several.py):
"... and remind me an hour before", "the day after at 8", "also remind me at 6".
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ..item import Item
from . import extract
from .grammar import Found
from .kinds import mark
from .lexicons import Lexicon
from .limits import TOO_FAR
from .scanning import free_scanner
from .tokens import Token

UTC = timezone.utc
_ANCHOR_WORDS = frozenset({"before", "after", "earlier", "later", "prior", "ahead"})


def anchor_refs(toks: list[Token], roles: list[str | None], lex: Lexicon) -> tuple[int | None, int | None]:
    """Words that point back at an item said before: "an hour before" / "30 minutes after" ->
    (minutes, None); "the day before" / "the same day" / "2 days before" -> (None, days)."""
    keys = [t.key for t in toks]
    s = free_scanner(toks, roles, lex)
    for i in range(len(toks)):
        if roles[i] is not None:
            continue
        hit = lex.anchor_days.match(keys, i)
        if hit and not (hit[0] < len(keys) and (keys[hit[0]] in lex.relative_days or keys[hit[0]] in lex.weekdays)):
            mark(roles, i, hit[0], extract.ROLE_TIME)
            return None, hit[1]
        amount = s.amount(i)
        if amount is None:
            continue
        end, minutes, unit = amount
        lead = i > 0 and keys[i - 1] in lex.anchor_lead and roles[i - 1] is None
        if lead and (end >= len(toks) or keys[end] not in lex.range_to and keys[end] not in lex.until):
            mark(roles, i - 1, end, extract.ROLE_TIME)      # "напомни за час"
            per = lex.units.get(unit, 1)
            return (None, -round(minutes / 1440)) if per >= 1440 else (-minutes, None)
        word = keys[end] if end < len(toks) else ""
        if (word in _ANCHOR_WORDS or word in lex.anchor_before or word in lex.anchor_after) and roles[end] is None:
            nxt = keys[end + 1] if end + 1 < len(keys) else ""
            if nxt in lex.weekdays or nxt in lex.relative_days or nxt in lex.months or nxt in lex.the:
                continue                    # "2 days before Friday": the grammar's
            sign = -1 if word in ("before", "earlier", "prior", "ahead") or word in lex.anchor_before else 1
            mark(roles, i, end + 1, extract.ROLE_TIME)
            per = lex.units.get(unit, 1)
            if per >= 1440:
                return None, sign * round(minutes / 1440)
            return sign * minutes, None
    return None, None


def from_anchor(found: Found, anchor: Item, zone: ZoneInfo) -> datetime | None:
    """Read what was found against the earlier item: an instant for "an hour before"; else the
    earlier item's day (moved by "the day before") for a day-less time. None: nothing to do."""
    try:
        return _from_anchor(found, anchor.start, zone)
    except (OverflowError, ValueError):
        found.question = TOO_FAR            # an item at the edge of the calendar (limits.py)
        return None


def _from_anchor(found: Found, start: datetime | date, zone: ZoneInfo) -> datetime | None:
    if found.anchor_minutes is not None:
        if isinstance(start, datetime):
            return (start.astimezone(UTC) + timedelta(minutes=found.anchor_minutes)).astimezone(zone)
        return None
    day = start.astimezone(zone).date() if isinstance(start, datetime) else start
    if found.day_shift is not None:
        found.dates = [day + timedelta(days=found.day_shift)]
    elif not found.has_date and found.offset_minutes is None and found.rec is None and (
            found.time is not None or found.daypart is not None):
        found.dates = [day]                 # "... Also remind me at 6 to buy wine": that day
    return None
