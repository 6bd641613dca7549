#!/usr/bin/env python3
"""Draws the week picture's golden images and the README's screenshot from the sample weeks in
tests/core/week_samples.py:

    tests/core/golden/week-dst.png     clashes side by side, events across midnight and the DST night
    tests/core/golden/week-empty.png   nothing planned: free working hours only
    tests/core/golden/week-busy.png    80 events on three calendars
    docs/week.png                      an ordinary working week (README, "The week as a picture")

Run it after an intended change to the picture, look at the images, and commit them with the change:

    .venv/bin/python scripts/make_week_goldens.py [--check]

With --check nothing is written: it says which images differ from what the code draws now (the same
tolerance as the golden-image tests) and exits 1 if any does.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import week_picture  # noqa: E402
from tests.core.week_samples import SAMPLES, TOLERANCE, difference, sample_week  # noqa: E402

GOLDEN = ROOT / "tests" / "core" / "golden"
SCREENSHOT = ROOT / "docs" / "week.png"


def targets() -> dict[Path, bytes]:
    drawn = {GOLDEN / f"week-{name}.png": week_picture.render(*make()) for name, make in SAMPLES.items()}
    drawn[SCREENSHOT] = week_picture.render(*sample_week())
    return drawn


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare only; write nothing")
    args = parser.parse_args()

    stale = 0
    for path, png in targets().items():
        name = path.relative_to(ROOT)
        if args.check:
            if not path.exists():
                print(f"{name}: missing")
                stale += 1
                continue
            changed, mean = difference(path.read_bytes(), png)
            ok = changed <= TOLERANCE
            stale += not ok
            print(f"{name}: {'ok' if ok else 'DIFFERS'} ({changed:.3%} of pixels changed, mean {mean:.2f})")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(png)
            print(f"{name}: {len(png) / 1024:.0f} KB")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
