"""The week picture's layout, by value: where every part of the picture goes, in pixels, before anything is drawn.

Pure in the sense of `core`: entries, the zone, the days, working hours, "now" and the calendars' colours
come in; a `Layout` (day columns, the hour range, event blocks side by side when they overlap and outlined
when they clash, the all-day band, free blocks, the "now" line) comes out, which is what tests check by
value and what `week_picture.draw()` paints. Times are placed on the wall clock of the owner's zone: an
event crossing midnight is laid out in both days, and on a daylight-saving day an event sits at the hours
the clock shows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from math import ceil, floor
from typing import Collection, Iterable, Mapping, Sequence

from assistant.core.availability import free_blocks
from assistant.core.render import Entry
from assistant.core.zones import midnight

WIDTH, HEIGHT = 1280, 960
"""Telegram shows photos up to 1,280 px on the long side, so this is sent as it is drawn."""

MARGIN = 16
HEADER = 64          # the title and the legend
DAY_HEADER = 50      # "Tue 10 Mar"
GUTTER = 72          # the hour labels on the left
BAND_LANE = 30       # one row of all-day events
BAND_LANES = 3       # more all-day rows than this are counted ("+2 more")
MIN_BLOCK = 16       # px: the shortest an event block is drawn
POINT_EVENT = timedelta(minutes=15)
"""How long an event without an end (or with end = start) is drawn."""

PALETTE = ("#4C7BD9", "#2E9E78", "#C0663F", "#8E63C7", "#B8891B", "#C2527A", "#2E93B8", "#7A8B2E")
"""Calendar colours in order ("local" first): saturated enough for a dark background, each with readable
white or black text."""


@dataclass(frozen=True)
class View:
    """What to draw: the days from `start`, which of them, working hours and how things look."""
    start: date
    days: int = 7
    title: str = ""
    work_days: frozenset[int] = frozenset(range(5))
    work_start: time = time(9)
    work_end: time = time(18)
    working_days_only: bool = False
    """Only working days get a column — and any other day that has something planned."""
    free_minimum: timedelta = timedelta(hours=1)
    all_day_blocks: bool = True
    """Whether a blocking all-day event takes the free time of its days (as in previews' conflicts)."""
    colours: Mapping[str, str] = field(default_factory=dict)
    """Calendar name → "#rrggbb"; calendars not named get the next palette colours."""
    non_blocking: Collection[Entry] = frozenset()
    """Entries that inform but do not block (free/transparent events, calendars with busy = false): drawn
    paler, never a conflict, never taking free time."""
    size: tuple[int, int] = (WIDTH, HEIGHT)


@dataclass(frozen=True)
class Column:
    day: date
    x0: float
    x1: float
    working: bool


@dataclass(frozen=True)
class Block:
    """One day's part of a timed event (`start`, `end`: that part, in UTC)."""
    entry: Entry
    day: date
    start: datetime
    end: datetime
    box: tuple[float, float, float, float]
    lane: int
    lanes: int
    conflict: bool
    blocking: bool
    colour: str


@dataclass(frozen=True)
class Bar:
    """An all-day (or 24 h and longer) event in the band on top, from one column to another."""
    entry: Entry
    first: int
    last: int
    lane: int
    box: tuple[float, float, float, float] | None
    """None when it is beyond the lanes shown (then it is counted as "+N more")."""
    colour: str


@dataclass(frozen=True)
class Free:
    """Free time in working hours (`start`, `end` in UTC)."""
    day: date
    start: datetime
    end: datetime
    box: tuple[float, float, float, float]


@dataclass
class Layout:
    view: View
    zone: tzinfo
    columns: list[Column]
    first_hour: int
    last_hour: int
    grid: tuple[float, float, float, float]
    """The time grid's box: x0, y0 (first_hour), x1, y1 (last_hour)."""
    blocks: list[Block]
    bars: list[Bar]
    hidden: dict[int, int]
    """Column index → all-day events not shown for want of lanes."""
    free: list[Free]
    now: datetime | None
    now_line: tuple[float, float, float] | None
    """x0, x1, y of the "now" line, when now is in the picture."""
    legend: list[tuple[str, str]]
    """(calendar, colour) of the calendars in the picture."""

    def y(self, position: float) -> float:
        x0, y0, x1, y1 = self.grid
        return y0 + (position - self.first_hour) * (y1 - y0) / (self.last_hour - self.first_hour)


def calendar_colours(names: Iterable[str]) -> dict[str, str]:
    """A colour per calendar in the given order (the same order gives the same colours every time)."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(dict.fromkeys(names))}


def layout(entries: Sequence[Entry], zone: tzinfo, view: View, now: datetime | None = None) -> Layout:
    """Where everything goes, in pixels: `entries` are the view's events (all-day ones with `all_day`),
    `now` (or None) shades the past, draws the line and starts the free time."""
    width, height = view.size
    days = [view.start + timedelta(days=i) for i in range(max(1, view.days))]
    timed, long_ones = _split(entries, zone)
    colours = _colours(view.colours, [e.calendar for e in entries])

    shown = days
    if view.working_days_only:
        planned = {d for d in days if any(_on_day(e, d, zone) for e in timed)}
        planned |= {d for e in long_ones for d in days if _all_day_span(e, zone)[0] <= d < _all_day_span(e, zone)[1]}
        shown = [d for d in days if d.weekday() in view.work_days or d in planned] or days

    # the hour range: the working hours at least, and every event shown
    segments = [(e, d, s, f) for e in timed for d in shown for s, f in [_segment(e, d, zone)] if s is not None]
    first = view.work_start.hour
    last = view.work_end.hour + (1 if view.work_end.minute else 0)
    for entry, day, start, end in segments:
        if utc(entry.start) >= start:  # the morning part of last night's event does not stretch the hours
            first = min(first, floor(hours_into(start, day, zone)))
        last = max(last, ceil(hours_into(end, day, zone)))
    first, last = max(0, first), min(24, max(last, first + 1))

    # the all-day band
    bars, lanes_used = _bars(long_ones, shown, zone, colours)
    band = BAND_LANE * min(lanes_used, BAND_LANES) + (8 if lanes_used else 0)
    gx0, gx1 = GUTTER, width - MARGIN
    gy0 = HEADER + DAY_HEADER + band + 8
    gy1 = height - MARGIN
    step = (gx1 - gx0) / len(shown)
    columns = [Column(d, gx0 + i * step, gx0 + (i + 1) * step, d.weekday() in view.work_days)
               for i, d in enumerate(shown)]
    band_top = HEADER + DAY_HEADER + 4
    placed_bars, hidden = [], {}
    for bar in bars:
        if bar.lane < BAND_LANES:
            y0 = band_top + bar.lane * BAND_LANE
            box = (columns[bar.first].x0 + 3, y0, columns[bar.last].x1 - 3, y0 + BAND_LANE - 4)
            placed_bars.append(Bar(bar.entry, bar.first, bar.last, bar.lane, box, bar.colour))
        else:
            placed_bars.append(bar)
            for i in range(bar.first, bar.last + 1):
                hidden[i] = hidden.get(i, 0) + 1

    result = Layout(view, zone, columns, first, last, (gx0, gy0, gx1, gy1), [], placed_bars, hidden, [], now,
                    None, [])
    non_blocking = set(view.non_blocking)
    for index, column in enumerate(columns):
        mine = [(e, s, f) for e, d, s, f in segments if d == column.day]
        result.blocks += _blocks(result, column, mine, non_blocking, colours)
        if column.working:
            busy = [(b.start, b.end) for b in result.blocks if b.day == column.day and b.blocking]
            if view.all_day_blocks and any(b.first <= index <= b.last and b.entry not in non_blocking
                                           for b in placed_bars):
                continue
            result.free += _free(result, column, busy, now)
    if now is not None:
        local = now.astimezone(zone)
        column = next((c for c in columns if c.day == local.date()), None)
        position = hours_into(now, local.date(), zone)
        if column is not None and first <= position <= last:
            result.now_line = (column.x0, column.x1, result.y(position))
    present = {b.entry.calendar for b in result.blocks} | {b.entry.calendar for b in placed_bars}
    result.legend = [(name, colours[name]) for name in colours if name in present]
    return result


def _split(entries: Sequence[Entry], zone: tzinfo) -> tuple[list[Entry], list[Entry]]:
    """Timed events, and those for the band: all-day ones and timed ones of 24 hours or more."""
    timed, band = [], []
    for entry in entries:
        if entry.all_day or not isinstance(entry.start, datetime):
            band.append(entry)
        elif isinstance(entry.end, datetime) and utc(entry.end) - utc(entry.start) >= timedelta(hours=24):
            band.append(entry)
        else:
            timed.append(entry)
    return timed, band


def utc(moment: datetime) -> datetime:
    """Instants are compared and subtracted in UTC: in one zone Python compares wall clocks, so the repeated
    hour of a daylight-saving change would look like the same time."""
    return moment.astimezone(timezone.utc)


def end_of(entry: Entry) -> datetime:
    """A timed entry's end (UTC); one without an end, or ending as it starts, lasts POINT_EVENT."""
    start = utc(entry.start)
    end = utc(entry.end) if isinstance(entry.end, datetime) else None
    return end if end is not None and end > start else start + POINT_EVENT


def _segment(entry: Entry, day: date, zone: tzinfo) -> tuple[datetime | None, datetime | None]:
    """The part of a timed entry inside `day` (midnight to midnight in `zone`), or (None, None)."""
    begin, finish = utc(midnight(day, zone)), utc(midnight(day + timedelta(days=1), zone))
    start, end = max(utc(entry.start), begin), min(end_of(entry), finish)
    return (start, end) if start < end else (None, None)


def _on_day(entry: Entry, day: date, zone: tzinfo) -> bool:
    return _segment(entry, day, zone)[0] is not None


def hours_into(moment: datetime, day: date, zone: tzinfo) -> float:
    """Hours since the start of `day` on the wall clock (24 for the next midnight)."""
    local = moment.astimezone(zone)
    if local.date() > day:
        return 24.0
    if local.date() < day:
        return 0.0
    return local.hour + local.minute / 60 + local.second / 3600


def _all_day_span(entry: Entry, zone: tzinfo) -> tuple[date, date]:
    """[first day, day after the last) of a band entry."""
    def day_of(value: datetime | date) -> date:
        return value.astimezone(zone).date() if isinstance(value, datetime) else value

    first = day_of(entry.start)
    if entry.end is None:
        return first, first + timedelta(days=1)
    last = day_of(entry.end)
    if isinstance(entry.end, datetime) and not entry.all_day:
        local_end = entry.end.astimezone(zone)
        if local_end.time() != time(0):          # a timed multi-day event ends during its last day
            last += timedelta(days=1)
    return first, max(last, first + timedelta(days=1))


def _bars(entries: list[Entry], shown: list[date], zone: tzinfo, colours: Mapping[str, str]) -> tuple[list[Bar], int]:
    found = []
    for entry in entries:
        first, after = _all_day_span(entry, zone)
        covered = [i for i, d in enumerate(shown) if first <= d < after]
        if covered:
            found.append((covered[0], covered[-1], entry))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0]), f[2].title))
    lane_ends: list[int] = []
    bars = []
    for first, last, entry in found:
        lane = next((i for i, end in enumerate(lane_ends) if end < first), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(last)
        else:
            lane_ends[lane] = last
        bars.append(Bar(entry, first, last, lane, None, colours[entry.calendar]))
    return bars, len(lane_ends)


def _blocks(result: Layout, column: Column, segments: list[tuple[Entry, datetime, datetime]],
            non_blocking: set[Entry], colours: Mapping[str, str]) -> list[Block]:
    """A column's events: those whose blocks would overlap on screen share the width side by side (a lane
    each, widened over free lanes to the right); blocking ones that overlap in time are conflicts."""
    zone, first, last = result.zone, result.first_hour, result.last_hour
    shortest = MIN_BLOCK * (last - first) / (result.grid[3] - result.grid[1])    # hours
    placed = []                     # (top, bottom) in hours on screen, entry, start, end
    for entry, start, end in segments:
        top = min(max(hours_into(start, column.day, zone), first), last)
        bottom = max(min(hours_into(end, column.day, zone), last), top + shortest)
        placed.append((top, bottom, entry, start, end))
    placed.sort(key=lambda p: (p[0], -p[1], p[2].title))
    blocks: list[Block] = []
    cluster: list[tuple[float, float, Entry, datetime, datetime, int]] = []
    lane_ends: list[float] = []

    def close() -> None:
        lanes = len(lane_ends)
        width = (column.x1 - column.x0 - 6) / max(lanes, 1)
        for top, bottom, entry, start, end, lane in cluster:
            span = 1
            while lane + span < lanes and not any(
                    o_lane == lane + span and o_top < bottom and top < o_bottom
                    for o_top, o_bottom, *_, o_lane in cluster):
                span += 1
            blocking = entry not in non_blocking
            conflict = blocking and any(
                other is not entry and other not in non_blocking and o_start < end and start < o_end
                for _, _, other, o_start, o_end, _ in cluster)
            x0 = column.x0 + 3 + lane * width
            box = (x0 + 1, result.y(top) + 1, x0 + span * width - 1, result.y(bottom) - 1)
            blocks.append(Block(entry, column.day, start, end, box, lane, lanes, conflict, blocking,
                                colours[entry.calendar]))

    cluster_end = None
    for top, bottom, entry, start, end in placed:
        if cluster_end is not None and top >= cluster_end:
            close()
            cluster, lane_ends = [], []
        lane = next((i for i, lane_end in enumerate(lane_ends) if lane_end <= top), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(bottom)
        else:
            lane_ends[lane] = bottom
        cluster.append((top, bottom, entry, start, end, lane))
        cluster_end = bottom if cluster_end is None else max(cluster_end, bottom)
    if cluster:
        close()
    return blocks


def _free(result: Layout, column: Column, busy: list[tuple[datetime, datetime]], now: datetime | None) -> list[Free]:
    """Free blocks of at least the view's minimum in working hours, from now on."""
    view, zone = result.view, result.zone
    start = utc(datetime.combine(column.day, view.work_start, tzinfo=zone))
    end = utc(datetime.combine(column.day, view.work_end, tzinfo=zone))
    if now is not None:
        start = max(start, utc(now))
    if end - start < view.free_minimum:
        return []
    found = []
    for begin, finish in free_blocks(busy, start, end, view.free_minimum):
        y0 = result.y(hours_into(begin, column.day, zone))
        y1 = result.y(hours_into(finish, column.day, zone))
        found.append(Free(column.day, begin, finish, (column.x0 + 3, y0 + 2, column.x1 - 3, y1 - 2)))
    return found


def _colours(given: Mapping[str, str], names: Iterable[str]) -> dict[str, str]:
    colours = dict(given)
    extra = sorted({n for n in names if n not in colours})
    for i, name in enumerate(extra):
        colours[name] = PALETTE[(len(given) + i) % len(PALETTE)]
    return colours
