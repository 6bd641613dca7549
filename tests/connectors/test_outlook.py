"""Outlook / Microsoft 365: repeat rules → patternedRecurrence, the real msal flows (loopback with a
browser, a pasted address, the device code) against the HTTPS fake, tokens in the vault (one refresh
for ten callers, rotation stored, revocation → `assistant connect`), and Graph's paging, throttling,
deltas and getSchedule."""
from __future__ import annotations

import io
import os
import re
import threading
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from assistant import errors
from assistant.connectors import outlook
from assistant.connectors.base import Capability
from assistant.connectors.outlook import UnsupportedRule, graph_recurrence
from assistant.core.item import Item, Kind
from assistant.core.recurrence import occurrences
from outlook_support import Outlook
from tests.fakes.microsoft_server import TENANT_ID

ZONE = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2030, 3, 25, 10, 0, tzinfo=ZONE)
YEAR = (datetime(2030, 3, 1, tzinfo=ZONE), datetime(2031, 6, 1, tzinfo=ZONE))


def event(title: str = "Review", start: datetime = MONDAY, minutes: int = 60, **changes) -> Item:
    return Item(kind=Kind.EVENT, title=title, start=start, end=start + timedelta(minutes=minutes), **changes)


@pytest.fixture
def installation(microsoft, tmp_path):
    built = Outlook(microsoft, tmp_path)
    yield built
    built.close()


@pytest.fixture
def connected(installation):
    installation.connect()
    return installation


# ── repeat rules ─────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("rule, pattern, span", [
    ("FREQ=DAILY", {"type": "daily", "interval": 1}, {"type": "noEnd"}),
    ("RRULE:FREQ=DAILY;INTERVAL=3;COUNT=5", {"type": "daily", "interval": 3},
     {"type": "numbered", "numberOfOccurrences": 5}),
    ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", {"type": "weekly", "interval": 1, "firstDayOfWeek": "monday",
                                         "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"]},
     {"type": "noEnd"}),
    ("FREQ=WEEKLY", {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"], "firstDayOfWeek": "monday"},
     {"type": "noEnd"}),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU;UNTIL=20300630T235959Z",
     {"type": "weekly", "interval": 2, "daysOfWeek": ["tuesday", "thursday"], "firstDayOfWeek": "sunday"},
     {"type": "endDate", "endDate": "2030-06-30"}),
    ("FREQ=MONTHLY", {"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 25}, {"type": "noEnd"}),
    ("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3", {"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 15},
     {"type": "numbered", "numberOfOccurrences": 3}),
    ("FREQ=MONTHLY;BYDAY=2TU", {"type": "relativeMonthly", "interval": 1, "daysOfWeek": ["tuesday"],
                                "index": "second"}, {"type": "noEnd"}),
    ("FREQ=MONTHLY;BYDAY=-1FR", {"type": "relativeMonthly", "interval": 1, "daysOfWeek": ["friday"],
                                 "index": "last"}, {"type": "noEnd"}),
    ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
     {"type": "relativeMonthly", "interval": 1, "index": "last",
      "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"]}, {"type": "noEnd"}),
    ("FREQ=YEARLY", {"type": "absoluteYearly", "interval": 1, "month": 3, "dayOfMonth": 25}, {"type": "noEnd"}),
    ("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", {"type": "relativeYearly", "interval": 1, "month": 11,
                                          "daysOfWeek": ["thursday"], "index": "fourth"}, {"type": "noEnd"}),
])
def test_common_repeat_rules_become_patterned_recurrence(rule, pattern, span):
    converted = graph_recurrence(rule, MONDAY, ZONE)
    assert converted["pattern"] == pattern
    assert converted["range"] == {"startDate": "2030-03-25", "recurrenceTimeZone": "W. Europe Standard Time", **span}


