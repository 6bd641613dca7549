"""The Telegram channel's pure parts and the e-mail reader, without a server."""
from __future__ import annotations

import asyncio
import html
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st
from telegram import Message

from assistant.channels.telegram.media import file_name, origin_name
from assistant.channels.telegram.send import Sender, split_html, to_html
from assistant.core.item import Item, Kind
from assistant.core.render import Button
from assistant.core.forwarded import read_email
from assistant.core.render import Reply
from assistant.store import Store
from assistant.usecases.bookkeeping import Bookkeeping

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
    assert all(len(html.unescape(p)) <= limit for p in parts)   # Telegram counts "&amp;" as one character
    for part in parts:
        assert not re.search(r"&[a-z]*$", part), part            # "&l" | "t;" would show as text
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    assert squeeze(html.unescape("".join(parts))) == squeeze(text)


class _RecordingBot:
    """Just enough of telegram.Bot for Sender: records what would be sent."""

    def __init__(self):
        self.sent: list[dict] = []
        self.edited: list[dict] = []

    async def send_message(self, chat_id, text, **kwargs):
        self.sent.append({"chat_id": chat_id, "text": text, **kwargs})
        return Message.de_json({"message_id": len(self.sent), "date": 0, "chat": {"id": chat_id,
                                                                                  "type": "private"}}, bot=None)

    async def edit_message_text(self, text, **kwargs):
        self.edited.append({"text": text, **kwargs})


def test_a_long_preview_keeps_its_buttons_on_the_last_part_and_each_part_parses(tmp_path):
    from tests.fakes.bot_api import check_text

    store = Store(tmp_path / "a.db")
    bot = _RecordingBot()
    sender = Sender(bot=bot, book=Bookkeeping(store))
    reply = Reply("📅 " + "Lunch & <more> " * 400 + "\n🕐 tomorrow", [[Button("✅ Create", "create")]], item_id="x")
    asyncio.run(sender.send(7, reply, reply_to=3))
    assert len(bot.sent) == 2
    assert [m["reply_markup"] is not None for m in bot.sent] == [False, True]
    assert bot.sent[0]["reply_parameters"] is not None and bot.sent[1]["reply_parameters"] is None
    assert all(check_text(m["text"], "HTML") is None for m in bot.sent)
    asyncio.run(sender.edit(7, 2, reply))                        # too long for one message: sent again instead
    assert not bot.edited and len(bot.sent) == 4
    asyncio.run(sender.edit(7, 2, Reply("&" * 4000, [[Button("✅ Create", "create")]])))
    assert len(bot.edited) == 1                                  # 20,000 bytes of HTML, 4,000 characters
    store.close()


def test_callback_data_is_short_even_for_long_cyrillic_names(tmp_path):
    store = Store(tmp_path / "a.db")
    name = "Рабочий календарь с очень длинным названием для проверки"
    reply = Reply("card", [[Button("Calendar", f"target:{name}")], [Button("‹ Back", "preview")]], item_id="abc")
    markup = Sender(bot=None, book=Bookkeeping(store)).keyboard(reply, 1)
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
