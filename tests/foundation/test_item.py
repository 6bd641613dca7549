from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from assistant.core.item import Item, Kind


def test_timed_item_round_trips_through_json() -> None:
    zone = ZoneInfo("America/New_York")
    item = Item(Kind.EVENT, "Call", datetime(2026, 3, 8, 3, 30, tzinfo=zone), datetime(2026, 3, 8, 4, 30, tzinfo=zone),
                attendees=["a@b.c"], location="Room 1", recurrence="FREQ=DAILY", confidence=0.9, source_text="x")
    again = Item.from_json(item.to_json())
    assert again == item
    assert again.start.utcoffset() == item.start.utcoffset()


def test_all_day_item_serialises_dates() -> None:
    item = Item(Kind.EVENT, "Trip", date(2026, 3, 24), date(2026, 3, 27), all_day=True)
    data = item.to_dict()
    assert (data["start"], data["end"], data["kind"]) == ("2026-03-24", "2026-03-27", "event")
    assert Item.from_dict(data) == item


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        Item(Kind.EVENT, "x", datetime(2026, 1, 1, 9))
    with pytest.raises(ValueError):
        Item.from_dict({"kind": "event", "start": "2026-01-01T09:00:00"})


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        Item.from_dict({"kind": "party"})
