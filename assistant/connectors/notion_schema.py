"""Mapping an item onto a Notion database's own schema (read once with GET /databases/{id}), and a page
back into busy time. No I/O.

* the title property, whatever its name, gets the title (at most 2,000 characters);
* the first date property (one named date / when / due first) gets the start — and the end of an event;
  all-day events are dates with an inclusive end, as Notion shows them;
* the first multi-select (one named tags first) gets the #hashtags of the text;
* rich-text properties named Location / Place / Where and Attendees / People / With get those fields;
* a text property "Assistant ID" holds our item id (the connector adds it when the database lacks one);
* an update sets only what the item names (a reschedule keeps the title).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from assistant import errors
from assistant.connectors.base import Busy
from assistant.connectors.notion_blocks import RICH_TEXT_ITEMS, TEXT_LIMIT, hashtags, plain, rich_text
from assistant.core.item import Item, Kind
from assistant.core.zones import midnight

ID_PROPERTY = "Assistant ID"
DATE_NAMES = ("date", "when", "due", "day", "datum", "дата")
TAG_NAMES = ("tags", "tag", "labels", "schlagwörter", "теги")
LOCATION_NAMES = ("location", "place", "where", "ort", "место")
ATTENDEE_NAMES = ("attendees", "people", "with", "participants", "guests", "teilnehmer", "участники")


@dataclass
class Schema:
    """Which of the database's properties get what (None: the database has no such property)."""
    database: str
    name: str
    title: str
    date: str | None = None
    tags: str | None = None
    location: str | None = None
    attendees: str | None = None
    id_property: str | None = None
    id_type: str = "rich_text"
    url: str | None = None

    def describe(self) -> str:
        parts = [f"title → {self.title!r}", f"date → {self.date!r}" if self.date else "no date property",
                 f"tags → {self.tags!r}" if self.tags else "no multi-select for tags"]
        if self.location:
            parts.append(f"location → {self.location!r}")
        if self.attendees:
            parts.append(f"attendees → {self.attendees!r}")
        parts.append("text → paragraph blocks")
        parts.append(f"item id → {self.id_property!r}" if self.id_property else
                     "no id property (retries search by title and time)")
        return ", ".join(parts)


def database_id(value: str) -> str:
    """The id in what the owner pasted: a bare id (with or without dashes) or the database's link."""
    value = value.strip()
    found = re.findall(r"[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", value.split("?")[0])
    return found[-1].replace("-", "").lower() if found else value


def schema_of(data: dict, database: str, name: str) -> Schema:
    """Which properties of the database (`data`, Notion's answer to GET /databases/{id}) get what, for the
    target `name`; `id_property` is None when the database has no "Assistant ID" text property."""
    properties: dict[str, dict] = data.get("properties") or {}
    by_type: dict[str, list[str]] = {}
    for prop_name, prop in properties.items():
        by_type.setdefault(prop.get("type", ""), []).append(prop_name)
    titles = by_type.get("title") or []
    if not titles:
        raise errors.BadData(f"the Notion database of {name!r} has no title property")

    def pick(kind: str, names: tuple[str, ...], required: bool = False) -> str | None:
        candidates = [n for n in by_type.get(kind, []) if n != ID_PROPERTY]
        for wanted in names:
            for candidate in candidates:
                if candidate.strip().lower() == wanted:
                    return candidate
        return candidates[0] if candidates and not required else None

    schema = Schema(database=database, name=plain(data.get("title")) or "Untitled", title=titles[0],
                    date=pick("date", DATE_NAMES), tags=pick("multi_select", TAG_NAMES),
                    location=pick("rich_text", LOCATION_NAMES, required=True),
                    attendees=pick("rich_text", ATTENDEE_NAMES, required=True), url=data.get("url"))
    for prop_name, prop in properties.items():
        if prop_name.strip().lower() == ID_PROPERTY.lower() and prop.get("type") in ("rich_text", "url"):
            schema.id_property, schema.id_type = prop_name, prop["type"]
    return schema


