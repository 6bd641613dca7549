"""A real Radicale server on 127.0.0.1 for the CalDAV tests, started as a subprocess with a generated
config (htpasswd users in plain text, owner-only rights, storage in a temporary folder)."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

USERS = {"alice": "alice-secret", "bob": "bob-secret"}


@dataclass
class RadicaleServer:
    url: str
    port: int
    folder: Path
    process: subprocess.Popen

    def calendar_url(self, user: str, name: str) -> str:
        return f"{self.url}/{user}/{name}/"

    def make_calendar(self, user: str, name: str | None = None, components: str = "VEVENT") -> str:
        """Create a calendar collection with MKCALENDAR and return its name."""
        import httpx

        name = name or f"cal-{uuid.uuid4().hex[:8]}"
        comps = "".join(f'<C:comp name="{c}"/>' for c in components.split(","))
        body = ('<?xml version="1.0" encoding="utf-8"?>'
                '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>'
                f'<D:displayname>{name}</D:displayname>'
                f'<C:supported-calendar-component-set>{comps}</C:supported-calendar-component-set>'
                '</D:prop></D:set></C:mkcalendar>')
        response = httpx.request("MKCALENDAR", self.calendar_url(user, name), content=body,
                                 auth=(user, USERS[user]), timeout=10)
        assert response.status_code == 201, response.text
        return name


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"radicale exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("radicale did not start listening in time")


def start_radicale(folder: Path, port: int | None = None) -> RadicaleServer:
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    users = folder / "users"
    users.write_text("".join(f"{u}:{p}\n" for u, p in USERS.items()))
    config = folder / "config"
    config.write_text(f"""
[server]
hosts = 127.0.0.1:{port}
delay_on_error = 0

[auth]
type = htpasswd
htpasswd_filename = {users}
htpasswd_encryption = plain
delay = 0

[rights]
type = owner_only

[storage]
filesystem_folder = {folder / 'collections'}

[web]
type = none

[logging]
level = warning
""")
    log = open(folder / "radicale.log", "ab")
    process = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)],
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process)
    except Exception:
        process.kill()
        raise
    return RadicaleServer(url=f"http://127.0.0.1:{port}", port=port, folder=folder, process=process)


def stop_radicale(server: RadicaleServer) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=5)
