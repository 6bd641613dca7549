"""The service-facing facade: busy time from SQLite, conflicts and alternatives, find_time, matching,
writes that refresh the cache, and sync (the in-memory reference connector and a real Radicale)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from assistant.calendars import Calendars
from assistant.config import AvailabilitySection, CalendarSection, Config, RoutingSection
from assistant.connectors import build_connectors
from assistant import errors
from assistant.connectors.base import Busy, ConnectorError
from assistant.connectors.caldav import CalDAVConnector
from assistant.connectors.ics import IcsConnector
from assistant.connectors.local import LocalConnector
from assistant.connectors.memory import MemoryConnector
from assistant.core.item import Item, Kind
from assistant.store import Store
from connector_contract import MONDAY, ZONE, event
from radicale_server import USERS

NOW = MONDAY.replace(hour=8)


def config(**kw) -> Config:
    cfg = Config()
    cfg.assistant.timezone = "Europe/Berlin"
    cfg.calendars = kw.pop("calendars", [CalendarSection(name="work", type="caldav", url="https://x"),
                                          CalendarSection(name="holidays", type="ics", url="h.ics", busy=False)])
    cfg.routing = kw.pop("routing", RoutingSection())
    cfg.availability = kw.pop("availability", AvailabilitySection(min_notice_minutes=0))
    return cfg


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "assistant.db")
    yield s
    s.close()


def remote_busy(title, start, minutes=60, **kw) -> Busy:
    return Busy(start=start, end=start + timedelta(minutes=minutes), title=title, uid=kw.pop("uid", title),
                **kw)


@pytest.fixture
def setup(store):
    work = MemoryConnector("work", ZONE, events=[remote_busy("Board meeting", MONDAY.replace(hour=14), 120,
                                                             attendees=["Boris Petrov <boris@example.com>"])])
    holidays = MemoryConnector("holidays", ZONE, read_only=True,
                               events=[remote_busy("Spring fest", MONDAY.replace(hour=9), 600)])
    cals = Calendars(config(), store, {"work": work, "holidays": holidays})
    cals.sync(now=NOW)
    return cals, work, holidays


def test_build_connectors_always_has_local(store, tmp_path):
    built = build_connectors(config(), store)
    assert list(built) == ["local", "work", "holidays"]
    assert isinstance(built["local"], LocalConnector)
    assert isinstance(built["work"], CalDAVConnector) and isinstance(built["holidays"], IcsConnector)
    skipped = build_connectors(config(calendars=[CalendarSection(name="g", type="google")]), store)
    assert "local" in skipped


def test_names_are_writable_targets_local_first(setup):
    cals, _, _ = setup
    assert cals.names() == ["local", "work"]


def test_busy_merges_local_and_cache_without_network(setup, store):
    cals, work, _ = setup
    store.events.upsert(event(title="Local lunch", start=MONDAY.replace(hour=12)), ZONE)
    work.fail_next(errors.Unavailable("offline"), times=None)   # reading must not touch the provider
    asked = len(work.calls)
    day = (MONDAY.replace(hour=0), MONDAY.replace(hour=23))
    assert [(b.title, b.calendar) for b in cals.busy(*day)] == [("Local lunch", "local"), ("Board meeting", "work")]
    assert [b.title for b in cals.events_between(*day)] == ["Spring fest", "Local lunch", "Board meeting"]
    assert len(work.calls) == asked


def test_conflict_offers_three_alternatives_same_day_first(setup):
    cals, _, _ = setup
    item = event(title="Call", start=MONDAY.replace(hour=14, minute=30), minutes=60)
    found, slots = cals.conflicts_and_alternatives(item, NOW)
    assert [b.title for b in found] == ["Board meeting"]
    assert len(slots) == 3
    assert slots[0].start == MONDAY.replace(hour=13) or slots[0].start == MONDAY.replace(hour=16)
    assert all(s.start.date() == MONDAY.date() for s in slots)
    assert all(s.end <= MONDAY.replace(hour=14) or s.start >= MONDAY.replace(hour=16) for s in slots)


def test_no_conflict_no_alternatives_and_own_event_ignored(setup, store):
    cals, _, _ = setup
    assert cals.conflicts_and_alternatives(event(start=MONDAY.replace(hour=10)), NOW) == ([], [])
    own = event(start=MONDAY.replace(hour=10))
    store.events.upsert(own, ZONE)
    assert cals.conflicts_and_alternatives(own.with_changes(title="moved"), NOW) == ([], [])
    allday = Item(kind=Kind.EVENT, title="x", start=MONDAY.date(), all_day=True)
    assert cals.conflicts_and_alternatives(allday, NOW) == ([], [])


def test_evening_request_gets_evening_alternatives(setup, store):
    cals, _, _ = setup
    store.events.upsert(event(title="Dinner", start=MONDAY.replace(hour=19), minutes=120), ZONE)
    _, slots = cals.conflicts_and_alternatives(event(start=MONDAY.replace(hour=20)), NOW)
    assert slots and slots[0].start.hour >= 17


def test_find_time_uses_attendees_free_busy_and_contacts(store):
    boris_busy = [Busy(start=MONDAY.replace(hour=9), end=MONDAY.replace(hour=12))]
    work = MemoryConnector("work", ZONE, free_busy={"boris@example.com": boris_busy})
    cals = Calendars(config(), store, {"work": work})
    store.contacts.set("Boris Petrov", "boris@example.com")
    item = Item(kind=Kind.FIND_TIME, attendees=["Boris"], duration_minutes=30, start=MONDAY.date(),
                end=MONDAY.date() + timedelta(days=5), source_text="find 30 minutes with Boris in the morning")
    slots = cals.find_time(item, NOW)
    assert slots and all(s.end - s.start == timedelta(minutes=30) for s in slots)
    assert slots[0].start == (MONDAY + timedelta(days=1)).replace(hour=9)   # Monday morning Boris is busy
    assert all(s.start.hour < 12 for s in slots)
    assert cals.attendee_emails(["Boris", "x@y.org", "Nobody"]) == (["boris@example.com", "x@y.org"], ["Nobody"])


def test_find_time_defaults_to_next_week(setup):
    cals, _, _ = setup
    slots = cals.find_time(Item(kind=Kind.FIND_TIME), NOW)
    assert len(slots) == 5 and slots[0].start == MONDAY.replace(hour=9)


def test_find_matching_by_title_and_time(setup, store):
    cals, _, _ = setup
    store.events.upsert(event(title="Lunch with Anna", start=MONDAY.replace(hour=12)), ZONE)
    by_title = cals.find_matching(Item(kind=Kind.CANCEL, title="board"), NOW)
    assert [b.title for b in by_title] == ["Board meeting"]
    by_time = cals.find_matching(Item(kind=Kind.CANCEL, start=MONDAY.replace(hour=12)), NOW)
    assert [b.title for b in by_time] == ["Lunch with Anna"]
    assert cals.find_matching(Item(kind=Kind.CANCEL, title="spring fest"), NOW) == []  # read-only calendar


def test_write_routes_to_connector_and_refreshes_cache(setup):
    cals, work, _ = setup
    item = event(title="Investor call", start=MONDAY.replace(hour=16))
    written = cals.write("work", "create", item)
    assert written.uid == item.id and [c for c in work.calls if c[0] == "create"] == [("create", item.id)]
    assert [b.title for b in work.list_events(MONDAY.replace(hour=16), MONDAY.replace(hour=17))] == ["Investor call"]
    assert [b.title for b in cals.busy(MONDAY.replace(hour=16), MONDAY.replace(hour=17))] == ["Investor call"]
    cals.write("work", "delete", item)
    assert cals.busy(MONDAY.replace(hour=16), MONDAY.replace(hour=17)) == []
    with pytest.raises(ConnectorError, match="no calendar named 'nope'"):
        cals.write("nope", "create", item)


def test_write_local_uses_the_events_table(setup, store):
    cals, _, _ = setup
    item = event(title="Local one")
    cals.write("local", "create", item)
    cals.write("local", "create", item)
    assert [r["uid"] for r in store.events.all()] == [item.id]


def test_sync_learns_contacts_and_keeps_cache_on_failure(setup, store):
    cals, work, _ = setup
    later = NOW + timedelta(hours=10)
    assert store.contacts.lookup("Boris")[0]["email"] == "boris@example.com"   # learned by the first sync
    store.contacts.set("Boris P.", "boris@example.com")
    cals.sync(now=later)
    assert store.contacts.get("boris@example.com")["name"] == "Boris P."          # the owner's name stays
    work.fail_next(errors.Unavailable("cannot reach x; will retry"), only="changes", times=None)
    cals.sync(now=later + timedelta(days=2))
    assert cals.sync_status()["work"]["error"] == "cannot reach x; will retry"
    assert [b.title for b in cals.busy(MONDAY, MONDAY + timedelta(days=1))] == ["Board meeting"]


def test_sync_against_radicale_delta_and_daily_full(radicale, store):
    name = radicale.make_calendar("alice")
    section = CalendarSection(name="rad", type="caldav", url=radicale.url + "/", username="alice",
                              password=USERS["alice"], calendar=name)
    cfg = config(calendars=[section], routing=RoutingSection(event="rad"))
    cals = Calendars(cfg, store)
    item = event(title="Weekly", start=MONDAY, recurrence="FREQ=WEEKLY;COUNT=3",
                 attendees=["carol@example.com"])
    cals.write("rad", "create", item)
    store.cache.clear("rad")
    now = datetime(2030, 3, 20, tzinfo=timezone.utc)
    cals.sync(now=now)
    assert store.cache.count("rad") == 3
    first_token = store.cache.state("rad")["token"]
    cals.connectors["rad"].delete(item.id)             # behind our back: the next delta notices
    cals.sync(now=now + timedelta(hours=1))
    assert store.cache.count("rad") == 0
    assert store.cache.state("rad")["token"] != first_token
    assert store.cache.state("rad")["full_at"] == now.isoformat(timespec="seconds")
    other = event(title="Later", start=MONDAY + timedelta(days=1))
    cals.write("rad", "create", other)
    cals.sync(now=now + timedelta(days=2))              # a day later: a full poll moves the window on
    assert store.cache.count("rad") == 1
    assert store.cache.state("rad")["full_at"].startswith("2030-03-22")
