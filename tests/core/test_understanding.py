"""The understanding pipeline: readers in order, the first sure answer wins, a failing reader is skipped."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from assistant.core.item import Item, Kind
from assistant.errors import UnderstandingError
from assistant.understanding import Context, OfflineReader, Reading, Understanding

ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=ZONE)
CONTEXT = Context(now=NOW, zone=ZONE)


class ScriptedReader:
    """A second reader that answers what it is given (as a language model would), counting its calls."""

    name = "scripted"

    def __init__(self, reading: Reading | None = None, error: Exception | None = None):
        self.reading = reading
        self.error = error
        self.asked: list[str] = []

    def read(self, text: str, context: Context) -> Reading:
        self.asked.append(text)
        if self.error:
            raise self.error
        return self.reading

    def edit(self, item: Item, text: str, context: Context) -> Item | None:
        self.asked.append(text)
        if self.error:
            raise self.error
        return item.with_changes(title=text)


def test_the_offline_reader_alone_reads_a_request():
    (item,) = Understanding().read("Lunch with Anna tomorrow at 1pm", CONTEXT)
    assert item.kind == Kind.EVENT and item.start == datetime(2026, 3, 11, 13, 0, tzinfo=ZONE)


def test_a_sure_offline_answer_is_not_sent_to_the_next_reader():
    second = ScriptedReader(Reading([Item(kind=Kind.NOTE, title="wrong")], 1.0, "scripted"))
    (item,) = Understanding([OfflineReader(), second]).read("Lunch with Anna tomorrow at 1pm", CONTEXT)
    assert item.kind == Kind.EVENT and second.asked == []


def test_an_unsure_answer_goes_on_and_the_more_confident_reading_wins():
    several = [Item(kind=Kind.EVENT, title="Call Boris"), Item(kind=Kind.REMINDER, title="Send deck")]
    second = ScriptedReader(Reading(several, 0.9, "scripted"))
    items = Understanding([OfflineReader(), second]).read("asdf qwerty zxcv", CONTEXT)
    assert second.asked == ["asdf qwerty zxcv"] and [i.title for i in items] == ["Call Boris", "Send deck"]


def test_a_failing_reader_leaves_the_offline_answer_standing():
    second = ScriptedReader(error=UnderstandingError("the model is down"))
    items = Understanding([OfflineReader(), second]).read("asdf qwerty zxcv", CONTEXT)
    assert [i.kind for i in items] == [Kind.UNKNOWN]
    assert Understanding([OfflineReader(), second]).edit(
        Item(kind=Kind.EVENT, title="Lunch", start=NOW), "make it 2pm", CONTEXT).start.hour == 14


def test_no_reader_at_all_is_unknown_not_an_error():
    assert [i.kind for i in Understanding([]).read("Lunch tomorrow", CONTEXT)] == [Kind.UNKNOWN]


def test_a_forward_makes_its_sender_an_attendee_and_keeps_the_text_as_context():
    forwarded = Context(now=NOW, zone=ZONE, sender="Anna Schmidt", forwarded=True)
    (item,) = Understanding().read("Can we meet tomorrow at 3pm?", forwarded)
    assert item.attendees == ["Anna Schmidt"] and item.context.startswith("Forwarded from Anna Schmidt")
    assert item.body is None and item.description == item.context


def test_a_pasted_email_is_read_with_its_own_sender():
    text = "From: Carla Rossi <carla@example.com>\nSubject: Budget review\n\nCould we meet Friday at 10?"
    assert Understanding.is_email(text)
    (item,) = Understanding().read(text, CONTEXT)
    assert item.kind == Kind.EVENT and "Carla Rossi" in item.attendees[0]
