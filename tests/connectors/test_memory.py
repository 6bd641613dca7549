"""The in-memory reference connector's own controls: seeding, fault injection, the call log, token expiry,
free/busy windows, limited capabilities and thread safety (the contract itself runs in test_contract.py)."""
from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from urllib.parse import unquote, urlsplit

import pytest

from assistant import errors
from assistant.connectors.base import Busy, Capability
from assistant.connectors.memory import MemoryConnector
from assistant.core.item import Item, Kind
from connector_contract import MONDAY, WINDOW, ZONE, event


def test_seeded_occurrences_are_kept_as_given():
    first = Busy(start=MONDAY, end=MONDAY + timedelta(hours=1), title="Standup", uid="s", transparent=True,
                 attendees=["Boris <boris@example.com>"])
    second = Busy(start=MONDAY + timedelta(days=1), end=MONDAY + timedelta(days=1, hours=1), title="Standup", uid="s")
    memory = MemoryConnector("work", ZONE, events=[first, second])
    found = memory.list_events(*WINDOW)
    assert [(b.start, b.calendar, b.transparent) for b in found] == [(first.start, "work", True),
                                                                     (second.start, "work", False)]
    [obj] = memory.changes(*WINDOW, None).objects
    assert obj.uid == "s" and len(obj.occurrences) == 2
    memory.update(Item(kind=Kind.RESCHEDULE, id="s", start=MONDAY.replace(hour=15), end=MONDAY.replace(hour=16)))
    [moved] = memory.list_events(*WINDOW)
    assert (moved.title, moved.start, moved.attendees) == ("Standup", MONDAY.replace(hour=15), first.attendees)


def test_fail_next_counts_calls_and_can_target_methods():
    memory = MemoryConnector("work", ZONE)
    memory.fail_next(errors.RateLimited("slow down", retry_after=3), times=2)
    for _ in range(2):
        with pytest.raises(errors.RateLimited):
            memory.list_events(*WINDOW)
    assert memory.list_events(*WINDOW) == []
    memory.fail_next(errors.Unavailable("down"), only="changes", times=None)
    memory.create(event())
    for _ in range(3):
        with pytest.raises(errors.Unavailable):
            memory.changes(*WINDOW, None)
    memory.heal()
    assert memory.changes(*WINDOW, None).full
    item = event()
    memory.create(item)
    assert ("create", item.id) in memory.calls and memory.calls.count(("list_events", None)) == 3


def test_expired_token_and_foreign_token_give_full_listings():
    memory = MemoryConnector("work", ZONE)
    memory.create(event())
    token = memory.changes(*WINDOW, None).token
    memory.create(event(title="Another"))
    assert not memory.changes(*WINDOW, token).full
    memory.expire_tokens()
    assert memory.changes(*WINDOW, token).full
    other = MemoryConnector("work", ZONE)
    assert other.changes(*WINDOW, token).full


def test_delta_of_an_event_moved_out_of_the_window_has_no_occurrences():
    memory = MemoryConnector("work", ZONE)
    item = event()
    memory.create(item)
    token = memory.changes(*WINDOW, None).token
    memory.update(item.with_changes(start=MONDAY + timedelta(days=100), end=MONDAY + timedelta(days=100, hours=1)))
    [obj] = memory.changes(*WINDOW, token).objects
    assert obj.uid == item.id and obj.occurrences == []


def test_written_href_names_the_key_changes_reports():
    memory = MemoryConnector("work", ZONE)
    item = event(id="odd/uid@phone")
    written = memory.create(item)
    [obj] = memory.changes(*WINDOW, None).objects
    assert unquote(urlsplit(written.extra["href"]).path) == obj.key == memory.key(item.id)


def test_free_busy_keeps_the_window_and_ignores_case():
    inside = Busy(start=MONDAY, end=MONDAY + timedelta(hours=2))
    outside = Busy(start=MONDAY + timedelta(days=100), end=MONDAY + timedelta(days=100, hours=1))
    memory = MemoryConnector("work", ZONE, free_busy={"Boris@Example.com": [inside, outside]})
    assert memory.free_busy(*WINDOW, ["BORIS@example.com", "anna@example.com"]) == {"boris@example.com": [inside]}


def test_reminders_and_notes_are_kept_apart_and_one_id_lives_in_one_place():
    memory = MemoryConnector("work", ZONE)
    reminder = Item(kind=Kind.REMINDER, title="Pay rent", start=MONDAY)
    note = Item(kind=Kind.NOTE, title="Idea", body="Sell more")
    memory.create(reminder)
    memory.create(note)
    assert list(memory.reminders) == [reminder.id] and list(memory.notes) == [note.id]
    assert memory.get(note.id).body == "Sell more"
    memory.create(event(id=reminder.id))
    assert memory.reminders == {} and len(memory.list_events(*WINDOW)) == 1
    with pytest.raises(errors.Rejected):
        memory.create(Item(kind=Kind.REMINDER, title="no time"))


def test_limited_capabilities_refuse_what_they_lack():
    memory = MemoryConnector("plain", ZONE, capabilities=Capability.WRITE)
    with pytest.raises(errors.Rejected, match="all-day"):
        memory.create(Item(kind=Kind.EVENT, title="Offsite", start=date(2030, 3, 27), all_day=True))
    with pytest.raises(errors.Rejected, match="repeat"):
        memory.create(event(recurrence="FREQ=DAILY"))
    with pytest.raises(errors.Rejected, match="repeat rule cannot be read"):
        MemoryConnector("full", ZONE).create(event(recurrence="FREQ=SOMETIMES"))
    read_only = MemoryConnector("ro", ZONE, read_only=True)
    assert read_only.read_only and Capability.SYNC_TOKENS in read_only.capabilities
    with pytest.raises(errors.ReadOnlyError):
        read_only.delete("x")


def test_all_day_series_repeat_at_local_midnight():
    memory = MemoryConnector("work", ZONE)
    item = Item(kind=Kind.EVENT, title="Gym day", start=date(2030, 3, 29), end=date(2030, 3, 30), all_day=True,
                recurrence="FREQ=DAILY;COUNT=3")
    memory.create(item)
    found = memory.list_events(*WINDOW)
    midnights = [datetime(2030, 3, 29, tzinfo=ZONE), datetime(2030, 3, 30, tzinfo=ZONE),
                 datetime(2030, 3, 31, tzinfo=ZONE), datetime(2030, 4, 1, tzinfo=ZONE)]
    assert [(b.start, b.end) for b in found] == list(zip(midnights, midnights[1:]))
    assert found[2].end.timestamp() - found[2].start.timestamp() == 23 * 3600   # the DST day is shorter
    assert all(b.all_day for b in found)


def test_concurrent_writes_keep_every_event_and_one_version_each():
    memory = MemoryConnector("work", ZONE)
    token = memory.changes(*WINDOW, None).token
    items = [event(title=f"e{i}", start=MONDAY + timedelta(minutes=i)) for i in range(200)]

    def write(chunk):
        for item in chunk:
            memory.create(item)

    threads = [threading.Thread(target=write, args=(items[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    delta = memory.changes(*WINDOW, token)
    assert len(memory.list_events(*WINDOW)) == 200 and len(delta.objects) == 200
    assert len({o.etag for o in delta.objects}) == 200
