"""`assistant doctor` checks notes targets too: Notion names its database and the mapping; a bridge
without a token is a problem; notes targets are offered by the calendars facade and never synced."""
from __future__ import annotations

from assistant.calendars import Calendars
from assistant.config import Config, NotesSection, RoutingSection
from assistant.doctor import run_checks
from assistant.store import Store
from radicale_server import free_port
from tests.fakes.notion_server import FakeNotion


def config_with(tmp_path, *notes) -> Config:
    config = Config(notes=list(notes), routing=RoutingSection(note=notes[0].name))
    config.assistant.data_dir = str(tmp_path / "data")
    return config


def test_doctor_names_the_database_and_the_mapping(tmp_path):
    with FakeNotion() as notion:
        config = config_with(
            tmp_path,
            NotesSection(type="notion", name="notion", token=notion.token, database=notion.database_id,
                         base_url=notion.base_url),
            NotesSection(type="apple_notes", name="iphone", listen=f"127.0.0.1:{free_port()}", token=""))
        checks = {c.name: c for c in run_checks(config)}
    assert checks["notes notion"].ok
    assert "Notion database 'Meeting notes'" in checks["notes notion"].detail
    assert "title → 'Name'" in checks["notes notion"].detail and "date → 'Date'" in checks["notes notion"].detail
    assert not checks["notes iphone"].ok and "token" in checks["notes iphone"].detail


def test_doctor_reports_a_wrong_notion_token_without_it(tmp_path):
    with FakeNotion() as notion:
        config = config_with(tmp_path, NotesSection(type="notion", name="notion", token="ntn_wrong_77",
                                                    database=notion.database_id, base_url=notion.base_url))
        [check] = [c for c in run_checks(config) if c.name == "notes notion"]
    assert not check.ok and "ntn_wrong_77" not in check.detail


def test_the_facade_offers_notes_targets_and_does_not_sync_them(tmp_path):
    config = config_with(tmp_path, NotesSection(type="apple_notes", name="iphone",
                                                listen=f"127.0.0.1:{free_port()}", token="t"))
    store = Store(config.db_path)
    try:
        calendars = Calendars(config, store)
        assert calendars.names() == ["local", "iphone"]
        calendars.sync()
        assert calendars.events_between(*_window()) == []
    finally:
        store.close()


def _window():
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone.utc)
    return now - timedelta(days=1), now + timedelta(days=1)
