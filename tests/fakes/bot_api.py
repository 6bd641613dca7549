"""A loopback fake of the Telegram Bot API for tests and benchmarks (no internet).

    with FakeBotApi() as api:                           # 127.0.0.1, a free port
        config.telegram.base_url = api.base_url          # "http://127.0.0.1:PORT/bot"
        config.telegram.base_file_url = api.base_file_url
        api.send_text(OWNER, "Lunch with Anna tomorrow at 1pm")   # queue an update for getUpdates
        call = api.wait_for("sendMessage")               # what the bot sent
        api.press(call, "Create")                        # tap an inline button of that message
        api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)

Implemented, with the real API's JSON bodies and error bodies: getMe, getUpdates (long poll with offset,
timeout and limit; an update is confirmed — and forgotten — once a later call's offset passes it),
sendMessage, editMessageText, editMessageReplyMarkup (400 "message is not modified" when nothing changes),
answerCallbackQuery, sendChatAction, getFile and the file download (/file/bot<token>/<file_path>),
setMyCommands, deleteWebhook, getMyCommands. Anything else answers 404 "Not Found" like the real server.

Requests may be form-encoded or JSON (PTB posts form data with JSON-encoded nested values). Every call is
recorded in `api.calls` with its decoded parameters and arrival time. Accepted sockets get TCP_NODELAY and
each response is written in one send, so Nagle's algorithm and delayed ACKs add no 40 ms stalls.
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

from tests.fakes.loopback import LoopbackServer

TOKEN = "123456:TEST-token_for-the-fake"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Assistant", "username": "assistant_test_bot",
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}
JSON_FIELDS = {"reply_markup", "allowed_updates", "commands", "entities", "reply_parameters",
               "link_preview_options", "scope"}
INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "reply_to_message_id", "cache_time"}
NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of a message")


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    """time.monotonic() when the request arrived."""
    result: Any = None

    @property
    def text(self) -> str:
        return self.params.get("text", "")

    @property
    def buttons(self) -> list[dict]:
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]

    @property
    def labels(self) -> list[str]:
        return [b["text"] for b in self.buttons]


@dataclass
class _Failure:
    status: int
    description: str
    parameters: dict[str, Any] | None = None


@dataclass
class _State:
    updates: list[dict] = field(default_factory=list)
    next_update_id: int = 1000
    next_message_id: int = 1
    messages: dict[tuple[int, int], dict] = field(default_factory=dict)
    files: dict[str, tuple[dict, bytes]] = field(default_factory=dict)
    failures: dict[str, list[_Failure]] = field(default_factory=dict)
    commands: list[dict] = field(default_factory=list)
    delivered_at: dict[int, float] = field(default_factory=dict)
    """update_id → time.monotonic() when a getUpdates answer first carried it."""


class FakeBotApi:
    def __init__(self, token: str = TOKEN, bot_user: dict | None = None):
        self.token = token
        self.bot_user = dict(bot_user or BOT_USER)
        self.calls: list[Call] = []
        self.state = _State()
        self.cond = threading.Condition()
        self.hooks: list[Callable[[Call], None]] = []
        """Called (on the server thread) after every recorded call; e.g. to stop the bot mid-batch."""
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ── lifecycle ───────────────────────────────────────────────────────────────────────────
    def start(self) -> "FakeBotApi":
        handler = type("Handler", (_Handler,), {"api": self})
        self._server = LoopbackServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-bot-api",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            with self.cond:
                self.cond.notify_all()
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeBotApi":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ── what the test does ──────────────────────────────────────────────────────────────────
    def push(self, **update: Any) -> int:
        """Queue one update (its payload without update_id) for getUpdates; returns its update_id."""
        with self.cond:
            update_id = self.state.next_update_id
            self.state.next_update_id += 1
            self.state.updates.append({"update_id": update_id, **update})
            self.cond.notify_all()
        return update_id

    def message(self, user: dict, text: str | None = None, chat: dict | None = None, **extra: Any) -> dict:
        """A Message object as sent by `user` (in their private chat unless `chat` is given)."""
        with self.cond:
            message_id = self.state.next_message_id
            self.state.next_message_id += 1
        message = {"message_id": message_id, "from": user, "chat": chat or private_chat(user),
                   "date": int(time.time()), **extra}
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return message

    def send_text(self, user: dict, text: str, **extra: Any) -> int:
        return self.push(message=self.message(user, text, **extra))

    def send_voice(self, user: dict, path: Path, duration: int = 3, kind: str = "voice",
                   mime_type: str = "audio/ogg", file_size: int | None = None) -> int:
        """A voice note (or `kind` = "audio" / "video_note") whose file the bot can download."""
        data = Path(path).read_bytes()
        file_id = f"file-{len(self.state.files) + 1}"
        info = {"file_id": file_id, "file_unique_id": f"u{file_id}", "duration": duration,
                "file_size": file_size if file_size is not None else len(data)}
        if kind != "video_note":
            info["mime_type"] = mime_type
        else:
            info["length"] = 240
        with self.cond:
            self.state.files[file_id] = ({**info, "file_path": f"voice/{file_id}.oga"}, data)
        return self.push(message=self.message(user, **{kind: info}))

    def press(self, call: Call, label: str, user: dict | None = None) -> int:
        """Tap the inline button whose label contains `label` on the message `call` sent or edited.

        The buttons are the ones that call showed (a client may tap a keyboard that was replaced since,
        as in a double tap); the message sent along is the message as it is now.
        """
        chat_id = int(call.params["chat_id"])
        message_id = int(call.params.get("message_id") or call.result["message_id"])
        with self.cond:
            message = dict(self.state.messages[(chat_id, message_id)])
        buttons = call.buttons
        matching = [b for b in buttons if label in b["text"]]
        if not matching:
            raise AssertionError(f"no button {label!r} on the message; buttons: {[b['text'] for b in buttons]}")
        user = user or {"id": chat_id, "is_bot": False, "first_name": "Owner"}
        return self.push(callback_query={"id": f"cq{time.monotonic_ns()}", "from": user, "message": message,
                                         "chat_instance": "ci-1", "data": matching[0]["callback_data"]})

    def fail_next(self, method: str, status: int, description: str, retry_after: int | None = None) -> None:
        """The next call of `method` fails with the real API's error body."""
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        with self.cond:
            self.state.failures.setdefault(method, []).append(_Failure(status, description, parameters))

    def calls_of(self, method: str) -> list[Call]:
        with self.cond:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, predicate: Callable[[Call], bool] = lambda c: True,
                 timeout: float = 10.0, after: int = 0) -> Call:
        """The first call of `method` (among calls[after:]) that satisfies `predicate`; waits for it."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for call in self.calls[after:]:
                    if call.method == method and call.result is not None and predicate(call):
                        return call
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.method, c.params.get("text", "")[:60]) for c in self.calls[after:]]
                    raise AssertionError(f"no {method} within {timeout}s; calls: {seen}")
                self.cond.wait(left)

    def mark(self) -> int:
        """An index into `calls` to wait for calls made after this point."""
        with self.cond:
            return len(self.calls)

    def pending_updates(self) -> list[int]:
        with self.cond:
            return [u["update_id"] for u in self.state.updates]

    # ── the API ─────────────────────────────────────────────────────────────────────────────
    def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict]:
        call = Call(method, params, time.monotonic())
        with self.cond:
            self.calls.append(call)
            queued = self.state.failures.get(method)
            failure = queued.pop(0) if queued else None
        if failure:
            body: dict[str, Any] = {"ok": False, "error_code": failure.status, "description": failure.description}
            if failure.parameters:
                body["parameters"] = failure.parameters
            call.result = body
            self._notify(call)
            return failure.status, body
        function = getattr(self, f"api_{method}", None)
        if function is None:
            status, body = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        else:
            status, body = function(params)
        call.result = body.get("result") if body.get("ok") else body
        if call.result is None:
            call.result = body
        self._notify(call)
        return status, body

    def _notify(self, call: Call) -> None:
        for hook in list(self.hooks):
            hook(call)
        with self.cond:
            self.cond.notify_all()

    def api_getMe(self, params: dict) -> tuple[int, dict]:
        return _ok(self.bot_user)

    def api_deleteWebhook(self, params: dict) -> tuple[int, dict]:
        return _ok(True)

    def api_setMyCommands(self, params: dict) -> tuple[int, dict]:
        with self.cond:
            self.state.commands = list(params.get("commands") or [])
        return _ok(True)

    def api_getMyCommands(self, params: dict) -> tuple[int, dict]:
        with self.cond:
            return _ok(list(self.state.commands))

    def api_getUpdates(self, params: dict) -> tuple[int, dict]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        with self.cond:
            if offset:
                self.state.updates = [u for u in self.state.updates if u["update_id"] >= offset]
            while not self.state.updates and self._server is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.cond.wait(left)
            batch = [u for u in self.state.updates if u["update_id"] >= offset][:limit]
            now = time.monotonic()
            for update in batch:
                self.state.delivered_at.setdefault(update["update_id"], now)
        return _ok(batch)

    def api_sendMessage(self, params: dict) -> tuple[int, dict]:
        text = params.get("text", "")
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            return _error(400, "Bad Request: message is too long")
        if not _html_ok(text, params.get("parse_mode")):
            return _error(400, "Bad Request: can't parse entities: unsupported start tag")
        chat_id = int(params["chat_id"])
        with self.cond:
            message_id = self.state.next_message_id
            self.state.next_message_id += 1
            message = {"message_id": message_id, "from": self.bot_user, "date": int(time.time()),
                       "chat": {"id": chat_id, "type": "private", "first_name": "Owner"},
                       "text": _plain(text, params.get("parse_mode"))}
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            self.state.messages[(chat_id, message_id)] = message
        return _ok(message)

    def api_editMessageText(self, params: dict) -> tuple[int, dict]:
        return self._edit(params, text=params.get("text", ""))

    def api_editMessageReplyMarkup(self, params: dict) -> tuple[int, dict]:
        return self._edit(params, text=None)

    def _edit(self, params: dict, text: str | None) -> tuple[int, dict]:
        key = (int(params["chat_id"]), int(params["message_id"]))
        markup = params.get("reply_markup") or None
        if markup == {"inline_keyboard": []}:
            markup = None
        with self.cond:
            message = self.state.messages.get(key)
            if message is None:
                return _error(400, "Bad Request: message to edit not found")
            plain = _plain(text, params.get("parse_mode")) if text is not None else message.get("text")
            if plain == message.get("text") and markup == message.get("reply_markup"):
                return _error(400, NOT_MODIFIED)
            if text is not None and len(text) > 4096:
                return _error(400, "Bad Request: MESSAGE_TOO_LONG")
            message = {**message, "text": plain, "edit_date": int(time.time())}
            if markup:
                message["reply_markup"] = markup
            else:
                message.pop("reply_markup", None)
            self.state.messages[key] = message
        return _ok(message)

    def api_answerCallbackQuery(self, params: dict) -> tuple[int, dict]:
        return _ok(True)

    def api_sendChatAction(self, params: dict) -> tuple[int, dict]:
        return _ok(True)

    def api_getFile(self, params: dict) -> tuple[int, dict]:
        with self.cond:
            entry = self.state.files.get(params.get("file_id", ""))
        if entry is None:
            return _error(400, "Bad Request: invalid file_id")
        info, data = entry
        if len(data) > 20 * 1024 * 1024:
            return _error(400, "Bad Request: file is too big")
        return _ok({"file_id": info["file_id"], "file_unique_id": info["file_unique_id"],
                    "file_size": len(data), "file_path": info["file_path"]})

    def file_bytes(self, file_path: str) -> bytes | None:
        with self.cond:
            for info, data in self.state.files.values():
                if info["file_path"] == file_path:
                    return data
        return None


def private_chat(user: dict) -> dict:
    return {"id": user["id"], "type": "private", "first_name": user.get("first_name", ""),
            **({"username": user["username"]} if user.get("username") else {})}


def user(user_id: int, first_name: str = "Owner", **extra: Any) -> dict:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en", **extra}


def _ok(result: Any) -> tuple[int, dict]:
    return 200, {"ok": True, "result": result}


def _error(status: int, description: str) -> tuple[int, dict]:
    return status, {"ok": False, "error_code": status, "description": description}


ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler",
                "span", "blockquote", "tg-emoji"}


def _html_ok(text: str, parse_mode: str | None) -> bool:
    """Reject what the real parser rejects often enough to catch missing escaping: unknown tags, bare '<'."""
    if (parse_mode or "").upper() != "HTML":
        return True
    import re

    for match in re.finditer(r"<(/?)([^\s>/]*)", text):
        if match.group(2).lower() not in ALLOWED_TAGS:
            return False
    return True


def _plain(text: str | None, parse_mode: str | None) -> str | None:
    """The text as Telegram stores it: tags removed and entities decoded in HTML mode."""
    if text is None or (parse_mode or "").upper() != "HTML":
        return text
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", text))


class _Handler(BaseHTTPRequestHandler):
    api: FakeBotApi
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        """Quiet: tests read `api.calls` instead."""

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = unquote(self.path.split("?", 1)[0])
        file_prefix = f"/file/bot{self.api.token}/"
        if path.startswith(file_prefix):
            data = self.api.file_bytes(path[len(file_prefix):])
            if data is None:
                self._send(404, json.dumps(_error(404, "Not Found")[1]).encode())
            else:
                self._send(200, data, "application/octet-stream")
            return
        prefix = f"/bot{self.api.token}/"
        if not path.startswith(prefix):
            self._send(401, json.dumps(_error(401, "Unauthorized")[1]).encode())
            return
        params = _decode(self.headers.get("Content-Type", ""), body, self.path)
        status, answer = self.api.handle(path[len(prefix):], params)
        self._send(status, json.dumps(answer, ensure_ascii=False).encode())

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
                  429: "Too Many Requests"}.get(status, "Error")
        head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n").encode()
        self.wfile.write(head + body)
        self.close_connection = False


def _decode(content_type: str, body: bytes, raw_path: str) -> dict[str, Any]:
    """Form or JSON parameters (and query string ones) as the Bot API reads them."""
    params: dict[str, Any] = {}
    if "?" in raw_path:
        params.update({k: v[-1] for k, v in parse_qs(raw_path.split("?", 1)[1]).items()})
    if "application/json" in content_type and body:
        params.update(json.loads(body))
    elif body:
        params.update({k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()})
    for key, value in list(params.items()):
        if key in JSON_FIELDS and isinstance(value, str):
            params[key] = json.loads(value)
        elif key in INT_FIELDS and isinstance(value, str) and value.lstrip("-").isdigit():
            params[key] = int(value)
    return params
