"""`parse()`: one request text -> one `Item`, offline, in well under a millisecond.

The steps, each in its own module:
  tokens.tokenize -> extract.greeting/signature -> kinds.detect_kind -> grammar.Scanner.scan
  -> extract.attendees/location -> dates.resolve -> extract.title -> confidence.
Everything is a function of (text, now, tz, lang): no clock, no I/O, no shared state.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ..item import Item, Kind, Match
from ..zones import zone_named
from . import extract
from .dates import Resolved, resolve
from .kinds import KindInfo, detect_kind, mark
from .limits import TOO_FAR, shifted
from .lexicons import Lexicon, detect_language
from .grammar import Found, Scanner
from .tokens import PUNCT, WORD, Token, tokenize

UTC = timezone.utc
MAX_CHARS = 4000
TITLE_MAX = 80
WHAT_QUESTION = "What is it?"
MAX_TOKENS = 600
_RESCHEDULE_SPLIT = frozenset({"to", "until", "till", "->", "→", "for", "on", "auf", "на", "bis"})
_ANCHOR_WORDS = frozenset({"before", "after", "earlier", "later", "prior", "ahead"})
_SHIFT_LATER = frozenset({"later", "back", "forward", "earlier", "by", "sooner", "spät", "später", "früher"})


def to_zone(tz: str | ZoneInfo) -> ZoneInfo:
    if isinstance(tz, ZoneInfo):
        return tz
    return zone_named(str(tz)) or ZoneInfo("UTC")


def parse(text: str, now: datetime, tz: str | ZoneInfo, lang: str | None = None) -> Item:
    """The item a request describes — the first one when the text holds several (`parse_all`
    gives them all). Never raises for any text; `Kind.UNKNOWN` when nothing fits."""
    from .several import first_segment

    first = first_segment(text, now, lang)
    if first is None:
        return parse_one(text, now, tz, lang)
    item = parse_one(first, now, tz, lang)
    item.source_text = text if isinstance(text, str) else str(text)
    return item


def parse_one(text: str, now: datetime, tz: str | ZoneInfo, lang: str | None = None, *,
              anchor: Item | None = None) -> Item:
    """The item one request describes (the text is not split).

    `anchor` is an item said just before in the same message (see several.py): "an hour before",
    "the day after", "the same day at 8" and a bare time are read against it."""
    text = text if isinstance(text, str) else str(text)
    zone = to_zone(tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=zone)
    now = now.astimezone(zone)
    lex = detect_language(text, lang)
    toks = tokenize(text[:MAX_CHARS], lex)[:MAX_TOKENS]
    if not any(t.kind != PUNCT for t in toks):
        return Item(kind=Kind.UNKNOWN, source_text=text, confidence=0.05)
    roles: list[str | None] = [None] * len(toks)
    extract.greeting(toks, roles, lex)
    signer = extract.signature(toks, roles, lex)
    info = detect_kind(toks, roles, lex)
    mark_fillers(toks, roles, lex)
    if info.kind == Kind.NOTE:
        return note_item(text, toks, info, lex)
    if info.kind == Kind.RESCHEDULE:
        return reschedule_item(text, toks, roles, info, lex, now, zone, signer)
    refs = anchor_refs(toks, roles, lex) if anchor is not None and anchor.start is not None else None
    found = scan_into(toks, roles, lex, now.date(), 0, len(toks))
    if refs is not None:
        found.anchor_minutes, found.day_shift = refs
        refs = from_anchor(found, anchor, zone)
    if info.undated_note and not found.has_when:
        return note_item(text, toks, info, lex)
    people = extract.attendees(toks, roles, lex)
    if signer and signer not in people:
        people.append(signer)
    kind = decide_kind(info, found, toks, roles, people, signer, lex)
    if kind == Kind.EVENT and info.kind is None and found.period is not None and not found.dates \
            and found.weekday is None and found.day_offset is None and not found.date_range \
            and not found.has_time and found.rec is None and not people \
            and all(r is not None or t.kind == PUNCT for t, r in zip(toks, roles)):
        kind = Kind.QUERY                   # "next week?" alone: what is on then
    place = extract.location(toks, roles, lex) if kind in (Kind.EVENT, Kind.REMINDER) else None
    res = resolve(found, kind, now, zone) if kind != Kind.UNKNOWN else Resolved()
    if isinstance(refs, datetime) and kind in (Kind.EVENT, Kind.REMINDER):
        res = Resolved(start=refs, end=None if kind == Kind.REMINDER else refs + timedelta(
            minutes=found.duration if found.duration and found.duration < 1440 else 60))
    title = make_title(kind, toks, roles, lex, info, signer, people)
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


def anchor_refs(toks: list[Token], roles: list[str | None], lex: Lexicon) -> tuple[int | None, int | None]:
    """Words that point back at an item said before: "an hour before" / "30 minutes after" ->
    (minutes, None); "the day before" / "the same day" / "2 days before" -> (None, days)."""
    keys = [t.key for t in toks]
    s = Scanner(toks, lex, date(2000, 1, 1))
    s.f.used = [r is not None for r in roles]
    for i in range(len(toks)):
        if roles[i] is not None:
            continue
        hit = lex.anchor_days.match(keys, i)
        if hit and not (hit[0] < len(keys) and (keys[hit[0]] in lex.relative_days or keys[hit[0]] in lex.weekdays)):
            mark(roles, i, hit[0], extract.ROLE_TIME)
            return None, hit[1]
        amount = s.amount(i)
        if amount is None:
            continue
        end, minutes, unit = amount
        if end < len(toks) and keys[end] in _ANCHOR_WORDS and roles[end] is None:
            nxt = keys[end + 1] if end + 1 < len(keys) else ""
            if nxt in lex.weekdays or nxt in lex.relative_days or nxt in lex.months or nxt in lex.the:
                continue                    # "2 days before Friday": the grammar's
            sign = -1 if keys[end] in ("before", "earlier", "prior", "ahead") else 1
            mark(roles, i, end + 1, extract.ROLE_TIME)
            per = lex.units.get(unit, 1)
            if per >= 1440:
                return None, sign * round(minutes / 1440)
            return sign * minutes, None
    return None, None


def from_anchor(found: Found, anchor: Item, zone: ZoneInfo) -> datetime | None:
    """Read what was found against the earlier item: an instant for "an hour before"; else the
    earlier item's day (moved by "the day before") for a day-less time. None: nothing to do."""
    start = anchor.start
    if found.anchor_minutes is not None:
        if isinstance(start, datetime):
            return (start.astimezone(UTC) + timedelta(minutes=found.anchor_minutes)).astimezone(zone)
        return None
    day = start.astimezone(zone).date() if isinstance(start, datetime) else start
    if found.day_shift is not None:
        found.dates = [day + timedelta(days=found.day_shift)]
    elif not found.has_date and found.offset_minutes is None and found.rec is None and (
            found.time is not None or found.daypart is not None):
        found.dates = [day]                 # "... Also remind me at 6 to buy wine": that day
    return None


