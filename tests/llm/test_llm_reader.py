"""The model as a reader: what is sent, how phrases become instants, several items, formats, edits, logs."""
from __future__ import annotations

import json
import logging
from datetime import date, datetime

import pytest

from assistant.core.item import Item, Kind
from assistant.core.parsing import parse
from assistant.llm import FORMAT_KEY, SYSTEM_PROMPT, Extraction, strict_schema
from assistant.store import Store
from assistant.understanding import SURE, Context
from tests.fakes.openai_server import FakeOpenAI, strict_schema_problem
from tests.llm.conftest import CONTEXT, NOW, ZONE, item, make_reader


def test_the_request_has_the_shape_of_the_api_reference(fake: FakeOpenAI) -> None:
    fake.chat_answer = {"items": [item("event", "Dinner", when="next Friday at 8")]}
    make_reader(fake).read("Dinner next Friday at 8", CONTEXT)
    (call,) = fake.chat_calls
    assert call.headers["authorization"] == f"Bearer {fake.api_key}"
    assert call.model == "test-model" and [m["role"] for m in call.messages] == ["system", "user"]
    assert call.format == "json_schema"
    spec = call.body["response_format"]["json_schema"]
    assert spec["strict"] is True and spec["name"] == "items" and strict_schema_problem(spec["schema"]) is None
    kinds = spec["schema"]["$defs"]["Extracted"]["properties"]["kind"]["enum"]
    assert "cancel" not in kinds and "reschedule" not in kinds
    assert call.text("system") == SYSTEM_PROMPT
    payload = call.user_json()
    assert payload["message"] == "Dinner next Friday at 8" and payload["timezone"] == "Europe/Berlin"
    assert payload["now"].startswith("2026-03-10T09:00+01:00") and payload["forwarded_from"] is None


def test_the_schema_is_strict_and_the_answer_model_is_lenient() -> None:
    assert strict_schema_problem(strict_schema(Extraction)) is None
    # what a model in JSON mode may leave out still reads
    assert Extraction.model_validate({"items": [{"kind": "note", "title": "Ideas"}]}).items[0].when is None


def test_phrases_are_resolved_by_the_offline_parser(fake: FakeOpenAI) -> None:
    fake.chat_answer = {"items": [item("event", "Dinner with Anna", when="next Friday at 8", attendees=["Anna"])]}
    (got,) = make_reader(fake).read("Dinner with Anna next Friday at 8", CONTEXT).items
    offline = parse("Dinner with Anna next Friday at 8", NOW, ZONE)
    assert (got.start, got.end) == (offline.start, offline.end) == (
        datetime(2026, 3, 20, 20, 0, tzinfo=ZONE), datetime(2026, 3, 20, 21, 0, tzinfo=ZONE))
    assert got.kind == Kind.EVENT and got.title == "Dinner with Anna" and got.attendees == ["Anna"]
    assert got.confidence >= SURE and not got.needs_clarification


def test_a_wrong_instant_from_the_model_is_dropped_for_its_phrase(fake: FakeOpenAI) -> None:
    # "next Friday" is the 20th by our rules; the model computed this week's Friday at 8 am
    fake.chat_answer = {"items": [item("event", "Board meeting", when="next Friday at 8",
                                       start="2026-03-13T08:00:00+01:00")]}
    (got,) = make_reader(fake).read("Board meeting next Friday at 8", CONTEXT).items
    assert got.start == datetime(2026, 3, 20, 8, 0, tzinfo=ZONE)


def test_the_models_instant_is_a_last_resort_and_less_trusted(fake: FakeOpenAI) -> None:
    fake.chat_answer = {"items": [item("event", "Réunion", start="2026-03-12T15:00:00+01:00")]}
    (got,) = make_reader(fake).read("Réunion jeudi à 15h", CONTEXT).items
    assert got.start == datetime(2026, 3, 12, 15, 0, tzinfo=ZONE) and got.confidence < SURE


