"""Property tests: any text gives a valid item (or `unknown`), never an exception, quickly."""
import gc
import time
from datetime import date, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.core.item import Item, Kind
from assistant.core.parsing import apply_edit, parse

LEXICON = [
    "at", "on", "in", "from", "to", "until", "every", "other", "next", "this", "last", "the", "of",
    "with", "w/", "and", ",", "-", ":", "?", ".", "remind", "me", "note", "cancel", "move", "find",
    "slot", "what", "do", "I", "have", "am", "pm", "a.m.", "p m", "noon", "midnight", "tonight",
    "tomorrow", "tmrw", "today", "day", "after", "Monday", "fri", "Wednesdays", "weekday",
    "weekend", "week", "month", "year", "March", "may", "Feb", "31st", "2nd", "first", "twentieth",
    "half", "past", "quarter", "twenty", "five", "oh", "o'clock", "hours", "minutes", "min", "h",
    "for", "between", "starting", "Pacific", "London", "time", "UTC", "ET", "Anna", "Li Wei",
    "jane@example.com", "room", "4B", "office", "Best,", "- Julia", "3", "12", "25", "0", "99",
    "10:30", "25:61", "10.30", "12.03", "31.04", "3/30", "13/13", "2026-06-15", "2026-02-30",
    "4-5pm", "11-11:30", "1.5", "3p", "1:1", "Встреча", "с", "Анной", "в", "Uhr", "um", "am",
]

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=timezone(timedelta(hours=1)))
texts = st.one_of(
    st.text(max_size=2000),
    st.lists(st.sampled_from(LEXICON), max_size=60).map(" ".join),
    st.lists(st.one_of(st.sampled_from(LEXICON), st.text(max_size=6)), max_size=40).map(" ".join),
)
zones = st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Lord_Howe"])
nows = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31),
                    timezones=st.just(timezone.utc))


def assert_valid(item: Item) -> None:
    assert isinstance(item.kind, Kind)
    assert 0.0 <= item.confidence <= 1.0
    for value in (item.start, item.end):
        assert value is None or isinstance(value, date)
        if isinstance(value, datetime):
            assert value.tzinfo is not None
    if item.needs_clarification and item.kind not in (Kind.NOTE,):
        assert item.question
    if isinstance(item.start, datetime) and isinstance(item.end, datetime):
        assert item.end > item.start
    item.to_json()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, now=nows, tz=zones)
def test_any_text_parses_quickly(text, now, tz):
    """CPU time of this thread, so a busy machine (other tests, CI neighbours) doesn't make it flaky;
    the second parse of the text is timed, so a table built or a calendar module imported on first
    use (holidays' lunar calendars) is not."""
    parse(text, now, tz)
    gc.disable()                    # a collection of the whole suite's heap is not the parser's time
    try:
        t0 = time.thread_time()
        item = parse(text, now, tz)
        spent = time.thread_time() - t0
    finally:
        gc.enable()
    assert spent < 0.05
    assert item.source_text == text
    assert_valid(item)


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_any_reply_edits_or_declines(text):
    base = parse("Lunch with Anna on Friday at 1pm", NOW, "Europe/Berlin")
    got = apply_edit(base, text, NOW, "Europe/Berlin")
    assert got is None or (got.id == base.id and isinstance(got, Item))
    if got is not None:
        assert_valid(got)


def test_long_word_salad_is_fast():
    text = " ".join(LEXICON * 6)[:2000]
    t0 = time.thread_time()
    assert_valid(parse(text, NOW, "Europe/Berlin"))
    assert time.thread_time() - t0 < 0.05
