"""The guard end to end: someone else tapping the owner's buttons (the preview forwarded to them, keyboard
and all) gets an answer on the button and nothing else — no message in any chat, nothing stored."""
from __future__ import annotations

from assistant.channels.telegram.guard import REFUSAL, REFUSED_KEY
from assistant.store import Store
from telegram_harness import OWNER, STRANGER, FakeBotApi

CHAT = OWNER["id"]


def snapshot(config) -> dict:
    """What the bot has stored, minus the update offset that every processed update moves."""
    store = Store(config.db_path)
    try:
        return {"settings": [r for r in store.query("SELECT * FROM settings") if "offset" not in str(r)],
                "items": store.query("SELECT * FROM items"),
                "events": store.query("SELECT * FROM events"),
                "conversations": store.query("SELECT * FROM conversations"),
                "outbox": store.query("SELECT * FROM outbox"), "callbacks": store.query("SELECT * FROM callbacks")}
    finally:
        store.close()


def answered(api: FakeBotApi, query_id: str, after: int):
    return api.wait_for("answerCallbackQuery", lambda c: c.params.get("callback_query_id") == query_id,
                        after=after)


def test_a_stranger_pressing_the_owners_button_is_answered_and_nothing_is_sent(bot, api, config):
    mark = api.mark()
    api.send_text(OWNER, "Lunch with Anna tomorrow at 1pm")
    preview = api.wait_for("sendMessage", after=mark)
    assert preview.params["chat_id"] == CHAT and "✅ Create" in preview.labels
    api.send_text(OWNER, "/help")                                 # the preview's update is done with
    api.wait_for("sendMessage", lambda c: c is not preview, after=mark)
    before = snapshot(config)

    mark = api.mark()
    for n, label in enumerate(["Create", "Cancel", "Create"]):    # the same stranger, tapping again and again
        api.press(preview, label, user=STRANGER, query_id=f"stranger-{n}")
        answer = answered(api, f"stranger-{n}", mark)
        assert answer.result is True                              # the fake accepts one answer per query
        assert answer.params.get("text") == REFUSAL
        assert answer.params.get("show_alert") in (None, False, "false", "False")
    api.send_text(OWNER, "/help")                                 # the owner's update comes after them all
    sentinel = api.wait_for("sendMessage", after=mark)
    assert sentinel.params["chat_id"] == CHAT and "private" not in sentinel.text
    others = [c.method for c in api.calls[mark:] if c.method != "getUpdates" and c is not sentinel]
    assert others == ["answerCallbackQuery"] * 3                  # no refusal in the owner's (or any) chat
    after = snapshot(config)
    assert after == before
    assert str(STRANGER["id"]) not in str([r for r in after["settings"] if REFUSED_KEY in str(r)])

    mark = api.mark()                                             # the owner's own button still works
    api.press(preview, "Create", query_id="owner-1")
    done = api.wait_for("editMessageText", after=mark)
    assert "✅ Created: Lunch with Anna" in done.text
    assert answered(api, "owner-1", mark).result is True
