"""The Telegram bot end to end: the real PTB Application, started like `assistant run`, against a fake Bot API."""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistant.store import Store
from telegram_harness import AUDIO, MODEL, OWNER, STRANGER, ZONE, BotThread, FakeBotApi, make_config, user

CHAT = OWNER["id"]


def store_of(config) -> Store:
    return Store(config.db_path)


def ask(api: FakeBotApi, text: str, method: str = "sendMessage", **extra) -> object:
    mark = api.mark()
    api.send_text(OWNER, text, **extra)
    return api.wait_for(method, after=mark)


def tap(api: FakeBotApi, call, label: str, method: str = "editMessageText"):
    mark = api.mark()
    api.press(call, label)
    return api.wait_for(method, after=mark)


def tomorrow_at(hour: int) -> datetime:
    zone = ZoneInfo(ZONE)
    day = datetime.now(zone).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone)


def events(config) -> list[dict]:
    store = store_of(config)
    try:
        return store.events.all()
    finally:
        store.close()


def test_text_preview_create_stores_the_event_once(bot, api, config):
    preview = ask(api, "Lunch with Anna tomorrow at 1pm")
    assert preview.params["parse_mode"] == "HTML"
    assert preview.text.startswith("<b>📅 Lunch with Anna</b>")
    assert "13:00–14:00" in preview.text and "Built-in calendar" in preview.text
    assert preview.labels == ["✅ Create", "✏️ Edit", "Calendar ▸", "✖️ Cancel"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in preview.buttons)

    done = tap(api, preview, "Create")
    assert "✅ Created: Lunch with Anna" in done.text
    assert "Lunch with Anna" in done.text.split("\n")[0]          # the card stays above the confirmation
    assert done.labels == ["↩️ Undo"]
    stored = events(config)
    assert [e["title"] for e in stored] == ["Lunch with Anna"]
    assert datetime.fromisoformat(stored[0]["start"]) == tomorrow_at(13)

    mark = api.mark()                                             # a double tap on the old keyboard
    api.press(preview, "Create")
    answer = api.wait_for("answerCallbackQuery", after=mark)
    assert "Already" in answer.params.get("text", "")
    time.sleep(0.2)
    assert not api.calls_of("editMessageText")[1:]
    assert len(events(config)) == 1

    agenda = ask(api, "/tomorrow")
    assert "Lunch with Anna" in agenda.text and "13:00–14:00" in agenda.text
    commands = [c["command"] for c in api.calls_of("setMyCommands")[0].params["commands"]]
    assert {"today", "tomorrow", "week", "agenda", "pending", "settings", "timezone", "undo", "cancel",
            "help"} <= set(commands)


def test_undo_removes_the_created_event(bot, api, config):
    preview = ask(api, "Dentist tomorrow at 9am")
    done = tap(api, preview, "Create")
    assert len(events(config)) == 1
    undone = tap(api, done, "Undo")
    assert "Undone: Dentist" in undone.text
    assert events(config) == []


def test_edit_button_and_edits_by_reply_refresh_the_preview(bot, api, config):
    preview = ask(api, "Gym on Friday at 7am")
    assert "07:00–08:00" in preview.text
    prompt = tap(api, preview, "Edit", method="sendMessage")
    assert "What should change?" in prompt.text

    mark = api.mark()
    api.send_text(OWNER, "make it 6pm")
    edited = api.wait_for("sendMessage", after=mark)
    assert "18:00–19:00" in edited.text and "✅ Create" in edited.labels
    stripped = api.wait_for("editMessageReplyMarkup", after=mark)   # the old preview loses its buttons
    assert stripped.params["message_id"] == preview.result["message_id"]

    edited = ask(api, "add Boris")
    assert "👥 Boris" in edited.text
    edited = ask(api, "45 minutes")
    assert "18:00–18:45" in edited.text
    edited = ask(api, "at the office")
    assert "📍 the office" in edited.text

    done = ask(api, "yes")
    assert "✅ Created: Gym" in done.text
    (event,) = events(config)
    start = datetime.fromisoformat(event["start"]).astimezone(ZoneInfo(ZONE))
    assert (start.weekday(), start.hour, start.minute) == (4, 18, 0)
    assert json.loads(event["attendees"]) == ["Boris"] and event["location"] == "the office"


def test_calendar_button_lists_calendars_and_choosing_refreshes(tmp_path, api):
    config = make_config(tmp_path, api, extra='[[calendars]]\nname = "work"\ntype = "caldav"\n'
                                              'url = "http://127.0.0.1:9/dav/"\nusername = "me"\npassword = "x"\n')
    with BotThread(config, api):
        preview = ask(api, "Planning tomorrow at 10am")
        chooser = tap(api, preview, "Calendar")
        assert chooser.labels == ["✓ Built-in calendar", "Calendar: work", "‹ Back"]
        assert chooser.text == preview.text                        # only the keyboard changed
        chosen = tap(api, chooser, "Calendar: work")
        assert "🗂 Calendar: work" in chosen.text and "✅ Create" in chosen.labels
        back = tap(api, tap(api, chosen, "Calendar"), "Back")
        assert "🗂 Calendar: work" in back.text and "✅ Create" in back.labels


