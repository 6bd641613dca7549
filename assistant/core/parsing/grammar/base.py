"""The state and small helpers every matcher shares.

A matcher is a method `m(i) -> int | None`: it tries to read one expression starting at token i,
records what it read in `self.f` (a `Found`), marks the tokens used and returns the index after
them — or returns None and leaves `self.f` as it was. The matchers live in the sibling modules
(times, days, periods, amounts, spans, recurrence); `Scanner` combines them.
"""
from __future__ import annotations

from datetime import date

from ..lexicons import Lexicon
from ..tokens import ALNUM, NUM, Token
from .found import Found


class ScannerBase:
    """Tokens, the language's tables, today's date, and what has been found so far."""

    def __init__(self, toks: list[Token], lex: Lexicon, today: date) -> None:
        self.t = toks
        self.keys = [t.key for t in toks]
        self.alt = [t.base for t in toks]
        self.n = len(toks)
        self.lex = lex
        self.today = today
        self.f = Found(used=[False] * len(toks))

    def key(self, i: int) -> str:
        return self.keys[i] if 0 <= i < self.n else ""

    def kind(self, i: int) -> str:
        return self.t[i].kind if 0 <= i < self.n else ""

    def free(self, i: int) -> bool:
        return 0 <= i < self.n and not self.f.used[i]

    def whole(self, i: int) -> int | None:
        """A whole number at i for an amount, a repeat interval or a count. A digit string too long
        for a NUM token (more than 6 digits) counts too, capped at 10**15: "in 99999999999
        minutes" is then read, and asked about (limits.py), instead of dropped into the title."""
        kind = self.kind(i)
        if kind == NUM:
            return self.t[i].value
        if kind == ALNUM and self.t[i].text.isdigit():
            text = self.t[i].text
            return int(text) if len(text) <= 15 else 10 ** 15
        return None

    def skip(self, i: int, words: frozenset[str]) -> int:
        """Index after an optional word from `words` at i."""
        return i + 1 if self.free(i) and self.keys[i] in words else i

    def skip_comma(self, i: int) -> int:
        return i + 1 if self.key(i) == "," else i

    def phrase(self, table, i: int) -> tuple[int, object] | None:
        if not self.free(i):
            return None
        return table.match(self.keys, i, self.alt)

    def mark(self, i: int, j: int) -> int:
        for k in range(i, j):
            self.f.used[k] = True
        self.f.hits += 1
        return j
