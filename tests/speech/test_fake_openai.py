"""The loopback fake of the OpenAI API behaves like the published API reference says."""
from __future__ import annotations

import time

import httpx
import openai
import pytest

from tests.fakes.openai_server import FakeOpenAI, Request, Response


def post_audio(fake: FakeOpenAI, key: str | None = None, **fields: str) -> httpx.Response:
    return httpx.post(f"{fake.base_url}/audio/transcriptions",
                      headers={"Authorization": f"Bearer {key or fake.api_key}"},
                      files={"file": ("a.oga", b"OggS-bytes", "audio/ogg")},
                      data={"model": "whisper-1", **fields})


def test_wrong_key_gets_openais_401_body(fake_openai: FakeOpenAI) -> None:
    answer = post_audio(fake_openai, key="sk-nope")
    assert answer.status_code == 401
    error = answer.json()["error"]
    assert error["type"] == "invalid_request_error" and error["code"] == "invalid_api_key"
    assert error["param"] is None and "Incorrect API key" in error["message"]


def test_multipart_fields_are_recorded(fake_openai: FakeOpenAI) -> None:
    answer = post_audio(fake_openai, language="de", prompt="Termine", response_format="verbose_json")
    assert answer.status_code == 200
    body = answer.json()
    assert body["text"] == fake_openai.transcript and body["language"] == "de" and body["duration"] == 2.5
    (upload,) = fake_openai.transcriptions
    assert (upload.filename, upload.file, upload.model, upload.prompt) == ("a.oga", b"OggS-bytes", "whisper-1", "Termine")


@pytest.mark.parametrize(("fmt", "content"), [("json", '{"text"'), ("text", "Lunch"), ("srt", "-->"), ("vtt", "WEBVTT")])
def test_response_formats(fake_openai: FakeOpenAI, fmt: str, content: str) -> None:
    answer = post_audio(fake_openai, response_format=fmt)
    assert answer.status_code == 200 and content in answer.text


def test_failures_are_queued_and_then_heal(fake_openai: FakeOpenAI) -> None:
    fake_openai.fail(429, retry_after=2, times=2)
    first, second, third = (post_audio(fake_openai) for _ in range(3))
    assert first.status_code == second.status_code == 429
    assert first.headers["retry-after"] == "2"
    assert first.json()["error"]["code"] == "rate_limit_exceeded"
    assert third.status_code == 200


def test_missing_file_and_bad_format(fake_openai: FakeOpenAI) -> None:
    no_file = httpx.post(f"{fake_openai.base_url}/audio/transcriptions", data={"model": "whisper-1"},
                         headers={"Authorization": f"Bearer {fake_openai.api_key}"}, files={"x": ("x", b"1")})
    assert no_file.status_code == 400 and no_file.json()["error"]["param"] == "file"
    bad = httpx.post(f"{fake_openai.base_url}/audio/transcriptions", data={"model": "whisper-1"},
                     headers={"Authorization": f"Bearer {fake_openai.api_key}"}, files={"file": ("a.txt", b"1")})
    assert bad.status_code == 400 and "Invalid file format" in bad.json()["error"]["message"]


def test_the_openai_client_works_against_it(fake_openai: FakeOpenAI) -> None:
    client = openai.OpenAI(api_key=fake_openai.api_key, base_url=fake_openai.base_url, max_retries=0)
    answer = client.audio.transcriptions.create(file=("v.oga", b"OggS", "audio/ogg"), model="whisper-1")
    assert answer.text == fake_openai.transcript


def test_extra_routes_plug_in(fake_openai: FakeOpenAI) -> None:
    def chat(request: Request) -> Response:
        return Response.json({"echo": request.json()["model"]})

    fake_openai.route("POST", "/v1/chat/completions", chat)
    answer = httpx.post(f"{fake_openai.base_url}/chat/completions", json={"model": "m"},
                        headers={"Authorization": f"Bearer {fake_openai.api_key}"})
    assert answer.json() == {"echo": "m"}


def test_calls_are_fast_on_a_kept_alive_connection(fake_openai: FakeOpenAI) -> None:
    """TCP_NODELAY: with Nagle's algorithm each call would wait ~40 ms for a delayed ACK."""
    with httpx.Client(headers={"Authorization": f"Bearer {fake_openai.api_key}"}) as client:
        client.post(f"{fake_openai.base_url}/audio/transcriptions", data={"model": "whisper-1"},
                    files={"file": ("a.oga", b"x")})
        started = time.perf_counter()
        for _ in range(20):
            client.post(f"{fake_openai.base_url}/audio/transcriptions", data={"model": "whisper-1"},
                        files={"file": ("a.oga", b"x")})
        assert time.perf_counter() - started < 0.6
