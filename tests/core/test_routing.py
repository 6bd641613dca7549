from datetime import datetime, timezone

import pytest

from assistant.config import RoutingRule, RoutingSection
from assistant.core.item import Item, Kind
from assistant.core.routing import matches, route

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


# ---------------------------------------------------------------- [[routing.rules]]

ALL = {"local", "icloud", "notion", "office", "clients", "family"}


def rules(*entries: dict) -> RoutingSection:
    return RoutingSection(event="icloud", reminder="local", note="notion",
                          rules=[RoutingRule(**e) for e in entries])


def test_a_rule_wins_over_the_default():
    routing = rules({"keywords": ["client"], "target": "clients"})
    assert route(Item(kind=Kind.EVENT, title="Call with client"), routing, ALL) == "clients"
    assert route(Item(kind=Kind.EVENT, title="Dentist"), routing, ALL) == "icloud"


def test_first_matching_rule_wins():
    routing = rules({"keywords": ["invoice"], "target": "office"}, {"keywords": ["invoice"], "target": "clients"})
    assert route(Item(kind=Kind.REMINDER, title="send invoice"), routing, ALL) == "office"


def test_explicit_target_still_wins_over_rules():
    routing = rules({"keywords": ["client"], "target": "clients"})
    item = Item(kind=Kind.EVENT, title="client lunch", target="family")
    assert route(item, routing, ALL) == "family"


def test_keywords_are_whole_words_any_case_in_title_or_request():
    routing = rules({"keywords": ["client", "Rechnung"], "target": "clients"})
    assert route(Item(kind=Kind.EVENT, title="CLIENT review"), routing, ALL) == "clients"
    assert route(Item(kind=Kind.EVENT, title="Review", source_text="review with the client tomorrow"),
                 routing, ALL) == "clients"
    assert route(Item(kind=Kind.NOTE, title="rechnung schicken"), routing, ALL) == "clients"
    assert route(Item(kind=Kind.EVENT, title="clientele dinner"), routing, ALL) == "icloud"  # not a whole word
    assert route(Item(kind=Kind.EVENT, title="subclient sync"), routing, ALL) == "icloud"


def test_attendees_match_any_case():
    routing = rules({"attendees": ["Boris"], "target": "office"})
    assert route(Item(kind=Kind.EVENT, title="Sync", attendees=["anna", "boris"]), routing, ALL) == "office"
    assert route(Item(kind=Kind.EVENT, title="Sync", attendees=["Boris Ivanov"]), routing, ALL) == "office"
    assert route(Item(kind=Kind.EVENT, title="Sync", attendees=["Borislav"]), routing, ALL) == "icloud"
    assert route(Item(kind=Kind.EVENT, title="Boris"), routing, ALL) == "icloud"  # a title is not an attendee


def test_every_condition_a_rule_sets_must_hold():
    routing = rules({"kind": "event", "keywords": ["client"], "attendees": ["Boris"], "target": "office"})
    both = Item(kind=Kind.EVENT, title="client call", attendees=["Boris"])
    assert route(both, routing, ALL) == "office"
    assert route(both.with_changes(attendees=["Anna"]), routing, ALL) == "icloud"
    assert route(both.with_changes(title="call"), routing, ALL) == "icloud"
    assert route(both.with_changes(kind=Kind.REMINDER), routing, ALL) == "local"


def test_kind_only_rule_and_event_requests_follow_events():
    routing = rules({"kind": "event", "target": "office"})
    assert route(Item(kind=Kind.EVENT, title="x"), routing, ALL) == "office"
    assert route(Item(kind=Kind.CANCEL, title="x"), routing, ALL) == "office"
    assert route(Item(kind=Kind.NOTE, title="x"), routing, ALL) == "notion"


def test_a_rule_without_conditions_matches_everything():
    assert {route(Item(kind=k), rules({"target": "family"}), ALL) for k in Kind} == {"family"}


def test_a_rule_whose_target_is_unavailable_is_skipped():
    routing = rules({"keywords": ["client"], "target": "gone"}, {"keywords": ["client"], "target": "clients"})
    assert route(Item(kind=Kind.EVENT, title="client"), routing, ALL) == "clients"
    assert route(Item(kind=Kind.EVENT, title="client"), rules({"keywords": ["client"], "target": "gone"}),
                 ALL) == "icloud"


def test_matches_works_with_any_object_of_the_right_shape():
    class Plain:
        kind, keywords, attendees, target = None, ["Lunch"], [], "family"

    assert matches(Item(kind=Kind.EVENT, title="lunch with Anna"), Plain())

    class NoRules:
        event, reminder, note = "icloud", "local", "notion"

    assert route(Item(kind=Kind.EVENT, title="lunch"), NoRules(), ALL) == "icloud"


def test_routing_does_not_import_the_configuration():
    import ast
    from pathlib import Path

    import assistant.core.routing as module

    tree = ast.parse(Path(module.__file__).read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(name and name.startswith("assistant.config") for name in imported)
