"""Reading back what was stored (/notes, /reminders, plain words, replies to a note), routing rules through
the conversation, /settings listing the rules, and notes routed to Notion and Apple Notes end to end."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import socket

import httpx
import icalendar
import pytest

from assistant.calendars import Calendars
from assistant.config import Config, NotesSection, RoutingRule, RoutingSection
from assistant.connectors.local import export_ics
from assistant.connectors.memory import MemoryConnector
from assistant.store import Store
from assistant.usecases import build
from assistant.usecases.notes import FORGET, MORE, Listing
from tests.fakes.notion_server import FakeNotion

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2030, 3, 25, 8, 0, tzinfo=BERLIN)      # a Monday
CHAT = 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def world(tmp_path, routing: RoutingSection | None = None, notes: list | None = None, **connectors):
    store = Store(tmp_path / "data" / "assistant.db")
    config = Config(routing=routing or RoutingSection(), notes=notes or [])
    config.assistant.timezone = "Europe/Berlin"
    config.assistant.data_dir = str(tmp_path / "data")
    calendars = Calendars(config, store, connectors=connectors) if connectors else None
    return build(config, store, calendars=calendars, clock=lambda: NOW), store


def say(usecases, *lines: str):
    reply = None
    for line in lines:
        reply = usecases.conversation.handle_text(CHAT, line)
    return reply


def test_notes_are_listed_newest_first_in_pages_and_searched(tmp_path):
    usecases, store = world(tmp_path)
    for i in range(7):
        done = say(usecases, f"note: idea number {i} for the shop", "yes")
        assert "Note saved" in done.text
    say(usecases, "note: the office wifi password is hunter2", "yes")
    page = usecases.notes.list(CHAT)
    assert isinstance(page, Listing) and len(page.parts) == 5
    assert page.text.startswith("📝 Notes (1–5 of 8)")
    assert "hunter2" in page.parts[0].text                       # newest first
    assert [p.item_id for p in page.parts] == [p.item_id for p in page.parts if p.item_id]
    [[more]] = page.buttons
    assert more.label == "More ▸" and more.action.startswith(MORE)
    assert page.parts[-1].buttons == page.buttons and "Reply to a note" in page.parts[-1].text
    rest = usecases.notes.action(CHAT, more.action)
    assert rest.text.startswith("📝 Notes (6–8 of 8)") and not rest.buttons
    assert "Idea number 0" in rest.parts[-1].text

    found = usecases.notes.list(CHAT, "wifi")
    assert found.text.startswith("📝 Notes about “wifi” (1–1 of 1)") and "hunter2" in found.text
    assert usecases.notes.list(CHAT, "printer").text == "No notes about “printer”."
    plain = say(usecases, "show my notes about wifi")
    assert plain.text == found.text


def test_no_notes_yet_says_how_to_make_one(tmp_path):
    usecases, _ = world(tmp_path)
    assert "note:" in usecases.notes.list(CHAT).text


def test_replying_delete_or_add_to_a_note(tmp_path):
    usecases, store = world(tmp_path)
    say(usecases, "note: the office wifi password is hunter2", "yes")
    say(usecases, "note: buy milk", "yes")
    page = usecases.notes.list(CHAT)
    wifi, milk = page.parts[1].item_id, page.parts[0].item_id
    usecases.notes.shown(CHAT, 500, wifi)
    usecases.notes.shown(CHAT, 501, milk)

    assert usecases.notes.on_reply(CHAT, 500, "make it 4pm") is None          # not about the note: read as usual
    assert usecases.notes.on_reply(CHAT, 999, "delete") is None               # not a note's message
    added = usecases.notes.on_reply(CHAT, 500, "add: guest network is lobby")
    assert added.text.startswith("✏️ Added.") and "guest network is lobby" in added.text
    again = usecases.notes.on_reply(CHAT, 500, "add: router in room 2")
    assert "router in room 2" in again.text
    [row] = [n for n in store.notes.all() if n["id"] == wifi]
    assert row["body"] == "the office wifi password is hunter2\nguest network is lobby\nrouter in room 2"
    assert "router in room 2" in usecases.notes.list(CHAT, "wifi").text

    deleted = usecases.notes.on_reply(CHAT, 501, "delete")
    assert deleted.text == "🗑 Deleted: Buy milk"
    assert [n["id"] for n in store.notes.all()] == [wifi]
    assert "milk" not in usecases.notes.list(CHAT).text.lower()
    assert usecases.notes.on_reply(CHAT, 501, "delete").text == "That note is no longer stored."


def test_reminders_are_listed_soonest_first_and_a_tap_cancels_one(tmp_path):
    usecases, store = world(tmp_path)
    assert "No upcoming reminders" in usecases.notes.reminders(CHAT).text
    say(usecases, "remind me tomorrow at 9 to call the bank", "yes")
    say(usecases, "remind me every monday at 9 to water the plants", "yes")
    listed = usecases.notes.reminders(CHAT)
    lines = listed.text.splitlines()
    assert lines[0] == "⏰ Upcoming reminders"
    assert lines[1].startswith("1. Water the plants — Mon 25 Mar 2030, 09:00") and "🔁 every Monday" in lines[1]
    assert lines[2].startswith("2. Call the bank — Tue 26 Mar 2030, 09:00")
    assert [b.label for row in listed.buttons for b in row] == ["🗑 1. Water the plants", "🗑 2. Call the bank"]
    assert say(usecases, "what reminders do I have").text == listed.text

    water = listed.buttons[0][0].action
    assert water.startswith(FORGET)
    after = usecases.notes.action(CHAT, water)
    assert after.text.startswith("🗑 Cancelled: Water the plants")
    assert "Water the plants" not in after.text.split("\n\n", 1)[1]
    assert [r["title"] for r in store.reminders.pending()] == ["Call the bank"]
    assert usecases.notes.action(CHAT, water).text.startswith("That reminder is already gone.")


def test_notes_on_another_target_are_read_back_and_deleted_there(tmp_path):
    notebook = MemoryConnector("notebook", BERLIN)
    usecases, _ = world(tmp_path, RoutingSection(note="notebook"), notebook=notebook)
    done = say(usecases, "note: the office wifi password is hunter2", "yes")
    assert "Note saved" in done.text and len(notebook.notes) == 1
    page = usecases.notes.list(CHAT)
    assert "notebook" in page.text
    usecases.notes.shown(CHAT, 7, page.parts[0].item_id)
    usecases.notes.on_reply(CHAT, 7, "add: guest: lobby")
    [kept] = notebook.notes.values()
    assert kept.body.endswith("guest: lobby")
    usecases.notes.on_reply(CHAT, 7, "delete")
    assert notebook.notes == {}


def test_a_routing_rule_sends_client_requests_to_office(tmp_path):
    office = MemoryConnector("office", BERLIN)
    routing = RoutingSection(rules=[RoutingRule(keywords=["client"], target="office")])
    usecases, store = world(tmp_path, routing, office=office)
    preview = say(usecases, "call with the client tomorrow at 10")
    assert "Calendar: office" in preview.text
    say(usecases, "yes")
    [written] = [office.get(uid) for uid in [c[1] for c in office.calls if c[0] == "create"]]
    assert written.title == "Call with the client" and written.start.hour == 10
    preview = say(usecases, "lunch tomorrow at 1")
    assert "Built-in calendar" in preview.text
    say(usecases, "yes")
    assert [e["title"] for e in store.events.all()] == ["Lunch"]
    settings = usecases.commands.settings().text
    assert "Routing rules (the first that matches wins):" in settings
    assert "1. anything with “client” → Calendar: office" in settings


def test_settings_without_rules(tmp_path):
    usecases, _ = world(tmp_path)
    assert "Routing rules: none" in usecases.commands.settings().text


def test_a_note_routed_to_notion_lands_once_as_a_page(tmp_path):
    with FakeNotion() as notion:
        section = NotesSection(type="notion", name="notion", token=notion.token, database=notion.database_id,
                               base_url=notion.base_url)
        usecases, _ = world(tmp_path, RoutingSection(note="notion"), [section])
        try:
            assert "notion" in usecases.deps.calendars.names()
            preview = say(usecases, "note: the office wifi password is hunter2")
            assert "notion" in preview.text
            done = say(usecases, "yes")
            assert "Note saved" in done.text and "notion.so" in done.text
            say(usecases, "yes")                                             # a repeated yes writes nothing
            [page] = notion.pages_in()
            assert notion.title_of(page) == "The office wifi password is hunter2"
            assert notion.text_of(page["id"]) == "the office wifi password is hunter2"
            assert "hunter2" in usecases.notes.list(CHAT).text
        finally:
            usecases.close()


def test_a_note_routed_to_apple_notes_waits_for_the_phone(tmp_path):
    port = free_port()
    section = NotesSection(type="apple_notes", name="iphone", listen=f"127.0.0.1:{port}", token="t0ken")
    usecases, _ = world(tmp_path, RoutingSection(note="iphone"), [section])
    bridge = usecases.deps.calendars.connectors["iphone"]
    bridge.start_serving()
    try:
        say(usecases, "note: buy milk", "yes")
        listed = httpx.get(f"http://127.0.0.1:{port}/notes/pending", headers={"Authorization": "Bearer t0ken"}).json()
        assert [n["title"] for n in listed] == ["Buy milk"]
        assert httpx.get(f"http://127.0.0.1:{port}/notes/pending").status_code == 401
    finally:
        usecases.close()
    assert not bridge.serving


def test_the_ics_export_holds_what_was_stored(tmp_path):
    usecases, store = world(tmp_path)
    store.contacts.set("Boris Petrov", "boris@example.com")
    say(usecases, "lunch with Boris and Anna tomorrow at 1", "yes")
    say(usecases, "remind me tomorrow at 9 to call the bank", "yes")
    say(usecases, "remind me every monday at 9 to water the plants", "yes")
    say(usecases, "note: the office wifi password is hunter2", "yes")
    cal = icalendar.Calendar.from_ical(export_ics(store, BERLIN))
    [event] = cal.walk("VEVENT")
    people = {str(a.params.get("CN")): str(a) for a in event.get("ATTENDEE")}
    assert people["Boris Petrov"] == "mailto:boris@example.com"
    assert people["Anna"] == "invalid:nomail"
    todos = {str(t["SUMMARY"]): t for t in cal.walk("VTODO")}
    assert set(todos) == {"Call the bank", "Water the plants"}
    bank = todos["Call the bank"]
    assert bank.decoded("DUE") == datetime(2030, 3, 26, 9, tzinfo=BERLIN)
    [alarm] = bank.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY" and alarm["TRIGGER"].params["RELATED"] == "END"
    assert todos["Water the plants"]["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO"
    [journal] = cal.walk("VJOURNAL")
    assert str(journal["SUMMARY"]) == "The office wifi password is hunter2"
    assert str(journal["DESCRIPTION"]) == "the office wifi password is hunter2"
    assert journal.get("DTSTART") is not None


@pytest.mark.parametrize("text", ["note: the office wifi password is hunter2", "remind me to show my notes to Anna",
                                  "lunch tomorrow at 1"])
def test_requests_are_not_taken_for_questions(tmp_path, text):
    usecases, _ = world(tmp_path)
    reply = say(usecases, text)
    assert not isinstance(reply, Listing)
    assert not reply.text.startswith(("📝 Notes", "⏰ Upcoming", "No notes", "No upcoming"))


def test_the_console_prints_pages_and_cancels_a_reminder_by_number(tmp_path):
    import io

    from assistant.channels.console import Console

    usecases, store = world(tmp_path)
    out = io.StringIO()
    console = Console(usecases, out)
    for i in range(6):
        console.handle(f"note: idea {i} for the shop")
        console.handle("yes")
    console.handle("remind me tomorrow at 9 to call the bank")
    console.handle("yes")
    start = len(out.getvalue())
    console.handle("/notes")
    page = out.getvalue()[start:]
    assert page.startswith("📝 Notes (1–5 of 6)") and "→ /more for the next page" in page
    assert "Reply to a note" not in page                       # Telegram's hint, not the console's
    start = len(out.getvalue())
    console.handle("/more")
    assert out.getvalue()[start:].startswith("📝 Notes (6–6 of 6)")
    console.handle("/reminders")
    assert "1. Call the bank" in out.getvalue() and "type a number to cancel" in out.getvalue()
    console.handle("1")
    assert "🗑 Cancelled: Call the bank" in out.getvalue()
    assert store.reminders.pending() == []
