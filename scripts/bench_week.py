#!/usr/bin/env python3
"""Benchmark: the week picture of a busy week (80 events on three calendars, overlaps, all-day events).

Prints the render time (layout + drawing + PNG encoding; median and p95 over --runs, after one warm-up
that loads the font; wall clock and the thread's CPU time, which a busy shared machine inflates less), the
PNG's size, Pillow's import cost in a fresh interpreter (`python -X importtime`)
and an estimate for a Raspberry Pi-class CPU (this time × --pi-factor). Target: < 300 ms on such a CPU.

With --matplotlib (when matplotlib is installed; it is not a dependency) the same layout is also drawn
with matplotlib's Agg backend — the comparison the README's choice rests on.

    .venv/bin/python scripts/bench_week.py [--runs 30] [--events 80] [--matplotlib] [--png FILE]
    taskset -c 0 .venv/bin/python scripts/bench_week.py     # one core, as a Pi's single thread would be
"""
from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import week_picture  # noqa: E402
from tests.core.week_samples import busy_week  # noqa: E402

PI_FACTOR = 4.0
"""A Raspberry Pi 4 (Cortex-A72, 1.5–1.8 GHz) runs single-threaded Python and zlib roughly 3–5× slower
than one core of a current x86 server; 4 is the middle of that range."""


CPU: list[float] = []
"""The CPU time (ms) of the last `timed` runs: on a shared machine the wall clock also counts waiting."""


def timed(function, runs: int) -> list[float]:
    function()                                                   # warm-up: fonts, caches
    times, CPU[:] = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.thread_time()
        function()
        times.append((time.perf_counter() - started) * 1000)
        CPU.append((time.thread_time() - cpu) * 1000)
    CPU.sort()
    return sorted(times)


def p95(values: list[float]) -> float:
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def import_cost(code: str, runs: int = 5) -> float:
    """The median cumulative import time (ms) of `code`'s new top-level modules in a fresh interpreter."""
    def top_level(source: str) -> dict[str, int]:
        err = subprocess.run([sys.executable, "-X", "importtime", "-c", source], capture_output=True,
                             text=True).stderr
        found = {}
        for line in err.splitlines():
            if line.startswith("import time:") and "cumulative" not in line:
                _, cumulative, name = line.split("|", 2)
                if not name.startswith("  "):                    # " name": imported at top level
                    found[name.strip()] = int(cumulative)
        return found

    base = top_level("pass")
    return statistics.median(sum(v for k, v in top_level(code).items() if k not in base) / 1000
                             for _ in range(runs))