def test_until_before_the_time_of_day_ends_the_day_before():
    early = graph_recurrence("FREQ=DAILY;UNTIL=20300401T050000Z", MONDAY, ZONE)     # 07:00 Berlin < 10:00
    assert early["range"]["endDate"] == "2030-03-31"
    assert graph_recurrence("FREQ=DAILY;UNTIL=20300401", date(2030, 3, 25), ZONE)["range"]["endDate"] == "2030-04-01"


@pytest.mark.parametrize("rule", ["FREQ=HOURLY", "FREQ=DAILY;BYHOUR=9,17", "FREQ=MONTHLY;BYDAY=MO",
                                  "FREQ=MONTHLY;BYDAY=1MO,3MO", "FREQ=MONTHLY;BYMONTHDAY=1,15",
                                  "FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=WEEKLY;BYDAY=1MO", "FREQ=YEARLY;BYWEEKNO=20",
                                  "FREQ=MONTHLY;BYDAY=5FR", "FREQ=DAILY;COUNT=2;UNTIL=20300101", "INTERVAL=2",
                                  "FREQ=DAILY;INTERVAL=2;BYDAY=MO,WE", "nonsense"])
def test_other_repeat_rules_are_refused(rule):
    with pytest.raises(UnsupportedRule):
        graph_recurrence(rule, MONDAY, ZONE)


def test_a_rule_outlook_cannot_store_is_refused_for_good_before_any_write(connected, microsoft):
    connector = connected.connector()
    with pytest.raises(errors.Rejected) as err:
        connector.create(event(recurrence="FREQ=MONTHLY;BYDAY=1MO,3MO"))
    assert "Outlook can't store this repeat rule" in str(err.value) and not err.value.retryable
    assert microsoft.graph_requests("POST", "/events") == []


@pytest.mark.parametrize("rule, start", [
    ("FREQ=DAILY;INTERVAL=2;COUNT=10", MONDAY),
    ("FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=20300501T000000Z", MONDAY),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=9", MONDAY.replace(hour=18)),
    ("FREQ=MONTHLY;BYDAY=2TU;COUNT=6", datetime(2030, 4, 9, 9, 30, tzinfo=ZONE)),
    ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=5", datetime(2030, 3, 29, 16, tzinfo=ZONE)),
    ("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=4", datetime(2030, 3, 31, 8, tzinfo=ZONE)),
    ("FREQ=YEARLY;COUNT=2", MONDAY),
    ("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;COUNT=2", datetime(2030, 11, 28, 12, tzinfo=ZONE)),
])
def test_outlook_repeats_on_the_same_days_as_the_rule(connected, rule, start):
    """Round trip: the fake expands Graph's pattern its own way (back to an RRULE); the occurrences match
    what our own expansion of the original rule gives, wall-clock time kept across DST."""
    connector = connected.connector()
    item = event(start=start, minutes=45, recurrence=rule)
    connector.create(item)
    listed = [b.start for b in connector.list_events(*YEAR) if b.uid == item.id]
    expected = [s for s, _ in occurrences(rule, start, timedelta(minutes=45), *YEAR, ZONE)]
    assert listed == expected and listed
    assert {b.astimezone(ZONE).time() for b in listed} == {start.time()}


# ── signing in ───────────────────────────────────────────────────────────────────────────────

def test_connect_with_a_browser_names_the_account_and_calendar(installation, microsoft):
    line = installation.connect()
    assert line == ("calendar 'office' connected: signed in to Microsoft as alice@contoso.com; 1 calendar; "
                    "writing to 'Calendar'")
    record = installation.record()
    assert record["provider"] == "outlook" and record["username"] == "alice@contoso.com"
    assert "cache" in record and microsoft.grants == ["authorization_code"]
    [authorize] = [r for r in microsoft.requests if r.path.endswith("/oauth2/v2.0/authorize")]
    assert re.fullmatch(r"http://localhost:\d+", authorize.query["redirect_uri"])
    assert authorize.query["code_challenge_method"] == "S256" and authorize.query["state"]
    assert set(authorize.query["scope"].split()) >= {"Calendars.ReadWrite", "User.Read", "offline_access"}


