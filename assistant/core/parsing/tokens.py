"""Split a request into tokens the grammar can match: words, numbers, times, dates, e-mails.

One precompiled regex does the cutting; a second pass merges what speech-to-text and typing
spread over several pieces: "p.m." / "p m" -> one meridiem, "forty five" -> 45,
"twenty fourth" -> 24th, "3pm" -> 3 + pm, "w/" -> with. Shorthand and one-letter typos get the
key of the word they stand for ("nxt" -> next, "thrusday" -> thursday; see fuzzy.py) while the
token's text stays as typed, so titles keep the user's words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .lexicons import Lexicon

WORD, NUM, ORD, TIME, ISO, SLASH, DOT, DEC, EMAIL, MER, PUNCT, ALNUM = (
    "word", "num", "ord", "time", "iso", "slash", "dot", "dec", "email", "mer", "punct", "alnum")
NUMERIC = frozenset({NUM, TIME, DOT, DEC})

_TOKEN = re.compile(
    r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<iso>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"(?:T(?P<ith>\d{1,2}):(?P<itm>\d{2})(?::\d{2}(?:\.\d+)?)?(?P<itz>Z|[+-]\d{2}:?\d{2})?)?(?![\d:])"
    r"|(?P<th>\d{1,2}):(?P<tm>\d{2})(?::\d{2})?(?!\d)"
    r"|(?P<hh>\d{1,2})h(?P<hm>\d{2})(?!\w)"
    r"|(?P<sa>\d{1,2})/(?P<sb>\d{1,2})(?:/(?P<sc>\d{4}|\d{2}))?(?![\d/])"
    r"|(?P<da>\d{1,2})\.(?P<db>\d{1,2})(?:\.(?P<dc>\d{4}|\d{2})?)?(?!\d)"
    r"|(?P<dec>\d+,\d+|\d+\.\d+)"
    r"|(?P<num>\d+)(?P<sfx>st|nd|rd|th|-?ого|-?го|-?ое|-?е|-?ый|-?й|am|pm|a|p|h|hr|hrs|min|mins|m|ish|d|sec|secs|wk|wks|mo|yr|yrs|hour|hours|minute|minutes|day|days|week|weeks)?(?!\w)"
    r"|(?P<word>[^\W\d_](?:\w|['’](?=[^\W\d_]))*['’]?)"
    r"|(?P<alnum>\w+)"
    r"|(?P<punct>[^\w\s])",
    re.UNICODE | re.IGNORECASE,
)
_ORDINAL_SFX = frozenset({"st", "nd", "rd", "th"}) | frozenset(  # Russian "20го", "1-е", "5-й"
    h + e for h in ("", "-") for e in ("ого", "го", "ое", "е", "ый", "й"))
_MER_SFX = {"am": "am", "pm": "pm", "a": "am", "p": "pm"}


@dataclass(slots=True)
class Token:
    kind: str
    text: str
    key: str
    start: int
    end: int
    value: Any = None
    cap: bool = False
    spoken: bool = False
    """True for numbers written as words ("five"); digits typed by the user are False."""

    @property
    def base(self) -> str:
        """The key without a possessive "'s" ("tomorrow's" -> "tomorrow")."""
        k = self.key
        if k.endswith("'s") and len(k) > 2:
            return k[:-2]
        if k.endswith("'") and len(k) > 1:
            return k[:-1]
        return k


def _word(text: str, start: int, end: int, key: str | None = None) -> Token:
    low = text.lower().replace("’", "'")
    return Token(WORD, text, key or low, start, end, cap=text[:1].isupper())


def _raw_tokens(text: str) -> list[Token]:
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        g = m.lastgroup
        raw = m.group(0)
        if g == "word":                     # most tokens: words and punctuation, told apart first
            out.append(_word(raw, s, e))
        elif g == "punct":
            out.append(Token(PUNCT, raw, raw, s, e))
        elif m.group("email"):
            out.append(Token(EMAIL, raw, raw.lower(), s, e, raw))
        elif m.group("iso"):
            date_end = m.start("ith") - 1 if m.group("ith") else e
            out.append(Token(ISO, raw[:date_end - s], raw[:date_end - s], s, date_end,
                             (int(m.group("iso")), int(m.group("im")), int(m.group("id")))))
            if m.group("ith"):              # "2026-03-12T14:30:00Z": an ISO date-time
                hh, mm = int(m.group("ith")), int(m.group("itm"))
                t_end = m.start("itz") if m.group("itz") else e
                out.append(Token(TIME, raw[date_end - s + 1:t_end - s], f"{hh:02d}:{mm:02d}", date_end + 1, t_end,
                                 (hh, mm)))
                zone = iso_zone(m.group("itz"))
                if zone:
                    out.append(Token(WORD, m.group("itz"), zone, t_end, e))
        elif m.group("th"):
            out.append(Token(TIME, raw, raw, s, e, (int(m.group("th")), int(m.group("tm")))))
        elif m.group("hh"):
            out.append(Token(TIME, raw, raw, s, e, (int(m.group("hh")), int(m.group("hm")))))
        elif m.group("sa"):
            c = m.group("sc")
            out.append(Token(SLASH, raw, raw, s, e, (int(m.group("sa")), int(m.group("sb")), int(c) if c else None)))
        elif m.group("da") and out and out[-1].key in _UNIT_PREFIXES and not m.group("dc"):
            # "room 2.14", "desk 4.112": a place, not a date
            out.append(Token(ALNUM, raw.rstrip("."), raw.rstrip(".").lower(), s, e - raw.endswith("."), cap=False))
        elif m.group("da"):
            c = m.group("dc")
            out.append(Token(DOT, raw, raw, s, e, (m.group("da"), m.group("db"), c, raw.endswith("."))))
        elif m.group("dec"):
            # capped: hundreds of digits would be inf, and inf minutes cannot be rounded
            out.append(Token(DEC, raw, raw, s, e, min(float(raw.replace(",", ".")), 1e15)))
        elif m.group("num"):
            _split_number(out, m, s)
        elif g == "word":
            out.append(_word(raw, s, e))
        elif g == "alnum" and _glued_units(raw):
            for part in _UNIT_PART.finditer(raw):
                a, b = s + part.start(), s + part.end("n")
                out.append(Token(NUM, part.group("n"), part.group("n"), a, b, int(part.group("n"))))
                unit = part.group("u").lower()
                out.append(Token(WORD, part.group("u"), _GLUED_KEYS.get(unit, unit), b, s + part.end()))
        elif g == "alnum":
            out.append(Token(ALNUM, raw, raw.lower(), s, e, cap=raw[:1].isupper()))
        else:
            out.append(Token(PUNCT, raw, raw, s, e))
    return out


def iso_zone(text: str | None) -> str | None:
    """"Z" -> "utc"; "+02:00" -> "@Etc/GMT-2": the key of a zone token ("@" + an IANA name)."""
    if not text:
        return None
    if text.upper() == "Z":
        return "utc"
    digits = text[1:].replace(":", "")
    zone = offset_zone(text[0], int(digits[:2]), int(digits[2:] or 0))
    return None if zone is None else "utc" if zone == "UTC" else "@" + zone


# Zones without daylight saving at a fractional offset, for "+05:30" and "GMT+5:45".
_FRACTIONAL = {330: "Asia/Kolkata", 345: "Asia/Kathmandu", 390: "Asia/Yangon", 570: "Australia/Darwin",
               525: "Australia/Eucla", 210: "Asia/Tehran", 270: "Asia/Kabul", -570: "Pacific/Marquesas"}


def offset_zone(sign: str, hours: int, minutes: int) -> str | None:
    """The IANA zone of a fixed UTC offset: "+", 2, 0 -> "Etc/GMT-2" (POSIX signs are reversed)."""
    if hours > 14 or minutes > 59:
        return None
    if minutes:
        total = (hours * 60 + minutes) * (1 if sign == "+" else -1)
        return _FRACTIONAL.get(total)
    if hours == 0:
        return "UTC"
    return f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"


_LENGTH_WORDS = frozenset({"for", "in", "within", "every", "about", "around", "approx"})
_UNIT_PREFIXES = frozenset({"room", "rm", "gate", "suite", "apt", "apartment", "unit", "building",
                            "floor", "platform", "seat", "row", "hall", "office", "desk", "flat"})
# The same in German and Russian ("Raum 3.12", "Zimmer 2.04", "кабинет 3.14", "аудитория 2.11").
_UNIT_PREFIXES |= frozenset({"raum", "zimmer", "saal", "gleis", "halle", "etage", "büro", "kabinett",
                             "кабинет", "кабинете", "аудитория", "аудитории", "комната", "комнате",
                             "офис", "офисе", "каб", "ауд", "корпус", "корпусе"})


_UNIT_PART = re.compile(r"(?P<n>\d{1,4})(?P<u>hrs|hr|h|mins|min|m|secs|sec|s|d|wks|wk|w|yrs|yr|y|mos|mo)",
                        re.IGNORECASE)
_GLUED_UNITS = re.compile(r"(?:\d{1,4}(?:hrs|hr|h|mins|min|m|secs|sec|s|d|wks|wk|w|yrs|yr|y|mos|mo))+",
                          re.IGNORECASE)

_GLUED_KEYS = {"w": "wk", "y": "yr", "s": "sec"}
"""One-letter units read only when glued to their number ("3w"): a lone "w" is "with"."""


def _glued_units(raw: str) -> bool:
    """A run of amounts written without spaces: "2hr5min", "3m49s", "3w", "3y", "49s" — split into
    number and unit so the amount grammar reads them. A lone "90s" / "1980s" stays a decade."""
    if not _GLUED_UNITS.fullmatch(raw):
        return False
    parts = _UNIT_PART.findall(raw)
    return len(parts) > 1 or parts[0][1].lower() != "s" or int(parts[0][0]) % 10 != 0


def _split_number(out: list[Token], m: re.Match[str], s: int) -> None:
    """"3pm" -> 3 + pm, "2nd" -> ordinal 2, "2h" -> 2 + h, "15" -> 15; "room 2A" stays "2A"."""
    digits = m.group("num")
    raw_sfx = m.group("sfx") or ""
    sfx = raw_sfx.lower()
    e_num = s + len(digits)
    if len(sfx) == 1 and sfx in "ap" and (raw_sfx.isupper() or (out and out[-1].key in _UNIT_PREFIXES)):
        out.append(Token(ALNUM, m.group(0), m.group(0).lower(), s, m.end()))
        return
    if len(digits) > 6:
        out.append(Token(ALNUM, digits, digits, s, e_num))
        return
    value = int(digits)
    if sfx == "h" and 13 <= value <= 23 and not (out and out[-1].key in _LENGTH_WORDS):
        # "15h": a 24-hour clock time as written in much of Europe ("2h" stays a length)
        out.append(Token(TIME, m.group(0), m.group(0).lower(), s, m.end(), (value, 0)))
        return
    if sfx in _ORDINAL_SFX:
        out.append(Token(ORD, m.group(0), m.group(0).lower(), s, m.end(), value))
        return
    out.append(Token(NUM, digits, digits, s, e_num, value))
    if sfx in _MER_SFX:
        out.append(Token(MER, m.group("sfx"), _MER_SFX[sfx], e_num, m.end(), _MER_SFX[sfx]))
    elif sfx:
        out.append(Token(WORD, m.group("sfx"), sfx, e_num, m.end()))


def _is_numberish(tok: Token | None) -> bool:
    return tok is not None and tok.kind in NUMERIC


def tokenize(text: str, lex: Lexicon) -> list[Token]:
    """Tokens of `text` with number words, meridiems and "w/" merged (see module doc)."""
    raw = _raw_tokens(text)
    if lex.compounds:
        raw = _split_compounds(raw, lex.compounds)
    tolerant = lex.tolerant
    for t in raw:
        if t.kind == WORD or t.kind == ALNUM and not t.key.isdigit():
            fix = tolerant.lookup(t.key)
            if fix is not None:
                t.key, t.kind = fix, WORD
    out: list[Token] = []
    i, n = 0, len(raw)
    while i < n:
        t = raw[i]
        prev = out[-1] if out else None
        if t.kind == WORD:
            merged = _merge_meridiem(raw, i, prev) or _merge_number_words(raw, i, lex)
            if merged:
                tok, i = merged
                out.append(tok)
                continue
            if t.key == "w" and i + 1 < n and raw[i + 1].text == "/":
                out.append(Token(WORD, t.text + "/", "with", t.start, raw[i + 1].end))
                i += 2
                continue
        out.append(t)
        i += 1
    if lex.thousand and any(t.kind == NUM and t.spoken and t.value in _YEAR_STARTS for t in out):
        out = _merge_spoken_years(out, lex)
    if any(t.key in _MONTH_YEAR_SEPARATORS for t in out):
        out = _unglue_month_years(out, lex)
    return out


_MONTH_YEAR_SEPARATORS = frozenset({"-", "/"})


def _unglue_month_years(toks: list[Token], lex: Lexicon) -> list[Token]:
    """"Sep-2012", "2024-August", "2024/Aug" -> the month and the year as if said with a space, so
    the date grammar reads a month of a year, not a range or a day. A pair that is part of a
    longer run ("Dec/2018-May/2019", "2012/Aug/10") keeps its separators."""
    drop: set[int] = set()
    for i in range(1, len(toks) - 1):
        a, sep, b = toks[i - 1], toks[i], toks[i + 1]
        if sep.key not in _MONTH_YEAR_SEPARATORS or a.end != sep.start or sep.end != b.start:
            continue
        if not (_year_token(a) and b.key in lex.months or a.key in lex.months and _year_token(b)):
            continue
        before = toks[i - 2] if i >= 2 else None
        after = toks[i + 2] if i + 2 < len(toks) else None
        if before is not None and before.end == a.start and before.key in _MONTH_YEAR_SEPARATORS \
                or after is not None and after.start == b.end and after.key in _MONTH_YEAR_SEPARATORS | {"."}:
            continue
        drop.add(i)
    return [t for i, t in enumerate(toks) if i not in drop] if drop else toks


def _year_token(t: Token) -> bool:
    return t.kind == NUM and len(t.text) == 4 and 1900 <= t.value <= 2199


_CENTURIES = frozenset({19, 20})
_YEAR_STARTS = _CENTURIES | {1, 2}
_FIRST_MINUTE_LIKE, _LAST_MINUTE_LIKE = 10, 59


def _merge_spoken_years(toks: list[Token], lex: Lexicon) -> list[Token]:
    """Years said in words become one NUM token written in digits, so the date grammar reads them
    as it reads "1986": "two thousand and fifteen", "nineteen hundred", "nineteen eighty six",
    "twenty twenty-six". A pair that could also be a 24-hour time ("twenty ten", "nineteen thirty")
    is a year only after a month, a day, "in", "of", "since" or "year"."""
    out: list[Token] = []
    i, n = 0, len(toks)
    while i < n:
        hit = _spoken_year(toks, i, out, lex) if toks[i].kind == NUM and toks[i].spoken else None
        if hit is None:
            out.append(toks[i])
            i += 1
            continue
        year, j = hit
        out.append(Token(NUM, str(year), str(year), toks[i].start, toks[j - 1].end, year, spoken=True))
        i = j
    return out


def _spoken_year(toks: list[Token], i: int, before: list[Token], lex: Lexicon) -> tuple[int, int] | None:
    """(year, index after it) for a year said in words at i (see `_merge_spoken_years`)."""
    n = len(toks)
    first = toks[i].value
    nxt = toks[i + 1] if i + 1 < n else None
    if nxt is None or not isinstance(first, int):
        return None
    if nxt.key in lex.thousand and 1 <= first <= 2:
        tail = _spoken_tail(toks, i + 2, lex)
        if tail is not None:
            return first * 1000 + tail[0], tail[1]
        return (first * 1000, i + 2) if _year_context(before, lex) else None
    if first not in _CENTURIES:
        return None
    if nxt.key in lex.hundred:
        tail = _spoken_tail(toks, i + 2, lex)
        return (first * 100 + tail[0], tail[1]) if tail is not None else (first * 100, i + 2)
    k = i + 1
    oh = nxt.key in lex.oh or nxt.kind == NUM and nxt.value == 0 and nxt.spoken
    if oh:
        k += 1
    if k >= n or toks[k].kind != NUM or not toks[k].spoken or k + 1 < n and toks[k + 1].key in lex.units:
        return None
    last = toks[k].value
    if oh and 1 <= last <= 9 or not oh and _FIRST_MINUTE_LIKE <= last <= 99:
        if last > _LAST_MINUTE_LIKE or _year_context(before, lex):
            return first * 100 + last, k + 1
    return None


def _spoken_tail(toks: list[Token], i: int, lex: Lexicon) -> tuple[int, int] | None:
    """The "(and) fifteen" after "two thousand" / "nineteen hundred": (value 1-99, index after)."""
    k = i + 1 if i < len(toks) and toks[i].key in lex.and_ else i
    if k < len(toks) and toks[k].kind == NUM and toks[k].spoken and 1 <= toks[k].value <= 99:
        return toks[k].value, k + 1
    return None


def _year_context(before: list[Token], lex: Lexicon) -> bool:
    """Do the tokens just before make a number a year: a month, a day after a month, "in", "of"?"""
    if not before:
        return False
    prev = before[-1]
    if prev.key in lex.year_cues or prev.kind == ORD or prev.key in lex.months:
        return True
    return (prev.kind == NUM and isinstance(prev.value, int) and 1 <= prev.value <= 31 and len(before) > 1
            and before[-2].key in lex.months)


def _split_compounds(raw: list[Token], compounds: dict[str, tuple[str, ...]]) -> list[Token]:
    """German "Mittwochabend" -> "Mittwoch" + "abend": a day and a part of it in one word."""
    out: list[Token] = []
    for t in raw:
        parts = compounds.get(t.key) if t.kind == WORD else None
        if parts is None:
            out.append(t)
            continue
        pos = t.start
        for n, key in enumerate(parts):
            size = len(t.text) - (pos - t.start) if n == len(parts) - 1 else len(key)
            piece = t.text[pos - t.start:pos - t.start + size]
            out.append(Token(WORD, piece, key, pos, pos + size, cap=n == 0 and t.cap))
            pos += size
    return out


def _merge_meridiem(raw: list[Token], i: int, prev: Token | None) -> tuple[Token, int] | None:
    """"am", "p.m.", "p m", "a.m" after a number -> one MER token."""
    if not _is_numberish(prev):
        return None
    t = raw[i]
    k = t.key
    if k in ("a", "p") and prev.kind == TIME and prev.end == t.start and not (i + 1 < len(raw) and raw[i + 1].text == "."):
        mer = "am" if k == "a" else "pm"    # "3:18a", "10:30p"
        return Token(MER, t.text, mer, t.start, t.end, mer), i + 1
    if k in ("am", "pm"):
        j = i + 1
        if j < len(raw) and raw[j].text == "." and k == "pm":
            j += 1
        return Token(MER, t.text, k, t.start, raw[j - 1].end, k), j
    if k in ("a", "p"):
        j = i + 1
        if j < len(raw) and raw[j].text == ".":
            j += 1
        if j < len(raw) and raw[j].key == "m":
            j += 1
            if j < len(raw) and raw[j].text == ".":
                j += 1
            mer = "am" if k == "a" else "pm"
            return Token(MER, "".join(x.text for x in raw[i:j]), mer, t.start, raw[j - 1].end, mer), j
    return None


def _merge_number_words(raw: list[Token], i: int, lex: Lexicon) -> tuple[Token, int] | None:
    """"forty five" -> NUM 45, "twenty fourth" -> ORD 24, "five" -> NUM 5, "third" -> ORD 3."""
    t = raw[i]
    keys = [x.key for x in raw[i:i + 4]] if lex.numbers.starts(t.key) else []
    hit = lex.numbers.match(keys, 0) if keys else None
    if hit:
        j, value = hit
        j += i
        if t.key in lex.tens and j < len(raw):
            # "forty five", "forty-five", "twenty fourth"
            k = j + 1 if raw[j].text == "-" and j + 1 < len(raw) else j
            unit = raw[k].key
            small = lex.numbers.get(unit)
            if isinstance(small, int) and 1 <= small <= 9:
                return Token(NUM, _span(raw, i, k), f"{t.key} {unit}", t.start, raw[k].end, value + small, spoken=True), k + 1
            ordinal = lex.ordinals.get(unit)
            if isinstance(ordinal, int) and 1 <= ordinal <= 9:
                return Token(ORD, _span(raw, i, k), f"{t.key} {unit}", t.start, raw[k].end, value + ordinal, spoken=True), k + 1
        last = raw[j - 1]
        return Token(NUM, _span(raw, i, j - 1), " ".join(keys[: j - i]), t.start, last.end, value, cap=t.cap, spoken=True), j
    ordinal = lex.ordinals.get(t.key)
    if ordinal is not None:
        return Token(ORD, t.text, t.key, t.start, t.end, ordinal, cap=t.cap, spoken=True), i + 1
    return None


def _span(raw: list[Token], i: int, j: int) -> str:
    return " ".join(t.text for t in raw[i:j + 1])
