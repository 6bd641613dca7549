"""One OpenAI-compatible chat server, through the `openai` package (imported only when a request is
made): structured output in the best form the server takes, a shared deadline, pauses after failures.

Forms, best first: a strict JSON schema (`response_format: json_schema`), JSON mode (`json_object`,
the schema in the prompt), a forced tool call. A server that rejects a form (400/422, or a 5xx naming
it) is moved down the list; the form that worked is remembered per server (base URL + model) in
`memory` (the database's `store.settings` in the bot), so the detection costs one or two 400s once.
So is the name of the output cap it takes (`max_tokens`, or `max_completion_tokens` for OpenAI's
reasoning models, whose 400 names the other).

Every failure is an `UnderstandingError` within `timeout` seconds; 429's Retry-After is honoured once
when it fits. A server that timed out, refused the connection, answered 5xx or refused the key is not
asked again for a while (`PAUSE_*`). Logs and metrics carry the form, latency and token counts — never
the text.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Protocol
from urllib.parse import urlsplit

from assistant.errors import (LlmAuthError, LlmBadAnswer, LlmUnavailable, UnderstandingError,
                              retry_after_seconds)
from assistant.llm.schema import Answer, parse_answer, strict_schema
from assistant.store import metrics

log = logging.getLogger(__name__)

FORMATS = ("json_schema", "json_object", "tools")
"""Structured-output paths, best first; a server is moved down this list when it rejects one (400/422)."""
FORMAT_KEY = "llm.format:"
LIMIT_KEY = "llm.limit:"
"""Where the name of the output cap a server takes is remembered: most take `max_tokens`; OpenAI's
reasoning models want `max_completion_tokens` (their 400 names the other, once)."""
LIMIT_PARAMS = ("max_tokens", "max_completion_tokens")
MAX_OUTPUT_TOKENS = 1200
"""A small local model in JSON mode can otherwise write until its context is full."""
TOOL_NAME = "propose_items"
PAUSE_UNAVAILABLE = 60.0
"""Seconds the model is left alone after a timeout, a refused connection or a 5xx."""
PAUSE_AUTH = 600.0
"""Seconds after a refused key (the owner is told once; fixing the key needs a restart anyway)."""
MIN_CALL_SECONDS = 0.5
"""A retry after Retry-After is only worth it with at least this much of the deadline left."""


class FormatMemory(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...


class MemoryFormats:
    """Where the working structured-output form is kept when there is no database (`assistant parse`)."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.values[key] = value


@dataclass
class Call:
    """What one exchange with the model cost (for logs, `/settings` and the bench): never any text."""
    path: str = ""
    ms: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0
    outcome: str = ""


