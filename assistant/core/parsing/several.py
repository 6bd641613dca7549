"""`parse_all()`: a message holding several requests -> one item per request, in text order.

    "Lunch with Anna tomorrow at 1pm. Also remind me to buy a gift for her."   -> event, reminder
    "Dentist Friday at 9 and remind me an hour before"                        -> event, reminder 08:00
    "Gym at 7am tomorrow, then lunch with Tom at 1pm"                          -> two events

Where a message splits:
  * before request words (after "and", "also", "then", a comma or a new sentence): "remind me",
    "note", "cancel", "move", "schedule", "book", "add", ...;
  * at "then" / a new sentence / "and" / a comma when both sides name their own day or time and
    the right side starts with what it is ("Dinner at 7 and drinks at 10"), never inside a list
    of days or people ("every Monday and Thursday", "with Sarah and Tom").
A forwarded message's chatter ("Thanks, Raj", "Let me know by Monday") never starts an item.

A later item may point back at the first (anchored.py): "an hour before", "the day before", "the
same day at 8", "the next day at the same time", "the night before"; a later item with a time but
no day takes the first item's day when that one was said ("Doctor Monday at 9, then lunch at 1"),
and a reminder with no words of its own takes the first item's title. A later request may carry
over the first one's words (carried.py): "... and tomorrow to take out the trash" is a reminder
too; "Meet Anna at 10, Ben at 11" is "Meet Ben at 11".
"""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from ..item import Item, Kind
from .grammar import Scanner
from .lexicons import Lexicon, detect_language
from .parser import MAX_CHARS, parse_one, to_zone
from .carried import CONNECTORS as _CONNECTORS, TASK_TO as _TASK_TO, borrowed_lead, continues_reminder, \
    is_person, lead_before_person, skip_connectors
from .tokens import NUMERIC, ORD, PUNCT, TIME, WORD, Token, tokenize

MAX_ITEMS = 10
MAX_BOUNDARIES = 40                # places looked at in one message (a paste has hundreds)
_SENTENCE_ENDS = frozenset({".", "!", "?", ";", "\n"})
# Abbreviations whose full stop ends no sentence ("St. Mary's", "Smith vs. Jones", "Main St. 5").
_ABBREVIATIONS = frozenset({"st", "mt", "ft", "ave", "rd", "blvd", "vs", "approx", "jr", "sr", "dept", "apt",
                            "no", "nr", "tel", "str"})
_ALSO = frozenset({"also", "auch", "ещё", "еще", "также"})   # "Note: …. Also call the ISP at 10"
_AFTER_AMOUNT = frozenset({"before", "after", "later", "earlier"})
_CHATTER = frozenset({"i", "you", "we", "me", "us", "let", "know", "thanks", "thank", "thx",
                      "cheers", "regards", "best", "hope", "sorry", "your", "i'm", "i'll", "we'll",
                      "you're", "let's", "lets", "could", "would", "should", "maybe"})


def parse_all(text: str, now: datetime, tz: str | ZoneInfo, lang: str | None = None) -> list[Item]:
    """The items of a request text, in text order (at least one). Pure, like `parse()`."""
    text = text if isinstance(text, str) else str(text)
    zone = to_zone(tz)
    cut = text[:MAX_CHARS]
    if not may_split(cut):
        return [parse_one(text, now, zone, lang)]
    lex = detect_language(text, lang)
    toks = tokenize(cut, lex)
    starts = split_points(cut, toks, lex, now) if toks else []
    if not starts:
        return [parse_one(text, now, zone, lang, read=(lex, toks))]
    bounds = [0] + [toks[i].start for i in starts] + [len(cut)]
    # "Coffee with Ana at 10 and lunch with Ben at 1 tomorrow": a day said once, at the end,
    # is the day of the times before it too
    tail_day = trailing_day(cut, bounds, lex, now, zone, lang)
    items: list[Item] = []
    lends = True                                # may the first timed item lend its day (anchored.py)?
    lead = ""
    for a, b in zip(bounds, bounds[1:]):
        segment = seg_text = cut[a:b].strip()
        if not segment:
            continue
        anchor = next((it for it in items if it.start is not None), None)
        seg_toks = tokenize(segment, lex)
        if anchor is None:
            anchor = tail_day
            lends = tail_day is not None or Scanner(seg_toks, lex, now.date()).scan().has_date
        if items and items[-1].kind == Kind.REMINDER and continues_reminder(seg_toks, lex, now):
            segment = "remind me " + segment[seg_toks[skip_connectors(seg_toks)].start:]
        elif items and lead:
            segment = borrowed_lead(segment, seg_toks, lead, lex, now)
        if not items:
            lead = lead_before_person(segment, seg_toks, lex, now)
        read = (lex, seg_toks) if segment == seg_text else None
        item = parse_one(segment, now, zone, lang, anchor=anchor, lend_day=lends or anchor is tail_day, read=read)
        if items and item.kind == Kind.UNKNOWN:
            continue
        items.append(item)
    return items or [parse_one(text, now, zone, lang)]


