"""Answers to the questions the assistant asks before a preview: a day offered for a weekday that
does not fit the date ("did you mean …?") and a day within a period ("Which day in April?")."""
from __future__ import annotations

from datetime import datetime, timezone

from assistant.config import Config
from assistant.store import Store
from assistant.usecases import build

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=timezone.utc)          # Tuesday 09:00 in Berlin


def world(tmp_path):
    store = Store(tmp_path / "data" / "assistant.db")
    config = Config()
    config.assistant.timezone = "Europe/Berlin"
    config.assistant.data_dir = str(tmp_path / "data")
    return build(config, store, clock=lambda: NOW), store


def events(store):
    return [(r["title"], r["start"]) for r in store.query("SELECT title, start FROM events ORDER BY start")]


def test_yes_takes_the_day_offered_and_a_second_yes_creates_it(tmp_path):
    usecases, store = world(tmp_path)
    talk = usecases.conversation.handle_text
    asked = talk(1, "Meeting on Wednesday the 17th at 3")
    assert "did you mean Wednesday, June 17" in asked.text
    preview = talk(1, "yes")
    assert "Wed 17 Jun 2026, 15:00" in preview.text
    talk(1, "yes")
    assert [title for title, _ in events(store)] == ["Meeting"]


def test_no_to_the_day_offered_asks_again_and_keeps_the_time(tmp_path):
    usecases, store = world(tmp_path)
    talk = usecases.conversation.handle_text
    talk(1, "Lunch on Wednesday the 17th at 1")
    again = talk(1, "no")
    assert again.text.startswith("Which day then?")
    assert events(store) == []
    preview = talk(1, "Friday")
    assert "13:00" in preview.text and "Fri" in preview.text


def test_a_period_asks_the_day_and_no_drops_it(tmp_path):
    usecases, store = world(tmp_path)
    talk = usecases.conversation.handle_text
    assert talk(1, "Trip to Rome in April").text == "Which day in April?"
    assert "Dropped" in talk(1, "no").text
    assert talk(1, "Trip to Rome in April").text == "Which day in April?"
    preview = talk(1, "the 14th")
    assert "Tue 14 Apr 2026 (all day)" in preview.text
