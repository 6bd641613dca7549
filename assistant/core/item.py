"""The item model: what one request turns into, before and after the owner confirms it.

Pure data. Times are aware `datetime`s for timed items and `date`s for all-day ones; an all-day
`end` is exclusive, as in iCalendar.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    EVENT = "event"
    REMINDER = "reminder"
    NOTE = "note"
    QUERY = "query"
    CANCEL = "cancel"
    RESCHEDULE = "reschedule"
    FIND_TIME = "find_time"
    UNKNOWN = "unknown"


When = datetime | date | None


@dataclass
class Match:
    """Which existing event a cancel or reschedule request means: words of its title, and when it is
    (the old time; a reschedule's `Item.start` is the new one)."""
    title: str | None = None
    start: When = None


def new_id() -> str:
    """A short random id, safe in URLs, iCalendar UIDs and Telegram callback data."""
    return uuid.uuid4().hex[:16]


@dataclass
class Item:
    kind: Kind
    title: str = ""
    start: When = None
    end: When = None
    all_day: bool = False
    attendees: list[str] = field(default_factory=list)
    location: str | None = None
    recurrence: str | None = None
    duration_minutes: int | None = None
    needs_clarification: bool = False
    question: str | None = None
    """What to ask the owner when `needs_clarification` is set."""
    confidence: float = 0.0
    """0..1: how sure the parser is; below a threshold an LLM (when configured) takes over."""
    source_text: str = ""
    body: str | None = None
    """A note's content (an event's description)."""
    context: str | None = None
    """The forwarded message or e-mail the item was made from, kept as its description."""
    match: Match | None = None
    """For cancel and reschedule: the existing event meant."""
    original_tz: str | None = None
    """The zone the owner named ("9am Pacific"), when it differs from theirs."""
    target: str | None = None
    """The calendar or notes target chosen for it; None means the routing default."""
    within: tuple[When, When] | None = None
    """While a day is asked for ("trip to Rome in March" -> "Which day in March?"): the period said,
    as the start and end it would have on the period's first day. `start` stays None until then."""
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        self.kind = Kind(self.kind)
        if isinstance(self.match, dict):
            self.match = Match(title=self.match.get("title"), start=parse_when(self.match.get("start")))
        for name, value in (("start", self.start), ("end", self.end),
                            ("match.start", self.match.start if self.match else None)):
            if isinstance(value, datetime) and value.tzinfo is None:
                raise ValueError(f"{name} must be timezone-aware")

    @property
    def description(self) -> str | None:
        """What a calendar keeps as the event's description: the note's text, else the forwarded context."""
        return self.body or self.context

    def with_changes(self, **changes: Any) -> "Item":
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = self.kind.value
        data["start"] = format_when(self.start)
        data["end"] = format_when(self.end)
        if self.match is not None:
            data["match"] = {"title": self.match.title, "start": format_when(self.match.start)}
        data["within"] = [format_when(w) for w in self.within] if self.within else None
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Item":
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["start"] = parse_when(values.get("start"))
        values["end"] = parse_when(values.get("end"))
        values["attendees"] = list(values.get("attendees") or [])
        within = values.get("within")
        values["within"] = (parse_when(within[0]), parse_when(within[1])) if within else None
        return cls(**values)

    @classmethod
    def from_json(cls, text: str) -> "Item":
        return cls.from_dict(json.loads(text))


def format_when(value: When) -> str | None:
    if value is None:
        return None
    return value.isoformat()


def parse_when(value: str | date | None) -> When:
    if value is None or isinstance(value, date):
        return value
    if len(value) == 10:
        return date.fromisoformat(value)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"time without a UTC offset: {value}")
    return parsed
