from datetime import datetime, timezone

import pytest

from assistant.config import RoutingSection
from assistant.core.item import Item, Kind
from assistant.core.routing import route

NOW = datetime(2030, 1, 1, 9, tzinfo=timezone.utc)
RULES = RoutingSection(event="icloud", reminder="local", note="notion")


@pytest.mark.parametrize("kind, expected", [
    (Kind.EVENT, "icloud"), (Kind.REMINDER, "local"), (Kind.NOTE, "notion"),
    (Kind.CANCEL, "icloud"), (Kind.RESCHEDULE, "icloud"), (Kind.FIND_TIME, "icloud")])
def test_default_per_kind(kind, expected):
    assert route(Item(kind=kind), RULES, {"local", "icloud", "notion"}) == expected


def test_explicit_target_wins_when_available():
    assert route(Item(kind=Kind.EVENT, target="work"), RULES, {"local", "icloud", "work"}) == "work"


def test_unavailable_target_falls_back_to_default_then_local():
    assert route(Item(kind=Kind.EVENT, target="gone"), RULES, {"local", "icloud"}) == "icloud"
    assert route(Item(kind=Kind.EVENT), RULES, {"local"}) == "local"
    assert route(Item(kind=Kind.NOTE), RULES, set()) == "local"


def test_defaults_route_everything_locally():
    assert {route(Item(kind=k), RoutingSection(), {"local"}) for k in Kind} == {"local"}
