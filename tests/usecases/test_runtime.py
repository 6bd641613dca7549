"""The runtime's guard and notices, on real use cases over an in-memory calendar."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from assistant.calendars import Calendars
from assistant.config import Config, RoutingSection
from assistant.connectors.memory import MemoryConnector
from assistant.errors import StorageFull, Unavailable
from assistant.runtime import Runtime
from assistant.store import Store
from assistant.usecases import build

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def world(tmp_path):
    store = Store(tmp_path / "assistant.db")
    work = MemoryConnector("work", BERLIN)
    config = Config(routing=RoutingSection(event="work"))
    config.assistant.timezone = "Europe/Berlin"
    usecases = build(config, store, calendars=Calendars(config, store, connectors={"work": work}))
    told: list[str] = []
    runtime = Runtime(usecases, lambda reply: told.append(reply.text))
    yield usecases, runtime, work, told
    store.close()


def test_a_write_that_lands_later_is_announced_by_the_outbox_job(world):
    usecases, runtime, work, told = world
    work.fail_next(Unavailable("the server is down"))
    preview = usecases.conversation.handle_text(1, "Lunch with Anna tomorrow at 1pm")
    usecases.proposals.confirm(1, preview.item_id)
    usecases.deps.store.execute("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00+00:00'")
    runtime.outbox_job()
    (notice,) = told
    assert notice.startswith("✅ Written now: Lunch with Anna — Calendar: work\nmemory://work/")


def test_a_storage_fault_in_a_job_is_told_once_and_the_job_survives(world):
    usecases, runtime, work, told = world

    def full() -> list:
        raise StorageFull("The disk holding data is full: free some space.")

    usecases.delivery.run = full
    runtime.outbox_job()
    runtime.outbox_job()
    assert len(told) == 1 and told[0].startswith("💾 The disk holding data is full")
    runtime.storage_ok()
    runtime.outbox_job()
    assert len(told) == 2                                         # a new outage is told again


def test_any_other_failure_in_a_job_is_logged_not_raised(world, caplog):
    usecases, runtime, work, told = world
    usecases.bookkeeping.prune_buttons = lambda: 1 / 0
    runtime.prune_job()                                            # no exception escapes into the scheduler
    assert told == [] and any(r.msg == "job failed" for r in caplog.records)


def test_reminders_wait_while_nobody_can_be_told(world):
    usecases, runtime, work, told = world
    runtime.can_notify = lambda: False
    usecases.conversation.handle_text(1, "remind me tomorrow at 9 to call the bank")
    usecases.conversation.handle_text(1, "yes")
    usecases.deps.store.execute("UPDATE reminders SET fire_at = '2000-01-01T00:00:00+00:00'")
    runtime.reminder_job()
    assert told == []
    runtime.can_notify = lambda: True
    runtime.reminder_job()
    assert len(told) == 1 and "bank" in told[0].lower()
