"""Voice notes and forwarded messages: what Telegram gives us, turned into text and a sender's name."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from telegram import (Message, MessageOriginChannel, MessageOriginChat, MessageOriginHiddenUser,
                      MessageOriginUser)

log = logging.getLogger(__name__)

MAX_DOWNLOAD = 20 * 1024 * 1024
"""The Bot API lets bots download files up to 20 MB."""
ACTION_EVERY = 4.5
"""A chat action shows for about five seconds; repeat it while the work goes on."""
EXTENSIONS = {"audio/ogg": ".oga", "audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/x-m4a": ".m4a",
              "audio/wav": ".wav", "audio/x-wav": ".wav", "audio/webm": ".webm", "audio/flac": ".flac"}


def media_of(message: Message) -> tuple[Any, str] | None:
    """The voice note, audio file or video note of a message, and its kind."""
    for kind in ("voice", "audio", "video_note"):
        media = getattr(message, kind, None)
        if media is not None:
            return media, kind
    return None


def file_name(media: Any, kind: str) -> str:
    """A safe local name: the file's unique id (letters, digits, - and _) and an extension by type."""
    unique = "".join(ch for ch in media.file_unique_id if ch.isalnum() or ch in "-_") or "voice"
    if kind == "video_note":
        return f"{unique}.mp4"
    mime = getattr(media, "mime_type", None) or "audio/ogg"
    suffix = EXTENSIONS.get(mime)
    if suffix is None and getattr(media, "file_name", None):
        suffix = Path(media.file_name).suffix.lower()[:6] or None
    return unique + (suffix or ".oga")


def too_big_text(size: int) -> str:
    return (f"That recording is {size / 1024 / 1024:.1f} MB, and Telegram lets bots download at most 20 MB. "
            "Please send a shorter one, or type the request.")


def origin_name(message: Message, owner_id: int | None) -> str | None:
    """Who a forwarded message came from: a person's name, a hidden user's name, or a chat's signature/title.

    The owner forwarding their own words gives no name (they are not their own attendee).
    """
    origin = message.forward_origin
    if isinstance(origin, MessageOriginUser):
        if owner_id is not None and origin.sender_user.id == owner_id:
            return None
        return origin.sender_user.full_name or None
    if isinstance(origin, MessageOriginHiddenUser):
        return origin.sender_user_name or None
    if isinstance(origin, MessageOriginChat):
        return origin.author_signature or origin.sender_chat.title or None
    if isinstance(origin, MessageOriginChannel):
        return origin.author_signature or origin.chat.title or None
    return None


@contextlib.asynccontextmanager
async def chat_action(send_action: Any, chat_id: int, action: str) -> AsyncIterator[None]:
    """Show "typing…" (or "recording…") now and every few seconds until the block ends."""

    async def repeat() -> None:
        while True:
            try:
                await send_action(chat_id, action)
            except Exception as exc:  # noqa: BLE001 (a lost chat action must never fail the request)
                log.info("chat action failed", extra={"error": type(exc).__name__})
            await asyncio.sleep(ACTION_EVERY)

    task = asyncio.create_task(repeat())
    try:
        await asyncio.sleep(0)  # let the first action go out before the work starts
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
