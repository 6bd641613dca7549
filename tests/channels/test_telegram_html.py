"""Telegram HTML: the splitter's parts are what Telegram accepts (checked by the fake Bot API's strict parser),
and the fake refuses what the real server refuses."""
from __future__ import annotations

import html
import json
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from assistant.channels.telegram.html_split import MAX_TEXT, split_html, visible_length
from assistant.channels.telegram.send import to_html
from assistant.core.item import Item, Kind
from assistant.core.render import Button, Reply
from assistant.store import Store
from telegram_harness import OWNER, ZONE, BotThread, make_config
from tests.fakes.bot_api import FakeBotApi, HtmlError, check_text, parse_html, utf16_len

EMOJI_ID = "5368324170671202286"
PAIRS = [("<b>", "</b>"), ("<strong>", "</strong>"), ("<i>", "</i>"), ("<em>", "</em>"), ("<u>", "</u>"),
         ("<ins>", "</ins>"), ("<s>", "</s>"), ("<strike>", "</strike>"), ("<del>", "</del>"),
         ('<a href="https://example.com/?a=1&amp;b=&quot;2&quot;">', "</a>"), ("<code>", "</code>"),
         ("<pre>", "</pre>"), ('<pre><code class="language-python">', "</code></pre>"),
         ("<tg-spoiler>", "</tg-spoiler>"), ('<span class="tg-spoiler">', "</span>"),
         ("<blockquote>", "</blockquote>"), ("<blockquote expandable>", "</blockquote>"), ("<B>", "</b>")]
WORDS = ["Lunch", "with", "Анна", "&", "<Co>", "a>b", '"quoted"', "it's", "😀", "👩‍💻", "🇩🇪", "e\u0301",
         "漢字", "x" * 40, "\n", "\n\n", " ", "  ", "\t", "🙂🙂🙂", "&amp;", "<b>", "Ж"]
ENTITIES = ["&lt;", "&gt;", "&amp;", "&quot;", "&#128512;", "&#x1F600;", "&#x27;", "&#1078;"]


def text_leaf() -> st.SearchStrategy[str]:
    escaped = st.lists(st.sampled_from(WORDS), max_size=12).map(lambda ws: html.escape(" ".join(ws), quote=False))
    return st.one_of(escaped, st.sampled_from(ENTITIES), st.sampled_from(WORDS).map(
        lambda w: html.escape(w * 30, quote=False)))


def wrap(pair: tuple[str, str], children: list[str]) -> str:
    return pair[0] + "".join(children) + pair[1]


def emoji(ch: str) -> str:
    return f'<tg-emoji emoji-id="{EMOJI_ID}">{ch}</tg-emoji>'


HTML = st.recursive(
    st.one_of(text_leaf(), st.sampled_from(["👍", "🔥"]).map(emoji)),
    lambda children: st.one_of(st.builds(wrap, st.sampled_from(PAIRS), st.lists(children, max_size=4)),
                               st.lists(children, min_size=1, max_size=6).map("".join)),
    max_leaves=40)


def styled(markup: str) -> list[tuple[str, frozenset]]:
    """Every visible character with the entities (type and arguments) that cover it."""
    text, entities = parse_html(markup)
    changes: dict[int, list[tuple[tuple, int]]] = {}
    for e in entities:
        key = tuple(sorted((k, str(v)) for k, v in e.items() if k not in ("offset", "length")))
        changes.setdefault(e["offset"], []).append((key, 1))
        changes.setdefault(e["offset"] + e["length"], []).append((key, -1))
    active: Counter = Counter()
    current: frozenset = frozenset()
    out, units = [], 0
    for ch in text:
        if units in changes:
            for key, step in changes[units]:
                active[key] += step
            current = frozenset(k for k, n in active.items() if n > 0)
        out.append((ch, current))
        units += utf16_len(ch)
    return out