def test_conflict_offers_alternatives_and_picking_one_moves_it(bot, api, config):
    busy = ask(api, "Dentist on Wednesday at 2pm")
    tap(api, busy, "Create")
    preview = ask(api, "Meeting with Boris on Wednesday at 2pm")
    assert "overlaps Dentist 14:00–15:00" in preview.text
    assert "Alternatives" in preview.labels
    slots = tap(api, preview, "Alternatives")
    choices = [label for label in slots.labels if label != "‹ Back"]
    assert 1 <= len(choices) <= 3
    moved = tap(api, slots, choices[0])
    assert "overlaps" not in moved.text
    assert choices[0].split(" ", 1)[1] in moved.text               # "Wed 15:00–16:00" → "15:00–16:00"


def test_forwarded_message_makes_the_sender_an_attendee(bot, api, config):
    anna = user(5150, "Anna", last_name="Schmidt")
    origin = {"type": "user", "date": int(time.time()), "sender_user": anna}
    preview = ask(api, "Can we meet tomorrow at 3pm to go over the contract?", forward_origin=origin)
    assert "👥 Anna Schmidt" in preview.text and "15:00–16:00" in preview.text
    tap(api, preview, "Create")
    store = store_of(config)
    try:
        item = store.items.get(store.events.all()[0]["item_id"])
    finally:
        store.close()
    assert item.attendees == ["Anna Schmidt"] and "Forwarded from Anna Schmidt" in item.context


def test_pasted_email_uses_its_sender(bot, api, config):
    email = ("From: Boris Petrov <boris@example.com>\nSubject: Budget\nDate: Mon, 23 Nov 2026 09:12\n\n"
             "Hi,\n\ncould we meet on Friday at 10am to go through the budget?\n\nBest regards,\nBoris Petrov\n")
    preview = ask(api, email)
    assert "👥 Boris Petrov" in preview.text and "10:00" in preview.text


def test_html_special_characters_are_escaped(bot, api, config):
    preview = ask(api, "Lunch with <Anna> & Co tomorrow at 1pm")
    assert "&lt;Anna&gt; &amp; Co" in preview.text
    tap(api, preview, "Create")
    assert events(config)[0]["title"] == "Lunch with <Anna> & Co"


def test_long_replies_are_split(bot, api, config):
    store = store_of(config)
    try:
        from assistant.core.item import Item, Kind

        start = tomorrow_at(8)
        for i in range(140):
            store.events.upsert(Item(kind=Kind.EVENT, title=f"Standup number {i} with a rather long title",
                                     start=start + timedelta(minutes=i), end=start + timedelta(minutes=i + 1)),
                                ZoneInfo(ZONE))
    finally:
        store.close()
    mark = api.mark()
    api.send_text(OWNER, "/tomorrow")
    api.wait_for("sendMessage", after=mark)
    time.sleep(0.3)
    parts = [c for c in api.calls[mark:] if c.method == "sendMessage"]
    assert len(parts) == 3 and all(len(p.text) <= 4096 for p in parts)
    lines = [line for p in parts for line in p.text.split("\n") if "Standup" in line]
    assert len(lines) == 140 and "Standup number 139" in parts[-1].text


def test_voice_note_becomes_a_preview(bot, api, config):
    if not (MODEL / "model.bin").exists():
        pytest.skip(f"the speech model is not at {MODEL} (run scripts/fetch-whisper-model)")
    mark = api.mark()
    api.send_voice(OWNER, AUDIO / "lunch_anna.oga")
    preview = api.wait_for("sendMessage", after=mark, timeout=60)
    actions = [c for c in api.calls[mark:] if c.method == "sendChatAction"]
    assert actions and actions[0].params["action"] == "typing"
    assert "Lunch" in preview.text and "Anna" in preview.text and "13:00" in preview.text
    assert "🎙" in preview.text and "✅ Create" in preview.labels
    store = store_of(config)
    try:
        rows = store.query("SELECT status, path FROM voice_files")
    finally:
        store.close()
    assert [r["status"] for r in rows] == ["done"]


def test_too_big_voice_is_refused_before_downloading(bot, api, config):
    mark = api.mark()
    api.send_voice(OWNER, AUDIO / "silence.oga", kind="audio", mime_type="audio/mpeg", file_size=25 * 1024 * 1024)
    reply = api.wait_for("sendMessage", after=mark)
    assert "20 MB" in reply.text
    assert not [c for c in api.calls[mark:] if c.method == "getFile"]


