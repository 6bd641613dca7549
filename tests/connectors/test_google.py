"""The Google Calendar connector against the loopback fake of OAuth and Calendar v3 (bodies checked against
Google's discovery document): ids and idempotent writes, what the event bodies hold, sync with paging,
expired tokens and series exceptions, free/busy, and the token's refresh under a lock."""
from __future__ import annotations

import logging
import threading
from datetime import date, datetime, timedelta, timezone

import httpx
import pytest

from assistant import errors
from assistant.connectors.base import Capability
from assistant.connectors.google_events import event_id, is_valid_event_id
from assistant.core.item import Item, Kind
from google_helpers import ZONE, build
from tests.fakes.google_server import GoogleFake, SCOPE_EVENTS, timed

MONDAY = datetime(2030, 3, 25, 10, 0, tzinfo=ZONE)
WINDOW = (datetime(2030, 3, 18, tzinfo=ZONE), datetime(2030, 4, 22, tzinfo=ZONE))


@pytest.fixture(scope="module")
def google():
    with GoogleFake(page_size=2) as fake:
        fake.set_busy("boris@example.com", (MONDAY.replace(hour=9), MONDAY.replace(hour=12)))
        yield fake


@pytest.fixture
def built(google, tmp_path):
    google.problems.clear()
    made = build(google, tmp_path, calendar=google.add_calendar("Work"))
    yield made
    made.close()
    assert google.problems == [], google.problems


def meeting(**changes) -> Item:
    values = dict(kind=Kind.EVENT, title="Contract review", start=MONDAY, end=MONDAY + timedelta(hours=1))
    values.update(changes)
    return Item(**values)


def stored(google: GoogleFake, built, item: Item) -> dict:
    return google.get(event_id(item.id), built.section.calendar)


# --- ids and writes --------------------------------------------------------------------------------

@pytest.mark.parametrize("uid", ["3f9a0c1e22b14d7a", "x", "a" * 700, "ümlaut-id@example.com"])
def test_event_ids_are_base32hex_of_5_to_1024_characters_and_stable(uid):
    assert is_valid_event_id(event_id(uid)) and event_id(uid) == event_id(uid)
    assert event_id(uid) != event_id(uid + "1")


def test_create_sends_the_client_id_and_returns_the_html_link(google, built):
    item = meeting(location="Room 1", attendees=["Boris <boris@example.com>", "Anna"], body="Bring the draft")
    written = built.connector.create(item)
    event = stored(google, built, item)
    assert event["id"] == event_id(item.id) and written.extra["href"] == event["id"]
    assert written.link == event["htmlLink"] and written.link.startswith("https://www.google.com/calendar/event?eid=")
    assert event["start"] == {"dateTime": "2030-03-25T10:00:00+02:00", "timeZone": "Europe/Berlin"} or \
        event["start"] == {"dateTime": "2030-03-25T10:00:00+01:00", "timeZone": "Europe/Berlin"}
    assert event["end"]["timeZone"] == "Europe/Berlin"
    assert event["attendees"] == [{"email": "boris@example.com", "displayName": "Boris"}]
    assert event["description"] == "Bring the draft\n\nWith: Anna"          # a name without an address
    assert event["location"] == "Room 1" and event["transparency"] == "opaque"
    assert event["extendedProperties"] == {"private": {"assistantId": item.id}}
    [insert] = google.calls("POST", f"/calendars/{built.section.calendar}/events")
    assert insert.query["sendUpdates"] == "all"


def test_a_create_retried_after_a_crash_is_a_409_then_a_patch_and_one_event(google, built):
    item = meeting()
    built.connector.create(item)
    again = built.connector.create(item.with_changes(title="Contract review v2"))
    path = f"/calendars/{built.section.calendar}/events"
    assert [c.status for c in google.calls("POST", path)] == [200, 409]
    [patch] = google.calls("PATCH", path)
    assert patch.query["sendUpdates"] == "none"                  # the invitations went out the first time
    events = google.events(built.section.calendar)
    assert len(events) == 1 and events[0]["summary"] == "Contract review v2"
    assert again.link == events[0]["htmlLink"]


