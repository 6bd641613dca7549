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
sendMessage, sendPhoto, editMessageText, editMessageReplyMarkup (400 "message is not modified" when nothing
changes), answerCallbackQuery (once per pushed query), sendChatAction, getFile and the file download
(/file/bot<token>/<file_path>), setMyCommands, deleteWebhook, getMyCommands. Anything else answers 404
"Not Found" like the real server.

Texts and captions are checked the way the server checks them, strictly (`parse_html`, `check_text`):
parse_mode=HTML must use only Telegram's tags, properly nested and closed, with "<" and "&" escaped, or
the answer is 400 "can't parse entities"; the parsed text (UTF-16 code units, trimmed) must be 1–4,096
long (captions up to 1,024); callback_data must be 1–64 bytes. Stored messages carry the parsed text and
its entities, as the real API returns them.

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
    open_queries: set[str] = field(default_factory=set)
    """Ids of callback queries pushed and not answered yet."""


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
            if "callback_query" in update:
                self.state.open_queries.add(str(update["callback_query"]["id"]))
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

    def press(self, call: Call, label: str, user: dict | None = None, query_id: str | None = None) -> int:
        """Tap the inline button whose label contains `label` on the message `call` sent or edited.

        The buttons are the ones that call showed (a client may tap a keyboard that was replaced since,
        as in a double tap); the message sent along is the message as it is now. `user` taps instead of the
        chat's owner (someone the message was forwarded to); `query_id` names the callback query, to find
        its answerCallbackQuery.
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
        return self.push(callback_query={"id": query_id or f"cq{time.monotonic_ns()}", "from": user,
                                         "message": message, "chat_instance": "ci-1",
                                         "data": matching[0]["callback_data"]})

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
        failure = check_text(text, params.get("parse_mode")) or check_markup(params.get("reply_markup"))
        if failure:
            return failure
        plain, entities = formatted(text, params.get("parse_mode"))
        return _ok(self._store_message(int(params["chat_id"]), params, text=plain, entities=entities))

    def api_sendPhoto(self, params: dict) -> tuple[int, dict]:
        """A photo by file_id, URL or upload; only its caption and keyboard are checked."""
        caption = params.get("caption")
        failure = (check_text(caption, params.get("parse_mode"), caption=True) if caption else None) \
            or check_markup(params.get("reply_markup"))
        if failure:
            return failure
        if not params.get("photo"):
            return _error(400, "Bad Request: there is no photo in the request")
        extra: dict[str, Any] = {"photo": [{"file_id": f"photo-{time.monotonic_ns()}", "file_unique_id": "p",
                                            "width": 1, "height": 1}]}
        if caption:
            plain, entities = formatted(caption, params.get("parse_mode"))
            extra["caption"] = plain
            if entities:
                extra["caption_entities"] = entities
        return _ok(self._store_message(int(params["chat_id"]), params, **extra))

    def _store_message(self, chat_id: int, params: dict, text: str | None = None,
                       entities: list[dict] | None = None, **extra: Any) -> dict:
        with self.cond:
            message_id = self.state.next_message_id
            self.state.next_message_id += 1
            message = {"message_id": message_id, "from": self.bot_user, "date": int(time.time()),
                       "chat": {"id": chat_id, "type": "private", "first_name": "Owner"}, **extra}
            if text is not None:
                message["text"] = text
            if entities:
                message["entities"] = entities
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            self.state.messages[(chat_id, message_id)] = message
        return message

    def api_editMessageText(self, params: dict) -> tuple[int, dict]:
        text = params.get("text", "")
        failure = check_text(text, params.get("parse_mode"))
        if failure:
            if failure[1]["description"] == "Bad Request: message is too long":
                return _error(400, "Bad Request: MESSAGE_TOO_LONG")
            return failure
        return self._edit(params, formatted(text, params.get("parse_mode")))

    def api_editMessageReplyMarkup(self, params: dict) -> tuple[int, dict]:
        return self._edit(params, None)

    def _edit(self, params: dict, content: tuple[str, list[dict]] | None) -> tuple[int, dict]:
        failure = check_markup(params.get("reply_markup"))
        if failure:
            return failure
        key = (int(params["chat_id"]), int(params["message_id"]))
        markup = params.get("reply_markup") or None
        if markup == {"inline_keyboard": []}:
            markup = None
        with self.cond:
            message = self.state.messages.get(key)
            if message is None:
                return _error(400, "Bad Request: message to edit not found")
            if content is None:
                content = (message.get("text"), message.get("entities") or [])
            if content == (message.get("text"), message.get("entities") or []) \
                    and markup == message.get("reply_markup"):
                return _error(400, NOT_MODIFIED)
            message = {**message, "text": content[0], "edit_date": int(time.time())}
            message.pop("entities", None)
            if content[1]:
                message["entities"] = content[1]
            if markup:
                message["reply_markup"] = markup
            else:
                message.pop("reply_markup", None)
            self.state.messages[key] = message
        return _ok(message)

    def api_answerCallbackQuery(self, params: dict) -> tuple[int, dict]:
        """Each query can be answered once; answering an unknown or answered one fails as on the real API."""
        query_id = str(params.get("callback_query_id", ""))
        if len(str(params.get("text") or "")) > MAX_ANSWER_TEXT:
            return _error(400, "Bad Request: MESSAGE_TOO_LONG")
        with self.cond:
            if query_id not in self.state.open_queries:
                return _error(400, "Bad Request: query is too old and response timeout expired or query ID is "
                                   "invalid")
            self.state.open_queries.discard(query_id)
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


# ── Telegram's HTML parse mode, strictly ────────────────────────────────────────────────────
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler",
                "span", "blockquote", "tg-emoji"}
MAX_MESSAGE = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_ANSWER_TEXT = 200
_ENTITY_TYPES = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
                 "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
                 "tg-spoiler": "spoiler", "span": "spoiler", "code": "code", "pre": "pre", "a": "text_link",
                 "blockquote": "blockquote", "tg-emoji": "custom_emoji"}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_NAME_TOKEN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")


class HtmlError(ValueError):
    """What Telegram says after "Bad Request: can't parse entities: "."""


@dataclass
class _Open:
    tag: str
    attrs: dict[str, Any]
    offset: int
    """UTF-16 offset in the parsed text where the tag's content starts."""


