"""The window a question or slot search asks about, narrowed by "after" and "before".

"am I free thursday after 3?" asks from Thursday 15:00 to the end of that day; "find 2 hours
before Friday" searches from today up to Friday (excluded). The grammar reads the day; these
words, which it leaves alone, cut the all-day window it gives. "find an hour Wednesday or Thursday"
searches both days: the window reaches from the first to the end of the last.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..item import Kind
from . import extract
from .dates import Resolved
from .grammar import Found
from .lexicons import Lexicon
from .scanning import free_scanner
from .tokens import Token
from .wall_time import local, place

_AFTER = frozenset({"after", "nach", "после"})
_BEFORE = frozenset({"before", "by", "vor", "bis", "до"})


def narrow_window(res: Resolved, found: Found, kind: Kind, toks: list[Token], roles: list[str | None],
                  lex: Lexicon, now: datetime, zone: ZoneInfo) -> Resolved:
    """`res` cut by an "after <time>" or a "before <day>" the grammar did not read."""
    if kind not in (Kind.QUERY, Kind.FIND_TIME) or found.rec is not None:
        return res
    today = now.astimezone(zone).date()
    either = either_day(res, toks, roles, lex, today, zone)
    if either is not None:
        return either
    for i, t in enumerate(toks[:-1]):
        if roles[i] is not None:
            continue
        if t.key in _AFTER and found.time is not None and found.end_time is None \
                and roles[i + 1] == extract.ROLE_TIME and isinstance(res.start, datetime):
            roles[i] = extract.ROLE_TIME        # "busy tomorrow after 2pm?": to the day's end
            day = res.start.astimezone(zone).date()
            return Resolved(start=res.start, end=local(day + timedelta(days=1), 0, 0, zone))
        if found.time is not None:
            continue
        if t.key in _AFTER and (res.start is None or res.all_day and type(res.start) is date):
            hit = free_scanner(toks, roles, lex).time_expr(i + 1, relaxed=True)
            if not hit:
                continue
            h, m, extra = place(hit[1])
            day = res.start if res.start is not None else today
            start = local(day + timedelta(days=extra), h, m, zone)
            if res.start is None and start <= now:
                day, start = day + timedelta(days=1), start + timedelta(days=1)
            for k in range(i, hit[0]):
                roles[k] = extract.ROLE_TIME
            return Resolved(start=start, end=local(day + timedelta(days=1), 0, 0, zone), all_day=False)
        if t.key in _BEFORE and res.all_day and type(res.start) is date and roles[i + 1] == extract.ROLE_TIME \
                and not found.date_range and found.period is None and res.start > today:
            roles[i] = extract.ROLE_TIME
            return Resolved(start=today, end=res.start, all_day=True)
    return res


def either_day(res: Resolved, toks: list[Token], roles: list[str | None], lex: Lexicon, today: date,
               zone: ZoneInfo) -> Resolved | None:
    """The window over both days of "Wednesday or Thursday", "Monday or Tuesday afternoon",
    "tomorrow or Friday": the grammar keeps the first day; the day after "or" stretches it (a
    weekday is the next one from the first day, so "Thursday or Monday" is the Monday after)."""
    if res.start is None or res.end is None or res.recurrence:
        return None
    keys = [t.key for t in toks]
    for i in range(1, len(toks) - 1):
        if keys[i] not in lex.alternatives or roles[i] is not None or roles[i - 1] != extract.ROLE_TIME \
                or roles[i + 1] != extract.ROLE_TIME:
            continue
        first = res.start.astimezone(zone).date() if isinstance(res.start, datetime) else res.start
        wd = lex.weekdays.match(keys, i + 1)
        rel = lex.relative_days.match(keys, i + 1) if wd is None else None
        if wd is not None:
            other = first + timedelta(days=(wd[1] - first.weekday()) % 7)
        elif rel is not None and isinstance(rel[1], int):
            other = today + timedelta(days=rel[1])
        else:
            continue
        roles[i] = extract.ROLE_TIME
        shift = (other - first).days
        if isinstance(res.start, datetime) and isinstance(res.end, datetime):
            a, b = res.start.astimezone(zone), res.end.astimezone(zone)
            moved = (local(a.date() + timedelta(days=shift), a.hour, a.minute, zone),
                     local(b.date() + timedelta(days=shift), b.hour, b.minute, zone))
            return Resolved(start=min(res.start, moved[0]), end=max(res.end, moved[1]), all_day=False)
        if type(res.start) is date and type(res.end) is date:
            return Resolved(start=min(res.start, other), end=max(res.end, other + timedelta(days=1)), all_day=True)
        return None
    return None


__all__ = ["either_day", "narrow_window"]
