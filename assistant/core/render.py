"""Item → preview text and buttons, shared by every channel. Plain text; channels add markup."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Iterable, Sequence

from assistant.core import weekdays
from assistant.core.item import Item, Kind
from assistant.core.zones import zone_or

RRULE_DAYS = dict(zip(weekdays.RRULE, weekdays.NAMES))
KIND_ICON = {Kind.EVENT: "📅", Kind.REMINDER: "⏰", Kind.NOTE: "📝"}


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    """What the tap means: create, edit, calendars, alternatives, cancel, target:NAME, slot:N, undo…"""


@dataclass
class Reply:
    """What the assistant answers, whatever the channel: text, buttons, and the item it is about."""
    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    item_id: str | None = None
    link: str | None = None
    more: list["Reply"] = field(default_factory=list)
    """Further answers to send after this one, each its own message (a message holding several requests
    gets a preview for each)."""
    photo: bytes | None = field(default=None, repr=False)
    """A PNG sent with the text as its caption (the week as a picture); channels without pictures save it."""
    day: date | None = None
    """The day this answer is about (the daily agenda): a reply to it is understood as about that day."""

    @property
    def actions(self) -> set[str]:
        return {b.action for row in self.buttons for b in row}

    @property
    def is_preview(self) -> bool:
        """A card the owner confirms (a preview, or a yes/no question about an existing event)."""
        return bool(self.actions & {"create", "apply"})


@dataclass
class Preview:
    lines: list[str]
    buttons: list[list[Button]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Entry:
    """One event in an agenda or a conflict line, already resolved to plain values."""
    title: str
    start: datetime | date
    end: datetime | date | None = None
    all_day: bool = False
    calendar: str = ""


def preview(item: Item, zone: tzinfo, target: str, conflicts: Sequence[Entry] = (),
            alternatives: Sequence[tuple[datetime, datetime]] = ()) -> Preview:
    """The card the owner confirms: what, when, who, where, how often, which calendar, what clashes."""
    icon = KIND_ICON.get(item.kind, "•")
    lines = [f"{icon} {item.title or '(no title)'}"]
    if item.kind != Kind.NOTE:
        lines.append(f"🕐 {when_text(item, zone)}")
        if item.original_tz and isinstance(item.start, datetime):
            (there,) = local(zone_or(item.original_tz, zone), item.start)
            lines.append(f"   ({there:%H:%M} {item.original_tz})")
    if item.attendees:
        lines.append("👥 " + ", ".join(item.attendees))
    if item.location:
        lines.append(f"📍 {item.location}")
    if item.recurrence:
        lines.append(f"🔁 {recurrence_text(item.recurrence)}")
    if item.kind == Kind.NOTE and item.body and item.body != item.title:
        lines.append(item.body)
    lines.append(f"🗂 {target_text(target)}")
    for entry in conflicts[:3]:
        lines.append(f"⚠️ overlaps {entry.title} {span_text(entry, zone)}")
    if conflicts and alternatives:
        lines.append("Free instead: " + ", ".join(slot_text(s, e, zone) for s, e in alternatives[:3]))
    return Preview(lines, preview_buttons(bool(alternatives)))


def preview_buttons(has_alternatives: bool) -> list[list[Button]]:
    first = [Button("✅ Create", "create"), Button("✏️ Edit", "edit")]
    second = [Button("Calendar ▸", "calendars")]
    if has_alternatives:
        second.append(Button("Alternatives", "alternatives"))
    second.append(Button("✖️ Cancel", "cancel"))
    return [first, second]


def target_text(target: str) -> str:
    return "Built-in calendar" if target == "local" else f"Calendar: {target}"


def local(zone: tzinfo, *instants: datetime) -> tuple[datetime, ...]:
    """The instants on the wall clock of `zone`: every time this module shows is converted here.

    Near the ends of the calendar (31 Dec 9999, 1 Jan 0001) a zone may not be able to show an instant
    (its local date would fall outside years 1–9999): then all of them are shown in UTC, and when even
    UTC cannot, as they were given, so rendering never fails on a valid item."""
    for target in (zone, timezone.utc):
        try:
            return tuple(t.astimezone(target) for t in instants)
        except (OverflowError, ValueError):
            continue
    return instants


def when_text(item: Item, zone: tzinfo) -> str:
    start, end = item.start, item.end
    if start is None:
        return "no date yet"
    if not isinstance(start, datetime):
        if isinstance(end, date) and not isinstance(end, datetime) and end - start > timedelta(days=1):
            return f"{day_text(start)} – {day_text(end - timedelta(days=1))} (all day)"
        return f"{day_text(start)} (all day)"
    if not isinstance(end, datetime):
        (start,) = local(zone, start)
        return f"{day_text(start.date())}, {start:%H:%M}"
    start, end = local(zone, start, end)
    until = f"–{end:%H:%M}" if end.date() == start.date() else f" – {day_text(end.date())}, {end:%H:%M}"
    return f"{day_text(start.date())}, {start:%H:%M}{until} ({duration_text(end - start)})"


def day_text(day: date) -> str:
    return f"{weekdays.NAMES[day.weekday()][:3]} {day.day} {day:%b} {day.year}"


def duration_text(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def span_text(entry: Entry, zone: tzinfo) -> str:
    if entry.all_day or not isinstance(entry.start, datetime):
        return "(all day)"
    start, end = _entry_times(entry, zone)
    return f"{start:%H:%M}–{end:%H:%M}" if end else f"{start:%H:%M}"


def entry_when(entry: Entry, zone: tzinfo) -> str:
    """ "Wed 11 Mar 2026, 14:00–15:00" or "Wed 11 Mar 2026 (all day)": the day and span of an event."""
    if entry.all_day or not isinstance(entry.start, datetime):
        return f"{day_text(_entry_day(entry, zone))} (all day)"
    return f"{day_text(_entry_day(entry, zone))}, {span_text(entry, zone)}"


def _entry_times(entry: Entry, zone: tzinfo) -> tuple[datetime, datetime | None]:
    """A timed entry's start and end (None when it has no timed end) on the wall clock of `zone`."""
    if isinstance(entry.end, datetime):
        start, end = local(zone, entry.start, entry.end)
        return start, end
    return local(zone, entry.start)[0], None


