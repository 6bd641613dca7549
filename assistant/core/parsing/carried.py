"""What a later request in a message carries over from the one before it (see several.py):

    "Remind me tonight to water the plants and tomorrow morning to take out the trash"
        -> the second is "remind me tomorrow morning to take out the trash";
    "Meet Anna at 10, Ben at 11 and Carla at 12" -> "Meet Ben at 11", "Meet Carla at 12".
"""
from __future__ import annotations

from datetime import datetime

from .grammar import Scanner
from .lexicons import Lexicon
from .tokens import PUNCT, WORD, Token

CONNECTORS = frozenset({"and", "also", "then", "plus", "oh", "ok", "okay", "so", "but", "please",
                        "pls", "&", "und", "auch", "dann", "и", "также", "потом", "а"})
TASK_TO = frozenset({"to"})                  # "... and tomorrow to take out the trash"


def is_person(tok: Token, lex: Lexicon) -> bool:
    return tok.kind == WORD and (tok.key in lex.names or tok.cap and tok.key not in lex.known_words)


def skip_connectors(toks: list[Token]) -> int:
    x = 0
    while x < len(toks) - 1 and (toks[x].key in CONNECTORS or toks[x].kind == PUNCT):
        x += 1
    return x


def continues_reminder(toks: list[Token], lex: Lexicon, now: datetime) -> bool:
    """After a reminder, "to email Sue at 6" ("remind me to call Bob at 5 and to email Sue at 6")
    and "tomorrow morning to take out the trash" ("remind me tonight to water the plants and
    tomorrow morning to ...") are reminders too: a when, then "to" and the task."""
    x = skip_connectors(toks)
    if x < len(toks) and toks[x].key in TASK_TO:
        return True
    if x >= len(toks) or toks[x].kind == WORD and not (toks[x].key in lex.starts_date or toks[x].key in lex.leads_date):
        return False
    used = Scanner(toks, lex, now.date()).scan().used
    y = x
    while y < len(toks) and used[y]:
        y += 1
    return x < y < len(toks) - 1 and toks[y].key in TASK_TO and toks[y + 1].kind == WORD


def lead_before_person(segment: str, toks: list[Token], lex: Lexicon, now: datetime) -> str:
    """"Meet Anna at 10": "Meet", the words before the first person, when they say no when."""
    for x, t in enumerate(toks):
        if x and is_person(t, lex) and (lex.code != "de" or t.key in lex.names):
            lead = toks[:x]
            if any(u.kind != WORD for u in lead) or any(Scanner(lead, lex, now.date()).scan().used):
                return ""
            return segment[:t.start].strip()
    return ""


def borrowed_lead(segment: str, toks: list[Token], lead: str, lex: Lexicon, now: datetime) -> str:
    """"Meet Anna at 10, Ben at 11 and Carla at 12": a request that is only people and a when
    takes the first one's words before its person ("Meet Ben at 11"); "..., with Ben at 11" drops
    the lead's own "with"."""
    x = skip_connectors(toks)
    body = toks[x:]
    with_ = lex.with_ | lex.attendee_prefixes
    if not body or not is_person(body[0], lex) and not (body[0].key in with_ and len(body) > 1
                                                        and is_person(body[1], lex)):
        return segment
    used = Scanner(body, lex, now.date()).scan().used
    if not any(used) or any(not u and t.kind == WORD and not is_person(t, lex) and t.key not in lex.and_
                            and t.key not in with_ for t, u in zip(body, used)):
        return segment
    words = lead.split()
    if body[0].key in with_ and words and words[-1].lower() in with_:
        words.pop()
    return " ".join(words) + " " + segment[body[0].start:]