def test_all_day_recurring_reminder_and_alarm_bodies(google, tmp_path):
    made = build(google, tmp_path, calendar=google.add_calendar("Bodies"), alarm_minutes=10)
    try:
        offsite = Item(kind=Kind.EVENT, title="Offsite", start=date(2030, 3, 27), end=date(2030, 3, 29), all_day=True)
        weekly = meeting(title="Weekly", recurrence="FREQ=WEEKLY;UNTIL=20300415")
        call = Item(kind=Kind.REMINDER, title="Call the bank", start=MONDAY)
        for item in (offsite, weekly, call):
            made.connector.create(item)
        cal = made.section.calendar
        assert stored(google, made, offsite)["start"] == {"date": "2030-03-27"}
        assert stored(google, made, offsite)["end"] == {"date": "2030-03-29"}
        # UNTIL as a date on a timed series: the end of that day in the series' zone, in UTC
        assert google.get(event_id(weekly.id), cal)["recurrence"] == ["RRULE:FREQ=WEEKLY;UNTIL=20300415T215959Z"]
        assert google.get(event_id(weekly.id), cal)["reminders"] == {
            "useDefault": False, "overrides": [{"method": "popup", "minutes": 10}]}
        reminder = google.get(event_id(call.id), cal)
        assert reminder["transparency"] == "transparent"
        assert reminder["reminders"]["overrides"] == [{"method": "popup", "minutes": 0}]
        starts = [b.start for b in made.connector.list_events(*WINDOW) if b.uid == weekly.id]
        assert starts == [MONDAY + timedelta(weeks=i) for i in range(4)]       # UNTIL is inclusive
        assert google.problems == []
    finally:
        made.close()


def test_a_note_and_a_bad_repeat_rule_are_refused_for_good(built):
    for item in (Item(kind=Kind.NOTE, title="Idea", body="Sell more"), meeting(recurrence="FREQ=SOMETIMES")):
        with pytest.raises(errors.Rejected) as err:
            built.connector.create(item)
        assert not err.value.retryable


def test_delete_of_something_never_there_or_already_deleted_succeeds(google, built):
    item = meeting()
    built.connector.delete(item.id)                                 # 404
    built.connector.create(item)
    built.connector.delete(item.id)
    built.connector.delete(item.id)                                 # 410 Gone
    statuses = [c.status for c in google.calls("DELETE", f"/calendars/{built.section.calendar}/events/")]
    assert 404 in statuses and 204 in statuses and 410 in statuses


def test_recreating_a_deleted_event_restores_it(google, built):
    item = meeting()
    built.connector.create(item)
    built.connector.delete(item.id)
    built.connector.create(item)                                    # the id is taken by the deleted one: 409
    assert stored(google, built, item)["status"] == "confirmed"
    assert [b.uid for b in built.connector.list_events(*WINDOW)] == [item.id]


def test_someone_elses_event_is_changed_and_deleted_by_its_google_id(google, built):
    cal = built.section.calendar
    seeded = google.seed(cal, timed(MONDAY, 30, summary="Dentist", attendees=[{"email": "dr@example.com"}]))
    [busy] = built.connector.list_events(*WINDOW)
    assert busy.uid == seeded["id"] and busy.title == "Dentist"
    moved = Item(kind=Kind.RESCHEDULE, id=busy.uid, start=MONDAY + timedelta(hours=4),
                 attendees=["anna@example.com"])
    built.connector.update(moved)
    event = google.get(seeded["id"], cal)
    assert event["summary"] == "Dentist" and event["start"]["dateTime"].startswith("2030-03-25T14:00")
    assert event["end"]["dateTime"].startswith("2030-03-25T14:30")   # its length is kept
    assert [a["email"] for a in event["attendees"]] == ["dr@example.com", "anna@example.com"]
    built.connector.delete(busy.uid)
    assert google.get(seeded["id"], cal)["status"] == "cancelled"