def _entry_day(entry: Entry, zone: tzinfo) -> date:
    return _entry_times(entry, zone)[0].date() if isinstance(entry.start, datetime) else entry.start


def slot_day_text(start: datetime, end: datetime, zone: tzinfo) -> str:
    """ "Wed 11 Mar 2026, 14:00–14:30": a free slot with its full date, for a list of choices."""
    start, end = local(zone, start, end)
    return f"{day_text(start.date())}, {start:%H:%M}–{end:%H:%M}"


def slot_text(start: datetime, end: datetime, zone: tzinfo) -> str:
    start, end = local(zone, start, end)
    return f"{weekdays.NAMES[start.weekday()][:3]} {start:%H:%M}–{end:%H:%M}"


def recurrence_text(rule: str) -> str:
    """An RRULE in words: "every weekday", "every other Monday", "monthly on the 1st"."""
    parts = dict(p.split("=", 1) for p in rule.removeprefix("RRULE:").split(";") if "=" in p)
    try:
        interval = int(parts.get("INTERVAL", "1") or 1)
        month_days = [int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d]
    except ValueError:
        return rule
    freq = parts.get("FREQ", "")
    days = [d[-2:] for d in parts.get("BYDAY", "").split(",") if d]
    every = "every" if interval == 1 else ("every other" if interval == 2 else f"every {interval}")
    if freq == "DAILY" and not days:
        text = "every day" if interval == 1 else f"{every} days"
    elif freq in ("WEEKLY", "DAILY") and days:
        if sorted(days) == sorted(weekdays.RRULE[:5]):
            text = "every weekday"
        else:
            text = f"{every} " + _join([RRULE_DAYS.get(d, d) for d in days])
    elif freq == "WEEKLY":
        text = "every week" if interval == 1 else f"{every} weeks"
    elif freq == "MONTHLY":
        on = f" on the {_join([ordinal(d) for d in month_days])}" if month_days else ""
        text = ("monthly" if interval == 1 else f"{every} months") + on
    elif freq == "YEARLY":
        text = "every year" if interval == 1 else f"{every} years"
    else:
        text = rule
    if "COUNT" in parts:
        text += f", {parts['COUNT']} times"
    if "UNTIL" in parts:
        until = parts["UNTIL"][:8]
        text += f", until {until[:4]}-{until[4:6]}-{until[6:8]}"
    return text


def ordinal(n: int) -> str:
    if n < 0:
        return "last day" if n == -1 else f"{ordinal(-n)} to last"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def agenda(entries: Iterable[Entry], zone: tzinfo, title: str) -> str:
    """Events grouped by day, in the owner's zone."""
    lines = [title]
    current: date | None = None
    count = 0
    for entry in sorted(entries, key=lambda e: _sort_key(e, zone)):
        day = _entry_day(entry, zone)
        if day != current:
            lines.append("")
            lines.append(day_text(day))
            current = day
        lines.append(f"  {span_text(entry, zone)}  {entry.title}")
        count += 1
    if not count:
        lines.append("Nothing planned.")
    return "\n".join(lines)


def _sort_key(entry: Entry, zone: tzinfo) -> tuple:
    if isinstance(entry.start, datetime):
        start = _entry_times(entry, zone)[0]
        return (start.date(), 1, start.time())
    return (entry.start, 0, None)


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