def parse_html(text: str) -> tuple[str, list[dict]]:
    """Telegram's HTML parse mode as the server applies it, but stricter where Telegram guesses.

    Returns the parsed text and its entities (offsets and lengths in UTF-16 code units, as the Bot API
    reports them). Raises HtmlError for: a tag other than the supported ones, a tag left open, closed twice,
    or closed out of order, a bare "<", a "&" that does not start "&lt;", "&gt;", "&amp;", "&quot;" or a
    numeric reference ending in ";" (Telegram would show such a "&" as text; here it means missing escaping),
    malformed attributes, a <span> without class="tg-spoiler" and a <tg-emoji> without a numeric emoji-id.
    """
    out: list[str] = []
    units = 0
    stack: list[_Open] = []
    entities: list[dict] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "&":
            decoded, i = _reference(text, i)
            out.append(decoded)
            units += _utf16(decoded)
            continue
        if ch != "<":
            out.append(ch)
            units += _utf16(ch)
            i += 1
            continue
        begin = i
        if text.startswith("</", i):
            end = text.find(">", i)
            if end == -1:
                raise HtmlError(f"Unclosed end tag at byte offset {_byte(text, begin)}")
            if not stack:
                raise HtmlError(f"Unexpected end tag at byte offset {_byte(text, begin)}")
            name = text[i + 2:end].lower()
            if name and name != stack[-1].tag:
                raise HtmlError(f"Unmatched end tag at byte offset {_byte(text, begin)}, expected "
                                f'"</{stack[-1].tag}>", found "</{name}>"')
            entity = _entity(stack.pop(), units, stack)
            if entity:
                entities.append(entity)
            i = end + 1
            continue
        i += 1
        j = i
        while j < n and not text[j].isspace() and text[j] != ">":
            j += 1
        if j >= n:
            raise HtmlError(f"Unclosed start tag at byte offset {_byte(text, begin)}")
        tag = text[i:j].lower()
        if tag not in ALLOWED_TAGS:
            raise HtmlError(f'Unsupported start tag "{tag}" at byte offset {_byte(text, begin)}')
        attrs, i = _attributes(text, j, tag, begin)
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {_byte(text, begin)}')
        if tag == "tg-emoji" and not str(attrs.get("emoji-id", "")).isdigit():
            raise HtmlError(f"Invalid custom emoji identifier specified at byte offset {_byte(text, begin)}")
        stack.append(_Open(tag, attrs, units))
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    return "".join(out), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _reference(text: str, i: int) -> tuple[str, int]:
    """The character of the entity at text[i] ("&"), and the index after its ";"."""
    end = text.find(";", i, i + 12)
    body = text[i + 1:end] if end != -1 else ""
    char = None
    if body in _NAMED_ENTITIES:
        char = _NAMED_ENTITIES[body]
    elif body.startswith("#x") and 2 < len(body) <= 8 and all(c in "0123456789abcdefABCDEF" for c in body[2:]):
        char = _code_point(int(body[2:], 16))
    elif body.startswith("#") and 1 < len(body) <= 9 and body[1:].isascii() and body[1:].isdigit():
        char = _code_point(int(body[1:]))
    if char is None:
        raise HtmlError(f'unescaped "&" (not "&amp;" or another entity) at byte offset {_byte(text, i)}')
    return char, end + 1