def test_msal_is_told_not_to_look_up_an_unknown_authority_host(connected, microsoft):
    assert not any("discovery/instance" in r.path for r in microsoft.requests)
    assert any(r.path == "/common/v2.0/.well-known/openid-configuration" for r in microsoft.requests)


class _Lines(io.TextIOBase):
    """A terminal the test reads while the sign-in runs."""

    def __init__(self) -> None:
        self.text = ""
        self.changed = threading.Condition()

    def write(self, text: str) -> int:
        with self.changed:
            self.text += text
            self.changed.notify_all()
        return len(text)

    def wait_for(self, pattern: str, timeout: float = 10) -> re.Match:
        deadline = time.monotonic() + timeout
        with self.changed:
            while not (found := re.search(pattern, self.text)):
                left = deadline - time.monotonic()
                assert left > 0, f"{pattern!r} never printed; got {self.text!r}"
                self.changed.wait(left)
        return found


def _run(target) -> dict:
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = target()
        except Exception as exc:  # noqa: BLE001
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    outcome["thread"] = thread
    return outcome


def test_no_browser_takes_the_redirected_address_pasted_back(installation, microsoft):
    """Over SSH: the URL is printed; the laptop's browser ends on "can't connect"; its address is pasted."""
    terminal, (read, write) = _Lines(), os.pipe()
    paste = os.fdopen(read, "r")
    outcome = _run(lambda: installation.connect(open_browser=False, paste=paste, out=terminal))
    url = terminal.wait_for(r"https://\S+/authorize\?\S+").group(0)
    with httpx.Client(verify=microsoft.ca.client_context(), follow_redirects=False) as laptop:
        redirected = laptop.get(url).headers["location"]        # the laptop cannot reach our loopback
    assert redirected.startswith("http://localhost:")
    terminal.wait_for(r"enter the code [A-Z0-9]+")              # the device code is offered alongside
    with os.fdopen(write, "w") as keyboard:
        keyboard.write("not an address\n" + redirected + "\n")
    outcome["thread"].join(15)
    assert outcome.get("value", outcome.get("error")).startswith("calendar 'office' connected")
    assert installation.record()["username"] == "alice@contoso.com"


def test_the_device_code_signs_in_without_a_browser(installation, microsoft):
    terminal = _Lines()
    outcome = _run(lambda: installation.connect(open_browser=False, paste=None, out=terminal))
    match = terminal.wait_for(r"open (https://\S+) and enter the code ([A-Z0-9]+)")
    with httpx.Client(verify=microsoft.ca.client_context()) as phone:
        phone.get(match.group(1), params={"otc": match.group(2)})
    outcome["thread"].join(15)
    assert outcome.get("value", outcome.get("error")).startswith("calendar 'office' connected")
    assert "urn:ietf:params:oauth:grant-type:device_code" in microsoft.grants
    assert installation.connector().list_events(*YEAR) == []


def test_a_registration_without_public_client_flows_still_signs_in_by_address(installation, microsoft):
    microsoft.allow_public_client_flows = False
    terminal = _Lines()
    outcome = _run(lambda: installation.connect(open_browser=False, paste=None, out=terminal))
    url = terminal.wait_for(r"https://\S+/authorize\?\S+").group(0)
    terminal.wait_for(r"did not work: invalid_client")
    microsoft.browse(url)                                       # the browser on this machine after all
    outcome["thread"].join(15)
    assert outcome.get("value", outcome.get("error")).startswith("calendar 'office' connected")


def test_a_refused_consent_is_one_line_and_stores_nothing(installation, microsoft):
    microsoft.consent_denied = True
    with pytest.raises(errors.UserError) as err:
        installation.connect()
    assert "refused" in str(err.value) and "\n" not in str(err.value)
    assert installation.record() is None


