"""The conversation: every message the owner sends, typed, dictated or forwarded, lands here.

    idle ──request──► awaiting_confirmation ──yes──► (created) idle
                        │  ▲        │ no ──► (dropped) idle
              Edit/reply│  │preview │ Calendar ▸ ──► selecting_calendar ──name──► awaiting_confirmation
                        ▼  │
                      editing ──a date / a change──► awaiting_confirmation

A message that is not yes, no or an edit of the open item is a new request: it is read by the
understanding pipeline and handed on by kind — a preview (proposals), a question (agenda), a change to
an existing event (changes) or free slots (agenda.find_time).
"""
from __future__ import annotations

import logging
import time
from datetime import date, datetime, timedelta

from assistant import week_picture
from assistant.core import readback
from assistant.core.item import Item, Kind, Match
from assistant.core.parsing.period_reply import period_asked
from assistant.core.render import Reply
from assistant.core.states import ConversationState
from assistant.store import metrics
from assistant.usecases.agenda import Agenda
from assistant.usecases.changes import Changes
from assistant.usecases.deps import Deps
from assistant.usecases.proposals import WRITABLE, Proposals

log = logging.getLogger(__name__)

WHICH_DAY_THEN = "Which day then? Say a date, e.g. “Friday” or “the 18th”."
YES = {"yes", "y", "ok", "okay", "sure", "create", "confirm", "yep", "да", "ja"}
NO = {"no", "n", "cancel", "drop", "nope", "stop", "нет", "nein"}
NOT_UNDERSTOOD = ("Sorry, I didn't understand that. Try e.g. “Lunch with Anna tomorrow at 1pm”, "
                  "“remind me to call mom at 6pm” or “what do I have tomorrow?”.")
EMPTY = "Send me a request, e.g. “Lunch with Anna tomorrow at 1pm”."


