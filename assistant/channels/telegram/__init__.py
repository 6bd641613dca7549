"""The Telegram channel: `run(config)` is `assistant run`.

    app.py       the Application, the offset-committing getUpdates loop, the scheduled jobs
    guard.py     owner only: pairing with a one-time code, one refusal for anyone else
    handlers.py  text, voice, forwarded messages, buttons, commands → Service calls
    send.py      Reply → HTML messages (escaped, split at 4,096), keyboards, flood control
    media.py     voice files and forward origins
"""
from assistant.channels.telegram.app import TelegramBot, build_application, run

__all__ = ["TelegramBot", "build_application", "run"]
