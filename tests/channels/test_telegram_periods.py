"""A request said only by a period ("in April") asks which day; the answer lands inside that period."""
from __future__ import annotations

from telegram_harness import OWNER


def test_a_trip_in_a_month_asks_the_day_and_the_answer_lands_in_that_month(bot, api):
    mark = api.mark()
    api.push(message=api.message(OWNER, "Trip to Rome in April"))
    ask = api.wait_for("sendMessage", after=mark)
    assert "Which day in April?" in ask.text
    mark = api.mark()
    api.push(message=api.message(OWNER, "the 14th"))
    preview = api.wait_for("sendMessage", after=mark)
    assert "14 Apr" in preview.text and "all day" in preview.text