class Conversation:
    def __init__(self, deps: Deps, proposals: Proposals, changes: Changes, agenda: Agenda):
        self.deps = deps
        self.proposals = proposals
        self.changes = changes
        self.agenda = agenda
        self.notes = None
        """The read-back use case (`usecases.notes.Notes`), set by `usecases.build`."""

    def handle_text(self, chat_id: int, text: str, sender: str | None = None, forwarded: bool = False,
                    about: date | None = None) -> Reply:
        """A typed or transcribed message; `forwarded` (with the forward's `sender`) makes it a new request
        whatever is open; `about` is the day of the message it replies to (the daily agenda)."""
        started = time.perf_counter()
        text = text.strip()
        if not text:
            return Reply(EMPTY)
        reply = None
        if not forwarded and not self.deps.understanding.is_email(text):
            reply = self._answer_open(chat_id, text)
        if reply is None:
            reply = self.new_request(chat_id, text, sender, forwarded, about)
        ms = round(1000 * (time.perf_counter() - started), 2)
        log.info("request handled", extra={"chars": len(text), "ms": ms})
        metrics.of(self.deps.store).record(metrics.REQUEST_MS, ms, preview=reply.is_preview)
        notices = self.deps.understanding.take_notices()
        if notices:   # said once: a refused API key, say — the request itself was answered offline
            reply.more = [*reply.more, *(Reply(f"⚠️ {notice}") for notice in notices)]
        return reply

    def handle_forward(self, chat_id: int, text: str, sender: str | None) -> Reply:
        """A forwarded message or a pasted e-mail: its sender becomes an attendee and the text context."""
        return self.handle_text(chat_id, text, sender, forwarded=True)

    def new_request(self, chat_id: int, text: str, sender: str | None = None, forwarded: bool = False,
                    about: date | None = None) -> Reply:
        asked = None if forwarded or self.notes is None else readback.recognise(text)
        if asked is not None:   # "show my notes about wifi", "what reminders do I have"
            return self.notes.read_back(chat_id, asked)
        items = self.deps.understanding.read(text, self.deps.context(sender, forwarded))
        return self._answer_all(chat_id, [on_day(item, about) for item in items] if about else items)

    def _answer_all(self, chat_id: int, items: list[Item]) -> Reply:
        """One answer per request the message holds; with several, the first preview is the open one and
        the others follow it in turn (yes, no or an edit apply to the open one)."""
        first, *rest = [self.route(chat_id, item) for item in items]
        if rest:
            waiting = [r.item_id for r in (first, *rest) if r.item_id and r.is_preview]
            if waiting:
                self.deps.store.conversations.set(chat_id, ConversationState.AWAITING_CONFIRMATION, waiting[0],
                                                  {"queue": waiting[1:]})
            first.more = rest
        return first

    def reread(self, chat_id: int, item_id: str | None, text: str) -> Reply:
        """The owner edited the message `item_id` was read from: read it again into the same item while
        its preview is open; once created or dropped, an edit changes nothing (and they are told so)."""
        item = self.deps.store.items.get(item_id) if item_id else None
        if item is None or not self.proposals.is_current(chat_id, item_id) or self.proposals.is_done(item_id):
            return Reply("I saw your edit, but it changes nothing: that message's request is already handled. "
                         "Reply to its preview with what should change, or send a new message.")
        fresh = self.deps.understanding.read(text.strip(), self.deps.context())[0]
        return self.route(chat_id, fresh.with_changes(id=item_id, target=item.target if fresh.kind == item.kind else None))

    def route(self, chat_id: int, item: Item) -> Reply:
        """A freshly read item: a question back, an answer, or a preview to confirm."""
        if week_picture.asks_for_week(item.source_text):      # "show me my week", however it was read
            return self.agenda.week_of(item)
        if item.needs_clarification:
            return self.proposals.ask_when(chat_id, item, item.question or "Which date and time did you mean?")
        handler = {Kind.QUERY: self.agenda.query, Kind.CANCEL: self.changes.cancel,
                   Kind.RESCHEDULE: self.changes.reschedule, Kind.FIND_TIME: self.agenda.find_time}.get(item.kind)
        if handler:
            return handler(chat_id, item)
        if item.kind in WRITABLE:
            return self.proposals.offer(chat_id, item)
        return Reply(NOT_UNDERSTOOD)

    def _answer_open(self, chat_id: int, text: str) -> Reply | None:
        """yes / no / a calendar's name / an edit of the open item; None when it is none of those."""
        conversation = self.deps.store.conversations.get(chat_id)
        item_id = conversation["item_id"]
        if conversation["state"] == ConversationState.IDLE or not item_id:
            return None
        word = text.lower().strip(" .!")
        about_event = self.changes.is_open(conversation)
        item = None if about_event else self.deps.store.items.get(item_id)
        guess = item if item is not None and offers_a_day(item) else None
        if word in YES and guess is None:
            return self.changes.apply(chat_id, item_id) if about_event else self.proposals.confirm(chat_id, item_id)
        if word in NO and guess is not None:        # "did you mean Wednesday, June 17?" "no"
            return self.proposals.ask_when(chat_id, guess.with_changes(question=WHICH_DAY_THEN), WHICH_DAY_THEN)
        if word in NO:
            return self.proposals.drop(chat_id, item_id)
        if conversation["state"] == ConversationState.SELECTING_CALENDAR:
            names = {n.lower(): n for n in self.deps.calendars.names()}
            if word in names:
                return self.proposals.choose_target(chat_id, item_id, names[word])
        if item is None:
            return None
        edited = self.deps.understanding.edit(item, text, self.deps.context())
        if edited is None:
            return None
        metrics.of(self.deps.store).edited(item_id)
        return self.proposals.offer(chat_id, edited)


def offers_a_day(item: Item) -> bool:
    """Does the item wait for a yes to a day offered ("did you mean June 17?"), not a period's day?"""
    return item.within is not None and item.needs_clarification and period_asked(item) is None


def on_day(item: Item, day: date) -> Item:
    """A request replying to a day's agenda ("move the 3pm to tomorrow", "cancel the dentist", "what is
    at 4?") is about that day: the event it names is looked for on it, whatever the clock says now."""
    if item.kind in (Kind.CANCEL, Kind.RESCHEDULE):
        match = item.match or Match(title=item.title or None)
        start = match.start
        if isinstance(start, datetime):
            start = datetime.combine(day, start.timetz())
        elif start is None:
            start = day
        return item.with_changes(match=Match(title=match.title, start=start))
    if item.kind == Kind.QUERY and item.start is None:
        return item.with_changes(start=day, end=day + timedelta(days=1), all_day=True)
    return item