def test_a_phrase_in_another_language_resolves_through_its_english_rendering(fake: FakeOpenAI) -> None:
    fake.chat_answer = {"items": [item("event", "Déjeuner avec Marie", when="demain à 13h",
                                       english="tomorrow at 1pm", attendees=["Marie"])]}
    (got,) = make_reader(fake).read("Déjeuner avec Marie demain à 13h", CONTEXT).items
    assert got.start == datetime(2026, 3, 11, 13, 0, tzinfo=ZONE) and got.confidence >= SURE


def test_kinds_follow_the_offline_rules(fake: FakeOpenAI) -> None:
    fake.chat_answer = {"items": [
        item("reminder", "Pay rent", when="Friday"),
        item("event", "Offsite", when="March 24 to 26"),
        item("event", "Standup", when="every weekday at 9:30", duration_minutes=15),
        item("query", "Schedule", when="next week"),
        item("find_time", "Call with Boris", when="this week", duration_minutes=30, attendees=["Boris"]),
        item("note", "Offsite ideas", notes="boat trip, karaoke"),
    ]}
    reminder, offsite, standup, query, find, note = make_reader(fake).read("…", CONTEXT).items
    assert reminder.start == datetime(2026, 3, 13, 9, 0, tzinfo=ZONE) and reminder.end is None
    assert (offsite.start, offsite.end, offsite.all_day) == (date(2026, 3, 24), date(2026, 3, 27), True)
    assert standup.recurrence == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    assert standup.end - standup.start == (datetime(2026, 1, 1, 0, 15) - datetime(2026, 1, 1))
    assert (query.kind, query.start, query.end) == (Kind.QUERY, date(2026, 3, 16), date(2026, 3, 23))
    assert find.kind == Kind.FIND_TIME and find.duration_minutes == 30 and find.attendees == ["Boris"]
    assert note.kind == Kind.NOTE and note.body == "boat trip, karaoke" and note.start is None


def test_several_items_come_in_text_order(fake: FakeOpenAI) -> None:
    fake.chat_answer = {"items": [item("event", "Lunch with Anna", when="tomorrow at 1pm", attendees=["Anna"]),
                                  item("reminder", "Call Boris", when="at 5"),
                                  item("unknown", "")]}
    reading = make_reader(fake).read("Lunch with Anna tomorrow at 1pm, and remind me to call Boris at 5", CONTEXT)
    assert [(i.kind, i.title) for i in reading.items] == [(Kind.EVENT, "Lunch with Anna"), (Kind.REMINDER, "Call Boris")]
    assert reading.items[1].start == datetime(2026, 3, 10, 17, 0, tzinfo=ZONE)


def test_no_date_is_a_question_not_a_guess(fake: FakeOpenAI) -> None:
    fake.chat_answer = {"items": [item("event", "Coffee with Sam", attendees=["Sam"]),
                                  item("event", "Party", when="March 32nd")]}
    coffee, party = make_reader(fake).read("coffee with Sam sometime; party March 32nd", CONTEXT).items
    assert coffee.needs_clarification and coffee.start is None and coffee.confidence < SURE
    assert party.needs_clarification and party.start is None and party.question


