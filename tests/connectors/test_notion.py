"""The Notion connector against the loopback fake of the Notion API: the shared contract, the mapping onto
the database's own schema, the 2,000-character limit, 429s, lost answers, and the token's hook."""
from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import pytest

from assistant import errors
from assistant.connectors.base import Capability
from assistant.connectors.notion import (NOTION_VERSION, NotionConnector, TokenBucket, database_id, hashtags,
                                         paragraphs)
from assistant.core.item import Item, Kind
from assistant.store import Store
from connector_contract import MONDAY, WINDOW, ZONE, ConnectorContract, event
from radicale_server import free_port
from tests.fakes.notion_server import FakeNotion

FAST = 1000.0
"""Requests per second for tests that are not about the rate (the contract makes many calls)."""


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "assistant.db")
    yield s
    s.close()


def connect(notion: FakeNotion, store: Store, rate: float = FAST, **extra) -> NotionConnector:
    return NotionConnector("notion", store, database=extra.pop("database", notion.database_id),
                           token=extra.pop("token", notion.token), base_url=notion.base_url, zone=ZONE,
                           rate=rate, **extra)


@pytest.fixture
def notion():
    with FakeNotion(rate=FAST) as fake:
        yield fake


class TestNotionContract(ConnectorContract):
    @pytest.fixture
    def connector(self, notion, store):
        connector = connect(notion, store)
        yield connector
        connector.close()

    @pytest.fixture
    def unreachable(self, store):
        return NotionConnector("notion", store, database="d" * 32, token="secret",
                               base_url=f"http://127.0.0.1:{free_port()}/v1", zone=ZONE, timeout=3)

    @pytest.fixture
    def unauthorized(self, notion, store):
        secret = "ntn_wrong_secret_0815"
        return connect(notion, store, token=secret), secret


# ── the mapping ─────────────────────────────────────────────────────────────────────────────

def test_a_note_becomes_one_page_with_title_text_and_tags(notion, store):
    connector = connect(notion, store)
    note = Item(kind=Kind.NOTE, title="Office wifi", body="The password is hunter2 #office #wifi")
    written = connector.create(note)
    [page] = notion.pages_in()
    assert notion.title_of(page) == "Office wifi"
    assert notion.text_of(page["id"]) == "The password is hunter2 #office #wifi"
    assert [o["name"] for o in page["properties"]["Tags"]["multi_select"]] == ["office", "wifi"]
    assert page["properties"]["Date"]["date"] is None
    assert written.uid == note.id and written.link == page["url"]
    assert all(c.status == 200 for c in notion.calls)


def test_the_schema_is_read_whatever_the_properties_are_called(store):
    with FakeNotion(rate=FAST, properties={"Aufgabe": "title", "Fällig": "date", "Labels": "multi_select",
                                           "Notes": "rich_text"}) as notion:
        connector = connect(notion, store)
        summary = connector.test_connection()
        assert "Meeting notes" in summary and "'Aufgabe'" in summary and "'Fällig'" in summary
        assert "'Labels'" in summary and "Assistant ID" in summary
        reminder = Item(kind=Kind.REMINDER, title="Send the invoice #clients", start=MONDAY)
        connector.create(reminder)
        [page] = notion.pages_in()
        assert notion.title_of(page) == "Send the invoice #clients"
        assert datetime.fromisoformat(page["properties"]["Fällig"]["date"]["start"]) == MONDAY
        assert [o["name"] for o in page["properties"]["Labels"]["multi_select"]] == ["clients"]
        assert "Assistant ID" in notion.database["properties"]          # added for idempotency


def test_a_database_without_date_or_tags_still_takes_events(store):
    with FakeNotion(rate=FAST, properties={"Title": "title"}, allow_schema_change=False) as notion:
        connector = connect(notion, store)
        assert "no date property" in connector.test_connection()
        item = event(location="Room 1", attendees=["Boris"])
        connector.create(item)
        [page] = notion.pages_in()
        text = notion.text_of(page["id"])
        assert "When: Mon 25 Mar 2030, 10:00–11:00" in text and "Where: Room 1" in text and "With: Boris" in text
        assert list(page["properties"]) == ["Title"]


