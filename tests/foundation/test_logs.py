"""Logs: with -v (DEBUG) the assistant's own debug lines show, other libraries' bodies do not."""
from __future__ import annotations

import json
import logging

import pytest

from assistant import logs

SECRET = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Secret meeting with Anna\nEND:VEVENT\nEND:VCALENDAR"


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level
              for name in [*logs.NOISY, "caldav", "httpx", "openai", "hpack", "niquests", "some.new.library"]}
    yield
    root.handlers[:], level = saved
    root.setLevel(level)
    for name, value in levels.items():
        logging.getLogger(name).setLevel(value)


def lines(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]


def test_debug_shows_the_assistant_but_caps_every_other_logger(restore_logging, capsys, monkeypatch):
    monkeypatch.delenv(logs.DEBUG_LOGGERS_ENV, raising=False)
    logs.setup("DEBUG")
    logging.getLogger("caldav").setLevel(logging.DEBUG)         # as caldav does with PYTHON_CALDAV_DEBUGMODE
    logging.getLogger("caldav").debug(SECRET)
    logging.getLogger("caldav").info("got this: \n" + SECRET)
    logging.getLogger("caldav.davclient").debug("PROPFIND body %s", SECRET)
    logging.debug("Expected some valid XML from the server, but got this: \n" + SECRET)   # caldav via root
    logging.info("Expected some valid XML from the server, but got this: \n" + SECRET)
    logging.getLogger("some.new.library").debug("request body %s", SECRET)   # created after setup
    logging.getLogger("openai").debug("Request options: %s", SECRET)
    logging.getLogger("hpack").debug("Decoded %s", SECRET)
    logging.getLogger("assistant.connectors.caldav").debug("synced", extra={"events": 3})
    logging.getLogger("some.new.library").info("connected")      # INFO from others still shows
    logging.getLogger("caldav").warning("Ical data was modified to avoid compatibility issues\n--- " + SECRET)
    try:
        raise ValueError(SECRET)
    except ValueError:
        logging.getLogger("caldav").error("request failed", exc_info=True)
    out = lines(capsys)
    assert "Secret" not in json.dumps(out)
    events = [(line["logger"], line["event"]) for line in out]
    assert ("assistant.connectors.caldav", "synced") in events
    assert ("some.new.library", "connected") in events
    assert ("caldav", "Ical data was modified to avoid compatibility issues …") in events
    assert ("caldav", "request failed") in events and out[-1]["error"] == "ValueError"
    assert len(out) == 4


def test_loggers_asked_for_by_name_are_let_through(restore_logging, capsys, monkeypatch):
    monkeypatch.setenv(logs.DEBUG_LOGGERS_ENV, "caldav, httpx")
    logs.setup("DEBUG")
    logging.getLogger("caldav").debug(SECRET)
    logging.getLogger("caldav.davclient").debug("child too")
    logging.getLogger("httpx").debug("HTTP Request: %s %s", "POST", "https://api.telegram.org/bot123:SECRET/getMe")
    logging.getLogger("openai").debug("still capped %s", SECRET)
    out = lines(capsys)
    events = [line["event"] for line in out]
    assert events[:2] == [SECRET, "child too"]
    assert events[2] == "http POST getMe"                        # the bot token never reaches the log
    assert len(out) == 3


def test_info_keeps_libraries_quiet(restore_logging, capsys, monkeypatch):
    monkeypatch.delenv(logs.DEBUG_LOGGERS_ENV, raising=False)
    logs.setup("INFO")
    logging.getLogger("httpx").info("HTTP Request: %s %s", "POST", "https://api.telegram.org/bot123:SECRET/getMe")
    logging.getLogger("assistant.x").debug("hidden")
    logging.getLogger("assistant.x").info("shown")
    assert [line["event"] for line in lines(capsys)] == ["shown"]
