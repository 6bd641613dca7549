"""The Telegram channel: `run(config)` is `assistant run`.

    app.py       the Application, the offset-committing getUpdates loop, the scheduled jobs
    guard.py     owner only: pairing with a one-time code, one refusal for anyone else
    handlers.py  text, voice, forwarded messages, buttons, commands → Service calls
    send.py      Reply → HTML messages (escaped, split at 4,096), keyboards, flood control
    media.py     voice files and forward origins
"""
import os

# Opt in to python-telegram-bot's coming behaviour (durations as timedelta) instead of a deprecation
# warning on every voice note and flood-control error; our code reads both forms.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from assistant.channels.telegram.app import TelegramBot, build_application, run  # noqa: E402

__all__ = ["TelegramBot", "build_application", "run"]
