"""Runs the real bot (`assistant.channels.telegram.run`, the code path of `assistant run`) in a thread against
the fake Bot API, with a config file in a temporary folder."""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.fakes.bot_api import TOKEN, FakeBotApi, user  # noqa: E402

from assistant import config as config_module  # noqa: E402
from assistant.channels.telegram import run  # noqa: E402
from assistant.config import Config  # noqa: E402

OWNER = user(424242, "Olga", last_name="Owner")
STRANGER = user(666, "Mallory")
ZONE = "Europe/Berlin"
MODEL = ROOT / "data" / "models" / "whisper-base"
AUDIO = ROOT / "tests" / "speech" / "audio"

__all__ = ["AUDIO", "MODEL", "OWNER", "STRANGER", "TOKEN", "ZONE", "BotThread", "FakeBotApi", "make_config", "user"]


def make_config(folder: Path, api: FakeBotApi, owner_id: int = OWNER["id"], pairing_code: str = "",
                extra: str = "") -> Config:
    path = folder / "config.toml"
    path.write_text(f"""
[assistant]
timezone = "{ZONE}"
data_dir = "data"

[telegram]
token = "{TOKEN}"
owner_id = {owner_id}
base_url = "{api.base_url}"
base_file_url = "{api.base_file_url}"
pairing_code = "{pairing_code}"

[speech]
engine = "local"
model = "{MODEL}"
beam_size = 1
{extra}
""", encoding="utf-8")
    return config_module.load(path)


class BotThread:
    """`run(config)` in a thread; `stop()` ends it the way SIGTERM would and waits for a clean exit."""

    def __init__(self, config: Config, api: FakeBotApi):
        self.config = config
        self.api = api
        self.stop_event = threading.Event()
        self.code: int | None = None
        self.thread = threading.Thread(target=self._main, name="bot", daemon=True)

    def _main(self) -> None:
        self.code = run(self.config, stop=self.stop_event)

    def start(self, timeout: float = 15) -> "BotThread":
        mark = self.api.mark()
        self.thread.start()
        self.api.wait_for("setMyCommands", after=mark, timeout=timeout)
        deadline = time.monotonic() + timeout
        while not any(c.method == "getUpdates" for c in self.api.calls[mark:]):
            assert time.monotonic() < deadline, "the bot never polled"
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 15) -> int | None:
        self.stop_event.set()
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the bot did not stop"
        return self.code

    def __enter__(self) -> "BotThread":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        if self.thread.is_alive():
            self.stop()
