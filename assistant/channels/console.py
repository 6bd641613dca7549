"""`assistant chat`: the bot's pipeline on a terminal, one request per line. Works with no account."""
from __future__ import annotations

import sys
from typing import TextIO

from assistant.service import Reply, Service

CHAT_ID = 0
HELP = ("Type a request (“Lunch with Anna tomorrow at 1pm”). Answer a preview with yes, no, or what to change "
        "(“make it 4pm”, “add Boris”). /today, /tomorrow, /week list events; /contacts lists people; /quit leaves.")


class Console:
    def __init__(self, service: Service, out: TextIO = sys.stdout):
        self.service = service
        self.out = out
        self.last: Reply | None = None

    def run(self, lines: TextIO = sys.stdin) -> None:
        interactive = lines.isatty()
        if interactive:
            self._print(HELP)
        while True:
            if interactive:
                self.out.write("› ")
                self.out.flush()
            line = lines.readline()
            if not line:
                break
            if not self.handle(line.strip()):
                break

    def handle(self, line: str) -> bool:
        """One line of input; False when the owner wants to leave."""
        if not line:
            return True
        command = line.split()[0].lower()
        if command in ("/quit", "/exit"):
            return False
        commands = {"/today": self.service.today, "/tomorrow": self.service.tomorrow,
                    "/week": self.service.week, "/agenda": self.service.today}
        if command in commands:
            self._show(commands[command]())
        elif command == "/contacts":
            self._show(self.service.contacts(line[len(command):]))
        elif command == "/help":
            self._print(HELP)
        elif command == "/undo" and self.last and self.last.item_id:
            self._show(self.service.undo(CHAT_ID, self.last.item_id))
        elif line.isdigit() and self._slot_action(int(line) - 1):
            self._show(self.service.choose_alternative(CHAT_ID, self.last.item_id, int(line) - 1))
        elif line.lower() in ("yes", "y") and self._has_action("apply"):
            self._show(self.service.apply_change(CHAT_ID, self.last.item_id))
        else:
            self._show(self.service.handle_text(CHAT_ID, line))
        return True

    def _has_action(self, action: str) -> bool:
        return bool(self.last and any(b.action == action for row in self.last.buttons for b in row))

    def _slot_action(self, index: int) -> bool:
        return self._has_action(f"slot:{index}")

    def _show(self, reply: Reply) -> None:
        self.last = reply
        self._print(reply.text)
        actions = {b.action for row in reply.buttons for b in row}
        if "create" in actions:
            self._print("  → yes to create · no to drop · or say what to change")
        elif "apply" in actions:
            self._print("  → yes or no")
        elif any(a.startswith("slot:") for a in actions):
            self._print("  → type a number to pick a slot")

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()
