"""Kinds, titles, attendees, locations and forwarded messages (texts unlike the dev set's)."""
from datetime import datetime

import pytest

from assistant.core.item import Item
from assistant.core.parsing import parse

NOW = datetime.fromisoformat("2026-03-10T09:00:00+01:00")
TZ = "Europe/Berlin"


def p(text, lang=None):
    return parse(text, NOW, TZ, lang)


@pytest.mark.parametrize("text, kind", [
    ("Dinner with Kate on Thursday at 8pm", "event"),
    ("Remind me to call the plumber tomorrow at 10", "reminder"),
    ("Tomorrow at 9 remind me to call Anna", "reminder"),
    ("Don't forget to buy milk tomorrow", "reminder"),
    ("Pay the phone bill on the 25th", "reminder"),
    ("Water plants every 3 days", "reminder"),
    ("Check the oven in 20 minutes", "reminder"),
    ("Note: the server password is in the vault", "note"),
    ("Idea: podcast about small business finance", "note"),
    ("Jot down: call the accountant about VAT", "note"),
    ("What do I have on Friday?", "query"),
    ("Am I free tomorrow afternoon?", "query"),
    ("When is my dentist appointment?", "query"),
    ("Cancel my 10am meeting tomorrow", "cancel"),
    ("Delete tomorrow's standup", "cancel"),
    ("Move my 2pm meeting to 3pm", "reschedule"),
    ("Postpone lunch with Boris to next Tuesday", "reschedule"),
    ("Find a 45 minute slot with Anna next week", "find_time"),
    ("Drop off the kids at school at 8", "event"),
    ("Book club on Thursday at 7pm", "event"),
    ("qwerty zxcv", "unknown"),
    ("", "unknown"),
    ("?!", "unknown"),
])
def test_kinds(text, kind):
    assert p(text).kind == kind


@pytest.mark.parametrize("text, title", [
    ("Dinner with Kate on Thursday at 8pm", "Dinner with Kate"),
    ("Doctor appointment on April 14th at 10:15am", "Doctor appointment"),
    ("Lunch at Blue Bottle with Mike tomorrow at noon", "Lunch"),
    ("Remind me at noon to eat", "Eat"),
    ("Remind me to water the plants every Sunday", "Water the plants"),
    ("Morning standup at 9:30", "Morning standup"),
    ("Daily standup at 9:30", "Daily standup"),
    ("Night shift tomorrow from 1am to 4am", "Night shift"),
    ("Schedule a call with the Berlin team on Friday at 3", "Call with the Berlin team"),
    ("Please add dentist appointment on Monday at 8:30", "Dentist appointment"),
    ("Block 90 minutes for budget planning on Thursday afternoon", "Budget planning"),
])
def test_titles(text, title):
    assert p(text).title == title


@pytest.mark.parametrize("text, people", [
    ("Coffee with Tom and Jerry next Monday at 9:45", ["Tom", "Jerry"]),
    ("Meeting with Anna, Boris and Carl on Wednesday at 11am", ["Anna", "Boris", "Carl"]),
    ("Sync w/ Priya tmrw 10am", ["Priya"]),
    ("Call with the Sydney team at 8am", []),
    ("Lunch with anna tomorrow at one p m", ["Anna"]),
    ("Review with bob@example.com and Carol on Friday at 2", ["bob@example.com", "Carol"]),
    ("Call Anna at five thirty p m tomorrow", ["Anna"]),
])
def test_attendees(text, people):
    assert p(text).attendees == people


@pytest.mark.parametrize("text, place", [
    ("Lunch at Blue Bottle with Mike tomorrow at noon", "Blue Bottle"),
    ("Meeting at the office on Friday at 2", "the office"),
    ("Drinks at Joe's Bar Friday 7pm", "Joe's Bar"),
    ("Workshop in room 12 on Monday 10-12", "room 12"),
    ("Conference April 20-22 in Madrid", "Madrid"),
    ("Call at 5 tomorrow", None),
    ("Remind me in 2 hours to look at the report", None),
])
def test_locations(text, place):
    assert p(text).location == place


def test_forwarded_message_signature_and_title():
    item = p("Hi Anna, could we do a call on Monday at 3pm to discuss the budget? Thanks, Peter")
    assert item.kind == "event" and item.attendees == ["Peter"]
    assert item.title == "Call with Peter: discuss the budget"
    assert item.start.isoformat() == "2026-03-16T15:00:00+01:00"


@pytest.mark.parametrize("text, who, title", [
    ("Hey! Can we meet tomorrow at 11 to review the slides? Cheers, Tom", "Tom", "Meeting with Tom: review the slides"),
    ("Would you be free for lunch on Friday at 12:30? - Maria", "Maria", "Lunch with Maria"),
    ("Are you available next Tuesday at 10am for a call? Best regards, John Smith", "John Smith", "Call with John Smith"),
    ("Let's catch up Thursday at 4pm. Sarah", "Sarah", "Catch-up with Sarah"),
])
def test_forwarded_asks(text, who, title):
    item = p(text)
    assert item.attendees == [who]
    assert item.title == title


def test_note_title_and_body():
    item = p("Note: supplier list - Acme, Globex, Initech")
    assert item.kind == "note" and item.title == "Supplier list"
    assert item.body == "supplier list - Acme, Globex, Initech"
    assert item.start is None


