"""The week as a picture: a PNG timeline of day columns, for /week, "show me my week" and the daily agenda.

Pure in the sense of `core`: entries, the zone, the days, working hours, "now" and the calendars' colours
come in as values, PNG bytes go out; nothing reads the clock or the store. Drawing happens in memory with
Pillow; the only file read is the Noto Sans font that ships in the `fontpkg-noto-sans` package (loaded once
and kept), so no system font is assumed.

`layout()` decides where everything goes (day columns, the hour range, event blocks side by side when they
overlap, the all-day band, free blocks, the "now" line) and is what tests check by value; `draw()` paints a
`Layout`; `render()` is both. Times are placed on the wall clock of the owner's zone: an event crossing
midnight is drawn in both days, and on a daylight-saving day an event sits at the hours the clock shows.
"""
from __future__ import annotations

import io
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from math import ceil, floor
from typing import Collection, Iterable, Mapping, Sequence

from assistant.core import weekdays
from assistant.core.availability import free_blocks
from assistant.core.render import Entry
from assistant.core.zones import midnight

WIDTH, HEIGHT = 1280, 960
"""Telegram shows photos up to 1,280 px on the long side, so this is sent as it is drawn."""
CAPTION_LIMIT = 1024
"""Telegram's limit for a photo's caption (UTF-16 units of the parsed text)."""

MARGIN = 16
HEADER = 64          # the title and the legend
DAY_HEADER = 50      # "Tue 10 Mar"
GUTTER = 72          # the hour labels on the left
BAND_LANE = 30       # one row of all-day events
BAND_LANES = 3       # more all-day rows than this are counted ("+2 more")
MIN_BLOCK = 16       # px: the shortest an event block is drawn
POINT_EVENT = timedelta(minutes=15)
"""How long an event without an end (or with end = start) is drawn."""

# Colours: a dark theme that reads in Telegram's dark and light modes alike.
BACKGROUND = (17, 20, 24)
OFF_HOURS = (21, 25, 31)
WORK_HOURS = (29, 35, 43)
HOUR_LINE = (47, 55, 66)
HALF_LINE = (35, 41, 50)
TEXT = (232, 236, 241)
MUTED = (148, 158, 170)
TODAY = (96, 165, 250)
NOW = (255, 122, 69)
CONFLICT = (255, 82, 82)
FREE_FILL = (52, 211, 153, 34)
FREE_EDGE = (52, 211, 153)
FREE_TEXT = (110, 231, 183)
PAST_SHADE = (0, 0, 0, 70)
PALETTE = ("#4C7BD9", "#2E9E78", "#C0663F", "#8E63C7", "#B8891B", "#C2527A", "#2E93B8", "#7A8B2E")
"""Calendar colours in order ("local" first): saturated enough for a dark background, each with readable
white or black text."""

WEEK_PHRASES = re.compile(
    r"^\W*(?:(?:hey|hi|ok|okay|please|pls|can\s+you|could\s+you|would\s+you|bitte|пожалуйста)\W+)*(?:"
    r"(show|draw|display|give|send)\s+(me\s+)?(my|the|this|next)\s+(week|next\s+week)\b"
    r"|(my|the|this|next)\s+week\s+(as\s+an?\s+|in\s+an?\s+)?(picture|image|timeline|at\s+a\s+glance)\b"
    r"|(a\s+)?(picture|image|timeline)\s+of\s+(my|the|this|next)\s+week\b"
    r"|what\s+does\s+(my|this|next)\s+week\s+look\s+like\b"
    r"|zeig\w*\s+(mir\s+)?(meine|die|diese|nächste)\s+woche\b"
    r"|покажи\s+(мне\s+)?(мою\s+|эту\s+|следующую\s+)?неделю)",
    re.IGNORECASE)
"""Asking to see the week, at the start of a message (so "remind me to show the week plan to Anna" stays a
reminder)."""


def asks_for_week(text: str | None) -> bool:
    """Whether a question asks to see the week ("show me my week", "my week at a glance", "what does next
    week look like?", "zeig mir meine Woche", "покажи мою неделю") — answered with the picture."""
    return bool(WEEK_PHRASES.search(text or ""))


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


def render(entries: Sequence[Entry], zone: tzinfo, view: View, now: datetime | None = None) -> bytes:
    """The picture as PNG bytes."""
    return draw(layout(entries, zone, view, now))


