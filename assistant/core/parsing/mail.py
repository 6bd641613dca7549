"""Forwarded e-mail: the header block ("From: Bill Chen <bill@acme.com>", "Subject: Re: Kickoff",
"Sent: Mon, 9 Mar 2026 10:14", the "---------- Forwarded message ---------" banner) and the
title of an announcement ("The school concert takes place on ...").

Mail often arrives with its line breaks turned into spaces, so a header's value cannot end at a
line end: it ends where the next header starts, at a greeting ("Hi", "Dear"), or — for a subject —
at the first capitalised word after its first word (the body's first sentence). Header tokens get
the greeting role, so the sent date is never read as the event's date.
"""
from __future__ import annotations

from dataclasses import dataclass

from .extract import _slice, capitalise, trim
from .kinds import ROLE_GREETING
from .lexicons import Lexicon
from .tokens import EMAIL, PUNCT, WORD, Token

_SENDER = frozenset({"from", "von", "от"})
_SUBJECT = frozenset({"subject", "betreff", "тема"})
_OTHER = frozenset({"to", "cc", "bcc", "sent", "date", "reply-to", "an", "gesendet", "datum", "kopie",
                    "кому", "дата", "отправлено"})
_HEADERS = _SENDER | _SUBJECT | _OTHER
_BANNERS = (("begin", "forwarded", "message"), ("forwarded", "message"), ("original", "message"),
            ("weitergeleitete", "nachricht"), ("ursprüngliche", "nachricht"),
            ("пересылаемое", "сообщение"))
_SUBJECT_TAGS = frozenset({"re", "fwd", "fw", "aw", "wg", "wtr"})
_BANNER_PUNCT = frozenset({"-", "—", "–", "_", "=", ">", "*"})
# "The school concert takes place on ...", "Our summer party will be held ...": what comes
# before these words names the event.
_ANNOUNCING = frozenset({"is", "are", "will", "takes", "take", "starts", "begins", "was", "has",
                         "have", "moves", "happens"})


_AVAILABLE = frozenset({"available", "free", "busy", "able", "happy", "fine", "ok", "okay", "around", "out", "away"})


@dataclass
class MailHeaders:
    sender: str | None = None
    subject: str | None = None
    body_start: int = 0             # first token after the header block
    people: range = range(0)        # "with Kenji" in the subject: left for the attendees


def _people_said(toks: list[Token], keys: list[str], a: int, b: int, lex: Lexicon) -> range:
    """The "with <Name>" closing a subject line, which the attendees read like the body's."""
    w = next((k for k in range(a, b - 1) if keys[k] in lex.with_ and toks[k + 1].cap), None)
    return range(0) if w is None else range(w, b)


def headers(toks: list[Token], roles: list[str | None], lex: Lexicon) -> MailHeaders:
    """Read a leading header block, marking its tokens; an ordinary request is left untouched."""
    out = MailHeaders()
    keys = [t.key for t in toks]
    n = len(toks)
    i, seen = _forward_line(toks, keys, lex, out)
    while i < n:
        if toks[i].kind == PUNCT and keys[i] in _BANNER_PUNCT:
            i += 1
            continue
        banner = next((b for b in _BANNERS if tuple(keys[i:i + len(b)]) == b), None)
        if banner:
            i += len(banner)
            seen = True
            continue
        if not _header_at(keys, i):
            break
        seen = True
        name = keys[i]
        end = _value_end(toks, keys, i + 2, lex, name in _SUBJECT)
        if name in _SENDER and out.sender is None:
            out.sender = _sender(toks, i + 2, end)
        elif name in _SUBJECT and out.subject is None:
            out.subject = _subject(toks, i + 2, end, lex)
            out.people = _people_said(toks, keys, i + 2, end, lex)
        i = end
    if not seen:
        return out
    for k in range(i):
        if k not in out.people:
            roles[k] = ROLE_GREETING
    out.body_start = i
    return out


_FORWARDING = frozenset({"forwarding", "forwarded", "fwd", "fw"})
_SUBJECT_ENDS = frozenset({"-", "—", "–", ".", "?", "!", "|"})