def scan_into(toks: list[Token], roles: list[str | None], lex: Lexicon, today: date, a: int, b: int) -> Found:
    """Run the grammar over toks[a:b], skipping tokens other steps own; mark what it reads."""
    s = Scanner(toks, lex, today)
    s.f.used = [r is not None for r in roles]
    found = s.scan(a, b)
    found.mer_hint = meal_hint(toks, lex)
    for i in range(a, b):
        if found.used[i] and roles[i] is None:
            roles[i] = extract.ROLE_TIME
    return found


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


def meal_hint(toks: list[Token], lex: Lexicon) -> str | None:
    """"Dinner at 8" is 20:00 and "breakfast at 7" 07:00, whatever the default rule says."""
    for t in toks:
        if t.key in lex.pm_nouns:
            return "meal-pm"
        if t.key in lex.am_nouns:
            return "meal-am"
    return None


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


def make_title(kind: Kind, toks, roles, lex: Lexicon, info: KindInfo, signer: str | None, people: list[str]) -> str:
    if kind == Kind.UNKNOWN:
        return ""
    if info.ask or (signer and kind == Kind.EVENT):
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


def reschedule_item(text: str, toks: list[Token], roles: list[str | None], info: KindInfo,
                    lex: Lexicon, now: datetime, zone: ZoneInfo, signer: str | None = None) -> Item:
    """"Move the dentist to Wednesday at 9" -> start = the new time; the old one goes in `match`."""
    today = now.date()
    split = find_split(toks, roles, lex, today, info.body_start)
    n = len(toks)
    if split is not None:
        roles[split] = "k"
    old = scan_into(toks, roles, lex, today, info.body_start, split if split is not None else n)
    new = scan_into(toks, roles, lex, today, split + 1, n) if split is not None else Found(used=[False] * n)
    if split is not None and not new.has_time:
        bare_hour(toks, roles, lex, today, split + 1, new)
    people = extract.attendees(toks, roles, lex)
    if signer and signer not in people:
        people.append(signer)
    hint = extract.title(toks, roles, lex)
    words = hint.split()
    while words and words[0].lower() in lex.hint_trim:
        words.pop(0)
    hint = " ".join(words)
    old_res = resolve(old, Kind.CANCEL, now, zone)
    shift = shift_minutes(toks, lex, info.body_start)
    item = Item(kind=Kind.RESCHEDULE, title=hint, source_text=text, attendees=people,
                match=Match(title=hint or None, start=old_res.start))
    if not (new.has_date or new.has_time) and shift is not None and isinstance(old_res.start, datetime):
        item.start = shifted(old_res.start, now, minutes=shift)
        if item.start is None:          # "push it back by 999999 years"
            item.needs_clarification, item.question = True, TOO_FAR
        item.confidence = 0.8 if item.start is not None else 0.5
        return item
    merge_old(new, old)
    res = resolve(new, Kind.RESCHEDULE, now, zone)
    item.start, item.all_day, item.original_tz = res.start, res.all_day, res.original_tz
    if res.question or item.start is None:
        item.needs_clarification = True
        item.question = res.question or f"When should I move {hint or 'it'} to?"
    item.confidence = 0.85 if item.start is not None else 0.5
    return item