def test_an_http_authority_is_refused_plainly(microsoft, tmp_path):
    plain = Outlook(microsoft, tmp_path, authority_host="http://127.0.0.1:1")
    try:
        with pytest.raises(errors.UserError) as err:
            plain.connect()
        assert "https://" in str(err.value)
        with pytest.raises(errors.ConnectorError):
            plain.connector().list_events(*YEAR)
    finally:
        plain.close()


def test_an_unknown_tenant_is_named(microsoft, tmp_path):
    wrong = Outlook(microsoft, tmp_path, tenant="contoso.invalid")
    try:
        with pytest.raises(errors.UserError) as err:
            wrong.connect()
        assert "'contoso.invalid'" in str(err.value)
    finally:
        wrong.close()


def test_without_a_sign_in_writes_wait_for_connect(installation):
    with pytest.raises(errors.AuthError) as err:
        installation.connector().create(event())
    assert "assistant connect office" in str(err.value) and not err.value.retryable


# ── tokens ───────────────────────────────────────────────────────────────────────────────────

def _expire_access_token(connector, microsoft) -> None:
    """The next calls hold an access token msal counts as expired (under five minutes left)."""
    microsoft.access_token_lifetime = 200
    connector.refresh_token()
    microsoft.access_token_lifetime = 3600
    microsoft.grants.clear()


