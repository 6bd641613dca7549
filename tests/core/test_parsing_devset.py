"""The shared development set, scored in-process like ../shared/parsing/score.py does."""
import json
import sys
from datetime import datetime
from pathlib import Path

import pytest

from assistant.core.parsing import parse

SET = Path(__file__).resolve().parents[3] / "shared" / "parsing"


@pytest.mark.skipif(not (SET / "dev-set.jsonl").exists(), reason="shared dev set not present")
def test_dev_set_score():
    sys.path.insert(0, str(SET))
    try:
        from score import check
    finally:
        sys.path.remove(str(SET))
    cases = [json.loads(line) for line in (SET / "dev-set.jsonl").read_text().splitlines() if line.strip()]
    wrong = []
    for case in cases:
        item = parse(case["text"], datetime.fromisoformat(case["now"]), case["tz"])
        misses = check(case["expect"], item.to_dict())
        if misses:
            wrong.append((case["id"], misses))
    english = [c for c in cases if c.get("lang", "en") == "en"]
    assert len(english) - sum(1 for cid, _ in wrong if cid in {c["id"] for c in english}) >= len(english) - 2, wrong
    assert not [w for w in wrong if w[0] not in {c["id"] for c in english}], wrong
