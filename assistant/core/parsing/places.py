"""Where: the place a request names ("at Nopa", "in room 4B", "@ the office", "on Zoom",
"(room 3.21)", "our office in Hamburg"), read from the tokens the other steps left over.
"""
from __future__ import annotations

from .extract import _DETERMINERS, ROLE_PLACE, _slice
from .lexicons import Lexicon
from .tokens import ALNUM, DEC, NUM, ORD, WORD, Token


def location(toks: list[Token], roles: list[str | None], lex: Lexicon) -> str | None:
    """"at Nopa", "in room 4B", "in Lisbon", "at the office" -> the place as written."""
    n = len(toks)
    for i, t in enumerate(toks):
        if roles[i] is None and t.key in _ONLINE_PREPS:
            end = online_place(toks, roles, i + 1)
            if end:
                for x in range(i, end):
                    roles[x] = ROLE_PLACE
                return _slice(toks, i + 1, end)
        if roles[i] is None and t.key == "(" and i + 1 < n and toks[i + 1].key in lex.place_nouns:
            t = toks[i]                 # "Team meeting (room 3.21)"
        elif roles[i] is not None or t.key not in lex.location_preps:
            continue
        if heading(toks, i + 1, lex):
            continue                    # "Auto in die Werkstatt": where it goes, part of the task
        j = i + 1
        if j < n and toks[j].key in (":",):
            j += 1
        start = j
        if j < n and roles[j] is None and toks[j].key in _DETERMINERS:
            j += 1
        last = None
        k = j
        while k < n and k - j < 4 and roles[k] is None and (toks[k].kind in (WORD, ALNUM, NUM, ORD) or (
                toks[k].kind == DEC and k > j and toks[k - 1].key in lex.place_nouns) or (
                toks[k].key == "." and k > j and (toks[k - 1].key in lex.name_titles or toks[k - 1].key in _SAINTS))):
            tok = toks[k]
            if tok.key == ".":              # "at Dr. Weber's practice"
                k += 1
                continue
            if tok.key in lex.name_breaks and tok.key not in lex.place_nouns or tok.key == "with":
                break
            # "Café Central": a capitalised word that continues a name is part of it
            if (tok.cap and (tok.base not in lex.grammar_words or last == k - 1)) \
                    or tok.key in lex.place_nouns or tok.kind == ALNUM or (tok.kind in (NUM, DEC) and k > j):
                last = k
            elif tok.kind == WORD and not tok.cap and last is not None:
                break
            k += 1
        if last is None:
            continue
        if last + 1 < n and toks[last + 1].key in _VERSUS:
            continue                    # "hearing in Smith v. Jones": a case, not a place
        last = place_in_city(toks, roles, last, lex)
        if not any(toks[x].cap or toks[x].key in lex.place_nouns for x in range(j, last + 1)):
            continue
        if all(toks[x].key in lex.event_nouns and toks[x].key not in lex.place_nouns for x in range(j, last + 1)):
            continue                    # "Termin beim Arzt": who it is with, not where
        for x in range(i, last + 1):
            roles[x] = ROLE_PLACE
        return _slice(toks, start, last + 1)
    return numbered_room(toks, roles)


_ROOMS = frozenset({"room", "rm", "courtroom", "suite", "ward", "gate", "platform", "hall", "booth",
                    "bay", "terminal", "auditorium", "classroom", "lab", "studio", "dept", "department",
                    "chambers", "building", "bldg", "floor", "desk"})


def numbered_room(toks: list[Token], roles: list[str | None]) -> str | None:
    """"…, room 2.14", "Courtroom 4B", "(gate B12)": a room word and its number need no "at"."""
    for i in range(len(toks) - 1):
        if roles[i] is not None or roles[i + 1] is not None or toks[i].key not in _ROOMS:
            continue
        code = toks[i + 1]
        if code.kind in (ALNUM, NUM, DEC) or code.kind == WORD and (
                len(code.text) == 1 and code.text.isupper() or any(ch.isdigit() for ch in code.text)):
            if i > 0 and toks[i - 1].kind == WORD and not toks[i].cap:
                continue                # "the room 5 people fit in" reads on; a place is set apart
            roles[i] = roles[i + 1] = ROLE_PLACE
            return _slice(toks, i, i + 2)
    return None


def heading(toks: list[Token], j: int, lex: Lexicon) -> bool:
    """German says where to with the accusative: "in die Werkstatt", "in den Service", "in den
    Kindergarten bringen" (but "in den Bergen", dative plural, is where)."""
    if j + 1 >= len(toks) or toks[j].key not in lex.direction_articles:
        return False
    if toks[j].key != "den" or not toks[j + 1].key.endswith("n"):
        return True
    verb = toks[j + 2] if j + 2 < len(toks) else None
    return verb is not None and verb.kind == WORD and not verb.cap and verb.key.endswith("en") \
        and verb.key not in lex.known_words


_SAINTS = frozenset({"st", "mt", "ste"})          # "St. Mary's school", "Mt. Sinai hospital"
_VERSUS = frozenset({"v", "vs", "v.", "vs.", "versus"})
_ONLINE_PREPS = frozenset({"on", "via", "over", "through"})
_ONLINE = frozenset({"zoom", "teams", "skype", "webex", "facetime", "whatsapp", "slack", "discord",
                     "hangouts", "jitsi", "signal", "telegram"})
_ONLINE_MAKERS = frozenset({"google", "microsoft", "ms"})


def online_place(toks: list[Token], roles: list[str | None], i: int) -> int:
    """"on Zoom", "via Google Meet", "over MS Teams": the end of the platform's name, else 0."""
    if i < len(toks) and roles[i] is None and toks[i].key in _ONLINE_MAKERS:
        i += 1
        if i < len(toks) and toks[i].key in ("meet", "teams", "hangouts") and roles[i] is None:
            return i + 1
        return 0
    return i + 1 if i < len(toks) and roles[i] is None and toks[i].key in _ONLINE else 0


def place_in_city(toks: list[Token], roles: list[str | None], last: int, lex: Lexicon) -> int:
    """"our office in Hamburg", "the Hilton in Berlin": a place noun may name its town."""
    k = last + 1
    if k + 1 >= len(toks) or toks[k].key != "in" or roles[k] is not None \
            or not (toks[last].key in lex.place_nouns or toks[last].cap):
        return last
    end = k + 1
    while end < len(toks) and end - k <= 3 and roles[end] is None and toks[end].kind == WORD \
            and toks[end].cap and toks[end].base not in lex.grammar_words:
        end += 1
    return end - 1 if end > k + 1 else last


__all__ = ["location"]
