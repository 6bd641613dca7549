#!/usr/bin/env python3
"""Time the offline parser against dateparser's search_dates on the same texts, in one process.

    .venv/bin/python scripts/bench_parse.py [DEV_SET.jsonl] [--rounds N]

Prints per-request median and p99 and requests/s for both, and the ratio of the rates.
Reads ../shared/parsing/dev-set.jsonl by default; falls back to a few embedded texts.
dateparser is a benchmark-only dependency (`pip install .[bench]`).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.core.parsing import parse  # noqa: E402

DEFAULT_SET = ROOT.parent / "shared" / "parsing" / "dev-set.jsonl"
NOW = datetime.fromisoformat("2026-03-10T09:00:00+01:00")
TZ = "Europe/Berlin"
FALLBACK = [
    "Lunch with Anna tomorrow at 1pm", "Meeting with Boris on Friday at 10:30 for 45 minutes",
    "Remind me to call mom at 6pm", "What do I have tomorrow?", "Cancel my 3pm meeting",
    "Gym every Monday and Thursday at 7am", "Conference in Lisbon March 24 to 26",
    "Call with investors at 9am Pacific on Thursday", "Note: ideas for the offsite",
    "Push my 3pm call to 4:30", "Find a 30 minute slot with Boris this week", "asdfgh",
]


def load_texts(path: Path) -> list[str]:
    if not path.exists():
        print(f"{path} not found; using {len(FALLBACK)} embedded texts", file=sys.stderr)
        return FALLBACK
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [json.loads(line)["text"] for line in lines]


def measure(fn: Callable[[str], object], texts: list[str], rounds: int) -> list[float]:
    """Seconds per call, one sample per text per round (after one warm-up round)."""
    for text in texts:
        fn(text)
    samples = []
    for _ in range(rounds):
        for text in texts:
            t0 = time.perf_counter()
            fn(text)
            samples.append(time.perf_counter() - t0)
    return samples


def report(name: str, samples: list[float]) -> float:
    ordered = sorted(samples)
    median = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    rate = len(ordered) / sum(ordered)
    print(f"{name:<28} median {median * 1000:8.3f} ms   p99 {p99 * 1000:8.3f} ms   {rate:10.0f} requests/s")
    return rate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("set", nargs="?", default=str(DEFAULT_SET))
    ap.add_argument("--rounds", type=int, default=50, help="rounds for the offline parser")
    ap.add_argument("--dateparser-rounds", type=int, default=3)
    args = ap.parse_args()
    texts = load_texts(Path(args.set))
    print(f"{len(texts)} texts, now={NOW.isoformat()}, tz={TZ}")
    ours = report("assistant.core.parsing", measure(lambda t: parse(t, NOW, TZ), texts, args.rounds))
    try:
        from dateparser.search import search_dates
    except ImportError:
        print("dateparser not installed (pip install .[bench]); skipping the comparison")
        return
    settings = {"RELATIVE_BASE": NOW.replace(tzinfo=None), "TIMEZONE": TZ,
                "RETURN_AS_TIMEZONE_AWARE": True, "PREFER_DATES_FROM": "future"}
    theirs = report("dateparser.search_dates",
                    measure(lambda t: search_dates(t, settings=settings), texts, args.dateparser_rounds))
    print(f"ratio: {ours / theirs:.0f}x dateparser's rate")


if __name__ == "__main__":
    main()