def test_a_file_that_is_not_audio_is_refused_and_not_kept(bot, api, config):
    mark = api.mark()
    api.send_voice(OWNER, AUDIO / "not_audio.oga")
    reply = api.wait_for("sendMessage", after=mark, timeout=30)
    assert "not audio" in reply.text and "/pending" not in reply.text
    pending = ask(api, "/pending")
    assert "Nothing pending" in pending.text                      # trying again would not help
    assert not list((config.data_dir / "voice").iterdir())        # nothing left on disk


def test_recordings_are_private_to_the_owner(bot, api, config):
    mark = api.mark()
    api.send_voice(OWNER, AUDIO / "not_audio.oga")
    api.wait_for("sendMessage", after=mark, timeout=30)
    for folder in (config.data_dir, config.data_dir / "voice"):
        assert folder.stat().st_mode & 0o777 == 0o700
    assert config.db_path.stat().st_mode & 0o777 == 0o600


def test_stranger_gets_one_refusal_and_nothing_else(bot, api, config):
    mark = api.mark()
    api.send_text(STRANGER, "Lunch with Anna tomorrow at 1pm")
    api.send_text(STRANGER, "/today")
    refusal = api.wait_for("sendMessage", after=mark)
    assert refusal.params["chat_id"] == STRANGER["id"] and "private" in refusal.text
    group = {"id": -100123, "type": "group", "title": "Some group"}
    api.send_text(STRANGER, "hello everyone", chat=group)
    api.push(callback_query={"id": "cq-x", "from": STRANGER, "chat_instance": "x", "data": "forged.0",
                             "message": {"message_id": 1, "date": 0, "chat": {"id": STRANGER["id"],
                                                                              "type": "private"}}})
    sentinel = ask(api, "/help")                                  # the owner's update comes after them all
    assert sentinel.params["chat_id"] == CHAT
    others = [c.method for c in api.calls[mark:] if c.method != "getUpdates" and c is not sentinel]
    assert others == ["sendMessage", "answerCallbackQuery"]       # the single refusal; the tap answered
    store = store_of(config)
    try:
        assert store.query("SELECT * FROM items") == []
        assert store.query("SELECT * FROM conversations") == []
    finally:
        store.close()


def test_pairing_with_a_one_time_code(tmp_path, api):
    config = make_config(tmp_path, api, owner_id=0, pairing_code="PAIR-1234")
    someone = user(31337, "Sam")
    with BotThread(config, api):
        wrong = (api.mark(), api.send_text(someone, "/start nope"))
        assert "isn't right" in api.wait_for("sendMessage", after=wrong[0]).text
        paired = ask_as(api, someone, "/start PAIR-1234")
        assert "Paired" in paired.text
        preview = ask_as(api, someone, "Lunch with Anna tomorrow at 1pm")
        assert "✅ Create" in preview.labels
        late = ask_as(api, STRANGER, "/start PAIR-1234")
        assert late.params["chat_id"] == STRANGER["id"] and "private" in late.text
    with BotThread(config, api):                                  # the pairing outlives a restart
        again = ask_as(api, someone, "yes")
        assert "✅ Created" in again.text


def ask_as(api: FakeBotApi, who: dict, text: str):
    mark = api.mark()
    api.send_text(who, text)
    return api.wait_for("sendMessage", after=mark)


def test_restart_in_the_middle_of_a_conversation(config, api):
    with BotThread(config, api):
        preview = ask(api, "Call with Boris tomorrow at 4pm")
        assert "16:00" in preview.text
    with BotThread(config, api):
        done = ask(api, "yes")
        assert "✅ Created: Call with Boris" in done.text
    assert [e["title"] for e in events(config)] == ["Call with Boris"]


def test_flood_control_is_honoured(bot, api, config):
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    mark = api.mark()
    api.send_text(OWNER, "/help")
    delivered = api.wait_for("sendMessage", predicate=lambda c: c.result.get("message_id") is not None,
                             after=mark, timeout=10)
    attempts = [c for c in api.calls[mark:] if c.method == "sendMessage"]
    assert len(attempts) == 2 and attempts[0].result["error_code"] == 429
    assert delivered.at - attempts[0].at >= 0.95


def test_message_not_modified_is_ignored(bot, api, config):
    preview = ask(api, "Planning tomorrow at 10am")
    api.fail_next("editMessageText", 400, "Bad Request: message is not modified: specified new message content "
                                          "and reply markup are exactly the same as a current content and "
                                          "reply markup of a message")
    mark = api.mark()
    api.press(preview, "Calendar")
    api.wait_for("editMessageText", after=mark)
    after = ask(api, "/help")                                     # still answering, and no apology sent
    assert not any("went wrong" in c.text for c in api.calls[mark:] if c.method == "sendMessage")
    assert "Send me a request" in after.text


