"""Edits of who comes: "add Boris", "invite anna@x.com and Carl", "with Anna too", "Sam is coming
too", "remove Boris", "without Bill", "not Boris, Bill" (Bill takes Boris's place, in the title too).
Part of `apply_edit` (edit.py).
"""
from __future__ import annotations

import re

from ..item import Item
from . import extract
from .kinds import mark
from .lexicons import Lexicon
from .tokens import EMAIL, Token

_PRONOUNS = frozenset({"her", "him", "them"})


def edit_people(item: Item, toks: list[Token], keys: list[str], roles, lex: Lexicon) -> tuple[list[str], str] | None:
    """"add Boris", "invite anna@x.com and Carl", "with Anna too", "Sam is coming too", "remove
    Boris", "without Boris", "not Boris, Bill" -> (the new attendees, the title)."""
    people = list(item.attendees)
    title = item.title
    changed = False
    swap = replacement(toks, keys, roles, lex)
    if swap is not None:
        old, new = swap
        people = [new if same_person(p, old) else p for p in people]
        if not any(same_person(p, new) for p in people):
            people.append(new)
        title = replace_word(title, old, new)
        changed = True
    coming, leaving = joining(toks, keys, roles, lex)
    for name in coming:
        if leaving:
            people = [p for p in people if not same_person(p, name)]
        elif not any(same_person(p, name) for p in people):
            people.append(name)
        changed = True
    for table, adding in ((lex.edit_add, True), (lex.edit_remove, False)):
        for i in range(len(keys)):
            if roles[i] is not None:
                continue
            hit = table.match(keys, i)
            if not hit:
                continue
            names, end = extract.name_list(toks, roles, hit[0], lex, lowercase_ok=True)
            if not names and not adding and hit[0] < len(keys) and keys[hit[0]] in _PRONOUNS:
                # "Kate cancelled, remove her": the person just named, or the only one there is
                named = coming or (people if len(people) == 1 else [])
                if named:
                    names, end = list(named), hit[0] + 1
                    mark(roles, hit[0], end, "k")
            if not names:
                continue
            mark(roles, i, hit[0], "k")
            x = end
            while adding and x < len(keys) and roles[x] is None and keys[x] in lex.edit_joining:
                roles[x] = "k"              # "invite Sam too", "add Anna as well"
                x += 1
            for name in names:
                if adding and not any(p.lower() == name.lower() for p in people):
                    people.append(name)
                elif not adding:
                    people = [p for p in people if p.lower() != name.lower()
                              and p.lower().split("@")[0] != name.lower()]
            changed = True
    for i, t in enumerate(toks):
        if t.kind == EMAIL and roles[i] is None:
            roles[i] = "a"
            if t.text not in people:
                people.append(t.text)
            changed = True
    for gone in [p for p in item.attendees if not any(same_person(q, p) for q in people)]:
        title = without_name(title, gone, lex)        # "Lunch with Sara" and Sara can't come: "Lunch"
    return (people, title) if changed else None


def without_name(title: str, name: str, lex: Lexicon) -> str:
    """The title less a person who left: "Lunch with Sara" -> "Lunch", "Dinner with Sara and Tom" ->
    "Dinner with Tom"; a title that names them otherwise stays."""
    words = title.split()
    low = [w.strip(",").lower() for w in words]
    first = name.split()[0].lower()
    if first not in low:
        return title
    x = low.index(first)
    if x + 1 < len(low) and low[x + 1] in lex.and_:
        del words[x:x + 2]                              # "with Sara and Tom" -> "with Tom"
    elif x >= 1 and low[x - 1] in lex.and_:
        del words[x - 1:x + 1]                          # "with Tom and Sara" -> "with Tom"
    elif x >= 1 and low[x - 1] in lex.with_:
        del words[x - 1:x + 1]                          # "Lunch with Sara" -> "Lunch"
    else:
        return title
    return " ".join(words).rstrip(",") or title


def same_person(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a == b or a.split("@")[0] == b or a.split()[0] == b


def replace_word(title: str, old: str, new: str) -> str:
    """"Lunch with Boris" -> "Lunch with Bill"."""
    return re.sub(rf"\b{re.escape(old)}\b", new, title, flags=re.IGNORECASE) if title else title


def replacement(toks: list[Token], keys: list[str], roles, lex: Lexicon) -> tuple[str, str] | None:
    """"not Boris, Bill" / "not Boris but Bill" / "Bill instead of Boris" / "replace Boris with
    Bill" / "swap Boris for Bill" -> (old, new)."""
    n = len(toks)
    for i in range(n):
        if roles[i] is not None:
            continue
        k = keys[i]
        if k in lex.edit_not or k in lex.edit_swap:
            a, end_a = extract.name_list(toks, roles, i + 1, lex, lowercase_ok=True)
            if len(a) == 2 and "and" not in keys[i + 1:end_a] and "&" not in keys[i + 1:end_a]:
                mark(roles, i, end_a, "k")              # "not Boris, Bill"
                return a[0], a[1]
            if len(a) != 1:
                unmark_people(roles, i + 1, end_a)
                continue
            j = end_a
            while j < n and roles[j] is None and (keys[j] in (",", "-", "—", "–", "but", "with", "for", "by", "->", "→", "rather")
                                                  or keys[j] in lex.edit_but):      # "не Петя, а Вася"
                j += 1
            b, end_b = extract.name_list(toks, roles, j, lex, lowercase_ok=True)
            if len(b) == 1:
                mark(roles, i, end_b, "k")
                return a[0], b[0]
            unmark_people(roles, i + 1, end_b)
        if i + 3 < n and keys[i + 1] == "instead" and keys[i + 2] == "of":      # "Bill instead of Boris"
            b, end_b = extract.name_list(toks, roles, i, lex, lowercase_ok=True)
            if len(b) == 1 and end_b == i + 1:
                a, end_a = extract.name_list(toks, roles, i + 3, lex, lowercase_ok=True)
                if len(a) == 1:
                    mark(roles, i, end_a, "k")
                    return a[0], b[0]
            unmark_people(roles, i, n)
    return None


def unmark_people(roles, a: int, b: int) -> None:
    for x in range(a, min(b, len(roles))):
        if roles[x] in (extract.ROLE_PERSON, extract.ROLE_WITH):
            roles[x] = None


def joining(toks: list[Token], keys: list[str], roles, lex: Lexicon) -> tuple[list[str], bool]:
    """"with Anna too", "Sam is coming too", "Sam joins", "Anna as well": people who join;
    "Anna can't make it", "Boris isn't coming": people who leave (then the flag is True)."""
    n = len(toks)
    for i in range(n):
        if roles[i] is not None:
            continue
        start = i + 1 if keys[i] in ("with", "w", "w/", "also", "plus") else i
        if start == i and i > 0 and any(r is None and keys[x] not in lex.edit_filler for x, r in enumerate(roles[:i])):
            continue
        names, end = extract.name_list(toks, roles, start, lex, lowercase_ok=True)
        stop = next((x for x in range(end, n) if keys[x] in (",", ";", ".", "!")), n)   # this clause
        rest = [k for k, r in zip(keys[end:stop], roles[end:stop]) if r is None]
        words = lex.edit_joining | lex.edit_leaving
        if names and rest and all(k in words or k in lex.edit_filler for k in rest) \
                and any(k in words for k in rest) or names and start > i and not rest:
            leaving = start == i and any(k in lex.edit_leaving for k in rest)
            mark(roles, i, end, "k")
            for x in range(end, stop):
                if roles[x] is None and keys[x] in words:
                    roles[x] = "k"
            return names, leaving
        unmark_people(roles, start, end)
    return [], False