def test_ten_concurrent_calls_with_an_expired_token_make_one_refresh(connected, microsoft):
    connector = connected.connector()
    connector.authenticate()
    _expire_access_token(connector, microsoft)
    barrier = threading.Barrier(10)
    failures: list[BaseException] = []

    def call() -> None:
        barrier.wait()
        try:
            connector.list_events(*YEAR)
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)

    threads = [threading.Thread(target=call) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == [] and microsoft.grants == ["refresh_token"]


def test_every_refresh_stores_the_rotated_refresh_token(connected, microsoft):
    [first] = microsoft.valid_refresh_tokens()
    assert first in connected.record()["cache"]
    connector = connected.connector()
    _expire_access_token(connector, microsoft)
    connector.create(event())                                   # refreshes on the way
    [latest] = microsoft.valid_refresh_tokens()
    cache = connected.record()["cache"]
    assert latest in cache and first not in cache
    with httpx.Client(verify=microsoft.ca.client_context()) as client:
        refused = client.post(f"{microsoft.authority_host}/common/oauth2/v2.0/token",
                              data={"grant_type": "refresh_token", "refresh_token": first,
                                    "client_id": microsoft.client_id})
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    restarted = connected.connector()                           # a new process: only the vault's cache
    _expire_access_token(restarted, microsoft)
    assert [b.title for b in restarted.list_events(*YEAR)] == ["Review"]
    assert microsoft.grants == ["refresh_token"]


def test_a_revoked_sign_in_is_an_auth_error_naming_connect(connected, microsoft):
    connector = connected.connector()
    connector.list_events(*YEAR)
    [refresh_token] = microsoft.valid_refresh_tokens()
    microsoft.revoke()
    with pytest.raises(errors.AuthError) as err:
        connector.create(event())
    message = str(err.value)
    assert "`assistant connect office`" in message and "AADSTS50173" in message
    assert refresh_token not in message and not err.value.retryable
    with pytest.raises(errors.AuthError):
        connector.refresh_token()


def test_a_running_connector_picks_up_a_new_connect_from_another_process(connected, microsoft, tmp_path):
    connector = connected.connector()
    connector.list_events(*YEAR)
    microsoft.revoke()
    with pytest.raises(errors.AuthError):
        connector.list_events(*YEAR)
    again = Outlook(microsoft, tmp_path)                        # `assistant connect office`, same data dir
    try:
        again.connect()
    finally:
        again.close()
    assert connector.list_events(*YEAR) == []


def test_tokens_are_never_in_plain_text_on_disk(connected, microsoft):
    connected.connector().create(event())
    secrets = [*microsoft.access_tokens, *microsoft.refresh_tokens]
    blobs = [p.read_bytes() for p in connected.config.data_dir.rglob("*") if p.is_file()]
    assert blobs and secrets
    assert not [s for s in secrets for blob in blobs if s.encode() in blob]


# ── Graph ────────────────────────────────────────────────────────────────────────────────────

def test_what_is_sent_to_graph(connected, microsoft):
    connector = connected.connector()
    written = connector.create(event(location="Room 1", attendees=["Boris <boris@example.com>", "Anna"],
                                     body="Agenda"))
    [stored] = microsoft.stored()
    assert stored["start"] == {"dateTime": "2030-03-25T10:00:00", "timeZone": "W. Europe Standard Time"}
    assert stored["attendees"] == [{"emailAddress": {"address": "boris@example.com", "name": "Boris"},
                                    "type": "required"}]
    assert stored["body"] == {"contentType": "text", "content": "Agenda\n\nWith: Anna"}
    assert stored["transactionId"] and stored["isReminderOn"] is False and stored["showAs"] == "busy"
    assert stored["singleValueExtendedProperties"] == [{"id": outlook.ITEM_PROPERTY, "value": written.uid}]
    assert written.link.startswith("https://outlook.office365.com/owa/?itemid=")
    assert [(b.title, b.location, b.attendees) for b in connector.list_events(*YEAR)] == \
        [("Review", "Room 1", ["Boris <boris@example.com>"])]


def test_all_day_events_and_reminders(connected, microsoft):
    connector = connected.connector()
    connector.create(Item(kind=Kind.EVENT, title="Offsite", start=date(2030, 3, 27), end=date(2030, 3, 29),
                          all_day=True))
    connector.create(Item(kind=Kind.REMINDER, title="Call the bank", start=MONDAY))
    offsite, bank = sorted(microsoft.stored(), key=lambda e: e["subject"])[::-1]
    assert offsite["isAllDay"] and offsite["end"]["dateTime"] == "2030-03-29T00:00:00"
    assert (bank["showAs"], bank["isReminderOn"], bank["reminderMinutesBeforeStart"]) == ("free", True, 0)
    with pytest.raises(errors.Rejected):
        connector.create(Item(kind=Kind.NOTE, title="Idea", body="x"))


def test_a_repeated_post_is_dropped_by_its_transaction_id(connected, microsoft, monkeypatch):
    """If the answer to a create is lost and the event cannot be found yet, the second POST carries the
    same transactionId and Graph returns the first event."""
    connector = connected.connector()
    item = event()
    monkeypatch.setattr(connector, "_find", lambda uid: None)
    assert connector.create(item).extra["event_id"] == connector.create(item).extra["event_id"]
    assert len(microsoft.stored()) == 1 and len(microsoft.graph_requests("POST", "/events")) == 2


def test_a_short_throttle_is_waited_out_and_the_event_lands_once(connected, microsoft):
    connector = connected.connector()
    connector.authenticate()
    microsoft.fail_next(429, method="POST", path="/events", retry_after=1)
    started = time.monotonic()
    connector.create(event())
    assert time.monotonic() - started >= 1
    assert len(microsoft.stored()) == 1 and len(microsoft.graph_requests("POST", "/events")) == 2


def test_a_long_throttle_goes_back_to_the_outbox_with_its_retry_after(connected, microsoft):
    connector = connected.connector()
    connector.authenticate()
    microsoft.fail_next(429, method="POST", path="/events", retry_after=120)
    with pytest.raises(errors.RateLimited) as err:
        connector.create(event())
    assert err.value.retryable and err.value.retry_after == 120 and "ApplicationThrottled" in str(err.value)
    microsoft.fail_next(503, method="GET", times=5)
    with pytest.raises(errors.Unavailable) as down:
        connector.list_events(*YEAR)
    assert down.value.retryable
    assert microsoft.stored() == []


def test_listings_follow_next_links(connected, microsoft, monkeypatch):
    monkeypatch.setattr(outlook, "PAGE", 3)
    for day in range(8):
        microsoft.seed({"subject": f"Elsewhere {day}", "start": {"dateTime": f"2030-04-0{day + 1}T09:00:00",
                                                                 "timeZone": "UTC"},
                        "end": {"dateTime": f"2030-04-0{day + 1}T10:00:00", "timeZone": "UTC"}})
    connector = connected.connector()
    assert len(connector.list_events(*YEAR)) == 8
    assert len(microsoft.graph_requests("GET", "/calendarView")) >= 3
    changes = connector.changes(*YEAR, None)
    assert changes.full and len(changes.objects) == 8


def test_an_expired_delta_link_means_a_full_listing(connected, microsoft):
    connector = connected.connector()
    first = connector.changes(*YEAR, None)
    connector.create(event())
    microsoft.expire_delta_tokens()
    again = connector.changes(*YEAR, first.token)
    assert again.full and [o.uid for o in again.objects] == [connector.list_events(*YEAR)[0].uid]


def test_changes_made_in_outlook_arrive_as_deltas(connected, microsoft):
    connector = connected.connector()
    first = connector.changes(*YEAR, None)
    series = microsoft.seed({"subject": "Team", "start": {"dateTime": "2030-04-01T09:00:00",
                                                          "timeZone": "Pacific Standard Time"},
                             "end": {"dateTime": "2030-04-01T09:30:00", "timeZone": "Pacific Standard Time"},
                             "recurrence": {"pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"],
                                                        "firstDayOfWeek": "sunday"},
                                            "range": {"type": "numbered", "numberOfOccurrences": 3,
                                                      "startDate": "2030-04-01"}}})
    delta = connector.changes(*YEAR, first.token)
    [obj] = delta.objects
    assert not delta.full and obj.uid == series and len(obj.occurrences) == 3
    assert obj.occurrences[0].start == datetime(2030, 4, 1, 18, 0, tzinfo=ZONE)
    assert all(b.recurring and b.recurrence_id for b in obj.occurrences)
    with microsoft.lock:
        microsoft._delete(microsoft.events[series])
    gone = connector.changes(*YEAR, delta.token)
    assert gone.objects == [] and gone.deleted == [obj.key]


