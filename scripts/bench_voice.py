#!/usr/bin/env python3
"""Benchmark the voice pipeline: speed and memory, or transcription quality.

    .venv/bin/python scripts/bench_voice.py                 # RTF and peak RSS for 5 s, 15 s and 60 s voice notes
    .venv/bin/python scripts/bench_voice.py --wer           # WER of the spoken set with the current defaults
    .venv/bin/python scripts/bench_voice.py --wer --beam 1,5 --prompt none,default --parse
                                                            # compare settings; --parse also scores the items
    .venv/bin/python scripts/bench_voice.py --wer --parse --set ../shared/parsing/dev-set.jsonl --voice en-us,en-gb
                                                            # the broader check: the dev set in two voices

Speed: each clip is spoken with espeak-ng (requests joined with pauses, trimmed or padded to the
length), encoded as Telegram does (OGG/Opus 24 kbit/s) and transcribed in a fresh subprocess, so peak RSS
(ru_maxrss) is that clip's alone. "cold" includes loading the model; "warm" is a second call.
Targets on a 2-core machine, base model, int8: RTF <= 0.3 warm, peak RSS <= 500 MB.

Quality: speaks the requests of the spoken set (../shared/voice/spoken-set.jsonl by default, or --set FILE
with "id" and "text" per line), transcribes them with the project's Speech class, and prints the word
error rate after a normalisation that ignores what the parser does not care about ("1 p.m." = "one p m",
"10.30" = "ten thirty", "2nd" = "second", punctuation, case). With --parse, it also runs `assistant parse`
on the transcripts and counts the requests whose item is fully right (the end-to-end score).
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PHRASES = [
    "Lunch with Anna tomorrow at one p m.",
    "Meeting with Boris on Friday at ten thirty for forty five minutes.",
    "Remind me to call mom at six p m.",
    "Dentist appointment next Tuesday at eight fifteen.",
    "Flight to New York on April second at six forty five a m.",
    "Board meeting on May fifth at two thirty p m for two hours.",
    "Remind me on Friday to submit the expense report.",
    "Conference in Lisbon from March twenty fourth to March twenty sixth.",
]
LENGTHS = (5, 15, 60)


# -- audio ------------------------------------------------------------------------------------------

def speak(text: str, wav: Path, voice: str = "en-us", speed: int = 150) -> None:
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(wav), text], check=True)


def to_opus(wav: Path, out: Path) -> None:
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(wav), "-ac", "1", "-c:a", "libopus",
                    "-b:a", "24k", str(out)], check=True)


def make_clip(seconds: int, folder: Path) -> Path:
    """Requests with 0.5 s pauses between them, cut or padded to exactly `seconds`."""
    parts: list[Path] = []
    total = 0.0
    while total < seconds:
        wav = folder / f"part{len(parts)}.wav"
        speak(PHRASES[len(parts) % len(PHRASES)], wav)
        parts.append(wav)
        total += float(subprocess.run(["soxi", "-D", str(wav)], capture_output=True, text=True, check=True).stdout) + 0.5
    joined = folder / f"clip{seconds}.wav"
    pause = folder / "pause.wav"
    subprocess.run(["sox", "-n", "-r", "22050", "-c", "1", "-b", "16", str(pause), "trim", "0", "0.5"], check=True)
    inputs = [str(p) for part in parts for p in (part, pause)]
    subprocess.run(["sox", *inputs, str(joined), "trim", "0", str(seconds), "pad", "0", str(seconds)], check=True)
    subprocess.run(["sox", str(joined), str(folder / "exact.wav"), "trim", "0", str(seconds)], check=True)
    out = folder / f"voice-{seconds}s.oga"
    to_opus(folder / "exact.wav", out)
    return out


# -- speed ------------------------------------------------------------------------------------------

def measure_one(path: Path, config_path: str | None) -> dict:
    """In the subprocess: transcribe twice, report timings and peak RSS."""
    from assistant.config import Config, load
    from assistant.speech import Speech

    config = load(config_path) if config_path else Config()
    if not config_path:
        config.speech.model = str(ROOT / "data" / "models" / "whisper-base")
        config.speech.engine = "local"
    with Speech(config) as speech:
        cold = speech.transcribe(path)
        warm = speech.transcribe(path)
    return {"duration": warm.duration, "cold": cold.seconds, "warm": warm.seconds, "words": len(warm.text.split()),
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def bench_speed(config_path: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-voice-") as tmp:
        print(f"{'clip':>6} {'cold s':>7} {'warm s':>7} {'RTF warm':>9} {'RTF cold':>9} {'peak RSS':>9} words")
        for seconds in LENGTHS:
            folder = Path(tmp) / str(seconds)
            folder.mkdir()
            clip = make_clip(seconds, folder)
            argv = [sys.executable, __file__, "--one", str(clip)] + (["--config", config_path] if config_path else [])
            proc = subprocess.run(argv, capture_output=True, text=True)
            if proc.returncode != 0:
                sys.exit(f"{seconds} s clip failed:\n{proc.stderr[-2000:]}")
            r = json.loads(proc.stdout.splitlines()[-1])
            print(f"{seconds:>5}s {r['cold']:>7.2f} {r['warm']:>7.2f} {r['warm'] / r['duration']:>9.3f} "
                  f"{r['cold'] / r['duration']:>9.3f} {r['rss_mb']:>6.0f} MB {r['words']}")


# -- quality ----------------------------------------------------------------------------------------

ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen").split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
ORDINALS = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth", "nine": "ninth",
            "twelve": "twelfth"}


def number_words(n: int) -> str:
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    return str(n)


def ordinal_words(n: int) -> str:
    *head, last = number_words(n).split()
    last = ORDINALS.get(last, last[:-1] + "ieth" if last.endswith("y") else last + "th")
    return " ".join([*head, last])


def normalise(text: str) -> list[str]:
    """Words as the parser would read them, whatever way Whisper spelt numbers and times."""
    t = text.lower()
    t = re.sub(r"\b([ap])\.?\s?m\b\.?", r" \1m", t)
    t = re.sub(r"(\d)\s*([ap]m)\b", r"\1 \2", t)
    t = re.sub(r"\b(\d{1,2})[:.](\d{2})\b",
               lambda m: number_words(int(m[1])) + ("" if m[2] == "00" else " " + number_words(int(m[2]))), t)
    t = re.sub(r"\b(\d+)(st|nd|rd|th)\b", lambda m: ordinal_words(int(m[1])), t)
    t = re.sub(r"\b(\d+)\b", lambda m: number_words(int(m[1])), t)
    t = t.replace("'", "")
    return re.sub(r"[^\w\s]|_", " ", t).split()


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i in range(1, len(ref) + 1):
        diagonal, row[0] = row[0], i
        for j in range(1, len(hyp) + 1):
            above = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, diagonal + (ref[i - 1] != hyp[j - 1]))
            diagonal = above
    return row[-1]


def spoken_cases(set_path: Path, cache: Path, voice: str = "en-us") -> list[dict]:
    """The set's cases with their audio, spoken in `voice` (en-us: the same files as score_voice.py)."""
    cases = [json.loads(line) for line in set_path.read_text().splitlines() if line.strip()]
    if voice != "en-us":
        cache = cache / voice
    cache.mkdir(parents=True, exist_ok=True)
    for case in cases:
        out = cache / f"{case['id']}.oga"
        if not out.exists():
            wav = out.with_suffix(".wav")
            speak(case["text"], wav, voice)
            to_opus(wav, out)
            wav.unlink()
        case["file"] = out
    return cases


