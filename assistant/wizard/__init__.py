"""`assistant setup`: the terminal wizard (Textual). A screen per step in `assistant.wizard.screens`, the
shared frame in `step.py`, the file being edited in `draft.py`, every Test button's work in `checks.py`,
modal dialogs in `dialogs.py`, the app and its step order in `app.py`."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from assistant.errors import UserError


def run(path: Path) -> int:
    """Open `path` (or start one), run the wizard, and say what happened: 0 written or left unchanged."""
    from assistant.wizard.app import SetupApp  # noqa: PLC0415 (Textual loads only for the wizard)
    from assistant.wizard.draft import Draft  # noqa: PLC0415

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError("assistant setup is interactive: run it in a terminal (over SSH: ssh -t HOST assistant "
                        "setup)")
    draft = Draft.open(path)
    logging.disable(logging.CRITICAL)   # log lines on stderr would tear the screen; the wizard says it all
    try:
        result = SetupApp(draft).run()
    finally:
        logging.disable(logging.NOTSET)
    if result == "saved":
        print(f"Saved {path}. Check it with `assistant doctor`; start with `assistant run` "
              "(or install the service: scripts/install-service).")
        for note in draft.notes.values():
            print(f"Still to do: {note}")
    else:
        print(f"Nothing written: {path} is unchanged." if draft.existed else
              f"Nothing written: {path} was not created.")
    return 0