class ChatClient:
    """Structured answers from one chat-completions server. Thread-safe: the bot asks from several threads."""

    def __init__(self, *, base_url: str, model: str, api_key: str = "", timeout: float = 20.0,
                 memory: FormatMemory | None = None, client: Any = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.base_url = base_url.strip().rstrip("/")
        self.model = model.strip()
        self.api_key = api_key
        self.timeout = float(timeout)
        self.memory: FormatMemory = memory if memory is not None else MemoryFormats()
        self.clock = clock
        self.sleep = sleep
        self.last: Call | None = None
        """What the last exchange cost (for logs, `/settings` and the bench)."""
        self.problem: str | None = None
        """The last failure as a sentence for `/settings`; None once the model answers again."""
        self._client = client
        self._lock = threading.Lock()
        self._paused_until = 0.0

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc or self.base_url

    @property
    def server(self) -> str:
        """The key the working format is remembered under: base URL and model (no key, no path secrets)."""
        return f"{self.base_url}|{self.model}"

    def resume(self) -> None:
        """Forget a pause after a failure: the next read asks the server again."""
        self._paused_until = 0.0

    def close(self) -> None:
        if self._client is not None and hasattr(self._client, "close"):
            self._client.close()
        self._client = None

    def ask(self, system: str, payload: dict[str, Any], answer_type: type[Answer], name: str) -> Answer:
        """The model's answer, validated; every failure is an `UnderstandingError` within the deadline."""
        started = self.clock()
        if started < self._paused_until:
            raise LlmUnavailable(self.problem or "the language model is paused after a failure")
        deadline = started + self.timeout
        call = Call()
        key = FORMAT_KEY + self.server
        remembered = self._remembered(key)
        order = FORMATS[FORMATS.index(remembered):] if remembered in FORMATS else FORMATS
        schema = strict_schema(answer_type)
        user = json.dumps(payload, ensure_ascii=False)
        try:
            for path in order:
                call.path = path
                try:
                    completion = self._create(path, system, user, schema, name, deadline, call)
                except _Rejected as rejected:
                    log.info("llm format rejected", extra={"path": path, "status": rejected.status})
                    continue
                if path != remembered:
                    self._remember(key, path)
                content = self._content(completion, path)
                answer = parse_answer(content, answer_type)
                call.outcome = "ok"
                self.problem = None
                return answer
            self._remember(key, None)
            raise LlmBadAnswer(f"{self.host} rejects every form of structured output (json_schema, "
                               "json_object, tools)")
        except LlmAuthError as exc:
            self._pause(PAUSE_AUTH, str(exc))
            call.outcome = type(exc).__name__
            raise
        except LlmUnavailable as exc:
            self._pause(exc.pause if exc.pause is not None else PAUSE_UNAVAILABLE, str(exc))
            call.outcome = type(exc).__name__
            raise
        except UnderstandingError as exc:
            call.outcome = type(exc).__name__
            raise
        finally:
            self._record(call, started)

    def _record(self, call: Call, started: float) -> None:
        """Keep the exchange's cost as `last`, log it, and count it for `assistant status`."""
        call.ms = round(1000 * (self.clock() - started), 1)
        self.last = call
        level = logging.INFO if call.outcome == "ok" else logging.WARNING
        log.log(level, "llm " + ("answered" if call.outcome == "ok" else "failed"),
                extra={"path": call.path, "ms": call.ms, "prompt_tokens": call.prompt_tokens,
                       "completion_tokens": call.completion_tokens, "requests": call.requests,
                       "outcome": call.outcome or "error", "server": self.host})
        if call.requests:  # `assistant status`: latency and tokens (a paused model asked nobody)
            ok = call.outcome == "ok"
            metrics.record(metrics.LLM_MS, call.ms, model=self.model, ok=ok, path=call.path)
            for part, tokens in (("prompt", call.prompt_tokens), ("completion", call.completion_tokens),
                                 ("total", call.prompt_tokens + call.completion_tokens)):
                metrics.record(metrics.LLM_TOKENS, tokens, model=self.model, part=part)

    def _create(self, path: str, system: str, user: str, schema: dict[str, Any], name: str,
                deadline: float, call: Call) -> Any:
        """One request on `path`, retried once after a 429 whose Retry-After fits before the deadline."""
        import openai

        messages, extra = request_form(path, system, user, schema, name)
        limit_key = LIMIT_KEY + self.server
        limit = self._remembered(limit_key, LIMIT_PARAMS) or LIMIT_PARAMS[0]
        retried = switched = False
        while True:
            remaining = deadline - self.clock()
            if remaining <= 0.05:
                raise LlmUnavailable(f"the language model at {self.host} did not answer within "
                                     f"{self.timeout:g} s")
            call.requests += 1
            try:
                completion = self._openai().chat.completions.create(
                    model=self.model, messages=messages, timeout=remaining, **{limit: MAX_OUTPUT_TOKENS}, **extra)
            except openai.RateLimitError as exc:
                wait = retry_after_seconds(_header(exc, "retry-after"))
                left = deadline - self.clock()
                if not retried and wait is not None and wait + MIN_CALL_SECONDS <= left:
                    retried = True
                    self.sleep(wait)
                    continue
                raise LlmUnavailable(f"the language model at {self.host} is rate-limited"
                                     + (f" (retry in {wait:g} s)" if wait is not None else ""),
                                     pause=wait if wait is not None else PAUSE_UNAVAILABLE) from None
            except (openai.AuthenticationError, openai.PermissionDeniedError):
                raise LlmAuthError(f"the language model at {self.host} refused the API key: check [llm] "
                                   "api_key (or ASSISTANT_LLM_API_KEY)") from None
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                if not switched and limit in f"{exc.message} {exc.body}":
                    switched = True  # "Unsupported parameter: 'max_tokens' … use 'max_completion_tokens'"
                    limit = LIMIT_PARAMS[1 - LIMIT_PARAMS.index(limit)]
                    self._remember(limit_key, limit)
                    continue
                raise _Rejected(exc.status_code) from None
            except openai.NotFoundError:
                raise LlmUnavailable(f"the language model at {self.host} has no model {self.model!r} or no "
                                     "chat completions: check [llm] base_url and model") from None
            except openai.APIStatusError as exc:
                if _about_format(exc, path):  # llama-cpp-python's server answers 500 to a format it lacks
                    raise _Rejected(exc.status_code) from None
                raise LlmUnavailable(f"the language model at {self.host} answered {exc.status_code}") from None
            except openai.APITimeoutError:
                raise LlmUnavailable(f"the language model at {self.host} did not answer within "
                                     f"{self.timeout:g} s") from None
            except openai.APIConnectionError:
                raise LlmUnavailable(f"the language model at {self.host} is unreachable") from None
            except (openai.OpenAIError, ValueError) as exc:  # an unreadable response body among them
                raise LlmBadAnswer(f"the language model at {self.host} sent an unreadable answer "
                                   f"({type(exc).__name__})") from None
            usage = getattr(completion, "usage", None)
            call.prompt_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
            call.completion_tokens += int(getattr(usage, "completion_tokens", 0) or 0)
            return completion

    def _content(self, completion: Any, path: str) -> str:
        """The JSON text of the answer: the message content, or the forced tool call's arguments."""
        choices = getattr(completion, "choices", None) or []
        if not choices:
            raise LlmBadAnswer(f"the language model at {self.host} sent no answer")
        message = choices[0].message
        if getattr(message, "refusal", None):
            raise LlmBadAnswer(f"the language model at {self.host} refused to answer")
        if choices[0].finish_reason == "length":
            raise LlmBadAnswer(f"the language model at {self.host} ran out of tokens")
        if path == "tools" or (not message.content and getattr(message, "tool_calls", None)):
            for tool_call in getattr(message, "tool_calls", None) or []:
                function = getattr(tool_call, "function", None)
                if function is not None and function.name == TOOL_NAME:
                    return function.arguments or ""
            if path == "tools" and not message.content:
                raise LlmBadAnswer(f"the language model at {self.host} did not call {TOOL_NAME}")
        return message.content or ""

    def _openai(self) -> Any:
        with self._lock:
            if self._client is None:
                import openai

                from assistant.connectors.http import trust

                verify = trust()  # SSL_CERT_FILE / REQUESTS_CA_BUNDLE when set
                http_client = openai.DefaultHttpxClient(verify=verify) if verify is not True else None
                # A dummy key for local servers that need none; no retries: we decide (one, after a 429).
                self._client = openai.OpenAI(base_url=self.base_url, api_key=self.api_key or "not-needed",
                                             timeout=self.timeout, max_retries=0, http_client=http_client)
            return self._client

    def _pause(self, seconds: float, problem: str) -> None:
        self._paused_until = self.clock() + max(0.0, seconds)
        self.problem = problem

    def _remembered(self, key: str, allowed: tuple[str, ...] = FORMATS) -> str | None:
        try:
            value = self.memory.get(key)
        except Exception:  # noqa: BLE001 (a database hiccup must not cost the answer)
            return None
        return value if value in allowed else None

    def _remember(self, key: str, path: str | None) -> None:
        try:
            self.memory.set(key, path)
        except Exception:  # noqa: BLE001 (remembering is an optimisation)
            log.warning("llm format not remembered")


def request_form(path: str, system: str, user: str, schema: dict[str, Any], name: str
                 ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The messages and the structured-output parameters of a request in the form `path`."""
    messages: list[dict[str, Any]] = [{"role": "system", "content": system}]
    extra: dict[str, Any] = {}
    if path == "json_schema":
        extra["response_format"] = {"type": "json_schema",
                                    "json_schema": {"name": name, "strict": True, "schema": schema}}
    elif path == "json_object":
        messages[0]["content"] = (system + "\n\nReply with one JSON object that follows this JSON schema:\n"
                                  + json.dumps(schema, ensure_ascii=False))
        extra["response_format"] = {"type": "json_object"}
    else:
        messages[0]["content"] = system + f"\n\nGive your answer by calling the function {TOOL_NAME}."
        extra["tools"] = [{"type": "function", "function": {
            "name": TOOL_NAME, "description": "Propose the items found (the owner confirms each).",
            "parameters": schema}}]
        extra["tool_choice"] = {"type": "function", "function": {"name": TOOL_NAME}}
    messages.append({"role": "user", "content": user})
    return messages, extra


class _Rejected(Exception):
    """The server refused this structured-output form (400/422): the next form is tried."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


_FORMAT_WORDS = {"json_schema": ("response_format", "json_schema"), "json_object": ("response_format", "json_object"),
                 "tools": ("tool_choice", "tools", "function")}


def _about_format(exc: Any, path: str) -> bool:
    """Whether a failure names the structured-output parameter of `path` (then it is a refusal of that form)."""
    text = f"{getattr(exc, 'message', '')} {getattr(exc, 'body', '')}".lower()
    return any(word in text for word in _FORMAT_WORDS.get(path, ()))


def _header(exc: Any, name: str) -> str | None:
    response = getattr(exc, "response", None)
    return response.headers.get(name) if response is not None else None
