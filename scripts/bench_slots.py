#!/usr/bin/env python3
"""Benchmark: conflicts and the best 5 free slots over 5 calendars × 2,000 events for a two-week window.

Reads through the same path the preview uses: the calendar cache in SQLite (filled by a real sync of
five .ics calendars, recurring series included) plus the built-in calendar → `Calendars.busy` →
`conflicts` and `find_slots`. Prints median and p99 in milliseconds. Target: median ≤ 20 ms.

    .venv/bin/python scripts/bench_slots.py [--events 2000] [--calendars 5] [--runs 200]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.calendars import Calendars  # noqa: E402
from assistant.config import CalendarSection, Config  # noqa: E402
from assistant.core.item import Item, Kind  # noqa: E402
from assistant.core.slots import conflicts, find_slots  # noqa: E402
from assistant.store import Store  # noqa: E402

ZONE_NAME = "Europe/Berlin"


def make_ics(index: int, count: int, now: datetime, rng: random.Random, spread: int) -> str:
    """`count` events over `spread` days around now: 10 % weekly or daily series, some all-day, some free."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//bench//cal{index}//EN"]
    for n in range(count):
        day = now + timedelta(days=rng.randint(-spread // 2, spread // 2))
        start = day.replace(hour=rng.randint(7, 19), minute=rng.choice((0, 15, 30, 45)), second=0, microsecond=0)
        lines += ["BEGIN:VEVENT", f"UID:bench-{index}-{n}", "DTSTAMP:20250101T000000Z"]
        if rng.random() < 0.03:
            lines += [f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{start + timedelta(days=1):%Y%m%d}",
                      "TRANSP:TRANSPARENT"]
        else:
            end = start + timedelta(minutes=rng.choice((15, 30, 45, 60, 90, 120)))
            lines += [f"DTSTART;TZID={ZONE_NAME}:{start:%Y%m%dT%H%M%S}", f"DTEND;TZID={ZONE_NAME}:{end:%Y%m%dT%H%M%S}"]
        if rng.random() < 0.10:
            lines.append(rng.choice(("RRULE:FREQ=WEEKLY;COUNT=20", "RRULE:FREQ=DAILY;COUNT=10",
                                     "RRULE:FREQ=WEEKLY;BYDAY=MO,WE")))
        if rng.random() < 0.05:
            lines.append("TRANSP:TRANSPARENT")
        lines += [f"SUMMARY:Meeting {n}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--calendars", type=int, default=5)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--spread-days", type=int, default=730,
                        help="days the events are spread over, centred on today (the cache keeps -30..+180); "
                             "210 packs all of them into the cached window: every working hour is taken")
    args = parser.parse_args()
    rng = random.Random(42)
    folder = Path(tempfile.mkdtemp(prefix="bench-slots-"))
    config = Config()
    config.assistant.timezone = ZONE_NAME
    config.path = folder / "config.toml"
    zone = config.zone
    now = datetime.now(zone).replace(hour=8, minute=0, second=0, microsecond=0)
    for i in range(args.calendars):
        path = folder / f"cal{i}.ics"
        path.write_text(make_ics(i, args.events, now, rng, args.spread_days))
        config.calendars.append(CalendarSection(name=f"cal{i}", type="ics", url=str(path)))
    store = Store(folder / "assistant.db")
    calendars = Calendars(config, store)
    for n in range(100):  # the built-in calendar takes part too, a few series among its events
        start = now + timedelta(days=rng.randint(-10, 30), hours=rng.randint(1, 9))
        calendars.write("local", "create", Item(kind=Kind.EVENT, title=f"Local {n}", start=start,
                                                end=start + timedelta(minutes=45),
                                                recurrence="FREQ=WEEKLY" if n % 10 == 0 else None))
    began = time.perf_counter()
    calendars.sync(now=now)
    sync_seconds = time.perf_counter() - began
    rows = store.cache.count()

    window_start, window_end = now, now + timedelta(days=14)
    prefs = calendars.prefs()
    request = Item(kind=Kind.EVENT, title="Bench", start=now + timedelta(days=2, hours=3),
                   end=now + timedelta(days=2, hours=4))
    timings, timings_preview, found = [], [], 0
    for _ in range(args.runs):
        t0 = time.perf_counter()
        busy = calendars.busy(window_start, window_end)
        clashes = conflicts(request.start, request.end, busy)
        slots = find_slots(busy, window_start, window_end, timedelta(minutes=30), prefs, now, limit=5)
        timings.append((time.perf_counter() - t0) * 1000)
        t1 = time.perf_counter()
        calendars.conflicts_and_alternatives(request, now)
        timings_preview.append((time.perf_counter() - t1) * 1000)
        found = len(busy)
    print(f"{args.calendars} calendars × {args.events} events over {args.spread_days} days (+100 local); "
          f"cache rows: {rows}; "
          f"sync (parse+expand+store): {sync_seconds:.1f} s")
    print(f"two-week window: {found} busy intervals, {len(clashes)} conflicts, {len(slots)} slots")
    print(f"busy → conflicts → best 5 slots:   median {statistics.median(timings):.2f} ms, "
          f"p99 {percentile(timings, 99):.2f} ms  ({args.runs} runs)")
    print(f"conflicts_and_alternatives (preview): median {statistics.median(timings_preview):.2f} ms, "
          f"p99 {percentile(timings_preview, 99):.2f} ms")
    store.close()
    return 0 if statistics.median(timings) <= 20 else 1


if __name__ == "__main__":
    raise SystemExit(main())
