"""Checking an audio file before any engine sees it, and preparing it for the API upload."""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from assistant.speech.result import EngineError, SpeechError, UnusableAudio

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Telegram's Bot API lets a bot download files up to 20 MB; a bigger file is not a voice note."""
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
"""The OpenAI transcription endpoint's limit."""
API_FORMATS = frozenset({"flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm"})
"""File name extensions the OpenAI transcription endpoint accepts as they are."""
SAMPLE_RATE = 16_000


@dataclass(frozen=True)
class Probe:
    """What PyAV tells about a file without decoding it."""

    path: Path
    size: int
    duration: float | None
    """Seconds, from the container; None when it does not say."""
    container: str


def probe(path: Path) -> Probe:
    """Reject what is not a usable audio file with a SpeechError the owner can act on."""
    size = _size(path)
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise UnusableAudio("Couldn't transcribe: the file has no sound track")
            return Probe(path, size, _duration(container), container.format.name)
    except av.error.FFmpegError as exc:
        log.info("speech: not audio (%s)", type(exc).__name__)
        raise UnusableAudio("Couldn't transcribe: the file is not audio (or it is damaged)") from None


def _size(path: Path) -> int:
    try:
        if path.is_dir():
            raise UnusableAudio("Couldn't transcribe: that is a folder, not an audio file")
        size = path.stat().st_size
        with path.open("rb") as fh:
            fh.read(1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SpeechError(f"Couldn't transcribe: can't read the file ({reason.lower()})") from None
    if size == 0:
        raise UnusableAudio("Couldn't transcribe: the file is empty")
    if size > MAX_FILE_BYTES:
        raise UnusableAudio(f"Couldn't transcribe: the file is {size / 1048576:.1f} MB; "
                            f"the limit is {MAX_FILE_BYTES // 1048576} MB")
    return size


def _duration(container: av.container.InputContainer) -> float | None:
    if container.duration is not None and container.duration > 0:
        return container.duration / av.time_base
    stream = container.streams.audio[0]
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return None


def decode(path: Path) -> np.ndarray:
    """The file as 16 kHz mono float32 samples (what Whisper wants)."""
    from faster_whisper.audio import decode_audio

    try:
        return decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except (av.error.FFmpegError, ValueError, IndexError, StopIteration) as exc:
        log.info("speech: decoding failed (%s)", type(exc).__name__)
        raise UnusableAudio("Couldn't transcribe: the audio could not be decoded (the file may be damaged)") from None


def measured_duration(info: Probe) -> float:
    """The container's duration, or the decoded length when the container does not say."""
    if info.duration is not None:
        return info.duration
    return len(decode(info.path)) / SAMPLE_RATE


def upload(info: Probe) -> tuple[str, bytes, str]:
    """(file name, bytes, MIME type) for the API: the file as it is when the API takes it, else OGG/Opus.

    Telegram's voice notes (OGG/Opus, .oga) go as they are.
    """
    extension = info.path.suffix.lower().lstrip(".")
    if extension in API_FORMATS and info.size <= MAX_UPLOAD_BYTES:
        try:
            data = info.path.read_bytes()
        except OSError as exc:
            raise EngineError(f"can't read the file ({exc.strerror or exc})") from None
        return info.path.name, data, _mime(extension)
    log.info("speech: converting %s audio to OGG/Opus for the API", info.container)
    return info.path.stem + ".ogg", to_ogg_opus(decode(info.path)), "audio/ogg"


def _mime(extension: str) -> str:
    return {"oga": "audio/ogg", "ogg": "audio/ogg", "wav": "audio/wav", "flac": "audio/flac",
            "webm": "audio/webm", "m4a": "audio/mp4", "mp4": "audio/mp4"}.get(extension, "audio/mpeg")


def to_ogg_opus(samples: np.ndarray, bitrate: int = 24_000) -> bytes:
    """Encode 16 kHz mono float samples as OGG/Opus, as Telegram sends voice notes (about 3 KB a second)."""
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=SAMPLE_RATE)
        stream.bit_rate = bitrate
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1).astype(np.float32), format="flt", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()