_MAY_SPLIT = re.compile(r"[.!?;](?=\s*\S)|[,\n]|\b(?:and|also|then|plus|und|dann|и|потом)\b", re.IGNORECASE)


def may_split(text: str) -> bool:
    """A cheap look before tokenising: no punctuation and no "and/also/then", one request."""
    return _MAY_SPLIT.search(text) is not None


def trailing_day(cut: str, bounds: list[int], lex: Lexicon, now: datetime, zone: ZoneInfo,
                 lang: str | None) -> Item | None:
    """The last dated request's item when only it names a day and the others before it only a
    time, else None. Requests naming neither ("Also add a note: ...") do not count."""
    dated, timed, spans = [], [], []
    for a, b in zip(bounds, bounds[1:]):
        toks = tokenize(cut[a:b], lex)
        f = Scanner(toks, lex, now.date()).scan()
        if not f.has_date and f.time is None and f.offset_minutes is None:
            continue
        dated.append(f.has_date)
        timed.append(f.time is not None and f.offset_minutes is None)
        spans.append((a, b))
    if len(spans) < 2 or not dated[-1] or any(dated[:-1]) or not all(timed):
        return None
    last = parse_one(cut[spans[-1][0]:spans[-1][1]].strip(), now, zone, lang)
    return last if last.start is not None else None


def split_points(text: str, toks: list[Token], lex: Lexicon, now: datetime) -> list[int]:
    """Token indices where a new request starts. Linear in the text: one grammar pass marks the
    tokens of when-expressions, and every test below looks those marks up."""
    out: list[int] = []
    n = len(toks)
    if not any((b := boundary_at(text, toks, x, lex)) is not None and b[1] < n for x in range(1, n)):
        return out                              # "Lunch at 1pm." — no break with words after it
    keys = [t.key for t in toks]
    scanner = Scanner(toks, lex, now.date())
    scanner.duration = lambda i: None           # "a 1 hour meeting" says how long, not when
    used = scanner.scan().used
    when = [u or b for u, b in zip(used, points_back(keys, lex))]
    when_before = [0] * (n + 1)                 # when-tokens among toks[:i]
    for x in range(n):
        when_before[x + 1] = when_before[x] + when[x]
    sentence_end = [n] * (n + 1)                # first sentence end at or after i
    for x in range(n - 1, -1, -1):
        sentence_end[x] = x if toks[x].kind == PUNCT and toks[x].key in _SENTENCE_ENDS else sentence_end[x + 1]
    chatty = [0] * (n + 1)
    for x in range(n):
        chatty[x + 1] = chatty[x] + (keys[x] in _CHATTER and not named_after_with(toks, x, lex))

    def has_when(a: int, b: int) -> bool:
        return b > a and when_before[b] > when_before[a]

    last = 0
    i = 1
    looked = 0
    while i < n and len(out) < MAX_ITEMS - 1 and looked < MAX_BOUNDARIES:
        boundary = boundary_at(text, toks, i, lex)
        if boundary is None:
            i += 1
            continue
        looked += 1
        sentence, r = boundary
        if r >= n or r - last < 1:
            i += 1
            continue
        left = toks[last:i]
        if not has_content(left, lex) or is_greeting_only(left, lex):
            i += 1
            continue
        if request_start(keys, r, lex) and (has_when(last, i) or not only_when(toks, used, r, sentence_end[r], lex)):
            out.append(r)
            last = r
            i = r + 1
            continue
        then = "then" in keys[i:r] or "dann" in keys[i:r] or "потом" in keys[i:r]
        end = sentence_end[r]
        if not (sentence or then) and is_person(toks[r], lex) and is_person(toks[i - 1], lex):
            i += 1                              # "with Anna and Boris": one list of people
            continue
        joined = sentence or then or keys[i] in ("and", ",", "und", "и", "а", "plus", "&")
        also = sentence and any(k in _ALSO for k in keys[i:r])
        if (joined and (not used[r] and content_start(toks, r, lex) or time_then_content(toks, when, r, end, lex))
                and chatty[end] == chatty[r] and (has_when(last, i) or also) and has_when(r, end)):
            out.append(r)
            last = r
            i = r + 1
            continue
        if joined and not used[i] and has_when(last, i) and when_then_task(toks, used, r, end) and reminds(keys, last, lex):
            out.append(r)                       # "Remind me tonight to ... and tomorrow to ..."
            last = r
            i = r + 1
            continue
        if joined and day_first(keys, r, lex) and whole_request(toks, last, i, lex, now, False) \
                and whole_request(toks, r, end, lex, now, True):
            out.append(r)                       # "Monday 10am call with Mark and Tuesday 2pm demo"
            last = r
            i = r + 1
            continue
        i += 1
    return out


