"""Who and what: attendees and title — read from the tokens the grammar left over (where: places.py).

Each token gets at most one role (see the ROLE_* constants); a role keeps a token out of the
others' way. The title is the first run of tokens that play no role (or belong to a
"with <name>" clause), trimmed of dangling prepositions.
"""
from __future__ import annotations

from .lexicons import Lexicon
from .tokens import EMAIL, PUNCT, WORD, Token

ROLE_TIME, ROLE_WITH, ROLE_PERSON, ROLE_PLACE, ROLE_EMAIL = "t", "w", "a", "l", "e"
TITLE_ROLES = frozenset({None, ROLE_WITH, ROLE_PERSON})
_DETERMINERS = frozenset({"the", "my", "our", "his", "her", "their", "a", "an", "mom's", "dad's"})
_DASHES = frozenset({"-", "—", "–", "~"})
_AUDIENCE = frozenset({"all", "everyone", "everybody", "team", "parents", "guys", "folks", "both",
                       "there", "colleagues", "friends", "together", "you", "families", "members"})
_CONTACT_VERBS = frozenset({"call", "meet", "email", "e-mail", "text", "ping", "phone", "ring",
                            "message", "visit", "see", "invite", "anrufen", "treffen", "seeing",
                            "meeting", "calling", "visiting", "emailing", "texting"})


def is_name_word(tok: Token, lex: Lexicon, lowercase_ok: bool, first: bool = True) -> bool:
    """A word that can be (part of) a person's name where people are listed (after "with", in
    "Anna and Boris"): a first name from the gazetteer, even when it is also a word ("Jan", "mark",
    "Will"); else capitalised and not a word the grammar knows."""
    if tok.kind != WORD or len(tok.key) < 2 and not tok.cap:
        return False
    k = tok.base
    raw = tok.text.lower().replace("’", "'")
    if k in lex.not_names or k in lex.name_breaks:
        return False
    if (raw in lex.names or k in lex.names and raw == tok.key) and (first or tok.cap):
        return True
    if k in lex.known_words:
        return False
    if tok.cap:
        return True
    return lowercase_ok and k.isalpha() and len(k) >= 3


def normalise_name(words: list[str], lex: Lexicon) -> str:
    """Join a name's words; inflected languages map case endings back (Анной -> Анна)."""
    out = []
    for w in words:
        w = w[:1].upper() + w[1:]
        if w.endswith(("'s", "’s")):
            w = w[:-2]
        if lex.name_suffixes and w.lower() not in lex.names:
            # every reading of the ending; a known first name wins (Павлом -> Павел, not Павл)
            cands = [w[: -len(suffix)] + repl for suffix, repl in lex.name_suffixes
                     if w.endswith(suffix) and len(w) - len(suffix) >= 2]
            # endings a nominative may also have (Олега, Игоря): only when that names someone known
            known = [w[: -len(suffix)] + repl for suffix, repl in lex.name_case_suffixes
                     if w.endswith(suffix) and len(w) - len(suffix) >= 2]
            w = next((c for c in cands + known if c.lower() in lex.names), cands[0] if cands else w)
        out.append(w)
    return " ".join(out)


def signature(toks: list[Token], roles: list[str | None], lex: Lexicon) -> str | None:
    """A forwarded message's sign-off ("Best, Mark", "- Julia", "Thanks, Li Wei") -> the name."""
    end = len(toks)
    while end > 0 and toks[end - 1].kind == PUNCT and toks[end - 1].key in ".!)":
        end -= 1
    start = end
    while start > 0 and end - start < 3 and toks[start - 1].kind == WORD and toks[start - 1].cap \
            and toks[start - 1].base not in lex.known_words:
        start -= 1
    if start == end or start == 0:
        return None
    if toks[start - 1].key in (".", "?", "!") and end - start <= 2 and start >= 3:
        # "Let's catch up Thursday at 4pm. Sarah"
        for i in range(start, len(toks)):
            roles[i] = "s"
        return normalise_name([t.text for t in toks[start:end]], lex)
    k = start
    if toks[k - 1].key in (",", "!") and k >= 2:
        k -= 1
    dash = toks[start - 1].key in _DASHES
    keys = [t.key for t in toks]
    sign_from = None
    for a in range(max(0, k - 4), k):
        hit = lex.signoffs.match(keys, a)
        if hit and hit[0] == k and (a == 0 or toks[a - 1].kind == PUNCT or toks[a].cap):
            sign_from = a
            break
    if sign_from is None and not dash:
        return None
    if sign_from is None:
        sign_from = start - 1
    for i in range(sign_from, len(toks)):
        roles[i] = "s"
    return normalise_name([t.text for t in toks[start:end]], lex)


