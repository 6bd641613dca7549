"""scripts/install-service: the printed unit passes `systemd-analyze verify` and `systemd-analyze security`
rates it "OK" or better (exposure ≤ 2.5). systemd-analyze reads a unit file without a running systemd."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "install-service"
ANALYZE = shutil.which("systemd-analyze")
needs_analyze = pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed (scripts/test installs "
                                                           "the systemd package)")


def printed(*args: str) -> str:
    done = subprocess.run([str(SCRIPT), "--print", *args], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    path = tmp_path / "assistant.service"
    path.write_text(printed())
    return path


def test_the_unit_has_the_hardening_asked_for() -> None:
    text = printed()
    for line in ("User=assistant", "StateDirectory=assistant", "UMask=0077", "NoNewPrivileges=yes",
                 "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes",
                 "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "SystemCallFilter=@system-service",
                 "Restart=on-failure", "MemoryMax=800M", "StandardOutput=journal", "WantedBy=multi-user.target"):
        assert line in text.splitlines(), line
    assert f"ExecStart={ROOT}/.venv/bin/assistant run" in text
    assert "Environment=ASSISTANT_CONFIG=/var/lib/assistant/config.toml" in text
    assert "MemoryMax=1G" in printed("--memory-max", "1G")


def test_bad_options_are_refused() -> None:
    done = subprocess.run([str(SCRIPT), "--print", "--memory-max", "lots"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "--memory-max" in done.stderr
    done = subprocess.run([str(SCRIPT), "--print", "--state", "/srv/assistant"], capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 1 and "/var/lib" in done.stderr


@needs_analyze
def test_systemd_analyze_verify_accepts_the_unit(unit: Path) -> None:
    done = subprocess.run([ANALYZE, "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "assistant.service" not in done.stderr, done.stderr        # no warning about our unit


@needs_analyze
def test_systemd_analyze_security_rates_it_ok(unit: Path) -> None:
    done = subprocess.run([ANALYZE, "security", "--offline=true", "--threshold=25", str(unit)], capture_output=True,
                          text=True, timeout=60)
    found = re.search(r"Overall exposure level for assistant\.service: (\d+\.\d)", done.stdout)
    assert found, done.stdout + done.stderr
    assert float(found.group(1)) <= 2.5, done.stdout
    assert done.returncode == 0
