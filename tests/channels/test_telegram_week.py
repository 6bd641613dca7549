"""/week and "show me my week" through the real bot and the fake Bot API: one sendPhoto whose PNG opens and
shows the week's events, with the list as the caption (or, when longer than a caption may be, after it)."""
from __future__ import annotations

import io
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from assistant import week_picture
from assistant.core.item import Item, Kind
from assistant.store import Store
from telegram_harness import OWNER, ZONE, BotThread, FakeBotApi, make_config

BUILT_IN = week_picture._rgb(week_picture.PALETTE[0])       # "local" is the first calendar


@pytest.fixture
def api():
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture
def config(tmp_path, api):
    return make_config(tmp_path, api)


def plan(config, *events: tuple[str, int, int]) -> None:
    """Events tomorrow in the built-in calendar: (title, start hour, minutes long)."""
    zone = ZoneInfo(ZONE)
    day = datetime.now(zone).date() + timedelta(days=1)
    store = Store(config.db_path)
    try:
        for title, hour, minutes in events:
            start = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
            store.events.upsert(Item(Kind.EVENT, title, start, start + timedelta(minutes=minutes)), zone)
    finally:
        store.close()


def ask(api: FakeBotApi, text: str, method: str = "sendPhoto"):
    mark = api.mark()
    api.send_text(OWNER, text)
    return api.wait_for(method, after=mark), mark


def picture(call) -> Image.Image:
    upload = call.params["photo"]
    assert upload["filename"].endswith(".png") and upload["size"] == len(upload["data"])
    image = Image.open(io.BytesIO(upload["data"]))
    assert image.format == "PNG"
    return image.convert("RGB")


def test_week_sends_one_photo_with_the_list_as_its_caption(api, config):
    plan(config, ("Lunch with Anna", 12, 60), ("Tom & Jerry <review>", 12, 90), ("Gym", 18, 45))
    with BotThread(config, api):
        call, mark = ask(api, "/week")
    image = picture(call)
    assert image.size == (1280, 960)
    colours = image.getcolors(1 << 20)
    assert len(colours) > 50, "the picture is blank"
    assert sum(count for count, colour in colours if colour == BUILT_IN) > 2000    # the events' blocks
    assert call.params["parse_mode"] == "HTML"
    assert "Tom &amp; Jerry &lt;review&gt;" in call.params["caption"]             # escaped …
    stored = api.state.messages[(OWNER["id"], call.result["message_id"])]
    assert stored["caption"].startswith("The next 7 days")                      # … and shown as typed
    assert "Tom & Jerry <review>" in stored["caption"] and "Gym" in stored["caption"]
    assert [c.method for c in api.calls[mark:] if c.method.startswith("send")] == ["sendPhoto"]


def test_show_me_my_week_in_plain_words_is_the_picture(api, config):
    plan(config, ("Dentist", 9, 30))
    with BotThread(config, api):
        call, _ = ask(api, "show me my week")
    assert picture(call).size == (1280, 960)
    assert "Dentist" in call.params["caption"]


def test_a_list_longer_than_a_caption_follows_the_photo(api, config):
    plan(config, *((f"Meeting number {i} about the quarterly planning of the platform", 8 + i % 10, 30)
                   for i in range(30)))
    with BotThread(config, api):
        call, mark = ask(api, "/week")
        listing = api.wait_for("sendMessage", after=mark)
    assert call.params["caption"] == "The next 7 days"                # the first line only
    assert listing.at >= call.at and listing.text.startswith("The next 7 days")
    assert "Meeting number 0 " in listing.text and "Meeting number 29 " in listing.text
    assert picture(call).size == (1280, 960)


def test_the_picture_is_drawn_off_the_event_loop(api, config, monkeypatch):
    threads = []
    original = week_picture.render

    def spy(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return original(*args, **kwargs)

    monkeypatch.setattr(week_picture, "render", spy)
    with BotThread(config, api):
        ask(api, "/week")
    assert threads and all(name.startswith("usecases") for name in threads)
