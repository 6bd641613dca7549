"""What each step's Test button does: one short network call (or a look at the disk), answered in a line.

Every function here is synchronous (the screens run them on a worker thread), takes plain values and
returns what it found, or raises `CheckFailed` whose message names the fix — the screen shows it under
the field, as it is. No secret ever goes into a message.
"""
from __future__ import annotations

import io
import math
import re
import secrets
import socket
import struct
import subprocess
import sys
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit
from zoneinfo import available_timezones

import httpx

TIMEOUT = 10.0
TOKEN_SHAPE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
FETCH_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fetch-whisper-model"
MODEL_BYTES = 145_217_532
"""Size of Whisper base's model.bin, for the fetch's progress bar."""
NOTION_VERSION = "2022-06-28"
LLM_PRESETS = {
    "openai": ("https://api.openai.com/v1", "gpt-4o-mini"),
    "ollama": ("http://127.0.0.1:11434/v1", "llama3.2"),
}


class CheckFailed(Exception):
    """A test that did not pass; the message says what is wrong and how to fix it."""


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _unreachable(url: str, exc: Exception, fix: str) -> CheckFailed:
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "could not connect"
    return CheckFailed(f"cannot reach {_host(url)} ({kind}): {fix}")


# ── Telegram ────────────────────────────────────────────────────────────────────────────────
def telegram_bot(base_url: str, token: str, timeout: float = TIMEOUT,
                 details: dict[str, Any] | None = None) -> dict[str, Any]:
    """getMe: the bot's user ({"first_name", "username", …}) when the token works. `details`, when given,
    gets the answer's "date" header (doctor compares the clocks)."""
    token = token.strip()
    if not token:
        raise CheckFailed("no token: create a bot with @BotFather (/newbot) and paste the token it gives")
    if not TOKEN_SHAPE.match(token):
        raise CheckFailed("that is not a bot token (it looks like 123456789:AAH…): copy the whole token from "
                          "@BotFather (/mybots → your bot → API Token)")
    return _bot_api(base_url, token, "getMe", {}, timeout, details)


def _bot_api(base_url: str, token: str, method: str, params: dict[str, Any], timeout: float,
             details: dict[str, Any] | None = None) -> Any:
    url = f"{base_url}{token}/{method}"        # as python-telegram-bot builds it: …/bot<token>/getMe
    try:
        response = httpx.post(url, json=params, timeout=timeout)
    except httpx.HTTPError as exc:
        raise _unreachable(base_url, exc, "check the network (or [telegram] base_url)") from None
    if details is not None:
        details["date"] = response.headers.get("date")
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code in (401, 404) or (body.get("error_code") in (401, 404)):
        raise CheckFailed("Telegram refused this token (Unauthorized): copy it again from @BotFather "
                          "(/mybots → your bot → API Token), or /revoke there for a new one")
    if response.status_code == 409:
        raise CheckFailed("another program reads this bot's messages (is `assistant run` or the service "
                          "running?): stop it while pairing here (sudo systemctl stop assistant), or skip this "
                          "step and pair with the code the running bot prints")
    if not body.get("ok"):
        raise CheckFailed(f"Telegram answered {response.status_code}: {body.get('description') or 'no reason'}; "
                          "try again in a minute")
    return body["result"]


def pairing_code() -> str:
    return "-".join(secrets.token_hex(2) for _ in range(3))


@dataclass
class Paired:
    user_id: int
    chat_id: int
    name: str


def wait_for_start(base_url: str, token: str, code: str, stop: threading.Event,
                   poll_seconds: int = 10, timeout: float = 600.0) -> Paired | None:
    """Long-poll getUpdates (without confirming anything, so the bot still sees every message later)
    until someone sends `/start CODE` in a private chat; None when stopped or after `timeout`."""
    deadline = time.monotonic() + timeout
    while not stop.is_set() and time.monotonic() < deadline:
        updates = _bot_api(base_url, token, "getUpdates", {"timeout": poll_seconds, "limit": 100},
                           timeout=poll_seconds + TIMEOUT)
        for update in updates or []:
            message = update.get("message") or {}
            words = (message.get("text") or "").split()
            chat, user = message.get("chat") or {}, message.get("from") or {}
            if (len(words) >= 2 and words[0].split("@")[0] == "/start" and words[1] == code
                    and chat.get("type") == "private" and user.get("id")):
                name = " ".join(filter(None, [user.get("first_name"), user.get("last_name")])) or str(user["id"])
                return Paired(int(user["id"]), int(chat["id"]), name)
        if updates:
            stop.wait(1.0)          # old updates answer at once: don't spin on them
    return None


# ── time zone ───────────────────────────────────────────────────────────────────────────────
def zones(query: str = "", limit: int = 200) -> list[str]:
    """IANA zones whose name contains every word of `query` (any case; "new york" finds America/New_York)."""
    words = [w for w in re.split(r"[\s_/]+", query.lower()) if w]
    names = sorted(z for z in available_timezones() if "/" in z and not z.startswith("SystemV/"))
    names += ["UTC"]
    found = [z for z in names if all(w in z.lower() for w in words)]
    return found[:limit]


