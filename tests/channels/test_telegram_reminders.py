"""A reminder in Telegram: it fires from the runtime with snooze buttons; a tap snoozes it, Done ends it."""
from __future__ import annotations

from assistant.store import Store
from telegram_harness import OWNER, BotThread, make_config


def test_a_fired_reminder_can_be_snoozed_and_done(tmp_path, api):
    config = make_config(tmp_path, api)
    with BotThread(config, api):
        mark = api.mark()
        api.send_text(OWNER, "remind me tomorrow at 9 to call the bank")
        preview = api.wait_for("sendMessage", after=mark)
        api.press(preview, "Create")
        api.wait_for("editMessageText", lambda c: "Reminder set" in c.text, after=mark)
        store = Store(config.db_path)
        try:
            store.execute("UPDATE reminders SET fire_at = '2000-01-01T00:00:00+00:00'")
            fired = api.wait_for("sendMessage", lambda c: c.text.startswith("⏰ Call the bank"), after=mark,
                                 timeout=30)
            assert "late" in fired.text
            assert fired.labels == ["⏰ 10 min", "1 h", "Tomorrow", "✅ Done"]
            mark = api.mark()
            api.press(fired, "10 min")
            snoozed = api.wait_for("editMessageText", after=mark)
            assert snoozed.text.startswith("⏰ Call the bank") and "💤 Snoozed until" in snoozed.text
            copies = [r for r in store.reminders.pending() if r["id"].endswith("~snooze")]
            assert len(copies) == 1
            store.execute("UPDATE reminders SET fire_at = '2000-01-01T00:00:00+00:00' WHERE id LIKE '%~snooze'")
            again = api.wait_for("sendMessage", lambda c: c.text.startswith("⏰ Call the bank"), after=mark,
                                 timeout=30)
            mark = api.mark()
            api.press(again, "Done")
            assert "✅ Done." in api.wait_for("editMessageText", after=mark).text
            assert store.reminders.pending() == []
        finally:
            store.close()