def matplotlib_draw(plan: week_picture.Layout) -> bytes:
    """The same layout drawn with matplotlib (Agg): grid, blocks with clipped titles, band, free, now."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch, Rectangle

    width, height = plan.view.size
    figure = Figure(figsize=(width / 100, height / 100), dpi=100, facecolor="#111418")
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(height, 0)
    axes.axis("off")
    x0, y0, x1, y1 = plan.grid
    for column in plan.columns:
        axes.add_patch(Rectangle((column.x0, y0), column.x1 - column.x0, y1 - y0, color="#151920"))
        axes.text((column.x0 + column.x1) / 2, week_picture.HEADER + 30, f"{column.day:%a %d %b}",
                  color="#e8ecf1", fontsize=14, fontweight="bold", ha="center")
    for hour in range(plan.first_hour, plan.last_hour + 1):
        axes.plot((x0, x1), (plan.y(hour), plan.y(hour)), color="#2f3742", linewidth=1)
        axes.text(x0 - 10, plan.y(hour), f"{hour:02d}:00", color="#949eaa", fontsize=11, ha="right", va="center")
    for free in plan.free:
        fx0, fy0, fx1, fy1 = free.box
        axes.add_patch(Rectangle((fx0, fy0), fx1 - fx0, fy1 - fy0, color="#34d399", alpha=0.13))
    for block in plan.blocks:
        bx0, by0, bx1, by1 = block.box
        patch = FancyBboxPatch((bx0, by0), bx1 - bx0, by1 - by0, boxstyle="round,pad=0,rounding_size=5",
                               facecolor=block.colour, edgecolor="#ff5252" if block.conflict else block.colour,
                               linewidth=2 if block.conflict else 0)
        axes.add_patch(patch)
        text = axes.text(bx0 + 5, by0 + 3, block.entry.title, color="white", fontsize=12, va="top")
        text.set_clip_path(patch)
    for bar in plan.bars:
        if bar.box is not None:
            bx0, by0, bx1, by1 = bar.box
            patch = FancyBboxPatch((bx0, by0), bx1 - bx0, by1 - by0, boxstyle="round,pad=0,rounding_size=5",
                                   facecolor=bar.colour, linewidth=0)
            axes.add_patch(patch)
            axes.text(bx0 + 6, (by0 + by1) / 2, bar.entry.title, color="white", fontsize=12,
                      va="center").set_clip_path(patch)
    if plan.now_line is not None:
        nx0, nx1, ny = plan.now_line
        axes.plot((nx0, nx1), (ny, ny), color="#ff7a45", linewidth=3)
    axes.text(16, 30, plan.view.title, color="#e8ecf1", fontsize=20, fontweight="bold", va="center")
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=100, facecolor=figure.get_facecolor())
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--events", type=int, default=80)
    parser.add_argument("--matplotlib", action="store_true", help="also time the same picture drawn with matplotlib")
    parser.add_argument("--pi-factor", type=float, default=PI_FACTOR,
                        help=f"how many times slower a Raspberry Pi-class CPU is (default {PI_FACTOR})")
    parser.add_argument("--png", metavar="FILE", help="write the picture here")
    args = parser.parse_args()

    entries, zone, view, now = busy_week(args.events)
    png = week_picture.render(entries, zone, view, now)
    total = timed(lambda: week_picture.render(entries, zone, view, now), args.runs)
    total_cpu = list(CPU)
    plan = week_picture.layout(entries, zone, view, now)
    layout = timed(lambda: week_picture.layout(entries, zone, view, now), args.runs)
    drawing = timed(lambda: week_picture.draw(plan), args.runs)
    if args.png:
        Path(args.png).write_bytes(png)

    print(f"busy week: {len(entries)} events, {view.size[0]}×{view.size[1]} px, {args.runs} runs")
    print(f"Pillow render: median {statistics.median(total):.1f} ms, p95 {p95(total):.1f} ms "
          f"(layout {statistics.median(layout):.1f} ms, drawing + PNG {statistics.median(drawing):.1f} ms); "
          f"CPU median {statistics.median(total_cpu):.1f} ms, p95 {p95(total_cpu):.1f} ms; "
          f"PNG {len(png) / 1024:.0f} KB")
    print(f"Pillow import: {import_cost('import PIL.Image, PIL.ImageDraw, PIL.ImageFont'):.0f} ms")
    estimate = statistics.median(total_cpu) * args.pi_factor
    print(f"Raspberry Pi-class CPU (CPU time ×{args.pi_factor:g}): ~{estimate:.0f} ms median, "
          f"~{p95(total_cpu) * args.pi_factor:.0f} ms p95 — target < 300 ms: {'met' if estimate < 300 else 'NOT met'}")
    if args.matplotlib:
        try:
            import matplotlib
        except ImportError:
            print("matplotlib: not installed (pip install matplotlib to compare)")
            return 0
        matplotlib.use("Agg")
        mpl_png = matplotlib_draw(plan)
        mpl = timed(lambda: matplotlib_draw(plan), args.runs)
        mpl_cpu = list(CPU)
        cost = import_cost("import matplotlib; matplotlib.use('Agg'); from matplotlib.figure import Figure; "
                           "from matplotlib.backends.backend_agg import FigureCanvasAgg")
        print(f"matplotlib {matplotlib.__version__} drawing + PNG (same layout, fewer details): "
              f"median {statistics.median(mpl):.1f} ms, p95 {p95(mpl):.1f} ms (CPU median "
              f"{statistics.median(mpl_cpu):.1f} ms); PNG {len(mpl_png) / 1024:.0f} KB; import {cost:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
