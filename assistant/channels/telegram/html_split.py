"""Cutting Telegram HTML into messages Telegram accepts: pure functions, no I/O.

Telegram limits a message to 4,096 characters *after* entity parsing, counted in UTF-16 code units (an
emoji outside the BMP counts 2, "&amp;" counts 1), and rejects HTML whose tags are cut or left open. So the
text is read as atoms — a visible character (a literal or an entity such as "&amp;"), an opening tag or a
closing tag — and cut only between atoms: at the last line break that fits, else at a space in the second
half, else hard (backing off so a cut does not fall inside a grapheme or a custom emoji). Tags open at a cut
are closed at the end of the part and reopened, with their attributes, at the start of the next one.

The reader is lenient where Telegram is strict, so a part is always well-formed: a bare "<" or "&" becomes
"&lt;" / "&amp;", an unknown tag or a stray closing tag is shown as text, tags left open are closed.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_TEXT = 4096
TAGS = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler",
                  "span", "blockquote", "tg-emoji"})
CHAR, OPEN, CLOSE = 0, 1, 2
_ATTRS = r"""(?:\s+[^\s<>"'=/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s<>"']+))?)*"""
_TOKEN = re.compile(rf"<(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>{_ATTRS})\s*>"
                    r"|</(?P<close>[A-Za-z][A-Za-z0-9-]*)>"
                    r"|&(?:#(?P<dec>[0-9]{1,8})|#x(?P<hex>[0-9A-Fa-f]{1,7})|(?P<named>lt|gt|amp|quot));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ESCAPE = {"<": "&lt;", "&": "&amp;"}
_MAX_BACKOFF = 32
"""How far a hard cut may move back to avoid splitting a grapheme or a custom emoji."""


@dataclass(frozen=True, slots=True)
class Atom:
    kind: int
    raw: str
    """The HTML of this atom (an opening tag keeps its attributes)."""
    value: str
    """The visible character (CHAR) or the lower-case tag name (OPEN, CLOSE)."""

    @property
    def units(self) -> int:
        return utf16_len(self.value) if self.kind == CHAR else 0


def utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def atoms(text: str) -> list[Atom]:
    """The HTML as well-nested atoms (see the module's notes on what is repaired)."""
    out: list[Atom] = []
    stack: list[str] = []
    pos = 0

    def literal(chunk: str) -> None:
        out.extend(Atom(CHAR, _ESCAPE.get(ch, ch), ch) for ch in chunk)

    for match in _TOKEN.finditer(text):
        literal(text[pos:match.start()])
        pos = match.end()
        raw = match.group(0)
        if match.group("name"):
            name = match.group("name").lower()
            if name in TAGS:
                out.append(Atom(OPEN, raw, name))
                stack.append(name)
            else:
                literal(raw)
        elif match.group("close"):
            name = match.group("close").lower()
            if name not in stack:
                literal(raw)
                continue
            while stack[-1] != name:                    # mis-nested: close the inner tags first
                inner = stack.pop()
                out.append(Atom(CLOSE, f"</{inner}>", inner))
            stack.pop()
            out.append(Atom(CLOSE, raw, name))
        else:
            char = _entity_char(match)
            if char is None:
                literal(raw)
            else:
                out.append(Atom(CHAR, raw, char))
    literal(text[pos:])
    out.extend(Atom(CLOSE, f"</{name}>", name) for name in reversed(stack))
    return out


def _entity_char(match: re.Match[str]) -> str | None:
    if match.group("named"):
        return _NAMED[match.group("named")]
    code = int(match.group("dec")) if match.group("dec") else int(match.group("hex"), 16)
    if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None                                     # Telegram does not read these as entities
    return chr(code)


def visible_length(text: str) -> int:
    """The length Telegram checks against its limit: the parsed text in UTF-16 code units."""
    return sum(a.units for a in atoms(text))


def split_html(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Parts of at most `limit` visible UTF-16 units each, every one well-formed Telegram HTML.

    The line break or space a part is cut at is dropped; parts with nothing but whitespace are left out
    (Telegram would refuse them as empty). A text with nothing visible comes back unchanged, as one part.
    """
    if limit < 2:
        raise ValueError("limit must be at least 2 (one character outside the BMP)")
    items = atoms(text)
    before: list[tuple[Atom, ...]] = []                 # the tags open before each atom (and at the end)
    stack: list[Atom] = []
    for atom in items:
        before.append(tuple(stack))
        if atom.kind == OPEN:
            stack.append(atom)
        elif atom.kind == CLOSE:
            stack.pop()
    before.append(())
    parts: list[str] = []
    start, count = 0, len(items)
    while start < count:
        used, end = 0, start
        while end < count and used + items[end].units <= limit:
            used += items[end].units
            end += 1
        if end == count:
            cut, resume = count, count
        else:
            cut, resume = _cut(items, before, start, end, limit)
        body = [a.raw for a in items[start:cut]]
        while resume < count and items[resume].kind == CLOSE:   # closing tags stay with their text
            body.append(items[resume].raw)
            resume += 1
        if any(a.kind == CHAR and not a.value.isspace() for a in items[start:cut]):
            parts.append("".join(a.raw for a in before[start]) + "".join(body)
                         + "".join(f"</{a.value}>" for a in reversed(before[resume])))
        start = resume
    return parts or [text]


def _cut(items: list[Atom], before: list[tuple[Atom, ...]], start: int, end: int, limit: int) -> tuple[int, int]:
    """Where the part from `start` ends and the next begins; items[start:end] fit, items[end] does not."""
    space = None
    used = sum(a.units for a in items[start:end])
    for k in range(end, start - 1, -1):                 # items[k] itself is dropped, so k == end is fine
        atom = items[k]
        if k < end:
            used -= atom.units
        if atom.kind != CHAR or _in_emoji(before[k]):
            continue
        if atom.value == "\n":
            return k, k + 1
        if space is None and atom.value.isspace() and used >= limit // 2:
            space = k
    if space is not None:
        return space, space + 1
    for k in range(end, max(start, end - _MAX_BACKOFF), -1):
        if _can_cut(items, before, k):
            return k, k
    return end, end


def _can_cut(items: list[Atom], before: list[tuple[Atom, ...]], k: int) -> bool:
    """A hard cut before items[k]: not after an opening tag, not in a custom emoji or inside a grapheme."""
    if items[k - 1].kind == OPEN or _in_emoji(before[k]):
        return False
    previous = next((items[i].value for i in range(k - 1, -1, -1) if items[i].kind == CHAR), "")
    following = next((items[i].value for i in range(k, len(items)) if items[i].kind == CHAR), "")
    return not (_joins_previous(following) or previous == "\u200d"
                or (_regional(previous) and _regional(following) and _odd_regional_run(items, k)))


def _in_emoji(open_tags: tuple[Atom, ...]) -> bool:
    return any(a.value == "tg-emoji" for a in open_tags)


def _joins_previous(ch: str) -> bool:
    """Combining marks, ZWJ, variation selectors, skin tones and tag characters belong to the character before."""
    if not ch:
        return False
    code = ord(ch)
    return (unicodedata.category(ch) in ("Mn", "Mc", "Me") or code == 0x200D or 0xFE00 <= code <= 0xFE0F
            or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F)


def _regional(ch: str) -> bool:
    return bool(ch) and 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _odd_regional_run(items: list[Atom], k: int) -> bool:
    """True when the regional indicators before the cut are an odd run (the cut would split a flag)."""
    run = 0
    for i in range(k - 1, -1, -1):
        atom = items[i]
        if atom.kind != CHAR:
            continue
        if not _regional(atom.value):
            break
        run += 1
    return run % 2 == 1
