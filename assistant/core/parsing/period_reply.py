"""The reply to "Which day in March?": a day read inside the period the item was said with.

An event or reminder said only by a period ("trip to Rome in March", "dentist sometime next week")
has no start: it keeps the period in `Item.within` and asks which day (dates.vague_period). The answer ("the 14th",
"Thursday", "on the 3rd at 3pm") is read as if today were the eve of the period, so "the 14th" is
that month's 14th and "Thursday" that week's Thursday; an all-day answer is then one day long, not
the length of the period.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..item import Item
from .dates import WHICH_DAY


def period_asked(item: Item) -> date | None:
    """The first day of the period an item asks a day within, or None."""
    if not item.needs_clarification or item.within is None or not (item.question or "").startswith(WHICH_DAY):
        return None
    first = item.within[0]
    return first.date() if isinstance(first, datetime) else first


def as_offered(item: Item) -> Item:
    """The item with what waits in `within` (a period's first day, a day offered) as its start."""
    assert item.within is not None
    first, end = item.within
    return item.with_changes(start=first, end=end, within=None, all_day=not isinstance(first, datetime))


def pick_day(item: Item, text: str, now: datetime, zone: ZoneInfo,
             edit: Callable[[Item, str, datetime, ZoneInfo], Item | None]) -> Item | None:
    """`edit` applied with the clock set to the eve of the period; None when the reply is no edit."""
    first = period_asked(item)
    assert first is not None and item.within is not None
    item = as_offered(item)
    local_now = now.astimezone(zone)
    eve = first - timedelta(days=1)
    anchored = local_now if eve <= local_now.date() else local_now.replace(
        year=eve.year, month=eve.month, day=eve.day, hour=23, minute=59)
    edited = edit(item, text, anchored, zone)
    if edited is None or edited.start == item.start:
        return edited
    if edited.all_day and isinstance(edited.start, date) and not isinstance(edited.start, datetime):
        edited = edited.with_changes(end=edited.start + timedelta(days=1))
    if edited.question == item.question:
        edited = edited.with_changes(needs_clarification=False, question=None)
    return edited


__all__ = ["as_offered", "period_asked", "pick_day"]