def points_back(keys: list[str], lex: Lexicon) -> list[bool]:
    """Words that say when by pointing back at an item said before ("the next day", "at the same
    time", "the night before"): a when for the request they are in (anchored.py reads them)."""
    out = [False] * len(keys)
    for x, k in enumerate(keys):
        if x and (k in _AFTER_AMOUNT or k in lex.anchor_before or k in lex.anchor_after) and keys[x - 1] in lex.units:
            out[x - 1] = out[x] = True          # "drinks an hour after"
            continue
        if not (lex.anchor_days.starts(k) or lex.same_time.starts(k) or k in lex.dayparts):
            continue
        hit = lex.anchor_days.match(keys, x) or lex.same_time.match(keys, x)
        end = hit[0] if hit else (x + 2 if x + 1 < len(keys) and (
            keys[x + 1] in lex.anchor_before or keys[x + 1] in lex.anchor_after or keys[x + 1] in lex.of) else x)
        for y in range(x, end):
            out[y] = True
    return out


def when_then_task(toks: list[Token], used: list[bool], r: int, end: int) -> bool:
    """"tomorrow morning to take out the trash": a when, then "to" and a word."""
    x = r
    while x < end and used[x]:
        x += 1
    return r < x < end - 1 and toks[x].key in _TASK_TO and toks[x + 1].kind == WORD


def reminds(keys: list[str], a: int, lex: Lexicon) -> bool:
    """Does the request at keys[a] start with "remind me" (connectors before it skipped)?"""
    while a < len(keys) and keys[a] in _CONNECTORS:
        a += 1
    table = lex.kind_prefixes.get("reminder")
    return table is not None and table.match(keys, a) is not None


def only_when(toks: list[Token], used: list[bool], r: int, end: int, lex: Lexicon) -> bool:
    """"Velo in den Service bringen, erinnere mich am Samstag", "buy milk, remind me tomorrow":
    a reminder after the task says only when; the task before it (no when of its own) is its title."""
    hit = lex.kind_prefixes["reminder"].match([t.key for t in toks], r) if "reminder" in lex.kind_prefixes else None
    if hit is None:
        return False
    rest = [x for x in range(hit[0], end) if not used[x] and toks[x].kind != PUNCT]
    return not rest and any(used[hit[0]:end])


def day_first(keys: list[str], r: int, lex: Lexicon) -> bool:
    k = keys[r + 1] if r + 1 < len(keys) and keys[r] in lex.on else keys[r]
    return k in lex.weekdays or k in lex.relative_days


def whole_request(toks: list[Token], a: int, b: int, lex: Lexicon, now: datetime, content: bool) -> bool:
    """Does toks[a:b] name its own day and time (and, with `content`, say what it is)? Run only
    where a day starts the right side of a break, so "Mon and Wed at 10" stays one item."""
    if not 2 <= b - a <= 30:
        return False
    part = toks[a:b]
    f = Scanner(part, lex, now.date()).scan()
    if not f.has_date or f.time is None:
        return False
    return not content or any(not used and t.kind == WORD and t.key not in _CONNECTORS
                              and t.key not in lex.with_ and not named(part, k, lex)
                              for k, (t, used) in enumerate(zip(part, f.used)))