def test_long_text_is_cut_into_pieces_of_2000_characters(notion, store):
    connector = connect(notion, store)
    long_line = " ".join(["word"] * 1500)                     # 7,499 characters in one line
    note = Item(kind=Kind.NOTE, title="T" * 2500, body=f"first line\n{long_line}")
    connector.create(note)
    [page] = notion.pages_in()
    assert len(notion.title_of(page)) == 2000
    blocks = notion.blocks[page["id"]]
    assert len(blocks) == 2
    pieces = blocks[1]["paragraph"]["rich_text"]
    assert len(pieces) == 4 and all(len(p["plain_text"]) <= 2000 for p in pieces)
    assert notion.text_of(page["id"]) == f"first line\n{long_line}"


def test_more_than_a_hundred_lines_go_in_several_requests(notion, store):
    connector = connect(notion, store)
    body = "\n".join(f"line {i}" for i in range(250))
    connector.create(Item(kind=Kind.NOTE, title="Minutes", body=body))
    [page] = notion.pages_in()
    assert notion.text_of(page["id"]) == body
    assert notion.count("PATCH", "/children") == 2


def test_update_sets_what_it_names_and_replaces_the_text(notion, store):
    connector = connect(notion, store)
    note = Item(kind=Kind.NOTE, title="Wifi", body="password hunter2")
    connector.create(note)
    connector.update(note.with_changes(body="password hunter2\nguest network: lobby"))
    [page] = notion.pages_in()
    assert notion.text_of(page["id"]) == "password hunter2\nguest network: lobby"
    item = event()
    connector.create(item)
    connector.update(Item(kind=Kind.RESCHEDULE, id=item.id, start=MONDAY + timedelta(days=1),
                          end=MONDAY + timedelta(days=1, hours=1)))
    [found] = [b for b in connector.list_events(*WINDOW) if b.uid == item.id]
    assert found.title == "Contract review" and found.start == MONDAY + timedelta(days=1)


def test_all_day_events_keep_notions_inclusive_end(notion, store):
    connector = connect(notion, store)
    item = Item(kind=Kind.EVENT, title="Offsite", start=date(2030, 3, 27), end=date(2030, 3, 29), all_day=True)
    connector.create(item)
    [page] = notion.pages_in()
    assert page["properties"]["Date"]["date"] == {"start": "2030-03-27", "end": "2030-03-28", "time_zone": None}


def test_delete_archives_the_page(notion, store):
    connector = connect(notion, store)
    note = Item(kind=Kind.NOTE, title="Scratch")
    connector.create(note)
    connector.delete(note.id)
    assert notion.pages_in() == [] and len(notion.pages) == 1
    connector.delete(note.id)


def test_a_page_deleted_in_notion_is_made_again_by_an_update(notion, store):
    connector = connect(notion, store)
    note = Item(kind=Kind.NOTE, title="Wifi", body="hunter2")
    connector.create(note)
    [page] = notion.pages_in()
    page["archived"] = True                                   # the owner deleted it in Notion
    connector.update(note.with_changes(body="hunter3"))
    [again] = notion.pages_in()
    assert again["id"] != page["id"] and notion.text_of(again["id"]) == "hunter3"


# ── idempotency ─────────────────────────────────────────────────────────────────────────────

def test_a_create_whose_answer_was_lost_does_not_make_a_second_page(notion, store):
    connector = connect(notion, store)
    note = Item(kind=Kind.NOTE, title="Lost answer", body="made once")
    notion.lose_next("POST", "/pages")
    with pytest.raises(errors.Unavailable) as err:
        connector.create(note)
    assert err.value.retryable
    assert len(notion.pages_in()) == 1                        # Notion made it; we never heard
    connector.create(note)                                    # the outbox's retry
    [page] = notion.pages_in()
    assert notion.title_of(page) == "Lost answer"
    assert notion.count("POST", "/pages") == 1


