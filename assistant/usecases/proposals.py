"""Proposals: a new item's preview, its variants (calendars, alternatives), and what the owner does with
it — create, edit, drop, undo. Creating commits the item to the outbox first, then tries to write it."""
from __future__ import annotations

import time
from datetime import datetime, timedelta

from assistant.core import render
from assistant.core.item import Item, Kind
from assistant.core.render import Button, Entry, Reply
from assistant.core.routing import route
from assistant.core.slots import Busy
from assistant.core.states import ConversationState, ItemStatus, OutboxAction
from assistant.store import metrics, utc_now
from assistant.usecases.delivery import Delivered, Delivery, give_up_buttons
from assistant.usecases.deps import EXPIRED, Deps, expired

WRITABLE = (Kind.EVENT, Kind.REMINDER, Kind.NOTE)
UNDO_WINDOW = timedelta(hours=1)
CLAIMED_WAIT = 3.0
"""How long a confirmation waits for a write the runtime's outbox job is already performing."""
EDIT_HINT = ("What should change? E.g. “make it 4pm”, “add Boris”, “45 minutes”, “at the office”, "
             "“every Monday” — or /cancel.")


def entry_of(busy: Busy) -> Entry:
    return Entry(title=busy.title or "(busy)", start=busy.start, end=busy.end, all_day=busy.all_day,
                 calendar=busy.calendar)


