"""`parse()`: one request text -> one `Item`, offline, in well under a millisecond.

The steps, each in its own module:
  tokens.tokenize -> extract.greeting/signature -> kinds.detect_kind -> grammar.Scanner.scan
  (scanning.scan_into) -> extract.attendees/location -> dates.resolve -> extract.title -> confidence.
Reschedules ("move the dentist to 9") are read by reschedule.py; a request said right after another
in the same message ("... and remind me an hour before") is read against it by anchored.py.
Everything is a function of (text, now, tz, lang): no clock, no I/O, no shared state.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..item import Item, Kind, Match
from ..zones import zone_named
from . import extract
from .anchored import anchor_refs, apply_lead, from_anchor, scan_with_lead
from .dates import Resolved, resolve
from .grammar import Found
from .grammar.found import add_months
from .kinds import KindInfo, detect_kind, mark
from .lexicons import Lexicon, detect_language
from .mail import MailHeaders, announced_title, headers
from .places import location
from .reschedule import reschedule_item
from .scanning import scan_into
from .tokens import NUM, PUNCT, WORD, Token, tokenize
from .windows import narrow_window

MAX_CHARS = 4000
TITLE_MAX = 80
WHAT_QUESTION = "What is it?"
MAX_TOKENS = 600


def to_zone(tz: str | ZoneInfo) -> ZoneInfo:
    if isinstance(tz, ZoneInfo):
        return tz
    return zone_named(str(tz)) or ZoneInfo("UTC")


def parse(text: str, now: datetime, tz: str | ZoneInfo, lang: str | None = None) -> Item:
    """The item a request describes — the first one when the text holds several (`parse_all`
    gives them all, and reads each against the others). Never raises for any text; `Kind.UNKNOWN`
    when nothing fits."""
    from .several import parse_all

    item = parse_all(text, now, tz, lang)[0]
    item.source_text = text if isinstance(text, str) else str(text)
    return item


def parse_one(text: str, now: datetime, tz: str | ZoneInfo, lang: str | None = None, *,
              anchor: Item | None = None, read: tuple[Lexicon, list[Token]] | None = None,
              lend_day: bool = True) -> Item:
    """The item one request describes (the text is not split).

    `anchor` is an item said just before in the same message (see several.py): "an hour before",
    "the day after", "the same day at 8" and a bare time are read against it (a bare time takes
    its day only with `lend_day`). `read` is the text's language and tokens when already known."""
    text = text if isinstance(text, str) else str(text)
    zone = to_zone(tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=zone)
    now = now.astimezone(zone)
    if read is None:
        lex = detect_language(text, lang)
        read = lex, tokenize(text[:MAX_CHARS], lex)
    lex, toks = read[0], read[1][:MAX_TOKENS]
    if not any(t.kind != PUNCT for t in toks):
        return Item(kind=Kind.UNKNOWN, source_text=text, confidence=0.05)
    roles: list[str | None] = [None] * len(toks)
    mail = headers(toks, roles, lex)
    extract.greeting(toks, roles, lex, mail.body_start)
    signer = extract.signature(toks, roles, lex) or mail.sender
    info = detect_kind(toks, roles, lex)
    mark_fillers(toks, roles, lex)
    if info.kind == Kind.NOTE:
        return note_item(text, toks, info, lex)
    if info.kind == Kind.RESCHEDULE:
        return reschedule_item(text, toks, roles, info, lex, now, zone, signer)
    refs = anchor_refs(toks, roles, lex) if anchor is not None and anchor.start is not None else None
    if refs is None:
        found, lead = scan_with_lead(toks, roles, lex, now.date())
    else:
        found, lead = scan_into(toks, roles, lex, now.date(), 0, len(toks)), None
    if refs is not None:
        refs = from_anchor(found, refs, anchor, zone, lend_day)
    if info.undated_note and not found.has_when:
        return note_item(text, toks, info, lex)
    people = extract.attendees(toks, roles, lex)
    if signer and signer not in people:
        people.append(signer)
    kind = decide_kind(info, found, toks, roles, people, signer, lex)
    if kind == Kind.QUERY:
        looks_back(found, toks, lex, now.date())
    if kind == Kind.EVENT and info.kind is None and (found.period or found.clock_window) is not None \
            and not found.dates \
            and found.weekday is None and found.day_offset is None and not found.date_range \
            and not found.has_time and found.rec is None and not people \
            and all(r is not None or t.kind == PUNCT for t, r in zip(toks, roles)):
        kind = Kind.QUERY                   # "next week?" alone: what is on then
    place = location(toks, roles, lex) if kind in (Kind.EVENT, Kind.REMINDER) else None
    res = resolve(found, kind, now, zone) if kind != Kind.UNKNOWN else Resolved()
    if isinstance(refs, datetime) and kind in (Kind.EVENT, Kind.REMINDER):
        res = Resolved(start=refs, end=None if kind == Kind.REMINDER else refs + timedelta(
            minutes=found.duration if found.duration and found.duration < 1440 else 60))
    if lead is not None:
        res = apply_lead(lead, res, found, kind, zone)
    res = narrow_window(res, found, kind, toks, roles, lex, now, zone)
    title = make_title(kind, toks, roles, lex, info, signer, people, mail)
    if not title and anchor is not None and kind == Kind.REMINDER:
        title = anchor.title                # "... and remind me an hour before"
    item = Item(kind=kind, title=title, start=res.start, end=res.end, all_day=res.all_day,
                attendees=people, location=place, recurrence=res.recurrence,
                source_text=text, original_tz=res.original_tz)
    if kind == Kind.FIND_TIME:
        item.duration_minutes = found.duration if found.duration and found.duration < 1440 else 60
    if kind == Kind.CANCEL:
        item.match = Match(title=title or None, start=res.start)
    cap_title(item)
    ask_when(item, res, found)
    ask_what(item)
    item.confidence = confidence(item, found, res, lex, toks, roles)
    return item


