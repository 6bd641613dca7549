"""An owner's edited message: it re-reads the preview it made while that is open; otherwise it says so."""
from __future__ import annotations

import time

from telegram_harness import OWNER, FakeBotApi


def edit(api: FakeBotApi, original: dict, text: str) -> None:
    api.push(edited_message={**original, "text": text, "edit_date": int(time.time())})


def test_editing_the_request_re_reads_its_open_preview(bot, api):
    original = api.message(OWNER, "Lunch with Anna tomorrow at 1pm")
    mark = api.mark()
    api.push(message=original)
    first = api.wait_for("sendMessage", after=mark)
    assert "13:00–14:00" in first.text
    mark = api.mark()
    edit(api, original, "Lunch with Anna tomorrow at 2pm")
    again = api.wait_for("sendMessage", after=mark)
    assert "14:00–15:00" in again.text and again.labels[0] == "✅ Create"
    stripped = api.wait_for("editMessageReplyMarkup", after=mark)      # the old card loses its buttons
    assert int(stripped.params["message_id"]) == first.result["message_id"]
    done = api.press(again, "Create")
    assert done


def test_editing_a_request_already_created_changes_nothing_and_says_so(bot, api):
    original = api.message(OWNER, "Gym on Friday at 7am")
    mark = api.mark()
    api.push(message=original)
    preview = api.wait_for("sendMessage", after=mark)
    mark = api.mark()
    api.press(preview, "Create")
    api.wait_for("editMessageText", lambda c: "Created" in c.text, after=mark)
    mark = api.mark()
    edit(api, original, "Gym on Friday at 6pm")
    answer = api.wait_for("sendMessage", after=mark)
    assert "changes nothing" in answer.text
    assert not [c for c in api.calls[mark:] if c.method == "sendMessage" and "18:00" in c.text]
