"""A loopback fake of the OpenAI API for tests (no internet): a small threaded HTTP server with per-test state.

    with FakeOpenAI() as fake:                     # 127.0.0.1, a free port
        client = openai.OpenAI(api_key=fake.api_key, base_url=fake.base_url)
        fake.transcript = "Lunch with Anna"        # what /v1/audio/transcriptions answers
        fake.fail(429, retry_after=2)              # the next call fails like OpenAI does
        ...
        fake.transcriptions[0].filename            # what the client sent

Implemented so far, following OpenAI's API reference:
  POST /v1/audio/transcriptions   multipart (file, model, language, prompt, response_format, temperature);
                                  answers json {"text"}, verbose_json {"task", "language", "duration", "text",
                                  "segments"}, text, srt or vtt.
  POST /v1/chat/completions       validates the request as the reference describes it (model; messages with
                                  roles and content; response_format text | json_object — which needs the word
                                  "JSON" in the messages — | json_schema with name, schema and, when strict, every
                                  property required and no additional ones; tools of type function and a
                                  tool_choice naming one of them; no unknown parameters) and answers a
                                  chat.completion with usage. What it answers, per test:
        fake.chat_answer = {"items": [...]}     # content (a dict is sent as JSON; a str as it is:
                                                #   malformed JSON, text around JSON, …); a callable gets the
                                                #   `ChatCall` and returns either; `echo_extraction` by default
        fake.chat_answer = Refusal("I can't")   # message.refusal set, content null
        fake.rejects = {"json_schema"}          # those structured-output paths get a 400 (`reject_status`), as
                                                #   servers without them do
        fake.hang_seconds = 30                  # wait that long before answering (a hung server)
        fake.unsupported = {"max_tokens"}       # 400 naming it, as OpenAI's reasoning models answer
        fake.chat_calls[0].format               # "json_schema" | "json_object" | "tools" | "text"
  With tools and a tool_choice naming a function, the answer comes as that function's call (arguments = the
  content). `python -m tests.fakes.openai_server [--port N] [--key K]` serves one on its own (echoing).
Other endpoints plug in with `fake.route("POST", "/v1/…", handler)` (this replaces a built-in one too); a
handler takes a `Request` and returns a `Response`.

Every request is checked for `Authorization: Bearer <api_key>` (401 with OpenAI's error body otherwise)
and recorded in `fake.requests`. Accepted sockets get TCP_NODELAY: the handler writes headers and body in
two sends, and Nagle's algorithm with delayed ACKs would otherwise add about 40 ms to every call.
"""
from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakes.loopback import LoopbackServer

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
AUDIO_FORMATS = ("flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm")


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        return cls(status, json.dumps(value).encode(), "application/json", headers or {})


@dataclass
class Upload:
    """One multipart/form-data upload to /v1/audio/transcriptions."""

    fields: dict[str, str]
    filename: str | None
    file_content_type: str | None
    file: bytes

    @property
    def model(self) -> str | None:
        return self.fields.get("model")

    @property
    def language(self) -> str | None:
        return self.fields.get("language")

    @property
    def prompt(self) -> str | None:
        return self.fields.get("prompt")

    @property
    def response_format(self) -> str:
        return self.fields.get("response_format", "json")


@dataclass
class Refusal:
    """A chat answer that refuses: `message.refusal` is set and `content` is null."""
    text: str = "I'm sorry, I can't help with that."


@dataclass
class ChatCall:
    """One valid request to /v1/chat/completions, as sent."""
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def model(self) -> str:
        return self.body["model"]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body["messages"]

    @property
    def format(self) -> str:
        """How structured output was asked for: json_schema | json_object | tools | text."""
        if self.body.get("tools"):
            return "tools"
        return (self.body.get("response_format") or {}).get("type", "text")

    @property
    def schema(self) -> dict[str, Any] | None:
        if self.format == "json_schema":
            return self.body["response_format"]["json_schema"]["schema"]
        if self.format == "tools":
            return self.body["tools"][0]["function"].get("parameters")
        return None

    def text(self, role: str) -> str:
        """The text of the last message with `role`."""
        for message in reversed(self.messages):
            if message["role"] == role:
                content = message.get("content") or ""
                return content if isinstance(content, str) else " ".join(p.get("text", "") for p in content)
        return ""

    def user_json(self) -> Any:
        """The last user message read as JSON (None when it is not JSON)."""
        try:
            return json.loads(self.text("user"))
        except ValueError:
            return None


