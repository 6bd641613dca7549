"""`assistant chat`: the bot's pipeline on a terminal, one request per line. Works with no account.

The runtime runs behind it as behind the bot: reminders print while the prompt waits, a delayed calendar
write that lands is announced, and the calendars are synced once before the first request is read.
"""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import TextIO

from assistant import status
from assistant.core.render import Reply
from assistant.usecases import UseCases
from assistant.usecases.notes import FORGET, MORE

CHAT_ID = 0
PROMPT = "› "
HELP = ("Type a request (“Lunch with Anna tomorrow at 1pm”). Answer a preview with yes, no, or what to change "
        "(“make it 4pm”, “add Boris”). /today, /tomorrow, /week list events; /contacts lists people; "
        "/notes [words] lists (and searches) notes, /more the next page; /reminders lists reminders (type a number "
        "to cancel one); /pending shows what waits; /quit leaves.")


class Console:
    def __init__(self, usecases: UseCases, out: TextIO = sys.stdout, pictures: Path | None = None):
        self.u = usecases
        self.out = out
        self.pictures = pictures if pictures is not None else Path(usecases.deps.config.data_dir)
        """Where pictures (/week, "show me my week") are written: week.png, agenda.png."""
        self.last: Reply | None = None
        self.interactive = False
        self._lock = threading.Lock()

    def run(self, lines: TextIO = sys.stdin) -> None:
        self.interactive = lines.isatty()
        if self.interactive:
            self._print(HELP)
        while True:
            if self.interactive:
                self._write(PROMPT)
            line = lines.readline()
            if not line:
                break
            if not self.handle(line.strip()):
                break

    def notify(self, reply: Reply) -> None:
        """The runtime's notices (reminders, delayed writes): printed between the owner's lines."""
        picture = f"{self._picture(reply, 'agenda.png')}\n" if reply.photo is not None else ""
        with self._lock:
            prefix = "\n" if self.interactive else ""
            self.out.write(f"{prefix}{reply.text}\n{picture}" + (PROMPT if self.interactive else ""))
            self.out.flush()

    def handle(self, line: str) -> bool:
        """One line of input; False when the owner wants to leave."""
        if not line:
            return True
        command, _, rest = line.partition(" ")
        command = command.lower()
        if command in ("/quit", "/exit"):
            return False
        agenda = self.u.agenda
        commands = {"/today": agenda.today, "/tomorrow": agenda.tomorrow, "/week": agenda.week,
                    "/agenda": agenda.upcoming, "/pending": self.u.commands.pending,
                    "/settings": self.u.commands.settings, "/sync": self.u.commands.sync,
                    "/status": lambda: status.reply(self.u)}
        if command in commands:
            self._show(commands[command]())
        elif command == "/contacts":
            self._show(self.u.commands.contacts(rest))
        elif command == "/timezone":
            self._show(self.u.commands.timezone(rest))
        elif command == "/cancel":
            self._show(self.u.proposals.cancel_pending(CHAT_ID))
        elif command == "/undo":
            self._show(self.u.proposals.undo_last(CHAT_ID))
        elif command == "/help":
            self._print(HELP)
        elif command == "/notes":
            self._show(self.u.notes.list(CHAT_ID, rest))
        elif command == "/reminders":
            self._show(self.u.notes.reminders(CHAT_ID))
        elif command == "/more":
            more = self._listed(MORE, 1)
            if more:
                self._show(self.u.notes.action(CHAT_ID, more))
            else:
                self._print("Nothing more to show.")
        elif line.isdigit() and self._listed(FORGET, int(line)):
            self._show(self.u.notes.action(CHAT_ID, self._listed(FORGET, int(line))))
        elif line.isdigit() and self._has_action(f"slot:{int(line) - 1}"):
            self._show(self.u.proposals.choose_alternative(CHAT_ID, self.last.item_id, int(line) - 1))
        else:
            self._show(self.u.conversation.handle_text(CHAT_ID, line))
        return True

    def _listed(self, prefix: str, number: int) -> str | None:
        """The `number`th (from 1) button action of the last reply that starts with `prefix`."""
        actions = [b.action for row in (self.last.buttons if self.last else []) for b in row if b.action.startswith(prefix)]
        return actions[number - 1] if 0 < number <= len(actions) else None

    def _has_action(self, action: str) -> bool:
        return bool(self.last and action in self.last.actions)

    def _show(self, reply: Reply) -> None:
        self._hint(reply)
        for extra in reply.more:
            self._print("")
            self._hint(extra)

    def _hint(self, reply: Reply) -> None:
        self.last = reply
        self._print(reply.text)
        if reply.photo is not None:
            self._print(self._picture(reply, "week.png"))
        actions = reply.actions
        if "create" in actions:
            self._print("  → yes to create · no to drop · or say what to change")
        elif "apply" in actions:
            self._print("  → yes or no")
        elif any(a.startswith("slot:") for a in actions):
            self._print("  → type a number to pick a slot")
        elif any(a.startswith(FORGET) for a in actions):
            self._print("  → type a number to cancel that reminder")
        elif any(a.startswith(MORE) for a in actions):
            self._print("  → /more for the next page")

    def _picture(self, reply: Reply, name: str) -> str:
        """Write the reply's picture (readable by its owner only) and say where it is."""
        path = self.pictures / name
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as file:
                file.write(reply.photo or b"")
        except OSError as exc:
            return f"(the picture could not be saved to {path}: {exc.strerror})"
        return f"🖼 Picture: {path.resolve()}"

    def _print(self, text: str) -> None:
        self._write(text + "\n")

    def _write(self, text: str) -> None:
        with self._lock:
            self.out.write(text)
            self.out.flush()
