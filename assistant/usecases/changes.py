"""Changes to events that already exist: "cancel lunch with Anna", "move the dentist to Thursday 3pm".

The request is matched against the calendars (`core.matching`), the owner is asked yes or no, and a yes
goes through the outbox like a new item, keyed by the existing event's uid."""
from __future__ import annotations

from assistant.core import matching, render
from assistant.core.item import Item
from assistant.core.render import Button, Reply
from assistant.core.states import ConversationState, ItemStatus, OutboxAction
from assistant.store import utc_now
from assistant.usecases.delivery import Delivery
from assistant.usecases.deps import Deps, expired
from assistant.usecases.proposals import entry_of


class Changes:
    def __init__(self, deps: Deps, delivery: Delivery):
        self.deps = deps
        self.delivery = delivery

    def cancel(self, chat_id: int, request: Item) -> Reply:
        return self._ask(chat_id, request, OutboxAction.DELETE)

    def reschedule(self, chat_id: int, request: Item) -> Reply:
        return self._ask(chat_id, request, OutboxAction.UPDATE)

    def _ask(self, chat_id: int, request: Item, action: OutboxAction) -> Reply:
        found = self.deps.calendars.find_matching(matching.target_of(request), self.deps.now())
        if not found:
            return Reply("I couldn't find that event. Try /today or /week to see what's planned.")
        event = found[0]
        when = render.entry_when(entry_of(event), self.deps.zone)
        item = request
        if action == OutboxAction.UPDATE:
            new = matching.moved(event, request, self.deps.zone)
            if new is None:
                return Reply(f"When should “{event.title}” move to? Say e.g. “move it to Friday at 3pm”.")
            item = new.with_changes(id=request.id)
            question = f"Move “{event.title}” ({when}) to {render.when_text(item, self.deps.zone)}?"
        else:
            question = f"Delete “{event.title}” on {when}?"
        calendar = event.calendar or "local"
        self.deps.store.items.save(item.with_changes(target=calendar), ItemStatus.PROPOSED, chat_id)
        self.deps.store.conversations.set(chat_id, ConversationState.AWAITING_CONFIRMATION, item.id,
                                          {"action": action.value, "uid": event.uid, "calendar": calendar})
        return Reply(question, [[Button("✅ Yes", "apply"), Button("✖️ No", "cancel")]], item_id=item.id)

    def is_open(self, conversation: dict) -> bool:
        """Whether the chat's open question is about an existing event (yes applies the change)."""
        return "uid" in conversation["data"]

    def apply(self, chat_id: int, item_id: str) -> Reply:
        """The owner said yes to a cancel or reschedule question."""
        store = self.deps.store
        conversation = store.conversations.get(chat_id)
        data = conversation["data"] if conversation["item_id"] == item_id else {}
        if store.items.get(item_id) is None or "uid" not in data:
            return expired()
        action = OutboxAction(data["action"])
        with store.transaction():
            store.items.set_status(item_id, ItemStatus.CONFIRMED, confirmed_at=utc_now())
            self.delivery.enqueue(item_id, data["calendar"], action, {"uid": data["uid"]})
            store.conversations.set(chat_id, ConversationState.IDLE)
        results = self.delivery.deliver(item_id)
        if results and all(r.ok for r in results):
            return Reply("✅ Deleted." if action == OutboxAction.DELETE else "✅ Moved.", item_id=item_id)
        return Reply("⏳ Saved; the calendar didn't answer yet, I'll retry shortly.", item_id=item_id)