def echo_extraction(call: ChatCall) -> dict[str, Any]:
    """The default answer: one event whose title and date phrase are the whole message (a model that only
    copies), so the assistant's resolver does all the work."""
    payload = call.user_json()
    text = payload.get("message") if isinstance(payload, dict) else call.text("user")
    return {"items": [{"kind": "event", "title": str(text or "")[:80], "when": text, "repeat": None,
                       "english": None, "duration_minutes": None, "attendees": [], "location": None,
                       "notes": None, "start": None}]}


CHAT_PARAMETERS = frozenset({
    "model", "messages", "audio", "frequency_penalty", "function_call", "functions", "logit_bias", "logprobs",
    "max_completion_tokens", "max_tokens", "metadata", "modalities", "n", "parallel_tool_calls", "prediction",
    "presence_penalty", "prompt_cache_key", "reasoning_effort", "response_format", "safety_identifier", "seed",
    "service_tier", "stop", "store", "stream", "stream_options", "temperature", "tool_choice", "tools",
    "top_logprobs", "top_p", "user", "verbosity", "web_search_options"})
ROLES = frozenset({"system", "developer", "user", "assistant", "tool"})
NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def chat_request_problem(body: Any) -> tuple[str, str | None] | None:
    """Why OpenAI would answer 400 to this chat request: (message, param), or None when it is valid."""
    if not isinstance(body, dict):
        return "We could not parse the JSON body of your request.", None
    unknown = sorted(set(body) - CHAT_PARAMETERS)
    if unknown:
        return f"Unrecognized request argument supplied: {unknown[0]}", unknown[0]
    if not isinstance(body.get("model"), str) or not body["model"]:
        return "you must provide a model parameter", "model"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "Missing required parameter: 'messages'.", "messages"
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            return f"Invalid value for 'messages[{index}].role'.", f"messages[{index}].role"
        content = message.get("content")
        if message["role"] == "assistant" and content is None and message.get("tool_calls"):
            continue
        if message["role"] == "tool" and not message.get("tool_call_id"):
            return f"Missing required parameter: 'messages[{index}].tool_call_id'.", f"messages[{index}]"
        if not (isinstance(content, str) or (isinstance(content, list) and all(
                isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str)
                for part in content))):
            return f"Invalid type for 'messages[{index}].content'.", f"messages[{index}].content"
    problem = _response_format_problem(body.get("response_format"), messages)
    if problem:
        return problem
    return _tools_problem(body.get("tools"), body.get("tool_choice"))


def _response_format_problem(fmt: Any, messages: list[dict[str, Any]]) -> tuple[str, str] | None:
    if fmt is None:
        return None
    if not isinstance(fmt, dict) or fmt.get("type") not in ("text", "json_object", "json_schema"):
        return "Invalid value for 'response_format.type'.", "response_format"
    if fmt["type"] == "json_object":
        said = " ".join(str(m.get("content") or "") for m in messages).lower()
        if "json" not in said:
            return ("'messages' must contain the word 'json' in some form, to use 'response_format' of type "
                    "'json_object'."), "messages"
    if fmt["type"] == "json_schema":
        spec = fmt.get("json_schema")
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not NAME.match(spec["name"]):
            return "Invalid 'response_format.json_schema.name'.", "response_format"
        if not isinstance(spec.get("schema"), dict):
            return "Missing required parameter: 'response_format.json_schema.schema'.", "response_format"
        if "strict" in spec and not isinstance(spec["strict"], bool):
            return "Invalid type for 'response_format.json_schema.strict'.", "response_format"
        if spec.get("strict"):
            problem = strict_schema_problem(spec["schema"])
            if problem:
                return f"Invalid schema for response_format '{spec['name']}': {problem}", "response_format"
    return None


