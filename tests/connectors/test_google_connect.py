"""`assistant connect NAME`: the real google-auth-oauthlib flow (PKCE, state, loopback redirect) against the
fake over HTTPS with a test CA; the browser on this machine, or the address pasted back over SSH; refusals,
missing permissions and bad entries as one line with the right exit code; tokens only in the vault."""
from __future__ import annotations

import io
import os
import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from assistant import cli, config as config_module
from assistant.connect import LoopbackOptions, PROVIDERS, connect, register, run
from assistant.core.states import OutboxAction
from assistant.errors import ConfigError, UserError
from assistant.store import Store
from assistant.vault import Vault
from tests.fakes.google_server import GoogleFake, SCOPE_READ

URL = re.compile(r"https://127\.0\.0\.1:\d+/o/oauth2/auth\?\S+")


@pytest.fixture
def google(tmp_path, monkeypatch):
    with GoogleFake(tls_dir=tmp_path / "tls") as fake:
        for key, value in fake.trust_env().items():
            monkeypatch.setenv(key, value)
        monkeypatch.setenv("ASSISTANT_MASTER_KEY", "A" * 43)
        monkeypatch.delenv("OAUTHLIB_INSECURE_TRANSPORT", raising=False)
        yield fake


def write_config(tmp_path: Path, google: GoogleFake, **extra) -> config_module.Config:
    path = tmp_path / "config.toml"
    path.write_text('[assistant]\ntimezone = "Europe/Berlin"\ndata_dir = "data"\n\n' + google.toml("work", **extra)
                    + '\n[[calendars]]\nname = "icloud"\ntype = "caldav"\nurl = "https://caldav.icloud.com"\n',
                    encoding="utf-8")
    return config_module.load(path)


class Terminal(io.StringIO):
    """Standard output that acts when the authorisation URL is printed (a browser, or a paste)."""

    def __init__(self, on_url):
        super().__init__()
        self.on_url = on_url
        self.pages: list = []

    def write(self, text: str) -> int:
        found = URL.search(text)
        if found:
            threading.Timer(0.05, lambda: self.pages.append(self.on_url(found.group(0)))).start()
        return super().write(text)


def test_connect_with_the_browser_following_the_redirect(google, tmp_path):
    config = write_config(tmp_path, google)
    out = Terminal(google.browse)
    assert run(config, "work", no_browser=True, stdin=io.StringIO(""), stdout=out) == 0
    assert out.getvalue().rstrip().endswith(
        "Connected 'work' to Google as owner@example.com; new events go to the calendar 'owner@example.com (primary)'.")
    [page] = out.pages
    assert page.status_code == 200 and "Signed in" in page.text
    assert google.problems == []
    [auth] = google.calls("GET", "/o/oauth2/auth")
    assert auth.query["code_challenge_method"] == "S256" and auth.query["access_type"] == "offline"
    assert auth.query["prompt"] == "consent" and auth.query["state"]
    assert auth.query["scope"].split() == ["https://www.googleapis.com/auth/calendar.events",
                                           "https://www.googleapis.com/auth/calendar.readonly"]
    assert "OAUTHLIB_INSECURE_TRANSPORT" not in os.environ
    store = Store(config.db_path)
    try:
        saved = Vault(store, config.data_dir).get("work")
    finally:
        store.close()
    assert saved["refresh_token"] in google.refresh_tokens and saved["access_token"] in google.access_tokens
    secrets = [*google.refresh_tokens, *google.access_tokens, *google.codes]
    for path in [tmp_path / "config.toml", *config.data_dir.rglob("*")]:
        if path.is_file():
            data = path.read_bytes()
            assert not any(s.encode() in data for s in secrets), path
    assert not any(s in out.getvalue() for s in [*google.refresh_tokens, *google.access_tokens])


def test_connect_over_ssh_with_the_address_pasted_back(google, tmp_path):
    config = write_config(tmp_path, google)
    read, write = os.pipe()
    stdin = os.fdopen(read, "r")
    typed = os.fdopen(write, "w")

    def laptop(url: str) -> str:
        address = google.pasted_address(url)        # the laptop's browser shows "can't connect" here
        assert address.startswith("http://127.0.0.1:")
        typed.write("this is not it\n" + address + "\n")
        typed.flush()
        return address

    out = Terminal(laptop)
    try:
        assert run(config, "work", no_browser=True, stdin=stdin, stdout=out) == 0
    finally:
        typed.close()
        stdin.close()
    assert "paste it here" in out.getvalue() and "Connected 'work'" in out.getvalue()
    assert google.problems == []