def test_update_of_a_timed_event_into_an_all_day_one_clears_the_time(google, built):
    item = meeting()
    built.connector.create(item)
    built.connector.update(item.with_changes(start=date(2030, 3, 26), end=date(2030, 3, 27), all_day=True))
    event = stored(google, built, item)
    assert event["start"] == {"date": "2030-03-26"} and event["end"] == {"date": "2030-03-27"}
    [busy] = built.connector.list_events(*WINDOW)
    assert busy.all_day and busy.start == datetime(2030, 3, 26, tzinfo=ZONE)


# --- reading and sync ----------------------------------------------------------------------------

def test_listing_and_sync_follow_pages_and_deltas(google, built):
    cal = built.section.calendar
    items = [meeting(title=f"Meeting {i}", start=MONDAY + timedelta(days=i), end=MONDAY + timedelta(days=i, hours=1))
             for i in range(5)]
    for item in items:
        built.connector.create(item)
    full = built.connector.changes(*WINDOW, None)
    assert full.full and sorted(o.uid for o in full.objects) == sorted(i.id for i in items)
    assert len(google.calls("GET", f"/calendars/{cal}/events")) >= 3      # two items a page
    built.connector.delete(items[0].id)
    built.connector.update(items[1].with_changes(title="Renamed"))
    delta = built.connector.changes(*WINDOW, full.token)
    assert not delta.full
    assert delta.deleted == [event_id(items[0].id)]
    assert [(o.uid, o.occurrences[0].title) for o in delta.objects] == [(items[1].id, "Renamed")]
    google.expire_sync_tokens()
    again = built.connector.changes(*WINDOW, delta.token)               # 410 → a full listing
    assert again.full and len(again.objects) == 4
    assert any(c.status == 410 for c in google.calls("GET", f"/calendars/{cal}/events"))


def test_a_token_of_another_calendar_is_not_sent_to_google(google, built):
    other = build(google, built.store.path.parent / "other", calendar=google.add_calendar("Other"))
    try:
        token = other.connector.changes(*WINDOW, None).token
    finally:
        other.close()
    assert built.connector.changes(*WINDOW, token).full


def test_a_delta_touching_one_instance_rereads_the_series(google, built):
    cal = built.section.calendar
    series = google.seed(cal, timed(MONDAY, 60, summary="Standup", recurrence=["RRULE:FREQ=DAILY;COUNT=5"]))
    first = built.connector.changes(*WINDOW, None)
    [obj] = first.objects
    assert obj.key == series["id"] and len(obj.occurrences) == 5 and obj.uid == series["id"]
    second_day = MONDAY + timedelta(days=1)
    google.seed(cal, {**timed(second_day.replace(hour=15), 60, summary="Standup (moved)"),
                      "id": f"{series['id']}_20300326T080000Z", "recurringEventId": series["id"],
                      "originalStartTime": {"dateTime": second_day.isoformat(), "timeZone": "Europe/Berlin"}})
    google.seed(cal, {"id": f"{series['id']}_20300327T080000Z", "recurringEventId": series["id"], "status": "cancelled",
                      "originalStartTime": {"dateTime": (MONDAY + timedelta(days=2)).isoformat(),
                                            "timeZone": "Europe/Berlin"}})
    delta = built.connector.changes(*WINDOW, first.token)
    [changed] = delta.objects
    assert changed.key == series["id"]
    assert [(b.start.day, b.start.hour, b.title) for b in changed.occurrences] == [
        (25, 10, "Standup"), (26, 15, "Standup (moved)"), (28, 10, "Standup"), (29, 10, "Standup")]
    assert google.calls("GET", f"/events/{series['id']}/instances")
    google.seed(cal, {**google.get(series["id"], cal), "status": "cancelled"})
    gone = built.connector.changes(*WINDOW, delta.token)
    assert gone.deleted == [series["id"]] and gone.objects == []


