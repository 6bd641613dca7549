"""`assistant transcribe [--json] FILE …`: one line per file, in order; the model loads once."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from assistant.speech.result import SpeechError
from assistant.speech.service import Speech

if TYPE_CHECKING:
    from assistant.config import Config


def run_transcribe_command(config: Config, files: list[str], as_json: bool, out: TextIO | None = None) -> int:
    """Print a transcript line per file (JSON objects with --json); 1 when any file failed, else 0.

    A failed file still gets its line — {"error": "...", "text": ""} with --json, an empty line
    without (the message goes to stderr) — so the output lines match the files one to one.
    """
    out = out or sys.stdout
    failed = 0
    with Speech(config) as speech:
        for name in files:
            started = time.perf_counter()
            try:
                transcript = speech.transcribe(Path(name))
            except SpeechError as exc:
                failed += 1
                _print_failure(out, name, str(exc), time.perf_counter() - started, as_json)
                continue
            if as_json:
                print(json.dumps({"text": transcript.text, "engine": transcript.engine,
                                  "language": transcript.language, "duration": transcript.duration,
                                  "seconds": transcript.seconds}, ensure_ascii=False), file=out, flush=True)
            else:
                print(transcript.text, file=out, flush=True)
    return 1 if failed else 0


def _print_failure(out: TextIO, name: str, message: str, seconds: float, as_json: bool) -> None:
    print(f"{name}: {message}", file=sys.stderr, flush=True)
    if as_json:
        print(json.dumps({"error": message, "text": "", "engine": None, "language": None, "duration": None,
                          "seconds": round(seconds, 3)}, ensure_ascii=False), file=out, flush=True)
    else:
        print("", file=out, flush=True)
