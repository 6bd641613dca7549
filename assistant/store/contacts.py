"""Contacts: names ↔ e-mail addresses, learned from attendees of past events and editable by the owner,
so "with Boris" can invite Boris and look up his free/busy. What the owner sets is never overwritten
by what is learned."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.store import Store

from assistant.store import utc_now


def normalize_email(email: str) -> str:
    email = email.strip()
    if email.lower().startswith("mailto:"):
        email = email[7:]
    return email.strip().lower()


class Contacts:
    def __init__(self, store: "Store"):
        self.store = store

    def set(self, name: str, email: str) -> None:
        """Add or correct a contact, as the owner says (wins over anything learned)."""
        email = normalize_email(email)
        if "@" not in email or not name.strip():
            raise ValueError("a contact needs a name and an e-mail address")
        with self.store.transaction() as db:
            db["contacts"].upsert({"email": email, "name": name.strip(), "source": "owner",
                                   "updated_at": utc_now()}, pk="email")

    add = set

    def learn(self, name: str | None, email: str) -> bool:
        """Remember an attendee; True when something new was learned. A learned contact without a
        name gets the part of the address before "@"; a later real name replaces that."""
        email = normalize_email(email)
        if "@" not in email:
            return False
        name = (name or "").strip() or email.split("@", 1)[0]
        existing = self.get(email)
        if existing:
            placeholder = email.split("@", 1)[0]
            if existing["source"] == "owner" or existing["name"] != placeholder or name == placeholder:
                return False
        with self.store.transaction() as db:
            db["contacts"].upsert({"email": email, "name": name, "source": "learned",
                                   "updated_at": utc_now()}, pk="email")
        return True

    def get(self, email: str) -> dict[str, Any] | None:
        rows = self.store.query("SELECT * FROM contacts WHERE email = ?", [normalize_email(email)])
        return rows[0] if rows else None

    def lookup(self, name: str) -> list[dict[str, Any]]:
        """Contacts matching a name: the whole name first, then a first name, another name, an address
        beginning with it, a name beginning with it; the owner's own entries before learned ones."""
        name = name.strip()
        if not name:
            return []
        if "@" in name:
            found = self.get(name)
            return [found] if found else []
        lowered = name.lower()
        rows = self.store.query(
            "SELECT * FROM contacts WHERE name LIKE :any ESCAPE '\\' OR email LIKE :prefix ESCAPE '\\'",
            {"any": f"%{_escape(lowered)}%", "prefix": f"{_escape(lowered)}%"})

        def rank(row: dict[str, Any]) -> tuple[int, int, str]:
            full = row["name"].lower()
            words = full.replace("-", " ").split()
            if full == lowered:
                match = 0
            elif words and words[0] == lowered:
                match = 1
            elif lowered in words:
                match = 2
            elif row["email"].startswith(lowered):
                match = 3
            elif any(w.startswith(lowered) for w in words):
                match = 4
            else:
                match = 9
            return match, 0 if row["source"] == "owner" else 1, row["name"]

        return [r for r in sorted(rows, key=rank) if rank(r)[0] < 9]

    def remove(self, name_or_email: str) -> int:
        """Forget a contact by address, or every contact with exactly that name."""
        if "@" in name_or_email:
            return self.store.execute("DELETE FROM contacts WHERE email = ?", [normalize_email(name_or_email)])
        return self.store.execute("DELETE FROM contacts WHERE name = ? COLLATE NOCASE", [name_or_email.strip()])

    def all(self) -> list[dict[str, Any]]:
        return self.store.query("SELECT * FROM contacts ORDER BY name COLLATE NOCASE")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
