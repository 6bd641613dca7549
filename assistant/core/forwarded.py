"""Forwarded messages and pasted e-mails: who sent them, what about, and the request inside.

Pure heuristics over text: a From:/Subject: header block, or a greeting plus a closing phrase followed
by a name. The sender becomes an attendee of the meeting the message asks for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.item import Item, Kind


@dataclass
class Email:
    """What a pasted or forwarded e-mail tells us beyond its text."""
    sender: str | None
    subject: str | None
    body: str


HEADER = re.compile(r"^\s*(from|von|от|subject|betreff|тема|date|datum|дата|sent|gesendet|to|an|кому|cc)\s*:\s*(.*)$",
                    re.IGNORECASE)
CLOSING = re.compile(r"^\s*(best|best regards|kind regards|regards|warm regards|many thanks|thanks|thank you|"
                     r"cheers|sincerely|yours|all the best|viele grüße|beste grüße|liebe grüße|lg|vg|"
                     r"mit freundlichen grüßen|grüße|gruß|с уважением|спасибо|всего доброго|до встречи)\s*[,.!]?\s*$",
                     re.IGNORECASE)
GREETING = re.compile(r"^\s*(hi|hello|hey|dear|hallo|liebe|lieber|guten tag|привет|здравствуйте|добрый день)\b",
                      re.IGNORECASE)
NAME_HEADERS = {"from", "von", "от"}
SUBJECT_HEADERS = {"subject", "betreff", "тема"}


def read_email(text: str) -> Email | None:
    """An e-mail's sender (From: header or signature), subject and body; None for a plain request.

    Pure heuristics: a From:/Subject:/Date: header block, or a greeting line plus a closing phrase
    followed by a name. One-line requests are never e-mails.
    """
    lines = text.strip().splitlines()
    if len(lines) < 3:
        return None
    headers: dict[str, str] = {}
    body: list[str] = []
    for line in lines:
        match = HEADER.match(line)
        if match and len(body) < 2 and match.group(1).lower() not in headers:
            headers[match.group(1).lower()] = match.group(2).strip()
            continue
        if line.lstrip().startswith(">") or set(line.strip()) <= set("-_=*") and line.strip():
            continue
        body.append(line)
    sender = next((_display_name(v) for k, v in headers.items() if k in NAME_HEADERS and v), None)
    subject = next((v for k, v in headers.items() if k in SUBJECT_HEADERS and v), None)
    signed, body = _signature(body)
    has_headers = sender is not None and len(headers) >= 2
    greeted = any(GREETING.match(line) for line in body[:2])
    if not has_headers and not (greeted and signed):
        return None
    content = [line for line in body if line.strip() and not GREETING.match(line)]
    return Email(sender or signed, subject, "\n".join(content).strip())


def _signature(lines: list[str]) -> tuple[str | None, list[str]]:
    """The name after the last closing phrase ("Best, / Anna Schmidt"), and the lines before it."""
    for index in range(len(lines) - 1, -1, -1):
        if CLOSING.match(lines[index]):
            after = [line.strip() for line in lines[index + 1:] if line.strip()]
            name = after[0] if after else None
            if name and len(name.split()) <= 4 and not any(ch.isdigit() for ch in name) and "@" not in name:
                return name.strip(" ,"), lines[:index]
            return None, lines[:index]
    return None, lines


def _display_name(value: str) -> str | None:
    """ "Anna Schmidt <anna@example.com>" → "Anna Schmidt"; a bare address → its local part."""
    value = value.strip()
    match = re.match(r'^"?([^"<]+?)"?\s*<[^>]+>$', value)
    if match:
        return match.group(1).strip()
    if "@" in value:
        local = value.split("@", 1)[0].strip("<> ")
        return " ".join(part.capitalize() for part in re.split(r"[._-]+", local) if part) or None
    return value or None


def as_meeting(item: Item, sender: str | None, subject: str | None, original: str) -> Item:
    """A forwarded request becomes a meeting with its sender: attendee, title and context."""
    attendees = list(item.attendees)
    if sender and not any(sender.lower() in a.lower() or a.lower() in sender.lower() for a in attendees):
        attendees.append(sender)
    title = item.title
    if item.kind == Kind.UNKNOWN or not title:
        title = subject or (f"Meeting with {sender}" if sender else "Meeting")
    context = (f"Forwarded from {sender}:\n" if sender else "Forwarded:\n") + original[:2000]
    return item.with_changes(kind=Kind.EVENT, title=title, attendees=attendees, context=context,
                             needs_clarification=item.needs_clarification and item.kind != Kind.UNKNOWN)
