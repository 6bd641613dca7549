"""German and Russian word tables (texts other than the dev set's)."""
from datetime import datetime

import pytest

from assistant.core.parsing import parse
from assistant.core.parsing.lexicons import detect_language

NOW = datetime.fromisoformat("2026-03-10T09:00:00+01:00")


@pytest.mark.parametrize("text, kind, start, people", [
    ("Встреча с Борисом в пятницу в 10:00", "event", "2026-03-13T10:00:00+01:00", ["Борис"]),
    ("Обед с Марией послезавтра в 13:30", "event", "2026-03-12T13:30:00+01:00", ["Мария"]),
    ("Созвон с Сергеем завтра в 11:00", "event", "2026-03-11T11:00:00+01:00", ["Сергей"]),
    ("Напомни мне завтра в 9:00 купить молоко", "reminder", "2026-03-11T09:00:00+01:00", []),
    ("Mittagessen mit Thomas am Montag um 12:30", "event", "2026-03-16T12:30:00+01:00", ["Thomas"]),
    ("Meeting mit Anna morgen um 14 Uhr", "event", "2026-03-11T14:00:00+01:00", ["Anna"]),
    ("Erinnere mich morgen um 9 Uhr an den Bericht", "reminder", "2026-03-11T09:00:00+01:00", []),
    ("Zahnarzt am 15.04. um 10 Uhr", "event", "2026-04-15T10:00:00+02:00", []),
])
def test_other_languages(text, kind, start, people):
    item = parse(text, NOW, "Europe/Berlin")
    assert item.kind == kind
    assert item.start.isoformat() == start
    assert item.attendees == people


def test_language_detection():
    assert detect_language("Встреча завтра").code == "ru"
    assert detect_language("Termin am Freitag um 10 Uhr").code == "de"
    assert detect_language("Meeting on Friday at 10").code == "en"
    assert detect_language("Meeting on Friday", "de").code == "de"
