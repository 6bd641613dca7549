"""The Telegram channel's pure parts, the e-mail reader and the reminder jobs, without a server."""
from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st
from telegram import Message

from assistant import jobs
from assistant.channels.telegram.media import file_name, origin_name
from assistant.channels.telegram.send import Sender, split_html, to_html
from assistant.core.item import Item, Kind
from assistant.core.render import Button
from assistant.core.forwarded import read_email
from assistant.service import Reply
from assistant.store import Store

BERLIN = ZoneInfo("Europe/Berlin")


# ── HTML and splitting ──────────────────────────────────────────────────────────────────────
def test_to_html_escapes_everything_and_bolds_a_preview_title():
    reply = Reply("📅 <Anna> & \"Co\"\n📍 a<b>c", [[Button("✅ Create", "create")]])
    assert to_html(reply) == "<b>📅 &lt;Anna&gt; &amp; \"Co\"</b>\n📍 a&lt;b&gt;c"
    assert to_html(Reply("x < y")) == "x &lt; y"


def test_split_keeps_short_text_whole_and_cuts_long_text_at_lines():
    assert split_html("short") == ["short"]
    lines = [f"line {i} " + "x" * 50 for i in range(200)]
    parts = split_html("\n".join(lines))
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    assert "\n".join(parts).split("\n") == lines


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab <>&;\nЖ")), max_size=3000),
       st.integers(min_value=20, max_value=300))
def test_split_never_cuts_an_entity_and_keeps_every_character(text, limit):
    escaped = html.escape(text, quote=False)
    parts = split_html(escaped, limit)
    assert all(len(p) <= limit for p in parts)
    for part in parts:
        assert not re.search(r"&[a-z]*$", part), part            # "&l" | "t;" would show as text
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    assert squeeze(html.unescape("".join(parts))) == squeeze(text)


def test_callback_data_is_short_even_for_long_cyrillic_names(tmp_path):
    store = Store(tmp_path / "a.db")
    name = "Рабочий календарь с очень длинным названием для проверки"
    reply = Reply("card", [[Button("Calendar", f"target:{name}")], [Button("‹ Back", "preview")]], item_id="abc")
    markup = Sender(bot=None, store=store).keyboard(reply, 1)
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert all(len(d.encode()) <= 64 for d in data)
    token = data[0].split(".")[0]
    assert store.callbacks.get(token) == {"item": "abc", "actions": [f"target:{name}", "preview"]}
    store.close()


# ── forwards and files ──────────────────────────────────────────────────────────────────────
def _message(**extra) -> Message:
    data = {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "hi", **extra}
    return Message.de_json(data, bot=None)


@pytest.mark.parametrize("origin, expected", [
    ({"type": "user", "date": 0, "sender_user": {"id": 5, "is_bot": False, "first_name": "Anna",
                                                 "last_name": "Schmidt"}}, "Anna Schmidt"),
    ({"type": "hidden_user", "date": 0, "sender_user_name": "Boris P."}, "Boris P."),
    ({"type": "chat", "date": 0, "sender_chat": {"id": -1, "type": "group", "title": "Team"}}, "Team"),
    ({"type": "channel", "date": 0, "chat": {"id": -2, "type": "channel", "title": "News"}, "message_id": 3,
      "author_signature": "Carla"}, "Carla"),
    ({"type": "user", "date": 0, "sender_user": {"id": 1, "is_bot": False, "first_name": "Me"}}, None),
])
def test_origin_name(origin, expected):
    assert origin_name(_message(forward_origin=origin), owner_id=1) == expected


def test_file_names_are_safe():
    voice = _message(voice={"file_id": "f", "file_unique_id": "AgA../../x", "duration": 1,
                            "mime_type": "audio/ogg"}).voice
    assert file_name(voice, "voice") == "AgAx.oga"
    note = _message(video_note={"file_id": "f", "file_unique_id": "vn1", "duration": 1, "length": 240}).video_note
    assert file_name(note, "video_note") == "vn1.mp4"


# ── e-mails ─────────────────────────────────────────────────────────────────────────────────
def test_plain_requests_are_not_emails():
    assert read_email("Lunch with Anna tomorrow at 1pm") is None
    assert read_email("Lunch with Anna\ntomorrow at 1pm\nat the office") is None


def test_email_with_headers():
    email = read_email('From: "Anna Schmidt" <anna@example.com>\nTo: me@example.com\nSubject: Contract\n\n'
                       "Hi,\ncould we meet on Friday at 10am?\n\nBest regards,\nAnna Schmidt\nACME GmbH\n"
                       "> quoted older mail\n")
    assert email.sender == "Anna Schmidt" and email.subject == "Contract"
    assert email.body == "could we meet on Friday at 10am?"