def find_split(toks: list[Token], roles, lex: Lexicon, today: date, start: int) -> int | None:
    """The "to" before the new time: the last one whose right side reads as a date or time."""
    for i in range(len(toks) - 2, start - 1, -1):
        if toks[i].key in _RESCHEDULE_SPLIT and roles[i] is None:
            probe = Scanner(toks, lex, today)
            probe.f.used = [r is not None for r in roles]
            f = probe.scan(i + 1, len(toks))
            if f.has_date or f.has_time or f.period is not None or f.question:
                return i
            if probe.time_expr(i + 1, relaxed=True) and i + 2 >= len(toks) - 1:
                return i
    return None


def bare_hour(toks: list[Token], roles, lex: Lexicon, today: date, i: int, found: Found) -> None:
    """"Move my 10am to 11": right after "to", a bare number is the new hour."""
    if i >= len(toks) or roles[i] is not None:
        return
    s = Scanner(toks, lex, today)
    s.f.used = [r is not None for r in roles]
    hit = s.time_expr(i, relaxed=True)
    if hit:
        found.time = hit[1]
        for k in range(i, hit[0]):
            roles[k] = extract.ROLE_TIME


def merge_old(new: Found, old: Found) -> None:
    """"Move my 3pm to tomorrow": the new day keeps the old time, and the other way round."""
    if not new.has_time and old.time is not None:
        new.time = old.time
        new.daypart = new.daypart or old.daypart
    if not new.has_date and old.has_date:
        new.dates, new.weekday, new.week_offset = old.dates, old.weekday, old.week_offset
        new.day_offset = old.day_offset
        if old.daypart is not None and new.daypart is None:
            new.daypart = old.daypart


def shift_minutes(toks: list[Token], lex: Lexicon, start: int) -> int | None:
    """"push it back by an hour" -> 60, "bring it forward 30 minutes" -> -30."""
    keys = [t.key for t in toks]
    if not set(keys) & _SHIFT_LATER:
        return None
    s = Scanner(toks, lex, date(2000, 1, 1))
    for i in range(start, len(toks)):
        hit = s.amount(i)
        if hit:
            minutes = hit[1]
            sign = -1 if set(keys) & {"earlier", "forward", "sooner", "früher"} else 1
            return sign * minutes
    return None


__all__ = ["parse", "parse_one", "to_zone", "scan_into"]