def test_declined_invitations_do_not_block_time(google, built):
    google.seed(built.section.calendar, timed(MONDAY, 60, summary="Vendor pitch", attendees=[
        {"email": "owner@example.com", "self": True, "responseStatus": "declined"},
        {"email": "vendor@example.com", "displayName": "Vendor", "organizer": True}]))
    [busy] = built.connector.list_events(*WINDOW)
    assert busy.transparent and "Vendor <vendor@example.com>" in busy.attendees


def test_free_busy_for_attendees_and_own_calendars(google, built):
    built.connector.create(meeting())
    answers = built.connector.free_busy(*WINDOW, ["Boris@example.com", "stranger@example.org",
                                                  built.section.calendar, "not an address"])
    assert set(answers) == {"boris@example.com", built.section.calendar.lower()}
    [boris] = answers["boris@example.com"]
    assert (boris.start, boris.end) == (MONDAY.replace(hour=9), MONDAY.replace(hour=12))
    [mine] = answers[built.section.calendar.lower()]
    assert mine.start == MONDAY


def test_the_primary_calendar_and_a_calendar_by_name(google, tmp_path):
    team = google.add_calendar("Team")
    made = build(google, tmp_path, calendar="Team")
    try:
        assert made.connector.test_connection() == "signed in to Google as owner@example.com; writing to 'Team'"
        made.connector.create(meeting())
        assert len(google.events(team)) == 1
    finally:
        made.close()
    primary = build(google, tmp_path / "p")
    try:
        assert primary.connector.account() == ("owner@example.com", "owner@example.com (primary)")
        assert primary.connector.capabilities == (Capability.WRITE | Capability.ALL_DAY | Capability.RECURRENCE
                                                  | Capability.REMINDERS | Capability.SYNC_TOKENS
                                                  | Capability.FREE_BUSY)
    finally:
        primary.close()
    missing = build(google, tmp_path / "m", calendar="Holidays")
    try:
        with pytest.raises(errors.ConnectorError, match="no calendar 'Holidays'.*Team"):
            missing.connector.test_connection()
    finally:
        missing.close()


# --- failures ------------------------------------------------------------------------------------

@pytest.mark.parametrize("status,reason,kind", [
    (429, "rateLimitExceeded", errors.RateLimited),
    (503, "backendError", errors.Unavailable),
    (403, "userRateLimitExceeded", errors.RateLimited),
])
def test_slow_down_answers_keep_retry_after(google, built, status, reason, kind):
    google.fail_next("POST", "/events", status, reason, "Rate Limit Exceeded", retry_after=7)
    with pytest.raises(kind) as err:
        built.connector.create(meeting())
    assert err.value.retryable and err.value.retry_after == 7


def test_a_server_error_is_retryable_and_a_bad_request_is_not(google, built):
    google.fail_next("GET", "/events", 500, "backendError", "Backend Error")
    with pytest.raises(errors.Unavailable) as err:
        built.connector.list_events(*WINDOW)
    assert err.value.retryable
    google.fail_next("POST", "/events", 400, "invalid", "Invalid value")
    with pytest.raises(errors.Rejected) as refused:
        built.connector.create(meeting())
    assert not refused.value.retryable


def test_the_fake_refuses_what_the_discovery_document_does_not_know(google, built):
    token = built.token["access_token"]
    url = f"{google.base_url}/calendars/{built.section.calendar}/events"
    answer = httpx.post(url, headers={"Authorization": f"Bearer {token}"},
                        json={**timed(MONDAY), "summary": "x", "startTime": "10:00"})
    assert answer.status_code == 400 and answer.json()["error"]["errors"][0]["reason"] == "invalid"
    assert any("startTime: unknown field" in p for p in google.problems)
    google.problems.clear()


# --- tokens --------------------------------------------------------------------------------------

