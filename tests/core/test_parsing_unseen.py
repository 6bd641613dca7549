"""The project's own held-out set (tests/core/unseen-set.jsonl), scored like score.py does.

The set was written from the README rules before looking at the parser, to estimate how the
parser does on requests nobody tuned it for. Cases may carry a "note" explaining a judgement
call where the README does not settle the answer. Forwarded e-mails are fed with their line
breaks turned into spaces, as score.py does.
"""
from datetime import datetime
from pathlib import Path

import pytest

import heldout
from assistant.core.parsing import parse

HERE = Path(__file__).resolve().parent
SET = HERE / "unseen-set.jsonl"
FLOOR = 0.95


def _cases() -> list[dict]:
    return heldout.load(SET)


@heldout.needs_scorer
def test_unseen_set_floor():
    check = heldout.scorer_check()
    cases = _cases()
    assert len(cases) >= 150
    failures = []
    for case in cases:
        now = datetime.fromisoformat(case["now"])
        item = parse(case["text"].replace("\n", " "), now, case["tz"])
        wrong = check(case["expect"], item.to_dict())
        if wrong:
            failures.append(f"{case['id']} {case['text']!r}: {', '.join(wrong)}")
    score = 1 - len(failures) / len(cases)
    assert score >= FLOOR, f"{score:.1%} < {FLOOR:.0%}; failing:\n" + "\n".join(failures)


def test_unseen_set_is_well_formed():
    ids = set()
    for case in _cases():
        assert case["id"] not in ids
        ids.add(case["id"])
        datetime.fromisoformat(case["now"])
        assert {"kind", "start", "attendees", "recurrence"} <= set(case["expect"])


@pytest.mark.parametrize("case", [c for c in _cases() if "\n" in c["text"]], ids=lambda c: c["id"])
def test_forwarded_mail_keeps_meaning_with_line_breaks(case):
    """The bot gets e-mails with their line breaks; the result must not depend on them."""
    now = datetime.fromisoformat(case["now"])
    a = parse(case["text"], now, case["tz"]).to_dict()
    b = parse(case["text"].replace("\n", " "), now, case["tz"]).to_dict()
    for field in ("kind", "start", "end", "attendees"):
        assert a[field] == b[field], field
