"""The pipeline every channel uses: text → item → preview → confirm → outbox → calendar.

Channel-agnostic: it takes plain text and button actions and returns `Reply` values; the Telegram and
console channels only turn those into messages. The only place that wires parsing, routing, slots,
store and connectors together.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable

from assistant import jobs
from assistant.config import Config
from assistant.core import render
from assistant.core.item import Item, Kind
from assistant.core.parsing import apply_edit, parse
from assistant.core.render import Button, Entry
from assistant.core.routing import route
from assistant.store import Store, utc_now

log = logging.getLogger(__name__)

YES = {"yes", "y", "ok", "okay", "sure", "create", "confirm", "yep", "да", "ja"}
NO = {"no", "n", "cancel", "drop", "nope", "stop", "нет", "nein"}
WRITABLE = (Kind.EVENT, Kind.REMINDER, Kind.NOTE)
UNDO_WINDOW = timedelta(hours=1)


@dataclass
class Reply:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    item_id: str | None = None
    link: str | None = None


class Service:
    def __init__(self, config: Config, store: Store, calendars=None,
                 clock: Callable[[], datetime] | None = None):
        from assistant.calendars import Calendars  # noqa: PLC0415 (heavy: connectors load lazily)

        self.config = config
        self.store = store
        self.zone = config.zone
        self.calendars = calendars if calendars is not None else Calendars(config, store)
        self._clock = clock

    def now(self) -> datetime:
        return self._clock() if self._clock else datetime.now(self.zone)

    # ── incoming text ───────────────────────────────────────────────────────────────────────
    def handle_text(self, chat_id: int, text: str, context: str | None = None) -> Reply:
        """A typed, transcribed or forwarded message; `context` is e.g. the forward's sender."""
        started = time.perf_counter()
        text = text.strip()
        conversation = self.store.conversations.get(chat_id)
        pending = conversation["item_id"] if conversation["state"] != "idle" else None
        if pending and not context:
            reply = self._answer_pending(chat_id, pending, text)
            if reply is not None:
                return reply
        reply = self.new_request(chat_id, text if not context else f"{text}\n{context}")
        log.info("request handled", extra={"chars": len(text), "ms": round(1000 * (time.perf_counter() - started), 2)})
        return reply

    def _answer_pending(self, chat_id: int, item_id: str, text: str) -> Reply | None:
        word = text.lower().strip(" .!")
        if word in YES:
            return self.confirm(chat_id, item_id)
        if word in NO:
            return self.drop(chat_id, item_id)
        item = self.store.items.get(item_id)
        if item is None:
            return None
        edited = apply_edit(item, text, self.now(), self.zone)
        if edited is None:
            return None
        return self.propose(chat_id, edited)

    def new_request(self, chat_id: int, text: str) -> Reply:
        item = parse(text, self.now(), self.zone)
        log.info("parsed", extra={"kind": item.kind.value, "confidence": item.confidence,
                                  "item": item.id})
        if item.needs_clarification:
            self.store.items.save(item, "proposed", chat_id)
            self.store.conversations.set(chat_id, "editing_event", item.id)
            return Reply(item.question or "Which date and time did you mean?", item_id=item.id)
        handler = {
            Kind.QUERY: self._query, Kind.CANCEL: self._cancel, Kind.RESCHEDULE: self._reschedule,
            Kind.FIND_TIME: self._find_time,
        }.get(item.kind)
        if handler:
            return handler(chat_id, item)
        if item.kind in WRITABLE:
            if item.kind != Kind.NOTE and item.start is None:
                self.store.items.save(item, "proposed", chat_id)
                self.store.conversations.set(chat_id, "editing_event", item.id)
                return Reply(f"When should “{item.title}” be? Say a date and time, e.g. “tomorrow at 3pm”.",
                             item_id=item.id)
            return self.propose(chat_id, item)
        return Reply("Sorry, I didn't understand that. Try e.g. “Lunch with Anna tomorrow at 1pm”, "
                     "“remind me to call mom at 6pm” or “what do I have tomorrow?”.")

    # ── preview and confirmation ────────────────────────────────────────────────────────────
    def propose(self, chat_id: int, item: Item) -> Reply:
        target = route(item, self.config.routing, set(self.calendars.names()))
        item = item.with_changes(target=target)
        conflicts, alternatives = [], []
        if item.kind == Kind.EVENT and isinstance(item.start, datetime):
            busy, slots = self.calendars.conflicts_and_alternatives(item, self.now())
            conflicts = [_entry(b) for b in busy if b.uid != item.id]
            alternatives = [(s.start, s.end) for s in slots] if conflicts else []
        self.store.items.save(item, "proposed", chat_id)
        self.store.conversations.set(chat_id, "awaiting_confirmation", item.id,
                                     {"alternatives": [[s.isoformat(), e.isoformat()] for s, e in alternatives]})
        card = render.preview(item, self.zone, target, conflicts, alternatives)
        return Reply(card.text, card.buttons, item_id=item.id)

    def confirm(self, chat_id: int, item_id: str) -> Reply:
        row = self.store.items.row(item_id)
        if row is None:
            return Reply("That request has expired — please send it again.")
        if row["status"] in ("confirmed", "delivered"):
            return Reply("Already done ✅", item_id=item_id, link=row["link"])
        item = Item.from_json(row["data"])
        with self.store.transaction():
            self.store.items.set_status(item_id, "confirmed", confirmed_at=utc_now())
            self.store.outbox.enqueue(item_id, item.target or "local", "create")
            self.store.conversations.set(chat_id, "idle")
        results = jobs.deliver_due(self.store, self.calendars, self.zone, item_id=item_id)
        return self._delivered_reply(item, results)

    def _delivered_reply(self, item: Item, results: list[jobs.Delivery]) -> Reply:
        ok = [r for r in results if r.ok]
        what = {Kind.NOTE: "Note saved", Kind.REMINDER: "Reminder set"}.get(item.kind, "Created")
        where = render.target_text(item.target or "local")
        undo = [[Button("↩️ Undo", "undo")]]
        if ok:
            link = ok[0].link
            return Reply(f"✅ {what}: {item.title} — {where}" + (f"\n{link}" if link else ""), undo,
                         item_id=item.id, link=link)
        error = results[0].error if results else "it is queued"
        return Reply(f"⏳ Saved, but not written to {where} yet: {error}. I'll keep retrying.",
                     undo, item_id=item.id)

    def drop(self, chat_id: int, item_id: str) -> Reply:
        self.store.items.set_status(item_id, "dropped")
        self.store.conversations.set(chat_id, "idle")
        return Reply("Dropped — nothing was saved.")

    def choose_target(self, chat_id: int, item_id: str, target: str) -> Reply:
        item = self.store.items.get(item_id)
        if item is None:
            return Reply("That request has expired — please send it again.")
        if target not in self.calendars.names():
            return Reply(f"There is no calendar named {target}.")
        return self.propose(chat_id, item.with_changes(target=target))

    def choose_alternative(self, chat_id: int, item_id: str, index: int) -> Reply:
        item = self.store.items.get(item_id)
        slots = self.store.conversations.get(chat_id)["data"].get("alternatives", [])
        if item is None or not 0 <= index < len(slots):
            return Reply("That choice has expired — please send the request again.")
        start, end = (datetime.fromisoformat(v) for v in slots[index])
        return self.propose(chat_id, item.with_changes(start=start, end=end))

    def undo(self, chat_id: int, item_id: str) -> Reply:
        row = self.store.items.row(item_id)
        if row is None or row["status"] not in ("confirmed", "delivered"):
            return Reply("Nothing to undo.")
        confirmed = datetime.fromisoformat(row["confirmed_at"])
        if datetime.now(confirmed.tzinfo) - confirmed > UNDO_WINDOW:
            return Reply("Undo is only possible for an hour after creating; delete it in the calendar instead.")
        item = Item.from_json(row["data"])
        self.store.outbox.enqueue(item_id, item.target or "local", "delete")
        results = jobs.deliver_due(self.store, self.calendars, self.zone, item_id=item_id)
        if results and all(r.ok for r in results):
            self.store.items.set_status(item_id, "dropped")
            return Reply(f"↩️ Undone: {item.title}")
        return Reply("⏳ Undo is queued; I'll retry shortly.")

    # ── queries and changes to existing events ─────────────────────────────────────────────
    def agenda(self, start: date, end: date, title: str) -> Reply:
        begin = datetime(start.year, start.month, start.day, tzinfo=self.zone)
        finish = datetime(end.year, end.month, end.day, tzinfo=self.zone)
        entries = [_entry(b) for b in self.calendars.events_between(begin, finish)]
        return Reply(render.agenda(entries, self.zone, title))

    def today(self) -> Reply:
        day = self.now().date()
        return self.agenda(day, day + timedelta(days=1), "Today")

    def tomorrow(self) -> Reply:
        day = self.now().date() + timedelta(days=1)
        return self.agenda(day, day + timedelta(days=1), "Tomorrow")

    def week(self) -> Reply:
        day = self.now().date()
        return self.agenda(day, day + timedelta(days=7), "The next 7 days")

    def _query(self, chat_id: int, item: Item) -> Reply:
        if isinstance(item.start, date) and isinstance(item.end, date):
            start = item.start.date() if isinstance(item.start, datetime) else item.start
            end = item.end.date() if isinstance(item.end, datetime) else item.end
            return self.agenda(start, max(end, start + timedelta(days=1)), f"{render.day_text(start)}" +
                               (f" – {render.day_text(end - timedelta(days=1))}" if end - start > timedelta(days=1) else ""))
        now = self.now()
        matches = self.calendars.find_matching(item, now)
        upcoming = [m for m in matches if m.end > now]
        if not upcoming:
            return Reply("I found nothing matching that in the next weeks.")
        first = _entry(upcoming[0])
        return Reply(f"Next: {first.title} — {render.day_text(first.start.astimezone(self.zone).date())}, "
                     f"{render.span_text(first, self.zone)}")

    def _cancel(self, chat_id: int, item: Item) -> Reply:
        return self._change_existing(chat_id, item, "delete")

    def _reschedule(self, chat_id: int, item: Item) -> Reply:
        return self._change_existing(chat_id, item, "update")

    def _change_existing(self, chat_id: int, item: Item, action: str) -> Reply:
        matches = self.calendars.find_matching(item, self.now())
        if not matches:
            return Reply("I couldn't find that event. Try /today or /week to see what's planned.")
        event = matches[0]
        entry = _entry(event)
        when = f"{render.day_text(entry.start.astimezone(self.zone).date()) if isinstance(entry.start, datetime) else render.day_text(entry.start)} {render.span_text(entry, self.zone)}"
        data = {"action": action, "uid": event.uid, "calendar": event.calendar or "local"}
        self.store.items.save(item.with_changes(target=event.calendar or "local"), "proposed", chat_id)
        self.store.conversations.set(chat_id, "awaiting_confirmation", item.id, data)
        if action == "delete":
            question = f"Delete “{event.title}” on {when}?"
        else:
            question = f"Move “{event.title}” ({when}) to {render.when_text(item, self.zone)}?"
        buttons = [[Button("✅ Yes", "apply"), Button("✖️ No", "cancel")]]
        return Reply(question, buttons, item_id=item.id)

    def apply_change(self, chat_id: int, item_id: str) -> Reply:
        """The owner said yes to a cancel or reschedule question."""
        data = self.store.conversations.get(chat_id)["data"]
        item = self.store.items.get(item_id)
        if item is None or "uid" not in data:
            return Reply("That request has expired — please send it again.")
        with self.store.transaction():
            self.store.items.set_status(item_id, "confirmed", confirmed_at=utc_now())
            self.store.outbox.enqueue(item_id, data["calendar"], data["action"], {"uid": data["uid"]})
            self.store.conversations.set(chat_id, "idle")
        results = jobs.deliver_due(self.store, self.calendars, self.zone, item_id=item_id)
        if results and all(r.ok for r in results):
            return Reply("✅ Deleted." if data["action"] == "delete" else "✅ Moved.")
        return Reply("⏳ Saved; the calendar didn't answer yet, I'll retry shortly.")

    def _find_time(self, chat_id: int, item: Item) -> Reply:
        slots = self.calendars.find_time(item, self.now())
        if not slots:
            return Reply("I found no free slot in that period within your working hours.")
        length = item.duration_minutes or 60
        title = "Meeting" + (" with " + ", ".join(item.attendees) if item.attendees else "")
        proposal = item.with_changes(kind=Kind.EVENT, title=item.title or title)
        self.store.items.save(proposal, "proposed", chat_id)
        alternatives = [[s.start.isoformat(), s.end.isoformat()] for s in slots[:5]]
        self.store.conversations.set(chat_id, "awaiting_confirmation", item.id, {"alternatives": alternatives})
        lines = [f"Free {length}-minute slots:"]
        buttons = []
        for i, slot in enumerate(slots[:5]):
            label = f"{render.day_text(slot.start.astimezone(self.zone).date())} {render.slot_text(slot.start, slot.end, self.zone).split(' ', 1)[1]}"
            lines.append(f"• {label}")
            buttons.append([Button(label, f"slot:{i}")])
        return Reply("\n".join(lines), buttons, item_id=item.id)

    def pending_items(self) -> list[dict]:
        return self.store.items.with_status("confirmed", "failed")


def _entry(busy) -> Entry:
    return Entry(title=busy.title or "(busy)", start=busy.start, end=busy.end, all_day=busy.all_day,
                 calendar=busy.calendar)
