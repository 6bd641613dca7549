"""/notes and /reminders through the real bot against the fake Bot API: a message per note, More ▸,
replies that delete or add to a note, 🗑 on a reminder, and the questions in plain words."""
from __future__ import annotations

from assistant.store import Store
from telegram_harness import OWNER, FakeBotApi


def ask(api: FakeBotApi, text: str, count: int = 1, **extra) -> list:
    """Send `text`; the first `count` messages the bot sends back."""
    mark = api.mark()
    api.send_text(OWNER, text, **extra)
    sent = [api.wait_for("sendMessage", after=mark)]
    while len(sent) < count:
        after = api.calls.index(sent[-1]) + 1
        sent.append(api.wait_for("sendMessage", after=after))
    return sent


def save(api: FakeBotApi, text: str):
    [preview] = ask(api, text)
    mark = api.mark()
    api.press(preview, "Create")
    done = api.wait_for("editMessageText", after=mark)
    assert "✅" in done.text
    return preview


def stored(config, sql: str) -> list[dict]:
    store = Store(config.db_path)
    try:
        return store.query(sql)
    finally:
        store.close()


def test_notes_are_listed_one_message_each_and_replies_edit_them(bot, api, config):
    card = save(api, "note: the office wifi password is hunter2")
    save(api, "note: buy milk")
    [from_card] = ask(api, "add: router in room 2", reply_to_message={**card.result})   # the confirmed card
    assert "router in room 2" in from_card.text
    newest, older = ask(api, "/notes", count=2)
    assert newest.text.startswith("📝 Notes (1–2 of 2)") and "Buy milk" in newest.text
    assert "hunter2" in older.text and "Reply to a note" in older.text
    assert not newest.buttons and not older.buttons

    [added] = ask(api, "add: guest network is lobby", reply_to_message={**older.result})
    assert added.text.startswith("✏️ Added.") and "guest network is lobby" in added.text
    [row] = stored(config, "SELECT body FROM notes WHERE body LIKE '%hunter2%'")
    assert row["body"].endswith("guest network is lobby")

    [deleted] = ask(api, "delete", reply_to_message={**newest.result})
    assert deleted.text == "🗑 Deleted: Buy milk"
    assert [r["title"] for r in stored(config, "SELECT title FROM notes")] == ["The office wifi password is hunter2"]

    [found] = ask(api, "show my notes about wifi")
    assert found.text.startswith("📝 Notes about “wifi” (1–1 of 1)") and "guest network is lobby" in found.text
    [none] = ask(api, "/notes printer")
    assert none.text == "No notes about “printer”."
    commands = [c["command"] for c in api.calls_of("setMyCommands")[0].params["commands"]]
    assert {"notes", "reminders"} <= set(commands)


def test_more_shows_the_next_page(bot, api):
    for i in range(6):
        save(api, f"note: idea {i} for the shop")
    page = ask(api, "/notes", count=5)
    assert page[0].text.startswith("📝 Notes (1–5 of 6)")
    assert page[-1].labels == ["More ▸"]
    mark = api.mark()
    api.press(page[-1], "More")
    following = api.wait_for("sendMessage", after=mark)
    assert following.text.startswith("📝 Notes (6–6 of 6)") and "Idea 0" in following.text
    stripped = api.wait_for("editMessageReplyMarkup", after=mark)
    assert stripped.params["message_id"] == page[-1].result["message_id"]


def test_reminders_are_listed_and_a_tap_cancels_one(bot, api, config):
    save(api, "remind me tomorrow at 9 to call the bank")
    save(api, "remind me every monday at 9 to water the plants")
    [listed] = ask(api, "/reminders")
    assert listed.text.startswith("⏰ Upcoming reminders")
    assert "Call the bank" in listed.text and "🔁 every Monday" in listed.text
    assert {label.split(". ", 1)[1] for label in listed.labels} == {"Call the bank", "Water the plants"}
    mark = api.mark()
    api.press(listed, "Call the bank")
    edited = api.wait_for("editMessageText", after=mark)
    assert edited.text.startswith("🗑 Cancelled: Call the bank")
    assert [b for b in edited.labels if "Call the bank" in b] == []
    assert [r["title"] for r in stored(config, "SELECT title FROM reminders")] == ["Water the plants"]
    [plain] = ask(api, "what reminders do I have")
    assert "Water the plants" in plain.text and "Call the bank" not in plain.text
