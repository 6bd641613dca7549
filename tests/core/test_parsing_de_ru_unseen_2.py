"""A second held-out set of German and Russian requests (tests/core/unseen-set-de-ru-2.jsonl).

Written from the README rules before the German and Russian tables or the first set were read,
by new personas: an Austrian and a Swiss speaker (Jänner, Feber, heuer, z'Mittag, dreiviertel 5),
a terse Berlin office worker (Mo 10h, KW 14), German e-mail snippets, a Russian student in chat
spelling, a Russian grandmother dictating and a Russian manager (rescheduling, cancelling, free
time). Scored before the parser was changed for it: round 1 (ids de2-01.., ru2-01..) 78.1%
(German 68.8%, Russian 87.5%), 98.8% after; round 2 ("round": 2, ids de2-101.., ru2-101..: a
German parent, a Bavarian, a Russian developer and parent), written after round 1's fixes, 87.5%
before its own, 97.5% after. The floor sits just under the score reached.
Cases are scored like ../shared/parsing/score.py does, with `more` (later items) and `edits`
(replies applied in turn), as in test_parsing_de_ru_unseen.py.

Run as a script to print the score by language and category:
`python tests/core/test_parsing_de_ru_unseen_2.py`.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

import heldout
from assistant.core.parsing import apply_edit, parse, parse_all

HERE = Path(__file__).resolve().parent
SET = HERE / "unseen-set-de-ru-2.jsonl"
FLOOR = 0.97


def cases() -> list[dict]:
    return heldout.load(SET)


def report() -> tuple[float, dict[str, tuple[int, int]], list[str]]:
    return heldout.report(cases(), by_language=True)


@heldout.needs_scorer
def test_de_ru_set_2_floor():
    heldout.assert_floor(report(), FLOOR)


def test_de_ru_set_2_is_well_formed():
    langs = heldout.assert_well_formed(cases(), fields=frozenset({"kind", "start"}))
    assert langs["de"] >= 80 and langs["ru"] >= 80


if __name__ == "__main__":
    heldout.print_report(cases(), width=16, by_language=True)


NOW = datetime.fromisoformat("2026-03-10T09:00:00+01:00")        # a Tuesday
TZ = "Europe/Berlin"


def _item(text: str) -> dict:
    return parse(text, NOW, TZ).to_dict()


def _items(text: str) -> list[dict]:
    return [it.to_dict() for it in parse_all(text, NOW, TZ)]


@pytest.mark.parametrize("text, start", [
    ("Skitag am 12. Jänner", "2027-01-12"),
    ("Geburtstag Opa 20. Feber", "2027-02-20"),
    ("Semesterferien vom 2. bis 6. Feber", "2027-02-02"),
    ("Mittagessen mit Vroni morgen z'Mittag", "2026-03-11T12:00:00+01:00"),
    ("Am Freitag z'Nacht bei Köbi", "2026-03-13T19:00:00+01:00"),
    ("Treffpunkt Bahnhof um dreiviertel 8", "2026-03-11T07:45:00+01:00"),      # 8 is a morning hour
    ("Elternsprechtag Donnerstag dreiviertel zehn", "2026-03-12T09:45:00+01:00"),
    ("Bus um viertel 9 morgen", "2026-03-11T08:15:00+01:00"),
])
def test_austrian_and_swiss_words(text, start):
    """Jänner/Feber, z'Mittag/z'Nacht, and "dreiviertel 8" (7:45: the hour named, 8, is a morning one)."""
    assert _item(text)["start"] == start


@pytest.mark.parametrize("text, start, end", [
    ("Mo 9h Teamrunde", "2026-03-16T09:00:00+01:00", "2026-03-16T10:00:00+01:00"),
    ("Fr 8h Frühstück Vertrieb", "2026-03-13T08:00:00+01:00", "2026-03-13T09:00:00+01:00"),
    ("Do 13-14 Uhr Review", "2026-03-12T13:00:00+01:00", "2026-03-12T14:00:00+01:00"),
    ("Mi 16-17:30 Workshop", "2026-03-11T16:00:00+01:00", "2026-03-11T17:30:00+01:00"),
    ("Freitag 15-16:30 Kundencall", "2026-03-13T15:00:00+01:00", "2026-03-13T16:30:00+01:00"),
    ("Do 11:15 Abstimmung", "2026-03-12T11:15:00+01:00", "2026-03-12T12:15:00+01:00"),
    ("Di 8:30 Frühbesprechung", "2026-03-17T08:30:00+01:00", "2026-03-17T09:30:00+01:00"),
    ("Präsentation Mi", "2026-03-11", "2026-03-12"),
])
def test_terse_office_notes(text, start, end):
    """Two-letter weekdays, "9h" after a day, and hour ranges after a weekday (not the 13th)."""
    item = _item(text)
    assert (item["start"], item["end"]) == (start, end)


@pytest.mark.parametrize("text, place, start", [
    ("Schulung Freitag 10 Uhr in Raum 2.14", "Raum 2.14", "2026-03-13T10:00:00+01:00"),
    ("Besprechung morgen um 14 Uhr in Zimmer 1.05", "Zimmer 1.05", "2026-03-11T14:00:00+01:00"),
    ("лекция в четверг в 10 в аудитории 3.12", "аудитории 3.12", "2026-03-12T10:00:00+01:00"),
])
def test_numbered_rooms_are_places(text, place, start):
    item = _item(text)
    assert (item["location"], item["start"]) == (place, start)


@pytest.mark.parametrize("text, kind, start", [
    ("Hallo zusammen, das Sommerfest findet am 26.6. ab 16 Uhr statt.", "event", "2026-06-26T16:00:00+02:00"),
    ("Liebes Team, die Retro am Donnerstag muss leider ausfallen.", "cancel", "2026-03-12"),
    ("Sehr geehrter Herr Lang, der Termin am Montag entfällt.", None, None),
    ("Der Kurs am Mittwoch fällt aus", "cancel", "2026-03-11"),
    ("Die Sprechstunde am 20.3. wird abgesagt", "cancel", "2026-03-20"),
    ("Welche Termine habe ich nächste Woche?", "query", "2026-03-16"),
])
def test_german_mail_and_verbs_said_last(text, kind, start):
    item = _item(text)
    if kind is None:
        assert item["kind"] in ("cancel", "event")
        return
    assert (item["kind"], item["start"]) == (kind, start)


def test_mail_greeting_is_not_the_title():
    title = _item("Liebe Kolleginnen und Kollegen, die Betriebsversammlung ist am 2.4. um 10 Uhr.")["title"]
    assert "Betriebsversammlung" in title and "Kolleg" not in title


@pytest.mark.parametrize("text, rule, start", [
    ("Jeden dritten Mittwoch im Monat Elternrat um 20 Uhr", "FREQ=MONTHLY;BYDAY=3WE", "2026-03-18T20:00:00+01:00"),
    ("Jeden letzten Freitag im Monat Teamessen um 18 Uhr", "FREQ=MONTHLY;BYDAY=-1FR", "2026-03-27T18:00:00+01:00"),
    ("Miete überweisen am 1. jedes Monats", "FREQ=MONTHLY;BYMONTHDAY=1", "2026-04-01"),
    ("пятнадцатого числа каждого месяца платить за интернет", "FREQ=MONTHLY;BYMONTHDAY=15", "2026-03-15"),
    ("каждый первый понедельник месяца в 10 совет", "FREQ=MONTHLY;BYDAY=1MO", "2026-04-06T10:00:00+02:00"),
    ("каждый второй четверг месяца в 18 клуб", "FREQ=MONTHLY;BYDAY=2TH", "2026-03-12T18:00:00+01:00"),
])
def test_monthly_rules_in_german_and_russian(text, rule, start):
    item = _item(text)
    assert (item["recurrence"], item["start"]) == (rule, start)


def test_every_second_weekday_without_a_month_stays_every_other_week():
    assert _item("каждый второй вторник в 10 планёрка")["recurrence"] == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert _item("Jeden zweiten Dienstag um 10 Jour fixe")["recurrence"] == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"


@pytest.mark.parametrize("text, start", [
    ("экзамен 23-го в 9", "2026-03-23T09:00:00+01:00"),
    ("стрижка 14го в 12", "2026-03-14T12:00:00+01:00"),
    ("в пятницу к двенадцати к нотариусу", "2026-03-13T12:00:00+01:00"),
    ("созвон в 12:00 по московскому времени", "2026-03-10T10:00:00+01:00"),
    ("вебинар в 19 по мск", "2026-03-10T17:00:00+01:00"),
])
def test_russian_dates_clock_words_and_zones(text, start):
    """A written day in the genitive ("23-го") is a date; "к двенадцати" a time; "по мск" a zone."""
    assert _item(text)["start"] == start


def test_a_numbered_russian_ordinal_in_the_nominative_is_no_date():
    assert _item("встреча 3-й раз в 10")["start"] == "2026-03-10T10:00:00+01:00"


@pytest.mark.parametrize("text, reply, people", [
    ("встреча с Олегом в пятницу в 10", "позови Аню", ["Олег", "Аня"]),
    ("встреча с Олегом в пятницу в 10", "добавь Ольгу", ["Олег", "Ольга"]),
    ("обед с Машей и Игорем завтра в 13", "без Маши", ["Игорь"]),
    ("обед с Машей и Игорем завтра в 13", "без Игоря", ["Маша"]),
    ("кофе с Костей в среду в 11", "не Костя, а Женя", ["Женя"]),
    ("Kino mit Jens und Lea am Samstag um 20 Uhr", "ohne Lea", ["Jens"]),
    ("Essen mit Jens Freitag 19 Uhr", "nicht Jens, sondern Tom", ["Tom"]),
])
def test_people_edits_in_their_own_case(text, reply, people):
    edited = apply_edit(parse(text, NOW, TZ), reply, NOW, TZ)
    assert edited is not None and edited.attendees == people


@pytest.mark.parametrize("text, first, second", [
    ("Konzert am Samstag um 20 Uhr und erinnere mich zwei Stunden vorher",
     "2026-03-14T20:00:00+01:00", "2026-03-14T18:00:00+01:00"),
    ("Arzt am Montag um 10 und erinnere mich 30 Minuten davor",
     "2026-03-16T10:00:00+01:00", "2026-03-16T09:30:00+01:00"),
    ("поезд в субботу в 8 и напомни за два часа", "2026-03-14T08:00:00+01:00", "2026-03-14T06:00:00+01:00"),
    ("собеседование в среду в 15, напомни мне за 30 минут",
     "2026-03-11T15:00:00+01:00", "2026-03-11T14:30:00+01:00"),
])
def test_a_reminder_pointing_back_at_the_first_item(text, first, second):
    items = _items(text)
    assert [i["start"] for i in items] == [first, second]
    assert items[1]["kind"] == "reminder"


@pytest.mark.parametrize("text, starts", [
    ("Yoga am Dienstag 19 Uhr und am Donnerstag 18 Uhr Laufen",
     ["2026-03-17T19:00:00+01:00", "2026-03-12T18:00:00+01:00"]),
    ("Zahnarzt Montag 8 Uhr und Freitag 16 Uhr Friseur",
     ["2026-03-16T08:00:00+01:00", "2026-03-13T16:00:00+01:00"]),
])
def test_two_german_items_each_with_day_and_time(text, starts):
    assert [i["start"] for i in _items(text)] == starts


@pytest.mark.parametrize("text, start, title", [
    ("Blumen gießen, erinnere mich am Sonntag", "2026-03-15T09:00:00+01:00", "Blumen gießen"),
    ("Pass verlängern - erinnere mich Montag", "2026-03-16T09:00:00+01:00", "Pass verlängern"),
    ("забрать посылку, напомни завтра", "2026-03-11T09:00:00+01:00", "Забрать посылку"),
])
def test_a_task_then_remind_me_when_is_one_reminder(text, start, title):
    items = _items(text)
    assert len(items) == 1
    assert (items[0]["kind"], items[0]["start"], items[0]["title"]) == ("reminder", start, title)


@pytest.mark.parametrize("text, title, place", [
    ("erinnere mich morgen, das Fahrrad in die Werkstatt zu bringen", "Fahrrad in die Werkstatt bringen", None),
    ("Kinder in den Kindergarten bringen, erinnere mich um 7", "Kinder in den Kindergarten bringen", None),
    ("Abendessen in der Pizzeria am Freitag um 19 Uhr", "Abendessen", "der Pizzeria"),
])
def test_german_where_to_is_part_of_the_task(text, title, place):
    item = _item(text)
    assert (item["title"], item["location"]) == (title, place)


@pytest.mark.parametrize("text, start", [
    ("Was hab ich am Freitag?", "2026-03-13"),
    ("Was steht am Donnerstag an?", "2026-03-12"),
    ("Was hatte ich am Montag?", "2026-03-09"),
])
def test_german_what_is_not_english_was(text, start):
    assert _item(text)["start"] == start
