"""Which stored event a request means ("cancel the dentist", "move lunch with Anna to 2pm"), and the
event at its new time. Pure: candidates come in as `Busy` occurrences, `now` and the zone as arguments."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo

from assistant.core.item import Item, Kind, Match
from assistant.core.slots import Busy
from assistant.core.zones import midnight

SEARCH_BACK = timedelta(days=1)
SEARCH_AHEAD = timedelta(days=30)
_STOP = {"the", "a", "an", "with", "my", "meeting", "call", "event", "at", "on", "to", "for", "and"}


def words(text: str | None) -> set[str]:
    """The words of a title that identify it (no stop words, no single letters)."""
    return {w for w in re.findall(r"\w+", (text or "").lower()) if w not in _STOP and len(w) > 1}


def target_of(request: Item) -> Item:
    """The request as a description of the existing event: its `match` when the parser found one; a
    reschedule's own start is the *new* time and must not narrow the search."""
    match = request.match
    if match is None:
        return request if request.kind != Kind.RESCHEDULE else request.with_changes(start=None, end=None)
    start = match.start
    return request.with_changes(title=match.title or request.title, start=start, end=None, match=None,
                                all_day=start is not None and not isinstance(start, datetime))


def search_window(item: Item, now: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """The day named, the dates named, or from yesterday to a month ahead."""
    if isinstance(item.start, datetime):
        day = item.start.astimezone(zone).date()
        return midnight(day, zone), midnight(day + timedelta(days=1), zone)
    if isinstance(item.start, date):
        end = item.end
        last = end if isinstance(end, date) and not isinstance(end, datetime) and end > item.start \
            else item.start + timedelta(days=1)
        return midnight(item.start, zone), midnight(last, zone)
    return now - SEARCH_BACK, now + SEARCH_AHEAD


def score(busy: Busy, item: Item, wanted: set[str]) -> float:
    """How well an occurrence fits: shared title words (prefixes count half), then the time named."""
    total = 0.0
    if wanted:
        title = words(busy.title)
        shared = len(wanted & title) + 0.5 * sum(
            1 for w in wanted for t in title
            if w != t and (t.startswith(w) or w.startswith(t)) and min(len(w), len(t)) >= 3)
        if shared == 0:
            return 0.0
        total += shared
    else:
        total += 0.1
    if isinstance(item.start, datetime):
        if busy.start == item.start:
            total += 3
        elif busy.start <= item.start < busy.end:
            total += 2
        elif not wanted:
            return 0.0
    return total


def best_matches(candidates: list[Busy], item: Item, now: datetime) -> list[Busy]:
    """The candidates that fit the request, best first; ties go to the one nearest the time named."""
    wanted = words(item.title)
    anchor = item.start if isinstance(item.start, datetime) else now
    scored = [(score(b, item, wanted), b) for b in candidates]
    scored = [(s, b) for s, b in scored if s > 0]
    scored.sort(key=lambda pair: (-pair[0], abs((pair[1].start - anchor).total_seconds())))
    return [busy for _, busy in scored]


def moved(event: Busy, request: Item, zone: tzinfo) -> Item | None:
    """The existing event at the requested new time, keeping its length, title, place and people.

    A new day without a time ("move it to Friday") keeps the event's time of day.
    """
    start = request.start
    if start is None:
        return None
    keep = {"title": event.title or "(busy)", "location": event.location, "attendees": list(event.attendees)}
    if not isinstance(start, datetime):
        if event.all_day:
            return Item(kind=Kind.EVENT, start=start, end=start + timedelta(days=1), all_day=True, **keep)
        local = event.start.astimezone(zone)
        start = datetime.combine(start, local.timetz().replace(tzinfo=None), tzinfo=zone)
    length = event.end - event.start if event.end and not event.all_day else timedelta(hours=1)
    end = request.end if isinstance(request.end, datetime) and request.end > start else start + length
    return Item(kind=Kind.EVENT, start=start, end=end, **keep)


__all__ = ["Match", "best_matches", "moved", "score", "search_window", "target_of", "words"]