def test_without_an_id_property_a_retry_finds_the_page_by_title_and_time(store):
    with FakeNotion(rate=FAST, properties={"Name": "title"}, allow_schema_change=False) as notion:
        connector = connect(notion, store)
        assert "retries search by title" in connector.test_connection()
        note = Item(kind=Kind.NOTE, title="No id property")
        notion.lose_next("POST", "/pages")
        with pytest.raises(errors.Unavailable):
            connector.create(note)
        connector.create(note)
        assert len(notion.pages_in()) == 1


def test_a_second_connector_on_the_same_store_updates_the_same_page(notion, store):
    note = Item(kind=Kind.NOTE, title="Shared", body="v1")
    connect(notion, store).create(note)
    connect(notion, store).create(note.with_changes(body="v2"))          # after a restart
    [page] = notion.pages_in()
    assert notion.text_of(page["id"]) == "v2"


# ── the rate ────────────────────────────────────────────────────────────────────────────────

def test_ten_notes_in_a_burst_all_land_despite_429s(store):
    with FakeNotion(rate=3) as notion:
        connector = connect(notion, store, rate=3.0)
        started = time.monotonic()
        notes = [Item(kind=Kind.NOTE, title=f"Burst {i}", body=f"note number {i}") for i in range(10)]
        notion.fail_next(429, "rate_limited", "You have been rate limited.", retry_after=1, method="POST")
        for note in notes:
            connector.create(note)
        assert sorted(notion.title_of(p) for p in notion.pages_in()) == sorted(n.title for n in notes)
        assert notion.count("POST", "/pages", status=429) >= 1
        assert notion.count("POST", "/pages", status=200) == 10
        assert time.monotonic() - started >= 3.0               # paced: 11 requests at 3 a second, plus the wait


def test_the_fake_limits_three_requests_a_second(notion, store):
    notion.rate = 3
    connector = connect(notion, store, rate=FAST)
    for _ in range(6):
        connector.create(Item(kind=Kind.NOTE, title="x"))
    assert notion.count("POST", "", status=429) >= 1           # waited out: every note landed
    assert len(notion.pages_in()) == 6


def test_a_long_retry_after_is_left_to_the_outbox(notion, store):
    connector = connect(notion, store, max_rate_wait=5)
    connector.schema()
    notion.fail_next(429, "rate_limited", "slow down", retry_after=120)
    with pytest.raises(errors.RateLimited) as err:
        connector.create(Item(kind=Kind.NOTE, title="Later"))
    assert err.value.retryable and err.value.retry_after == 120