def strict_schema_problem(node: Any, where: str = "()") -> str | None:
    """Structured outputs' strict rules: objects list every property in `required` and forbid others."""
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            properties = node.get("properties", {})
            if node.get("additionalProperties") is not False:
                return f"In context={where}, 'additionalProperties' is required to be supplied and to be false."
            if sorted(node.get("required", [])) != sorted(properties):
                return (f"In context={where}, 'required' is required to be supplied and to be an array "
                        "including every key in properties.")
        if "default" in node:
            return f"In context={where}, 'default' is not permitted."
        for key, value in node.items():
            problem = strict_schema_problem(value, f"{where}.{key}" if key != "properties" else where)
            if problem:
                return problem
    elif isinstance(node, list):
        for value in node:
            problem = strict_schema_problem(value, where)
            if problem:
                return problem
    return None


def _tools_problem(tools: Any, choice: Any) -> tuple[str, str] | None:
    names: list[str] = []
    if tools is not None:
        if not isinstance(tools, list) or not tools:
            return "Invalid 'tools': empty array.", "tools"
        for index, tool in enumerate(tools):
            function = tool.get("function") if isinstance(tool, dict) else None
            if not isinstance(tool, dict) or tool.get("type") != "function" or not isinstance(function, dict):
                return f"Invalid value for 'tools[{index}].type'.", f"tools[{index}]"
            if not isinstance(function.get("name"), str) or not NAME.match(function["name"]):
                return f"Invalid 'tools[{index}].function.name'.", f"tools[{index}].function.name"
            if "parameters" in function and not isinstance(function["parameters"], dict):
                return f"Invalid type for 'tools[{index}].function.parameters'.", f"tools[{index}]"
            names.append(function["name"])
    if choice is None:
        return None
    if not names:
        return "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", \
            "tool_choice"
    if isinstance(choice, str):
        return None if choice in ("none", "auto", "required") else ("Invalid value for 'tool_choice'.", "tool_choice")
    function = choice.get("function") if isinstance(choice, dict) else None
    if not isinstance(choice, dict) or choice.get("type") != "function" or not isinstance(function, dict) \
            or function.get("name") not in names:
        return "Invalid value for 'tool_choice': no function by that name.", "tool_choice"
    return None


@dataclass
class Failure:
    status: int
    times: int
    retry_after: float | None
    message: str


