"""The scoring harness shared by the held-out parser sets (tests/core/unseen-*.jsonl).

Each case is scored like ../shared/parsing/score.py does (its `check`), plus what that scorer
has no field for:

  edits        replies applied in turn with `apply_edit` (as `assistant parse --edit`)
  expect_none  the last reply is neither an edit nor a request: `apply_edit` gives None
               (the replies before it must still be edits)
  more         the items after the first (`parse_all`), in order
  single       exactly one item (with `one_item=True`, every case without `more` must be one)

A set's own stricter checks (exact attendees, zones, questions, ...) come in as `extra`, called
as `extra(expect, got)` for every item compared, and add the names they return.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from assistant.core.parsing import apply_edit, parse, parse_all

HERE = Path(__file__).resolve().parent
SCORER = HERE.parents[2] / "shared" / "parsing"

Check = Callable[[dict, dict], list[str]]
Extra = Callable[[dict, dict], list[str]]
FIELDS = frozenset({"kind", "start", "attendees", "recurrence"})

needs_scorer = pytest.mark.skipif(not (SCORER / "score.py").exists(), reason="shared scorer not present")


def scorer_check() -> Check:
    """The shared scorer's `check(expect, got)`, imported from ../shared/parsing/score.py."""
    sys.path.insert(0, str(SCORER))
    try:
        from score import check
    finally:
        sys.path.remove(str(SCORER))
    return check


def load(*paths: Path) -> list[dict]:
    """The cases of one or more JSONL files, in order (blank lines skipped)."""
    return [json.loads(line) for path in paths
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def exact_attendees(expect: dict, got: dict) -> list[str]:
    """With `attendees_exact` in `expect`, the attendees must be exactly these (any case)."""
    if not expect.get("attendees_exact"):
        return []
    want = sorted(str(a).lower() for a in expect["attendees"])
    return [] if sorted(str(a).lower() for a in got.get("attendees") or []) == want else ["attendees_exact"]


def _compare(check: Check, extra: Extra | None, expect: dict, got: dict) -> list[str]:
    return check(expect, got) + (extra(expect, got) if extra else [])


def score_case(case: dict, check: Check, extra: Extra | None = None, *, one_item: bool = False) -> list[str]:
    """The names of what is wrong with the parser's answer to one case (empty: fully right)."""
    now = datetime.fromisoformat(case["now"])
    tz = case["tz"]
    text = case["text"].replace("\n", " ")
    if case.get("edits"):
        item = parse(text, now, tz)
        replies = case["edits"]
        for n, reply in enumerate(replies):
            edited = apply_edit(item, reply, now, tz)
            if n == len(replies) - 1 and case.get("expect_none"):
                return [] if edited is None else ["edited"]
            if edited is None:
                return [f"not an edit: {reply!r}"]
            item = edited
        return _compare(check, extra, case["expect"], item.to_dict())
    items = parse_all(text, now, tz)
    wrong = _compare(check, extra, case["expect"], items[0].to_dict())
    more = case.get("more", [])
    if more:
        if len(items) != len(more) + 1:
            wrong.append(f"{len(items)} items")
        else:
            for n, (want, item) in enumerate(zip(more, items[1:]), 2):
                wrong += [f"#{n}.{w}" for w in _compare(check, extra, want, item.to_dict())]
    elif (one_item or case.get("single")) and len(items) != 1:
        wrong.append(f"split into {len(items)}")
    return wrong


def report(cases: list[dict], check: Check | None = None, *, round_: int | None = None,
           extra: Extra | None = None, one_item: bool = False,
           by_language: bool = False) -> tuple[float, dict[str, tuple[int, int]], list[str]]:
    """The overall score, (right, total) per category, and one line per failing case.

    `round_` keeps only the cases of that round (no "round": round 1). `by_language` counts per
    language and per "language category" instead, with a shorter failure line.
    """
    check = check or scorer_check()
    right, total = Counter(), Counter()
    cases_right = cases_total = 0
    failures = []
    for case in cases:
        if round_ is not None and case.get("round", 1) != round_:
            continue
        wrong = score_case(case, check, extra, one_item=one_item)
        keys = [f"{case['lang']} {case['category']}", case["lang"]] if by_language else [case["category"]]
        cases_total += 1
        total.update(keys)
        if wrong:
            edits = case.get("edits") or ""
            if by_language:
                failures.append(f"{case['id']} {case['text']!r} {edits}: {', '.join(wrong)}")
            else:
                failures.append(f"{case['id']} [{case['category']}] {case['text'][:70]!r} "
                                f"{edits}: {', '.join(wrong)}")
        else:
            cases_right += 1
            right.update(keys)
    by_key = {k: (right[k], total[k]) for k in (sorted(total) if by_language else total)}
    return cases_right / cases_total, by_key, failures


def print_report(cases: list[dict], *, rounds: bool = False, width: int = 11, sort: bool = True,
                 **options: Any) -> None:
    """Script mode: the score per round (`rounds`), the failures, the score per category, overall.

    `options` go to `report`; `width` is the category column's; `sort` orders the categories.
    """
    check = scorer_check()
    if rounds:
        for r in sorted({c.get("round", 1) for c in cases}):
            print(f"round {r}: {100 * report(cases, check, round_=r, **options)[0]:.1f}%")
    overall, by_key, failures = report(cases, check, **options)
    print("\n".join(failures))
    for key, (r, t) in (sorted(by_key.items()) if sort else by_key.items()):
        print(f"{key:<{width}} {r:3d}/{t:<3d} {100 * r / t:5.1f}%")
    print(f"{'overall':<{width}} {100 * overall:.1f}%")


def assert_floor(result: tuple[float, dict[str, tuple[int, int]], list[str]], floor: float) -> None:
    """Fails, listing the failing cases, when a `report` result scores under `floor`."""
    overall, _, failures = result
    assert overall >= floor, f"{overall:.1%} < {floor:.0%}; failing:\n" + "\n".join(failures)


def assert_well_formed(cases: list[dict], *, fields: frozenset[str] = FIELDS, who: bool = False) -> Counter:
    """Unique ids, a category (and a `who` with `who=True`), a valid `now`, and `fields` in
    `expect` (an `expect_none` case may have no `expect`). Gives the number of cases per `lang`."""
    ids: set[str] = set()
    langs: Counter = Counter()
    for case in cases:
        assert case["id"] not in ids and case["category"], case["id"]
        assert case.get("who") or not who, case["id"]
        ids.add(case["id"])
        langs[case.get("lang")] += 1
        datetime.fromisoformat(case["now"])
        assert (case.get("expect_none") and case["expect"] is None) or fields <= set(case["expect"]), case["id"]
    return langs
