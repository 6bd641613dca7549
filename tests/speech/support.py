"""Helpers shared by the speech tests."""
from __future__ import annotations

from pathlib import Path

from assistant.config import Config


def make_config(model: Path | str, **speech: object) -> Config:
    config = Config()
    config.speech.model = str(model)
    config.speech.language = ""
    config.speech.api_key = ""
    for key, value in speech.items():
        setattr(config.speech, key, value)
    return config


ROOT = Path(__file__).resolve().parents[2]
