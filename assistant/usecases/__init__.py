"""What the owner can do, as small use cases over the store and the calendars facade (in the spirit of
khal's controllers). Channels (Telegram, the console) call these and nothing below them.

    conversation  every message: yes/no, edits of the open preview, new requests by kind
    proposals     a new item's preview and its buttons: create, edit, calendar, alternatives, drop, undo
    changes       cancel or move an event that already exists
    agenda        what is planned (/today, questions) and free time (find_time)
    commands      /settings, /contacts, /timezone, /pending
    notes         reading back what was stored: /notes, /reminders, "show my notes about wifi", replies to a note
    voice         recordings kept until transcribed, then read like text
    delivery      the outbox worker (the runtime runs it; a confirmation tries it at once)
    reminders     firing built-in reminders exactly once; snooze and done
    bookkeeping   what a channel remembers: its settings, button tokens, which message shows which item
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Callable

from assistant.config import Config
from assistant.store import Store
from assistant.understanding import Understanding, from_config
from assistant.usecases.agenda import Agenda
from assistant.usecases.bookkeeping import Bookkeeping
from assistant.usecases.changes import Changes
from assistant.usecases.commands import Commands
from assistant.usecases.conversation import Conversation
from assistant.usecases.delivery import Delivery
from assistant.usecases.deps import Deps
from assistant.usecases.notes import Notes
from assistant.usecases.proposals import Proposals
from assistant.usecases.reminders import Reminders
from assistant.usecases.voice import VoiceNotes

if TYPE_CHECKING:
    from assistant.calendars import Calendars


@dataclass
class UseCases:
    deps: Deps
    conversation: Conversation
    proposals: Proposals
    changes: Changes
    agenda: Agenda
    commands: Commands
    voice: VoiceNotes
    delivery: Delivery
    bookkeeping: Bookkeeping
    reminders: Reminders
    notes: Notes | None = None
    owns_store: bool = False

    def close(self) -> None:
        self.voice.close()
        self.deps.calendars.close()
        if self.owns_store:
            self.deps.store.close()


def build(config: Config, store: Store | None = None, calendars: "Calendars | None" = None,
          understanding: Understanding | None = None, clock: Callable[[], datetime] | None = None) -> UseCases:
    """Wire the use cases for one process: the store is opened here unless given (then the caller closes
    it); `calendars`, `understanding` and `clock` are for tests. Raises StoreError when the database
    cannot be opened."""
    owns_store = store is None
    if store is None:
        store = Store(config.db_path)
    if calendars is None:
        from assistant.calendars import Calendars  # noqa: PLC0415 (connectors load lazily)

        calendars = Calendars(config, store)
    deps = Deps(config, store, calendars, understanding or from_config(config, store), clock)
    delivery = Delivery(deps)
    proposals = Proposals(deps, delivery)
    changes = Changes(deps, delivery)
    agenda = Agenda(deps)
    conversation = Conversation(deps, proposals, changes, agenda)
    conversation.notes = notes = Notes(deps, delivery)
    return UseCases(deps=deps, conversation=conversation, proposals=proposals, changes=changes, agenda=agenda,
                    commands=Commands(deps), voice=VoiceNotes(deps, conversation), delivery=delivery,
                    bookkeeping=Bookkeeping(store), reminders=Reminders(deps), notes=notes, owns_store=owns_store)


__all__ = ["UseCases", "build"]
