"""The local engine with the real Whisper base model on real OGG/Opus voice notes (tests/speech/audio)."""
from __future__ import annotations

import asyncio
import logging
import re
import time
from pathlib import Path

import pytest

from assistant.config import Config
from assistant.speech import NoSpeech, Speech, SpeechError
from tests.speech.support import make_config


def words(text: str) -> set[str]:
    return set(re.findall(r"[\w']+", text.lower()))


def test_english_request_keeps_its_key_words(shared_speech: Speech, audio: Path) -> None:
    transcript = shared_speech.transcribe(audio / "lunch_anna.oga")
    heard = words(transcript.text)
    assert {"lunch", "anna", "tomorrow"} <= heard, transcript.text
    assert re.search(r"\b(1|one)(?!\d)", transcript.text.lower()), transcript.text  # "1", "one", "1pm"
    assert transcript.engine == "local"
    assert transcript.language == "en"
    assert transcript.duration == pytest.approx(2.55, abs=0.3)
    assert 0 < transcript.seconds < 30


def test_dictated_time_reaches_the_parser_as_whisper_wrote_it(shared_speech: Speech, audio: Path) -> None:
    transcript = shared_speech.transcribe(audio / "remind_boris.oga")
    heard = words(transcript.text)
    assert {"remind", "boris", "friday"} <= heard, transcript.text
    assert re.search(r"\b(3|three)\b", transcript.text.lower()), transcript.text
    assert re.search(r"p\.?\s?m\b", transcript.text.lower()), transcript.text  # not normalised away


def test_german_is_detected(shared_speech: Speech, audio: Path) -> None:
    transcript = shared_speech.transcribe(audio / "erinnere_de.oga")
    assert transcript.language == "de"
    assert {"erinnere", "morgen", "treffen"} <= words(transcript.text), transcript.text


def test_configured_language_is_used(model_dir: Path, audio: Path) -> None:
    with Speech(make_config(model_dir, engine="local", language="de")) as speech:
        transcript = speech.transcribe(audio / "erinnere_de.oga")
    assert transcript.language == "de"
    assert {"morgen", "treffen"} <= words(transcript.text), transcript.text


@pytest.mark.parametrize("name", ["silence.oga", "noise.oga"])
def test_silence_and_noise_are_no_speech(shared_speech: Speech, audio: Path, name: str) -> None:
    with pytest.raises(NoSpeech, match="I couldn't hear anything"):
        shared_speech.transcribe(audio / name)


def test_a_text_file_is_not_audio(shared_speech: Speech, audio: Path) -> None:
    with pytest.raises(SpeechError, match="Couldn't transcribe: the file is not audio") as caught:
        shared_speech.transcribe(audio / "not_audio.oga")
    assert not isinstance(caught.value, NoSpeech)


def test_transcripts_never_reach_the_logs(config: Config, audio: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with Speech(config) as speech:
        transcript = speech.transcribe(audio / "lunch_anna.oga")
    assert "Anna" in transcript.text
    assert "job 1" in caplog.text and "bytes" in caplog.text
    assert "anna" not in caplog.text.lower() and transcript.text not in caplog.text


def test_the_model_is_loaded_once_lazily(config: Config, audio: Path) -> None:
    with Speech(config) as speech:
        assert speech.model_loads == 0 and not speech.local.loaded
        first = speech.transcribe(audio / "lunch_anna.oga")
        second = speech.transcribe(audio / "remind_boris.oga")
        assert speech.model_loads == 1
    assert "anna" in words(first.text) and "boris" in words(second.text)


def test_concurrent_voice_notes_share_one_model_and_one_worker(config: Config, audio: Path) -> None:
    async def both(speech: Speech) -> list:
        ticks = 0

        async def ticker() -> None:  # the event loop keeps running while the worker transcribes
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        task = asyncio.create_task(ticker())
        results = await asyncio.gather(speech.transcribe_async(audio / "lunch_anna.oga"),
                                       speech.transcribe_async(audio / "remind_boris.oga"))
        task.cancel()
        assert ticks > 10
        return results

    with Speech(config) as speech:
        lunch, remind = asyncio.run(both(speech))
        assert speech.model_loads == 1
    assert "anna" in words(lunch.text) and "boris" in words(remind.text)


def test_blocking_calls_from_threads_are_serialised(config: Config, audio: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with Speech(config) as speech, ThreadPoolExecutor(3) as pool:
        results = list(pool.map(speech.transcribe, [audio / "lunch_anna.oga"] * 3))
        assert speech.model_loads == 1
    assert len({r.text for r in results}) == 1


def test_idle_unload_frees_the_model_and_reloads_on_demand(model_dir: Path, audio: Path) -> None:
    with Speech(make_config(model_dir, engine="local", idle_unload_seconds=1)) as speech:
        speech.transcribe(audio / "lunch_anna.oga")
        assert speech.local.loaded
        deadline = time.monotonic() + 10
        while speech.local.loaded and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not speech.local.loaded
        speech.transcribe(audio / "lunch_anna.oga")
        assert speech.model_loads == 2


def test_warm_up_loads_on_the_worker_without_blocking(config: Config) -> None:
    with Speech(config) as speech:
        future = speech.warm_up()
        future.result(timeout=60)
        assert speech.model_loads == 1


def test_missing_model_says_what_to_do(tmp_path: Path, audio: Path) -> None:
    with Speech(make_config(tmp_path / "nowhere", engine="local")) as speech:
        with pytest.raises(SpeechError) as caught:
            speech.transcribe(audio / "lunch_anna.oga")
    message = str(caught.value)
    assert message.startswith("Couldn't transcribe: the local speech model is missing")
    assert "scripts/fetch-whisper-model" in message


def test_a_broken_model_is_a_clear_error(tmp_path: Path, audio: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"not a model")
    with Speech(make_config(broken, engine="local")) as speech:
        with pytest.raises(SpeechError, match="could not be loaded"):
            speech.transcribe(audio / "lunch_anna.oga")


def test_closed_service_refuses_work(config: Config, audio: Path) -> None:
    speech = Speech(config)
    speech.close()
    with pytest.raises(SpeechError, match="shut down"):
        speech.transcribe(audio / "lunch_anna.oga")


def test_close_drops_queued_notes_with_a_clear_error(config: Config, audio: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    speech = Speech(config)
    with ThreadPoolExecutor(3) as pool:
        futures = [pool.submit(speech.transcribe, audio / "lunch_anna.oga") for _ in range(3)]
        time.sleep(0.2)
        speech.close()
        outcomes = []
        for future in futures:
            try:
                outcomes.append(future.result().engine)
            except SpeechError as exc:
                outcomes.append(str(exc))
    assert "Couldn't transcribe: the speech service is shut down" in outcomes