def bench_quality(args: argparse.Namespace) -> None:
    from assistant.config import Config
    from assistant.speech import NoSpeech, Speech, SpeechError
    from assistant.speech import prompt as prompt_module

    voices = args.voice.split(",")
    cases = [dict(case, id=case["id"] if len(voices) == 1 else f"{voice}:{case['id']}")
             for voice in voices for case in spoken_cases(Path(args.set), Path(args.cache), voice)]
    built_in = prompt_module.DEFAULT_PROMPT
    for beam in [int(b) for b in args.beam.split(",")]:
        for prompt_name in args.prompt.split(","):
            prompt_module.DEFAULT_PROMPT = {"default": built_in, "none": None}.get(prompt_name, prompt_name)
            config = Config()
            config.speech.engine, config.speech.model = "local", str(ROOT / "data" / "models" / "whisper-base")
            config.speech.beam_size, config.speech.language = beam, args.language
            errors = words = 0
            heard: list[dict] = []
            started = time.perf_counter()
            with Speech(config) as speech:
                for case in cases:
                    try:
                        text = speech.transcribe(case["file"]).text
                    except NoSpeech:
                        text = ""
                    except SpeechError as exc:
                        sys.exit(str(exc))
                    ref, hyp = normalise(case["text"]), normalise(text)
                    errors += edit_distance(ref, hyp)
                    words += len(ref)
                    heard.append(dict(case, text=text, file=str(case["file"])))
                    if args.verbose and ref != hyp:
                        print(f"   {case['id']}: {text!r}")
            elapsed = time.perf_counter() - started
            label = prompt_name if len(prompt_name) < 20 else prompt_name[:17] + "..."
            score = f"  {end_to_end(heard)}/{len(cases)} fully right" if args.parse else ""
            print(f"beam {beam} prompt {label:<20} WER {100 * errors / words:5.1f}% ({errors}/{words}){score}"
                  f"  {elapsed:.1f} s", flush=True)
    prompt_module.DEFAULT_PROMPT = built_in


def end_to_end(heard: list[dict]) -> int:
    """Items fully right, with the shared scorer and `assistant parse` (needs the parser installed)."""
    sys.path.insert(0, str(ROOT.parent / "shared" / "parsing"))
    from score import check, run_parser  # the shared scorer, beside the repository

    got, _ = run_parser(f"{ROOT / '.venv' / 'bin' / 'assistant'} parse", heard)
    return sum(not check(case["expect"], got.get(case["id"])) for case in heard)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wer", action="store_true", help="measure transcription quality instead of speed")
    ap.add_argument("--config", help="a config.toml to take [speech] from (speed mode)")
    ap.add_argument("--set", default=str(ROOT.parent / "shared" / "voice" / "spoken-set.jsonl"))
    ap.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "assistant-spoken-audio"))
    ap.add_argument("--beam", default="5", help="beam sizes to compare, e.g. 1,5")
    ap.add_argument("--prompt", default="default", help='comma-separated: "default", "none" or a prompt text')
    ap.add_argument("--language", default="", help='"" = detect (the default)')
    ap.add_argument("--voice", default="en-us", help="espeak-ng voices to speak the set in, e.g. en-us,en-gb")
    ap.add_argument("--parse", action="store_true", help="also score the parsed items (end to end)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each transcript that differs")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    for tool in ("espeak-ng", "ffmpeg", "sox"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (apt-get install {tool})")
    if args.one:
        print(json.dumps(measure_one(Path(args.one), args.config)))
    elif args.wer:
        bench_quality(args)
    else:
        bench_speed(args.config)


if __name__ == "__main__":
    main()