def assert_good_split(source: str, parts: list[str], limit: int) -> None:
    """Each part parses, fits, and the parts are the source's visible text in order, formatting included;
    only whitespace may be left out between parts (where they were cut) or at the ends."""
    full, _ = parse_html(source)
    if not full.strip():
        assert parts == [source]                                 # nothing to show: left to the API to refuse
        return
    position = 0
    for part in parts:
        try:
            visible, _ = parse_html(part)
        except HtmlError as exc:
            raise AssertionError(f"{exc}: {part!r}") from None
        assert utf16_len(visible) <= limit, part
        core = visible.strip()
        assert core, f"a part with nothing to show: {part!r}"
        found = full.find(core, position)
        assert found != -1 and not full[position:found].strip(), (core, full[position:])
        position = found + len(core)
    assert not full[position:].strip()
    keep = lambda pairs: [p for p in pairs if not p[0].isspace()]  # noqa: E731
    assert keep([c for part in parts for c in styled(part)]) == keep(styled(source))


# ── the splitter ────────────────────────────────────────────────────────────────────────────
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HTML, st.integers(min_value=8, max_value=400))
def test_parts_are_accepted_and_keep_the_text_and_formatting(source, limit):
    assert_good_split(source, split_html(source, limit), limit)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HTML, st.integers(min_value=10, max_value=60))
def test_parts_at_the_real_limit(source, repeat):
    assume(parse_html(source)[0].strip())
    source = source * repeat
    parts = split_html(source)
    assert_good_split(source, parts, MAX_TEXT)
    assert all(check_text(p, "HTML") is None for p in parts)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab<>&\"'Ж😀") + ["\u0301", "\u200d", "🇩", "🇪", "🏽"]),
               min_size=1, max_size=600),
       st.sampled_from(PAIRS), st.integers(min_value=4, max_value=50))
def test_a_word_longer_than_the_limit_is_cut_hard_and_nothing_is_lost(word, pair, limit):
    source = wrap(pair, [html.escape(word, quote=False)])
    parts = split_html(source, limit)
    assert_good_split(source, parts, limit)
    assert "".join(parse_html(p)[0] for p in parts) == parse_html(source)[0]


def test_a_long_title_stays_bold_across_parts():
    title = "📅 Lunch with <Anna> & Co — " + "very long title & more " * 300
    source = to_html(Reply(title + "\n🕐 tomorrow 13:00–14:00", [[Button("✅ Create", "create")]]))
    assert len(source) > MAX_TEXT and visible_length(source) > MAX_TEXT
    parts = split_html(source)
    assert len(parts) >= 2 and all(check_text(p, "HTML") is None for p in parts)
    assert all(p.startswith("<b>") for p in parts[:-1]) and parts[0].endswith("</b>")
    assert_good_split(source, parts, MAX_TEXT)
    bold = [e for e in parse_html(parts[1])[1] if e["type"] == "bold"]
    assert bold and bold[0]["offset"] == 0


def test_entities_count_once_and_emoji_twice():
    assert split_html("&amp;" * MAX_TEXT) == ["&amp;" * MAX_TEXT]           # 20,480 bytes, 4,096 characters
    parts = split_html("😀" * MAX_TEXT)                                      # 8,192 UTF-16 code units
    assert [utf16_len(parse_html(p)[0]) for p in parts] == [MAX_TEXT, MAX_TEXT]


def test_lines_are_preferred_then_spaces():
    lines = [f"line {i} " + "x" * 50 for i in range(200)]
    parts = split_html("<i>" + "\n".join(lines) + "</i>")
    assert all(check_text(p, "HTML") is None for p in parts)
    assert [line for p in parts for line in parse_html(p)[0].split("\n")] == lines
    words = " ".join(["word"] * 3000)
    assert all(parse_html(p)[0].strip("word ") == "" and not p.startswith(" ") for p in split_html(words))


