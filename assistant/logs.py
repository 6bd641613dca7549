"""Structured logging: one JSON object per line with a correlation id per incoming message.

Log ids, sizes, counts and timings — never message text, names or tokens.
"""
from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
import uuid
from contextlib import contextmanager
from typing import Any, Iterator

correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="-")
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


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


class _RedactHttpx(logging.Filter):
    """httpx logs request URLs, and Telegram's URLs carry the bot token: keep only the method name."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple) and len(record.args) >= 2:
            url = str(record.args[1])
            record.msg, record.args = "http %s %s", (record.args[0], url.rsplit("/", 1)[-1].split("?")[0])
        return True


def setup(level: str = "INFO") -> None:
    formatter = JsonFormatter()
    formatter.converter = time.gmtime
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler", "faster_whisper", "caldav", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("httpx").addFilter(_RedactHttpx())


@contextmanager
def correlated(cid: str | None = None) -> Iterator[str]:
    token = correlation_id.set(cid or uuid.uuid4().hex[:12])
    try:
        yield correlation_id.get()
    finally:
        correlation_id.reset(token)
