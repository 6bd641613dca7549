"""The loopback redirect of OAuth for native apps (RFC 8252), shared by every provider's `connect`.

    with Loopback() as loopback:                      # listens on http://127.0.0.1:PORT/
        url = provider_authorisation_url(redirect_uri=loopback.redirect_uri, state=..., PKCE ...)
        answer = loopback.wait(url, open_browser=True, paste=sys.stdin)
        # answer.url is the full redirected address; answer.params its query (code, state, error…)

The authorisation URL is printed (and opened in a browser where there is one). The owner signs in; the
provider redirects the browser to our listener, which answers with a short page and hands the address
over. Over SSH (`--no-browser`) the browser runs on another machine and shows "can't connect": the owner
copies that address from its address bar and pastes it here — `wait` reads pasted lines too and takes
whichever comes first. `state` is checked by the caller's library (google-auth-oauthlib, msal) as well as
here: an answer whose state is not the one we sent is refused.
"""
from __future__ import annotations

import logging
import queue
import threading
import webbrowser
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TextIO
from urllib.parse import parse_qs, urlsplit

from assistant.errors import UserError

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
WAIT_SECONDS = 600.0
PAGE = ("<!doctype html><meta charset=utf-8><title>assistant</title>"
        "<p style='font:16px sans-serif'>{text}</p>")


@dataclass
class Answer:
    url: str
    params: dict[str, str]

    @property
    def error(self) -> str | None:
        if "error" not in self.params:
            return None
        return self.params.get("error_description") or self.params["error"]


class Loopback:
    """A one-shot HTTP listener on 127.0.0.1 for the provider's redirect (port 0: any free port)."""

    def __init__(self, port: int = 0, path: str = "/"):
        self._answers: queue.Queue[str] = queue.Queue()
        self.path = path
        self.server = ThreadingHTTPServer((HOST, port), self._handler())
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="oauth-loopback", daemon=True)   # shutdown() waits a poll

    @property
    def redirect_uri(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}{self.path}"

    def __enter__(self) -> "Loopback":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait(self, authorisation_url: str, state: str | None = None, open_browser: bool = True,
             paste: TextIO | None = None, out: TextIO | None = None, timeout: float = WAIT_SECONDS) -> Answer:
        """Show the URL, then wait for the redirect (or a pasted address); check `state`; return it."""
        import sys  # noqa: PLC0415

        out = out or sys.stdout
        print("Open this address to sign in:\n\n" + authorisation_url + "\n", file=out, flush=True)
        if open_browser and not _open(authorisation_url):
            print("(No browser here: open it on any device.)", file=out, flush=True)
        if paste is not None:
            print("If the browser ends on a page that cannot be reached, copy that page's address and paste "
                  "it here.", file=out, flush=True)
            threading.Thread(target=self._read_pasted, args=(paste,), name="oauth-paste", daemon=True).start()
        try:
            url = self._answers.get(timeout=timeout)
        except queue.Empty:
            raise UserError(f"no sign-in arrived within {int(timeout // 60)} minutes; run the command again") \
                from None
        answer = Answer(url, {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()})
        if answer.error:
            raise UserError(f"the sign-in was refused: {answer.error}")
        if state is not None and answer.params.get("state") != state:
            raise UserError("the sign-in answer does not belong to this attempt (state mismatch); "
                            "run the command again")
        if "code" not in answer.params:
            raise UserError("the address has no authorisation code; copy the whole address from the browser")
        return answer

    def _read_pasted(self, paste: TextIO) -> None:
        for line in paste:
            text = line.strip()
            if text.startswith(("http://", "https://")) and "?" in text:
                self._answers.put(text)
                return
            if text:
                print("That is not the redirected address (it starts with http://127.0.0.1 or "
                      "http://localhost); paste the whole address.", flush=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        loopback = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                target = urlsplit(self.path)
                if target.path != loopback.path or not target.query:
                    self._page(404, "Nothing here.")
                    return
                loopback._answers.put(f"{loopback.redirect_uri.rstrip('/')}{self.path}")
                self._page(200, "Signed in — you can close this tab and go back to the terminal.")

            def _page(self, status: int, text: str) -> None:
                body = PAGE.format(text=text).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                log.debug("oauth redirect received")

        return Handler


def _open(url: str) -> bool:
    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False