# ── layout ──────────────────────────────────────────────────────────────────────────────────
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
        if _utc(entry.start) >= start:  # the morning part of last night's event does not stretch the hours
            first = min(first, floor(_position(start, day, zone)))
        last = max(last, ceil(_position(end, day, zone)))
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
        position = _position(now, local.date(), zone)
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
        elif isinstance(entry.end, datetime) and _utc(entry.end) - _utc(entry.start) >= timedelta(hours=24):
            band.append(entry)
        else:
            timed.append(entry)
    return timed, band


def _utc(moment: datetime) -> datetime:
    """Instants are compared and subtracted in UTC: in one zone Python compares wall clocks, so the repeated
    hour of a daylight-saving change would look like the same time."""
    return moment.astimezone(timezone.utc)


def _end(entry: Entry) -> datetime:
    """A timed entry's end (UTC); one without an end, or ending as it starts, lasts POINT_EVENT."""
    start = _utc(entry.start)
    end = _utc(entry.end) if isinstance(entry.end, datetime) else None
    return end if end is not None and end > start else start + POINT_EVENT


def _segment(entry: Entry, day: date, zone: tzinfo) -> tuple[datetime | None, datetime | None]:
    """The part of a timed entry inside `day` (midnight to midnight in `zone`), or (None, None)."""
    begin, finish = _utc(midnight(day, zone)), _utc(midnight(day + timedelta(days=1), zone))
    start, end = max(_utc(entry.start), begin), min(_end(entry), finish)
    return (start, end) if start < end else (None, None)


def _on_day(entry: Entry, day: date, zone: tzinfo) -> bool:
    return _segment(entry, day, zone)[0] is not None


def _position(moment: datetime, day: date, zone: tzinfo) -> float:
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
        top = min(max(_position(start, column.day, zone), first), last)
        bottom = max(min(_position(end, column.day, zone), last), top + shortest)
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
    start = _utc(datetime.combine(column.day, view.work_start, tzinfo=zone))
    end = _utc(datetime.combine(column.day, view.work_end, tzinfo=zone))
    if now is not None:
        start = max(start, _utc(now))
    if end - start < view.free_minimum:
        return []
    found = []
    for begin, finish in free_blocks(busy, start, end, view.free_minimum):
        y0 = result.y(_position(begin, column.day, zone))
        y1 = result.y(_position(finish, column.day, zone))
        found.append(Free(column.day, begin, finish, (column.x0 + 3, y0 + 2, column.x1 - 3, y1 - 2)))
    return found


def _colours(given: Mapping[str, str], names: Iterable[str]) -> dict[str, str]:
    colours = dict(given)
    extra = sorted({n for n in names if n not in colours})
    for i, name in enumerate(extra):
        colours[name] = PALETTE[(len(given) + i) % len(PALETTE)]
    return colours


# ── drawing ─────────────────────────────────────────────────────────────────────────────────
_LOCK = threading.Lock()
"""Font objects are shared; FreeType faces are not safe to use from two threads at once."""


def draw(plan: Layout) -> bytes:
    from PIL import Image, ImageDraw

    with _LOCK:
        image = Image.new("RGB", plan.view.size, BACKGROUND)
        pen = ImageDraw.Draw(image, "RGBA")
        _draw_grid(pen, plan)
        _draw_free(pen, plan)
        for block in plan.blocks:
            _draw_block(pen, block, plan.zone)
        _draw_band(pen, plan)
        _draw_now(pen, plan)
        _draw_header(pen, plan)
        out = io.BytesIO()
        image.save(out, "PNG", compress_level=3)
    return out.getvalue()


@lru_cache(maxsize=None)
def _font_file() -> str:
    try:
        import fontpkg_noto_sans
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise RuntimeError("the week picture needs the fontpkg-noto-sans package") from exc
    files = sorted(p for p in (fontpkg_noto_sans.ROOT / "files").iterdir() if p.name.startswith("NotoSans["))
    return str(files[0])


@lru_cache(maxsize=None)
def _font(size: int, weight: int = 400, width: float = 100):
    from PIL import ImageFont

    font = ImageFont.truetype(_font_file(), size, layout_engine=ImageFont.Layout.BASIC)
    font.set_variation_by_axes([weight, width])       # the file's axes: weight, then width
    return font


