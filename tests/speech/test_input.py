"""Bad input fails before any engine runs, with a message the owner can act on."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from assistant.speech import NoSpeech, Speech, SpeechError
from tests.speech.support import make_config


@pytest.fixture
def speech(tmp_path: Path) -> Speech:
    """No engine would work: these files must be refused before one is tried."""
    with Speech(make_config(tmp_path / "no-model", engine="auto")) as speech:
        yield speech


def refused(speech: Speech, path: Path) -> str:
    with pytest.raises(SpeechError) as caught:
        speech.transcribe(path)
    assert not isinstance(caught.value, NoSpeech)
    return str(caught.value)


def test_empty_file(speech: Speech, tmp_path: Path) -> None:
    (tmp_path / "empty.oga").touch()
    assert refused(speech, tmp_path / "empty.oga") == "Couldn't transcribe: the file is empty"


def test_huge_file(speech: Speech, tmp_path: Path) -> None:
    huge = tmp_path / "huge.oga"
    with huge.open("wb") as fh:
        fh.truncate(21 * 1024 * 1024)  # sparse: no disk used
    assert refused(speech, huge) == "Couldn't transcribe: the file is 21.0 MB; the limit is 20 MB"


def test_missing_file(speech: Speech, tmp_path: Path) -> None:
    assert refused(speech, tmp_path / "gone.oga") == "Couldn't transcribe: can't read the file (no such file or directory)"


def test_folder(speech: Speech, tmp_path: Path) -> None:
    assert "folder" in refused(speech, tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(speech: Speech, tmp_path: Path, audio: Path) -> None:
    locked = tmp_path / "locked.oga"
    locked.write_bytes((audio / "lunch_anna.oga").read_bytes())
    locked.chmod(0)
    assert refused(speech, locked) == "Couldn't transcribe: can't read the file (permission denied)"


def test_text_file(speech: Speech, audio: Path) -> None:
    assert refused(speech, audio / "not_audio.oga") == "Couldn't transcribe: the file is not audio (or it is damaged)"


def test_random_bytes(speech: Speech, tmp_path: Path) -> None:
    noise = tmp_path / "random.oga"
    noise.write_bytes(os.urandom(4096))
    assert "not audio" in refused(speech, noise)


def test_image_has_no_sound_track(speech: Speech, tmp_path: Path) -> None:
    image = tmp_path / "photo.png"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "color=c=red:s=16x16", "-frames:v", "1",
                    str(image)], check=True)
    assert refused(speech, image) == "Couldn't transcribe: the file has no sound track"
