"""The contract every calendar connector passes. Subclass `ConnectorContract` in a `Test…` class and
provide a `connector` fixture (a fresh, empty, writable calendar) — see test_contract.py; the Google,
Outlook and Notion fakes subclass it the same way."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistant.connectors.base import Busy, CalendarInfo, Connector, Written
from assistant.core.item import Item, Kind

ZONE = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2030, 3, 25, 10, 0, tzinfo=ZONE)   # the week DST starts in Berlin (31 March 2030)
WINDOW = (datetime(2030, 3, 18, tzinfo=ZONE), datetime(2030, 4, 22, tzinfo=ZONE))


def event(title: str = "Contract review", start: datetime = MONDAY, minutes: int = 60, **changes) -> Item:
    return Item(kind=Kind.EVENT, title=title, start=start, end=start + timedelta(minutes=minutes), **changes)


class ConnectorContract:
    supports_all_day = True

    @pytest.fixture
    def connector(self) -> Connector:  # pragma: no cover - every subclass provides one
        raise NotImplementedError

    def mine(self, connector: Connector, uid: str) -> list[Busy]:
        return [b for b in connector.list_events(*WINDOW) if b.uid == uid]

    def test_is_a_connector(self, connector):
        assert isinstance(connector, Connector)
        assert isinstance(connector.test_connection(), str)
        calendars = connector.list_calendars()
        assert calendars and all(isinstance(c, CalendarInfo) for c in calendars)

    def test_create_then_list(self, connector):
        item = event()
        written = connector.create(item)
        assert isinstance(written, Written) and written.uid == item.id
        [found] = self.mine(connector, item.id)
        assert found.start == item.start and found.end == item.end
        assert found.title == "Contract review"
        assert found.start.tzinfo is not None and not found.transparent

    def test_retried_create_does_not_duplicate(self, connector):
        item = event()
        connector.create(item)
        connector.create(item)
        connector.create(item.with_changes(title="Contract review (retry)"))
        found = self.mine(connector, item.id)
        assert len(found) == 1
        assert found[0].title == "Contract review (retry)"

    def test_update_moves_the_event(self, connector):
        item = event()
        connector.create(item)
        later = item.with_changes(start=item.start + timedelta(hours=3), end=item.end + timedelta(hours=3),
                                  title="Moved review")
        connector.update(later)
        [found] = self.mine(connector, item.id)
        assert (found.start, found.title) == (later.start, "Moved review")

    def test_update_of_missing_event_creates_it(self, connector):
        item = event(title="Never created")
        connector.update(item)
        assert len(self.mine(connector, item.id)) == 1

    def test_delete_and_delete_again(self, connector):
        item = event()
        connector.create(item)
        connector.delete(item.id)
        assert self.mine(connector, item.id) == []
        connector.delete(item.id)

    def test_recurring_series_is_expanded_across_dst(self, connector):
        item = event(title="Weekly sync", start=MONDAY, minutes=30, recurrence="FREQ=WEEKLY;COUNT=4")
        connector.create(item)
        found = self.mine(connector, item.id)
        assert [b.start.astimezone(ZONE).hour for b in found] == [10, 10, 10, 10]
        assert [b.start.date() for b in found] == [MONDAY.date() + timedelta(weeks=i) for i in range(4)]
        assert found[1].start.utcoffset() != found[0].start.utcoffset()   # DST happened in between
        assert all(b.recurring for b in found)

    def test_all_day_event_spans_local_days(self, connector):
        if not self.supports_all_day:
            pytest.skip("provider has no all-day events")
        item = Item(kind=Kind.EVENT, title="Offsite", start=date(2030, 3, 27), end=date(2030, 3, 29), all_day=True)
        connector.create(item)
        [found] = self.mine(connector, item.id)
        assert found.all_day
        assert found.start == datetime(2030, 3, 27, tzinfo=ZONE)
        assert found.end == datetime(2030, 3, 29, tzinfo=ZONE)

    def test_range_excludes_other_times(self, connector):
        item = event(start=MONDAY + timedelta(days=60))
        connector.create(item)
        assert self.mine(connector, item.id) == []