def test_an_event_made_elsewhere_can_be_moved(connected, microsoft):
    """A reschedule of an event found in the cache names Graph's id; it is patched, not duplicated."""
    foreign = microsoft.seed({"subject": "Dentist", "start": {"dateTime": "2030-03-26T08:00:00", "timeZone": "UTC"},
                              "end": {"dateTime": "2030-03-26T09:00:00", "timeZone": "UTC"}})
    connector = connected.connector()
    [busy] = connector.list_events(*YEAR)
    assert busy.uid == foreign
    later = MONDAY + timedelta(days=2)
    connector.update(Item(kind=Kind.RESCHEDULE, id=busy.uid, start=later, end=later + timedelta(hours=1)))
    [moved] = connector.list_events(*YEAR)
    assert (moved.uid, moved.title, moved.start) == (foreign, "Dentist", later)
    connector.delete(busy.uid)
    assert connector.list_events(*YEAR) == [] and microsoft.stored() == []


def test_free_busy_from_get_schedule(connected, microsoft):
    microsoft.schedules["boris@example.com"] = [(MONDAY, MONDAY + timedelta(hours=2), "busy"),
                                                (MONDAY + timedelta(days=1), MONDAY + timedelta(days=1, hours=1),
                                                 "free"),
                                                (MONDAY + timedelta(days=2), MONDAY + timedelta(days=2, hours=1),
                                                 "tentative")]
    connector = connected.connector()
    connector.create(event(start=MONDAY + timedelta(days=3)))
    answers = connector.free_busy(MONDAY - timedelta(days=1), MONDAY + timedelta(days=100),
                                  ["Boris@example.com", "alice@contoso.com", "nobody@example.invalid", "Anna"])
    assert set(answers) == {"boris@example.com", "alice@contoso.com"}
    assert [(b.start, b.tentative) for b in answers["boris@example.com"]] == \
        [(MONDAY, False), (MONDAY + timedelta(days=2), True)]
    assert [b.start for b in answers["alice@contoso.com"]] == [MONDAY + timedelta(days=3)]
    assert len(microsoft.graph_requests("POST", "/getSchedule")) == 2          # 101 days: two requests