def test_without_a_token_every_call_says_which_connect_to_run(google, tmp_path):
    made = build(google, tmp_path, token=None)
    try:
        for call in (made.connector.test_connection, lambda: made.connector.create(meeting())):
            with pytest.raises(errors.AuthError, match=r"run `assistant connect work`"):
                call()
    finally:
        made.close()


def test_ten_concurrent_calls_with_an_expired_token_make_one_refresh(google, tmp_path):
    token = google.issue(expires_in=30)                 # within the 60 s margin: treated as expired
    made = build(google, tmp_path, token=token, calendar=google.add_calendar("Busy"))
    before = google.refresh_count
    try:
        barrier = threading.Barrier(10)
        failures: list[BaseException] = []

        def read() -> None:
            barrier.wait()
            try:
                made.connector.list_events(*WINDOW)
            except BaseException as exc:  # noqa: BLE001
                failures.append(exc)

        threads = [threading.Thread(target=read) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert failures == []
        assert google.refresh_count - before == 1
        saved = made.vault.get("work")
        assert saved["refresh_token"] == token["refresh_token"]          # kept: the answer had none
        assert saved["access_token"] != token["access_token"]
        assert datetime.fromisoformat(saved["expiry"]) > datetime.now(timezone.utc) + timedelta(minutes=50)
    finally:
        made.close()


def test_a_401_on_a_token_thought_valid_renews_it_once(google, built):
    google.expire_access_tokens()
    before = google.refresh_count
    assert built.connector.list_events(*WINDOW) == []
    assert google.refresh_count - before == 1


def test_a_revoked_grant_is_an_auth_error_naming_the_connect_to_run(google, tmp_path, caplog):
    token = google.issue(expires_in=-5)
    made = build(google, tmp_path, token=token)
    google.refresh_tokens[token["refresh_token"]]["revoked"] = True
    caplog.set_level(logging.DEBUG)
    try:
        with pytest.raises(errors.AuthError) as err:
            made.connector.create(meeting())
        message = str(err.value)
        assert "run `assistant connect work`" in message and not err.value.retryable
        assert token["refresh_token"] not in message and token["access_token"] not in message
        assert token["refresh_token"] not in caplog.text and token["access_token"] not in caplog.text
        with pytest.raises(errors.AuthError):
            made.connector.refresh_token()
        # after `assistant connect` (a new token in the vault) the same connector works again
        made.vault.put("work", google.issue())
        made.connector.tokens.forget()
        assert made.connector.list_events(*WINDOW) == []
    finally:
        made.close()


def test_a_new_token_from_connect_in_another_process_is_picked_up_after_a_401(google, tmp_path):
    made = build(google, tmp_path)
    try:
        made.connector.list_events(*WINDOW)
        google.revoke()
        made.vault.put("work", google.issue())         # `assistant connect work` ran meanwhile
        before = google.refresh_count
        assert made.connector.list_events(*WINDOW) == []
        assert google.refresh_count == before          # the vault's new token, no refresh needed
    finally:
        made.close()


def test_a_grant_without_the_calendar_scopes_is_told(google, tmp_path):
    made = build(google, tmp_path, token=google.issue(scopes=["openid"]))
    try:
        with pytest.raises(errors.AuthError, match="allow both calendar permissions"):
            made.connector.list_events(*WINDOW)
    finally:
        made.close()
    reader = build(google, tmp_path / "r", token=google.issue(scopes=[SCOPE_EVENTS]))
    try:
        assert reader.connector.list_events(*WINDOW) == []
    finally:
        reader.close()


def test_the_token_endpoint_down_is_unavailable_not_a_login_problem(google, tmp_path):
    made = build(google, tmp_path, token=google.issue(expires_in=-5))
    google.fail_next("POST", "/token", 503, "temporarily_unavailable", "try later", retry_after=3)
    try:
        with pytest.raises(errors.Unavailable) as err:
            made.connector.list_events(*WINDOW)
        assert err.value.retryable and err.value.retry_after == 3
        assert made.connector.list_events(*WINDOW) == []
    finally:
        made.close()