def test_the_working_format_is_detected_once_and_remembered_in_the_database(fake: FakeOpenAI, tmp_path) -> None:
    store = Store(tmp_path / "assistant.db")
    fake.rejects = {"json_schema"}
    fake.chat_answer = {"items": [item("event", "Gym", when="Friday at 7am")]}
    reader = make_reader(fake, memory=store.settings)
    assert reader.read("Gym on Friday at 7am", CONTEXT).first.title == "Gym"
    assert [c.format for c in fake.chat_calls] == ["json_schema", "json_object"]
    assert store.settings.get(FORMAT_KEY + reader.server) == "json_object"
    json_mode = fake.chat_calls[-1]
    assert "json" in json_mode.text("system").lower() and '"items"' in json_mode.text("system")

    fake.reset()
    again = make_reader(fake, memory=store.settings)  # a restart: the database remembers
    again.read("Gym on Friday at 7am", CONTEXT)
    assert [c.format for c in fake.chat_calls] == ["json_object"]

    fake.reset()
    fake.rejects = {"json_schema", "json_object"}
    tools = make_reader(fake, memory=store.settings)
    assert tools.read("Gym on Friday at 7am", CONTEXT).first.start == datetime(2026, 3, 13, 7, 0, tzinfo=ZONE)
    call = fake.chat_calls[-1]
    assert call.format == "tools" and call.body["tool_choice"] == {"type": "function",
                                                                   "function": {"name": "propose_items"}}
    assert call.body["tools"][0]["function"]["parameters"] == strict_schema(Extraction)
    assert store.settings.get(FORMAT_KEY + tools.server) == "tools" and tools.last.path == "tools"
    store.close()


def test_a_server_that_rejects_a_format_with_500_naming_it_is_detected_too(fake: FakeOpenAI) -> None:
    """llama-cpp-python's server answers an unknown response_format type with a 500 naming the field."""
    fake.rejects, fake.reject_status = {"json_schema"}, 500
    fake.chat_answer = {"items": [item("event", "Gym", when="Friday at 7am")]}
    reader = make_reader(fake)
    assert reader.read("Gym on Friday at 7am", CONTEXT).first.title == "Gym"
    assert [c.format for c in fake.chat_calls] == ["json_schema", "json_object"]


def test_the_output_cap_follows_what_the_model_takes(fake: FakeOpenAI) -> None:
    fake.chat_answer = {"items": [item("event", "Gym", when="Friday at 7am")]}
    reader = make_reader(fake)
    reader.read("Gym on Friday at 7am", CONTEXT)
    assert fake.chat_calls[-1].body["max_tokens"] > 0
    fake.reset()
    fake.unsupported = {"max_tokens"}  # a reasoning model
    reasoning = make_reader(fake, model="o-mini")
    assert reasoning.read("Gym on Friday at 7am", CONTEXT).first.title == "Gym"
    assert [c.format for c in fake.chat_calls] == ["json_schema"]
    assert "max_completion_tokens" in fake.chat_calls[0].body and "max_tokens" not in fake.chat_calls[0].body


def test_a_server_that_rejects_every_format_is_a_failure_and_forgotten(fake: FakeOpenAI) -> None:
    from assistant.errors import LlmBadAnswer

    fake.rejects = {"json_schema", "json_object", "tools"}
    reader = make_reader(fake)
    with pytest.raises(LlmBadAnswer):
        reader.read("Gym on Friday at 7am", CONTEXT)
    assert [c.format for c in fake.chat_calls] == ["json_schema", "json_object", "tools"]
    assert reader.memory.get(FORMAT_KEY + reader.server) is None


def test_a_local_server_without_a_key_gets_a_dummy_one() -> None:
    with FakeOpenAI(api_key="not-needed") as local:
        local.chat_answer = {"items": [item("note", "Buy milk", notes="Buy milk")]}
        reader = make_reader(local, api_key="")
        assert reader.read("note: buy milk", CONTEXT).first.kind == Kind.NOTE


def test_answers_in_a_fence_or_as_a_bare_item_still_read(fake: FakeOpenAI) -> None:
    fake.chat_answer = "```json\n" + json.dumps(item("event", "Gym", when="Friday at 7am")) + "\n```"
    assert make_reader(fake).read("Gym Friday 7am", CONTEXT).first.start == datetime(2026, 3, 13, 7, 0, tzinfo=ZONE)