def _forward_line(toks: list[Token], keys: list[str], lex: Lexicon, out: MailHeaders) -> tuple[int, bool]:
    """A pasted subject line with no "Subject:" ("Fwd: Q2 planning - Hi, can we meet ...", "FW:
    Re: site visit — confirmed for ...") or a note of whom it is from ("Forwarding from Jane:
    ...") -> (the first token after it, whether one was read). The subject is taken only when a
    dash, a sentence end or a greeting closes it, so "Fwd: dinner on the 20th" keeps its date."""
    n = len(keys)
    i = 0
    if n > 3 and keys[0] in _FORWARDING and keys[1] == "from":
        colon = next((k for k in range(2, min(n, 6)) if keys[k] == ":"), None)
        if colon is not None and all(t.kind == WORD and t.cap or t.kind == EMAIL for t in toks[2:colon]):
            out.sender = _sender(toks, 2, colon)
            return colon + 1, True
    while i + 1 < n and keys[i] in _SUBJECT_TAGS and keys[i + 1] == ":":
        i += 2
    if i == 0:
        return 0, False
    for j in range(i + 1, min(n, i + 12)):
        if lex.greetings.match(keys, j) is not None or toks[j].kind == PUNCT and keys[j] in _SUBJECT_ENDS \
                and not (keys[j] == "-" and toks[j - 1].end == toks[j].start):
            if all(t.kind == WORD or t.kind == PUNCT and t.key not in ",:" for t in toks[i:j]):
                out.subject = _subject(toks, i, j, lex)
                out.people = _people_said(toks, keys, i, j, lex)
                return (j + 1 if toks[j].kind == PUNCT else j), True
            break
    return i, True


def _header_at(keys: list[str], i: int) -> bool:
    return i + 1 < len(keys) and keys[i] in _HEADERS and keys[i + 1] == ":"


def _value_end(toks: list[Token], keys: list[str], i: int, lex: Lexicon, subject: bool) -> int:
    n = len(toks)
    j = i
    while j < n and not _header_at(keys, j) and lex.greetings.match(keys, j) is None:
        if subject and j > i and toks[j].kind == WORD and toks[j].cap and keys[j - 1] != ":" \
                and keys[j] not in _SUBJECT_TAGS and keys[j - 1] not in lex.with_:
            break                       # "Subject: Meeting with Kenji" names whom it is with
        if not subject and toks[j].kind == PUNCT and keys[j] == ">" and j > i:
            return j + 1                # "Bill Chen <bill@acme.com>"
        if not subject and toks[j].kind == EMAIL and (j + 1 >= n or keys[j + 1] != ">"):
            return j + 1
        j += 1
    return j


def _sender(toks: list[Token], a: int, b: int) -> str | None:
    words = [t.text for t in toks[a:b] if t.kind == WORD and t.cap]
    if words:
        return " ".join(words[:3])
    mail = next((t.text for t in toks[a:b] if t.kind == EMAIL), None)
    return mail


def _subject(toks: list[Token], a: int, b: int, lex: Lexicon) -> str | None:
    while a < b and (toks[a].key in _SUBJECT_TAGS or toks[a].kind == PUNCT):
        a += 1
    a, b = trim(toks, a, b, lex)
    return capitalise(_slice(toks, a, b)) if a < b else None


def announced_title(toks: list[Token], roles: list[str | None], lex: Lexicon) -> str | None:
    """"the school concert takes place on Wednesday" -> "School concert": the unclaimed words
    opening the body, when an announcing verb follows them."""
    n = len(toks)
    a = 0
    while a < n and (roles[a] is not None or toks[a].kind == PUNCT):
        a += 1
    b = a
    while b < n and toks[b].kind == WORD and toks[b].key not in _ANNOUNCING and (
            roles[b] is None or b > a and toks[b].key in lex.dayparts):   # "the parents' evening is"
        b += 1
    if b >= n or toks[b].key not in _ANNOUNCING or b - a > 6 or b + 1 < n and toks[b + 1].key in _AVAILABLE:
        return None                     # "the candidate is available Monday": who, not what
    a, b = trim(toks, a, b, lex)
    return capitalise(_slice(toks, a, b)) if a < b else None


__all__ = ["MailHeaders", "announced_title", "headers"]
