"""Tolerant word lookup: chat shorthand ("nxt", "2morrow", "mtg") and typos one letter off
("thrusday", "evning", "remnid") mapped to the word the lexicon knows.

Only words no table knows are looked at, so "text", "your" or "wine" (one letter from "next",
"hour", "nine") stay themselves: the lexicon's FUZZY_KEEP lists the real words that lie one edit
from a target, and a first name is never corrected. A word needs 4+ letters and exactly one
target within Damerau-Levenshtein distance 1 (an adjacent swap counts as one edit).

Lookups are cached per lexicon: the same unknown title words come back again and again.
"""
from __future__ import annotations

from typing import Iterable


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def within_one(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance(a, b) <= 1."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if la > lb:
        a, b = b, a
    # b is a with one letter inserted
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


class Tolerant:
    """Shorthand table + one-edit typo correction towards a fixed set of target words."""

    MAX_CACHE = 20000

    def __init__(self, shorthand: dict[str, str], targets: Iterable[str], keep: Iterable[str],
                 known: frozenset[str], names: frozenset[str]) -> None:
        self.shorthand = dict(shorthand)
        self.targets = frozenset(t for t in targets if len(t) >= 4)
        self.keep = frozenset(keep)
        self.known = known
        self.names = names
        self.by_deletion: dict[str, set[str]] = {}
        for t in self.targets:
            for d in deletions(t):
                self.by_deletion.setdefault(d, set()).add(t)
        self.cache: dict[str, str | None] = {}

    def lookup(self, word: str) -> str | None:
        """The word `word` stands for, or None when it is fine as it is (or unrecognisable)."""
        hit = self.shorthand.get(word)
        if hit is not None:
            return hit
        if len(word) < 4 or word in self.known:
            return None
        if word in self.cache:
            return self.cache[word]
        out = self._correct(word)
        if len(self.cache) >= self.MAX_CACHE:
            self.cache.clear()
        self.cache[word] = out
        return out

    def _correct(self, word: str) -> str | None:
        if word in self.keep or word in self.names or not word.replace("'", "").isalpha():
            return None
        candidates: set[str] = set(self.by_deletion.get(word, ()))      # a letter left out
        for d in deletions(word):
            if d in self.targets:                                       # a letter too many
                candidates.add(d)
            candidates.update(self.by_deletion.get(d, ()))              # swapped or mistyped
        found = [t for t in candidates if within_one(word, t)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            # Ties: a typo seldom hits the first letter ("munday": monday, not sunday), and a
            # word that starts with a whole target only has a letter too many ("reminde").
            found = [t for t in found if t[0] == word[0]] or found
            if len(found) > 1:
                found = [t for t in found if word.startswith(t)] or found
            return found[0] if len(found) == 1 else None
        return None


__all__ = ["Tolerant", "within_one"]
