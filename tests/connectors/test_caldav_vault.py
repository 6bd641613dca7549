"""A CalDAV password kept in the vault (as the setup wizard stores it) instead of config.toml."""
from __future__ import annotations

from assistant.config import CalendarSection, Config
from assistant.connectors import build_connectors
from assistant.store import Store
from assistant.vault import ENV_KEY, Vault
from radicale_server import USERS


def test_an_empty_password_is_read_from_the_vault(radicale, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_KEY, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
    name = radicale.make_calendar("alice")
    config = Config()
    config.assistant.data_dir = str(tmp_path / "data")
    config.calendars = [CalendarSection(type="caldav", name="icloud", url=radicale.url + "/", username="alice",
                                        calendar=name)]
    store = Store(config.db_path)
    try:
        Vault(store, config.data_dir).put("icloud", {"password": USERS["alice"]})
        connector = build_connectors(config, store)["icloud"]
        assert name in connector.test_connection()
        Vault(store, config.data_dir).put("icloud", {"password": "wrong"})
        from assistant.errors import AuthError

        try:
            build_connectors(config, store)["icloud"].test_connection()
        except AuthError as exc:
            assert "wrong" not in str(exc)
        else:
            raise AssertionError("a wrong password from the vault must be refused")
    finally:
        store.close()