def greeting(toks: list[Token], roles: list[str | None], lex: Lexicon, start: int = 0) -> None:
    """"Hi!", "Hello Anna," at the start (of the body, after mail headers): not part of the request."""
    keys = [t.key for t in toks]
    hit = lex.greetings.match(keys, start)
    if not hit:
        return
    j = hit[0]
    if j < len(toks) and toks[j].cap and toks[j].kind == WORD and j + 1 < len(toks) and toks[j + 1].kind == PUNCT:
        j += 1
    else:
        # "Dear parents,", "Hi all,", "Hello team,": who the message is addressed to
        k = j
        while k < len(toks) and k - j < 2 and toks[k].kind == WORD and (toks[k].cap or toks[k].key in _AUDIENCE):
            k += 1
        if j < k < len(toks) and toks[k].key == ",":
            j = k
    while j < len(toks) and toks[j].kind == PUNCT and toks[j].key in "!,.:;-":
        j += 1
    for i in range(start, j):
        roles[i] = "g"


def attendees(toks: list[Token], roles: list[str | None], lex: Lexicon) -> list[str]:
    """People after "with" / "w/" (names joined by commas and "and"), e-mail addresses, and the
    person after a contact verb ("Call Anna")."""
    found: list[str] = []
    lowercase_ok = not any(t.cap for k, t in enumerate(toks) if t.kind == WORD and k > 0
                           and toks[k - 1].key not in (".", "!", "?", ":"))
    n = len(toks)
    for i, t in enumerate(toks):
        if roles[i] is not None and roles[i] != "k":
            continue
        if t.kind == EMAIL:
            continue
        contact = t.key in _CONTACT_VERBS and i + 1 < n and (
            toks[i + 1].cap or toks[i + 1].text.lower() in lex.names)
        if t.key in lex.attendee_prefixes or t.key == "with" or contact:
            names, end = name_list(toks, roles, _past_relation(toks, roles, i + 1, lex), lex, lowercase_ok)
            if names:
                if roles[i] is None and t.key not in _CONTACT_VERBS:
                    roles[i] = ROLE_WITH
                found.extend(n for n in names if n not in found)
        elif t.key in lex.name_titles and roles[i] is None and i + 1 < n and roles[i + 1] is None:
            # "doctor patel", "Dr. Lee", "Mrs Brown": a title and a surname
            j = i + 2 if toks[i + 1].key == "." and i + 2 < n and roles[i + 2] is None else i + 1
            sur = toks[j] if j < n else None
            if sur is not None and sur.kind == WORD and sur.key.isalpha() and len(sur.key) >= 2 \
                    and (sur.cap or sur.key not in lex.known_words and not _verb_form(sur)) \
                    and sur.key not in lex.not_names \
                    and sur.key not in lex.name_breaks and sur.key not in lex.name_titles:
                name = capitalise(t.text) + (". " if j == i + 2 else " ") + capitalise(sur.text)
                for x in range(i, j):
                    roles[x] = ROLE_WITH
                roles[j] = ROLE_PERSON
                if name not in found:
                    found.append(name)
    for i, t in enumerate(toks):
        if t.kind == EMAIL and roles[i] in (None, ROLE_PERSON):
            roles[i] = ROLE_EMAIL
            if i > 0 and roles[i - 1] in (None, ROLE_WITH) and toks[i - 1].key in lex.attendee_prefixes | {"with"}:
                roles[i - 1] = ROLE_EMAIL
            if t.text not in found:
                found.append(t.text)
    return found


_RELATION_OWNERS = frozenset({"my", "our", "his", "her", "their"})


def _past_relation(toks: list[Token], roles: list[str | None], i: int, lex: Lexicon) -> int:
    """"with my sister May", "with our supplier Tom": where the name after a relation starts (i
    when there is none). The relation word stays in the title."""
    if i + 2 < len(toks) and toks[i].key in _RELATION_OWNERS and roles[i] is None and roles[i + 1] is None \
            and toks[i + 1].kind == WORD and not toks[i + 1].cap and toks[i + 1].key not in lex.name_breaks \
            and toks[i + 2].kind == WORD and toks[i + 2].cap and roles[i + 2] is None:
        return i + 2
    return i


def _verb_form(tok: Token) -> bool:
    """"Grandma visiting", "uncle coming": a lowercase -ing word after a title is what they do."""
    return not tok.cap and tok.key.endswith("ing") and len(tok.key) > 5


