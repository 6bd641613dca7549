"""The runtime's work as use cases: reminders fired exactly once, the outbox worker and its notices."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from assistant.calendars import Calendars
from assistant.config import Config, RoutingSection
from assistant.connectors.memory import MemoryConnector
from assistant.core.item import Item, Kind
from assistant.errors import AuthError, Rejected, Unavailable
from assistant.store import Store
from assistant.usecases import build
from assistant.usecases.bookkeeping import Bookkeeping
from assistant.usecases.delivery import MAX_ATTEMPTS
from assistant.usecases.reminders import claim_due_reminders, release_reminder, sent_reminder

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime.now(BERLIN)
WEEK = (NOW - timedelta(days=1), NOW + timedelta(days=8))


# ── reminders ───────────────────────────────────────────────────────────────────────────────
@pytest.fixture
def store(tmp_path):
    opened = Store(tmp_path / "assistant.db")
    yield opened
    opened.close()


def _reminder(store: Store, start: datetime, rule: str | None = None) -> Item:
    item = Item(kind=Kind.REMINDER, title="Pay rent", start=start, recurrence=rule)
    store.items.save(item, "delivered", 1)
    store.reminders.add(item, BERLIN)
    return item


def test_a_one_off_reminder_fires_exactly_once(store):
    at = datetime(2026, 3, 10, 9, 0, tzinfo=BERLIN)
    _reminder(store, at)
    assert claim_due_reminders(store, at - timedelta(seconds=1), BERLIN) == []
    fired = claim_due_reminders(store, at + timedelta(seconds=5), BERLIN)
    assert [f.title for f in fired] == ["Pay rent"]
    assert claim_due_reminders(store, at + timedelta(minutes=5), BERLIN) == []


def test_a_repeating_reminder_rolls_forward_across_dst(store):
    at = datetime(2026, 3, 27, 9, 0, tzinfo=BERLIN)              # Friday; clocks change on Sunday 29 March
    item = _reminder(store, at, "FREQ=DAILY")
    fired = [f.occurrence for f in claim_due_reminders(store, at, BERLIN)]
    assert fired == [at]
    following = datetime.fromisoformat(store.reminders.get(item.id)["fire_at"])
    assert following == datetime(2026, 3, 28, 9, 0, tzinfo=BERLIN)
    later = datetime(2026, 3, 30, 7, 30, tzinfo=timezone.utc)    # 09:30 in Berlin (summer time): two missed
    fired = claim_due_reminders(store, later, BERLIN)
    assert len(fired) == 1                                         # missed repeats fire once, not twice
    following = datetime.fromisoformat(store.reminders.get(item.id)["fire_at"]).astimezone(BERLIN)
    assert (following.date().isoformat(), following.hour) == ("2026-03-31", 9)


def test_a_reminder_that_could_not_be_sent_is_due_again(store):
    at = datetime(2026, 3, 10, 9, 0, tzinfo=BERLIN)
    _reminder(store, at, "FREQ=WEEKLY;COUNT=2")
    (fired,) = claim_due_reminders(store, at, BERLIN)
    release_reminder(store, fired)
    (again,) = claim_due_reminders(store, at + timedelta(seconds=30), BERLIN)
    assert again.occurrence == at
    (last,) = claim_due_reminders(store, at + timedelta(days=7), BERLIN)
    assert store.reminders.get(last.reminder_id)["status"] == "sent"  # COUNT=2: no third one
    assert claim_due_reminders(store, at + timedelta(days=14), BERLIN) == []


def test_old_button_tokens_are_pruned(store):
    book = Bookkeeping(store)
    token = book.new_buttons("x", ["create"], 1)
    assert book.prune_buttons(timedelta(days=1)) == 0
    store.execute("UPDATE callbacks SET created_at = '2000-01-01T00:00:00+00:00'")
    assert book.prune_buttons() == 1 and book.buttons(token) is None


# ── the outbox worker's notices ─────────────────────────────────────────────────────────────
def flaky_usecases(store, error):
    """Use cases over the real Calendars facade with one in-memory calendar "work" that fails once."""
    work = MemoryConnector("work", BERLIN)
    work.fail_next(error)
    config = Config(routing=RoutingSection(event="work"))
    config.assistant.timezone = "Europe/Berlin"
    calendars = Calendars(config, store, connectors={"work": work})
    return build(config, store, calendars=calendars), work


def test_a_delayed_write_is_announced_when_it_lands(store):
    usecases, work = flaky_usecases(store, Unavailable("the server is down"))
    preview = usecases.conversation.handle_text(1, "Lunch with Anna tomorrow at 1pm")
    assert "Calendar: work" in preview.text
    queued = usecases.proposals.confirm(1, preview.item_id)
    assert queued.text.startswith("⏳ Saved") and "I'll keep retrying" in queued.text
    assert usecases.delivery.run() == []                          # not due yet
    store.execute("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00+00:00'")
    (notice,) = usecases.delivery.run()
    assert notice.text.startswith("✅ Written now: Lunch with Anna — Calendar: work")
    assert [e.title for e in work.list_events(*WEEK)] == ["Lunch with Anna"]
    assert "Nothing pending" in usecases.commands.pending().text


def test_a_refused_login_waits_for_new_credentials_and_then_lands(store):
    usecases, work = flaky_usecases(store, AuthError("calendar 'work' refused the password"))
    preview = usecases.conversation.handle_text(1, "Lunch with Anna tomorrow at 1pm")
    queued = usecases.proposals.confirm(1, preview.item_id)
    assert queued.text.startswith("🔑 Saved") and "refused the password" in queued.text
    assert "waiting" in usecases.commands.pending().text          # kept, not failed
    for _ in range(MAX_ATTEMPTS + 2):                             # a login that stays wrong never uses up
        work.fail_next(AuthError("calendar 'work' refused the password"))   # the attempts
        store.execute("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00+00:00'")
        assert usecases.delivery.run() == []                      # told once (above), not every time
    store.execute("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00+00:00'")
    (notice,) = usecases.delivery.run()                           # the password was fixed
    assert notice.text.startswith("✅ Written now: Lunch with Anna")
    assert len(work.list_events(*WEEK)) == 1


def test_a_write_refused_for_good_fails_at_once_and_says_so(store):
    usecases, work = flaky_usecases(store, Rejected("the server refused the event"))
    preview = usecases.conversation.handle_text(1, "Lunch with Anna tomorrow at 1pm")
    failed = usecases.proposals.confirm(1, preview.item_id)
    assert failed.text.startswith("❌") and "I'll keep retrying" not in failed.text
    assert "failed" in usecases.commands.pending().text


def test_a_firing_cut_off_by_a_crash_fires_again(store):
    at = datetime(2026, 3, 10, 9, 0, tzinfo=BERLIN)
    _reminder(store, at)
    (fired,) = claim_due_reminders(store, at, BERLIN)             # claimed; then the process died
    store.execute("UPDATE reminder_sends SET holder = '999999999:gone'")
    (again,) = claim_due_reminders(store, at + timedelta(minutes=1), BERLIN)
    assert again.occurrence == at                                  # the same firing, now late
    sent_reminder(store, again)
    assert claim_due_reminders(store, at + timedelta(minutes=2), BERLIN) == []
    assert store.query("SELECT * FROM reminder_sends") == []


def test_a_firing_still_being_sent_by_a_live_process_is_not_repeated(store):
    at = datetime(2026, 3, 10, 9, 0, tzinfo=BERLIN)
    _reminder(store, at)
    claim_due_reminders(store, at, BERLIN)                          # this process is sending it
    assert claim_due_reminders(store, at + timedelta(minutes=1), BERLIN) == []