def named(part: list[Token], k: int, lex: Lexicon) -> bool:
    """A person at part[k]? German capitalises every noun ("am Mittwoch 18 Uhr Chor"): there a
    capital counts only for a known first name or after "mit"."""
    t = part[k]
    if lex.code != "de" or t.key in lex.names:
        return is_person(t, lex)
    return is_person(t, lex) and k > 0 and (part[k - 1].key in lex.with_ or part[k - 1].key in lex.and_)


def boundary_at(text: str, toks: list[Token], i: int, lex: Lexicon) -> tuple[bool, int] | None:
    """Is there a break before token i? -> (a new sentence?, index of the first word after the
    connectors), or None."""
    t = toks[i]
    prev = toks[i - 1]
    sentence = False
    if prev.kind == PUNCT and prev.key in _SENTENCE_ENDS:
        before = toks[i - 2] if i >= 2 else None
        if prev.key == "." and before is not None and (before.key in lex.name_titles or before.key in _ABBREVIATIONS
                                                       or before.kind == WORD and len(before.key) == 1):
            return None                     # "Dr. Lee", "J. Smith", "St. Mary's"
        sentence = True
    elif "\n" in text[prev.end:t.start]:
        sentence = True
    elif not (t.key in _CONNECTORS or t.key in (",", ";")):
        return None
    r = i
    while r < len(toks) and (toks[r].key in _CONNECTORS or toks[r].kind == PUNCT and toks[r].key in ",;:-–—"):
        r += 1
    if r == i and not sentence:
        return None
    return sentence, r


def request_start(keys: list[str], r: int, lex: Lexicon) -> bool:
    """Request words at r: "remind me", "note", "cancel", "move", "schedule", "book", "add"."""
    for kind in ("reminder", "note", "cancel", "reschedule"):
        table = lex.kind_prefixes.get(kind)
        hit = table.match(keys, r) if table is not None else None
        if hit and (kind != "note" or keys[r] in ("note", "notiz", "заметка", "jot", "memo")):
            if kind in ("cancel", "reschedule") and hit[0] >= len(keys):
                continue
            return True
    hit = lex.event_prefixes.match(keys, r)
    return bool(hit and hit[0] < len(keys) and keys[r] not in ("event", "calendar", "hold", "put"))


def content_start(toks: list[Token], r: int, lex: Lexicon) -> bool:
    """Does the right side start with what it is ("drinks at 10"), not with a when ("Thursday")?"""
    tok = toks[r]
    if tok.kind in NUMERIC or tok.kind in (ORD, TIME):
        return False
    k = tok.key
    return not (k in lex.at or k in lex.on or k in lex.in_ or k in lex.the or k in lex.from_
                or k in lex.with_ or k in lex.and_ or k in lex.weekdays or k in lex.weekday_plurals
                or k in lex.months)


def time_then_content(toks: list[Token], used: list[bool], r: int, end: int, lex: Lexicon) -> bool:
    """German and Russian put the time first: "und um 14 Uhr Friseur", "а в 15 встреча с Олегом"."""
    if lex.code == "en" or not used[r] or toks[r].key not in lex.at and not lex.anchor_days.starts(toks[r].key):
        return False
    x = r
    while x < end and used[x]:
        x += 1
    return x < end and toks[x].kind == WORD and toks[x].key not in lex.and_


def named_after_with(toks: list[Token], x: int, lex: Lexicon) -> bool:
    """"dinner with Hope": a name that is also a chatty word ("hope") is a person there."""
    return toks[x].cap and x > 0 and (toks[x - 1].key in lex.with_ or toks[x - 1].key in lex.and_)


def has_content(toks: list[Token], lex: Lexicon) -> bool:
    return any(t.kind not in (PUNCT,) for t in toks)


def is_greeting_only(toks: list[Token], lex: Lexicon) -> bool:
    keys = [t.key for t in toks if t.kind != PUNCT]
    hit = lex.greetings.match(keys, 0)
    return bool(hit) and hit[0] >= len(keys) - 1


__all__ = ["parse_all"]