def error_body(message: str, type_: str = "invalid_request_error", code: str | None = None,
               param: str | None = None) -> dict[str, Any]:
    """OpenAI's error shape."""
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], list[tuple[str, str | None, str | None, bytes]]]:
    """Form fields, and (field name, file name, content type, bytes) for each file part."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n" + body)
    if not message.is_multipart():
        raise ValueError("the body is not multipart/form-data")
    fields: dict[str, str] = {}
    files: list[tuple[str, str | None, str | None, bytes]] = []
    for part in message.iter_parts():
        assert isinstance(part, Message)
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            files.append((name, filename, part.get_content_type(), data))
        else:
            fields[name] = data.decode("utf-8")
    return fields, files


class FakeOpenAI:
    """The fake server; all state is per instance, so a fixture gives each test a fresh one."""

    def __init__(self, api_key: str = "sk-test-fake", *, transcript: str = "Lunch with Anna tomorrow at 1 p.m.",
                 language: str = "english", duration: float = 2.5) -> None:
        self.api_key = api_key
        self.transcript = transcript
        self.language = language
        self.duration = duration
        self.requests: list[Request] = []
        self.transcriptions: list[Upload] = []
        self.chat_calls: list[ChatCall] = []
        self.chat_answer: Any = echo_extraction
        """dict (sent as JSON), str (sent as it is), `Refusal`, or a callable of the `ChatCall`."""
        self.rejects: set[str] = set()
        """Structured-output paths ("json_schema", "json_object", "tools") answered with `reject_status`."""
        self.reject_status = 400
        """400 as OpenAI-like servers answer; llama-cpp-python's server answers 500 (naming the parameter)."""
        self.unsupported: set[str] = set()
        """Parameters this "model" refuses, as OpenAI's reasoning models refuse `max_tokens`."""
        self.hang_seconds = 0.0
        self._failures: list[Failure] = []
        self._routes: dict[tuple[str, str], Callable[[Request], Response]] = {
            ("POST", "/v1/audio/transcriptions"): self._transcriptions,
            ("POST", "/v1/chat/completions"): self._chat,
        }
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control -------------------------------------------------------------------------------

    def start(self) -> FakeOpenAI:
        self._server = LoopbackServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # a hanging answer ends now
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the fake OpenAI server is not started")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """What to pass as the OpenAI client's base_url."""
        return f"http://127.0.0.1:{self.port}/v1"

    def fail(self, status: int = 500, *, times: int = 1, retry_after: float | None = None,
             message: str | None = None) -> None:
        """Make the next `times` calls (any endpoint) fail with `status`; 429 carries Retry-After."""
        default = {429: "Rate limit reached for requests", 500: "The server had an error while processing your request.",
                   503: "The engine is currently overloaded, please try again later"}
        with self._lock:
            self._failures.append(Failure(status, times, retry_after,
                                          message or default.get(status, f"error {status}")))

    def route(self, method: str, path: str, handler: Callable[[Request], Response]) -> None:
        self._routes[(method.upper(), path)] = handler

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.transcriptions.clear()
            self.chat_calls.clear()
            self._failures.clear()

    # -- dispatch --------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        with self._lock:
            self.requests.append(request)
        if request.headers.get("authorization", "") != f"Bearer {self.api_key}":
            return Response.json(error_body("Incorrect API key provided. You can find your API key at "
                                            "https://platform.openai.com/account/api-keys.",
                                            code="invalid_api_key"), 401)
        failure = self._take_failure()
        if failure is not None:
            headers = {"Retry-After": f"{failure.retry_after:g}"} if failure.retry_after is not None else {}
            kind = {429: ("requests", "rate_limit_exceeded")}.get(failure.status, ("server_error", None))
            return Response.json(error_body(failure.message, kind[0], kind[1]), failure.status, headers)
        handler = self._routes.get((request.method, request.path.split("?", 1)[0]))
        if handler is None:
            return Response.json(error_body(f"Invalid URL ({request.method} {request.path})"), 404)
        return handler(request)

    def _take_failure(self) -> Failure | None:
        with self._lock:
            if not self._failures:
                return None
            failure = self._failures[0]
            failure.times -= 1
            if failure.times <= 0:
                self._failures.pop(0)
            return failure

    def _transcriptions(self, request: Request) -> Response:
        try:
            fields, files = parse_multipart(request.headers.get("content-type", ""), request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            return Response.json(error_body(f"Could not parse multipart form: {exc}"), 400)
        uploads = [f for f in files if f[0] == "file"]
        if not uploads:
            return Response.json(error_body("Missing required parameter: 'file'.", param="file"), 400)
        if "model" not in fields:
            return Response.json(error_body("Missing required parameter: 'model'.", param="model"), 400)
        _, filename, content_type, data = uploads[0]
        upload = Upload(fields, filename, content_type, data)
        with self._lock:
            self.transcriptions.append(upload)
        extension = (filename or "").rsplit(".", 1)[-1].lower()
        if extension not in AUDIO_FORMATS:
            return Response.json(error_body(f"Invalid file format. Supported formats: {list(AUDIO_FORMATS)}",
                                            param="file"), 400)
        if len(data) > MAX_UPLOAD_BYTES:
            return Response.json(error_body("Maximum content size limit (26214400) exceeded."), 413)
        return self._transcription_answer(upload)

    def _chat(self, request: Request) -> Response:
        try:
            body = request.json()
        except ValueError:
            body = None
        problem = chat_request_problem(body)
        if problem is not None:
            return Response.json(error_body(problem[0], param=problem[1]), 400)
        for name in sorted(self.unsupported & set(body)):
            other = {"max_tokens": "max_completion_tokens"}.get(name)
            return Response.json(error_body(f"Unsupported parameter: '{name}' is not supported with this model."
                                            + (f" Use '{other}' instead." if other else ""),
                                            param=name, code="unsupported_parameter"), 400)
        call = ChatCall(body, request.headers)
        with self._lock:
            self.chat_calls.append(call)
        if call.format in self.rejects:
            param = "tools" if call.format == "tools" else "response_format"
            return Response.json(error_body(f"{param}: {call.format} is not supported by this server", param=param),
                                 self.reject_status)
        if self.hang_seconds:
            self._stopping.wait(self.hang_seconds)
        answer = self.chat_answer(call) if callable(self.chat_answer) else self.chat_answer
        return Response.json(self._completion(call, answer))

    def _completion(self, call: ChatCall, answer: Any) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": None, "refusal": None}
        finish = "stop"
        if isinstance(answer, Refusal):
            message["refusal"] = answer.text
        else:
            content = answer if isinstance(answer, str) else json.dumps(answer)
            choice = call.body.get("tool_choice")
            if call.format == "tools" and isinstance(choice, dict):
                message["tool_calls"] = [{"id": f"call_{len(self.chat_calls)}", "type": "function",
                                          "function": {"name": choice["function"]["name"], "arguments": content}}]
                finish = "tool_calls"
            else:
                message["content"] = content
        prompt = sum(len(str(m.get("content") or "")) for m in call.messages) // 4 + 1
        completion = len(str(message.get("content") or message.get("refusal") or
                             (message.get("tool_calls") or [{}])[0].get("function", {}).get("arguments", ""))) // 4 + 1
        return {"id": f"chatcmpl-fake{len(self.chat_calls)}", "object": "chat.completion", "created": int(time.time()),
                "model": call.model, "system_fingerprint": "fp_fake",
                "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
                "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                          "total_tokens": prompt + completion}}

    def _transcription_answer(self, upload: Upload) -> Response:
        text = self.transcript
        fmt = upload.response_format
        if fmt == "text":
            return Response(200, (text + "\n").encode(), "text/plain; charset=utf-8")
        if fmt in ("srt", "vtt"):
            cue = f"00:00:00,000 --> 00:00:{self.duration:06.3f}".replace(".", ",")
            head = "WEBVTT\n\n" if fmt == "vtt" else "1\n"
            return Response(200, f"{head}{cue}\n{text}\n".encode(), "text/plain; charset=utf-8")
        if fmt == "verbose_json":
            language = upload.language or self.language
            return Response.json({
                "task": "transcribe", "language": language, "duration": self.duration, "text": text,
                "segments": [{"id": 0, "seek": 0, "start": 0.0, "end": self.duration, "text": " " + text,
                              "tokens": [], "temperature": 0.0, "avg_logprob": -0.2,
                              "compression_ratio": 1.0, "no_speech_prob": 0.01}]})
        return Response.json({"text": text})


def _handler_for(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the OpenAI client's httpx pool expects

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def do_DELETE(self) -> None:
            self._serve()

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            response = fake.handle(Request(self.command, self.path, headers, body))
            try:
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(response.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up waiting (a test of its timeout)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            """Quiet: tests read fake.requests instead of the access log."""

    return Handler


def main() -> None:
    """Serve a fake on its own (echoing answers), e.g. for `scripts/bench_llm.py`; prints its base URL and
    serves until interrupted (Ctrl-C or SIGTERM)."""
    import argparse

    parser = argparse.ArgumentParser(description="A loopback fake OpenAI-compatible server.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--key", default="sk-test-fake")
    args = parser.parse_args()
    fake = FakeOpenAI(args.key)
    fake._server = LoopbackServer(("127.0.0.1", args.port), _handler_for(fake))
    print(fake.base_url, flush=True)
    try:
        fake._server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        fake._server.server_close()


if __name__ == "__main__":
    main()
