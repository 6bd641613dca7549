"""What is planned, and when there is time: /today, /week, "what do I have on Friday?", "when is the
dentist?", and "find 30 minutes with Boris next week"."""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from assistant import week_picture
from assistant.core import availability, render
from assistant.core.item import Item, Kind
from assistant.core.render import Button, Reply
from assistant.core.states import ConversationState, ItemStatus
from assistant.core.zones import midnight
from assistant.usecases.deps import Deps
from assistant.usecases.proposals import entry_of

log = logging.getLogger(__name__)

AGENDA_KEY = "agenda.last_sent"
MAX_DAYS = 90
WEEK_DAYS = 7
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
        """/week: the next seven days as a list and as a picture."""
        return self.picture(self.deps.now().date(), WEEK_DAYS, "The next 7 days")

    def picture(self, start: date, days: int = WEEK_DAYS, title: str = "The next 7 days") -> Reply:
        """The days from `start` as the agenda's list with a picture of them (drawn on the caller's thread:
        the runtime's worker for the bot). When the picture cannot be drawn the list answers alone."""
        zone = self.deps.zone
        events = self.deps.calendars.events_between(midnight(start, zone), midnight(start + timedelta(days=days), zone))
        entries = [entry_of(b) for b in events]
        return Reply(render.agenda(entries, zone, title), photo=self._draw(events, entries, start, days, title))

    def _draw(self, events: list, entries: list, start: date, days: int, title: str) -> bytes | None:
        deps = self.deps
        prefs = deps.calendars.prefs()
        sections = {c.name: c for c in deps.config.calendars}
        quiet = frozenset(entry for busy, entry in zip(events, entries)
                          if busy.transparent or not getattr(sections.get(busy.calendar), "busy", True))
        view = week_picture.View(
            start=start, days=days, title=title, work_days=prefs.work_days, work_start=prefs.work_start,
            work_end=prefs.work_end, working_days_only=deps.config.agenda.picture_days == "working",
            free_minimum=timedelta(minutes=deps.config.agenda.free_minutes), all_day_blocks=prefs.all_day_blocks,
            colours=week_picture.calendar_colours(["local", *sections, *deps.calendars.connectors]),
            non_blocking=quiet)
        try:
            return week_picture.render(entries, deps.zone, view, deps.now())
        except Exception as exc:  # noqa: BLE001 (the list still answers; the picture is a bonus)
            log.warning("week picture not drawn", extra={"error": type(exc).__name__})
            return None

    def upcoming(self, days: int = 14) -> Reply:
        """/agenda: everything from today on, `days` days ahead."""
        days = max(1, min(days, MAX_DAYS))
        return self._days(0, days, f"The next {days} days")

    def daily(self, now: datetime) -> Reply | None:
        """The morning agenda when it is due at `now` (once a day); None when not due or already sent.

        Sent at `[agenda] time` in the owner's zone, or late when the assistant was not running then —
        but not after noon (or an hour after its time, for an agenda set after noon): then it is skipped
        for the day rather than arriving when the day is half over."""
        wanted = self.deps.config.agenda.time
        if not wanted:
            return None
        zone = self.deps.zone
        local = now.astimezone(zone)
        hours, minutes = (int(part) for part in wanted.split(":"))
        due = local.replace(hour=hours, minute=minutes, second=0, microsecond=0)
        settings = self.deps.store.settings
        if local < due or settings.get(AGENDA_KEY) == local.date().isoformat():
            return None
        settings.set(AGENDA_KEY, local.date().isoformat())
        latest = max(due + timedelta(hours=1), due.replace(hour=12, minute=0))
        if local > latest:
            log.info("daily agenda skipped: too late in the day")
            return None
        return self.day_summary(local.date())

    def day_summary(self, day: date) -> Reply:
        """A day at a glance: its events, reminders due, clashes, and free blocks in working hours."""
        zone, deps = self.deps.zone, self.deps
        start, end = midnight(day, zone), midnight(day + timedelta(days=1), zone)
        events = deps.calendars.events_between(start, end)
        lines = [render.agenda([entry_of(b) for b in events], zone, f"Good morning — {render.day_text(day)}")]
        due = [r for r in deps.store.reminders.pending()
               if start <= datetime.fromisoformat(r["fire_at"]) < end]
        if due:
            lines.append("\nReminders today:")
            lines += [f"  {datetime.fromisoformat(r['fire_at']).astimezone(zone):%H:%M}  {r['title']}" for r in due]
        timed = [(b.start, b.end, b.title or "(busy)") for b in events if not b.all_day and not b.transparent]
        clashes = availability.overlapping(timed)
        if clashes:
            lines.append("\n⚠️ Clashes: " + "; ".join(f"{a} × {b}" for a, b in clashes))
        prefs = deps.calendars.prefs()
        if day.weekday() in prefs.work_days:
            free = availability.free_blocks(
                [(s, e) for s, e, _ in timed], datetime.combine(day, prefs.work_start, tzinfo=zone),
                datetime.combine(day, prefs.work_end, tzinfo=zone),
                timedelta(minutes=deps.config.agenda.free_minutes))
            if free:
                lines.append("\nFree: " + ", ".join(render.slot_text(s, e, zone) for s, e in free))
        photo = None
        if deps.config.agenda.picture:
            photo = self._draw(events, [entry_of(b) for b in events], day, 1, render.day_text(day))
        return Reply("\n".join(lines), photo=photo, day=day)

    def query(self, chat_id: int, item: Item) -> Reply:
        """A question: "am I free …" (yes or no for its window), a period's agenda, or the next event
        matching the words ("when is the dentist?")."""
        if availability.asks_if_free(item.source_text) and item.start is not None:
            return self.free(item)
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

    def week_of(self, item: Item) -> Reply:
        """The picture of the seven days from the question's first day (today when it names none)."""
        today = self.deps.now().date()
        start = item.start
        if isinstance(start, datetime):
            start = start.astimezone(self.deps.zone).date()
        if not isinstance(start, date) or start <= today:
            return self.week()
        return self.picture(start, WEEK_DAYS, f"Week of {render.day_text(start)}")

    def free(self, item: Item) -> Reply:
        """Yes or no for the window asked about, naming what is in it. A window given as whole days
        means those days' working hours (a Saturday: the whole day)."""
        zone = self.deps.zone
        start, end = item.start, item.end
        if not isinstance(start, datetime):
            first = start
            last = end if isinstance(end, date) and not isinstance(end, datetime) and end > start \
                else start + timedelta(days=1)
            prefs = self.deps.calendars.prefs()
            single_workday = last - first == timedelta(days=1) and first.weekday() in prefs.work_days
            start = datetime.combine(first, prefs.work_start, tzinfo=zone) if single_workday else midnight(first, zone)
            end = datetime.combine(first, prefs.work_end, tzinfo=zone) if single_workday else midnight(last, zone)
        elif not isinstance(end, datetime) or end <= start:
            end = start + timedelta(minutes=item.duration_minutes or 60)
        window = render.slot_day_text(start, end, zone)
        busy = [b for b in self.deps.calendars.busy(start, end) if b.end > start and b.start < end]
        if not busy:
            return Reply(f"Yes — you're free {window}.")
        lines = [f"No — {window} you have:"] + [f"  {render.entry_when(entry_of(b), zone)}  {b.title or '(busy)'}"
                                                 for b in busy]
        return Reply("\n".join(lines))

    def find_time(self, chat_id: int, item: Item) -> Reply:
        """Free slots as buttons; picking one turns the request into an event preview."""
        slots = self.deps.calendars.find_time(item, self.deps.now())
        if not slots:
            return Reply("I found no free slot in that period within your working hours.")
        length = item.duration_minutes or availability.FIND_TIME_MINUTES
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
