"""The closed sets of states the assistant keeps in SQLite, as enums (stored as their string values)."""
from __future__ import annotations

from enum import StrEnum


class ItemStatus(StrEnum):
    """What became of a proposed item."""
    PROPOSED = "proposed"      # shown to the owner, not confirmed
    CONFIRMED = "confirmed"    # the owner said yes; its write waits in the outbox
    DELIVERED = "delivered"    # written to its target
    FAILED = "failed"          # the write was given up; the owner was told
    DROPPED = "dropped"        # the owner said no, or undid it

    @property
    def is_done(self) -> bool:
        """Confirmed or delivered: a second Create must not write it again."""
        return self in (ItemStatus.CONFIRMED, ItemStatus.DELIVERED)


class ConversationState(StrEnum):
    """Where a chat stands; survives restarts."""
    IDLE = "idle"
    AWAITING_CONFIRMATION = "awaiting_confirmation"   # a preview or a yes/no question is open
    EDITING = "editing_event"                         # the next message patches the open item
    SELECTING_CALENDAR = "selecting_calendar"         # the calendar buttons are showing


class OutboxAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class ReminderStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DONE = "done"


class VoiceStatus(StrEnum):
    PENDING = "pending"        # kept on disk until it is transcribed
    DONE = "done"
