"""Item + routing rules → the name of the calendar (or notes target) it goes to. Pure.

The `[routing]` section reaches this module through the protocols below (it never imports the config):
the defaults per kind, and `[[routing.rules]]` tried in order before them.
"""
from __future__ import annotations

import re
from typing import Protocol, Sequence

from assistant.core.item import Item, Kind

LOCAL = "local"


class RoutingRule(Protocol):
    """One `[[routing.rules]]` entry; a condition left empty (None, []) is not checked."""
    kind: str | None
    keywords: Sequence[str]
    attendees: Sequence[str]
    target: str


class RoutingRules(Protocol):
    """The `[routing]` section: a default target name per kind, and optionally `rules`."""
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


def routing_kind(kind: Kind) -> str:
    """The kind rules and defaults see: "reminder", "note", or "event" (for events and every request
    about them: cancel, reschedule, find_time…)."""
    if kind in (Kind.REMINDER, Kind.NOTE):
        return kind.value
    return Kind.EVENT.value


def _has_word(text: str, word: str) -> bool:
    return bool(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE))


def matches(item: Item, rule: RoutingRule) -> bool:
    """Whether every condition the rule sets holds: its kind is the item's (see `routing_kind`), any of
    its keywords is a whole word of the title or the request (any case), any of its attendees is one of
    the item's attendees (any case; a whole word of a longer name counts: "Boris" ~ "Boris Ivanov")."""
    if rule.kind and str(rule.kind) != routing_kind(item.kind):
        return False
    keywords = [k.strip() for k in rule.keywords or () if k.strip()]
    if keywords and not any(_has_word(text, k) for k in keywords for text in (item.title, item.source_text)
                            if text):
        return False
    names = [n.strip() for n in rule.attendees or () if n.strip()]
    if names and not any(_has_word(person, n) for n in names for person in item.attendees or ()):
        return False
    return True


def matching_rule(item: Item, routing: RoutingRules, available: set[str]) -> RoutingRule | None:
    """The first rule (in file order) that matches the item and whose target is available."""
    for rule in getattr(routing, "rules", None) or ():
        if rule.target in available and matches(item, rule):
            return rule
    return None


def route(item: Item, routing: RoutingRules, available: set[str]) -> str:
    """`item.target` when set and available; else the first matching `[[routing.rules]]` entry whose
    target is available; else the `[routing]` default for its kind when available; else the built-in
    "local" calendar."""
    if item.target and item.target in available:
        return item.target
    rule = matching_rule(item, routing, available)
    if rule is not None:
        return rule.target
    default = default_for(item.kind, routing)
    if default in available:
        return default
    return LOCAL
