"""The runtime's hourly token job: every connector's `refresh_token()`; a refused sign-in is told once, with
the `assistant connect` to run, and again only after it worked in between; other failures stay quiet."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from assistant.calendars import Calendars
from assistant.config import Config, RoutingSection
from assistant.connectors.memory import MemoryConnector
from assistant.errors import AuthError, Unavailable
from assistant.runtime import TOKENS_EVERY, Runtime
from assistant.store import Store
from assistant.usecases import build

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def world(tmp_path):
    store = Store(tmp_path / "assistant.db")
    work = MemoryConnector("work", BERLIN)
    home = MemoryConnector("home", BERLIN)
    config = Config(routing=RoutingSection(event="work"))
    config.assistant.timezone = "Europe/Berlin"
    usecases = build(config, store, calendars=Calendars(config, store, connectors={"work": work, "home": home}))
    told: list[str] = []
    yield Runtime(usecases, lambda reply: told.append(reply.text)), work, home, told
    store.close()


def test_every_connector_is_refreshed_hourly(world):
    runtime, work, home, told = world
    assert TOKENS_EVERY == 3600
    runtime.token_job()
    assert ("refresh_token", None) in work.calls and ("refresh_token", None) in home.calls
    assert told == []


def test_a_refused_sign_in_is_told_once_until_it_works_again(world):
    runtime, work, home, told = world
    refused = AuthError("Google no longer accepts the sign-in of calendar 'work': run `assistant connect work`")
    work.fail_next(refused, times=None, only="refresh_token")
    runtime.token_job()
    runtime.token_job()
    assert told == ["🔑 Calendar 'work' needs a new sign-in: Google no longer accepts the sign-in of calendar "
                    "'work': run `assistant connect work`"]
    assert ("refresh_token", None) in home.calls                  # the others are still refreshed
    work.heal()
    runtime.token_job()
    work.fail_next(refused, only="refresh_token")
    runtime.token_job()
    assert len(told) == 2


def test_a_network_failure_is_not_told(world):
    runtime, work, home, told = world
    work.fail_next(Unavailable("cannot reach oauth2.googleapis.com; will retry"), only="refresh_token")
    runtime.token_job()
    assert told == []