class Proposals:
    def __init__(self, deps: Deps, delivery: Delivery):
        self.deps = deps
        self.delivery = delivery

    @property
    def _items(self):
        return self.deps.store.items

    @property
    def _conversations(self):
        return self.deps.store.conversations

    # ── showing ─────────────────────────────────────────────────────────────────────────────
    def propose(self, chat_id: int, item: Item) -> Reply:
        """The preview card: routed target, conflicts from the calendar cache and, when it clashes,
        free alternatives. The item is stored as proposed and becomes the chat's open item."""
        target = route(item, self.deps.config.routing, set(self.deps.calendars.names()))
        item = item.with_changes(target=target)
        conflicts: list[Entry] = []
        alternatives: list[tuple[datetime, datetime]] = []
        if item.kind == Kind.EVENT and isinstance(item.start, datetime):
            busy, slots = self.deps.calendars.conflicts_and_alternatives(item, self.deps.now())
            conflicts = [entry_of(b) for b in busy if b.uid != item.id]
            alternatives = [(s.start, s.end) for s in slots] if conflicts else []
        self._items.save(item, ItemStatus.PROPOSED, chat_id)
        self._conversations.set(chat_id, ConversationState.AWAITING_CONFIRMATION, item.id,
                                {"alternatives": [[s.isoformat(), e.isoformat()] for s, e in alternatives]})
        card = render.preview(item, self.deps.zone, target, conflicts, alternatives)
        return Reply(card.text, card.buttons, item_id=item.id)

    def ask_when(self, chat_id: int, item: Item, question: str | None = None) -> Reply:
        """An item with no date yet: keep it open and ask."""
        self._items.save(item, ItemStatus.PROPOSED, chat_id)
        self._conversations.set(chat_id, ConversationState.EDITING, item.id)
        return Reply(question or f"When should “{item.title or 'it'}” be? Say a date and time, e.g. “tomorrow at 3pm”.",
                     item_id=item.id)

    def offer(self, chat_id: int, item: Item) -> Reply:
        """A preview, or the question that must come first."""
        if item.kind != Kind.NOTE and item.start is None or item.needs_clarification and item.question:
            return self.ask_when(chat_id, item, item.question)     # "Which day in March?" and the like
        return self.propose(chat_id, item)

    def _open(self, item_id: str) -> Item | None:
        """The item if it can still be changed (proposed, not yet created)."""
        item = self._items.get(item_id)
        return None if item is None or self.is_done(item_id) else item

    def refresh(self, chat_id: int, item_id: str) -> Reply:
        """Back to the plain preview."""
        item = self._open(item_id)
        return self.propose(chat_id, item) if item else expired()

    def show_calendars(self, chat_id: int, item_id: str) -> Reply:
        """Calendar ▸: the preview with a button per calendar (and Back)."""
        item = self._open(item_id)
        if item is None:
            return expired()
        reply = self.propose(chat_id, item)
        conversation = self._conversations.get(chat_id)
        self._conversations.set(chat_id, ConversationState.SELECTING_CALENDAR, item_id, conversation["data"])
        current = self._items.get(item_id).target
        rows = [[Button(("✓ " if name == current else "") + render.target_text(name), f"target:{name}")]
                for name in self.deps.calendars.names()]
        return Reply(reply.text, rows + [[Button("‹ Back", "preview")]], item_id=item_id)

    def show_alternatives(self, chat_id: int, item_id: str) -> Reply:
        """Alternatives: the preview with a button per free slot (and Back)."""
        item = self._open(item_id)
        if item is None:
            return expired()
        reply = self.propose(chat_id, item)
        slots = self._conversations.get(chat_id)["data"].get("alternatives", [])
        if not slots:
            return reply
        rows = [[Button(render.slot_text(datetime.fromisoformat(s), datetime.fromisoformat(e), self.deps.zone),
                        f"slot:{i}")] for i, (s, e) in enumerate(slots[:3])]
        return Reply(reply.text, rows + [[Button("‹ Back", "preview")]], item_id=item_id)

    def choose_target(self, chat_id: int, item_id: str, target: str) -> Reply:
        item = self._open(item_id)
        if item is None:
            return expired()
        if target not in self.deps.calendars.names():
            return Reply(f"There is no calendar named {target}.")
        return self.propose(chat_id, item.with_changes(target=target))

    def choose_alternative(self, chat_id: int, item_id: str, index: int) -> Reply:
        item = self._open(item_id)
        conversation = self._conversations.get(chat_id)
        slots = conversation["data"].get("alternatives", []) if conversation["item_id"] == item_id else []
        if item is None or not 0 <= index < len(slots):
            return Reply("That choice has expired — please send the request again.")
        start, end = (datetime.fromisoformat(v) for v in slots[index])
        return self.propose(chat_id, item.with_changes(start=start, end=end))

    # ── the open item ───────────────────────────────────────────────────────────────────────
    def is_done(self, item_id: str) -> bool:
        """Whether the item was already confirmed (so a second Create tap must not do anything)."""
        status = self._items.status(item_id)
        return status is not None and status.is_done

    def is_current(self, chat_id: int, item_id: str) -> bool:
        conversation = self._conversations.get(chat_id)
        return conversation["state"] != ConversationState.IDLE and conversation["item_id"] == item_id

    def focus(self, chat_id: int, item_id: str) -> bool:
        """The owner replied to an older preview: make that item the open one again."""
        row = self._items.row(item_id)
        if row is None or row["status"] != ItemStatus.PROPOSED or row["kind"] not in {k.value for k in WRITABLE}:
            return False
        if not self.is_current(chat_id, item_id):
            self._conversations.set(chat_id, ConversationState.AWAITING_CONFIRMATION, item_id)
        return True

    def start_edit(self, chat_id: int, item_id: str) -> Reply:
        """The Edit button: the next message patches the item."""
        if self._open(item_id) is None:
            return Reply("That request can't be edited any more — please send it again.")
        data = self._conversations.get(chat_id)["data"] if self.is_current(chat_id, item_id) else {}
        self._conversations.set(chat_id, ConversationState.EDITING, item_id, data)
        return Reply(EDIT_HINT, item_id=item_id)

    def settle(self, chat_id: int, item_id: str) -> None:
        """The open item is done with: the next preview of the same message becomes the open one, or the
        chat goes back to idle — unless the conversation has moved on to another item meanwhile."""
        conversation = self._conversations.get(chat_id)
        if conversation["item_id"] not in (item_id, None):
            return
        queue = [i for i in conversation["data"].get("queue", []) if self._items.status(i) == ItemStatus.PROPOSED]
        if queue:
            self._conversations.set(chat_id, ConversationState.AWAITING_CONFIRMATION, queue[0], {"queue": queue[1:]})
        else:
            self._conversations.set(chat_id, ConversationState.IDLE)

    # ── yes, no, undo ───────────────────────────────────────────────────────────────────────
    def confirm(self, chat_id: int, item_id: str) -> Reply:
        """Create the item; safe to call twice (a double tap, a repeated "yes"): it is written once."""
        row = self._items.row(item_id)
        if row is None:
            return expired()
        status = ItemStatus(row["status"])
        if status.is_done:
            return Reply("Already done ✅", item_id=item_id, link=row["link"])
        if status == ItemStatus.DROPPED:
            return Reply("That request was cancelled — please send it again.")
        item = Item.from_json(row["data"])
        if item.kind not in WRITABLE:
            return Reply("There is nothing to create for that request.")
        if item.kind != Kind.NOTE and item.start is None:
            return self.ask_when(chat_id, item)
        with self.deps.store.transaction():
            self._items.set_status(item_id, ItemStatus.CONFIRMED, confirmed_at=utc_now())
            self.delivery.enqueue(item_id, item.target or "local", OutboxAction.CREATE)
            self.settle(chat_id, item_id)
        results = self.delivery.deliver(item_id) or self._landed_elsewhere(item_id)
        metrics.of(self.deps.store).confirmed(item_id)      # after the write: it must not delay it
        return self._created(item, results)

    def _landed_elsewhere(self, item_id: str) -> list[Delivered]:
        """The runtime's outbox job took the write first: wait briefly for its result instead of saying
        it is still queued."""
        deadline = time.monotonic() + CLAIMED_WAIT
        while time.monotonic() < deadline:
            row = self._items.row(item_id)
            if row is not None and ItemStatus(row["status"]) == ItemStatus.DELIVERED:
                return [Delivered(item_id, row["target"] or "local", OutboxAction.CREATE, ok=True, link=row["link"])]
            time.sleep(0.05)
        return []

    def _created(self, item: Item, results: list[Delivered]) -> Reply:
        ok = [r for r in results if r.ok]
        what = {Kind.NOTE: "Note saved", Kind.REMINDER: "Reminder set"}.get(item.kind, "Created")
        where = render.target_text(item.target or "local")
        undo = [[Button("↩️ Undo", "undo")]]
        if ok:
            link = ok[0].link
            return Reply(f"✅ {what}: {item.title} — {where}" + (f"\n{link}" if link else ""), undo,
                         item_id=item.id, link=link)
        failed = results[0] if results else None
        if failed is not None and failed.final:
            return Reply(f"❌ I couldn't write it to {where}: {failed.error}", give_up_buttons(item.target or "local"),
                         item_id=item.id)
        if failed is not None and failed.waiting_for_login:
            return Reply(f"🔑 Saved, but {where} refused the login: {failed.error}. I keep it and write it as "
                         "soon as the login works again.", undo, item_id=item.id)
        error = failed.error if failed else "it is queued"
        return Reply(f"⏳ Saved, but not written to {where} yet: {error}. I'll keep retrying.", undo,
                     item_id=item.id)

    def retry(self, chat_id: int, item_id: str) -> Reply:
        """🔁 Retry on a write that was given up: queue it again (attempts start over) and try now."""
        return self._resend(item_id, None)

    def to_local(self, chat_id: int, item_id: str) -> Reply:
        """Send a given-up write to the built-in calendar instead."""
        return self._resend(item_id, "local")

    def _resend(self, item_id: str, target: str | None) -> Reply:
        row = self._items.row(item_id)
        if row is None or ItemStatus(row["status"]) != ItemStatus.FAILED:
            return Reply("That one is no longer waiting." if row else EXPIRED)
        item = Item.from_json(row["data"])
        if target is not None:
            item = item.with_changes(target=target)
        with self.deps.store.transaction():
            self._items.save(item, ItemStatus.CONFIRMED, error=None)
            self.delivery.enqueue(item_id, item.target or "local", OutboxAction.CREATE)
        return self._created(item, self.delivery.deliver(item_id))

    def drop(self, chat_id: int, item_id: str) -> Reply:
        status = self._items.status(item_id)
        if status is not None and status.is_done:
            return Reply("That one is already created — use Undo (or /undo) to remove it.", item_id=item_id)
        with self.deps.store.transaction():
            if status is not None:
                self._items.set_status(item_id, ItemStatus.DROPPED)
            self.settle(chat_id, item_id)
        return Reply("Dropped — nothing was saved.", item_id=item_id)

    def cancel_pending(self, chat_id: int) -> Reply:
        """/cancel: drop whatever preview or question is open."""
        conversation = self._conversations.get(chat_id)
        if conversation["state"] == ConversationState.IDLE or not conversation["item_id"]:
            return Reply("Nothing is pending.")
        return self.drop(chat_id, conversation["item_id"])

    def undo(self, chat_id: int, item_id: str) -> Reply:
        row = self._items.row(item_id)
        if row is None or not ItemStatus(row["status"]).is_done:
            return Reply("Nothing to undo.")
        confirmed = datetime.fromisoformat(row["confirmed_at"])
        if self.deps.now() - confirmed > UNDO_WINDOW:
            return Reply("Undo is only possible for an hour after creating; delete it in the calendar instead.")
        item = Item.from_json(row["data"])
        self.delivery.enqueue(item_id, item.target or "local", OutboxAction.DELETE)
        results = self.delivery.deliver(item_id)
        if results and all(r.ok for r in results):
            self._items.set_status(item_id, ItemStatus.DROPPED)
            return Reply(f"↩️ Undone: {item.title}")
        return Reply("⏳ Undo is queued; I'll retry shortly.")

    def undo_last(self, chat_id: int) -> Reply:
        """/undo: the most recent item created from this chat, within the undo window."""
        item_id = self._items.last_confirmed(chat_id)
        return self.undo(chat_id, item_id) if item_id else Reply("Nothing to undo.")