def _text_colour(hex_colour: str) -> tuple[int, int, int]:
    r, g, b = _rgb(hex_colour)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return (20, 22, 26) if luminance > 150 else (255, 255, 255)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


_DROP = {"So", "Cs", "Co", "Cn", "Cf"}


def clean(text: str) -> str:
    """A title as the font can show it: emoji and other symbols the font lacks are left out."""
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in _DROP and ch not in "\ufe0f\ufe0e")
    return " ".join(kept.split()) or ("(busy)" if text.strip() else "")


def fit(text: str, font, width: float) -> str:
    """`text` cut with "…" to fit `width` pixels ("" when fewer than two characters would be left)."""
    if _width(text, font) <= width and font.getlength(text) <= width:
        return text
    room = width - _width("…", font)
    advances = _advances(font)
    used, cut = 0.0, 0
    for ch in text:                                   # the longest prefix that fits, by cached advances
        used += advances.get(ch) or advances.setdefault(ch, font.getlength(ch))
        if used > room:
            break
        cut += 1
    while cut > 0 and font.getlength(text[:cut].rstrip() + "…") > width:    # kerning: check the result
        cut -= 1
    return text[:cut].rstrip() + "…" if len(text[:cut].strip()) >= 2 else ""


_ADVANCES: dict[int, dict[str, float]] = {}


def _advances(font) -> dict[str, float]:
    return _ADVANCES.setdefault(id(font), {})


def _width(text: str, font) -> float:
    """The width of `text` from cached character advances (kerning aside): a quick estimate."""
    advances = _advances(font)
    return sum(advances.get(ch) or advances.setdefault(ch, font.getlength(ch)) for ch in text)


def wrap(text: str, font, width: float, lines: int) -> list[str]:
    """Up to `lines` lines of `text` broken at spaces, the last one cut with "…" when it does not fit."""
    words = text.split()
    out: list[str] = []
    while words and len(out) < lines:
        if len(out) == lines - 1:
            out.append(fit(" ".join(words), font, width))
            break
        line = words.pop(0)
        while words and font.getlength(line + " " + words[0]) <= width:
            line += " " + words.pop(0)
        out.append(fit(line, font, width))
    return [line for line in out if line]


def _draw_grid(pen, plan: Layout) -> None:
    x0, y0, x1, y1 = plan.grid
    view = plan.view
    work_from = view.work_start.hour + view.work_start.minute / 60
    work_to = view.work_end.hour + view.work_end.minute / 60
    for column in plan.columns:
        pen.rectangle((column.x0, y0, column.x1, y1), fill=OFF_HOURS)
        if column.working:
            top, bottom = plan.y(max(work_from, plan.first_hour)), plan.y(min(work_to, plan.last_hour))
            if bottom > top:
                pen.rectangle((column.x0, top, column.x1, bottom), fill=WORK_HOURS)
    hour_font = _font(16, 500)
    rows = plan.last_hour - plan.first_hour
    for hour in range(plan.first_hour, plan.last_hour + 1):
        y = plan.y(hour)
        pen.line((x0, y, x1, y), fill=HOUR_LINE, width=1)
        if hour < plan.last_hour and rows <= 16:
            half = plan.y(hour + 0.5)
            pen.line((x0, half, x1, half), fill=HALF_LINE, width=1)
        pen.text((x0 - 10, y), f"{hour % 24:02d}:00", font=hour_font, fill=MUTED, anchor="rm")
    for column in plan.columns[1:]:
        pen.line((column.x0, HEADER, column.x0, y1), fill=HOUR_LINE, width=1)
    # the past is shaded: days before now, and today up to now
    if plan.now is not None:
        today = plan.now.astimezone(plan.zone).date()
        until = plan.y(min(_position(plan.now, today, plan.zone), plan.last_hour))
        for column in plan.columns:
            if column.day < today:
                pen.rectangle((column.x0, y0, column.x1, y1), fill=PAST_SHADE)
            elif column.day == today and until > y0:
                pen.rectangle((column.x0, y0, column.x1, until), fill=PAST_SHADE)
    # day headers
    day_font, date_font = _font(24, 700), _font(18, 400)
    today = plan.now.astimezone(plan.zone).date() if plan.now is not None else None
    for column in plan.columns:
        name = weekdays.NAMES[column.day.weekday()][:3]
        colour = TODAY if column.day == today else TEXT
        middle = (column.x0 + column.x1) / 2
        label = f"{column.day.day} {column.day:%b}"
        room = column.x1 - column.x0 - 8
        if day_font.getlength(name) + 8 + date_font.getlength(label) <= room:
            total = day_font.getlength(name) + 8 + date_font.getlength(label)
            left = middle - total / 2
            pen.text((left, HEADER + 30), name, font=day_font, fill=colour, anchor="ls")
            pen.text((left + day_font.getlength(name) + 8, HEADER + 30), label, font=date_font,
                     fill=colour if column.day == today else MUTED, anchor="ls")
        else:
            pen.text((middle, HEADER + 30), fit(f"{name} {column.day.day}", day_font, room), font=day_font,
                     fill=colour, anchor="ms")
        if column.day == today:
            pen.rounded_rectangle((column.x0 + 10, HEADER + 38, column.x1 - 10, HEADER + 42), radius=2, fill=TODAY)


