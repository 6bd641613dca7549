"""The OAuth loopback redirect: the browser's redirect, or the address pasted back over SSH; state checked."""
from __future__ import annotations

import io
import threading

import httpx
import pytest

from assistant.errors import UserError
from assistant.oauth import Loopback


def test_the_redirect_to_the_listener_is_the_answer():
    with Loopback() as loopback:
        def browser():
            page = httpx.get(f"{loopback.redirect_uri}?code=abc&state=s1", timeout=5)
            assert page.status_code == 200 and "Signed in" in page.text

        threading.Timer(0.2, browser).start()
        answer = loopback.wait("https://accounts.example.com/auth?x=1", state="s1", open_browser=False,
                               out=io.StringIO())
    assert answer.params == {"code": "abc", "state": "s1"}


def test_a_pasted_address_works_when_the_browser_is_elsewhere():
    out = io.StringIO()
    with Loopback() as loopback:
        pasted = io.StringIO(f"nonsense\n{loopback.redirect_uri}?state=s2&code=xyz\n")
        answer = loopback.wait("https://accounts.example.com/auth", state="s2", open_browser=False, paste=pasted,
                               out=out)
    assert answer.params["code"] == "xyz"
    assert "https://accounts.example.com/auth" in out.getvalue()


def test_a_foreign_state_or_a_refusal_is_an_error():
    with Loopback() as loopback:
        with pytest.raises(UserError, match="state"):
            loopback.wait("u", state="mine", open_browser=False, out=io.StringIO(),
                          paste=io.StringIO("http://127.0.0.1:1/?code=a&state=theirs\n"))
    with Loopback() as loopback:
        with pytest.raises(UserError, match="access_denied"):
            loopback.wait("u", state="mine", open_browser=False, out=io.StringIO(),
                          paste=io.StringIO("http://127.0.0.1:1/?error=access_denied&state=mine\n"))
