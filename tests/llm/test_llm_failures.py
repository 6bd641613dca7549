"""Every failure of the model ends in the offline answer, within `timeout_seconds` (+1 s)."""
from __future__ import annotations

import socket
import time
from collections.abc import Callable

import pytest

from assistant.core.item import Kind
from assistant.errors import LlmAuthError, LlmBadAnswer, LlmUnavailable, UnderstandingError
from assistant.understanding import Understanding
from tests.fakes.openai_server import FakeOpenAI, Refusal
from tests.llm.conftest import CONTEXT, item, make_pipeline, make_reader

TIMEOUT = 1.0
REQUEST = "Lunch with Anna tomorrow at 1pm"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hang(fake: FakeOpenAI) -> dict:
    fake.hang_seconds = 30
    return {}


def refused(fake: FakeOpenAI) -> dict:
    return {"base_url": f"http://127.0.0.1:{closed_port()}/v1"}


def wrong_key(fake: FakeOpenAI) -> dict:
    return {"api_key": "sk-wrong"}


def rate_limited(fake: FakeOpenAI) -> dict:
    fake.fail(429, times=5, retry_after=30)  # longer than the timeout: not waited for
    return {}


def server_error(fake: FakeOpenAI) -> dict:
    fake.fail(500, times=5)
    return {}


def unavailable(fake: FakeOpenAI) -> dict:
    fake.fail(503, times=5)
    return {}


def malformed(fake: FakeOpenAI) -> dict:
    fake.chat_answer = '{"items": [{"kind": "event", "title": "Lunch'
    return {}


def schema_violation(fake: FakeOpenAI) -> dict:
    fake.chat_answer = {"items": [{"kind": "party", "title": 42}]}
    return {}


def not_an_object(fake: FakeOpenAI) -> dict:
    fake.chat_answer = {"result": "lunch tomorrow"}
    return {}


def refusal(fake: FakeOpenAI) -> dict:
    fake.chat_answer = Refusal()
    return {}


def no_structured_output(fake: FakeOpenAI) -> dict:
    fake.rejects = {"json_schema", "json_object", "tools"}
    return {}


FAILURES: dict[str, tuple[Callable[[FakeOpenAI], dict], type[UnderstandingError]]] = {
    "hang": (hang, LlmUnavailable), "connection refused": (refused, LlmUnavailable),
    "401": (wrong_key, LlmAuthError), "429 too long": (rate_limited, LlmUnavailable),
    "500": (server_error, LlmUnavailable), "503": (unavailable, LlmUnavailable),
    "malformed JSON": (malformed, LlmBadAnswer), "schema violation": (schema_violation, LlmBadAnswer),
    "not the schema": (not_an_object, LlmBadAnswer), "refusal": (refusal, LlmBadAnswer),
    "no structured output": (no_structured_output, LlmBadAnswer),
}


@pytest.mark.parametrize("name", list(FAILURES))
def test_every_failure_ends_in_the_offline_answer_within_the_timeout(fake: FakeOpenAI, name: str) -> None:
    setup, error = FAILURES[name]
    options = setup(fake)
    understanding, reader = make_pipeline(fake, mode="always", timeout=TIMEOUT, **options)
    offline = Understanding().read(REQUEST, CONTEXT)
    started = time.monotonic()
    items = understanding.read(REQUEST, CONTEXT)
    elapsed = time.monotonic() - started
    assert elapsed <= TIMEOUT + 1
    assert [(i.kind, i.title, i.start, i.end) for i in items] == [(i.kind, i.title, i.start, i.end) for i in offline]
    with pytest.raises(error):
        make_reader(fake, timeout=TIMEOUT, **options).read(REQUEST, CONTEXT)


def test_a_hung_server_costs_one_timeout_not_one_per_message(fake: FakeOpenAI) -> None:
    fake.hang_seconds = 30
    understanding, reader = make_pipeline(fake, mode="always", timeout=TIMEOUT)
    understanding.read(REQUEST, CONTEXT)
    started = time.monotonic()
    for text in ("Dentist next Tuesday at 8:15", "Gym on Friday at 7am", "asdf qwerty"):
        understanding.read(text, CONTEXT)
    assert time.monotonic() - started < 0.5 and len(fake.chat_calls) == 1
    assert "did not answer within 1 s" in understanding.summary()


def test_retry_after_is_honoured_once_when_it_fits(fake: FakeOpenAI) -> None:
    fake.fail(429, times=1, retry_after=1)  # Retry-After is whole seconds
    fake.chat_answer = {"items": [item("event", "From the model", when="tomorrow at 1pm")]}
    understanding, reader = make_pipeline(fake, mode="always", timeout=3.0)
    started = time.monotonic()
    (got,) = understanding.read(REQUEST, CONTEXT)
    assert got.title == "From the model" and reader.last.requests == 2 and time.monotonic() - started >= 1
    rate_limits = [r for r in fake.requests if r.path.endswith("/chat/completions")]
    assert len(rate_limits) == 2


def test_a_second_429_is_not_waited_for(fake: FakeOpenAI) -> None:
    fake.fail(429, times=2, retry_after=1)
    understanding, reader = make_pipeline(fake, mode="always", timeout=3.0)
    (got,) = understanding.read(REQUEST, CONTEXT)
    assert got.title == "Lunch with Anna" and reader.last.requests == 2  # the offline answer


def test_a_refused_key_is_told_once_naming_the_setting(fake: FakeOpenAI) -> None:
    understanding, reader = make_pipeline(fake, mode="always", api_key="sk-wrong")
    understanding.read(REQUEST, CONTEXT)
    understanding.read("Gym on Friday at 7am", CONTEXT)
    (notice,) = understanding.take_notices()
    assert "[llm] api_key" in notice and "sk-wrong" not in notice
    assert understanding.take_notices() == []
    assert "[llm] api_key" in understanding.summary()


def test_a_failing_model_leaves_edits_to_the_offline_parser(fake: FakeOpenAI) -> None:
    fake.fail(500, times=5)
    understanding, _ = make_pipeline(fake, mode="always", timeout=TIMEOUT)
    (lunch,) = understanding.read(REQUEST, CONTEXT)
    assert understanding.edit(lunch, "make it 2pm", CONTEXT).start.hour == 14
    assert understanding.edit(lunch, "qwerty uiop", CONTEXT) is None


def test_the_model_answering_nothing_leaves_the_offline_answer(fake: FakeOpenAI) -> None:
    fake.chat_answer = {"items": [item("unknown", "")]}
    understanding, _ = make_pipeline(fake, mode="always")
    (got,) = understanding.read(REQUEST, CONTEXT)
    assert got.kind == Kind.EVENT and got.title == "Lunch with Anna"