def name_list(toks: list[Token], roles: list[str | None], i: int, lex: Lexicon,
              lowercase_ok: bool) -> tuple[list[str], int]:
    """"Anna", "Sarah and Tom", "Anna, Boris and Carl", "Li Wei" starting at i."""
    names: list[str] = []
    marks: list[tuple[int, int]] = []
    n = len(toks)
    while i < n:
        if roles[i] is not None:
            break
        if toks[i].kind == EMAIL:
            names.append(toks[i].text)
            marks.append((i, i + 1))
            j = i + 1
        else:
            head = honorific(toks, roles, i, lex)
            j = head
            while j < n and j - head < 3 and roles[j] is None and is_name_word(toks[j], lex, lowercase_ok, j == head):
                j += 1
            if j == head:
                break
            # "the Acme team", "Tokyo office": a capitalised word in a noun phrase is not a person
            if j < n and roles[j] is None and toks[j].kind == WORD and not toks[j].cap \
                    and toks[j].key not in lex.name_breaks and toks[j].key not in lex.and_ \
                    and toks[j].key not in lex.known_words:
                break
            name = normalise_name([t.text for t in toks[head:j]], lex)
            if head > i:                            # "with Mr. Patel", "w/ prof. Hope"
                name = capitalise(toks[i].text) + ("." if head == i + 2 else "") + " " + name
            names.append(name)
            marks.append((i, j))
        k = j
        if k < n and toks[k].key == "," and roles[k] is None:
            k += 1
        if k < n and toks[k].key in lex.and_ and roles[k] is None:
            k += 1
        if k == j or k >= n or roles[k] is not None:
            i = j
            break
        i = k
    for a, b in marks:
        for x in range(a, b):
            roles[x] = ROLE_PERSON
    if marks:
        for x in range(marks[0][0], marks[-1][1]):
            if roles[x] is None:
                roles[x] = ROLE_WITH
    return names, i


def honorific(toks: list[Token], roles: list[str | None], i: int, lex: Lexicon) -> int:
    """Where the name starts after a title at i ("Mr. Patel", "prof Hope"), else i."""
    if toks[i].key not in lex.name_titles:
        return i
    k = i + 2 if i + 2 < len(toks) and toks[i + 1].key == "." and roles[i + 1] is None else i + 1
    if k < len(toks) and roles[k] is None and toks[k].kind == WORD and (
            toks[k].cap or toks[k].text.lower() in lex.names) and toks[k].key not in lex.name_titles:
        return k
    return i


def title(toks: list[Token], roles: list[str | None], lex: Lexicon) -> str:
    """The first run of unclaimed tokens (keeping a "with <name>" clause), trimmed."""
    n = len(toks)
    i = 0
    while i < n:
        while i < n and roles[i] not in TITLE_ROLES:
            i += 1
        j = i
        while j < n and roles[j] in TITLE_ROLES:
            j += 1
        j = drop_group_clause(roles, i, j)
        a, b = trim(toks, i, j, lex)
        if a < b:
            # "Weekly sync ...", "Morning standup": a lone time word opening the text stays
            if a == i == 1 and roles[0] == ROLE_TIME and (toks[0].key in lex.daily or toks[0].key in lex.dayparts):
                a = 0
            text = _title_text(toks, roles, a, b)
            who = later_companion(toks, roles, j)
            if who and ROLE_PERSON not in roles[a:b]:
                return capitalise(text + " with " + who)
            tail = later_clause(toks, roles, j, lex)
            return capitalise(text + " " + tail if tail and b == j else text)
        i = j
    return ""


_CLAUSE_HEADS = frozenset({"with", "re", "regarding", "about"})


def later_clause(toks: list[Token], roles: list[str | None], j: int, lex: Lexicon) -> str | None:
    """"dinner at 7:30 tonight with the Johnsons", "Accountant Friday 10am re: quarterly taxes":
    a short clause said after the time, running to the end, still says what the item is."""
    n = len(toks)
    while j < n and (roles[j] == ROLE_TIME or toks[j].kind == PUNCT and toks[j].key == ","):
        j += 1
    if j >= n or roles[j] is not None or toks[j].key not in _CLAUSE_HEADS:
        return None
    k = j + 1
    while k < n and roles[k] is None and (toks[k].kind != PUNCT or toks[k].key in ":-'"):
        k += 1
    if k - j > 6 or k == j + 1 or any(roles[x] != ROLE_TIME and toks[x].kind != PUNCT for x in range(k, n)):
        return None
    a, b = trim(toks, j, k, lex)
    return _slice(toks, j, b) if b > j + 1 else None


