"""Edits of a repeating item's days: "and Thursdays too", "not on Fridays", "weekdays only".

Part of `apply_edit` (edit.py). Only a daily or weekly rule is edited this way; its other parts
(INTERVAL, UNTIL, COUNT) stay. The start becomes the new rule's first occurrence after now — or
after the old start, when that lies more than a week ahead (a series said to start later).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from ..item import Item
from .kinds import mark
from .lexicons import Lexicon
from .series import RRULE_DAYS
from .tokens import Token
from .wall_time import local


class DaysOp(Enum):
    ADD = "add"
    REMOVE = "remove"
    ONLY = "only"


def said_days(keys: list[str], roles, lex: Lexicon) -> list[tuple[int, int, tuple[int, ...]]]:
    """(start, end, weekdays) of each day or set of days the reply names."""
    out = []
    i = 0
    while i < len(keys):
        hit = None
        if roles[i] is None:
            for table in (lex.weekday_sets, lex.weekday_plurals, lex.weekdays):
                hit = table.match(keys, i)
                if hit:
                    days = hit[1] if isinstance(hit[1], tuple) else (hit[1],)
                    out.append((i, hit[0], days))
                    break
        i = hit[0] if hit else i + 1
    return out


def rule_days(rule: str, start: date) -> tuple[dict[str, str], set[int]] | None:
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    freq = parts.get("FREQ")
    if freq == "DAILY" and "BYDAY" not in parts:
        return parts, set(range(7))
    if freq != "WEEKLY":
        return None
    if "BYDAY" not in parts:
        return parts, {start.weekday()}
    codes = parts["BYDAY"].split(",")
    if not all(c in RRULE_DAYS for c in codes):
        return None
    return parts, {RRULE_DAYS.index(c) for c in codes}


def repeat_days(item: Item, toks: list[Token], keys: list[str], roles, lex: Lexicon,
                now: datetime, zone: ZoneInfo) -> dict | None:
    """The new rule and start of a repeating item whose days the reply adds, removes or keeps
    only; None when the reply is not about the rule's days."""
    start = item.start
    if item.recurrence is None or start is None:
        return None
    timed = isinstance(start, datetime)
    first_day = start.astimezone(zone).date() if timed else start
    got = rule_days(item.recurrence, first_day)
    named = said_days(keys, roles, lex) if got is not None else []
    if not named or any(k in lex.every for k in keys):
        return None
    parts, days = got
    lead = set(keys[:named[0][0]])
    words = set(keys)
    if words & lex.edit_only:
        op = DaysOp.ONLY
    elif lead & (lex.except_ | lex.edit_remove.first_words()):
        op = DaysOp.REMOVE
    elif words & ((lex.edit_joining - lex.edit_filler) | lex.edit_add.first_words()):
        op = DaysOp.ADD
    else:
        return None
    said = {d for _, _, ds in named for d in ds}
    new = days | said if op == DaysOp.ADD else days - said if op == DaysOp.REMOVE else said
    if not new or new == days:
        return None
    for a, b, _ in named:
        mark(roles, a, b, "k")
    for x, k in enumerate(keys):
        if roles[x] is None and (k in lex.edit_only or k in lex.except_ or k in lex.edit_joining
                                 or lex.edit_add.starts(k) or lex.edit_remove.starts(k)):
            roles[x] = "k"
    parts = {k: v for k, v in parts.items() if k not in ("FREQ", "BYDAY")}
    head = "FREQ=DAILY" if len(new) == 7 else "FREQ=WEEKLY;BYDAY=" + ",".join(RRULE_DAYS[d] for d in sorted(new))
    rule = ";".join([head] + [f"{k}={v}" for k, v in parts.items()])
    base = first_day if first_day - now.astimezone(zone).date() > timedelta(days=7) else now.astimezone(zone).date()
    wall = start.astimezone(zone) if timed else None
    for n in range(8):
        day = base + timedelta(days=n)
        if day.weekday() not in new:
            continue
        at = local(day, wall.hour, wall.minute, zone) if wall is not None else day
        if isinstance(at, datetime) and at <= now:
            continue
        length = item.end - start if item.end is not None else None
        return {"recurrence": rule, "start": at, "end": at + length if length is not None else None}
    return None