def test_the_token_bucket_keeps_three_a_second():
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(3.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(9):
        bucket.take()
    assert now[0] == pytest.approx(2.0)                        # 3 at once, then one every third of a second
    bucket.pause(1.0)
    bucket.take()
    assert now[0] == pytest.approx(3.0 + 1 / 3, abs=0.01)


# ── the API's rules and errors ──────────────────────────────────────────────────────────────

def test_every_request_carries_the_bearer_and_the_version(notion, store):
    connector = connect(notion, store)
    connector.create(Item(kind=Kind.NOTE, title="Headers"))
    assert notion.calls and all(c.status == 200 for c in notion.calls)
    assert NOTION_VERSION == "2022-06-28"


def test_the_fake_wants_a_version_and_answers_notions_bodies(notion):
    import httpx

    url = f"{notion.base_url}/databases/{notion.database_id}"
    missing = httpx.get(url, headers={"Authorization": f"Bearer {notion.token}"})
    assert missing.status_code == 400 and missing.json()["code"] == "missing_version"
    denied = httpx.get(url, headers={"Notion-Version": NOTION_VERSION})
    assert denied.status_code == 401 and denied.json()["code"] == "unauthorized"
    headers = {"Authorization": f"Bearer {notion.token}", "Notion-Version": NOTION_VERSION}
    gone = httpx.get(f"{notion.base_url}/pages/{'0' * 32}", headers=headers)
    assert gone.status_code == 404 and gone.json()["code"] == "object_not_found"
    bad = httpx.post(f"{notion.base_url}/pages", headers=headers, json={
        "parent": {"database_id": notion.database_id},
        "properties": {"Name": {"title": [{"text": {"content": "x" * 2001}}]}}})
    assert bad.status_code == 400 and bad.json()["code"] == "validation_error"
    assert "should be ≤ `2000`" in bad.json()["message"]
    wrong = httpx.post(f"{notion.base_url}/pages", headers=headers, json={
        "parent": {"database_id": notion.database_id}, "properties": {"Nope": {"rich_text": []}}})
    assert wrong.status_code == 400 and "is not a property that exists" in wrong.json()["message"]
    for i in range(3):
        httpx.post(f"{notion.base_url}/pages", headers=headers, json={
            "parent": {"database_id": notion.database_id},
            "properties": {"Name": {"title": [{"text": {"content": f"p{i}"}}]}}})
    first = httpx.post(f"{url}/query", headers=headers, json={"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["has_more"] and first["next_cursor"]
    rest = httpx.post(f"{url}/query", headers=headers, json={"page_size": 2, "start_cursor": first["next_cursor"]})
    assert len(rest.json()["results"]) == 1 and not rest.json()["has_more"]
    shared = httpx.post(f"{notion.base_url}/search", headers=headers,
                        json={"filter": {"property": "object", "value": "database"}}).json()
    assert [r["id"] for r in shared["results"]] == [notion.database_id]


def test_a_wrong_token_is_an_auth_error_without_the_secret(notion, store):
    connector = connect(notion, store, token="ntn_wrong_123")
    with pytest.raises(errors.AuthError) as err:
        connector.create(Item(kind=Kind.NOTE, title="x"))
    assert "ntn_wrong_123" not in str(err.value) and "token" in str(err.value)


def test_no_token_says_to_set_it(notion, store):
    connector = connect(notion, store, token="")
    with pytest.raises(errors.AuthError) as err:
        connector.create(Item(kind=Kind.NOTE, title="x"))
    assert "[[notes]] token" in str(err.value) and "assistant connect notion" in str(err.value)
    assert notion.calls == []


def test_a_token_in_the_vault_is_used_when_the_section_has_none(notion, store, tmp_path, monkeypatch):
    vault = pytest.importorskip("assistant.vault")
    monkeypatch.setenv("ASSISTANT_MASTER_KEY", "A" * 43)
    vault.Vault(store, tmp_path).put("notion", {"access_token": notion.token})
    connector = connect(notion, store, token="", data_dir=tmp_path)
    connector.create(Item(kind=Kind.NOTE, title="From the vault"))
    assert [notion.title_of(p) for p in notion.pages_in()] == ["From the vault"]


def test_an_unshared_database_is_not_found_with_advice(notion, store):
    connector = connect(notion, store, database="https://www.notion.so/acme/" + "ab" * 16 + "?v=1")
    with pytest.raises(errors.NotFound) as err:
        connector.test_connection()
    assert "share the database" in str(err.value)


def test_validation_errors_are_refused_for_good(notion, store):
    connector = connect(notion, store)
    connector.schema()
    notion.fail_next(400, "validation_error", "body failed validation", method="POST", path="/pages")
    notion.fail_next(400, "validation_error", "body failed validation", method="POST", path="/pages")
    with pytest.raises(errors.Rejected) as err:
        connector.create(Item(kind=Kind.NOTE, title="x"))
    assert not err.value.retryable and "validation_error" in str(err.value)


def test_repeating_items_are_refused_for_good(notion, store):
    connector = connect(notion, store)
    with pytest.raises(errors.Rejected):
        connector.create(Item(kind=Kind.REMINDER, title="Water plants", start=MONDAY, recurrence="FREQ=WEEKLY"))
    assert Capability.RECURRENCE not in connector.capabilities


def test_helpers():
    assert database_id("https://www.notion.so/acme/Notes-" + "a1" * 16 + "?v=" + "b2" * 16) == "a1" * 16
    assert database_id("12345678-90ab-cdef-1234-567890abcdef") == "1234567890abcdef1234567890abcdef"
    assert hashtags("call #Boris about #q3-plan, not a#tag or #1") == ["Boris", "q3-plan"]
    assert paragraphs("a\n\nb") == [
        {"object": "block", "type": "paragraph", "paragraph": {"rich_text": [{"type": "text", "text": {"content": t}}]}}
        for t in ("a", "b")]