def _draw_free(pen, plan: Layout) -> None:
    font = _font(14, 500)
    for free in plan.free:
        x0, y0, x1, y1 = free.box
        if y1 - y0 < 4:
            continue
        pen.rounded_rectangle(free.box, radius=5, fill=FREE_FILL)
        pen.rectangle((x0, y0, x0 + 3, y1), fill=FREE_EDGE)
        if y1 - y0 >= 22:
            pen.text((x0 + 9, y0 + 4), "free", font=font, fill=FREE_TEXT)


def _draw_block(pen, block: Block, zone: tzinfo) -> None:
    x0, y0, x1, y1 = block.box
    r, g, b = _rgb(block.colour)
    fill = (r, g, b, 255) if block.blocking else (r, g, b, 110)
    pen.rounded_rectangle(block.box, radius=5, fill=fill)
    if not block.blocking:
        pen.rounded_rectangle(block.box, radius=5, outline=(r, g, b, 255), width=2)
    if block.conflict:
        pen.rounded_rectangle((x0 - 1, y0 - 1, x1 + 1, y1 + 1), radius=6, outline=CONFLICT, width=3)
    colour = _text_colour(block.colour) if block.blocking else TEXT
    inner = x1 - x0 - 10
    height = y1 - y0
    title = clean(block.entry.title)
    if _utc(block.entry.start) < block.start and block.box[3] - block.box[1] < 2 * 20:
        title += f" (until {_end(block.entry).astimezone(zone):%H:%M})"      # last night's event, shortened
    if inner < 8:
        return
    title_font, time_font = _font(17, 600, 87.5), _font(15, 400, 87.5)
    line = 20
    if height < line + 2:
        small = _font(13, 600, 87.5)
        if height >= 12:
            text = fit(title, small, inner)
            pen.text((x0 + 5, y0 + height / 2), text, font=small, fill=colour, anchor="lm")
        return
    lines = int((height - 6) // line)
    if lines >= 2:
        title_lines = wrap(title, title_font, inner, lines - 1)
        y = y0 + 3
        for text in title_lines:
            pen.text((x0 + 5, y), text, font=title_font, fill=colour)
            y += line
        pen.text((x0 + 5, y + 1), fit(_span(block, zone), time_font, inner), font=time_font, fill=colour)
    else:
        pen.text((x0 + 5, y0 + 3), fit(title, title_font, inner), font=title_font, fill=colour)


def _span(block: Block, zone: tzinfo) -> str:
    """The whole event's times (also on the second day of one that crosses midnight)."""
    start, end = block.entry.start.astimezone(zone), _end(block.entry).astimezone(zone)
    return f"{start:%H:%M}–{end:%H:%M}"


def _draw_band(pen, plan: Layout) -> None:
    title_font = _font(16, 600, 87.5)
    quiet = set(plan.view.non_blocking)
    for bar in plan.bars:
        if bar.box is None:
            continue
        r, g, b = _rgb(bar.colour)
        blocking = bar.entry not in quiet
        pen.rounded_rectangle(bar.box, radius=5, fill=(r, g, b, 255 if blocking else 110))
        if not blocking:
            pen.rounded_rectangle(bar.box, radius=5, outline=(r, g, b, 255), width=2)
        x0, y0, x1, y1 = bar.box
        pen.text((x0 + 6, (y0 + y1) / 2), fit(clean(bar.entry.title), title_font, x1 - x0 - 12), font=title_font,
                 fill=_text_colour(bar.colour) if blocking else TEXT, anchor="lm")
    font = _font(14, 500)
    for index, count in plan.hidden.items():
        column = plan.columns[index]
        y = HEADER + DAY_HEADER + 4 + BAND_LANES * BAND_LANE - 2
        pen.text((column.x1 - 6, y), f"+{count} more", font=font, fill=MUTED, anchor="rs")


def _draw_now(pen, plan: Layout) -> None:
    if plan.now_line is None:
        return
    x0, x1, y = plan.now_line
    pen.line((x0, y, x1, y), fill=NOW, width=3)
    pen.ellipse((x0 - 6, y - 6, x0 + 6, y + 6), fill=NOW)


def _draw_header(pen, plan: Layout) -> None:
    pen.rectangle((0, 0, plan.view.size[0], HEADER - 6), fill=BACKGROUND)
    title = plan.view.title or _period_text(plan)
    title_font = _font(28, 700)
    legend_font = _font(16, 500)
    items = [(_calendar_label(name), colour, "calendar") for name, colour in plan.legend]
    if plan.free:
        items.append(("free", "", "free"))
    if any(b.conflict for b in plan.blocks):
        items.append(("conflict", "", "conflict"))
    # the legend from the right edge; what does not fit is left out
    x = plan.view.size[0] - MARGIN
    drawn = []
    title_room = title_font.getlength(title) + MARGIN + 24      # the title first; the dates when there is room
    for label, colour, kind in reversed(items):
        label = fit(label, legend_font, 160)
        need = 18 + 6 + legend_font.getlength(label) + 18
        if x - need < title_room:
            break
        x -= need
        drawn.append((x, label, colour, kind))
    middle = HEADER / 2 - 2
    for left, label, colour, kind in drawn:
        box = (left, middle - 8, left + 16, middle + 8)
        if kind == "calendar":
            pen.rounded_rectangle(box, radius=4, fill=colour)
        elif kind == "free":
            pen.rounded_rectangle(box, radius=4, fill=FREE_FILL)
            pen.rectangle((box[0], box[1], box[0] + 3, box[3]), fill=FREE_EDGE)
        else:
            pen.rounded_rectangle(box, radius=4, outline=CONFLICT, width=3)
        pen.text((left + 22, middle), label, font=legend_font, fill=MUTED, anchor="lm")
    pen.text((MARGIN, middle), fit(title, title_font, plan.view.size[0] - 2 * MARGIN), font=title_font, fill=TEXT,
             anchor="lm")
    period = _period_text(plan)
    if plan.view.title and period not in plan.view.title:
        left = MARGIN + title_font.getlength(title) + 16
        room = (drawn[-1][0] if drawn else plan.view.size[0] - MARGIN) - left - 16
        period_font = _font(22, 400)
        if period_font.getlength(period) <= room:
            pen.text((left, middle + 2), period, font=period_font, fill=MUTED, anchor="lm")
    if not plan.blocks and not plan.bars:
        x0, y0, x1, y1 = plan.grid
        font, text = _font(26, 600), "Nothing planned"
        middle_x, middle_y = (x0 + x1) / 2, (y0 + y1) / 2
        half = font.getlength(text) / 2 + 24
        pen.rounded_rectangle((middle_x - half, middle_y - 30, middle_x + half, middle_y + 30), radius=12,
                              fill=BACKGROUND + (235,), outline=HOUR_LINE, width=1)
        pen.text((middle_x, middle_y), text, font=font, fill=TEXT, anchor="mm")


def _calendar_label(name: str) -> str:
    return "Built-in" if name == "local" else (name or "calendar")


def _period_text(plan: Layout) -> str:
    first, last = plan.columns[0].day, plan.columns[-1].day
    if first == last:
        return f"{weekdays.NAMES[first.weekday()][:3]} {first.day} {first:%b} {first.year}"
    if first.year != last.year:
        return f"{first.day} {first:%b} {first.year} – {last.day} {last:%b} {last.year}"
    if first.month != last.month:
        return f"{first.day} {first:%b} – {last.day} {last:%b} {last.year}"
    return f"{first.day}–{last.day} {last:%b} {last.year}"
