#!/usr/bin/env python3
"""Benchmark the Telegram bot: requests through the fake Bot API into a real `assistant run` process.

    .venv/bin/python scripts/bench_bot.py [--requests 1000] [--no-create]

Starts tests/fakes/bot_api.py on 127.0.0.1, writes a temporary config pointing at it, runs
`python -m assistant run` as a subprocess (no speech model is loaded: no voice notes are sent), then sends
the requests one after another as the owner. For each it measures the time from the update leaving the
fake server (the getUpdates answer that carried it) to the preview's sendMessage arriving there, and
(unless --no-create) taps Create on the preview, so the built-in calendar fills up as in real use.
Prints p50 / p90 / p99 / max in milliseconds and the bot process's peak RSS (VmHWM).
Targets on the reference machine: p50 ≤ 50 ms, p99 ≤ 250 ms, RSS ≤ 150 MB.
"""
from __future__ import annotations

import argparse
import itertools
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.bot_api import TOKEN, FakeBotApi, user  # noqa: E402

OWNER = user(424242, "Olga")
REQUESTS = [
    "Lunch with Anna tomorrow at 1pm",
    "Call Boris on Friday at 3pm for 30 minutes",
    "Dentist next Tuesday at 8:15",
    "Team sync every Monday at 10am",
    "Remind me to pay rent on the 1st of every month",
    "Meeting with Carla and Dan on Wednesday at 11 at the office",
    "Note: ideas for the Q3 offsite",
    "Coffee with Eva in two days at 9:30",
    "Review the contract on Thursday from 2pm to 4pm",
    "Flight to Berlin on Saturday at 7am",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--no-create", action="store_true", help="only previews; never tap Create")
    args = parser.parse_args()

    with FakeBotApi() as api, tempfile.TemporaryDirectory(prefix="bench-bot-") as folder:
        config = Path(folder) / "config.toml"
        config.write_text(f"""[assistant]
timezone = "Europe/Berlin"
data_dir = "data"
[telegram]
token = "{TOKEN}"
owner_id = {OWNER["id"]}
base_url = "{api.base_url}"
base_file_url = "{api.base_file_url}"
""", encoding="utf-8")
        log = open(Path(folder) / "bot.log", "w", encoding="utf-8")
        bot = subprocess.Popen([sys.executable, "-m", "assistant", "--config", str(config), "run"],
                               stdout=log, stderr=log, cwd=folder)
        try:
            api.wait_for("setMyCommands", timeout=60)
            texts = itertools.cycle(REQUESTS)
            for _ in range(args.warmup):
                exchange(api, next(texts), not args.no_create)
            started = time.monotonic()
            latencies = [exchange(api, next(texts), not args.no_create) for _ in range(args.requests)]
            elapsed = time.monotonic() - started
            peak = peak_rss_mb(bot.pid)
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(timeout=30)
            log.close()
    report(latencies, elapsed, peak, bot.returncode)
    return 0


def exchange(api: FakeBotApi, text: str, create: bool) -> float:
    """One request: returns milliseconds from the update's delivery to the preview's arrival."""
    mark = api.mark()
    update_id = api.send_text(OWNER, text)
    preview = api.wait_for("sendMessage", after=mark, timeout=30)
    delivered = api.state.delivered_at[update_id]
    latency = (preview.at - delivered) * 1000
    if create and any("Create" in label for label in preview.labels):
        mark = api.mark()
        api.press(preview, "Create")
        api.wait_for("editMessageText", after=mark, timeout=30)
    return latency


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(latencies: list[float], elapsed: float, peak: float, code: int | None) -> None:
    print(f"requests: {len(latencies)} in {elapsed:.1f} s ({os.cpu_count()} CPUs)")
    print(f"update delivered → preview sent: p50 {percentile(latencies, 0.50):.1f} ms · "
          f"p90 {percentile(latencies, 0.90):.1f} ms · p99 {percentile(latencies, 0.99):.1f} ms · "
          f"max {max(latencies):.1f} ms · mean {statistics.fmean(latencies):.1f} ms")
    print(f"bot peak RSS: {peak:.1f} MB (no speech model loaded); exit code {code}")


if __name__ == "__main__":
    sys.exit(main())
