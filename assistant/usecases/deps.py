"""What every use case works with: the configuration, the store, the calendars facade, the understanding
pipeline, and the clock and zone (the pure core gets `now` and the zone from here as arguments)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Callable
from zoneinfo import ZoneInfo

from assistant.config import Config
from assistant.core.render import Reply
from assistant.core.zones import zone_named
from assistant.store import Store
from assistant.understanding import Context, Understanding

if TYPE_CHECKING:
    from assistant.calendars import Calendars

log = logging.getLogger(__name__)

TIMEZONE_KEY = "assistant.timezone"
EXPIRED = "That request has expired — please send it again."


def expired() -> Reply:
    """The answer to a tap or reply about an item that is gone, done, or no longer open."""
    return Reply(EXPIRED)


@dataclass
class Deps:
    config: Config
    store: Store
    calendars: "Calendars"
    understanding: Understanding = field(default_factory=Understanding)
    clock: Callable[[], datetime] | None = None
    """Tests pass a fixed clock; None is the wall clock."""

    def __post_init__(self) -> None:
        saved = self.store.settings.get(TIMEZONE_KEY)
        if saved and saved != self.config.assistant.timezone:
            self.use_zone(saved)

    @property
    def zone(self) -> ZoneInfo:
        return self.calendars.zone

    def now(self) -> datetime:
        return self.clock() if self.clock else datetime.now(self.zone)

    def context(self, sender: str | None = None, forwarded: bool = False) -> Context:
        return Context(now=self.now(), zone=self.zone, sender=sender, forwarded=forwarded)

    def use_zone(self, name: str) -> bool:
        """The owner moved: previews, agendas, the built-in calendar and the connectors follow."""
        zone = zone_named(name)
        if zone is None:
            log.warning("stored time zone unknown; keeping the configured one")
            return False
        self.config.assistant.timezone = name
        self.calendars.zone = zone
        return True
