"""Structured logging: one JSON object per line with a correlation id per incoming message.

Log ids, sizes, counts and timings — never message text, names or tokens. Other libraries' loggers are
capped (`ThirdPartyCap`) even with -v, unless named in ASSISTANT_DEBUG_LOGGERS (e.g. "caldav,httpx"), which
may then log bodies: for debugging on your own machine only.
"""
from __future__ import annotations

import contextvars
import json
import logging
import os
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="-")
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
OWN = ("assistant", "__main__")
STRICT = ("caldav", "root")
"""Third-party loggers whose INFO lines may carry calendar data; "root" is where caldav also logs."""
NOISY = ("httpx", "httpcore", "telegram", "apscheduler", "faster_whisper", "caldav", "urllib3")
"""Quieter still (WARNING) unless asked for by name."""
DEBUG_LOGGERS_ENV = "ASSISTANT_DEBUG_LOGGERS"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
            "cid": correlation_id.get(),
        }
        data.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info:
            data["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(data, default=str)


def _redact_httpx(record: logging.LogRecord) -> None:
    """httpx logs request URLs, and Telegram's URLs carry the bot token: keep only the method name."""
    if record.args and isinstance(record.args, tuple) and len(record.args) >= 2:
        url = str(record.args[1])
        record.msg, record.args = "http %s %s", (record.args[0], url.rsplit("/", 1)[-1].split("?")[0])


def _under(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


class ThirdPartyCap(logging.Filter):
    """On the handler, so it covers every logger, including ones created after `setup`.

    Records from `assistant.*` pass. Any other logger is capped at INFO whatever the root level — libraries
    log request and response bodies at DEBUG (PTB the texts it sends, httpx/httpcore/hpack the traffic) —
    and caldav, and the root logger it also logs through, at WARNING: caldav's INFO and DEBUG lines carry
    whole iCalendar bodies ("Expected some valid XML … got this: <body>"), and even its WARNING about
    repaired iCalendar data carries a diff of one, so third-party lines also keep only their first line, and
    of an exception only its type.
    Loggers named in `allowed` (and their children; "root" for the root logger) are left alone.
    """

    def __init__(self, allowed: Iterable[str] = ()):
        super().__init__()
        self.allowed = tuple(a for a in allowed if a)

    def filter(self, record: logging.LogRecord) -> bool:
        name = record.name
        if _under(name, OWN):
            return True
        if _under(name, ("httpx",)):
            _redact_httpx(record)
        if _under(name, self.allowed):
            return True
        if record.levelno < (logging.WARNING if _under(name, STRICT) else logging.INFO):
            return False
        message = record.getMessage()
        if "\n" in message:
            record.msg, record.args = message.split("\n", 1)[0].rstrip() + " …", None
        if record.exc_info and record.exc_info[0] is not None:    # its text may quote a server's answer
            record.error = record.exc_info[0].__name__
            record.exc_info, record.exc_text = None, None
        return True


def debug_loggers(value: str | None = None) -> list[str]:
    """The third-party loggers asked for by name: `ASSISTANT_DEBUG_LOGGERS=caldav,httpx`."""
    value = os.environ.get(DEBUG_LOGGERS_ENV, "") if value is None else value
    return [name.strip() for name in value.split(",") if name.strip()]


def setup(level: str = "INFO", allowed: Iterable[str] | None = None) -> None:
    formatter = JsonFormatter()
    formatter.converter = time.gmtime
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    names = debug_loggers() if allowed is None else list(allowed)
    handler.addFilter(ThirdPartyCap(names))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for name in names:
        if name == "caldav":                            # caldav sets its own level when first imported
            with suppress(ImportError):
                import caldav  # noqa: F401
        if name != "root":
            logging.getLogger(name).setLevel(root.level)


@contextmanager
def correlated(cid: str | None = None) -> Iterator[str]:
    token = correlation_id.set(cid or uuid.uuid4().hex[:12])
    try:
        yield correlation_id.get()
    finally:
        correlation_id.reset(token)