def looks_back(found: Found, toks: list[Token], lex: Lexicon, today: date) -> None:
    """"What did I have on Monday?" asks about the Monday just gone, and "what was on March 2?" about
    the last March 2 — the forward rule read them as the coming ones."""
    if not any(t.key in lex.past_tense for t in toks):
        return
    if found.weekday and found.weekday[1] == "bare" and found.week_offset is None:
        found.weekday = (found.weekday[0], "last")
    day = found.dates[0] if len(found.dates) == 1 and not found.date_range else None
    if day is not None and today < day <= today + timedelta(days=366) \
            and not any(t.kind == NUM and t.value == day.year for t in toks):      # no year said
        found.dates[0] = last_before(day, today, found.dom_only)


def last_before(day: date, today: date, dom_only: bool) -> date:
    """The last such date not ahead: a bare day of the month steps back by months ("the 31st" to
    January's), a day and month by years."""
    step = 1 if dom_only else 12
    for k in range(1, 13):
        back = add_months(day, -k * step)
        if back <= today and back.day == day.day:
            return back
    return day


def mark_fillers(toks: list[Token], roles: list[str | None], lex: Lexicon) -> None:
    """"on my calendar", "for me": words to the assistant, not part of the item."""
    keys = [t.key for t in toks]
    i = 0
    while i < len(toks):
        hit = lex.filler_phrases.match(keys, i) if roles[i] is None else None
        if hit:
            mark(roles, i, hit[0], "k")
            i = hit[0]
        else:
            i += 1


def decide_kind(info: KindInfo, found: Found, toks: list[Token], roles, people, signer, lex: Lexicon) -> Kind:
    """Event or reminder when the first words did not say; unknown when nothing makes sense."""
    if info.kind is not None:
        return info.kind
    temporal = found.has_when
    timed = found.time is not None or found.offset_minutes is not None or (
        found.daypart is not None and found.daypart.exact)
    if temporal:
        if info.task and (not timed or found.offset_minutes is not None):
            return Kind.REMINDER
        return Kind.EVENT
    if info.ask or signer or people:
        return Kind.EVENT
    if any(t.key in lex.event_nouns for t in toks):
        return Kind.EVENT
    if info.task and len(toks) > 1:
        return Kind.REMINDER
    return Kind.UNKNOWN


def make_title(kind: Kind, toks, roles, lex: Lexicon, info: KindInfo, signer: str | None, people: list[str],
               mail: MailHeaders | None = None) -> str:
    if kind == Kind.UNKNOWN:
        return ""
    if mail is not None and mail.subject and kind == Kind.EVENT:
        # a forwarded invitation is named by what its body announces, else by its subject
        return announced_title(toks, roles, lex) or mail.subject
    if info.ask or (signer and kind == Kind.EVENT):
        announced = None if info.ask else announced_title(toks, roles, lex)
        if announced:
            return announced
        noun = extract.event_noun(toks, lex) or "Meeting"
        who = signer or (people[0] if people else None)
        title = f"{noun} with {who}" if who else noun
        why = extract.purpose(toks, roles, lex)
        return f"{title}: {why}" if why else title
    title = extract.title(toks, roles, lex)
    if kind in (Kind.CANCEL, Kind.QUERY):
        words = title.split()
        while words and words[0].lower() in lex.hint_trim:
            words.pop(0)
        if kind == Kind.QUERY:
            words = [w for w in words if w.lower().strip("?!.,") not in lex.query_noise]
        return extract.capitalise(" ".join(words).strip(" ?!.,"))
    if kind == Kind.FIND_TIME:
        noun = extract.event_noun(toks, lex) or "Meeting"
        return f"{noun} with {', '.join(people)}" if people else noun
    if kind == Kind.REMINDER:
        return extract.task_title(title, lex)
    return title