def test_offset_survives_a_restart(config, api):
    """Stop after the first of three updates: the other two come after the restart, each handled once."""
    first = BotThread(config, api).start()

    def stop_after_first_answer(call) -> None:
        if call.method == "sendMessage":
            first.stop_event.set()

    api.hooks.append(stop_after_first_answer)
    ids = [api.send_text(OWNER, text) for text in ("/help", "/settings", "/timezone")]
    first.stop()
    api.hooks.clear()
    store = store_of(config)
    try:
        assert store.settings.get("telegram.offset") == ids[0]
    finally:
        store.close()
    with BotThread(config, api):
        api.wait_for("sendMessage", predicate=lambda c: "time zone" in c.text)
        api.send_text(OWNER, "/today")
        api.wait_for("sendMessage", predicate=lambda c: c.text.startswith("Today"))
    texts = [c.text for c in api.calls_of("sendMessage")]
    assert sum("Send me a request" in t for t in texts) == 1
    assert sum(t.startswith("Settings") for t in texts) == 1
    assert sum(t.startswith("Your time zone") for t in texts) == 1
    store = store_of(config)
    try:
        assert store.settings.get("telegram.offset") == ids[-1] + 1
    finally:
        store.close()


def test_assistant_run_starts_and_stops_on_sigterm(config, api):
    """The real command line (`assistant run`) in a subprocess: starts polling, exits 0 on SIGTERM."""
    import signal
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-m", "assistant", "--config", str(config.path), "run"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        api.wait_for("setMyCommands", timeout=30)
        mark = api.mark()
        api.send_text(OWNER, "Lunch with Annabelle tomorrow at 1pm")
        assert "Annabelle" in api.wait_for("sendMessage", after=mark).text
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    logged = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert any(e["event"] == "update handled" for e in logged)
    assert "TEST-token" not in err and "Annabelle" not in err      # neither the token nor words in the log


def test_reschedule_and_cancel_ask_before_acting(bot, api, config):
    tap(api, ask(api, "Dentist tomorrow at 9am"), "Create")
    question = ask(api, "Move the dentist to 11am tomorrow")
    assert question.text.startswith("<b>Move “Dentist”") and question.labels == ["✅ Yes", "✖️ No"]
    assert "09:00" in events_start(config)
    moved = tap(api, question, "Yes")
    assert "✅ Moved." in moved.text and "11:00" in events_start(config)
    question = ask(api, "cancel the dentist")
    assert "Delete “Dentist”" in question.text
    assert "✅ Deleted." in tap(api, question, "Yes").text
    assert events(config) == []


def events_start(config) -> str:
    return " ".join(datetime.fromisoformat(e["start"]).astimezone(ZoneInfo(ZONE)).strftime("%H:%M")
                    for e in events(config))


def test_replying_to_an_older_preview_edits_that_one(bot, api, config):
    first = ask(api, "Lunch with Anna tomorrow at 1pm")
    ask(api, "Gym on Friday at 7am")
    edited = ask(api, "make it 2pm", reply_to_message={**first.result})
    assert "Lunch with Anna" in edited.text and "14:00–15:00" in edited.text


def test_due_reminder_is_sent_once(config, api):
    store = store_of(config)
    try:
        from assistant.core.item import Item, Kind

        item = Item(kind=Kind.REMINDER, title="Call mom", start=datetime.now(ZoneInfo(ZONE)) - timedelta(seconds=5))
        store.items.save(item, "delivered", CHAT)
        store.reminders.add(item, ZoneInfo(ZONE))
    finally:
        store.close()
    with BotThread(config, api):
        reminder = api.wait_for("sendMessage", predicate=lambda c: "Call mom" in c.text)
        assert reminder.text == "⏰ Call mom" and reminder.params["chat_id"] == CHAT
    with BotThread(config, api):
        ask(api, "/help")
    assert sum("Call mom" in c.text for c in api.calls_of("sendMessage")) == 1


def test_a_wrong_token_exits_with_a_clear_message(tmp_path, api, capsys):
    from assistant.channels.telegram import run

    config = make_config(tmp_path, api)
    config.telegram.token = "999:wrong"
    assert run(config) == 1
    assert "refused the bot token" in capsys.readouterr().err


def test_timezone_command_changes_the_zone(bot, api, config):
    assert "Asia/Tokyo" in ask(api, "/timezone tokyo").text
    assert "Time zone: Asia/Tokyo" in ask(api, "/settings").text
    preview = ask(api, "Call with Boris tomorrow at 9am")
    tap(api, preview, "Create")
    start = datetime.fromisoformat(events(config)[0]["start"])
    assert start.utcoffset() == timedelta(hours=9)
    assert "don't know the time zone" in ask(api, "/timezone Mars/Olympus").text
