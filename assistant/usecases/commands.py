"""The owner's commands about the assistant itself: /settings, /contacts, /timezone and /pending."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import available_timezones

from assistant.core import render
from assistant.core.item import Item
from assistant.core.render import Button, Reply
from assistant.core.states import ItemStatus
from assistant.core.zones import zone_named
from assistant.usecases.deps import TIMEZONE_KEY, Deps

CONTACTS_USAGE = "Say it as /contacts Name address@example.com, or /contacts remove Name."
FORGET = ("remove", "delete", "forget")


class Commands:
    def __init__(self, deps: Deps):
        self.deps = deps

    def settings(self) -> Reply:
        """/settings: what the assistant is working with (no secrets)."""
        config, zone = self.deps.config, self.deps.zone
        routing = config.routing
        lines = ["Settings", f"Time zone: {getattr(zone, 'key', str(zone))} (change with /timezone)",
                 "Calendars: " + ", ".join(render.target_text(n) for n in self.deps.calendars.names()),
                 f"New events go to: {render.target_text(routing.event)}",
                 f"Reminders go to: {render.target_text(routing.reminder)}",
                 f"Notes go to: {render.target_text(routing.note)}",
                 *rule_lines(routing.rules),
                 f"Speech: {config.speech.engine}",
                 "Language model: " + self.deps.understanding.summary(),
                 "Change the rest in config.toml or with `assistant setup`."]
        return Reply("\n".join(lines))

    def contacts(self, args: str) -> Reply:
        """/contacts: list; `/contacts Boris boris@example.com` adds or corrects; `/contacts remove Boris`."""
        contacts = self.deps.store.contacts
        words = args.split()
        if not words:
            rows = contacts.all()
            if not rows:
                return Reply("No contacts yet. I learn them from your events' attendees, or add one: "
                             "/contacts Boris boris@example.com")
            return Reply("Contacts:\n" + "\n".join(f"• {r['name']} — {r['email']}" for r in rows))
        if words[0].lower() in FORGET and len(words) > 1:
            removed = contacts.remove(" ".join(words[1:]))
            return Reply(f"Forgot {removed} contact(s)." if removed else "No contact by that name or address.")
        emails = [w.strip("<>,") for w in words if "@" in w]
        name = " ".join(w for w in words if "@" not in w).strip(" =:-")
        if len(emails) != 1 or not name:
            return Reply(CONTACTS_USAGE)
        contacts.set(name, emails[0])
        return Reply(f"Saved: {name} — {emails[0].lower()}")

    def timezone(self, name: str) -> Reply:
        """/timezone ZONE: remembered in the database, so it outlives restarts and config edits."""
        name = name.strip()
        if not name:
            zone = self.deps.zone
            return Reply(f"Your time zone is {getattr(zone, 'key', str(zone))}. "
                         "Change it with e.g. /timezone Europe/Berlin")
        candidate = find_zone(name)
        if candidate is None:
            return Reply(f"I don't know the time zone “{name}”. Use an IANA name such as Europe/Berlin, "
                         "America/New_York or Asia/Tokyo.")
        self.deps.use_zone(candidate)
        self.deps.store.settings.set(TIMEZONE_KEY, candidate)
        return Reply(f"Time zone set to {candidate}; it is now {self.deps.now():%H:%M} there.")

    def sync(self) -> Reply:
        """/sync: refresh every connected calendar now and say how each one is."""
        calendars = self.deps.calendars
        calendars.sync()
        states = calendars.sync_status()
        if not states:
            return Reply("Only the built-in calendar is in use: nothing to sync.")
        lines = ["Calendars synced:"]
        for name, state in states.items():
            if state.get("error"):
                lines.append(f"⚠️ {render.target_text(name)}: {state['error']}")
            elif state.get("synced_at"):
                when = datetime.fromisoformat(state["synced_at"]).astimezone(self.deps.zone)
                lines.append(f"✅ {render.target_text(name)}: up to date ({when:%H:%M})")
            else:
                lines.append(f"• {render.target_text(name)}: not synced (it is not a calendar I read)")
        return Reply("\n".join(lines))

    def pending(self) -> Reply:
        """/pending: writes still waiting for a calendar, and voice notes not transcribed yet."""
        store, zone = self.deps.store, self.deps.zone
        lines = []
        for row in store.items.with_status(ItemStatus.CONFIRMED, ItemStatus.FAILED):
            item = Item.from_json(row["data"])
            state = "failed" if row["status"] == ItemStatus.FAILED else "waiting"
            detail = f": {row['error']}" if row["error"] else ""
            lines.append(f"• {item.title or '(no title)'} → {render.target_text(row['target'] or 'local')} "
                         f"({state}{detail})")
        voices = store.voice_files.pending()
        for row in voices:
            when = datetime.fromisoformat(row["created_at"]).astimezone(zone)
            detail = f" — {row['error']}" if row["error"] else ""
            lines.append(f"• 🎙 voice note of {when:%d %b %H:%M}, not transcribed{detail}")
        if not lines:
            return Reply("Nothing pending: every request is written and every voice note transcribed.")
        buttons = [[Button("🔁 Transcribe again", "retry_voice")]] if voices else []
        return Reply("Pending:\n" + "\n".join(lines), buttons)


def rule_lines(rules) -> list[str]:
    """The `[[routing.rules]]`, in the order they are tried: "1. events with “client”, “invoice” → office"."""
    if not rules:
        return ["Routing rules: none (the defaults above apply)"]
    lines = ["Routing rules (the first that matches wins):"]
    for number, rule in enumerate(rules, 1):
        kind = {"event": "events", "reminder": "reminders", "note": "notes"}.get(str(rule.kind or ""), "anything")
        conditions = []
        if rule.keywords:
            conditions.append("with " + " or ".join(f"“{k}”" for k in rule.keywords))
        if rule.attendees:
            conditions.append("with " + " or ".join(rule.attendees))
        lines.append(f"{number}. {' '.join([kind, *conditions])} → {render.target_text(rule.target)}")
    return lines


def find_zone(name: str) -> str | None:
    """An IANA zone from what the owner typed: exact, case-insensitive, or a city ("berlin", "new york")."""
    wanted = name.strip().replace(" ", "_")
    if zone_named(wanted) is not None:
        return wanted
    lowered = wanted.lower()
    for zone in sorted(available_timezones()):
        if zone.lower() == lowered or zone.lower().rsplit("/", 1)[-1] == lowered:
            return zone
    return None
