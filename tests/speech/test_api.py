"""The API engine and the fallbacks, against the loopback fake of OpenAI's transcription endpoint."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.speech import DEFAULT_PROMPT, NoSpeech, Speech, SpeechError
from tests.fakes.openai_server import FakeOpenAI
from tests.speech.support import make_config


def api_config(fake: FakeOpenAI, model: Path | str, **speech: object):  # type: ignore[no-untyped-def]
    settings = {"engine": "api", "api_key": fake.api_key, "api_base_url": fake.base_url, **speech}
    return make_config(model, **settings)


def test_engine_api_uploads_the_ogg_as_is(fake_openai: FakeOpenAI, audio: Path, tmp_path: Path) -> None:
    with Speech(api_config(fake_openai, tmp_path / "no-model", api_model="whisper-1")) as speech:
        transcript = speech.transcribe(audio / "lunch_anna.oga")
    assert transcript.text == "Lunch with Anna tomorrow at 1 p.m."
    assert (transcript.engine, transcript.language) == ("api", "en")
    assert transcript.duration == pytest.approx(2.5)
    (upload,) = fake_openai.transcriptions
    assert upload.filename == "lunch_anna.oga"
    assert upload.file == (audio / "lunch_anna.oga").read_bytes()
    assert upload.file_content_type == "audio/ogg"
    assert upload.model == "whisper-1"
    assert upload.response_format == "verbose_json"
    assert upload.language is None and upload.prompt is None  # language unknown: no English prompt
    assert fake_openai.requests[0].headers["authorization"] == f"Bearer {fake_openai.api_key}"
    assert speech.model_loads == 0


def test_language_and_prompt_are_sent(fake_openai: FakeOpenAI, audio: Path, tmp_path: Path) -> None:
    with Speech(api_config(fake_openai, tmp_path, language="en", api_model="gpt-4o-mini-transcribe")) as speech:
        speech.transcribe(audio / "lunch_anna.oga")
        speech.transcribe(audio / "lunch_anna.oga", language="de")
    english, german = fake_openai.transcriptions
    assert (english.language, english.prompt) == ("en", DEFAULT_PROMPT)
    assert (german.language, german.prompt) == ("de", None)
    assert english.model == "gpt-4o-mini-transcribe" and english.response_format == "json"


def test_custom_prompt_is_sent_for_every_language(fake_openai: FakeOpenAI, audio: Path, tmp_path: Path) -> None:
    with Speech(api_config(fake_openai, tmp_path, initial_prompt="Termine, Anna, Boris")) as speech:
        speech.transcribe(audio / "lunch_anna.oga", language="de")
    assert fake_openai.transcriptions[0].prompt == "Termine, Anna, Boris"


def test_other_formats_are_converted_to_ogg_opus(fake_openai: FakeOpenAI, audio: Path, tmp_path: Path) -> None:
    voice = tmp_path / "voice.opus"  # the API does not take .opus by name
    shutil.copyfile(audio / "lunch_anna.oga", voice)
    with Speech(api_config(fake_openai, tmp_path)) as speech:
        speech.transcribe(voice)
    (upload,) = fake_openai.transcriptions
    assert upload.filename == "voice.ogg" and upload.file.startswith(b"OggS")
    assert 1000 < len(upload.file) < 20_000


def test_a_wrong_key_is_reported(fake_openai: FakeOpenAI, audio: Path, tmp_path: Path) -> None:
    config = api_config(fake_openai, tmp_path)
    config.speech.api_key = "sk-wrong"
    with Speech(config) as speech, pytest.raises(SpeechError, match="refused the key"):
        speech.transcribe(audio / "lunch_anna.oga")


@pytest.mark.parametrize(("status", "retry_after", "expected"), [
    (500, None, "the speech API answered 500"),
    (429, 7, r"the speech API is rate-limited \(retry in 7 s\)"),
])
def test_api_errors_are_clear_with_engine_api(fake_openai: FakeOpenAI, audio: Path, tmp_path: Path,
                                              status: int, retry_after: int | None, expected: str) -> None:
    fake_openai.fail(status, retry_after=retry_after)
    with Speech(api_config(fake_openai, tmp_path)) as speech:
        with pytest.raises(SpeechError, match=f"^Couldn't transcribe: {expected}"):
            speech.transcribe(audio / "lunch_anna.oga")
        assert len(fake_openai.requests) == 1  # no retry: the caller keeps the file
        assert speech.transcribe(audio / "lunch_anna.oga").engine == "api"  # the next one works


def test_an_unreachable_api_is_clear(audio: Path, tmp_path: Path) -> None:
    with FakeOpenAI() as fake:
        config = api_config(fake, tmp_path)
    with Speech(config) as speech, pytest.raises(SpeechError, match="unreachable"):
        speech.transcribe(audio / "lunch_anna.oga")


def test_api_hallucination_is_no_speech(fake_openai: FakeOpenAI, audio: Path, tmp_path: Path) -> None:
    fake_openai.transcript = "Thanks for watching!"
    with Speech(api_config(fake_openai, tmp_path)) as speech, pytest.raises(NoSpeech):
        speech.transcribe(audio / "silence.oga")


def test_auto_falls_back_to_the_api_when_the_local_model_is_missing(fake_openai: FakeOpenAI, audio: Path,
                                                                     tmp_path: Path) -> None:
    with Speech(api_config(fake_openai, tmp_path / "missing", engine="auto")) as speech:
        transcript = speech.transcribe(audio / "lunch_anna.oga")
    assert transcript.engine == "api"
    assert len(fake_openai.transcriptions) == 1


def test_auto_falls_back_to_the_api_when_the_local_model_is_broken(fake_openai: FakeOpenAI, audio: Path,
                                                                    tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"\0" * 64)
    with Speech(api_config(fake_openai, tmp_path, engine="auto")) as speech:
        assert speech.transcribe(audio / "lunch_anna.oga").engine == "api"


def test_auto_prefers_local_and_leaves_the_api_alone(fake_openai: FakeOpenAI, model_dir: Path, audio: Path) -> None:
    with Speech(api_config(fake_openai, model_dir, engine="auto")) as speech:
        transcript = speech.transcribe(audio / "remind_boris.oga")
    assert transcript.engine == "local" and "Boris" in transcript.text
    assert fake_openai.requests == []


def test_auto_sends_long_audio_to_the_api(fake_openai: FakeOpenAI, model_dir: Path, audio: Path) -> None:
    with Speech(api_config(fake_openai, model_dir, engine="auto", max_local_seconds=1)) as speech:
        assert speech.transcribe(audio / "lunch_anna.oga").engine == "api"
        assert speech.model_loads == 0


def test_auto_falls_back_to_local_when_the_api_fails(fake_openai: FakeOpenAI, model_dir: Path, audio: Path) -> None:
    fake_openai.fail(429, retry_after=30)
    with Speech(api_config(fake_openai, model_dir, engine="auto", max_local_seconds=1)) as speech:
        transcript = speech.transcribe(audio / "remind_boris.oga")
    assert transcript.engine == "local" and "Boris" in transcript.text
    assert [r.path for r in fake_openai.requests] == ["/v1/audio/transcriptions"]


def test_both_engines_failing_is_one_clear_error(fake_openai: FakeOpenAI, audio: Path, tmp_path: Path) -> None:
    fake_openai.fail(500)
    with Speech(api_config(fake_openai, tmp_path / "missing", engine="auto")) as speech:
        with pytest.raises(SpeechError) as caught:
            speech.transcribe(audio / "lunch_anna.oga")
    message = str(caught.value)
    assert message.startswith("Couldn't transcribe: the local speech model is missing")
    assert "the speech API answered 500" in message
    assert not isinstance(caught.value, NoSpeech)


def test_auto_without_a_key_or_a_model_says_both(audio: Path, tmp_path: Path) -> None:
    with Speech(make_config(tmp_path / "missing", engine="auto")) as speech:
        with pytest.raises(SpeechError) as caught:
            speech.transcribe(audio / "lunch_anna.oga")
    assert "scripts/fetch-whisper-model" in str(caught.value)
    assert "ASSISTANT_SPEECH_API_KEY" in str(caught.value)