def test_logs_carry_path_latency_and_tokens_never_text(fake: FakeOpenAI, caplog: pytest.LogCaptureFixture) -> None:
    secret = "Divorce lawyer Hinterhuber"
    fake.chat_answer = {"items": [item("event", secret, when="tomorrow at 4pm", attendees=["Hinterhuber"])]}
    with caplog.at_level(logging.DEBUG):
        make_reader(fake).read(f"{secret} tomorrow at 4pm", CONTEXT)
    answered = [r for r in caplog.records if r.getMessage() == "llm answered"]
    assert answered and answered[0].path == "json_schema" and answered[0].prompt_tokens > 0
    assert answered[0].completion_tokens > 0 and answered[0].ms >= 0
    for record in caplog.records:
        assert "Hinterhuber" not in json.dumps(vars(record), default=str)


def test_an_edit_the_offline_parser_cannot_read_goes_to_the_model(fake: FakeOpenAI) -> None:
    start = datetime(2026, 3, 11, 13, 0, tzinfo=ZONE)
    open_item = Item(kind=Kind.EVENT, title="Lunch with Anna", start=start, end=start.replace(hour=14),
                     attendees=["Anna"], source_text="Lunch with Anna tomorrow at 1pm")
    fake.chat_answer = {"changed": True, "item": item("event", "Lunch with Boris", attendees=["Boris"],
                                                      location="Trattoria da Enzo")}
    edited = make_reader(fake).edit(open_item, "swap Anna for Boris and let's do the Italian place", CONTEXT)
    assert edited.id == open_item.id and edited.attendees == ["Boris"] and edited.location == "Trattoria da Enzo"
    assert (edited.start, edited.end) == (open_item.start, open_item.end)
    sent = fake.chat_calls[0].user_json()
    assert sent["item"]["title"] == "Lunch with Anna" and "id" not in sent["item"]

    fake.chat_answer = {"changed": True, "item": item("event", "Lunch with Anna", when="Friday at noon")}
    always = make_reader(fake, mode="always")  # in fallback mode a dated reply the parser is sure of is new
    moved = always.edit(open_item, "hmm, rather the end of the week around lunchtime", CONTEXT)
    assert (moved.start, moved.end - moved.start) == (datetime(2026, 3, 13, 12, 0, tzinfo=ZONE), open_item.end - open_item.start)

    fake.chat_answer = {"changed": False, "item": None}
    assert make_reader(fake).edit(open_item, "whatever happens, happens", CONTEXT) is None


def test_a_sure_new_request_is_not_sent_as_an_edit_in_fallback_mode(fake: FakeOpenAI) -> None:
    open_item = Item(kind=Kind.EVENT, title="Lunch", start=NOW, end=NOW.replace(hour=10))
    assert make_reader(fake).edit(open_item, "Dentist next Tuesday at 8:15", CONTEXT) is None
    assert fake.chat_calls == []


def test_a_forwarded_message_makes_the_sender_an_attendee(fake: FakeOpenAI) -> None:
    fake.chat_answer = {"items": [item("event", "Budget review", when="Friday at 10")]}
    forwarded = Context(now=NOW, zone=ZONE, sender="Carla Rossi", forwarded=True)
    (got,) = make_reader(fake).read("Could we go over the budget Friday at 10?", forwarded).items
    assert got.attendees == ["Carla Rossi"] and got.context.startswith("Forwarded from Carla Rossi")
    assert fake.chat_calls[0].user_json()["forwarded_from"] == "Carla Rossi"


def test_each_exchange_is_a_metric_for_status(fake: FakeOpenAI, tmp_path) -> None:
    from datetime import timedelta, timezone

    from assistant.store import metrics

    store = Store(tmp_path / "assistant.db")
    metrics.bind(store)
    try:
        fake.chat_answer = {"items": [item("event", "Gym", when="Friday at 7am")]}
        reader = make_reader(fake)
        reader.read("Gym on Friday at 7am", CONTEXT)
        fake.chat_answer = "not JSON"
        with pytest.raises(Exception):
            reader.read("Gym on Friday at 7am", CONTEXT)
        summary = metrics.of(store).summary(datetime.now(timezone.utc) - timedelta(hours=1))["llm"]
        assert summary["count"] == 2 and summary["failed"] == 1 and summary["tokens"] > 0
    finally:
        metrics.unbind(store)
        store.close()
