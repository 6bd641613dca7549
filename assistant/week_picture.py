"""The week as a picture: a PNG timeline of day columns, for /week, "show me my week" and the daily agenda.

An adapter beside `core`, not in it: it reads the Noto Sans font that ships in the `fontpkg-noto-sans`
package (loaded once and kept, so no system font is assumed) and paints with Pillow in memory. Entries, the
zone, the days, working hours, "now" and the calendars' colours come in as values, PNG bytes go out;
nothing reads the clock or the store. Where things go is decided by the pure `core.week_layout`.

`week_layout.layout()` decides where everything goes and is what tests check by value; `draw()` here paints
a `Layout` (colours, fonts, text cut to fit); `render()` is both. The layout's names (`View`, `Layout`,
`Block`, `layout`, `calendar_colours`, the sizes…) are re-exported, so callers need only this module.
"""
from __future__ import annotations

import io
import re
import threading
import unicodedata
from datetime import datetime, tzinfo
from functools import lru_cache
from typing import Sequence

from assistant.core import weekdays
from assistant.core.render import Entry
from assistant.core.week_layout import (BAND_LANE, BAND_LANES, DAY_HEADER, GUTTER, HEADER, HEIGHT, MARGIN,
                                        MIN_BLOCK, PALETTE, POINT_EVENT, WIDTH, Bar, Block, Column, Free,
                                        Layout, View, calendar_colours, end_of, hours_into, layout, utc)

__all__ = ["BAND_LANE", "BAND_LANES", "DAY_HEADER", "GUTTER", "HEADER", "HEIGHT", "MARGIN",
           "MIN_BLOCK", "PALETTE", "POINT_EVENT", "WIDTH", "Bar", "Block", "Column", "Free", "Layout", "View",
           "asks_for_week", "calendar_colours", "clean", "draw", "fit", "layout", "render", "wrap"]

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


def render(entries: Sequence[Entry], zone: tzinfo, view: View, now: datetime | None = None) -> bytes:
    """The picture as PNG bytes."""
    return draw(layout(entries, zone, view, now))


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
        until = plan.y(min(hours_into(plan.now, today, plan.zone), plan.last_hour))
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
    if utc(block.entry.start) < block.start and block.box[3] - block.box[1] < 2 * 20:
        title += f" (until {end_of(block.entry).astimezone(zone):%H:%M})"      # last night's event, shortened
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
    start, end = block.entry.start.astimezone(zone), end_of(block.entry).astimezone(zone)
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
