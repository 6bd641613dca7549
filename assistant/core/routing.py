"""Item + routing rules → the name of the calendar (or notes target) it goes to. Pure."""
from __future__ import annotations

from typing import Protocol

from assistant.core.item import Item, Kind

LOCAL = "local"


class RoutingRules(Protocol):
    """The `[routing]` section: a default target name per kind."""
    event: str
    reminder: str
    note: str


def default_for(kind: Kind, routing: RoutingRules) -> str:
    """The configured default for a kind; requests about events (cancel, find_time…) follow events."""
    if kind == Kind.REMINDER:
        return routing.reminder
    if kind == Kind.NOTE:
        return routing.note
    return routing.event


def route(item: Item, routing: RoutingRules, available: set[str]) -> str:
    """`item.target` when set and available, else the `[routing]` default for its kind when available,
    else the built-in "local" calendar."""
    if item.target and item.target in available:
        return item.target
    default = default_for(item.kind, routing)
    if default in available:
        return default
    return LOCAL
