"""Voice notes: kept on disk until transcribed (so none is lost when speech fails), transcribed by the
speech layer (local model, then the API), then read like typed text."""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from assistant.core.render import Reply
from assistant.core.states import VoiceStatus
from assistant.errors import NoSpeech, SpeechError, UnusableAudio
from assistant.store import metrics, private_dir, private_file
from assistant.usecases.conversation import Conversation
from assistant.usecases.deps import Deps

log = logging.getLogger(__name__)

NOTHING_HEARD = ("I couldn't hear anything in that recording — please try again, a little closer to the "
                 "microphone.")


class VoiceNotes:
    def __init__(self, deps: Deps, conversation: Conversation):
        self.deps = deps
        self.conversation = conversation
        self._speech: Any = None

    def path_for(self, name: str) -> Path:
        """Where a recording called `name` waits: data/voice/, private to the owner's user like the database."""
        folder = self.deps.config.data_dir / "voice"
        private_dir(folder)
        return folder / Path(name).name

    def keep(self, file_id: str, path: Path, chat_id: int | None) -> None:
        """A downloaded recording: remembered until it is transcribed."""
        private_file(path)
        self.deps.store.voice_files.add(file_id, str(path), path.stat().st_size, chat_id)

    def waiting(self) -> list[dict]:
        """Recordings not transcribed yet, oldest first; ones whose file vanished are closed."""
        rows = []
        for row in self.deps.store.voice_files.pending():
            if Path(row["path"]).exists():
                rows.append(row)
            else:
                self.deps.store.voice_files.set(row["id"], VoiceStatus.DONE.value, "file missing")
        return rows

    def transcribe(self, chat_id: int, file_id: str, path: Path, sender: str | None = None) -> Reply:
        """Speech to text, then the same pipeline as typed text (as a forward from `sender` when given);
        a failure keeps the file for /pending and a later try."""

        voice_files = self.deps.store.voice_files
        try:
            transcript = self.speech().transcribe(path)
        except NoSpeech:
            voice_files.set(file_id, VoiceStatus.DONE.value, "no speech")
            path.unlink(missing_ok=True)
            return Reply(NOTHING_HEARD)
        except UnusableAudio as exc:
            voice_files.set(file_id, VoiceStatus.DONE.value, str(exc))
            path.unlink(missing_ok=True)
            return Reply(f"{exc}. Please send it as a voice note or an audio file.")
        except SpeechError as exc:
            voice_files.set(file_id, VoiceStatus.PENDING.value, str(exc))
            log.warning("transcription failed", extra={"error": type(exc).__name__})
            metrics.of(self.deps.store).record(metrics.ERROR, 1, type=type(exc).__name__, where="speech")
            return Reply(f"{exc}\nI kept the recording: /pending lists it and can try again.")
        voice_files.set(file_id, VoiceStatus.DONE.value, None)
        path.unlink(missing_ok=True)
        log.info("voice transcribed", extra={"engine": transcript.engine, "audio_seconds": transcript.duration,
                                             "seconds": round(transcript.seconds, 2), "chars": len(transcript.text)})
        metrics.of(self.deps.store).record(metrics.TRANSCRIBE_S, transcript.seconds, engine=transcript.engine)
        if sender:
            reply = self.conversation.handle_forward(chat_id, transcript.text, sender)
        else:
            reply = self.conversation.handle_text(chat_id, transcript.text)
        return replace(reply, text=f"{reply.text}\n\n🎙 “{transcript.text}”")

    def clean(self, now: datetime) -> int:
        """Remove recordings older than `keep_voice_days` that nothing waits for (a crash between
        transcribing and deleting leaves them); one still waiting to be transcribed is never removed."""
        folder = self.deps.config.data_dir / "voice"
        if not folder.is_dir():
            return 0
        waiting = {Path(row["path"]).name for row in self.deps.store.voice_files.pending()}
        cutoff = (now - timedelta(days=self.deps.config.speech.keep_voice_days)).timestamp()
        removed = 0
        for path in folder.iterdir():
            if path.is_file() and path.name not in waiting and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        if removed:
            log.info("old recordings removed", extra={"count": removed})
        return removed

    def speech(self) -> Any:
        """The speech engine, created on the first voice note (the model itself loads lazily too)."""
        if self._speech is None:
            from assistant.speech import Speech  # noqa: PLC0415 (heavy; only with the first voice note)

            self._speech = Speech(self.deps.config)
        return self._speech

    @property
    def speech_loaded(self) -> bool:
        """Whether a voice note has started the speech engine in this process."""
        return self._speech is not None

    def close(self) -> None:
        if self._speech is not None:
            self._speech.close()
            self._speech = None
