"""Fixtures for the language-model tests: a fresh loopback fake OpenAI server per test, a fixed clock."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from assistant.llm import LlmReader
from assistant.understanding import Context, OfflineReader, Understanding
from tests.fakes.openai_server import FakeOpenAI

ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=ZONE)  # a Tuesday, as in the dev set
CONTEXT = Context(now=NOW, zone=ZONE)


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def make_reader(fake: FakeOpenAI, **options) -> LlmReader:  # type: ignore[no-untyped-def]
    options = {"base_url": fake.base_url, "model": "test-model", "api_key": fake.api_key, "timeout": 2.0,
               "mode": "fallback", **options}
    return LlmReader(**options)


def make_pipeline(fake: FakeOpenAI, **options) -> tuple[Understanding, LlmReader]:  # type: ignore[no-untyped-def]
    reader = make_reader(fake, **options)
    return Understanding([OfflineReader(), reader]), reader


def item(kind: str = "event", title: str = "", **fields) -> dict:  # type: ignore[no-untyped-def]
    """One extracted item as the model sends it (every field present, as strict mode makes it)."""
    value = {"kind": kind, "title": title, "when": None, "repeat": None, "english": None,
             "duration_minutes": None, "attendees": [], "location": None, "notes": None, "start": None}
    value.update(fields)
    return value
