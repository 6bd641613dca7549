"""What is planned, and when there is time: /today, /week, "what do I have on Friday?", "when is the
dentist?", and "find 30 minutes with Boris next week"."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from assistant.core import render
from assistant.core.item import Item, Kind
from assistant.core.render import Button, Reply
from assistant.core.states import ConversationState, ItemStatus
from assistant.core.zones import midnight
from assistant.usecases.deps import Deps
from assistant.usecases.proposals import entry_of

MAX_DAYS = 90
SLOTS_SHOWN = 5


class Agenda:
    def __init__(self, deps: Deps):
        self.deps = deps

    def between(self, start: date, end: date, title: str) -> Reply:
        zone = self.deps.zone
        entries = [entry_of(b) for b in self.deps.calendars.events_between(midnight(start, zone), midnight(end, zone))]
        return Reply(render.agenda(entries, zone, title))

    def _days(self, offset: int, count: int, title: str) -> Reply:
        day = self.deps.now().date() + timedelta(days=offset)
        return self.between(day, day + timedelta(days=count), title)

    def today(self) -> Reply:
        return self._days(0, 1, "Today")

    def tomorrow(self) -> Reply:
        return self._days(1, 1, "Tomorrow")

    def week(self) -> Reply:
        return self._days(0, 7, "The next 7 days")

    def upcoming(self, days: int = 14) -> Reply:
        """/agenda: everything from today on, `days` days ahead."""
        days = max(1, min(days, MAX_DAYS))
        return self._days(0, days, f"The next {days} days")

    def query(self, chat_id: int, item: Item) -> Reply:
        """A question: a period's agenda, or the next event matching the words."""
        if isinstance(item.start, date) and isinstance(item.end, date):
            start = item.start.date() if isinstance(item.start, datetime) else item.start
            end = item.end.date() if isinstance(item.end, datetime) else item.end
            end = max(end, start + timedelta(days=1))
            title = render.day_text(start)
            if end - start > timedelta(days=1):
                title += f" – {render.day_text(end - timedelta(days=1))}"
            return self.between(start, end, title)
        now = self.deps.now()
        upcoming = [m for m in self.deps.calendars.find_matching(item, now) if m.end > now]
        if not upcoming:
            return Reply("I found nothing matching that in the next weeks.")
        first = entry_of(upcoming[0])
        return Reply(f"Next: {first.title} — {render.entry_when(first, self.deps.zone)}")

    def find_time(self, chat_id: int, item: Item) -> Reply:
        """Free slots as buttons; picking one turns the request into an event preview."""
        slots = self.deps.calendars.find_time(item, self.deps.now())
        if not slots:
            return Reply("I found no free slot in that period within your working hours.")
        length = item.duration_minutes or 60
        title = "Meeting" + (" with " + ", ".join(item.attendees) if item.attendees else "")
        proposal = item.with_changes(kind=Kind.EVENT, title=item.title or title)
        shown = slots[:SLOTS_SHOWN]
        self.deps.store.items.save(proposal, ItemStatus.PROPOSED, chat_id)
        self.deps.store.conversations.set(chat_id, ConversationState.AWAITING_CONFIRMATION, item.id,
                                          {"alternatives": [[s.start.isoformat(), s.end.isoformat()] for s in shown]})
        labels = [render.slot_day_text(s.start, s.end, self.deps.zone) for s in shown]
        lines = [f"Free {length}-minute slots:", *(f"• {label}" for label in labels)]
        buttons = [[Button(label, f"slot:{i}")] for i, label in enumerate(labels)]
        return Reply("\n".join(lines), buttons, item_id=item.id)