def test_email_signed_without_headers():
    email = read_email("Hallo Peter,\n\nhast du am Dienstag um 15 Uhr Zeit?\n\nViele Grüße\nBoris Petrov")
    assert email.sender == "Boris Petrov" and email.body == "hast du am Dienstag um 15 Uhr Zeit?"


def test_email_from_a_bare_address():
    email = read_email("From: carla.rossi@example.com\nSubject: Call\n\nCan we talk tomorrow at 9?")
    assert email.sender == "Carla Rossi"


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
    assert jobs.claim_due_reminders(store, at - timedelta(seconds=1), BERLIN) == []
    fired = jobs.claim_due_reminders(store, at + timedelta(seconds=5), BERLIN)
    assert [f.title for f in fired] == ["Pay rent"]
    assert jobs.claim_due_reminders(store, at + timedelta(minutes=5), BERLIN) == []


def test_a_repeating_reminder_rolls_forward_across_dst(store):
    at = datetime(2026, 3, 27, 9, 0, tzinfo=BERLIN)              # Friday; clocks change on Sunday 29 March
    item = _reminder(store, at, "FREQ=DAILY")
    fired = [f.occurrence for f in jobs.claim_due_reminders(store, at, BERLIN)]
    assert fired == [at]
    following = datetime.fromisoformat(store.reminders.get(item.id)["fire_at"])
    assert following == datetime(2026, 3, 28, 9, 0, tzinfo=BERLIN)
    later = datetime(2026, 3, 30, 7, 30, tzinfo=timezone.utc)    # 09:30 in Berlin (summer time): two missed
    fired = jobs.claim_due_reminders(store, later, BERLIN)
    assert len(fired) == 1                                         # missed repeats fire once, not twice
    following = datetime.fromisoformat(store.reminders.get(item.id)["fire_at"]).astimezone(BERLIN)
    assert (following.date().isoformat(), following.hour) == ("2026-03-31", 9)


def test_a_reminder_that_could_not_be_sent_is_due_again(store):
    at = datetime(2026, 3, 10, 9, 0, tzinfo=BERLIN)
    _reminder(store, at, "FREQ=WEEKLY;COUNT=2")
    (fired,) = jobs.claim_due_reminders(store, at, BERLIN)
    jobs.release_reminder(store, fired)
    (again,) = jobs.claim_due_reminders(store, at + timedelta(seconds=30), BERLIN)
    assert again.occurrence == at
    (last,) = jobs.claim_due_reminders(store, at + timedelta(days=7), BERLIN)
    assert store.reminders.get(last.reminder_id)["status"] == "sent"  # COUNT=2: no third one
    assert jobs.claim_due_reminders(store, at + timedelta(days=14), BERLIN) == []


def test_prune_callbacks(store):
    token = store.callbacks.new({"item": "x", "actions": ["create"]}, 1)
    assert jobs.prune_callbacks(store, timedelta(days=1)) == 0
    store.execute("UPDATE callbacks SET created_at = '2000-01-01T00:00:00+00:00'")
    assert jobs.prune_callbacks(store) == 1 and store.callbacks.get(token) is None


# ── the outbox worker's notices ─────────────────────────────────────────────────────────────
class FlakyCalendars:
    """The first write fails as a server outage would; later ones succeed."""

    def __init__(self):
        self.writes = 0

    def names(self):
        return ["local", "work"]

    def conflicts_and_alternatives(self, item, now):
        return [], []

    def write(self, target, action, item):
        from assistant.connectors.base import ConnectorError, Written

        self.writes += 1
        if self.writes == 1:
            raise ConnectorError("the server is down", retryable=True)
        return Written(uid=item.id, link="https://calendar.example.com/e/1")


def test_a_delayed_write_is_announced_when_it_lands(tmp_path):
    from assistant.config import Config, RoutingSection
    from assistant.service import Service

    store = Store(tmp_path / "assistant.db")
    config = Config(routing=RoutingSection(event="work"))
    service = Service(config, store, calendars=FlakyCalendars())
    preview = service.handle_text(1, "Lunch with Anna tomorrow at 1pm")
    assert "Calendar: work" in preview.text
    queued = service.confirm(1, preview.item_id)
    assert queued.text.startswith("⏳ Saved")
    assert service.retry_outbox() == []                           # not due yet
    store.execute("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00+00:00'")
    (notice,) = service.retry_outbox()
    assert notice.text == "✅ Written now: Lunch with Anna — Calendar: work\nhttps://calendar.example.com/e/1"
    assert "Nothing pending" in service.pending_report().text
    store.close()