def page_properties(item: Item, schema: Schema, full: bool) -> dict[str, Any]:
    """The page properties for `item` (all of them for a create, `full`; else what the item names)."""
    props: dict[str, Any] = {}
    if item.title or full:
        props[schema.title] = {"title": [{"type": "text", "text": {"content": (item.title or "(no title)")[:TEXT_LIMIT]}}]}
    if schema.date and item.start is not None:
        props[schema.date] = {"date": date_value(item)}
    tags = hashtags(item.title, item.body, item.context)
    if schema.tags and tags:
        props[schema.tags] = {"multi_select": [{"name": tag} for tag in tags]}
    if schema.location and item.location:
        props[schema.location] = {"rich_text": rich_text(item.location)[:RICH_TEXT_ITEMS]}
    if schema.attendees and item.attendees:
        props[schema.attendees] = {"rich_text": rich_text(", ".join(item.attendees))[:RICH_TEXT_ITEMS]}
    if schema.id_property and full:
        props[schema.id_property] = ({"url": f"assistant:{item.id}"} if schema.id_type == "url"
                                     else {"rich_text": [{"type": "text", "text": {"content": item.id}}]})
    return props


def date_value(item: Item) -> dict[str, Any]:
    """The date property's value: dates with an inclusive end for all-day items, else instants."""
    start, end = item.start, item.end
    if item.all_day or not isinstance(start, datetime):
        first = start.date() if isinstance(start, datetime) else start
        last = end.date() if isinstance(end, datetime) else end
        inclusive = last - timedelta(days=1) if isinstance(last, date) and last > first + timedelta(days=1) else None
        return {"start": first.isoformat(), "end": inclusive.isoformat() if inclusive else None}
    if end is None and item.kind != Kind.REMINDER:
        end = start + timedelta(minutes=item.duration_minutes or 60)
    return {"start": start.isoformat(), "end": end.isoformat() if isinstance(end, datetime) and end != start else None}


def remap(properties: dict, schema: Schema) -> dict:
    """Keep only properties the (re-read) schema still has."""
    kept = {schema.title, schema.date, schema.tags, schema.location, schema.attendees, schema.id_property}
    return {name: value for name, value in properties.items() if name in kept}


def page_busy(page: dict, schema: Schema, known: dict[str, dict], zone: ZoneInfo, calendar: str
              ) -> Busy | None:
    """A dated page this connector wrote (`known`: our rows by page id) as busy time; None for notes and
    pages without our id or a date."""
    props = page.get("properties") or {}
    row = known.get(page["id"])
    uid = row["item_id"] if row else None
    if uid is None and schema.id_property:
        value = props.get(schema.id_property) or {}
        uid = (value.get("url") or "").removeprefix("assistant:") if schema.id_type == "url" else plain(value.get("rich_text"))
    if not uid:
        return None
    kind = row["kind"] if row else Kind.EVENT.value
    if kind == Kind.NOTE.value:
        return None
    when = (props.get(schema.date) or {}).get("date") or {}
    if not when.get("start"):
        return None
    start, end, all_day = page_span(when, zone)
    text = lambda name: plain((props.get(name) or {}).get("rich_text")) if name else ""  # noqa: E731
    attendees = [a.strip() for a in text(schema.attendees).split(",") if a.strip()]
    return Busy(start=start, end=end, title=plain((props.get(schema.title) or {}).get("title")), uid=uid,
                calendar=calendar, all_day=all_day, location=text(schema.location) or None, attendees=attendees,
                transparent=kind == Kind.REMINDER.value)


def page_span(when: dict, zone: ZoneInfo) -> tuple[datetime, datetime, bool]:
    """A date property's value as (start, exclusive end, all day) in `zone`."""
    raw_start, raw_end = when["start"], when.get("end")
    if len(raw_start) == 10:
        first = date.fromisoformat(raw_start)
        last = date.fromisoformat(raw_end[:10]) + timedelta(days=1) if raw_end else first + timedelta(days=1)
        return midnight(first, zone), midnight(last, zone), True
    start = _instant(raw_start, zone)
    end = _instant(raw_end, zone) if raw_end else start
    return start.astimezone(zone), end.astimezone(zone), False


def _instant(value: str, zone: ZoneInfo) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


__all__ = ["ID_PROPERTY", "Schema", "database_id", "date_value", "page_busy", "page_properties", "page_span", "remap",
           "schema_of"]