def test_the_calendar_is_chosen_by_name(microsoft, tmp_path):
    work = microsoft.add_calendar("Work")
    named = Outlook(microsoft, tmp_path, calendar="work")
    try:
        assert named.connect().endswith("2 calendars; writing to 'Work'")
        named.connector().create(event())
        assert [e["subject"] for e in microsoft.stored(work)] == ["Review"]
        assert {c.name for c in named.connector().list_calendars()} == {"Calendar", "Work"}
        with pytest.raises(errors.ConnectorError) as err:
            named.connector(calendar="Holidays").create(event())
        assert "found: Calendar, Work" in str(err.value) and not err.value.retryable
        connector = named.connector()
        first = connector.changes(*YEAR, None)
        connector.create(event(title="Planning", start=MONDAY + timedelta(days=1)))
        delta = connector.changes(*YEAR, first.token)
        assert not delta.full and [o.occurrences[0].title for o in delta.objects] == ["Planning"]
        assert microsoft.graph_requests("GET", f"/me/calendars/{work}/calendarView/delta")
        microsoft.fail_next(400, method="GET", path="/calendarView/delta", code="ErrorInvalidRequest")
        without = named.connector().changes(*YEAR, None)          # a server without delta: full listings
        assert without.full and len(without.objects) == 2
        assert named.connector().changes(*YEAR, without.token).full
    finally:
        named.close()


def test_a_read_only_calendar_refuses_writes(connected):
    connector = connected.connector(read_only=True)
    assert Capability.WRITE not in connector.capabilities
    with pytest.raises(errors.ReadOnlyError):
        connector.create(event())


def test_the_tenant_id_and_a_national_cloud_host(microsoft, tmp_path):
    by_id = Outlook(microsoft, tmp_path, tenant=TENANT_ID)
    try:
        assert by_id.connect().startswith("calendar 'office' connected")
    finally:
        by_id.close()
    known, is_microsoft = outlook.authority_of(by_id.section.model_copy(
        update={"authority_host": "https://login.microsoftonline.us"}))
    assert known == f"https://login.microsoftonline.us/{TENANT_ID}" and is_microsoft


def test_moving_a_weekly_series_moves_its_weekday(connected):
    connector = connected.connector()
    item = event(title="Sync", recurrence="FREQ=WEEKLY;COUNT=3")
    connector.create(item)
    wednesday = MONDAY + timedelta(days=2, hours=4)
    connector.update(Item(kind=Kind.RESCHEDULE, id=item.id, start=wednesday, end=wednesday + timedelta(hours=1)))
    found = [b for b in connector.list_events(*YEAR) if b.uid == item.id]
    assert [b.start for b in found] == [wednesday + timedelta(weeks=i) for i in range(3)]
    assert {b.title for b in found} == {"Sync"}


def test_a_delete_answered_404_is_already_done_and_a_409_is_tried_again(connected, microsoft):
    connector = connected.connector()
    item = event()
    connector.create(item)
    microsoft.fail_next(409, method="PATCH")
    connector.update(item.with_changes(title="Renamed"))
    assert [e["subject"] for e in microsoft.stored()] == ["Renamed"]
    microsoft.fail_next(409, method="PATCH", times=2)
    with pytest.raises(errors.Conflict) as err:
        connector.update(item.with_changes(title="Again"))
    assert "ErrorIrresolvableConflict" in str(err.value) and not err.value.retryable
    microsoft.fail_next(404, method="DELETE")
    connector.delete(item.id)                                   # gone meanwhile: that is what we wanted
