"""What kind of request a text is: note, reminder, query, cancel, reschedule, find_time, event.

Decided from the first words (after greetings and fillers like "please", "can you") against the
language's `KIND_PREFIXES`, with a few guards so that "Drop off the kids at 8" is not a cancel and
"Are you available Thursday? - Julia" is not a query. The request words are marked with role
`ROLE_KIND` so they stay out of the title.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..item import Kind
from .lexicons import Lexicon
from .tokens import NUMERIC, ORD, PUNCT, Token

ROLE_KIND, ROLE_GREETING, ROLE_SIGNATURE = "k", "g", "s"

# Words after "cancel"/"move" that show an existing item is meant.
_POINTERS = frozenset({"my", "the", "our", "this", "that", "today's", "tomorrow's", "all", "next",
                       "everything", "anything", "every",
                       "it", "tonight's", "friday's", "monday's", "tuesday's", "wednesday's",
                       "thursday's", "saturday's", "sunday's", "both", "your", "his", "her",
                       "meinen", "meine", "den", "die", "das", "мою", "мой", "встречу"})
_FIRST_PERSON = frozenset({"i", "my", "me", "i'm", "im", "mine", "myself", "ich", "mein", "meine",
                           "я", "меня", "мои", "мой", "hab", "mir", "mich", "meinem", "мне", "мной"})
_QUESTION_STARTS = frozenset({"what", "what's", "whats", "when", "when's", "whens", "where",
                              "where's", "which", "how", "how's", "do", "does", "am", "is", "are",
                              "who", "who's", "whom",
                              "any", "anything", "show", "list", "tell", "give", "got", "have",
                              "was", "did", "wann", "habe", "bin", "что", "когда", "hab", "gibt", "gibt's",
                              "zeig", "zeige", "wie", "есть", "какие", "покажи", "чем"})
_SLOT_WORDS = frozenset({"slot", "slots", "time", "window", "opening", "gap", "availability",
                         "free", "available", "hour", "hours", "hr", "hrs", "h", "minutes", "minute",
                         "min", "mins", "meeting", "call", "half", "zeit", "termin", "время", "слот",
                         "stunde", "stunden", "minuten", "час", "часа", "часов", "минут", "окно",
                         "полчаса", "gespräch", "встречи"})


_CALENDARISH = frozenset({"calendar", "agenda", "schedule", "on", "planned", "happening", "next",
                          "free", "busy", "meetings", "meeting", "events", "calls", "plans",
                          "appointments", "booked", "scheduled", "going", "coming", "up", "left",
                          "plan", "planning", "happened", "during", "did",
                          "look", "looks", "looking", "steht", "los", "geplant", "termine", "vor",
                          "запланировано", "планы", "планов", "встречи", "дела", "расписание"})
# Verbs that only ever mean cancelling or moving an item, whatever follows them.
_ALWAYS_EDITS = frozenset({"cancel", "reschedule", "postpone", "nix", "scrap", "axe", "отмени", "перенеси", "verschiebe",
                           "отменить", "перенести", "перенесём", "перенесем", "перенесите", "отмените",
                           "verschieb", "verschieben", "verlege", "verleg", "storniere", "absagen"})
# Questions that start with how busy the owner is: "busy on Monday?", "free Friday afternoon?"
_BUSY_STARTS = frozenset({"busy", "free", "available", "booked", "anything", "any", "plans", "schedule", "agenda"})


@dataclass
class KindInfo:
    kind: Kind | None               # None: decide from what was found (event/reminder/unknown)
    body_start: int = 0             # first token after the request words
    ask: bool = False               # a forwarded ask ("could we meet ...")
    task: bool = False              # starts with an imperative to-do verb ("Pay rent ...")
    undated_note: bool = False      # "todo: ..." — a note unless it names a time


def content_start(toks: list[Token], roles: list[str | None]) -> int:
    i = 0
    while i < len(toks) and (roles[i] is not None or toks[i].kind == PUNCT):
        i += 1
    return i


def detect_kind(toks: list[Token], roles: list[str | None], lex: Lexicon) -> KindInfo:
    keys = [t.key for t in toks]
    start = content_start(toks, roles)
    # Fillers may precede the request words: "please remind me", "can you cancel".
    positions = [start]
    j = start
    while j < len(toks) and j < start + 4 and keys[j] in lex.leading_filler:
        j += 1
        positions.append(j)
    for kind in ("note", "reminder", "find_time", "query", "cancel", "reschedule"):
        table = lex.kind_prefixes.get(kind)
        if table is None:
            continue
        if kind == "query" and _slot_asked(toks, keys, start):
            break                   # "do I have a free 45 minute slot?": a slot to find
        for p in positions:
            hit = table.match(keys, p)
            if hit and _plausible(kind, toks, keys, p, hit[0], lex):
                end = hit[0]
                if kind == "note":
                    end = _skip_punct(toks, end)
                if end < len(keys) and keys[end - 1] in lex.own and keys[end] in lex.week_words:
                    end -= 1            # "what's my week look like": my week is this week
                mark(roles, positions[0], end, ROLE_KIND)
                undated_note = kind == "reminder" and lex.undated_notes.match(keys, p) is not None
                return KindInfo(Kind(kind), end, undated_note=undated_note)
    needed = _time_needed(toks, keys, positions, lex)
    if needed is None and _slot_asked(toks, keys, start):
        needed = start
    if needed is not None:
        mark(roles, positions[0], needed, ROLE_KIND)
        return KindInfo(Kind.FIND_TIME, needed)
    said_last = _kind_said_last(keys, positions, lex)
    if said_last is not None:
        kind, marks = said_last
        for a in marks:
            mark(roles, a, a + 1, ROLE_KIND)
        return KindInfo(Kind(kind), start)
    reminder = _reminder_anywhere(keys, lex)
    if reminder:
        a, b = reminder
        mark(roles, a, b, ROLE_KIND)
        return KindInfo(Kind.REMINDER, b)
    if _is_query(keys, start, lex) or is_busy_question(keys, start) or asks_availability(keys, start):
        return KindInfo(Kind.QUERY, start)
    moved = _split_move(keys, start)
    if moved is not None:
        mark(roles, start, start + 1, ROLE_KIND)
        mark(roles, moved, moved + 1, ROLE_KIND)
        return KindInfo(Kind.RESCHEDULE, start + 1)
    moved = moved_midway(toks, keys, start, lex)
    if moved is not None:
        mark(roles, *moved, ROLE_KIND)
        return KindInfo(Kind.RESCHEDULE, start)
    for p in positions:
        hit = lex.meeting_asks.match(keys, p)
        if hit:
            mark(roles, positions[0], hit[0], ROLE_KIND)
            return KindInfo(None, hit[0], ask=True)
        hit = lex.event_prefixes.match(keys, p)
        if hit and hit[0] < len(toks):
            mark(roles, positions[0], hit[0], ROLE_KIND)
            return KindInfo(Kind.EVENT, hit[0])
    task = start < len(toks) and keys[start] in lex.task_verbs
    return KindInfo(None, start, task=task)


_NEED = frozenset({"need", "needs", "require", "requires"})
_CLOCK_UNITS = frozenset({"hour", "hours", "hr", "hrs", "h", "minutes", "minute", "min", "mins",
                          "half-hour", "half-hours", "stunde", "stunden", "minuten", "час", "часа", "часов",
                          "минут", "полчаса"})


def _time_needed(toks: list[Token], keys: list[str], positions: list[int], lex: Lexicon) -> int | None:
    """"I need one hour for the presentation this week", "need 3 hours for deep work": a length
    of time wanted is a slot to find -> the index where the amount starts."""
    for p in positions[1:]:
        if keys[p - 1] not in _NEED or p + 1 >= len(keys):
            continue
        amount = toks[p].kind in NUMERIC or keys[p] in ("a", "an", "half") or keys[p] in lex.numbers
        unit = keys[p + 1] in _CLOCK_UNITS or keys[p + 1] == "and" or (
            p + 2 < len(keys) and keys[p + 1] in ("half", "an", "a") and keys[p + 2] in _CLOCK_UNITS)
        if amount and unit:
            return p
    return None


_SLOTS = frozenset({"slot", "slots", "opening", "openings", "window", "gap", "gaps", "timeslot"})


def _slot_asked(toks: list[Token], keys: list[str], start: int) -> bool:
    """"any free slot for 45 min tomorrow afternoon?", "is there a 30 minute window on Friday?": a
    slot of a said length is a slot search, however the question opens."""
    slot = next((i for i in range(start, min(len(keys), start + 8)) if keys[i] in _SLOTS or (
        keys[i] == "time" and keys[i + 1:i + 2] == ["for"] and start < len(keys)
        and keys[start] in _QUESTION_STARTS)), None)      # "do I have time for a 2h meeting?"
    if slot is None:
        return False
    return any(keys[i] in _CLOCK_UNITS and (toks[i - 1].kind in NUMERIC or keys[i - 1] in ("an", "a", "half")
                                            or keys[i - 1] == "-" and toks[i - 2].kind in NUMERIC)
               for i in range(max(start + 1, slot - 3), min(len(keys), slot + 6)))


def _kind_said_last(keys: list[str], positions: list[int], lex: Lexicon) -> tuple[str, list[int]] | None:
    """German puts the verb last: "den Termin am 18.3. absagen", "sag das Meeting morgen ab"
    (a separable verb: its particle counts only with the verb first) -> (kind, words to mark)."""
    if not lex.kind_endings and not lex.kind_frames:
        return None
    last = len(keys) - 1
    while last >= 0 and keys[last] in ("?", ".", "!", ",", ")"):
        last -= 1
    if last <= positions[0]:
        return None
    for kind, table in lex.kind_endings.items():
        for a in (last - 1, last):
            hit = table.match(keys, a) if a > positions[0] else None
            if hit and hit[0] == last + 1:
                return kind, list(range(a, last + 1))
    for kind, frames in lex.kind_frames.items():
        for p in positions:
            if p < last and (keys[p], keys[last]) in frames:      # "doch doch": fillers to the end
                return kind, [p, last]
    return None


def _skip_punct(toks: list[Token], i: int) -> int:
    while i < len(toks) and toks[i].kind == PUNCT and toks[i].key in ":-—–,.":
        i += 1
    return i


def _plausible(kind: str, toks: list[Token], keys: list[str], start: int, end: int, lex: Lexicon) -> bool:
    """Guards against words that only sometimes mean a kind."""
    nxt = keys[end] if end < len(keys) else ""
    if kind == "note":
        # "Note: ..." / "Note that ..." / "Idea: ..." — not "Notes review meeting at 3"
        return end - start > 1 or nxt in (":", "-", "—", "–", ",") or keys[start] in ("jot", "memo", "idea", "ideas", "notiz", "idee", "заметка", "идея") or nxt in ("that", "to", "down")
    if kind == "reminder":
        return True
    if kind == "find_time":
        window = set(keys[start:end + 6])
        return bool(window & _SLOT_WORDS) or keys[start] in ("when", "wann", "когда")
    if kind == "query":
        if keys[start] in ("show", "list") and (nxt in lex.at or nxt in lex.on or nxt in lex.in_):
            return False                # "then show at 7:30": a show
        return (_is_query(keys, start, lex) or keys[start] in ("show", "list", "agenda", "read")
                or lex.code != "en" and keys[-1] == "?")
    if kind in ("cancel", "reschedule"):
        if end >= len(toks):
            return False
        if keys[start] in _LOOSE_CANCELS and nxt in _ARTICLES and not _names_an_item(toks, keys, end + 1, lex):
            return False                # "Drop the kids at school at 8", "Clear the gutters on Saturday"
        t = toks[end]
        return (nxt in _POINTERS or keys[end - 1] in _POINTERS or t.kind in NUMERIC or t.kind == ORD or nxt in lex.event_nouns
                or nxt in lex.relative_days or nxt in lex.weekdays
                or (t.cap and t.key not in lex.known_words) or keys[start] in _ALWAYS_EDITS
                or kind == "cancel" and nxt == ":")                  # "Cancelled: Design sync"
    return True


# Cancel verbs that also name chores: after an article they cancel only what names an item.
_LOOSE_CANCELS = frozenset({"drop", "clear", "remove", "kill"})
_ARTICLES = frozenset({"the", "this", "that", "our", "his", "her", "your"})


def _names_an_item(toks: list[Token], keys: list[str], i: int, lex: Lexicon) -> bool:
    """Whether the words after an article, up to a preposition, name an event, a time or a name."""
    stops = lex.at | lex.on | lex.in_ | {"to", "for", "from"}
    for k in range(i, min(len(keys), i + 4)):
        if keys[k] in stops:
            return False
        if keys[k] in lex.event_nouns or keys[k] in _CALENDARISH or keys[k].endswith("'s") \
                or toks[k].cap and keys[k] not in lex.known_words:
            return True
        if k == i and (keys[k] in lex.dayparts or keys[k] in lex.relative_days or keys[k] in lex.weekdays
                       or toks[k].kind in NUMERIC or toks[k].kind == ORD):
            return True                 # "drop the 3pm", "clear the afternoon"
    return False


def _is_query(keys: list[str], start: int, lex: Lexicon) -> bool:
    """A first-person question about the calendar ("what do I have", "am I free", "when is my")."""
    if start >= len(keys) or keys[start] not in _QUESTION_STARTS or keys[start] in lex.on:
        return False                    # German "am Freitag ..." is not "am I ..."
    window = keys[start:start + 8]
    if "you" in window[:3] and not {"me", "my"} & set(window):
        return False
    if "remind" in window:
        return False
    if keys[start] in ("got", "have") and len(window) > 1 and window[1] in ("anything", "any", "something"):
        return True                     # "got anything on monday"
    first_person = any(k in _FIRST_PERSON for k in window)
    calendarish = any(k in _CALENDARISH for k in window)
    if keys[start] in ("when", "when's", "whens", "where", "where's", "wann", "когда") and len(window) > 2:
        return True                     # "when is the dentist?", "where's the offsite?"
    return first_person or (keys[start] in ("what", "what's", "whats", "anything", "any", "is", "are",
                                            "how", "how's", "hows", "who", "who's", "was", "gibt", "что", "какие", "есть")
                            and (calendarish or "there" in window[:2]))


def is_busy_question(keys: list[str], start: int) -> bool:
    """"busy on Monday?", "anything tomorrow?", "free Friday afternoon?": a question by its mark."""
    return (start < len(keys) and keys[start] in _BUSY_STARTS and keys[-1] == "?"
            and "remind" not in keys)


_IF = frozenset({"if", "whether"})
_I_AM = frozenset({"i'm", "im", "i", "am", "we're", "we", "are"})
_OPEN = frozenset({"free", "busy", "available", "booked"})


def asks_availability(keys: list[str], start: int) -> bool:
    """"can you check if I'm free at 4", "see whether I am busy tomorrow": a query in a request."""
    for i in range(start, min(len(keys), start + 6)):
        if keys[i] in _IF:
            j = i + 1
            while j < len(keys) and j < i + 3 and keys[j] in _I_AM:
                j += 1
            return j > i + 1 and j < len(keys) and keys[j] in _OPEN
    return False


_MOVE_VERBS = frozenset({"bring", "pull", "push", "move", "put"})
_MOVE_PARTICLES = frozenset({"forward", "back", "earlier", "ahead", "later"})


def _split_move(keys: list[str], start: int) -> int | None:
    """"Bring the review forward to 2pm", "push the call back an hour": the verb's particle comes
    after the item -> the particle's index."""
    if start >= len(keys) or keys[start] not in _MOVE_VERBS or keys[start + 1:start + 2] in (["it"], []):
        return None
    for i in range(start + 2, min(len(keys), start + 7)):
        if keys[i] in _MOVE_PARTICLES:
            return i
    return None


