"""The bot end to end: a fake Bot API, a config pointing at it, and the real bot running against it."""
from __future__ import annotations

import pytest

from telegram_harness import BotThread, FakeBotApi, make_config


@pytest.fixture
def api():
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture
def config(tmp_path, api):
    return make_config(tmp_path, api)


@pytest.fixture
def bot(config, api):
    with BotThread(config, api) as running:
        yield running