def test_careless_input_still_comes_out_well_formed():
    for source in ["a < b & c", "<b>open", "<b><i>x</b> y", "x </i> y", "<foo>bar</foo>", "&bogus; &#0;"]:
        parts = split_html(source)
        assert all(check_text(p, "HTML") is None for p in parts), (source, parts)
    assert split_html("a < b & c") == ["a &lt; b &amp; c"]
    assert split_html("<b><i>x</b> y") == ["<b><i>x</i></b> y"]


def test_a_short_valid_text_is_sent_unchanged():
    source = ('<b>📅 Lunch</b>\n<a href="https://x.org/?a=1&amp;b=2">link</a> &lt;3 '
              "<blockquote expandable>q</blockquote>")
    assert split_html(source) == [source]


# ── the fake Bot API refuses what Telegram refuses ─────────────────────────────────────────
@pytest.fixture
def api():
    with FakeBotApi() as fake:
        yield fake


def description(answer: tuple[int, dict]) -> str:
    status, body = answer
    assert status == 400 and body["ok"] is False and body["error_code"] == 400, body
    return body["description"]


@pytest.mark.parametrize("text, reason", [
    ("a < b", "Unsupported start tag"),
    ("Tom & Jerry", 'unescaped "&"'),
    ("&lt without semicolon", 'unescaped "&"'),
    ("<foo>bar</foo>", 'Unsupported start tag "foo"'),
    ("<b>unclosed", 'end tag corresponding to start tag "b"'),
    ("<b><i>crossed</b></i>", "Unmatched end tag"),
    ("stray</b>", "Unexpected end tag"),
    ('<span class="x">s</span>', 'must have class "tg-spoiler"'),
    ("<tg-emoji>👍</tg-emoji>", "custom emoji"),
    ("<b x>y</b>", "Expected equal sign"),
    ('<a href="x>y</a>', "Unclosed start tag"),
])
def test_bad_html_is_refused(api, text, reason):
    answer = description(api.handle("sendMessage", {"chat_id": 1, "text": text, "parse_mode": "HTML"}))
    assert answer.startswith("Bad Request: can't parse entities: ") and reason in answer
    assert check_text(text, None) is None                        # the same text without parse_mode is fine


@pytest.mark.parametrize("text", ["", "   ", "<b> \n </b>"])
def test_empty_text_is_refused(api, text):
    answer = api.handle("sendMessage", {"chat_id": 1, "text": text, "parse_mode": "HTML"})
    assert description(answer) == "Bad Request: message text is empty"


def test_length_is_counted_after_parsing_in_utf16(api):
    send = lambda text: api.handle("sendMessage", {"chat_id": 1, "text": text, "parse_mode": "HTML"})  # noqa: E731
    assert description(send("x" * 4097)) == "Bad Request: message is too long"
    assert description(send("😀" * 2049)) == "Bad Request: message is too long"   # 2,049 characters
    assert send("&amp;" * 4096)[0] == 200 and send("<b>" + "y" * 4096 + "</b>")[0] == 200
    status, body = send("  <b>Title</b> &amp; more  ")
    assert body["result"]["text"] == "Title & more"
    assert body["result"]["entities"] == [{"type": "bold", "offset": 0, "length": 5}]


def test_edits_are_checked_too(api):
    sent = api.handle("sendMessage", {"chat_id": 1, "text": "card", "parse_mode": "HTML"})[1]["result"]
    edit = lambda text: api.handle("editMessageText", {"chat_id": 1, "message_id": sent["message_id"],  # noqa: E731
                                                       "text": text, "parse_mode": "HTML"})
    assert "can't parse entities" in description(edit("<b>card"))
    assert description(edit("x" * 4097)) == "Bad Request: MESSAGE_TOO_LONG"
    assert description(edit("")) == "Bad Request: message text is empty"
    assert description(edit("card")).startswith("Bad Request: message is not modified")
    assert edit("<b>card</b>")[0] == 200                          # bold is a change


