"""Crash safety: `scripts/crash_test.py` run small (a real `assistant run` killed with SIGKILL while the
owner confirms events into a real Radicale), and the outbox lease a killed process leaves behind."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from assistant.store import Store, dumps
from assistant.store.repos import LEASE_HOLDER

ROOT = Path(__file__).resolve().parents[1]
LEASE = timedelta(minutes=5)


def _lease_of(store: Store, entry_id: int, holder: str) -> None:
    store.execute("UPDATE outbox SET result = ? WHERE id = ?", [dumps({LEASE_HOLDER: holder}), entry_id])


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_lease_of_a_killed_process_is_taken_over_at_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    store.outbox.enqueue("i1", "cal", "create")
    [entry] = store.outbox.claim_due(LEASE)
    assert store.outbox.claim_due(LEASE) == []              # ours, still running: left alone
    _lease_of(store, entry["id"], f"{_dead_pid()}:0123456789ab")
    assert [e["id"] for e in store.outbox.claim_due(LEASE)] == [entry["id"]]   # its holder is gone
    assert store.outbox.claim_due(LEASE) == []              # and now it is ours


def test_a_lease_of_a_live_process_or_of_unknown_form_waits(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    store.outbox.enqueue("i1", "cal", "create")
    [entry] = store.outbox.claim_due(LEASE)
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as other:
        try:
            _lease_of(store, entry["id"], f"{other.pid}:0123456789ab")
            assert store.outbox.claim_due(LEASE) == []
        finally:
            other.kill()
    _lease_of(store, entry["id"], "somewhere-else")
    assert store.outbox.claim_due(LEASE) == []
    _lease_of(store, entry["id"], f"{os.getpid()}:another-run")  # this pid, an earlier run's token
    assert [e["id"] for e in store.outbox.claim_due(LEASE)] == [entry["id"]]


def test_a_retry_or_a_failure_gives_the_lease_up(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    store.outbox.enqueue("i1", "cal", "create")
    [entry] = store.outbox.claim_due(LEASE)
    _lease_of(store, entry["id"], f"{_dead_pid()}:0123456789ab")
    store.outbox.retry(entry["id"], "server down", timedelta(minutes=10))
    assert store.outbox.claim_due(LEASE) == []              # a backoff is not a lease: it waits its time


@pytest.mark.timeout(180)
def test_crash_script_small_run_passes() -> None:
    """4 events and 1 reminder, at least 3 SIGKILLs (some in the middle of a CalDAV PUT): every confirmed
    event on Radicale once, the reminder fired once. --settle 60: an entry a killed run had claimed must
    not wait for its 5-minute lease. About a minute: the reminder is due a minute after it is asked for."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "crash_test.py"), "--items", "4", "--kills", "3",
                             "--reminders", "1", "--seed", "7", "--settle", "60"],
                            capture_output=True, text=True, timeout=170, cwd=ROOT)
    tail = "\n".join(result.stdout.splitlines()[-25:])
    assert result.returncode == 0, tail + "\n" + result.stderr[-2000:]
    assert "RESULT: PASS" in result.stdout


def test_a_reminder_written_again_after_it_fired_does_not_fire_again(tmp_path: Path) -> None:
    """The outbox repeats a write cut off by a crash (reminders.add committed, outbox.done not): by then the
    reminder may have fired; writing it again must not make it pending (and fire) a second time."""
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from assistant.core.item import Item, Kind
    from assistant.usecases.reminders import claim_due_reminders

    zone = ZoneInfo("Europe/Berlin")
    store = Store(tmp_path / "a.db")
    now = datetime.now(timezone.utc)
    item = Item(Kind.REMINDER, "Stretch", now - timedelta(seconds=5))
    store.reminders.add(item, zone)
    assert [f.title for f in claim_due_reminders(store, now, zone)] == ["Stretch"]
    store.reminders.add(item, zone)                                  # the repeated write
    assert claim_due_reminders(store, now + timedelta(seconds=15), zone) == []
    store.reminders.add(item.with_changes(start=now + timedelta(hours=1)), zone)   # moved later: fires again
    assert [f.title for f in claim_due_reminders(store, now + timedelta(hours=1, seconds=1), zone)] == ["Stretch"]