def _code_point(code: int) -> str | None:
    if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _attributes(text: str, i: int, tag: str, begin: int) -> tuple[dict[str, Any], int]:
    """The attributes of the start tag whose name ends at text[i]; returns them and the index after ">"."""
    attrs: dict[str, Any] = {}
    n = len(text)
    unclosed = HtmlError(f"Unclosed start tag at byte offset {_byte(text, begin)}")
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise unclosed
        if text[i] == ">":
            return attrs, i + 1
        start = i
        while i < n and not text[i].isspace() and text[i] not in "=>":
            i += 1
        name = text[start:i].lower()
        if not name:
            raise HtmlError(f'Empty attribute name in the tag "{tag}" at byte offset {_byte(text, begin)}')
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise unclosed
        if text[i] != "=":
            if tag == "blockquote" and name == "expandable":
                attrs[name] = True
                continue
            raise HtmlError(f'Expected equal sign in declaration of an attribute of the tag "{tag}" at byte '
                            f"offset {_byte(text, begin)}")
        i += 1
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise unclosed
        if text[i] in "\"'":
            quote, i = text[i], i + 1
            value: list[str] = []
            while i < n and text[i] != quote:
                if text[i] == "&":
                    char, i = _reference(text, i)
                    value.append(char)
                else:
                    value.append(text[i])
                    i += 1
            if i >= n:
                raise unclosed
            i += 1
            attrs[name] = "".join(value)
        else:
            start = i
            while i < n and text[i] in _NAME_TOKEN:
                i += 1
            if i >= n:
                raise unclosed
            if not text[i].isspace() and text[i] != ">":
                raise HtmlError(f"Unexpected end of name token at byte offset {_byte(text, i)}")
            attrs[name] = text[start:i].lower()


def _entity(opened: _Open, end: int, outer: list[_Open]) -> dict | None:
    """The MessageEntity for a closed tag (None when it is empty or merged into its <pre>)."""
    length = end - opened.offset
    tag, attrs = opened.tag, opened.attrs
    language = str(attrs.get("class", ""))
    if tag == "code" and outer and outer[-1].tag == "pre" and language.startswith("language-"):
        outer[-1].attrs["language"] = language[len("language-"):]
        return None
    if length <= 0 or (tag == "a" and not attrs.get("href")):
        return None
    entity: dict[str, Any] = {"type": _ENTITY_TYPES[tag], "offset": opened.offset, "length": length}
    if tag == "a":
        entity["url"] = attrs["href"]
    elif tag == "pre" and attrs.get("language"):
        entity["language"] = attrs["language"]
    elif tag == "blockquote" and attrs.get("expandable"):
        entity["type"] = "expandable_blockquote"
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs["emoji-id"]
    return entity


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _utf16(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def _byte(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


def formatted(text: str | None, parse_mode: str | None) -> tuple[str, list[dict]]:
    """The text and entities Telegram stores for `text` sent with `parse_mode` (HtmlError if unparsable),
    with leading and trailing whitespace trimmed as Telegram does."""
    text = text or ""
    plain, entities = parse_html(text) if (parse_mode or "").upper() == "HTML" else (text, [])
    stripped = plain.strip()
    if not stripped:
        return "", []
    shift = utf16_len(plain[:len(plain) - len(plain.lstrip())])
    size = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(0, entity["offset"] - shift)
        end = min(size, entity["offset"] + entity["length"] - shift)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def check_text(text: str | None, parse_mode: str | None, caption: bool = False) -> tuple[int, dict] | None:
    """The error the real API gives for this message text or caption, or None when it is accepted."""
    if not text and not caption:
        return _error(400, "Bad Request: message text is empty")
    try:
        plain, _ = formatted(text, parse_mode)
    except HtmlError as exc:
        return _error(400, f"Bad Request: can't parse entities: {exc}")
    if caption:
        if utf16_len(plain) > MAX_CAPTION:
            return _error(400, "Bad Request: message caption is too long")
        return None
    if not plain:
        return _error(400, "Bad Request: message text is empty")
    if utf16_len(plain) > MAX_MESSAGE:
        return _error(400, "Bad Request: message is too long")
    return None


def check_markup(markup: Any) -> tuple[int, dict] | None:
    """Inline keyboards: every callback_data must be 1–64 bytes of UTF-8."""
    if not isinstance(markup, dict):
        return None
    for row in markup.get("inline_keyboard") or []:
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA:
                return _error(400, "Bad Request: BUTTON_DATA_INVALID")
    return None


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
    elif "multipart/form-data" in content_type and body:
        params.update(_multipart(content_type, body))
    elif body:
        params.update({k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()})
    for key, value in list(params.items()):
        if key in JSON_FIELDS and isinstance(value, str):
            params[key] = json.loads(value)
        elif key in INT_FIELDS and isinstance(value, str) and value.lstrip("-").isdigit():
            params[key] = int(value)
    return params


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """Form fields of a multipart upload; a file field becomes {"filename": …, "size": …, "data": bytes}."""
    from email import message_from_bytes
    from email.policy import HTTP

    message = message_from_bytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=HTTP)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        fields[name] = {"filename": filename, "size": len(data), "data": data} if filename else data.decode("utf-8")
    return fields