def test_cancel_keeps_a_hint_and_the_matched_time():
    item = p("Cancel my 10am meeting tomorrow")
    assert item.title == "Meeting"
    assert item.start.isoformat() == "2026-03-11T10:00:00+01:00" and item.end is None
    assert item.match.title == "Meeting" and item.body is None
    assert item.match.start == item.start


@pytest.mark.parametrize("text, new_start, old_start", [
    ("Move my 2pm meeting to 3pm", "2026-03-10T15:00:00+01:00", "2026-03-10T14:00:00+01:00"),
    ("Reschedule my 3pm to tomorrow", "2026-03-11T15:00:00+01:00", "2026-03-10T15:00:00+01:00"),
    ("Reschedule the call with Anna to Friday at 11", "2026-03-13T11:00:00+01:00", None),
    ("Push my 4pm call back by an hour", "2026-03-10T17:00:00+01:00", "2026-03-10T16:00:00+01:00"),
    ("Postpone lunch with Boris to next Tuesday", "2026-03-17", None),
])
def test_reschedule(text, new_start, old_start):
    item = p(text)
    assert item.kind == "reschedule" and item.end is None
    assert item.start.isoformat() == new_start
    assert (item.match.start.isoformat() if item.match.start else None) == old_start
    assert Item.from_json(item.to_json()).match == item.match


def test_find_time_period_and_length():
    item = p("Find time for a 2 hour workshop with Boris and Carl this week")
    assert item.kind == "find_time" and item.duration_minutes == 120
    assert item.attendees == ["Boris", "Carl"]
    assert (item.start.isoformat(), item.end.isoformat()) == ("2026-03-10", "2026-03-16")


def test_confidence_ranges():
    assert p("asdfgh").confidence < 0.3
    sure = p("Dinner with Kate on Thursday at 8pm").confidence
    asking = p("Lunch with Anna").confidence
    assert 0 <= asking < sure <= 1


def test_source_text_kept():
    assert p("Lunch 12:30 tmrw w/ Dave").source_text == "Lunch 12:30 tmrw w/ Dave"


@pytest.mark.parametrize("text, kind", [
    ("Is there anything on Thursday afternoon?", "query"),
    ("Any meetings this afternoon?", "query"),
    ("Do I have meetings tomorrow?", "query"),
    ("Are you free on Friday at 3? - Ken", "event"),
])
def test_more_query_forms(text, kind):
    assert p(text).kind == kind


def test_room_numbers_are_not_times():
    item = p("Meeting with Ana Maria next Thursday 10:00-11:30 in room 2A")
    assert item.location == "room 2A" and item.attendees == ["Ana Maria"]
    assert item.start.isoformat() == "2026-03-19T10:00:00+01:00"


def test_bare_hour_after_to_in_reschedule():
    item = p("Move my 10am to 11")
    assert item.start.isoformat() == "2026-03-10T11:00:00+01:00"


def test_hourly_reminder():
    item = p("Remind me to stretch every hour")
    assert item.recurrence == "FREQ=HOURLY" and item.start.isoformat() == "2026-03-10T10:00:00+01:00"


def test_calendar_words_stay_out_of_titles():
    assert p("Put gym on my calendar for tomorrow at 6pm").title == "Gym"
    assert p("Reserve 3 hours for writing on Thursday morning").title == "Writing"


@pytest.mark.parametrize("text, start", [
    ("Meeting with Boris on Friday at 10.30 for 45 minutes.", "2026-03-13T10:30:00+01:00"),
    ("Flight to New York on April 2nd at 6.45 a.m.", "2026-04-02T06:45:00+02:00"),
    ("Board meeting on May 5th at 2.30 p.m. for two hours.", "2026-05-05T14:30:00+02:00"),
    ("dentist on march twenty fifth at nine fifteen", "2026-03-25T09:15:00+01:00"),
    ("remind me at three fifteen p m to pick up the kids", "2026-03-10T15:15:00+01:00"),
    ("meeting at ten oh five", "2026-03-10T10:05:00+01:00"),
])
def test_whisper_and_dictation_spellings(text, start):
    assert p(text).start.isoformat() == start


@pytest.mark.parametrize("text, start", [
    ("What did I have on Monday?", "2026-03-09"),          # said on Tuesday: yesterday
    ("what was on friday", "2026-03-06"),
    ("What happened on Thursday?", "2026-03-05"),
    ("What do I have on Monday?", "2026-03-16"),           # present tense: the coming one
    ("what did I have scheduled on March 2?", "2026-03-02"),   # the last March 2, not next year's
    ("what was on April 5?", "2025-04-05"),
    ("what did I have on the 31st?", "2026-01-31"),        # the last month with a 31st
    ("what did I have on March 2 2027?", "2027-03-02"),    # a year said stays
    ("Was hab ich am Mittwoch?", "2026-03-11"),            # German "was" is "what"
])
def test_a_question_in_the_past_tense_looks_back(text, start):
    from datetime import datetime

    from assistant.core.parsing import parse

    item = parse(text, datetime.fromisoformat("2026-03-10T09:00:00+01:00"), "Europe/Berlin")
    assert item.kind.value == "query" and item.start.isoformat() == start, item