def test_a_refused_consent_and_missing_permissions_are_one_line_errors(google, tmp_path):
    config = write_config(tmp_path, google)
    google.deny = True
    with pytest.raises(UserError, match="access_denied"):
        connect(config, "work", LoopbackOptions(open_browser=False, out=Terminal(google.browse), timeout=20))
    google.deny = False
    google.grant_only = [SCOPE_READ]               # the owner unticked "see, edit … events"
    with pytest.raises(UserError, match=r"assistant connect work` again and tick both calendar permissions"):
        connect(config, "work", LoopbackOptions(open_browser=False, out=Terminal(google.browse), timeout=20))
    store = Store(config.db_path)
    try:
        assert Vault(store, config.data_dir).get("work") is None
    finally:
        store.close()


def test_a_wrong_client_secret_is_told_without_the_secret(google, tmp_path):
    config = write_config(tmp_path, google, client_secret="GOCSPX-not-the-right-one")
    with pytest.raises(UserError) as err:
        connect(config, "work", LoopbackOptions(open_browser=False, out=Terminal(google.browse), timeout=20))
    assert "invalid_client" in str(err.value) and "not-the-right-one" not in str(err.value)


def test_waiting_writes_are_released_by_a_successful_connect(google, tmp_path):
    config = write_config(tmp_path, google)
    store = Store(config.db_path)
    try:
        store.outbox.enqueue("item-1", "work", OutboxAction.CREATE)
        [entry] = store.outbox.pending()
        store.outbox.retry(entry["id"], "Google refused the sign-in", timedelta(minutes=15), count=False)
        assert store.outbox.due() == []
    finally:
        store.close()
    out = Terminal(google.browse)
    run(config, "work", no_browser=True, stdin=io.StringIO(""), stdout=out)
    assert "1 write that waited for this sign-in goes out with the assistant's next outbox run." in out.getvalue()
    store = Store(config.db_path)
    try:
        assert [e["item_id"] for e in store.outbox.due()] == ["item-1"]
    finally:
        store.close()


@pytest.mark.parametrize("argv,code,message", [
    (["connect", "nowhere"], 2, "no [[calendars]] or [[notes]] entry named 'nowhere'"),
    (["connect", "icloud"], 1, "'icloud' (caldav) signs in with its user name and password"),
])
def test_bad_names_and_entries_without_a_connect(google, tmp_path, capsys, argv, code, message):
    write_config(tmp_path, google)
    assert cli.main(["--config", str(tmp_path / "config.toml"), *argv]) == code
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_connect_without_a_name_is_bad_usage(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["connect"])
    assert exit_.value.code == 2 and "NAME" in capsys.readouterr().err


def test_an_entry_without_its_oauth_client_is_a_configuration_error(google, tmp_path, capsys):
    write_config(tmp_path, google, client_id="")
    assert cli.main(["--config", str(tmp_path / "config.toml"), "connect", "work", "--no-browser"]) == 2
    assert "needs 'client_id' and 'client_secret'" in capsys.readouterr().err


def test_a_plain_http_token_endpoint_is_refused_unless_it_is_this_machine(tmp_path):
    from assistant.connectors.google_oauth import _token_transport

    with pytest.raises(ConfigError, match="https"):
        with _token_transport("http://oauth.example.com/token", "work"):
            pass
    with _token_transport("http://127.0.0.1:9/token", "work"):
        assert os.environ.get("OAUTHLIB_INSECURE_TRANSPORT") == "1"
    assert "OAUTHLIB_INSECURE_TRANSPORT" not in os.environ


def test_the_registry_takes_another_provider(monkeypatch, tmp_path):
    """How the Outlook provider plugs in: a module with `authorise(section, config, vault, options)`."""
    import types

    module = types.ModuleType("fake_outlook_provider")
    seen = {}

    def authorise(section, config, vault, options):
        seen.update(section=section.name, options=options)
        vault.put(section.name, {"access_token": "x"})
        return f"Connected {section.name!r} to Outlook"

    module.authorise = authorise
    monkeypatch.setitem(__import__("sys").modules, "fake_outlook_provider", module)
    monkeypatch.setitem(PROVIDERS, "outlook", "fake_outlook_provider")
    monkeypatch.setenv("ASSISTANT_MASTER_KEY", "A" * 43)
    path = tmp_path / "config.toml"
    path.write_text('[assistant]\ndata_dir = "data"\n[[calendars]]\nname = "office"\ntype = "outlook"\n'
                    'client_id = "abc"\n', encoding="utf-8")
    out = io.StringIO()
    assert run(config_module.load(path), "office", no_browser=True, stdin=io.StringIO(""), stdout=out) == 0
    assert out.getvalue() == "Connected 'office' to Outlook\n"
    assert seen["section"] == "office" and seen["options"].open_browser is False
    register("outlook", "assistant.connectors.outlook")
    assert PROVIDERS["outlook"] == "assistant.connectors.outlook"
