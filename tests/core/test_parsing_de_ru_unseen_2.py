"""A second held-out set of German and Russian requests (tests/core/unseen-set-de-ru-2.jsonl).

Written from the README rules before the German and Russian tables or the first set were read,
by new personas: an Austrian and a Swiss speaker (Jänner, Feber, heuer, z'Mittag, dreiviertel 5),
a terse Berlin office worker (Mo 10h, KW 14), German e-mail snippets, a Russian student in chat
spelling, a Russian grandmother dictating and a Russian manager (rescheduling, cancelling, free
time). Scored before the parser was changed for it; the floor sits near the score reached.
Cases are scored like ../shared/parsing/score.py does, with `more` (later items) and `edits`
(replies applied in turn), as in test_parsing_de_ru_unseen.py.

Run as a script to print the score by language and category:
`python tests/core/test_parsing_de_ru_unseen_2.py`.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from assistant.core.parsing import apply_edit, parse, parse_all

HERE = Path(__file__).resolve().parent
SET = HERE / "unseen-set-de-ru-2.jsonl"
SCORER = HERE.parents[2] / "shared" / "parsing"
FLOOR = 0.0


def _scorer_check():
    sys.path.insert(0, str(SCORER))
    try:
        from score import check
    finally:
        sys.path.remove(str(SCORER))
    return check


def cases() -> list[dict]:
    return [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line.strip()]


def score_case(case: dict, check) -> list[str]:
    """The names of what is wrong with the parser's answer to one case (empty: fully right)."""
    now = datetime.fromisoformat(case["now"])
    tz = case["tz"]
    if case.get("edits"):
        item = parse(case["text"], now, tz)
        for reply in case["edits"]:
            edited = apply_edit(item, reply, now, tz)
            if edited is None:
                return ["not an edit"]
            item = edited
        return check(case["expect"], item.to_dict())
    items = parse_all(case["text"], now, tz)
    wrong = check(case["expect"], items[0].to_dict())
    more = case.get("more", [])
    if more:
        if len(items) != len(more) + 1:
            wrong.append(f"{len(items)} items")
        else:
            for n, (want, item) in enumerate(zip(more, items[1:]), 2):
                wrong += [f"#{n}.{w}" for w in check(want, item.to_dict())]
    return wrong


def report() -> tuple[float, dict[str, tuple[int, int]], list[str]]:
    check = _scorer_check()
    right, total = Counter(), Counter()
    failures = []
    for case in cases():
        wrong = score_case(case, check)
        key = f"{case['lang']} {case['category']}"
        total[key] += 1
        total[case["lang"]] += 1
        if wrong:
            failures.append(f"{case['id']} {case['text']!r} {case.get('edits') or ''}: {', '.join(wrong)}")
        else:
            right[key] += 1
            right[case["lang"]] += 1
    overall = (right["de"] + right["ru"]) / (total["de"] + total["ru"])
    return overall, {k: (right[k], total[k]) for k in sorted(total)}, failures


@pytest.mark.skipif(not (SCORER / "score.py").exists(), reason="shared scorer not present")
def test_de_ru_set_2_floor():
    overall, _, failures = report()
    assert overall >= FLOOR, f"{overall:.1%} < {FLOOR:.0%}; failing:\n" + "\n".join(failures)


def test_de_ru_set_2_is_well_formed():
    ids = set()
    langs = Counter()
    for case in cases():
        assert case["id"] not in ids and case["category"]
        ids.add(case["id"])
        langs[case["lang"]] += 1
        datetime.fromisoformat(case["now"])
        assert {"kind", "start"} <= set(case["expect"])
    assert langs["de"] >= 80 and langs["ru"] >= 80


if __name__ == "__main__":
    overall, by_key, failures = report()
    print("\n".join(failures))
    for key, (r, t) in by_key.items():
        print(f"{key:<16} {r:3d}/{t:<3d} {100 * r / t:5.1f}%")
    print(f"overall          {100 * overall:.1f}%")
