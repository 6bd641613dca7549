"""The contract every calendar connector passes, in the manner of vdirsyncer's storage tests.

Subclass `ConnectorContract` in a `Test…` class (see test_contract.py) and provide:

* `connector` — a fresh connector: an empty calendar when it declares `WRITE`, else one holding some events;
* optionally `unreachable` — the same provider with the network or server gone (default: skipped);
* optionally `unauthorized` — `(connector, secret)`: one whose sign-in is refused, and the secret that must
  not appear in the message (default: skipped);
* `known_people` — e-mail addresses whose free/busy the connector knows (for `FREE_BUSY`).

What a connector declares in `capabilities` decides what runs: a test needing a flag it lacks is
skipped, and the tests for the missing flag (writes refused, notes refused, full listings, nobody known
for free/busy) run instead. The Google, Outlook and Notion fakes subclass it the same way.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistant import errors
from assistant.connectors.base import Busy, CalendarInfo, Capability, Changes, Connector, Syncable, Written
from assistant.core.item import Item, Kind

ZONE = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2030, 3, 25, 10, 0, tzinfo=ZONE)   # the week DST starts in Berlin (31 March 2030)
WINDOW = (datetime(2030, 3, 18, tzinfo=ZONE), datetime(2030, 4, 22, tzinfo=ZONE))

SAMPLE_FEED = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//holidays//EN
BEGIN:VEVENT
UID:good-friday-2030
DTSTAMP:20300101T000000Z
DTSTART;VALUE=DATE:20300419
DTEND;VALUE=DATE:20300420
SUMMARY:Good Friday
TRANSP:TRANSPARENT
END:VEVENT
BEGIN:VEVENT
UID:partner-yoga
DTSTAMP:20300101T000000Z
DTSTART;TZID=Europe/Berlin:20300326T180000
DTEND;TZID=Europe/Berlin:20300326T190000
RRULE:FREQ=WEEKLY;COUNT=3
SUMMARY:Yoga
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n")
"""A small subscription: an all-day holiday and a weekly series crossing the DST change."""


def event(title: str = "Contract review", start: datetime = MONDAY, minutes: int = 60, **changes) -> Item:
    return Item(kind=Kind.EVENT, title=title, start=start, end=start + timedelta(minutes=minutes), **changes)


def require(connector: Connector, *flags: Capability) -> None:
    for flag in flags:
        if flag not in connector.capabilities:
            pytest.skip(f"{connector.name} does not declare {flag.name}")


def lacking(connector: Connector, flag: Capability) -> None:
    if flag in connector.capabilities:
        pytest.skip(f"{connector.name} declares {flag.name}")


def syncable(connector: Connector) -> Syncable:
    if not isinstance(connector, Syncable):
        pytest.skip(f"{connector.name} is not cached (no changes())")
    return connector


class ConnectorContract:
    known_people: tuple[str, ...] = ()

    @pytest.fixture
    def connector(self) -> Connector:  # pragma: no cover - every subclass provides one
        raise NotImplementedError

    @pytest.fixture
    def unreachable(self) -> Connector | None:
        return None

    @pytest.fixture
    def unauthorized(self) -> tuple[Connector, str] | None:
        return None

    def mine(self, connector: Connector, uid: str) -> list[Busy]:
        return [b for b in connector.list_events(*WINDOW) if b.uid == uid]

    # --- what every connector is -----------------------------------------------------------------

    def test_is_a_connector(self, connector):
        assert isinstance(connector, Connector)
        assert isinstance(connector.capabilities, Capability)
        assert isinstance(connector.test_connection(), str)
        calendars = connector.list_calendars()
        assert calendars and all(isinstance(c, CalendarInfo) for c in calendars)

    def test_read_only_follows_the_capabilities(self, connector):
        assert connector.read_only is (Capability.WRITE not in connector.capabilities)
        assert all(c.read_only == connector.read_only for c in connector.list_calendars())

    def test_listing_is_sorted_aware_and_inside_the_window(self, connector):
        if Capability.WRITE in connector.capabilities:
            connector.create(event())
            connector.create(event(title="Late", start=MONDAY + timedelta(days=3, hours=5)))
        found = connector.list_events(*WINDOW)
        assert found, "the connector fixture holds (or was just given) events"
        assert found == sorted(found, key=lambda b: (b.start, b.end, b.uid))
        for busy in found:
            assert busy.start.tzinfo is not None and busy.end.tzinfo is not None
            assert busy.start < WINDOW[1] and busy.end > WINDOW[0] and busy.end >= busy.start
            assert busy.calendar == connector.name and busy.uid

    # --- writing -------------------------------------------------------------------------------

    def test_create_then_list(self, connector):
        require(connector, Capability.WRITE)
        item = event()
        written = connector.create(item)
        assert isinstance(written, Written) and written.uid == item.id
        [found] = self.mine(connector, item.id)
        assert found.start == item.start and found.end == item.end
        assert found.title == "Contract review"
        assert found.start.tzinfo is not None and not found.transparent

    def test_retried_create_does_not_duplicate(self, connector):
        require(connector, Capability.WRITE)
        item = event()
        connector.create(item)
        connector.create(item)
        connector.create(item.with_changes(title="Contract review (retry)"))
        found = self.mine(connector, item.id)
        assert len(found) == 1
        assert found[0].title == "Contract review (retry)"

    def test_update_moves_the_event(self, connector):
        require(connector, Capability.WRITE)
        item = event()
        connector.create(item)
        later = item.with_changes(start=item.start + timedelta(hours=3), end=item.end + timedelta(hours=3),
                                  title="Moved review")
        connector.update(later)
        [found] = self.mine(connector, item.id)
        assert (found.start, found.title) == (later.start, "Moved review")

    def test_update_naming_only_the_time_keeps_title_place_and_people(self, connector):
        require(connector, Capability.WRITE)
        item = event(location="Room 1", attendees=["boris@example.com"])
        connector.create(item)
        moved = Item(kind=Kind.RESCHEDULE, id=item.id, start=MONDAY + timedelta(days=1),
                     end=MONDAY + timedelta(days=1, hours=1))
        connector.update(moved)
        [found] = self.mine(connector, item.id)
        assert found.start == moved.start and found.end == moved.end
        assert (found.title, found.location) == ("Contract review", "Room 1")
        assert [a for a in found.attendees if "boris@example.com" in a]

    def test_update_of_missing_event_creates_it(self, connector):
        require(connector, Capability.WRITE)
        item = event(title="Never created")
        connector.update(item)
        assert len(self.mine(connector, item.id)) == 1

    def test_delete_and_delete_again(self, connector):
        require(connector, Capability.WRITE)
        item = event()
        connector.create(item)
        connector.delete(item.id)
        assert self.mine(connector, item.id) == []
        connector.delete(item.id)

    def test_event_without_a_start_is_refused_for_good(self, connector):
        require(connector, Capability.WRITE)
        with pytest.raises(errors.ConnectorError) as err:
            connector.create(Item(kind=Kind.EVENT, title="Sometime"))
        assert not err.value.retryable

    def test_range_excludes_other_times(self, connector):
        require(connector, Capability.WRITE)
        item = event(start=MONDAY + timedelta(days=60))
        connector.create(item)
        assert self.mine(connector, item.id) == []

    def test_recurring_series_is_expanded_across_dst(self, connector):
        require(connector, Capability.WRITE, Capability.RECURRENCE)
        item = event(title="Weekly sync", start=MONDAY, minutes=30, recurrence="FREQ=WEEKLY;COUNT=4")
        connector.create(item)
        found = self.mine(connector, item.id)
        assert [b.start.astimezone(ZONE).hour for b in found] == [10, 10, 10, 10]
        assert [b.start.date() for b in found] == [MONDAY.date() + timedelta(weeks=i) for i in range(4)]
        assert found[1].start.utcoffset() != found[0].start.utcoffset()   # DST happened in between
        assert all(b.recurring for b in found)
        assert len({b.recurrence_id for b in found}) == 4

    def test_without_recurrence_a_repeat_rule_is_refused_for_good(self, connector):
        require(connector, Capability.WRITE)
        lacking(connector, Capability.RECURRENCE)
        with pytest.raises(errors.ConnectorError) as err:
            connector.create(event(recurrence="FREQ=WEEKLY;COUNT=4"))
        assert not err.value.retryable

    def test_all_day_event_spans_local_days(self, connector):
        require(connector, Capability.WRITE, Capability.ALL_DAY)
        item = Item(kind=Kind.EVENT, title="Offsite", start=date(2030, 3, 27), end=date(2030, 3, 29), all_day=True)
        connector.create(item)
        [found] = self.mine(connector, item.id)
        assert found.all_day
        assert found.start == datetime(2030, 3, 27, tzinfo=ZONE)
        assert found.end == datetime(2030, 3, 29, tzinfo=ZONE)

    def test_without_write_every_write_is_refused_for_good(self, connector):
        lacking(connector, Capability.WRITE)
        before = connector.list_events(*WINDOW)
        uid = before[0].uid if before else "anything"
        for call in (lambda: connector.create(event()), lambda: connector.update(event()),
                     lambda: connector.delete(uid)):
            with pytest.raises(errors.ReadOnlyError) as err:
                call()
            assert err.value.retryable is False
            assert connector.name in str(err.value)
        assert connector.list_events(*WINDOW) == before

    # --- reminders and notes -------------------------------------------------------------------

    def test_reminders_are_kept_and_never_block_time(self, connector):
        require(connector, Capability.WRITE, Capability.REMINDERS)
        item = Item(kind=Kind.REMINDER, title="Call the bank", start=MONDAY)
        assert connector.create(item).uid == item.id
        connector.create(item)
        shown = self.mine(connector, item.id)
        assert len(shown) <= 1 and all(b.transparent for b in shown)
        connector.delete(item.id)
        assert self.mine(connector, item.id) == []
        connector.delete(item.id)

    def test_without_reminders_a_reminder_is_refused_for_good(self, connector):
        require(connector, Capability.WRITE)
        lacking(connector, Capability.REMINDERS)
        with pytest.raises(errors.ConnectorError) as err:
            connector.create(Item(kind=Kind.REMINDER, title="Call the bank", start=MONDAY))
        assert not err.value.retryable

    def test_notes_are_kept_and_never_listed(self, connector):
        require(connector, Capability.WRITE, Capability.NOTES)
        note = Item(kind=Kind.NOTE, title="Idea", body="Sell more")
        assert connector.create(note).uid == note.id
        connector.create(note)
        connector.update(note.with_changes(body="Sell much more"))
        assert self.mine(connector, note.id) == []
        connector.delete(note.id)
        connector.delete(note.id)

    def test_without_notes_a_note_is_refused_for_good(self, connector):
        require(connector, Capability.WRITE)
        lacking(connector, Capability.NOTES)
        with pytest.raises(errors.ConnectorError) as err:
            connector.create(Item(kind=Kind.NOTE, title="Idea", body="Sell more"))
        assert not err.value.retryable and not isinstance(err.value, errors.ReadOnlyError)

    # --- sync ----------------------------------------------------------------------------------

    def full_listing_matches(self, connector: Connector, changes: Changes) -> None:
        assert changes.full and isinstance(changes.token, str) and changes.token
        keys = [o.key for o in changes.objects]
        assert len(keys) == len(set(keys))
        listed: dict[str, list] = {}
        for busy in connector.list_events(*WINDOW):
            listed.setdefault(busy.uid, []).append(busy.start)
        assert {o.uid: sorted(b.start for b in o.occurrences) for o in changes.objects} == listed

    def test_first_changes_is_a_full_listing(self, connector):
        syncable(connector)
        if Capability.WRITE in connector.capabilities:
            connector.create(event())
            if Capability.RECURRENCE in connector.capabilities:
                connector.create(event(title="Weekly", recurrence="FREQ=WEEKLY;COUNT=3",
                                       start=MONDAY + timedelta(hours=2)))
        self.full_listing_matches(connector, connector.changes(*WINDOW, None))

    def test_unknown_token_gives_a_full_listing(self, connector):
        syncable(connector)
        if Capability.WRITE in connector.capabilities:
            connector.create(event())
        self.full_listing_matches(connector, connector.changes(*WINDOW, "not a token of this calendar"))

    def test_same_token_without_changes_gives_nothing_new(self, connector):
        syncable(connector)
        if Capability.WRITE in connector.capabilities:
            connector.create(event())
        first = connector.changes(*WINDOW, None)
        again = connector.changes(*WINDOW, first.token)
        assert isinstance(again.token, str) and again.token
        if again.full:   # allowed without SYNC_TOKENS: a provider that cannot tell repeats the listing
            assert Capability.SYNC_TOKENS not in connector.capabilities
            self.full_listing_matches(connector, again)
        else:
            assert again.objects == [] and again.deleted == []

    def test_deltas_report_created_changed_and_deleted_objects(self, connector):
        syncable(connector)
        require(connector, Capability.SYNC_TOKENS, Capability.WRITE)
        first = connector.changes(*WINDOW, None)
        assert first.full
        item = event()
        connector.create(item)
        created = connector.changes(*WINDOW, first.token)
        assert not created.full and created.deleted == []
        [obj] = [o for o in created.objects if o.uid == item.id]
        assert [b.start for b in obj.occurrences] == [item.start]
        moved = item.with_changes(start=MONDAY + timedelta(hours=2), end=MONDAY + timedelta(hours=3))
        connector.update(moved)
        changed = connector.changes(*WINDOW, created.token)
        assert not changed.full
        assert [(o.key, [b.start for b in o.occurrences]) for o in changed.objects] == [(obj.key, [moved.start])]
        connector.delete(item.id)
        deleted = connector.changes(*WINDOW, changed.token)
        assert not deleted.full and deleted.objects == [] and deleted.deleted == [obj.key]
        quiet = connector.changes(*WINDOW, deleted.token)
        assert not quiet.full and quiet.objects == [] and quiet.deleted == []

    def test_without_sync_tokens_a_change_gives_a_full_listing(self, connector):
        syncable(connector)
        require(connector, Capability.WRITE)
        lacking(connector, Capability.SYNC_TOKENS)
        first = connector.changes(*WINDOW, None)
        item = event()
        connector.create(item)
        after = connector.changes(*WINDOW, first.token)
        self.full_listing_matches(connector, after)
        assert item.id in {o.uid for o in after.objects}

    # --- other people's time -------------------------------------------------------------------

    def test_free_busy_answers_only_for_people_it_knows(self, connector):
        require(connector, Capability.FREE_BUSY)
        stranger = "nobody-known@example.invalid"
        answers = connector.free_busy(*WINDOW, [*self.known_people, stranger])
        assert isinstance(answers, dict) and stranger not in answers
        assert set(answers) <= {p.lower() for p in self.known_people}
        for person in self.known_people:
            assert person.lower() in answers
        for spans in answers.values():
            for busy in spans:
                assert isinstance(busy, Busy) and busy.start.tzinfo is not None
                assert busy.start < WINDOW[1] and busy.end > WINDOW[0]

    def test_without_free_busy_nobody_is_known(self, connector):
        lacking(connector, Capability.FREE_BUSY)
        assert connector.free_busy(*WINDOW, ["boris@example.com"]) == {}

    # --- failures ------------------------------------------------------------------------------

    def test_unreachable_provider_is_unavailable_and_retryable(self, unreachable):
        if unreachable is None:
            pytest.skip("no network involved")
        calls = [lambda: unreachable.list_events(*WINDOW)]
        if Capability.WRITE in unreachable.capabilities:
            calls.append(lambda: unreachable.create(event()))
        if isinstance(unreachable, Syncable):
            calls.append(lambda: unreachable.changes(*WINDOW, None))
        for call in calls:
            with pytest.raises(errors.Unavailable) as err:
                call()
            assert err.value.retryable

    def test_refused_sign_in_is_an_auth_error_for_the_owner(self, unauthorized):
        if unauthorized is None:
            pytest.skip("no sign-in")
        connector, secret = unauthorized
        with pytest.raises(errors.AuthError) as err:
            connector.list_events(*WINDOW)
        assert err.value.retryable is False
        assert secret not in str(err.value)
