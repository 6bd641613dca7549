"""scripts/bench_llm.py runs against a server and prints the three ways' figures."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.fakes.openai_server import FakeOpenAI

ROOT = Path(__file__).resolve().parents[2]
CASES = [
    {"id": "a", "now": "2026-03-10T09:00:00+01:00", "tz": "Europe/Berlin", "text": "Lunch with Anna tomorrow at 1pm",
     "expect": {"kind": "event", "start": "2026-03-11T13:00:00+01:00", "end": "2026-03-11T14:00:00+01:00",
                "all_day": False, "title": "Lunch with Anna", "attendees": ["Anna"], "recurrence": None}},
    {"id": "b", "now": "2026-03-10T09:00:00+01:00", "tz": "Europe/Berlin", "text": "Remind me to call mom at 6pm",
     "expect": {"kind": "reminder", "start": "2026-03-10T18:00:00+01:00", "title": "Call mom"}},
    {"id": "c", "now": "2026-03-10T09:00:00+01:00", "tz": "Europe/Berlin", "text": "asdfgh",
     "expect": {"kind": "unknown", "start": None}},
]


def test_the_bench_scores_offline_model_and_combined(fake: FakeOpenAI, tmp_path: Path) -> None:
    dev_set = tmp_path / "set.jsonl"
    dev_set.write_text("".join(json.dumps(c) + "\n" for c in CASES))
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_llm.py"), "--base-url", fake.base_url,
                             "--model", "echo", "--api-key", fake.api_key, "--set", str(dev_set), "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["offline"]["fully_right"] == 3 and figures["model"]["cases"] == 3
    assert figures["model_paths"] == {"json_schema": 3} and figures["model_tokens_per_request"] > 0
    assert figures["combined"]["cases"] == 3 and figures["model"]["p95_ms"] >= figures["model"]["p50_ms"] > 0
    assert len(fake.chat_calls) == 3  # the combined way reuses the model's answers