def later_companion(toks: list[Token], roles: list[str | None], j: int) -> str | None:
    """"Lunch tomorrow at 1 with Mark", "Call at 3 with Anna": the one person named after the
    time still belongs in the title (after a place, "Lunch at Blue Bottle with Mike", it does not)."""
    n = len(toks)
    while j < n and (roles[j] == ROLE_TIME or toks[j].kind == PUNCT and toks[j].key == ","):
        j += 1
    if j >= n or roles[j] != ROLE_WITH:
        return None
    k = j
    while k < n and roles[k] == ROLE_WITH:
        k += 1
    end = k
    while end < n and roles[end] == ROLE_PERSON:
        end += 1
    if end == k or end < n and roles[end] in (ROLE_WITH, ROLE_PERSON):
        return None                     # nobody, or several people
    return " ".join(capitalise(t.text) for t in toks[k:end])


def drop_group_clause(roles: list[str | None], a: int, b: int) -> int:
    """"Meeting with John Smith and Jane Doe" -> "Meeting": with several people the title is the
    activity (they are in `attendees`); "Lunch with Anna" keeps its one person."""
    people, first_with = 0, None
    for k in range(a, b):
        if roles[k] == ROLE_PERSON and (k == a or roles[k - 1] != ROLE_PERSON):
            people += 1
        if roles[k] == ROLE_WITH and first_with is None:
            first_with = k
    if people >= 2 and first_with is not None and first_with > a:
        return first_with
    return b


def _title_text(toks: list[Token], roles: list[str | None], a: int, b: int) -> str:
    """Like `_slice`, with the shorthand "w/" / "w" of a with-clause written out."""
    out = []
    for k in range(a, b):
        text = toks[k].text
        if toks[k].text.lower() == "w/" or roles[k] == ROLE_WITH and toks[k].key in ("w", "with"):
            text = "with"
        elif roles[k] == ROLE_PERSON:
            text = capitalise(text)         # "lunch with olga" -> "Lunch with Olga"
        gap = toks[k].start - toks[k - 1].end if k > a else 0
        out.append((" " if gap > 0 or (k > a and text == "with") else "") + text)
    return "".join(out)


def trim(toks: list[Token], a: int, b: int, lex: Lexicon) -> tuple[int, int]:
    while a < b and (toks[a].key in lex.title_lead_trim or toks[a].kind == PUNCT and toks[a].key not in "(\"'"):
        a += 1
    while b > a and (toks[b - 1].key in lex.title_trim or toks[b - 1].kind == PUNCT and toks[b - 1].key not in ")\"'") \
            and not _hyphen_tail(toks, b - 1):
        b -= 1
    return a, b


def _hyphen_tail(toks: list[Token], k: int) -> bool:
    """"check-in", "sign-up": the word after a hyphen belongs to the word before it."""
    return k >= 2 and toks[k - 1].key == "-" and toks[k - 2].end == toks[k - 1].start == toks[k].start - 1 \
        and toks[k].kind == WORD


def _slice(toks: list[Token], a: int, b: int) -> str:
    """The original text of toks[a:b] (spacing as typed)."""
    out = [toks[a].text]
    for k in range(a + 1, b):
        gap = toks[k].start - toks[k - 1].end
        out.append((" " if gap > 0 else "") + toks[k].text)
    return "".join(out)


def capitalise(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def task_title(title: str, lex: Lexicon) -> str:
    """A reminder said as a German "zu" clause names the task without its article and "zu": "die
    Versichertenkarte einzupacken" -> "Versichertenkarte einzupacken", "die Steuer zu bezahlen" ->
    "Steuer bezahlen"."""
    out = title.split()
    if not lex.infinitive_markers or len(out) < 2:
        return title
    if len(out) > 2 and out[-2].lower() in lex.infinitive_markers:
        del out[-2]                                 # "die Steuer zu bezahlen"
    if out[0].lower() in lex.hint_trim:
        out.pop(0)
    return capitalise(" ".join(out))


def event_noun(toks: list[Token], lex: Lexicon) -> str | None:
    """The kind of meeting a forwarded ask mentions ("a quick call" -> "Call")."""
    for t in toks:
        if t.key in lex.event_nouns:
            return lex.event_noun_titles.get(t.key, capitalise(t.key))
    return None


def purpose(toks: list[Token], roles: list[str | None], lex: Lexicon) -> str | None:
    """"... to go over the contract?" -> "go over the contract"."""
    n = len(toks)
    for i, t in enumerate(toks):
        if t.key == "to" and roles[i] is None and i + 1 < n and roles[i + 1] is None and toks[i + 1].kind == WORD:
            j = i + 1
            while j < n and roles[j] is None and not (toks[j].kind == PUNCT and toks[j].key in "?.!;"):
                j += 1
            a, b = trim(toks, i + 1, j, lex)
            if a < b:
                return _slice(toks, a, b)
    return None


__all__ = ["attendees", "title", "signature", "greeting", "event_noun", "purpose",
           "ROLE_TIME", "ROLE_PLACE"]
