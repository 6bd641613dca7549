"""A Notion page's text: rich-text arrays and paragraph blocks within Notion's limits, the #hashtags
that become tags, and what of an item goes into its page as text.

The text becomes paragraph blocks: a block per line, each cut into pieces of at most 2,000 characters
(Notion's rich-text limit), at most 100 blocks per request.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from assistant.core import render
from assistant.core.item import Item, Kind

if TYPE_CHECKING:
    from assistant.connectors.notion_schema import Schema

TEXT_LIMIT = 2000
"""Characters per rich-text object."""
RICH_TEXT_ITEMS = 100
"""Rich-text objects per array."""
BLOCKS_PER_REQUEST = 100
HASHTAG = re.compile(r"(?<![\w#])#([^\W\d_][\w-]{0,60})")


def plain(rich: list[dict] | None) -> str:
    """The text of a rich-text array."""
    return "".join((r.get("plain_text") if r.get("plain_text") is not None else (r.get("text") or {}).get("content", ""))
                   for r in rich or [])


def pieces(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at a space where one is near the end."""
    out: list[str] = []
    while len(text) > limit:
        cut = text.rfind(" ", limit - 200, limit)
        cut = cut + 1 if cut > 0 else limit
        out.append(text[:cut])
        text = text[cut:]
    if text:
        out.append(text)
    return out


def rich_text(text: str) -> list[dict]:
    return [{"type": "text", "text": {"content": piece}} for piece in pieces(text)]


def paragraphs(text: str) -> list[dict]:
    """Paragraph blocks for `text`: one per line, at most RICH_TEXT_ITEMS pieces of 2,000 characters each
    (a longer line continues in the next block)."""
    blocks = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = rich_text(line)
        for start in range(0, len(parts), RICH_TEXT_ITEMS):
            blocks.append({"object": "block", "type": "paragraph",
                           "paragraph": {"rich_text": parts[start:start + RICH_TEXT_ITEMS]}})
    return blocks


def hashtags(*texts: str | None) -> list[str]:
    """#words of the text, in order, once each (Notion's option names allow no commas)."""
    found: dict[str, None] = {}
    for text in texts:
        for tag in HASHTAG.findall(text or ""):
            found.setdefault(tag, None)
    return list(found)


def page_text(item: Item, schema: Schema, zone: ZoneInfo) -> str:
    """What goes into the page as text: the note's body, or an event's details and description."""
    lines = []
    if item.kind != Kind.NOTE:
        if item.start is not None and schema.date is None:
            lines.append(f"When: {render.when_text(item, zone)}")
        if item.location and not schema.location:
            lines.append(f"Where: {item.location}")
        if item.attendees and not schema.attendees:
            lines.append("With: " + ", ".join(item.attendees))
    body = (item.description or "").strip()
    if body and (item.kind == Kind.NOTE or body.casefold() != (item.title or "").strip().casefold()):
        lines.append(body)   # a note's text always (the page shows it), an event's when it says more
    return "\n".join(lines)


__all__ = ["BLOCKS_PER_REQUEST", "RICH_TEXT_ITEMS", "TEXT_LIMIT", "hashtags", "page_text", "paragraphs", "pieces",
           "plain", "rich_text"]
