"""Driving the wizard under Textual's Pilot: wait for a Test to finish, read what a screen shows."""
from __future__ import annotations

import asyncio
import functools
from typing import Any, Awaitable, Callable

from textual.widgets import Input, Static

from assistant.wizard.step import Field

SIZE = (80, 24)


async def settle(pilot: Any, rounds: int = 3) -> None:
    """Let workers (the Test buttons) finish and the screen catch up."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def field(app: Any, name: str) -> Field:
    return app.screen.query_one(f"#{name}", Field)


def set_field(app: Any, name: str, value: str) -> None:
    field(app, name).value = value


def error_of(app: Any, name: str) -> str:
    return str(field(app, name).query_one(".error", Static).render())


def outcome(app: Any) -> str:
    return str(app.screen.query_one("#outcome", Static).render())


def screen_text(app: Any) -> str:
    """Every Static and Input value on the screen, for "does it say …" checks."""
    parts = [str(w.render()) for w in app.screen.query(Static)]
    parts += [w.value for w in app.screen.query(Input) if not w.password]
    return "\n".join(parts)


def step_name(app: Any) -> str:
    return type(app.screen).__name__


def still_blink(app: Any) -> None:
    """No blinking cursor: screenshots are the same on every run."""
    for widget in app.screen.query(Input):
        widget.cursor_blink = False


def sync(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async test (Pilot needs an event loop) as a plain pytest test."""
    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))
    return run
