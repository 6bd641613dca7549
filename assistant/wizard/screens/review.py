"""The last step: what will change, then Save — config.toml written atomically (comments kept) and secrets
to the vault where their reader takes them from there. After saving, a Google or Outlook entry can be
signed in right here (`assistant connect NAME --no-browser` runs in this terminal)."""
from __future__ import annotations

import subprocess
import sys
from typing import Any, Iterable

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Static

from assistant.errors import ConfigError
from assistant.wizard.draft import SECRET_KEYS
from assistant.wizard.entry import connect_available
from assistant.wizard.step import Step, bad, good, plain


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    text = repr(value) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= 32 else text[:31] + "…"


class ReviewStep(Step):
    TITLE = "Review and save"
    HELP = "Nothing is written until Save. Esc still leaves without writing."
    TEST_LABEL = "Save"
    BINDINGS = [Binding("ctrl+t", "test", "Save", show=False), Binding("ctrl+s", "test", "Save")]
    DEFAULT_CSS = """
    ReviewStep #changes { height: auto; }
    ReviewStep #connects { height: auto; }
    ReviewStep #connects Button { margin-right: 2; }
    """

    def fields(self) -> Iterable[Widget]:
        yield Static(self._changes(), id="changes")
        yield Static(self._problem_text(), id="problem")
        yield Horizontal(id="connects")
        yield Static("", id="next-steps", markup=False)

    def mounted(self) -> None:
        super().mounted()
        self.query_one("#next", Button).label = "Finish"
        self.query_one("#test", Button).focus()
        if self.wizard.saved:
            self._after_save()

    def _changes(self) -> Text:
        changes = self.draft.changes()
        if not changes and self.draft.existed:
            return plain("No changes: config.toml stays as it is.")
        count = f"{len(changes)} change{'s' if len(changes) != 1 else ''}"
        head = (f"{count} to {self.draft.path.name}:" if self.draft.existed else
                f"A new {self.draft.path.name} (config.example.toml, every key explained) with {count}:")
        text = Text(head + "\n", style="bold")
        for key, old, new in changes[:40]:
            secret = key.rsplit(".", 1)[-1] in SECRET_KEYS
            where = " (vault)" if key.startswith("vault[") else ""
            line = f"  {key}: {_shown(old)} → {_shown(new)}{where}" if not secret or old or new else f"  {key}"
            text.append(line[:78] + "\n")
        if len(changes) > 40:
            text.append(f"  … and {len(changes) - 40} more\n")
        return text

    def _problem_text(self) -> Text | str:
        problem = self.draft.problem()
        return bad(f"cannot save yet: {problem} — go Back to that step and fix it") if problem else ""

    def check(self) -> bool:
        return True

    def action_next(self) -> None:
        """Finish: save (when not saved yet) and leave."""
        if not self.wizard.saved and not self._write():
            return
        self.app.exit("saved")

    def action_test(self) -> None:
        self._write()

    def _write(self) -> bool:
        try:
            done = self.draft.write()
        except ConfigError as exc:
            self.outcome(bad(str(exc)))
            return False
        except OSError as exc:
            self.outcome(bad(f"cannot write {self.draft.path}: {exc.strerror or exc}; check the folder's "
                             "permissions"))
            return False
        self.wizard.saved = True
        self.outcome(good("; ".join(done)))
        self._after_save()
        return True

    def _after_save(self) -> None:
        self.query_one("#changes", Static).update(plain(f"Saved to {self.draft.path}.", "bold"))
        self.query_one("#problem", Static).update("")
        row = self.query_one("#connects", Horizontal)
        row.remove_children()
        lines = ["Next: `assistant doctor` checks everything; `assistant run` starts the bot "
                 "(or scripts/install-service runs it as a service); F2 shows the status."]
        for key, note in self.draft.notes.items():
            lines.append("• " + note)
            if key.startswith("connect:"):
                name = key.split(":", 1)[1]
                entry = next((e for e in self.draft.entries("calendars") if e.get("name") == name), {})
                if connect_available(str(entry.get("type"))):
                    row.mount(Button(f"Connect {name}", id=f"connect-{name}", compact=True))
        self.query_one("#next-steps", Static).update("\n".join(lines))

    @on(Button.Pressed, "#connects Button")
    def _connect(self, event: Button.Pressed) -> None:
        name = str(event.button.id).removeprefix("connect-")
        command = [sys.executable, "-m", "assistant", "connect", name, "--no-browser", "--config",
                   str(self.draft.path)]
        try:
            with self.app.suspend():
                print(f"\nSigning in to {name} (assistant connect {name} --no-browser). Ctrl+C gives up.\n",
                      flush=True)
                code = subprocess.call(command)
                input("\nPress Enter to go back to the setup… ")
        except Exception as exc:  # noqa: BLE001 (SuspendNotSupported, or no terminal: say the command instead)
            self.outcome(bad(f"cannot sign in from here ({type(exc).__name__}): run "
                             f"`assistant connect {name} --no-browser` in a terminal"))
            return
        if code == 0:
            self.draft.notes.pop(f"connect:{name}", None)
            self.outcome(good(f"{name} is signed in"))
            self._after_save()
        else:
            self.outcome(bad(f"signing in to {name} did not finish: try again, or run `assistant connect {name}`"))
