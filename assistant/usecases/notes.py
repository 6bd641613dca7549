"""Reading back what the owner stored: /notes (search, pages), /reminders (each with a 🗑 button), the same
questions in plain words ("show my notes about wifi"), and a reply to a note — "delete", or "add: …".

Notes and reminders are read from the items the owner confirmed, whatever their target (the built-in
calendar, Notion, Apple Notes, a CalDAV calendar), so what was stored can always be seen again. Deleting
and appending go through the outbox to the item's target like any other write.

    notes.list(chat_id, "wifi")      a `Listing`: the page as one text (console) and one part per note
    notes.action(chat_id, "notes:5:wifi")   the "More ▸" button; "forget:ID" is a reminder's 🗑
    notes.reminders(chat_id)         upcoming reminders, soonest first
    notes.on_reply(chat_id, message_id, "delete")   a reply to a message showing a note (None: not one)
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from assistant.core import readback, render
from assistant.core.item import Item
from assistant.core.recurrence import RecurrenceError, next_occurrence
from assistant.core.render import Button, Reply
from assistant.core.states import ItemStatus, OutboxAction
from assistant.core.zones import instant
from assistant.store.notebook import KEPT, ReadBack, ShownNotes
from assistant.usecases.delivery import Delivery
from assistant.usecases.deps import Deps
from assistant.usecases.reminders import SNOOZE_SUFFIX

log = logging.getLogger(__name__)

PAGE = 5
"""Notes per page."""
MAX_REMINDERS = 20
"""Reminders listed at once (each has a button; Telegram allows 100)."""
MORE = "notes:"
FORGET = "forget:"
DELETE_WORDS = {"delete", "del", "remove", "forget", "delete it", "delete this", "delete note", "🗑", "löschen",
                "lösche", "entfernen", "удалить", "удали"}
APPEND = re.compile(r"^\s*(?:add|append|\+|plus|also|ergänze|hinzufügen|добавь|добавить)\s*(?::|-|—)?\s*(?P<text>\S.*)$",
                    re.IGNORECASE | re.DOTALL)
REPLY_HINT = "Reply to a note with “delete”, or “add: …” to add to it."
NO_NOTES = "No notes yet. Send e.g. “note: the office wifi password is …”."
NO_REMINDERS = "No upcoming reminders. Set one with e.g. “remind me to call mom at 6pm”."


@dataclass
class Listing(Reply):
    """A page of several notes: `text` and `buttons` show the whole page as one message (the console);
    `parts` are the same page as one message per note (Telegram), each with its note's `item_id`, so a
    reply to one of them means that note. The last part carries the buttons and says how to reply."""
    parts: list[Reply] = field(default_factory=list)


class Notes:
    def __init__(self, deps: Deps, delivery: Delivery):
        self.deps = deps
        self.delivery = delivery

    @property
    def _read(self) -> ReadBack:
        return ReadBack(self.deps.store)

    # ── plain words ─────────────────────────────────────────────────────────────────────────
    def read_back(self, chat_id: int, ask: readback.Ask) -> Reply:
        """ "show my notes about wifi" / "what reminders do I have" (recognised by `core.readback`)."""
        if ask.what == readback.REMINDERS:
            return self.reminders(chat_id)
        return self.list(chat_id, ask.words)

    def action(self, chat_id: int, action: str) -> Reply | None:
        """A button of a listing: "notes:OFFSET:WORDS" (More ▸) or "forget:ID" (🗑); None for another."""
        if action.startswith(MORE):
            offset, _, words = action[len(MORE):].partition(":")
            return self.list(chat_id, words, int(offset) if offset.isdigit() else 0)
        if action.startswith(FORGET):
            return self.forget_reminder(chat_id, action[len(FORGET):])
        return None

    # ── notes ───────────────────────────────────────────────────────────────────────────────
    def list(self, chat_id: int, words: str = "", offset: int = 0) -> Reply:
        """/notes [words]: notes (matching every word, when given) newest first, PAGE at a time."""
        words = readback.search_words(words)
        found = [item for item in self._notes() if readback.matches(words, item.title, item.body, item.context)]
        about = f" about “{words}”" if words else ""
        if not found:
            return Reply(f"No notes{about}." if words else NO_NOTES)
        offset = max(0, min(offset, len(found) - 1))
        page = found[offset:offset + PAGE]
        header = f"📝 Notes{about} ({offset + 1}–{offset + len(page)} of {len(found)})"
        texts = [self.note_text(item) for item in page]
        more = offset + PAGE < len(found)
        buttons = [[Button("More ▸", f"{MORE}{offset + PAGE}:{words}")]] if more else []
        footer = REPLY_HINT
        parts = [Reply(text, item_id=item.id) for text, item in zip(texts, page)]
        parts[0].text = f"{header}\n\n{parts[0].text}"
        parts[-1].text = f"{parts[-1].text}\n\n{footer}"
        parts[-1].buttons = buttons
        return Listing("\n\n".join([header, *texts]), buttons, parts=parts)

    def note_text(self, item: Item, row: dict[str, Any] | None = None) -> str:
        row = row or self.deps.store.items.row(item.id) or {}
        lines = [f"📝 {item.title or '(no title)'}"]
        body = (item.body or "").strip()
        if body and body.casefold() != (item.title or "").strip().casefold():
            lines.append(body)
        when = row.get("confirmed_at") or row.get("created_at")
        details = []
        if when:
            details.append(render.day_text(datetime.fromisoformat(when).astimezone(self.deps.zone).date()))
        target = row.get("target") or item.target or "local"
        if target != "local":
            details.append(render.target_text(target))
        if details:
            lines.append("🗓 " + " · ".join(details))
        return "\n".join(lines)

    def _notes(self) -> list[Item]:
        return [Item.from_json(row["data"]) for row in self._read.notes()]

    def shown(self, chat_id: int, message_id: int, item_id: str) -> None:
        """The channel sent a message showing this note (a reply to it then means the note)."""
        ShownNotes(self.deps.store).remember(chat_id, message_id, item_id)

    def on_reply(self, chat_id: int, message_id: int, text: str) -> Reply | None:
        """A reply to a message showing a stored note: "delete" deletes it, "add: …" appends to it.
        None when the message shows no stored note or the text is neither (it is then read as usual)."""
        store = self.deps.store
        item_id = ShownNotes(store).item(chat_id, message_id) or store.items.for_message(chat_id, message_id)
        row = store.items.row(item_id) if item_id else None
        if row is None or row["kind"] != "note":
            return None
        word = text.strip().lower().strip(" .!")
        appended = APPEND.match(text)
        if word not in DELETE_WORDS and appended is None:
            return None
        if row["status"] == ItemStatus.PROPOSED.value:
            return None                      # its preview is still open: a reply edits it as usual
        if row["status"] not in KEPT:
            return Reply("That note is no longer stored.")
        if word in DELETE_WORDS:
            return self.delete_note(chat_id, item_id)
        return self.append_note(chat_id, item_id, appended.group("text").strip())

    def delete_note(self, chat_id: int, item_id: str) -> Reply:
        row = self.deps.store.items.row(item_id)
        if row is None or row["status"] not in KEPT:
            return Reply("That note is no longer stored.")
        item = Item.from_json(row["data"])
        landed = self._write(item, row["target"] or "local", OutboxAction.DELETE, ItemStatus.DROPPED)
        where = render.target_text(row["target"] or "local")
        if landed:
            return Reply(f"🗑 Deleted: {item.title}")
        return Reply(f"🗑 Deleted: {item.title} (removed here; {where} didn't answer yet, I'll retry)")

    def append_note(self, chat_id: int, item_id: str, addition: str) -> Reply:
        row = self.deps.store.items.row(item_id)
        if row is None or row["status"] not in KEPT:
            return Reply("That note is no longer stored.")
        item = Item.from_json(row["data"])
        before = (item.body or item.title or "").rstrip()
        item = item.with_changes(body=f"{before}\n{addition}" if before else addition)
        landed = self._write(item, row["target"] or "local", OutboxAction.UPDATE, ItemStatus(row["status"]))
        suffix = "" if landed else f"\n(saved here; {render.target_text(row['target'] or 'local')} didn't answer " \
                                   "yet, I'll retry)"
        return Reply(f"✏️ Added.\n\n{self.note_text(item)}{suffix}", item_id=item.id)

    def _write(self, item: Item, target: str, action: OutboxAction, status: ItemStatus) -> bool:
        """Keep the item's new state and send `action` to its target through the outbox; True when the
        target took it at once."""
        store = self.deps.store
        with store.transaction():
            store.items.save(item, status)
            self._read.reopen(item.id, target, action)
        results = [r for r in self.delivery.deliver(item.id) if r.action == action]
        return bool(results) and all(r.ok for r in results)

    # ── reminders ───────────────────────────────────────────────────────────────────────────
    def reminders(self, chat_id: int, prefix: str = "") -> Reply:
        """/reminders: upcoming reminders, soonest first, a 🗑 button each; repeating ones with their rule."""
        upcoming = self._upcoming()
        if not upcoming:
            return Reply((prefix + "\n\n" if prefix else "") + NO_REMINDERS)
        shown = upcoming[:MAX_REMINDERS]
        lines = ["⏰ Upcoming reminders"]
        buttons = []
        for number, (when, item, target) in enumerate(shown, 1):
            line = f"{number}. {item.title or '(no title)'} — {self._when(when)}"
            if item.recurrence:
                line += f" · 🔁 {render.recurrence_text(item.recurrence)}"
            if target != "local":
                line += f" · {render.target_text(target)}"
            lines.append(line)
            label = item.title if len(item.title) <= 40 else item.title[:39] + "…"
            buttons.append([Button(f"🗑 {number}. {label}", f"{FORGET}{item.id}")])
        if len(upcoming) > len(shown):
            lines.append(f"… and {len(upcoming) - len(shown)} more")
        text = "\n".join(lines)
        return Reply(f"{prefix}\n\n{text}" if prefix else text, buttons)

    def forget_reminder(self, chat_id: int, item_id: str) -> Reply:
        """🗑: cancel the reminder (it never fires again) and show the list that is left."""
        row = self.deps.store.items.row(item_id)
        if row is None or row["kind"] != "reminder" or row["status"] not in KEPT:
            return self.reminders(chat_id, "That reminder is already gone.")
        item = Item.from_json(row["data"])
        landed = self._write(item, row["target"] or "local", OutboxAction.DELETE, ItemStatus.DROPPED)
        self.deps.store.reminders.delete(item.id + SNOOZE_SUFFIX)     # a snoozed copy goes with it
        note = "" if landed else " (the calendar didn't answer yet; I'll retry)"
        return self.reminders(chat_id, f"🗑 Cancelled: {item.title}{note}")

    def _upcoming(self) -> list[tuple[datetime, Item, str]]:
        now = self.deps.now()
        found = []
        for row in self._read.reminders():
            item = Item.from_json(row["data"])
            target = row["target"] or "local"
            when = self._next(row, item, now)
            if when is not None:
                found.append((when, item, target))
        return sorted(found, key=lambda entry: (entry[0], entry[1].title))

    def _next(self, row: dict[str, Any], item: Item, now: datetime) -> datetime | None:
        """When the reminder fires next: the built-in calendar's own row when it lives there (a sent one
        is over), else its time or the next time of its rule."""
        if row.get("fire_at"):
            if row.get("reminder_status") == "pending":
                return datetime.fromisoformat(row["fire_at"])
            snoozed = self.deps.store.reminders.get(item.id + SNOOZE_SUFFIX)
            return datetime.fromisoformat(snoozed["fire_at"]) if snoozed and snoozed["status"] == "pending" else None
        if item.start is None:
            return None
        first = instant(item.start, self.deps.zone)
        if not item.recurrence:
            return first if first >= now - timedelta(minutes=1) else None
        try:
            return next_occurrence(item.recurrence, item.start, now, self.deps.zone, inclusive=True)
        except RecurrenceError:
            return first if first >= now else None

    def _when(self, when: datetime) -> str:
        local = when.astimezone(self.deps.zone) if when.tzinfo else when.replace(tzinfo=timezone.utc)
        return f"{render.day_text(local.date())}, {local:%H:%M}"


__all__ = ["DELETE_WORDS", "FORGET", "Listing", "MORE", "Notes", "PAGE"]