# ── speech ──────────────────────────────────────────────────────────────────────────────────
def model_folder(config: Any) -> tuple[Path | None, float | None]:
    """The local speech model's folder and its size in MB when model.bin is there; (None, None) for a
    size name (fetched on first use); (folder, None) when it is missing."""
    from assistant.status import speech_model  # noqa: PLC0415

    info = speech_model(config)
    if info["found"] is None:
        return None, None
    if info["found"]:
        return Path(info["path"]), info["size_mb"]
    return config.resolve_path(config.speech.model), None


def fetch_model(target: Path, progress: Callable[[float], None], script: Path = FETCH_SCRIPT) -> None:
    """Run scripts/fetch-whisper-model TARGET, reporting progress (0–1) from the size of what it writes."""
    if not script.exists():
        raise CheckFailed("scripts/fetch-whisper-model is not here (an installed copy): run it from the "
                          "project's folder, or set the model to a size name such as \"base\"")
    process = subprocess.Popen([sys.executable, str(script), str(target)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    model = target / "model.bin"
    while process.poll() is None:
        size = model.stat().st_size if model.exists() else 0
        progress(min(0.99, size / MODEL_BYTES))
        time.sleep(0.5)
    _, err = process.communicate()
    if process.returncode != 0:
        last = (err or "").strip().splitlines()[-1:] or ["no reason given"]
        raise CheckFailed(f"fetching the model failed: {last[0]}")
    progress(1.0)


def silent_clip(seconds: float = 1.0, rate: int = 16000) -> bytes:
    """A short WAV with a quiet tone: enough for a transcription API to answer (with little or no text)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(rate)
        frames = b"".join(struct.pack("<h", int(300 * math.sin(2 * math.pi * 440 * i / rate)))
                          for i in range(int(seconds * rate)))
        clip.writeframes(frames)
    return buffer.getvalue()


def speech_api(base_url: str, api_key: str, model: str, timeout: float = 20.0) -> float:
    """A test transcription of a one-second clip; the seconds it took."""
    import openai  # noqa: PLC0415

    if not api_key.strip():
        raise CheckFailed("no API key: paste one (e.g. from platform.openai.com → API keys), or leave the API out")
    client = openai.OpenAI(api_key=api_key, base_url=base_url or None, timeout=timeout, max_retries=0)
    started = time.monotonic()
    try:
        client.audio.transcriptions.create(model=model or "whisper-1", file=("test.wav", silent_clip(), "audio/wav"))
    except openai.AuthenticationError:
        raise CheckFailed("the API refused this key (401): paste the key again, or create a new one") from None
    except openai.APIConnectionError as exc:
        raise CheckFailed(f"cannot reach {_host(base_url or 'api.openai.com')}: check the address and the "
                          f"network ({type(exc).__name__})") from None
    except openai.APIStatusError as exc:
        raise CheckFailed(f"the API answered {exc.status_code}: check the model name ({model!r}) and the "
                          "address") from None
    finally:
        client.close()
    return time.monotonic() - started


# ── language model ──────────────────────────────────────────────────────────────────────────
def llm(base_url: str, model: str, api_key: str, timeout: float = 15.0) -> tuple[str, float]:
    """One tiny chat completion: (the start of the answer, seconds)."""
    import openai  # noqa: PLC0415

    if not base_url.strip():
        raise CheckFailed("no server address: choose OpenAI or Ollama, or type the server's /v1 address")
    if not model.strip():
        raise CheckFailed("no model name: type the model to use (e.g. gpt-4o-mini, llama3.2)")
    client = openai.OpenAI(base_url=base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=0)
    started = time.monotonic()
    try:
        completion = client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": "Answer with the single word: OK"}])
    except openai.AuthenticationError:
        raise CheckFailed("the server refused the API key (401): paste the key again") from None
    except openai.NotFoundError:
        raise CheckFailed(f"the server does not know the model {model!r} (404): check its name (Ollama: "
                          "`ollama pull MODEL` first)") from None
    except openai.APITimeoutError:
        raise CheckFailed(f"{_host(base_url)} did not answer within {timeout:.0f} s: a model on a small "
                          "machine may be too slow; try a smaller one") from None
    except openai.APIConnectionError:
        raise CheckFailed(f"cannot reach {_host(base_url)}: check the address (it ends in /v1) and that the "
                          "server runs") from None
    except openai.APIStatusError as exc:
        raise CheckFailed(f"the server answered {exc.status_code}: check the address and the model") from None
    finally:
        client.close()
    seconds = time.monotonic() - started
    content = ""
    if completion.choices:
        content = (completion.choices[0].message.content or "").strip()
    return content[:40], seconds


# ── calendars and notes ─────────────────────────────────────────────────────────────────────
def caldav_calendars(url: str, username: str, password: str, zone: Any, timeout: float = 15.0) -> list[str]:
    """Sign in with the CalDAV connector and list the account's calendars that take events."""
    from assistant.config import CalendarSection  # noqa: PLC0415
    from assistant.connectors.caldav import CalDAVConnector  # noqa: PLC0415
    from assistant.errors import AuthError, ConnectorError, NotFound, Unavailable  # noqa: PLC0415

    if not url.strip():
        raise CheckFailed("no server address: iCloud is https://caldav.icloud.com")
    try:
        section = CalendarSection(type="caldav", name="setup-test", url=url.strip(), username=username,
                                  password=password, timeout_seconds=timeout)
    except ValueError as exc:
        raise CheckFailed(f"the address is not usable: {str(exc).splitlines()[-1].strip()}") from None
    connector = CalDAVConnector(section, zone)
    try:
        found = connector.list_calendars()
    except AuthError:
        raise CheckFailed("the server refused the user name or password: for iCloud use your Apple ID e-mail "
                          "and an app-specific password (appleid.apple.com → Sign-In and Security → "
                          "App-Specific Passwords)") from None
    except Unavailable:
        raise CheckFailed(f"cannot reach {_host(url)}: check the address (iCloud: https://caldav.icloud.com) and "
                          "the network") from None
    except NotFound:
        raise CheckFailed(f"{_host(url)} has no CalDAV service at that address: check the path (Nextcloud: "
                          "…/remote.php/dav)") from None
    except ConnectorError as exc:
        raise CheckFailed(str(exc).removesuffix("; will retry")) from None
    finally:
        getattr(connector, "close", lambda: None)()
    names = [c.name for c in found if "VEVENT" in c.components]
    if not names:
        raise CheckFailed("signed in, but the account has no calendar that takes events: create one first")
    return names


def notion_databases(base_url: str, token: str, timeout: float = TIMEOUT) -> list[tuple[str, str]]:
    """The databases the integration can see: (id, title). The database id is checked instead when the
    server has no search (some compatible servers)."""
    if not token.strip():
        raise CheckFailed("no token: create an internal integration at notion.so/my-integrations and paste "
                          "its secret")
    headers = {"Authorization": f"Bearer {token.strip()}", "Notion-Version": NOTION_VERSION}
    base = base_url.rstrip("/")
    try:
        response = httpx.post(f"{base}/search", headers=headers, timeout=timeout,
                              json={"filter": {"property": "object", "value": "database"}, "page_size": 100})
    except httpx.HTTPError as exc:
        raise _unreachable(base_url, exc, "check the network (or the notes entry's base_url)") from None
    if response.status_code == 401:
        raise CheckFailed("Notion refused the token (401): copy the integration's secret again "
                          "(notion.so/my-integrations)")
    if response.status_code != 200:
        raise CheckFailed(f"Notion answered {response.status_code}: try again, or type the database id")
    found = []
    for result in response.json().get("results", []):
        title = "".join(part.get("plain_text", "") for part in result.get("title", [])) or "(untitled)"
        found.append((str(result.get("id")), title))
    if not found:
        raise CheckFailed("the token works but no database is shared with the integration: open the database "
                          "in Notion → ••• → Connections → add your integration")
    return found


def notion_database(base_url: str, token: str, database: str, timeout: float = TIMEOUT) -> str:
    """The title of the database `database` (checks the token and the id)."""
    headers = {"Authorization": f"Bearer {token.strip()}", "Notion-Version": NOTION_VERSION}
    try:
        response = httpx.get(f"{base_url.rstrip('/')}/databases/{database.strip()}", headers=headers,
                             timeout=timeout)
    except httpx.HTTPError as exc:
        raise _unreachable(base_url, exc, "check the network (or the notes entry's base_url)") from None
    if response.status_code == 401:
        raise CheckFailed("Notion refused the token (401): copy the integration's secret again")
    if response.status_code == 404:
        raise CheckFailed("no such database, or it is not shared with the integration: open it in Notion → "
                          "••• → Connections → add your integration")
    if response.status_code != 200:
        raise CheckFailed(f"Notion answered {response.status_code}: try again")
    body = response.json()
    return "".join(part.get("plain_text", "") for part in body.get("title", [])) or "(untitled)"


def bridge_token() -> str:
    return secrets.token_urlsafe(24)


def bridge_address(listen: str) -> str:
    """Whether the Apple Notes bridge can listen on `listen` (or is already serving there)."""
    host, _, port = listen.rpartition(":")
    host = host.strip("[]") or "0.0.0.0"
    try:
        number = int(port)
    except ValueError:
        raise CheckFailed("the address must be host:port, e.g. 0.0.0.0:8765") from None
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, number))
        except OSError as exc:
            if exc.errno == 98:   # in use: the running assistant's bridge, or another program
                return f"{listen} is in use (by the running assistant's bridge, or another program)"
            raise CheckFailed(f"cannot listen on {listen}: {exc.strerror}; use this machine's address or "
                              "0.0.0.0") from None
    return f"{listen} is free: the bridge will serve there while the assistant runs"


def lan_address() -> str | None:
    """This machine's address on the local network (for the Shortcut), or None."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(("192.0.2.1", 9))     # TEST-NET: nothing is sent
            return sock.getsockname()[0]
    except OSError:
        return None
