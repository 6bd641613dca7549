#!/usr/bin/env python3
"""Score a language-model server on the development set, next to the offline parser and both combined.

    .venv/bin/python scripts/bench_llm.py --base-url http://127.0.0.1:11434/v1 --model qwen2.5:3b
    .venv/bin/python scripts/bench_llm.py --base-url https://api.openai.com/v1 --model gpt-4o-mini --api-key sk-…

Every request of `../shared/parsing/dev-set.jsonl` (English ones; `--all` adds the others) is read three
ways, each against the case's own `now` and zone:

  offline    the offline parser alone (what `[llm]` empty gives)
  model      the model alone: its phrases resolved by the offline parser's resolver, as the assistant
             does (a failed request counts as wrong)
  combined   the assistant's pipeline in `--mode` (default fallback): offline first, the model when the
             offline reading is unsure, forwarded, long, several requests or another language

and compared with the expected item field by field, as `../shared/parsing/score.py` does ("fully right":
every field it checks matches). Prints, for each way: fully right, p50 and p95 latency per request, and
for the model the tokens per request, how many requests failed, and which structured-output path the
server took. The model is asked once per text; "combined" reuses that answer when it asks.
`--json` prints the figures as one JSON object instead; `--show-wrong` lists what each way got wrong.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.core.item import Item  # noqa: E402
from assistant.errors import UnderstandingError  # noqa: E402
from assistant.llm import LlmReader  # noqa: E402
from assistant.understanding import Context, OfflineReader, Reading, Understanding  # noqa: E402

DEFAULT_SET = ROOT.parent / "shared" / "parsing" / "dev-set.jsonl"


# -- "fully right", as ../shared/parsing/score.py compares (kept in step with it by hand) --------------

def parse_when(value: Any) -> date | datetime | None:
    if value is None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else None  # a naive time never matches


def same_when(want: Any, got: Any) -> bool:
    try:
        w, g = parse_when(want), parse_when(got)
    except (TypeError, ValueError):
        return False
    if w is None or g is None:
        return w is None and g is None
    return type(w) is type(g) and w == g


def words(text: Any) -> set[str]:
    return set(re.findall(r"[\w']+", (text or "").lower()))


def title_ok(want: str, got: Any) -> bool:
    w, g = words(want), words(got)
    if not w:
        return True
    overlap = len(w & g)
    if not overlap:
        return False
    precision, recall = overlap / len(g), overlap / len(w)
    return 2 * precision * recall / (precision + recall) >= 0.5


def attendees_ok(want: list[str], got: Any) -> bool:
    got_l = [str(x).lower() for x in (got or [])]
    return all(any(w.lower() in g for g in got_l) for w in want)


def recurrence_ok(want: Any, got: Any, start: Any) -> bool:
    if not want or not got:
        return not want and not got
    from dateutil.rrule import rrulestr

    try:
        first = parse_when(start)
        if isinstance(first, date) and not isinstance(first, datetime):
            first = datetime(first.year, first.month, first.day)
        a = rrulestr(want.removeprefix("RRULE:"), dtstart=first)
        b = rrulestr(str(got).removeprefix("RRULE:"), dtstart=first)
        return list(a.xafter(first, count=12, inc=True)) == list(b.xafter(first, count=12, inc=True))
    except (ValueError, TypeError):
        return False


def check(expect: dict[str, Any], got: Any) -> list[str]:
    """The names of the fields that are wrong (empty: fully right)."""
    if not isinstance(got, dict):
        return ["output"]
    wrong = []
    if got.get("kind") != expect["kind"]:
        wrong.append("kind")
    if expect.get("needs_clarification"):
        if not got.get("needs_clarification"):
            wrong.append("needs_clarification")
        if got.get("start") is not None:
            wrong.append("start")
        return wrong
    if not same_when(expect.get("start"), got.get("start")):
        wrong.append("start")
    if "end" in expect and expect["kind"] in ("event", "query", "find_time") and not same_when(expect["end"], got.get("end")):
        wrong.append("end")
    if expect.get("start") is not None and bool(got.get("all_day")) != expect.get("all_day", False):
        wrong.append("all_day")
    if not attendees_ok(expect.get("attendees", []), got.get("attendees")):
        wrong.append("attendees")
    if expect.get("location") and expect["location"].lower() not in str(got.get("location") or "").lower():
        wrong.append("location")
    if expect.get("title") and not title_ok(expect["title"], got.get("title")):
        wrong.append("title")
    if "recurrence" in expect and not recurrence_ok(expect["recurrence"], got.get("recurrence"), expect.get("start")):
        wrong.append("recurrence")
    if "duration_minutes" in expect and got.get("duration_minutes") != expect["duration_minutes"]:
        wrong.append("duration_minutes")
    return wrong


# -- the three ways ---------------------------------------------------------------------------------

@dataclass
class Way:
    name: str
    right: int = 0
    cases: int = 0
    seconds: list[float] = field(default_factory=list)
    wrong: list[tuple[str, str, list[str]]] = field(default_factory=list)

    def score(self, case: dict[str, Any], items: list[Item], seconds: float) -> None:
        self.cases += 1
        self.seconds.append(seconds)
        got = items[0].to_dict() if items else None
        misses = check(case["expect"], got)
        if misses:
            self.wrong.append((case["id"], case["text"], misses))
        else:
            self.right += 1

    def figures(self) -> dict[str, Any]:
        ms = sorted(1000 * s for s in self.seconds)
        return {"fully_right": self.right, "cases": self.cases,
                "percent": round(100 * self.right / max(1, self.cases), 1),
                "p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1)}


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


class Answered:
    """The model's answers from the "model" run, served again to the combined pipeline (with their time)."""

    name = "llm"

    def __init__(self, reader: LlmReader, answers: dict[str, tuple[Reading | UnderstandingError, float]]):
        self.reader = reader
        self.answers = answers
        self.asked = 0
        self.seconds = 0.0

    def wants(self, text: str, context: Context, first: Reading) -> bool:
        return self.reader.wants(text, context, first)

    def read(self, text: str, context: Context) -> Reading:
        self.asked += 1
        answer, seconds = self.answers[text]
        self.seconds += seconds
        if isinstance(answer, UnderstandingError):
            raise answer
        return answer

    def edit(self, item: Item, text: str, context: Context) -> Item | None:
        return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base-url", required=True, help="the OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1")
    ap.add_argument("--model", required=True)
    ap.add_argument("--api-key", default="", help="empty for local servers that need none")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per request (default 60)")
    ap.add_argument("--mode", choices=("fallback", "always"), default="fallback", help="for the combined way")
    ap.add_argument("--set", default=str(DEFAULT_SET), help="a JSONL set (default ../shared/parsing/dev-set.jsonl)")
    ap.add_argument("--all", action="store_true", help="include the stretch cases in other languages")
    ap.add_argument("--limit", type=int, default=0, help="only the first N cases")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--show-wrong", action="store_true", help="list each way's wrong cases")
    args = ap.parse_args()

    path = Path(args.set)
    if not path.is_file():
        print(f"no development set at {path} (pass --set)", file=sys.stderr)
        return 2
    cases = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    if not args.all:
        cases = [c for c in cases if c.get("lang", "en") == "en"]
    if args.limit:
        cases = cases[:args.limit]

    reader = LlmReader(base_url=args.base_url, model=args.model, api_key=args.api_key, timeout=args.timeout,
                       mode=args.mode)
    offline, model, combined = Way("offline"), Way("model"), Way(f"combined ({args.mode})")
    tokens: list[int] = []
    failures: Counter[str] = Counter()
    paths: Counter[str] = Counter()
    answers: dict[str, tuple[Reading | UnderstandingError, float]] = {}
    offline_reader = OfflineReader()
    for number, case in enumerate(cases, 1):
        context = Context(now=datetime.fromisoformat(case["now"]), zone=ZoneInfo(case["tz"]))
        text = case["text"]

        started = time.perf_counter()
        reading = offline_reader.read(text, context)
        offline.score(case, reading.items, time.perf_counter() - started)

        reader.resume()  # the bench measures every request, even after a failure
        started = time.perf_counter()
        try:
            answer: Reading | UnderstandingError = reader.read(text, context)
            items = answer.items
        except UnderstandingError as exc:
            answer, items = exc, []
            failures[type(exc).__name__] += 1
        seconds = time.perf_counter() - started
        answers[text] = (answer, seconds)
        model.score(case, items, seconds)
        if reader.last is not None:
            tokens.append(reader.last.prompt_tokens + reader.last.completion_tokens)
            paths[reader.last.path] += 1
        if not args.json:
            print(f"\r{number}/{len(cases)}", end="", file=sys.stderr, flush=True)

    served = Answered(reader, answers)
    pipeline = Understanding([OfflineReader(), served])
    for case in cases:
        context = Context(now=datetime.fromisoformat(case["now"]), zone=ZoneInfo(case["tz"]))
        before = served.seconds
        started = time.perf_counter()
        items = pipeline.read(case["text"], context)
        own = time.perf_counter() - started  # the offline part and the pipeline itself
        combined.score(case, items, own + served.seconds - before)

    figures = {
        "server": args.base_url, "model_name": args.model, "cases": len(cases),
        "offline": offline.figures(), "model": model.figures(), "combined": combined.figures(),
        "model_tokens_per_request": round(statistics.mean(tokens), 1) if tokens else 0,
        "model_failures": dict(failures), "model_paths": dict(paths), "combined_asked_model": served.asked,
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(file=sys.stderr)
        print(f"{len(cases)} requests from {path.name}; model {args.model} at {args.base_url}")
        print(f"{'':22}{'fully right':>16}{'p50':>10}{'p95':>10}")
        for way in (offline, model, combined):
            f = way.figures()
            print(f"{way.name:22}{f['fully_right']:>6}/{f['cases']:<3} {f['percent']:5.1f}%"
                  f"{f['p50_ms']:>8.1f}ms{f['p95_ms']:>8.1f}ms")
        print(f"model: {figures['model_tokens_per_request']} tokens per request; paths {dict(paths) or '-'}; "
              f"failures {dict(failures) or 'none'}; combined asked it for {served.asked} of {len(cases)}")
    if args.show_wrong:
        for way in (offline, model, combined):
            print(f"\n{way.name}: {len(way.wrong)} wrong")
            for case_id, text, misses in way.wrong:
                print(f"  {case_id} {text!r}: {', '.join(misses)}")
    reader.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
