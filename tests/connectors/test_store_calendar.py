"""The calendar cache and contacts repositories."""
from __future__ import annotations

from datetime import timedelta

import pytest

from assistant.core.slots import Busy
from assistant.store import Store
from connector_contract import MONDAY, ZONE


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "assistant.db")
    yield s
    s.close()


def occ(uid: str, hours: int, minutes: int = 60, **kw) -> Busy:
    start = MONDAY + timedelta(hours=hours)
    return Busy(start=start, end=start + timedelta(minutes=minutes), uid=uid, title=f"t-{uid}", **kw)


def test_migration_adds_cache_columns(store):
    columns = {c.name for c in store.db["calendar_cache"].columns}
    assert "href" in columns
    assert {"full_at", "window_start", "window_end", "error"} <= {c.name for c in store.db["sync_state"].columns}


def test_replace_calendar_objects_and_range_query(store):
    cache = store.cache
    cache.replace_calendar("work", [("/a.ics", [occ("a", 0), occ("a", 24, recurrence_id="x", recurring=True)]),
                                    ("/b.ics", [occ("b", 2, transparent=True, tentative=True,
                                                    attendees=["Ann <ann@x.org>"], location="Room")])])
    cache.replace_calendar("home", [("/c.ics", [occ("c", 1)])])
    found = cache.between(MONDAY, MONDAY + timedelta(hours=3), zone=ZONE)
    assert [(b.uid, b.calendar) for b in found] == [("a", "work"), ("c", "home"), ("b", "work")]
    b = found[-1]
    assert b.transparent and b.tentative and b.attendees == ["Ann <ann@x.org>"] and b.location == "Room"
    assert b.start.tzinfo == ZONE
    assert [x.uid for x in cache.between(MONDAY, MONDAY + timedelta(days=2), calendars=["work"])] == ["a", "b", "a"]
    assert cache.between(MONDAY, MONDAY + timedelta(days=2), calendars=[]) == []
    cache.replace_objects("work", [("/a.ics", [occ("a", 5)])])
    cache.delete_keys("work", ["/b.ics"])
    assert [(x.uid, x.start) for x in cache.between(MONDAY, MONDAY + timedelta(days=2), ["work"])] == \
        [("a", MONDAY + timedelta(hours=5))]
    cache.replace_calendar("work", [])
    assert cache.count("work") == 0 and cache.count() == 1


def test_sync_state(store):
    assert store.cache.state("work")["token"] is None
    store.cache.set_state("work", token="t1", synced_at="2030-01-01T00:00:00+00:00")
    store.cache.set_state("work", error="down")
    state = store.cache.state("work")
    assert (state["token"], state["error"]) == ("t1", "down")
    store.cache.clear("work")
    assert store.cache.state("work")["token"] is None


def test_contacts_learn_set_lookup_remove(store):
    contacts = store.contacts
    assert contacts.learn(None, "mailto:Boris.P@Example.com")
    assert contacts.get("boris.p@example.com")["name"] == "boris.p"
    assert contacts.learn("Boris Petrov", "boris.p@example.com")         # a real name replaces the placeholder
    assert not contacts.learn("B. Petrov", "boris.p@example.com")        # the first real name stays
    contacts.set("Boris Becker", "bb@example.com")
    contacts.learn("Anna Boris", "anna@example.com")
    assert [c["email"] for c in contacts.lookup("boris")] == ["bb@example.com", "boris.p@example.com",
                                                              "anna@example.com"]
    assert [c["email"] for c in contacts.lookup("Boris Petrov")] == ["boris.p@example.com"]
    assert [c["email"] for c in contacts.lookup("bor")] == ["boris.p@example.com", "bb@example.com",
                                                            "anna@example.com"]
    assert contacts.lookup("zed") == [] and contacts.lookup("") == []
    assert not contacts.learn("Someone", "not-an-address")
    contacts.set("Boris Petrov-Vodkin", "boris.p@example.com")           # the owner corrects it
    assert not contacts.learn("Boris", "boris.p@example.com")
    assert contacts.get("boris.p@example.com")["source"] == "owner"
    assert contacts.remove("Boris Becker") == 1 and contacts.remove("ANNA@example.com") == 1
    assert [c["email"] for c in contacts.all()] == ["boris.p@example.com"]
    with pytest.raises(ValueError):
        contacts.set("", "x@y.z")
