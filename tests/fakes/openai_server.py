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
Other endpoints (chat completions, …) plug in with `fake.route("POST", "/v1/chat/completions", handler)`;
a handler takes a `Request` and returns a `Response`.

Every request is checked for `Authorization: Bearer <api_key>` (401 with OpenAI's error body otherwise)
and recorded in `fake.requests`. Accepted sockets get TCP_NODELAY: the handler writes headers and body in
two sends, and Nagle's algorithm with delayed ACKs would otherwise add about 40 ms to every call.
"""
from __future__ import annotations

import json
import threading
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
        self._failures: list[Failure] = []
        self._routes: dict[tuple[str, str], Callable[[Request], Response]] = {
            ("POST", "/v1/audio/transcriptions"): self._transcriptions,
        }
        self._lock = threading.Lock()
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
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            """Quiet: tests read fake.requests instead of the access log."""

    return Handler
