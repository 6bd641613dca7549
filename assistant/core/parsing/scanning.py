"""Running the grammar over the tokens no other step has claimed.

Every step of the parser labels the tokens it reads in `roles` (a person, a place, filler…); the
grammar (`grammar.Scanner`) must skip those, and the tokens it reads become time words
(`extract.ROLE_TIME`) so the title leaves them out. The parser, reschedules and edits all read
dates and times this way.
"""
from __future__ import annotations

from datetime import date

from . import extract
from .grammar import Found, Scanner
from .lexicons import Lexicon
from .tokens import Token

NO_DAY = date(2000, 1, 1)
"""The `today` of a scanner whose matchers read no dates (amounts, times of day)."""


def free_scanner(toks: list[Token], roles: list[str | None], lex: Lexicon, today: date = NO_DAY) -> Scanner:
    """A scanner that treats the tokens other steps own as used."""
    s = Scanner(toks, lex, today)
    s.f.used = [r is not None for r in roles]
    return s


def scan_into(toks: list[Token], roles: list[str | None], lex: Lexicon, today: date, a: int, b: int) -> Found:
    """Run the grammar over toks[a:b], skipping tokens other steps own; mark what it reads."""
    found = free_scanner(toks, roles, lex, today).scan(a, b)
    found.mer_hint = meal_hint(toks, lex)
    for i in range(a, b):
        if found.used[i] and roles[i] is None:
            roles[i] = extract.ROLE_TIME
    return found


def meal_hint(toks: list[Token], lex: Lexicon) -> str | None:
    """"Dinner at 8" is 20:00 and "breakfast at 7" 07:00, whatever the default rule says."""
    for t in toks:
        if t.key in lex.pm_nouns:
            return "meal-pm"
        if t.key in lex.am_nouns:
            return "meal-am"
    return None


def bare_hour(toks: list[Token], roles: list[str | None], lex: Lexicon, i: int, found: Found) -> None:
    """A lone number at i is an hour where a time is expected: "move my 10am to 11", "make it 11"."""
    if i >= len(toks) or roles[i] is not None:
        return
    hit = free_scanner(toks, roles, lex).time_expr(i, relaxed=True)
    if hit:
        found.time = hit[1]
        for k in range(i, hit[0]):
            roles[k] = extract.ROLE_TIME


__all__ = ["NO_DAY", "bare_hour", "free_scanner", "meal_hint", "scan_into"]