_MOVED = frozenset({"moved", "rescheduled", "postponed", "pushed", "shifted", "bumped", "changed",
                    "delayed", "brought", "pulled"})
_MOVE_IT = frozenset({"move", "reschedule", "postpone", "push", "shift", "bump", "change", "delay"})
_MOVED_AUX = frozenset({"has", "have", "had", "been", "is", "was", "are", "were", "got", "gets", "be",
                        "being", "will", "can", "could", "we", "shall", "should", "let's", "lets", "you",
                        "please", "i", "to", "want", "need", "just"})
_MOVED_TO = frozenset({"to", "till", "until", "for"})


def moved_midway(toks: list[Token], keys: list[str], start: int, lex: Lexicon) -> tuple[int, int] | None:
    """"The Baker hearing has been moved to April 2", "practice moved to 5 tmrw", "Quarterly review
    — can we move it to Thursday?": the item is named first and the move said after it -> the span
    of the move words (with their auxiliaries) to mark. The new time must follow the "to"."""
    for i in range(start + 1, min(len(keys) - 2, start + 12)):
        k = keys[i]
        j = i + 1
        if k in _MOVE_IT and keys[j] == "it":
            j += 1
        elif k not in _MOVED:
            continue
        if j < len(keys) and keys[j] in ("back", "forward", "over"):
            j += 1
        if j + 1 >= len(keys) or keys[j] not in _MOVED_TO:
            continue
        if keys[j + 1] == "the" and j + 2 < len(keys):
            j += 1                          # "moved to the 20th"
        t = toks[j + 1]
        nxt = keys[j + 1]
        if not (t.kind in NUMERIC or t.kind == ORD or nxt in lex.weekdays or nxt in lex.relative_days
                or nxt in lex.months or nxt in ("next", "this", "noon", "midnight")):
            continue
        a = i
        while a > start and keys[a - 1] in _MOVED_AUX:
            a -= 1
        return a, i + 1 if keys[i + 1:i + 2] != ["it"] else i + 2
    return None


def _reminder_anywhere(keys: list[str], lex: Lexicon) -> tuple[int, int] | None:
    """"Tomorrow at 9 remind me to ..." — the request words need not come first."""
    table = lex.kind_prefixes.get("reminder")
    if table is None:
        return None
    for i, k in enumerate(keys):
        if k in ("remind", "erinnere", "напомни"):
            hit = table.match(keys, i)
            if hit:
                return i, hit[0]
    return None


def mark(roles: list[str | None], a: int, b: int, role: str) -> None:
    for i in range(a, min(b, len(roles))):
        if roles[i] is None:
            roles[i] = role


__all__ = ["KindInfo", "detect_kind", "mark", "ROLE_KIND", "ROLE_GREETING", "ROLE_SIGNATURE"]
