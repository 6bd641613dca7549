#!/usr/bin/env python3
"""Crash test: confirmed events reach a real CalDAV server exactly once while the bot is killed with SIGKILL.

    .venv/bin/python scripts/crash_test.py [--items 20] [--kills 10] [--reminders 3] [--seed S]
                                           [--aim 0.5] [--put-kills 0.25] [--settle 420] [--keep]

Starts a real Radicale (tests/connectors/radicale_server.py) and the fake Bot API (tests/fakes/bot_api.py,
in this process), writes a config (owner_id set, one CalDAV calendar on Radicale, `[routing] event`
pointing at it, the data folder in a temporary directory) and runs `python -m assistant run` as a
subprocess. As the owner it sends N requests ("Meeting <word> on <date> at <time>") and M reminders
("remind me in 1 minute to <word>"), each followed by a tap on ✅ Create of its preview. A request or tap
sent while the bot is down stays in the fake's queue and is handled after the restart.

Meanwhile the bot is killed with SIGKILL and started again at once:
- by a killer thread, 0.2–3 s (seeded) after each start, until at least K kills, every request driven
  and every reminder due; a share (--aim) of the owner's updates is timed to arrive just before the
  next of these kills, so that kills land while the bot handles them;
- by a proxy between the bot and Radicale, in the middle of a share (--put-kills) of the CalDAV PUTs:
  before the PUT reaches Radicale, or after Radicale wrote the event and before the bot hears the answer.

Then the bot runs undisturbed until the outbox is empty and every reminder has fired (or --settle seconds
pass), is stopped with SIGTERM, and the script counts:

    confirmed   items in the SQLite items table with status confirmed/delivered (read-only query), and
                Create taps the bot acknowledged (an edit "✅ Created"/"⏳ Saved"/"Already done")
    delivered   events on Radicale (a calendar-query REPORT straight to Radicale), by their unique word
    duplicated  a word on Radicale more than once, or more events than confirmed
    reminders   due (confirmed and past their time) / fired (a "⏰ <Word>" message) / fired twice

and how long confirmed events took to reach Radicale. Exit code 0 only when every request was confirmed,
confirmed == delivered, nothing is duplicated, every due reminder fired and none twice, and the bot never
exited by itself; 1 otherwise. The seed is printed first, so a failing run can be replayed with --seed
(the schedule and the choices replay; the exact moments depend on the machine).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.bot_api import TOKEN, Call, FakeBotApi, user  # noqa: E402
from tests.fakes.loopback import LoopbackServer  # noqa: E402


def _load_radicale_module():
    """tests/connectors/radicale_server.py, imported by its path (tests/connectors is not a package)."""
    path = ROOT / "tests" / "connectors" / "radicale_server.py"
    spec = importlib.util.spec_from_file_location("radicale_server", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module       # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


radicale_server = _load_radicale_module()

OWNER = user(424242, "Olga")
CAL_USER = "alice"
CALENDAR = "crash"
ZONE = "Europe/Berlin"
PYTHON = ROOT / ".venv" / "bin" / "python"
KILL_DELAY = (0.2, 3.0)
"""Seconds from a start of the bot to its SIGKILL."""
PREVIEW_TIMEOUT = 90.0
ACK_TIMEOUT = 60.0
ACKS = ("✅ Created", "✅ Reminder set", "⏳ Saved", "Already done")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ── the bot process ─────────────────────────────────────────────────────────────────────────
class Bot:
    """`assistant run` as a subprocess; started again at once after every kill."""

    def __init__(self, config: Path, folder: Path):
        self.config = config
        self.folder = folder
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.starts = 0
        self.kills = 0
        self.own_exits: list[tuple[int, str]] = []
        """Runs that ended without our signal (a crash of the bot itself): exit code and last line."""
        self.edited_exits: list[tuple[int, str]] = []
        """Runs that could not even import the code: another engineer saving a file during the run."""
        self._log_path = folder / "bot.log"
        self._log = open(self._log_path, "ab")
        self._log_offset = 0

    def start(self) -> None:
        with self.lock:
            self._start()

    def _start(self) -> None:
        python = str(PYTHON) if PYTHON.exists() else sys.executable
        self.starts += 1
        self._log.write(f"\n=== start {self.starts} ===\n".encode())
        self._log.flush()
        self._log_offset = self._log.tell()
        self.process = subprocess.Popen([python, "-m", "assistant", "--config", str(self.config), "run"],
                                        stdout=self._log, stderr=self._log, cwd=self.folder)
        self.started_at = time.monotonic()

    def kill_and_restart(self) -> bool:
        """SIGKILL (counted when the process was alive) and a new start; True when a kill landed."""
        with self.lock:
            process = self.process
            if process is None:           # stopped for good
                return False
            landed = False
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                landed = True
                self.kills += 1
            process.wait()
            self._start()
            return landed

    def check(self) -> None:
        """Start again a run that ended by itself (and remember its exit code)."""
        with self.lock:
            if self.process is not None and self.process.poll() is not None:
                line = self._exited(self.process.returncode)
                log(f"!! the bot exited by itself with code {self.process.returncode} ({line}); starting it again")
                self._start()

    def stop(self) -> int | None:
        with self.lock:
            process, self.process = self.process, None
            if process is None:
                return None
            if process.poll() is not None:
                self._exited(process.returncode)
                return process.returncode
            process.send_signal(signal.SIGTERM)
            try:
                return process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                log("!! the bot did not stop within 30 s of SIGTERM; killing it")
                process.kill()
                return process.wait()

    def _exited(self, code: int) -> str:
        """Record a run that ended by itself; the last line it wrote."""
        with open(self._log_path, "rb") as written:
            written.seek(self._log_offset)
            lines = [line for line in written.read().decode("utf-8", "replace").splitlines() if line.strip()]
        last = lines[-1][:200] if lines else "no output"
        edited = any(line.startswith(("ImportError", "SyntaxError", "ModuleNotFoundError", "NameError",
                                      "IndentationError")) for line in lines[-3:])
        (self.edited_exits if edited else self.own_exits).append((code, last))
        return last

    def close(self) -> None:
        self.stop()
        self._log.close()


class Killer(threading.Thread):
    """SIGKILLs the bot 0.2–3 s (seeded) after each of its starts, and starts it again.

    On a loaded machine a start can take longer than the longest delay; so that the run still makes
    progress, after two kills in a row that came before the bot polled, the next delay counts from its
    first getUpdates instead."""

    def __init__(self, bot: Bot, rng: random.Random, busy: Callable[[], bool], polled: Callable[[], float | None]):
        super().__init__(name="killer", daemon=True)
        self.bot = bot
        self.rng = rng
        self.busy = busy
        """True while the bot holds an update it received and has not confirmed (mid-handling)."""
        self.polled = polled
        """When the running bot first called getUpdates (None: not yet)."""
        self.mid_update = 0
        self.early = 0
        """Kills in a row that came before the bot polled."""
        self.halt = threading.Event()
        self.next_kill_at = float("inf")
        """time.monotonic() of the next SIGKILL (the owner may time a tap to land just before it)."""

    def run(self) -> None:
        while not self.halt.is_set():
            delay = self.rng.uniform(*KILL_DELAY)
            deadline = self.next_kill_at = self.bot.started_at + delay
            while not self.halt.is_set() and time.monotonic() < deadline:
                self.bot.check()
                time.sleep(0.02)
                if self.early >= 2:
                    polled = self.polled()
                    deadline = self.next_kill_at = polled + delay if polled is not None else float("inf")
            if self.halt.is_set():
                return
            busy = self.busy()
            self.early = self.early + 1 if self.polled() is None else 0
            if self.bot.kill_and_restart():
                self.mid_update += busy
                log(f"kill -9 #{self.bot.kills} after {delay:.2f} s{' (mid-update)' if busy else ''}; restarted")

    def stop(self) -> None:
        self.halt.set()
        self.join()


class CalDavProxy:
    """Between the bot and Radicale: passes every request on, and while `active`, SIGKILLs the bot in the
    middle of a share of the PUTs (seeded) — half of them before the PUT reaches Radicale, half after
    Radicale wrote the event and before the bot hears the answer. These are the moments a crash must not
    turn into a lost or a doubled event."""

    def __init__(self, target: str, bot: Bot, rng: random.Random, share: float):
        import httpx

        self.target = target.rstrip("/")
        self.bot = bot
        self.rng = rng
        self.share = share
        self.active = False
        self.lock = threading.Lock()
        self.killed = {"before": 0, "after": 0}
        self.client = httpx.Client(timeout=30)
        self._server: LoopbackServer | None = None

    def start(self) -> "CalDavProxy":
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                """Quiet."""

            def handle_one_request(self) -> None:
                try:
                    super().handle_one_request()
                except OSError:
                    self.close_connection = True

            def relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                skip = {"host", "content-length", "connection", "accept-encoding", "keep-alive"}
                headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
                moment = proxy.decide(self.command)
                if moment == "before":
                    proxy.kill(moment)
                    self.close_connection = True
                    return
                answer = proxy.client.request(self.command, proxy.target + self.path, content=body, headers=headers)
                if moment == "after":
                    proxy.kill(moment)
                    self.close_connection = True
                    return
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in {"content-length", "transfer-encoding", "connection", "content-encoding"}:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

        for method in ("GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS", "PROPFIND", "PROPPATCH", "REPORT",
                       "MKCALENDAR", "MKCOL", "MOVE"):
            setattr(Handler, f"do_{method}", Handler.relay)
        self._server = LoopbackServer(("127.0.0.1", 0), Handler)
        self._server.handle_error = lambda request, address: None
        threading.Thread(target=self._server.serve_forever, args=(0.05,), name="caldav-proxy", daemon=True).start()
        return self

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def decide(self, method: str) -> str | None:
        with self.lock:
            if not self.active or method != "PUT" or self.rng.random() >= self.share:
                return None
            return self.rng.choice(("before", "after"))

    def kill(self, moment: str) -> None:
        if self.bot.kill_and_restart():
            self.killed[moment] += 1
            log(f"kill -9 #{self.bot.kills} during a CalDAV PUT ({moment} Radicale got it); restarted")

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        self.client.close()


# ── the owner ───────────────────────────────────────────────────────────────────────────────
class Owner:
    """Sends the owner's updates. With probability `aim` an update is held back until just before the
    killer's next SIGKILL (0–80 ms, seeded), so that kills land while the bot handles it — between the
    commit and the CalDAV PUT, or between the PUT and "done" — and not only while it sits idle."""

    AIM_WINDOW = (0.0, 0.08)

    def __init__(self, api: FakeBotApi, killer: Killer | None, rng: random.Random, aim: float):
        self.api = api
        self.killer = killer
        self.rng = rng
        self.aim = aim
        self.aimed = 0

    def _wait_for_aim(self) -> None:
        if self.killer is None or self.rng.random() >= self.aim:
            return
        lead = self.rng.uniform(*self.AIM_WINDOW)
        at = self.killer.next_kill_at - lead
        left = at - time.monotonic()
        if 0 < left < KILL_DELAY[1] + 1:
            time.sleep(left)
            self.aimed += 1

    def send_text(self, text: str) -> int:
        self._wait_for_aim()
        return self.api.send_text(OWNER, text)

    def press(self, call: Call, label: str, query_id: str) -> int:
        self._wait_for_aim()
        return self.api.press(call, label, query_id=query_id)


@dataclass
class Request:
    word: str
    kind: str          # "event" | "reminder"
    text: str
    preview: Call | None = None
    acked: bool = False
    ack_text: str = ""
    sent_at: float = 0.0
    notes: list[str] = field(default_factory=list)


def words(rng: random.Random, count: int) -> list[str]:
    """Unique made-up words (consonant–vowel syllables) that the parser keeps in the title."""
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    out: list[str] = []
    while len(out) < count:
        word = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(3))
        if word not in out:
            out.append(word)
    return out


def plan(rng: random.Random, items: int, reminders: int) -> list[Request]:
    """The requests in the order they are sent: reminders early (their minute passes while the events go)."""
    names = words(rng, items + reminders)
    first = date.today() + timedelta(days=30)
    events = []
    for i, word in enumerate(names[:items]):
        day = first + timedelta(days=i)
        hour, minute = 9 + i % 8, (0, 15, 30, 45)[i % 4]
        events.append(Request(word, "event", f"Meeting {word} on {day.isoformat()} at {hour:02d}:{minute:02d}"))
    out: list[Request] = list(events)
    step = max(1, items // (2 * max(1, reminders)))
    for j, word in enumerate(names[items:]):
        out.insert(min(len(out), j * step + j), Request(word, "reminder", f"remind me in 1 minute to {word}"))
    return out


def in_hand(api: FakeBotApi, since: float) -> bool:
    """A getUpdates answer of the running bot (started at `since`) carried an update that no later call
    has confirmed yet: the bot is handling it (or about to store that it did)."""
    with api.cond:
        unconfirmed = {u["update_id"] for u in api.state.updates}
        for call in reversed(api.calls):
            if call.at < since:
                return False
            if call.method == "getUpdates" and isinstance(call.result, list) \
                    and any(u["update_id"] in unconfirmed for u in call.result):
                return True
    return False


def first_poll(api: FakeBotApi, since: float) -> float | None:
    """When the first getUpdates call since `since` arrived (None: none yet)."""
    first = None
    with api.cond:
        for call in reversed(api.calls):
            if call.at < since:
                break
            if call.method == "getUpdates":
                first = call.at
    return first


def polling(api: FakeBotApi, timeout: float) -> None:
    """Wait until a getUpdates call has arrived (its answer may wait for news for a long poll's time)."""
    deadline = time.monotonic() + timeout
    with api.cond:
        while not any(c.method == "getUpdates" for c in api.calls):
            if time.monotonic() > deadline:
                raise SystemExit(f"the bot did not poll within {timeout:.0f} s")
            api.cond.wait(0.2)


def is_preview(call: Call, word: str) -> bool:
    return word.lower() in call.text.lower() and any("Create" in label for label in call.labels)


def is_fired(call: Call, word: str) -> bool:
    """A fired reminder: "⏰ <Word>" on the first line, and not a preview (which has 🕐 and a Create button)."""
    first = call.text.split("\n", 1)[0].strip().lower()
    return (call.method == "sendMessage" and first == f"⏰ {word}".lower() and "🕐" not in call.text
            and not any("Create" in label for label in call.labels))


def drive(api: FakeBotApi, owner: Owner, request: Request) -> None:
    """Send the request, tap Create on its preview, wait for the acknowledgement (all across restarts)."""
    mark = api.mark()
    request.sent_at = time.monotonic()
    owner.send_text(request.text)
    try:
        request.preview = api.wait_for("sendMessage", lambda c: is_preview(c, request.word), timeout=PREVIEW_TIMEOUT,
                                       after=mark)
    except AssertionError:
        request.notes.append("no preview")
        log(f"!! no preview for {request.word!r} within {PREVIEW_TIMEOUT:.0f} s")
        return
    message_id = request.preview.result["message_id"]
    query_id = f"cq-{request.word}-{time.monotonic_ns()}"
    mark = api.mark()
    owner.press(request.preview, "Create", query_id=query_id)

    def acknowledged(call: Call) -> bool:
        if call.method == "editMessageText" and call.params.get("message_id") == message_id:
            return any(a in call.text for a in ACKS)
        if call.method == "answerCallbackQuery" and call.params.get("callback_query_id") == query_id:
            return "Already done" in str(call.params.get("text") or "")
        return False

    deadline = time.monotonic() + ACK_TIMEOUT
    while time.monotonic() < deadline:
        with api.cond:
            found = next((c for c in api.calls[mark:] if c.result is not None and acknowledged(c)), None)
            if found is None:
                api.cond.wait(0.5)
        if found is not None:
            request.acked = True
            text = found.text or str(found.params.get("text") or "")
            request.ack_text = next((line for line in text.splitlines() if any(a in line for a in ACKS)), text)
            return
    request.notes.append("Create not acknowledged")
    log(f"!! Create on {request.word!r} not acknowledged within {ACK_TIMEOUT:.0f} s")


# ── what happened ───────────────────────────────────────────────────────────────────────────
def read_db(path: Path) -> dict[str, list[dict]]:
    """Items, outbox and reminders, read-only."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    connection.row_factory = sqlite3.Row
    try:
        return {table: [dict(row) for row in connection.execute(f"SELECT * FROM {table}")]
                for table in ("items", "outbox", "reminders")}
    finally:
        connection.close()


def title_of(row: dict) -> str:
    return json.loads(row["data"]).get("title") or ""


def radicale_events(server, user_name: str, calendar: str) -> list[tuple[str, str, str]]:
    """(href, UID, SUMMARY) of every VEVENT/VTODO in the calendar, straight from the server."""
    import httpx

    body = ('<?xml version="1.0" encoding="utf-8"?>'
            '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
            '<D:prop><D:getetag/><C:calendar-data/></D:prop>'
            '<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>')
    response = httpx.request("REPORT", server.calendar_url(user_name, calendar), content=body,
                             headers={"Depth": "1", "Content-Type": "application/xml"},
                             auth=(user_name, radicale_server.USERS[user_name]), timeout=30)
    response.raise_for_status()
    ns = {"D": "DAV:", "C": "urn:ietf:params:xml:ns:caldav"}
    events = []
    for answer in ET.fromstring(response.content).findall("D:response", ns):
        href = answer.findtext("D:href", "", ns)
        data = answer.findtext(".//C:calendar-data", "", ns)
        unfolded = re.sub(r"\r?\n[ \t]", "", data)
        for component in re.findall(r"BEGIN:(?:VEVENT|VTODO)(.*?)END:(?:VEVENT|VTODO)", unfolded, re.S):
            uid = re.search(r"^UID[^:]*:(.*)$", component, re.M)
            summary = re.search(r"^SUMMARY[^:]*:(.*)$", component, re.M)
            events.append((href, uid.group(1).strip() if uid else "", summary.group(1).strip() if summary else ""))
    return events


def reminders_due(db: Path, margin: float) -> bool:
    """Every confirmed reminder's time is more than `margin` seconds past."""
    try:
        tables = read_db(db)
    except sqlite3.Error:
        return False
    confirmed = {r["id"] for r in tables["items"]
                 if r["kind"] == "reminder" and r["status"] in ("confirmed", "delivered")}
    times = [datetime.fromisoformat(r["fire_at"]).timestamp() for r in tables["reminders"] if r["id"] in confirmed]
    return all(t + margin < time.time() for t in times)


def settle(bot: Bot, db: Path, timeout: float) -> float:
    """Let the bot run until no outbox entry is pending and every confirmed reminder has been handed out
    (its row no longer pending); the seconds that took, or -1 after `timeout`."""
    started = time.monotonic()
    last_note = 0.0
    while time.monotonic() - started < timeout:
        bot.check()
        try:
            tables = read_db(db)
        except sqlite3.Error:
            time.sleep(0.5)
            continue
        pending = [e for e in tables["outbox"] if e["status"] == "pending"]
        confirmed = {r["id"] for r in tables["items"]
                     if r["kind"] == "reminder" and r["status"] in ("confirmed", "delivered")}
        waiting = [r for r in tables["reminders"] if r["id"] in confirmed and r["status"] == "pending"]
        if not pending and not waiting:
            return time.monotonic() - started
        if time.monotonic() - last_note > 10:
            last_note = time.monotonic()
            log(f"settling: {len(pending)} outbox entries pending, {len(waiting)} reminders not fired yet")
        time.sleep(0.5)
    return -1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=20, help="events to confirm (default 20)")
    parser.add_argument("--kills", type=int, default=10, help="at least this many SIGKILLs (default 10)")
    parser.add_argument("--reminders", type=int, default=3, help="reminders to confirm (default 3)")
    parser.add_argument("--seed", type=int, default=None, help="replay a run (default: random, printed)")
    parser.add_argument("--settle", type=float, default=420.0,
                        help="seconds to wait at the end for the outbox and the reminders (default 420)")
    parser.add_argument("--aim", type=float, default=0.5,
                        help="share of the owner's updates timed to land just before a kill (default 0.5)")
    parser.add_argument("--put-kills", type=float, default=0.25,
                        help="share of CalDAV PUTs during which the bot is killed (default 0.25)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, database)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(143))   # clean up (bot, Radicale) on SIGTERM
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 10**9)
    print(f"seed {seed}  (replay: scripts/crash_test.py --items {args.items} --kills {args.kills} "
          f"--reminders {args.reminders} --seed {seed})", flush=True)
    rng = random.Random(seed)
    requests = plan(rng, args.items, args.reminders)

    folder = Path(tempfile.mkdtemp(prefix="crash-test-"))
    config = folder / "config.toml"
    server = radicale_server.start_radicale(folder / "radicale")
    api = FakeBotApi().start()
    api._server.handle_error = lambda request, address: None  # a killed bot resets its long poll: expected
    bot = Bot(config, folder)
    proxy: CalDavProxy | None = None
    killer: Killer | None = None
    try:
        proxy = CalDavProxy(server.url, bot, random.Random(rng.random()), args.put_kills).start()
        server.make_calendar(CAL_USER, CALENDAR)
        config.write_text(f"""[assistant]
timezone = "{ZONE}"
data_dir = "data"

[telegram]
token = "{TOKEN}"
owner_id = {OWNER["id"]}
base_url = "{api.base_url}"
base_file_url = "{api.base_file_url}"

[[calendars]]
name = "radicale"
type = "caldav"
url = "{proxy.url}/"
username = "{CAL_USER}"
password = "{radicale_server.USERS[CAL_USER]}"
calendar = "{CALENDAR}"

[routing]
event = "radicale"
""", encoding="utf-8")
        db = folder / "data" / "assistant.db"
        log(f"Radicale on {server.url} (the bot reaches it through {proxy.url}), fake Bot API on {api.base_url}, "
            f"folder {folder}")
        bot.start()
        polling(api, timeout=60)
        killer = Killer(bot, random.Random(rng.random()), lambda: in_hand(api, bot.started_at),
                        lambda: first_poll(api, bot.started_at))
        owner = Owner(api, killer, random.Random(rng.random()), args.aim)
        killer.start()
        proxy.active = True
        began = time.monotonic()
        for number, request in enumerate(requests, 1):
            drive(api, owner, request)
            state = "ok: " + request.ack_text[:30] if request.acked else "; ".join(request.notes)
            log(f"{number:>3}/{len(requests)} {request.kind:<8} {request.word:<7} {state:<36} kills {bot.kills}")
        log(f"all {len(requests)} requests driven; killing on until {args.kills} kills and every reminder is due")
        while bot.kills < args.kills or not reminders_due(db, margin=3.0):
            time.sleep(0.2)
        killer.stop()
        proxy.active = False
        drove = time.monotonic() - began
        log(f"kill phase over after {drove:.1f} s: {bot.kills} kills, {owner.aimed} updates timed to land "
            "just before a kill; the bot now runs undisturbed")
        bot.check()
        deadline = time.monotonic() + 60
        while first_poll(api, bot.started_at) is None and time.monotonic() < deadline:
            bot.check()
            time.sleep(0.1)               # up and polling: its start-up jobs (outbox, reminders) have run
        settled = settle(bot, db, args.settle)
        if settled >= 0:
            log(f"settled after {settled:.1f} s")
        else:
            log(f"!! not settled within {args.settle:.0f} s")
        time.sleep(2.0)                  # a late second firing would show here
        code = bot.stop()
        log(f"bot stopped with SIGTERM (exit code {code})")
        return report(api, bot, server, db, requests, seed, drove, settled, killer.mid_update, proxy.killed)
    finally:
        if killer is not None and killer.is_alive():
            killer.stop()
        bot.close()
        if proxy is not None:
            proxy.stop()
        api.stop()
        radicale_server.stop_radicale(server)
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def report(api: FakeBotApi, bot: Bot, server, db: Path, requests: list[Request], seed: int, drove: float,
           settled: float, mid_update: int, put_kills: dict[str, int]) -> int:
    tables = read_db(db)
    events = [r for r in requests if r.kind == "event"]
    reminders = [r for r in requests if r.kind == "reminder"]
    by_word = {r.word: r for r in requests}

    def word_of(title: str) -> str | None:
        lowered = title.lower()
        return next((w for w in by_word if w in lowered), None)

    confirmed_rows = [r for r in tables["items"] if r["status"] in ("confirmed", "delivered")]
    confirmed_events = [r for r in confirmed_rows if r["kind"] == "event"]
    confirmed_words = {word_of(title_of(r)) for r in confirmed_events}
    confirmed_twice = sorted({w for w in confirmed_words
                              if sum(1 for r in confirmed_events if word_of(title_of(r)) == w) > 1})
    lags = [(datetime.fromisoformat(r["delivered_at"]) - datetime.fromisoformat(r["confirmed_at"])).total_seconds()
            for r in confirmed_events if r.get("delivered_at") and r.get("confirmed_at")]
    acked = sum(1 for r in events if r.acked)
    on_server = radicale_events(server, CAL_USER, CALENDAR)
    server_words: dict[str, int] = {}
    for _, _, summary in on_server:
        word = word_of(summary) or f"?{summary}"
        server_words[word] = server_words.get(word, 0) + 1
    delivered = len(server_words)
    duplicated = max(sum(n - 1 for n in server_words.values() if n > 1), len(on_server) - len(confirmed_events), 0)
    lost = sorted(w for w in confirmed_words if w and w not in server_words)
    strays = sorted(w for w in server_words if w not in confirmed_words)
    unconfirmed = sorted(r.word for r in events if r.word not in confirmed_words)
    confirmed_ids = {r["id"] for r in confirmed_events}
    foreign_uids = sorted(uid for _, uid, _ in on_server if uid not in confirmed_ids)

    confirmed_reminders = {r["id"]: word_of(title_of(r)) for r in confirmed_rows if r["kind"] == "reminder"}
    now_iso = time.time()
    due = []
    for row in tables["reminders"]:
        if row["id"] in confirmed_reminders:
            if datetime.fromisoformat(row["fire_at"]).timestamp() <= now_iso or row["status"] != "pending":
                due.append(confirmed_reminders[row["id"]])
    sends = api.calls_of("sendMessage")
    fired_counts = {r.word: sum(1 for c in sends if is_fired(c, r.word)) for r in reminders}
    fired = sum(1 for w in due if fired_counts.get(w, 0) >= 1)
    twice = sorted(w for w, n in fired_counts.items() if n > 1)
    never = sorted(w for w in due if fired_counts.get(w, 0) == 0)
    errors = sum(1 for c in sends if "something went wrong" in c.text)
    entries = tables["outbox"]
    pending = sum(1 for e in entries if e["status"] == "pending")
    failed = sum(1 for e in entries if e["status"] == "failed")

    rows = [
        ("events requested", len(events), len(events)),
        ("events confirmed (items table)", len(events), len(confirmed_events)),
        ("Create taps acknowledged", len(events), acked),
        ("events delivered (on Radicale)", len(confirmed_events), delivered),
        ("events duplicated", 0, duplicated),
        ("confirmed but not on Radicale", 0, len(lost)),
        ("outbox entries pending / failed", 0, f"{pending} / {failed}"),
        ("reminders confirmed", len(reminders), len(confirmed_reminders)),
        ("reminders due", len(confirmed_reminders), len(due)),
        ("reminders fired", len(due), fired),
        ("reminders fired twice", 0, len(twice)),
    ]
    print()
    print(f"seed {seed} · {bot.kills} kills -9 · {bot.starts} starts · kill phase {drove:.1f} s · "
          + (f"settled in {settled:.1f} s" if settled >= 0 else "NOT settled"))
    print(f"kills while the bot held an update: {mid_update} · during a CalDAV PUT: {put_kills['before']} before "
          f"Radicale got it, {put_kills['after']} after it wrote the event")
    print(f"{'':<34}{'expected':>10}{'got':>10}")
    for name, expected, got in rows:
        print(f"{name:<34}{expected!s:>10}{got!s:>10}")
    if lags:
        print(f"confirmed → on Radicale: median {sorted(lags)[len(lags) // 2]:.1f} s, slowest {max(lags):.1f} s")
    print(f"handler errors shown to the owner: {errors} · runs that ended by themselves: {len(bot.own_exits)}")
    for code, line in bot.edited_exits:
        print(f"  ! a start failed to import the code (edited during the run?), exit {code}: {line}")
    problems = []
    if unconfirmed:
        problems.append(f"requests never confirmed: {', '.join(unconfirmed)}")
    if lost:
        problems.append(f"confirmed, not on Radicale: {', '.join(lost)}")
    if strays:
        problems.append(f"on Radicale, not confirmed: {', '.join(strays)}")
    if duplicated:
        problems.append(f"duplicated on Radicale: {', '.join(w for w, n in server_words.items() if n > 1) or 'count'}")
    if confirmed_twice:
        problems.append(f"one request confirmed as two items: {', '.join(confirmed_twice)}")
    if foreign_uids:
        problems.append(f"events whose UID is no confirmed item: {len(foreign_uids)}")
    if twice:
        problems.append(f"reminders fired twice: {', '.join(twice)}")
    if never:
        problems.append(f"due reminders never fired: {', '.join(never)}")
    if len(confirmed_reminders) < len(reminders):
        problems.append("reminders never confirmed: "
                        + ", ".join(r.word for r in reminders if r.word not in confirmed_reminders.values()))
    if bot.own_exits:
        problems.extend(f"the bot exited by itself with code {code}: {line}" for code, line in bot.own_exits)
    ok = not problems and len(confirmed_events) == delivered == len(events)
    for problem in problems:
        print(f"  ✗ {problem}")
    print(f"RESULT: {'PASS' if ok else 'FAIL'} — confirmed {len(confirmed_events)} = delivered {delivered}, "
          f"{duplicated} duplicates, reminders {fired}/{len(due)} fired, {len(twice)} twice")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
