"""Edits of when: the operations on the open item's times, from a reply's words.

  shift      "an hour later", "push it by 30 minutes", "15 min earlier": start and end move by that
             elapsed time from the item's own start ("a day later": same wall-clock time)
  stretch    "make it 30 min longer" / "shorter": only the end moves
  retime     "make it 9:45", "change the time to 11", "4:30 instead", "until 5pm": new time, same
             date and length (or a new end)
  redate     "friday instead", "move it to the day after", "next week same time": new date, same
             time and length
  repeat     "make it weekly" (on the start's weekday), "every Monday"
Part of `apply_edit` (edit.py); what reaches past the horizon (limits.py) becomes a question.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ..item import Item, Kind
from . import extract
from .dates import resolve
from .grammar import Found, TimeOfDay
from .kinds import mark
from .lexicons import Lexicon
from .limits import QUESTIONS, TOO_FAR, TOO_LONG, in_horizon, shifted
from .scanning import bare_hour, free_scanner
from .series import RRULE_DAYS
from .tokens import NUM, PUNCT, Token
from .wall_time import local, place

UTC = timezone.utc
_END_WORDS = frozenset({"until", "till", "til", "end", "ends", "ending", "finish", "finishes",
                        "finishing", "bis"})


def shift_or_stretch(toks: list[Token], keys: list[str], roles, lex: Lexicon) -> tuple[str, int, int] | None:
    """"an hour later", "push it by 30 minutes", "pull it forward 15 min", "30 minutes earlier",
    "make it 30 min longer", "an hour shorter" -> ("shift" | "stretch", minutes, days)."""
    words = set(keys)
    later, earlier = words & lex.edit_later, words & lex.edit_earlier
    longer, shorter = words & lex.edit_longer, words & lex.edit_shorter
    if not (later or earlier or longer or shorter or words & lex.edit_move):
        return None
    s = free_scanner(toks, roles, lex)
    for i in range(len(toks)):
        hit = s.amount(i) or bare_amount(toks, keys, roles, lex, i)
        if hit is None:
            continue
        end, minutes, unit = hit
        per = lex.units.get(unit, 1)
        if longer or shorter:
            if i > 0 and keys[i - 1] in lex.range_to and per < 1440:
                mark(roles, i - 1, end, "k")            # "cut it to 30 min": the new length
                mark_directions(keys, roles, lex)
                return "length", minutes, 0
            op, sign = "stretch", -1 if shorter and not longer else 1
        else:
            op, sign = "shift", -1 if earlier and not later else 1
        mark(roles, i, end, "k")
        mark_directions(keys, roles, lex)
        if per >= 1440:
            return op, 0, sign * round(minutes / 1440)
        return op, sign * minutes, 0
    return None


def mark_directions(keys: list[str], roles, lex: Lexicon) -> None:
    """The words saying which way the item moves or stretches are read."""
    for x, k in enumerate(keys):
        if roles[x] is None and (k in lex.edit_later or k in lex.edit_earlier or k in lex.edit_longer
                                 or k in lex.edit_shorter or k in lex.edit_move):
            roles[x] = "k"


def bare_amount(toks: list[Token], keys: list[str], roles, lex: Lexicon, i: int) -> tuple[int, float, str] | None:
    """"move it up 15", "push it back by 20": a lone number right after a direction (or "by") is
    minutes, or hours when under 5 ("push it back 2"); after "to" or "at" it stays a time."""
    t = toks[i]
    if roles[i] is not None or t.kind != NUM or i == 0 or not 0 < t.value <= 240 or t.value != int(t.value):
        return None
    before = keys[i - 1]
    if not (before in lex.edit_later or before in lex.edit_earlier or before == "by"):
        return None
    if i + 1 < len(toks) and toks[i + 1].kind not in (PUNCT,) and roles[i + 1] is None \
            and keys[i + 1] not in lex.edit_filler:
        return None
    if t.value < 5:
        return i + 1, t.value * 60, "hours"
    return i + 1, t.value, "minutes"


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
    for i, t in enumerate(toks):
        if roles[i] is None and t.kind == NUM and 0 <= t.value <= 24:
            bare_hour(toks, roles, lex, i, found)
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
                here = value.astimezone(zone)
                day = shifted(here.date(), now, days=days)
                return local(day, here.hour, here.minute, zone) if day is not None else None
            return shifted(value, now, days=days)
        if not isinstance(value, datetime):
            return None
        out = shifted(value.astimezone(UTC), now, minutes=minutes)     # elapsed time
        return out.astimezone(zone) if out is not None else None

    if op == "length":
        if not isinstance(start, datetime) or item.kind == Kind.REMINDER:
            return None
        return {"end": shifted(start, now, minutes=minutes) or end}
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
    parts = []
    for part in rule.split(";"):
        if part.startswith("BYDAY=") and all(d in RRULE_DAYS for d in part[6:].split(",")):
            moved_days = [RRULE_DAYS[(RRULE_DAYS.index(d) + days) % 7] for d in part[6:].split(",")]
            part = "BYDAY=" + ",".join(sorted(moved_days, key=RRULE_DAYS.index))
        parts.append(part)
    return ";".join(parts)


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
    fresh_days = f.rec is not None and bool(f.rec.byday) and old_day is not None \
        and (old_day - now.astimezone(zone).date()).days <= 7     # "every Monday and Thursday"
    if old is not None and f.offset_minutes is None:
        if not said_date and not fresh_days:
            old_day = old.astimezone(zone).date() if isinstance(old, datetime) else old
            f.dates = [old_day]
        if not said_time and isinstance(old, datetime) and not f.all_day:
            wall = old.astimezone(zone)
            f.time = TimeOfDay(wall.hour, wall.minute, explicit=True)
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
    if not in_horizon(item.start, now):
        return too_far()        # the item itself lies past the horizon
    h, m, extra = place(f.time)
    start = item.start.astimezone(zone)
    end = local(start.date() + timedelta(days=extra), h, m, zone)
    if end <= start:
        end += timedelta(days=1)
    return {"end": end}
