"""The pipeline every channel uses: text → item → preview → confirm → outbox → calendar.

Channel-agnostic: it takes plain text and button actions and returns `Reply` values; the Telegram and
console channels only turn those into messages. The only place that wires parsing, routing, slots,
store and connectors together.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable
from zoneinfo import available_timezones

from assistant import jobs
from assistant.config import Config
from assistant.core import render
from assistant.core.forwarded import as_meeting, read_email
from assistant.core.item import Item, Kind, parse_when
from assistant.core.parsing import apply_edit, parse
from assistant.core.render import Button, Entry
from assistant.core.routing import route
from assistant.core.zones import zone_named
from assistant.store import Store, utc_now

log = logging.getLogger(__name__)

YES = {"yes", "y", "ok", "okay", "sure", "create", "confirm", "yep", "да", "ja"}
NO = {"no", "n", "cancel", "drop", "nope", "stop", "нет", "nein"}
WRITABLE = (Kind.EVENT, Kind.REMINDER, Kind.NOTE)
UNDO_WINDOW = timedelta(hours=1)
TIMEZONE_KEY = "assistant.timezone"


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
        saved_zone = store.settings.get(TIMEZONE_KEY)
        if saved_zone and saved_zone != config.assistant.timezone:
            self._use_zone(saved_zone)

    def now(self) -> datetime:
        return self._clock() if self._clock else datetime.now(self.zone)

    # ── incoming text ───────────────────────────────────────────────────────────────────────
    def handle_text(self, chat_id: int, text: str, context: str | None = None) -> Reply:
        """A typed or transcribed message; `context` (the forward's sender) makes it a forwarded one."""
        started = time.perf_counter()
        text = text.strip()
        if not text:
            return Reply("Send me a request, e.g. “Lunch with Anna tomorrow at 1pm”.")
        if context is not None:
            reply = self.handle_forward(chat_id, text, context)
        else:
            reply = self._handle_own_text(chat_id, text)
        log.info("request handled", extra={"chars": len(text), "ms": round(1000 * (time.perf_counter() - started), 2)})
        return reply

    def _handle_own_text(self, chat_id: int, text: str) -> Reply:
        if read_email(text) is not None:  # a pasted e-mail is a new request, never an edit
            return self.handle_forward(chat_id, text, None)
        conversation = self.store.conversations.get(chat_id)
        pending = conversation["item_id"] if conversation["state"] != "idle" else None
        if pending:
            reply = self._answer_pending(chat_id, conversation, text)
            if reply is not None:
                return reply
        return self.new_request(chat_id, text)

    def _answer_pending(self, chat_id: int, conversation: dict, text: str) -> Reply | None:
        item_id = conversation["item_id"]
        word = text.lower().strip(" .!")
        if word in YES:
            if "uid" in conversation["data"]:
                return self.apply_change(chat_id, item_id)
            return self.confirm(chat_id, item_id)
        if word in NO:
            return self.drop(chat_id, item_id)
        if conversation["state"] == "selecting_calendar":
            names = {n.lower(): n for n in self.calendars.names()}
            if word in names:
                return self.choose_target(chat_id, item_id, names[word])
        if "uid" in conversation["data"]:
            return None
        item = self.store.items.get(item_id)
        if item is None:
            return None
        edited = apply_edit(item, text, self.now(), self.zone)
        if edited is None:
            return None
        if edited.kind != Kind.NOTE and edited.start is None:
            return self._ask_when(chat_id, edited)
        return self.propose(chat_id, edited)

    def handle_forward(self, chat_id: int, text: str, sender: str | None) -> Reply:
        """A forwarded message or a pasted e-mail: its sender becomes an attendee and the text context.

        The e-mail's own sender (a From: header or the signature) wins over the forward's origin, which
        for a forwarded e-mail is only whoever pasted it.
        """
        email = read_email(text)
        body = text
        if email is not None:
            sender = email.sender or sender
            body = email.body or text
        item = parse(body, self.now(), self.zone)
        if item.kind in (Kind.UNKNOWN, Kind.EVENT) and (sender or email is not None):
            item = as_meeting(item, sender, email.subject if email else None, text)
        log.info("forward parsed", extra={"kind": item.kind.value, "email": email is not None,
                                          "sender": bool(sender), "item": item.id})
        return self._route(chat_id, item)

    def new_request(self, chat_id: int, text: str) -> Reply:
        item = parse(text, self.now(), self.zone)
        log.info("parsed", extra={"kind": item.kind.value, "confidence": item.confidence,
                                  "item": item.id})
        return self._route(chat_id, item)

    def _route(self, chat_id: int, item: Item) -> Reply:
        """A freshly parsed item: a question back, an answer, or a preview to confirm."""
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
                return self._ask_when(chat_id, item)
            return self.propose(chat_id, item)
        return Reply("Sorry, I didn't understand that. Try e.g. “Lunch with Anna tomorrow at 1pm”, "
                     "“remind me to call mom at 6pm” or “what do I have tomorrow?”.")

    def _ask_when(self, chat_id: int, item: Item) -> Reply:
        self.store.items.save(item, "proposed", chat_id)
        self.store.conversations.set(chat_id, "editing_event", item.id)
        return Reply(f"When should “{item.title or 'it'}” be? Say a date and time, e.g. “tomorrow at 3pm”.",
                     item_id=item.id)

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
        """Create the item; safe to call twice (a double tap, a repeated "yes"): it is written once."""
        row = self.store.items.row(item_id)
        if row is None:
            return Reply("That request has expired — please send it again.")
        if row["status"] in ("confirmed", "delivered"):
            return Reply("Already done ✅", item_id=item_id, link=row["link"])
        if row["status"] == "dropped":
            return Reply("That request was cancelled — please send it again.")
        item = Item.from_json(row["data"])
        if item.kind not in WRITABLE:
            return Reply("There is nothing to create for that request.")
        if item.kind != Kind.NOTE and item.start is None:
            return self._ask_when(chat_id, item)
        with self.store.transaction():
            self.store.items.set_status(item_id, "confirmed", confirmed_at=utc_now())
            self.store.outbox.enqueue(item_id, item.target or "local", "create")
            self._settle(chat_id, item_id)
        results = jobs.deliver_due(self.store, self.calendars, item_id=item_id)
        return self._delivered_reply(item, results)

    def is_done(self, item_id: str) -> bool:
        """Whether the item was already confirmed (so a second Create tap must not do anything)."""
        row = self.store.items.row(item_id)
        return row is not None and row["status"] in ("confirmed", "delivered")

    def _settle(self, chat_id: int, item_id: str) -> None:
        """Back to idle — unless the conversation has moved on to another item meanwhile."""
        if self.store.conversations.get(chat_id)["item_id"] in (item_id, None):
            self.store.conversations.set(chat_id, "idle")

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
        row = self.store.items.row(item_id)
        if row is not None and row["status"] in ("confirmed", "delivered"):
            return Reply("That one is already created — use Undo (or /undo) to remove it.", item_id=item_id)
        with self.store.transaction():
            if row is not None:
                self.store.items.set_status(item_id, "dropped")
            self._settle(chat_id, item_id)
        return Reply("Dropped — nothing was saved.", item_id=item_id)

    def cancel_pending(self, chat_id: int) -> Reply:
        """/cancel: drop whatever preview or question is open."""
        conversation = self.store.conversations.get(chat_id)
        if conversation["state"] == "idle" or not conversation["item_id"]:
            return Reply("Nothing is pending.")
        return self.drop(chat_id, conversation["item_id"])

    def start_edit(self, chat_id: int, item_id: str) -> Reply:
        """The Edit button: the next message patches the item."""
        item = self.store.items.get(item_id)
        if item is None or self.is_done(item_id):
            return Reply("That request can't be edited any more — please send it again.")
        data = self.store.conversations.get(chat_id)["data"] if self._is_current(chat_id, item_id) else {}
        self.store.conversations.set(chat_id, "editing_event", item_id, data)
        return Reply("What should change? E.g. “make it 4pm”, “add Boris”, “45 minutes”, “at the office”, "
                     "“every Monday” — or /cancel.", item_id=item_id)

    def focus(self, chat_id: int, item_id: str) -> bool:
        """The owner replied to an older preview: make that item the pending one again."""
        row = self.store.items.row(item_id)
        if row is None or row["status"] != "proposed" or row["kind"] not in {k.value for k in WRITABLE}:
            return False
        if not self._is_current(chat_id, item_id):
            self.store.conversations.set(chat_id, "awaiting_confirmation", item_id)
        return True

    def _is_current(self, chat_id: int, item_id: str) -> bool:
        conversation = self.store.conversations.get(chat_id)
        return conversation["state"] != "idle" and conversation["item_id"] == item_id

    def show_calendars(self, chat_id: int, item_id: str) -> Reply:
        """Calendar ▸: the preview with a button per calendar (and Back)."""
        item = self.store.items.get(item_id)
        if item is None or self.is_done(item_id):
            return Reply("That request has expired — please send it again.")
        reply = self.propose(chat_id, item)
        conversation = self.store.conversations.get(chat_id)
        self.store.conversations.set(chat_id, "selecting_calendar", item_id, conversation["data"])
        current = self.store.items.get(item_id).target
        rows = [[Button(("✓ " if name == current else "") + render.target_text(name), f"target:{name}")]
                for name in self.calendars.names()]
        return Reply(reply.text, rows + [[Button("‹ Back", "preview")]], item_id=item_id)

    def show_alternatives(self, chat_id: int, item_id: str) -> Reply:
        """Alternatives: the preview with a button per free slot (and Back)."""
        item = self.store.items.get(item_id)
        if item is None or self.is_done(item_id):
            return Reply("That request has expired — please send it again.")
        reply = self.propose(chat_id, item)
        slots = self.store.conversations.get(chat_id)["data"].get("alternatives", [])
        if not slots:
            return reply
        rows = []
        for i, (start, end) in enumerate(slots[:3]):
            begin, finish = datetime.fromisoformat(start), datetime.fromisoformat(end)
            rows.append([Button(render.slot_text(begin, finish, self.zone), f"slot:{i}")])
        return Reply(reply.text, rows + [[Button("‹ Back", "preview")]], item_id=item_id)

    def refresh(self, chat_id: int, item_id: str) -> Reply:
        """Back to the plain preview."""
        item = self.store.items.get(item_id)
        if item is None or self.is_done(item_id):
            return Reply("That request has expired — please send it again.")
        return self.propose(chat_id, item)

    def choose_target(self, chat_id: int, item_id: str, target: str) -> Reply:
        item = self.store.items.get(item_id)
        if item is None:
            return Reply("That request has expired — please send it again.")
        if target not in self.calendars.names():
            return Reply(f"There is no calendar named {target}.")
        return self.propose(chat_id, item.with_changes(target=target))

    def choose_alternative(self, chat_id: int, item_id: str, index: int) -> Reply:
        item = self.store.items.get(item_id)
        conversation = self.store.conversations.get(chat_id)
        slots = conversation["data"].get("alternatives", []) if conversation["item_id"] == item_id else []
        if item is None or not 0 <= index < len(slots) or self.is_done(item_id):
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
        results = jobs.deliver_due(self.store, self.calendars, item_id=item_id)
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
        return Reply(f"Next: {first.title} — {render.entry_when(first, self.zone)}")

    def _cancel(self, chat_id: int, item: Item) -> Reply:
        return self._change_existing(chat_id, item, "delete")

    def _reschedule(self, chat_id: int, item: Item) -> Reply:
        return self._change_existing(chat_id, item, "update")

    def _change_existing(self, chat_id: int, item: Item, action: str) -> Reply:
        matches = self.calendars.find_matching(_match_of(item), self.now())
        if not matches:
            return Reply("I couldn't find that event. Try /today or /week to see what's planned.")
        event = matches[0]
        entry = _entry(event)
        when = render.entry_when(entry, self.zone)
        data = {"action": action, "uid": event.uid, "calendar": event.calendar or "local"}
        if action == "update":
            moved = _moved(event, item, self.zone)
            if moved is None:
                return Reply(f"When should “{event.title}” move to? Say e.g. “move it to Friday at 3pm”.")
            item = moved.with_changes(id=item.id)
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
        conversation = self.store.conversations.get(chat_id)
        data = conversation["data"] if conversation["item_id"] == item_id else {}
        item = self.store.items.get(item_id)
        if item is None or "uid" not in data:
            return Reply("That request has expired — please send it again.")
        with self.store.transaction():
            self.store.items.set_status(item_id, "confirmed", confirmed_at=utc_now())
            self.store.outbox.enqueue(item_id, data["calendar"], data["action"], {"uid": data["uid"]})
            self.store.conversations.set(chat_id, "idle")
        results = jobs.deliver_due(self.store, self.calendars, item_id=item_id)
        if results and all(r.ok for r in results):
            return Reply("✅ Deleted." if data["action"] == "delete" else "✅ Moved.", item_id=item_id)
        return Reply("⏳ Saved; the calendar didn't answer yet, I'll retry shortly.", item_id=item_id)

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
            label = render.slot_day_text(slot.start, slot.end, self.zone)
            lines.append(f"• {label}")
            buttons.append([Button(label, f"slot:{i}")])
        return Reply("\n".join(lines), buttons, item_id=item.id)

    def retry_outbox(self) -> list[Reply]:
        """The outbox worker's run: retry due writes; notices for the owner about delayed results."""
        notices = []
        for result in jobs.deliver_due(self.store, self.calendars):
            item = self.store.items.get(result.item_id)
            title = (item.title if item else "") or "(no title)"
            where = render.target_text(result.target)
            if result.ok and result.attempts > 0 and result.action == "create":
                notices.append(Reply(f"✅ Written now: {title} — {where}" + (f"\n{result.link}" if result.link else "")))
            elif result.final:
                notices.append(Reply(f"❌ I couldn't write “{title}” to {where}: {result.error}"))
        return notices

    def pending_items(self) -> list[dict]:
        return self.store.items.with_status("confirmed", "failed")

    # ── commands ─────────────────────────────────────────────────────────────────────────────
    def upcoming(self, days: int = 14) -> Reply:
        """/agenda: everything from today on, `days` days ahead."""
        days = max(1, min(days, 90))
        day = self.now().date()
        return self.agenda(day, day + timedelta(days=days), f"The next {days} days")

    def undo_last(self, chat_id: int) -> Reply:
        """/undo: the most recent item created from this chat, within the undo window."""
        rows = self.store.query(
            "SELECT id FROM items WHERE chat_id = ? AND status IN ('confirmed', 'delivered') "
            "AND confirmed_at IS NOT NULL ORDER BY confirmed_at DESC, updated_at DESC LIMIT 1", [chat_id])
        if not rows:
            return Reply("Nothing to undo.")
        return self.undo(chat_id, rows[0]["id"])

    def pending_report(self) -> Reply:
        """/pending: writes still waiting for a calendar, and voice notes not transcribed yet."""
        lines = []
        for row in self.pending_items():
            item = Item.from_json(row["data"])
            state = "failed" if row["status"] == "failed" else "waiting"
            detail = f": {row['error']}" if row["error"] else ""
            lines.append(f"• {item.title or '(no title)'} → {render.target_text(row['target'] or 'local')} "
                         f"({state}{detail})")
        voices = self.store.voice_files.pending()
        for row in voices:
            when = datetime.fromisoformat(row["created_at"]).astimezone(self.zone)
            detail = f" — {row['error']}" if row["error"] else ""
            lines.append(f"• 🎙 voice note of {when:%d %b %H:%M}, not transcribed{detail}")
        if not lines:
            return Reply("Nothing pending: every request is written and every voice note transcribed.")
        buttons = [[Button("🔁 Transcribe again", "retry_voice")]] if voices else []
        return Reply("Pending:\n" + "\n".join(lines), buttons)

    def settings_report(self) -> Reply:
        """/settings: what the assistant is working with (no secrets)."""
        routing = self.config.routing
        lines = ["Settings", f"Time zone: {getattr(self.zone, 'key', str(self.zone))} (change with /timezone)",
                 "Calendars: " + ", ".join(render.target_text(n) for n in self.calendars.names()),
                 f"New events go to: {render.target_text(routing.event)}",
                 f"Reminders go to: {render.target_text(routing.reminder)}",
                 f"Notes go to: {render.target_text(routing.note)}",
                 f"Speech: {self.config.speech.engine}",
                 "Language model: " + ("on" if self.config.llm.base_url else "off (offline parser)"),
                 "Change the rest in config.toml or with `assistant setup`."]
        return Reply("\n".join(lines))

    def contacts(self, args: str) -> Reply:
        """/contacts: list; `/contacts Boris boris@example.com` adds or corrects; `/contacts remove Boris`."""
        words = args.split()
        if not words:
            rows = self.store.contacts.all()
            if not rows:
                return Reply("No contacts yet. I learn them from your events' attendees, or add one: "
                             "/contacts Boris boris@example.com")
            return Reply("Contacts:\n" + "\n".join(f"• {r['name']} — {r['email']}" for r in rows))
        if words[0].lower() in ("remove", "delete", "forget") and len(words) > 1:
            removed = self.store.contacts.remove(" ".join(words[1:]))
            return Reply(f"Forgot {removed} contact(s)." if removed else "No contact by that name or address.")
        emails = [w for w in words if "@" in w]
        name = " ".join(w for w in words if "@" not in w).strip(" =:-")
        if len(emails) != 1 or not name:
            return Reply("Say it as /contacts Name address@example.com, or /contacts remove Name.")
        self.store.contacts.set(name, emails[0].strip("<>,"))
        return Reply(f"Saved: {name} — {emails[0].strip('<>,').lower()}")

    def set_timezone(self, name: str) -> Reply:
        """/timezone ZONE: remembered in the database, so it outlives restarts and config edits."""
        name = name.strip()
        if not name:
            zone = getattr(self.zone, "key", str(self.zone))
            return Reply(f"Your time zone is {zone}. Change it with e.g. /timezone Europe/Berlin")
        candidate = _find_zone(name)
        if candidate is None:
            return Reply(f"I don't know the time zone “{name}”. Use an IANA name such as Europe/Berlin, "
                         "America/New_York or Asia/Tokyo.")
        self._use_zone(candidate)
        self.store.settings.set(TIMEZONE_KEY, candidate)
        return Reply(f"Time zone set to {candidate}; it is now {self.now():%H:%M} there.")

    def _use_zone(self, name: str) -> None:
        zone = zone_named(name)
        if zone is None:
            log.warning("stored time zone unknown; keeping the configured one")
            return
        self.zone = zone
        self.config.assistant.timezone = name
        self.calendars.zone = zone  # Calendars passes it on to its connectors

    def remember_message(self, item_id: str, message_id: int) -> int | None:
        """The channel's message showing the item's preview; returns the one it replaces, if any."""
        row = self.store.items.row(item_id)
        if row is None:
            return None
        with self.store.transaction():
            self.store.db["items"].update(item_id, {"message_id": message_id})
        previous = row["message_id"]
        return previous if previous != message_id else None

    def item_for_message(self, chat_id: int, message_id: int) -> str | None:
        rows = self.store.query("SELECT id FROM items WHERE chat_id = ? AND message_id = ?", [chat_id, message_id])
        return rows[0]["id"] if rows else None


def _find_zone(name: str) -> str | None:
    """An IANA zone from what the owner typed: exact, case-insensitive, or a city ("berlin", "new york")."""
    wanted = name.strip().replace(" ", "_")
    if zone_named(wanted) is not None:
        return wanted
    lowered = wanted.lower()
    for zone in sorted(available_timezones()):
        if zone.lower() == lowered or zone.lower().rsplit("/", 1)[-1] == lowered:
            return zone
    return None


def _match_of(request: Item) -> Item:
    """What identifies the existing event: the parser keeps it in the body as {"match": {title, start}};
    for a reschedule, `start` is the new time and must not narrow the search."""
    try:
        match = json.loads(request.body or "{}").get("match")
    except (ValueError, AttributeError):
        match = None
    if not isinstance(match, dict):
        return request if request.kind != Kind.RESCHEDULE else request.with_changes(start=None, end=None)
    try:
        start = parse_when(match.get("start"))
    except ValueError:
        start = None
    return request.with_changes(title=match.get("title") or request.title, start=start, end=None,
                                all_day=start is not None and not isinstance(start, datetime))


def _moved(event, request: Item, zone) -> Item | None:
    """The existing event at the requested new time, keeping its length, title, place and people.

    A new day without a time ("move it to Friday") keeps the event's time of day.
    """
    start = request.start
    if start is None:
        return None
    keep = {"title": event.title or "(busy)", "location": event.location, "attendees": list(event.attendees)}
    if not isinstance(start, datetime):
        if event.all_day:
            return Item(kind=Kind.EVENT, start=start, end=start + timedelta(days=1), all_day=True, **keep)
        local = event.start.astimezone(zone)
        start = datetime.combine(start, local.timetz().replace(tzinfo=None), tzinfo=zone)
    length = event.end - event.start if event.end and not event.all_day else timedelta(hours=1)
    end = request.end if isinstance(request.end, datetime) and request.end > start else start + length
    return Item(kind=Kind.EVENT, start=start, end=end, **keep)


def _entry(busy) -> Entry:
    return Entry(title=busy.title or "(busy)", start=busy.start, end=busy.end, all_day=busy.all_day,
                 calendar=busy.calendar)
