"""Days with the assistant: reminders you can snooze, the daily agenda, writes that cannot land, /sync."""
from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from assistant.calendars import Calendars
from assistant.config import Config, RoutingSection
from assistant.connectors.memory import MemoryConnector
from assistant.core.item import Item, Kind
from assistant.errors import Rejected
from assistant.store import Store
from assistant.usecases import build
from assistant.usecases.reminders import claim_due_reminders

BERLIN = ZoneInfo("Europe/Berlin")


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def world(tmp_path, zone: str = "Europe/Berlin", clock: Clock | None = None, agenda: str = "", **connectors):
    store = Store(tmp_path / "data" / "assistant.db")
    config = Config(routing=RoutingSection(event=next(iter(connectors), "local")))
    config.assistant.timezone = zone
    config.assistant.data_dir = str(tmp_path / "data")
    config.agenda.time = agenda
    calendars = Calendars(config, store, connectors=connectors or None) if connectors else None
    return build(config, store, calendars=calendars, clock=clock), store


# ── reminders ───────────────────────────────────────────────────────────────────────────────
def test_a_fired_reminder_offers_snooze_and_done_and_a_snooze_fires_once(tmp_path):
    usecases, store = world(tmp_path)
    usecases.conversation.handle_text(1, "remind me tomorrow at 9 to call the bank")
    usecases.conversation.handle_text(1, "yes")
    (row,) = store.reminders.pending()
    due = datetime.fromisoformat(row["fire_at"])
    (fired,) = claim_due_reminders(store, due, BERLIN)
    notice = usecases.reminders.notice(fired, due)
    assert notice.text == "⏰ Call the bank" and "late" not in notice.text
    assert [[b.label for b in r] for r in notice.buttons] == [["⏰ 10 min", "1 h", "Tomorrow"], ["✅ Done"]]
    snoozed = usecases.reminders.snooze(fired.reminder_id, "10")
    assert snoozed.text.startswith("💤 Snoozed until")
    usecases.reminders.snooze(fired.reminder_id, "60")            # a second choice moves the same copy
    (copy,) = store.reminders.pending()
    at = datetime.fromisoformat(copy["fire_at"])
    assert claim_due_reminders(store, at - timedelta(seconds=1), BERLIN) == []
    (again,) = claim_due_reminders(store, at, BERLIN)
    assert again.title == "Call the bank"
    assert claim_due_reminders(store, at + timedelta(days=2), BERLIN) == []   # exactly once more
    assert usecases.reminders.done(again.reminder_id).text == "✅ Done."
    assert store.reminders.get(fired.reminder_id)["status"] == "done"
    store.close()


def test_a_reminder_missed_while_down_is_marked_late(tmp_path):
    usecases, store = world(tmp_path)
    usecases.conversation.handle_text(1, "remind me tomorrow at 9 to water the plants")
    usecases.conversation.handle_text(1, "yes")
    due = datetime.fromisoformat(store.reminders.pending()[0]["fire_at"])
    later = due + timedelta(hours=3)
    (fired,) = claim_due_reminders(store, later, BERLIN)
    assert "late: it was due 09:00" in usecases.reminders.notice(fired, later).text
    store.close()


# ── the daily agenda ────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
def test_the_daily_agenda_comes_once_at_its_time_in_the_owners_zone(tmp_path, zone):
    tz = ZoneInfo(zone)
    clock = Clock(datetime(2026, 3, 10, 7, 0, tzinfo=tz))
    usecases, store = world(tmp_path, zone=zone, clock=clock, agenda="07:30")
    usecases.conversation.handle_text(1, "Standup today at 10")
    usecases.conversation.handle_text(1, "yes")
    usecases.conversation.handle_text(1, "Review today at 10:30")
    usecases.conversation.handle_text(1, "yes")
    usecases.conversation.handle_text(1, "remind me today at 16:00 to send the invoice")
    usecases.conversation.handle_text(1, "yes")
    assert usecases.agenda.daily(datetime(2026, 3, 10, 7, 29, tzinfo=tz)) is None
    summary = usecases.agenda.daily(datetime(2026, 3, 10, 7, 31, tzinfo=tz))
    assert summary is not None
    text = summary.text
    assert "Standup" in text and "Review" in text and "Send the invoice" in text
    assert "⚠️ Clashes: Standup × Review" in text
    assert "Free: " in text and "11:30–18:00" in text                    # after the review, to the day's end
    assert usecases.agenda.daily(datetime(2026, 3, 10, 9, 0, tzinfo=tz)) is None   # once
    store.close()


def test_an_agenda_missed_until_the_afternoon_is_skipped_not_doubled(tmp_path):
    usecases, store = world(tmp_path, agenda="07:30")
    assert usecases.agenda.daily(datetime(2026, 3, 11, 13, 0, tzinfo=BERLIN)) is None    # down all morning
    assert usecases.agenda.daily(datetime(2026, 3, 11, 13, 1, tzinfo=BERLIN)) is None
    assert usecases.agenda.daily(datetime(2026, 3, 12, 10, 0, tzinfo=BERLIN)) is not None  # late but morning
    store.close()