def test_captions_are_checked(api):
    photo = lambda caption: api.handle("sendPhoto", {"chat_id": 1, "photo": "file-1", "caption": caption,  # noqa: E731
                                                     "parse_mode": "HTML"})
    assert description(photo("c" * 1025)) == "Bad Request: message caption is too long"
    assert "can't parse entities" in description(photo("a < b"))
    assert photo("<i>" + "c" * 1024 + "</i>")[0] == 200
    assert api.handle("sendPhoto", {"chat_id": 1, "photo": "file-1"})[0] == 200


def test_callback_data_over_64_bytes_is_refused(api):
    def keyboard(data: str) -> dict:
        return {"inline_keyboard": [[{"text": "ok", "callback_data": "a.0"}], [{"text": "Go", "callback_data": data}]]}

    def send(data: str) -> tuple[int, dict]:
        return api.handle("sendMessage", {"chat_id": 1, "text": "t", "reply_markup": keyboard(data)})

    assert description(send("ж" * 33)) == "Bad Request: BUTTON_DATA_INVALID"  # 33 characters, 66 bytes
    assert description(send("")) == "Bad Request: BUTTON_DATA_INVALID"
    assert send("x" * 64)[0] == 200
    sent = send("x" * 64)[1]["result"]
    answer = api.handle("editMessageReplyMarkup", {"chat_id": 1, "message_id": sent["message_id"],
                                                    "reply_markup": keyboard("y" * 65)})
    assert description(answer) == "Bad Request: BUTTON_DATA_INVALID"


def test_errors_travel_as_the_real_server_sends_them(api):
    request = urllib.request.Request(f"{api.base_url}{api.token}/sendMessage",
                                     data=json.dumps({"chat_id": 1, "text": "<b>x", "parse_mode": "HTML"}).encode(),
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    assert caught.value.code == 400
    body = json.loads(caught.value.read())
    assert body["ok"] is False and body["error_code"] == 400
    assert body["description"].startswith("Bad Request: can't parse entities: ")


def test_a_callback_query_is_answered_once(api):
    api.push(callback_query={"id": "q1", "from": {"id": 5, "is_bot": False, "first_name": "A"},
                             "chat_instance": "c", "data": "x"})
    assert api.handle("answerCallbackQuery", {"callback_query_id": "q1", "text": "t" * 201})[0] == 400
    assert api.handle("answerCallbackQuery", {"callback_query_id": "q1", "text": "ok"})[0] == 200
    assert "query is too old" in description(api.handle("answerCallbackQuery", {"callback_query_id": "q1"}))


# ── end to end: what the bot sends, the strict fake accepts ───────────────────────────────
def test_a_long_agenda_of_awkward_titles_reaches_the_owner(tmp_path, api):
    config = make_config(tmp_path, api)
    zone = ZoneInfo(ZONE)
    day = datetime.now(zone).date() + timedelta(days=1)
    start = datetime(day.year, day.month, day.day, 8, tzinfo=zone)
    store = Store(config.db_path)
    try:
        for i in range(120):
            store.events.upsert(Item(kind=Kind.EVENT, title=f"R&D <sync> #{i} — “Q&A” 👩‍💻 & <b>not bold</b>",
                                     start=start + timedelta(minutes=i), end=start + timedelta(minutes=i + 1)),
                                zone)
    finally:
        store.close()
    with BotThread(config, api):
        mark = api.mark()
        api.send_text(OWNER, "/tomorrow")
        api.wait_for("sendMessage", after=mark)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            sent = [c for c in api.calls[mark:] if c.method == "sendMessage"]
            if any("#119" in c.text for c in sent):
                break
            time.sleep(0.05)
    assert all(isinstance(c.result, dict) and "message_id" in c.result for c in sent), \
        [c.result for c in sent if "message_id" not in c.result]
    assert any(len(c.text) > MAX_TEXT for c in sent)              # more HTML than Telegram's limit, yet accepted
    texts = [c.result["text"] for c in sent]
    assert sum(t.count("R&D <sync> #") for t in texts) == 120 and "<b>not bold</b>" in texts[0]