def ask_when(item: Item, res: Resolved, found: Found) -> None:
    """Impossible or missing dates: a question, never a guess."""
    if res.question:
        item.start = item.end = None
        item.all_day = False
        item.recurrence = None
        item.needs_clarification = True
        item.question = res.question
        return
    asked = found.doubt if found.doubt and item.start is not None else (
        res.ask if res.ask and item.start is not None else None)
    if asked:
        if found.guessed_day or not found.doubt or item.title:
            # a day in doubt ("Tuesday, 10 January" is a Sunday), a guessed one ("did you mean June
            # 17?") or a period ("trip in March": which day?) is never a start: it waits in `within`
            # for the owner's answer (period_reply, edit.answer_guess). Only a bare date with nothing
            # to call it keeps its start, as a bare time does ("What is it?").
            item.within = (item.start, item.end)
            item.start = item.end = None
            item.all_day = False
        item.needs_clarification, item.question = True, asked
        return
    if item.start is None and item.kind in (Kind.EVENT, Kind.REMINDER):
        item.needs_clarification = True
        item.question = ("When should I remind you?" if item.kind == Kind.REMINDER
                         else f"When is “{item.title or 'it'}”?")


def cap_title(item: Item) -> None:
    """A title is a line, not a paste: at most TITLE_MAX characters, cut at a word; the whole
    text it was cut from goes to the body (the event's notes)."""
    title = item.title
    if len(title) <= TITLE_MAX:
        return
    cut = title[:TITLE_MAX - 1]
    if " " in cut:
        cut = cut[:cut.rindex(" ")]
    item.title = cut.rstrip(" ,;:-–—(") + "…"
    item.body = title if not item.body else item.body


def ask_what(item: Item) -> None:
    """"tomorrow 9am" and nothing else: the time is known, what it is is not — ask, keeping the
    time so the answer only has to name it."""
    if item.needs_clarification or item.start is None or item.title or item.attendees or item.location:
        return
    if item.kind == Kind.EVENT:          # a bare reminder ("remind me in 10 minutes") is a nudge
        item.needs_clarification, item.question = True, WHAT_QUESTION


def confidence(item: Item, found: Found, res: Resolved, lex: Lexicon, toks, roles) -> float:
    """A rough 0..1: lower for guesses, unknown words and other languages, so an LLM can step in."""
    if item.kind == Kind.UNKNOWN:
        return 0.1
    score = 0.9
    if item.needs_clarification:
        score = 0.5
    if res.guessed:
        score -= 0.05
    if found.time is not None and not found.time.strong:
        score -= 0.15
    if lex.code != "en":
        score -= 0.15
    leftover = [t for t, r in zip(toks, roles) if r is None and t.kind == WORD]
    unknown = sum(1 for t in leftover if t.base not in lex.known_words and not t.cap)
    if leftover and unknown / max(1, len(leftover)) > 0.8 and len(leftover) > 6:
        score -= 0.1
    return round(max(0.05, min(1.0, score)), 2)


def note_item(text: str, toks: list[Token], info: KindInfo, lex: Lexicon) -> Item:
    """"Note: ideas for the offsite - boat trip" -> title "Ideas for the offsite", body the rest."""
    start = info.body_start
    while start < len(toks) and toks[start].kind == PUNCT:
        start += 1
    body = text[toks[start].start:].strip() if start < len(toks) else ""
    head = body
    for sep in (" - ", " – ", " — ", ": ", "; ", ". ", "\n", "? ", "! "):
        head = head.split(sep, 1)[0]
    words = head.split()
    if len(words) > 10:
        head = " ".join(words[:10]) + "…"
    return Item(kind=Kind.NOTE, title=extract.capitalise(head.strip(" .,:;-")), body=body or None,
                source_text=text, confidence=0.9 if body else 0.4,
                needs_clarification=not body, question=None if body else "What should the note say?")


__all__ = ["parse", "parse_one", "to_zone"]