# ── a write that cannot land ────────────────────────────────────────────────────────────────
def test_a_refused_write_offers_retry_built_in_and_drop(tmp_path):
    work = MemoryConnector("work", BERLIN)
    work.fail_next(Rejected("the server refused the event"), times=None)
    usecases, store = world(tmp_path, work=work)
    preview = usecases.conversation.handle_text(1, "Lunch with Anna tomorrow at 1pm")
    failed = usecases.proposals.confirm(1, preview.item_id)
    assert failed.text.startswith("❌") and failed.actions == {"retry", "to_local", "drop"}
    assert "failed" in usecases.commands.pending().text
    assert usecases.proposals.retry(1, preview.item_id).text.startswith("❌")     # still refused
    moved = usecases.proposals.to_local(1, preview.item_id)
    assert moved.text.startswith("✅ Created: Lunch with Anna — Built-in calendar")
    assert [e["title"] for e in store.events.all()] == ["Lunch with Anna"]
    assert "Nothing pending" in usecases.commands.pending().text
    store.close()


# ── /sync and housekeeping ──────────────────────────────────────────────────────────────────
def test_sync_now_reports_each_calendar(tmp_path):
    work = MemoryConnector("work", BERLIN, events=[Item(kind=Kind.EVENT, title="Board", start=datetime.now(BERLIN),
                                                        end=datetime.now(BERLIN) + timedelta(hours=1))])
    usecases, store = world(tmp_path, work=work)
    reply = usecases.commands.sync()
    assert "✅ Calendar: work: up to date" in reply.text
    assert "Board" in usecases.agenda.today().text
    store.close()


def test_old_recordings_are_removed_unless_still_waiting(tmp_path):
    usecases, store = world(tmp_path)
    folder = tmp_path / "data" / "voice"
    folder.mkdir(parents=True)
    waiting, stray, fresh = folder / "waiting.oga", folder / "stray.oga", folder / "fresh.oga"
    for path in (waiting, stray, fresh):
        path.write_bytes(b"OggS")
    usecases.voice.keep("u1", waiting, 1)
    month_ago = time.time() - 30 * 86400
    for path in (waiting, stray):
        os.utime(path, (month_ago, month_ago))
    assert usecases.voice.clean(datetime.now(timezone.utc)) == 1
    assert waiting.exists() and fresh.exists() and not stray.exists()
    store.close()


# ── questions with a window ─────────────────────────────────────────────────────────────────
def test_am_i_free_answers_yes_or_no_naming_what_is_there(tmp_path):
    clock = Clock(datetime(2026, 3, 10, 9, 0, tzinfo=BERLIN))          # a Tuesday
    usecases, store = world(tmp_path, clock=clock)
    usecases.conversation.handle_text(1, "Dentist on Friday at 3pm")
    usecases.conversation.handle_text(1, "yes")
    busy = usecases.conversation.handle_text(1, "am I free on Friday afternoon?").text
    assert busy.startswith("No — ") and "Dentist" in busy and "15:00" in busy
    free = usecases.conversation.handle_text(1, "am I free on Thursday?").text
    assert free.startswith("Yes — you're free") and "Thu" in free
    assert "Dentist" in usecases.conversation.handle_text(1, "what do I have on Friday?").text
    store.close()


# ── several requests in one message ─────────────────────────────────────────────────────────
class TwoRequests:
    """A reader that finds two requests in a message (as the splitting parser or a model does)."""

    name = "two"

    def read(self, text, context):
        from assistant.understanding import Reading

        start = context.now.replace(hour=13, minute=0) + timedelta(days=1)
        return Reading([Item(kind=Kind.EVENT, title="Lunch with Anna", start=start, end=start + timedelta(hours=1),
                             attendees=["Anna"], source_text=text),
                        Item(kind=Kind.REMINDER, title="Buy a gift", start=start - timedelta(hours=2),
                             source_text=text)], 1.0, self.name)

    def edit(self, item, text, context):
        return None


def test_a_message_with_two_requests_previews_both_and_yes_goes_in_turn(tmp_path):
    from assistant.understanding import Understanding

    store = Store(tmp_path / "assistant.db")
    config = Config()
    config.assistant.timezone = "Europe/Berlin"
    usecases = build(config, store, understanding=Understanding([TwoRequests()]))
    reply = usecases.conversation.handle_text(1, "Lunch with Anna tomorrow at 1pm. Also remind me to buy a gift.")
    assert reply.text.startswith("📅 Lunch with Anna") and len(reply.more) == 1
    assert reply.more[0].text.startswith("⏰ Buy a gift") and reply.more[0].is_preview
    first = usecases.conversation.handle_text(1, "yes")
    assert first.text.startswith("✅ Created: Lunch with Anna")
    second = usecases.conversation.handle_text(1, "yes")
    assert second.text.startswith("✅ Reminder set: Buy a gift")
    assert [e["title"] for e in store.events.all()] == ["Lunch with Anna"]
    assert [r["title"] for r in store.reminders.pending()] == ["Buy a gift"]
    store.close()


def test_a_reply_to_the_agenda_is_about_its_day(tmp_path):
    clock = Clock(datetime(2026, 3, 10, 16, 30, tzinfo=BERLIN))       # the 3pm has passed already
    usecases, store = world(tmp_path, clock=clock)
    usecases.conversation.handle_text(1, "Budget review today at 3pm")
    usecases.conversation.handle_text(1, "yes")
    today = clock.now.date()
    question = usecases.conversation.handle_text(1, "move the 3pm to tomorrow", about=today)
    assert question.text.startswith("Move “Budget review”") and question.actions == {"apply", "cancel"}
    assert usecases.conversation.handle_text(1, "yes").text == "✅ Moved."
    (event,) = store.events.all()
    assert datetime.fromisoformat(event["start"]) == datetime(2026, 3, 11, 15, 0, tzinfo=BERLIN)
    store.close()
