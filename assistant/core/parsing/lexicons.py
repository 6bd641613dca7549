"""Compile the per-language word tables into fast lookups, and pick the language of a text.

Every table of a `lexicon_xx` module becomes a `PhraseTable`: multi-word entries are matched
token by token, longest first, keyed by their first word so a miss costs one dict lookup.
"""
from __future__ import annotations

import keyword
import re
from types import ModuleType
from typing import Any, Iterable, Sequence

from . import lexicon_de, lexicon_en, lexicon_ru
from .fuzzy import Tolerant
from .lexicon_names import NAMES

def phrase_words(phrase: str) -> tuple[str, ...]:
    """Split a lexicon phrase into the token keys the tokenizer would produce for it."""
    words = phrase.lower().replace("’", "'").split()
    return tuple(words)


class PhraseTable:
    """Phrases (one or more words) -> value, matched against token keys at a position."""

    __slots__ = ("_by_first", "single")

    def __init__(self, entries: dict[str, Any] | Iterable[str]) -> None:
        items = entries.items() if isinstance(entries, dict) else ((e, True) for e in entries)
        by_first: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        single: dict[str, Any] = {}
        for phrase, value in items:
            words = phrase_words(phrase)
            if not words:
                continue
            by_first.setdefault(words[0], []).append((words, value))
            if len(words) == 1:
                single[words[0]] = value
        for options in by_first.values():
            options.sort(key=lambda o: -len(o[0]))
        self._by_first = by_first
        self.single = single

    def __contains__(self, word: str) -> bool:
        return word in self.single

    def starts(self, word: str) -> bool:
        """Does a phrase of the table begin with this word?"""
        return word in self._by_first

    def first_words(self) -> frozenset[str]:
        """Every word a phrase of the table can start with."""
        return frozenset(self._by_first)

    def get(self, word: str, default: Any = None) -> Any:
        return self.single.get(word, default)

    def match(self, keys: Sequence[str], i: int, alt: Sequence[str] | None = None) -> tuple[int, Any] | None:
        """The longest phrase starting at keys[i]: (index after it, value), or None.

        `alt` gives alternative keys (possessive-stripped) tried when a word does not match.
        """
        if i >= len(keys):
            return None
        options = self._by_first.get(keys[i])
        if options is None and alt is not None:
            options = self._by_first.get(alt[i])
        if not options:
            return None
        n = len(keys)
        for words, value in options:
            end = i + len(words)
            if end > n:
                continue
            for k in range(1, len(words)):
                w = words[k]
                if keys[i + k] != w and (alt is None or alt[i + k] != w):
                    break
            else:
                return end, value
        return None


# Table names and whether they are phrase tables (matched over tokens) or plain values.
_PHRASE_TABLES = (
    "WEEKDAYS", "WEEKDAY_PLURALS", "MONTHS", "RELATIVE_DAYS", "DAYPARTS", "NUMBERS", "ORDINALS",
    "MERIDIEMS", "UNITS", "NEXT", "THIS", "PREV", "EVERY", "FROM_NOW", "END", "ALL_DAY", "DAILY",
    "WEEKDAY_SETS", "ZONES", "CITY_ZONES", "EVENT_PREFIXES", "PLACE_NOUNS", "SIGNOFFS", "GREETINGS",
    "MEETING_ASKS", "FILLER_PHRASES", "UNDATED_NOTES", "EDIT_ADD", "EDIT_REMOVE", "EDIT_RENAME", "EDIT_NO_LOCATION", "EDIT_NO_REPEAT",
    "EDIT_KIND", "ANCHOR_DAYS", "SAME_TIME", "NOW", "EVENT_ANCHORS",
    "SEASONS", "PERIOD_EDGES", "PERIOD_ABBREVIATIONS", "PERIOD_PREV", "PERIOD_NEXT", "PERIOD_WITHIN",
    "PERIOD_WHOLE", "PERIOD_REST", "PERIOD_WEEK_OF", "CURRENT", "DECADES", "MONTH_TAILS",
)
_SETS = (
    "AMBIGUOUS_MONTHS", "EXACT_DAYPARTS", "TENS", "LAST_WORDS", "OCLOCK", "OH", "HALF", "QUARTER",
    "PAST", "TO_HOUR", "ARTICLES", "AND", "AT", "ON", "IN", "FOR", "FROM", "RANGE_TO", "BETWEEN",
    "UNTIL", "STARTING", "OF", "THE", "OTHER", "AFTER", "AGO", "ANCHOR_AFTER", "ANCHOR_BEFORE", "ANCHOR_LEAD", "TIMES_WORDS", "ZONE_SUFFIX",
    "ZONE_PREFIX", "LEADING_FILLER", "TASK_VERBS", "WITH", "ATTENDEE_PREFIXES", "NOT_NAMES",
    "NAME_BREAKS", "LOCATION_PREPS", "EVENT_NOUNS", "TITLE_TRIM", "TITLE_LEAD_TRIM", "HINT_TRIM",
    "EDIT_FILLER", "EDIT_LOCATION_WORDS", "PM_NOUNS", "AM_NOUNS", "QUERY_NOISE", "OWN",
    "EDIT_NOT", "EDIT_BUT", "EDIT_SWAP", "EDIT_JOINING", "EDIT_LEAVING", "EDIT_LATER", "EDIT_EARLIER", "EDIT_LONGER", "EDIT_SHORTER",
    "EDIT_MOVE", "EDIT_REFUSED", "EDIT_ONLY", "APPROX", "MORE", "TIMER_WORDS", "ALARM_WORDS",
    "PERIOD_CUES", "QUARTER_WORDS", "ERA_WORDS", "VERB_MONTHS", "PERIOD_VAGUE", "STRONG_PERIOD_CUES",
    "BEFORE_HOUR", "SINGLE_UNITS", "ONE_OCLOCK", "DAY_BOUND_DAYPARTS", "THOUSAND", "HUNDRED", "YEAR_CUES",
    "ISO_WEEK_WORDS", "CENTURY_WORDS", "BUSINESS_DAY_WORDS", "WORK_WEEK_WORDS", "BUSINESS_QUALIFIERS",
    "DATE_WORDS", "DIRECTION_ARTICLES", "ALTERNATIVES", "EXCEPT", "EXCEPT_LEAD", "PAST_TENSE",
    "NAMING_FREQUENCIES",
    "EVENT_POINTERS",
)


_WORD_MAPS = ("HALF_HOURS", "HOUR_FRACTIONS", "WEEK_WORDS")
"""Plain word -> value tables of the date grammar (not phrase tables): "dreiviertel", "weekend"."""
NOT_GRAMMAR = frozenset({
    "EVENT_PREFIXES", "PLACE_NOUNS", "SIGNOFFS", "GREETINGS", "MEETING_ASKS", "FILLER_PHRASES",
    "UNDATED_NOTES", "EDIT_ADD", "EDIT_REMOVE", "EDIT_RENAME", "EDIT_NO_LOCATION", "EDIT_NO_REPEAT",
    "EDIT_KIND", "LEADING_FILLER", "TASK_VERBS", "WITH", "ATTENDEE_PREFIXES", "NOT_NAMES",
    "NAME_BREAKS", "LOCATION_PREPS", "EVENT_NOUNS", "TITLE_TRIM", "TITLE_LEAD_TRIM", "HINT_TRIM",
    "EDIT_FILLER", "EDIT_LOCATION_WORDS", "PM_NOUNS", "AM_NOUNS", "QUERY_NOISE", "EDIT_SWAP",
    "EDIT_JOINING", "EDIT_LEAVING", "EDIT_LATER", "EDIT_EARLIER", "EDIT_LONGER", "EDIT_SHORTER", "EDIT_MOVE", "EDIT_REFUSED", "EDIT_ONLY",
    "SAME_TIME", "EVENT_ANCHORS", "EVENT_POINTERS"})
"""Tables of a request's other parts (kinds, titles, people, places, edits): none starts a date."""


def _attr(name: str) -> str:
    """Table name -> attribute: lower case, with "_" after Python keywords (and_, in_, for_)."""
    low = name.lower()
    return low + "_" if keyword.iskeyword(low) else low


_GRAMMAR_TABLES = ("WEEKDAYS", "WEEKDAY_PLURALS", "MONTHS", "RELATIVE_DAYS", "DAYPARTS", "NUMBERS",
                   "ORDINALS", "UNITS", "MERIDIEMS", "NEXT", "THIS", "EVERY", "DAILY", "WEEKDAY_SETS",
                   "ZONES")


class Lexicon:
    """One language's compiled tables; attribute names are the lower-cased table names."""

    def __init__(self, module: ModuleType) -> None:
        self.code: str = module.CODE
        for name in _PHRASE_TABLES:
            setattr(self, _attr(name), PhraseTable(getattr(module, name, {})))
        for name in _SETS:
            setattr(self, _attr(name), frozenset(getattr(module, name, ())))
        self.week_words: dict[str, str] = dict(getattr(module, "WEEK_WORDS", {}))
        self.ordinal_suffixes: tuple[str, ...] = tuple(getattr(module, "ORDINAL_SUFFIXES", ()))
        # Ordinal endings that make a written day a date alone (Russian genitive "20-го").
        self.date_ordinal_suffixes: tuple[str, ...] = tuple(getattr(module, "DATE_ORDINAL_SUFFIXES", ()))
        self.event_noun_titles: dict[str, str] = dict(getattr(module, "EVENT_NOUN_TITLES", {}))
        self.name_suffixes: list[tuple[str, str]] = list(getattr(module, "NAME_SUFFIXES", []))
        self.name_case_suffixes: list[tuple[str, str]] = list(getattr(module, "NAME_CASE_SUFFIXES", []))
        prefixes = getattr(module, "KIND_PREFIXES", {})
        self.kind_prefixes: dict[str, PhraseTable] = {k: PhraseTable(v) for k, v in prefixes.items()}
        # Every word the grammar knows; a text made only of unknown words is "unknown".
        known: set[str] = set()
        for name in _PHRASE_TABLES:
            for phrase in getattr(module, name, {}):
                known.update(phrase_words(phrase))
        for name in _SETS:
            known.update(w for p in getattr(module, name, ()) for w in phrase_words(p))
        for table in prefixes.values():
            known.update(w for p in table for w in phrase_words(p))
        known.update(getattr(module, "HOUR_FRACTIONS", {}), getattr(module, "HALF_HOURS", {}))
        self.known_words = frozenset(known)
        # What may start a date or time (grammar/scanner.py): its own words and the first words of
        # the grammar's phrases ("as soon as possible"), and the other words of its tables, which
        # lead into one ("at the end of", "between").
        tables = [n for n in _PHRASE_TABLES if n not in NOT_GRAMMAR]
        self.starts_date = frozenset(phrase_words(p)[0] for n in (*tables, *_GRAMMAR_TABLES, *_WORD_MAPS)
                                     for p in getattr(module, n, {}) if phrase_words(p))
        self.leads_date = frozenset(
            w for n in (*tables, *(x for x in _SETS if x not in NOT_GRAMMAR)) for p in getattr(module, n, ())
            for w in phrase_words(p)) - self.starts_date
        # Words of the date/time grammar only: a capitalised word outside it can name a place.
        self.grammar_words = frozenset(
            w for name in _GRAMMAR_TABLES for p in getattr(module, name, ()) for w in phrase_words(p))
        # First names (lexicon_names), less the words of the grammar that are not also names people
        # are commonly given ("sat", "sun", "wed" are weekdays; "jan", "may", "june" stay names).
        self.names = NAMES - (self.grammar_words - frozenset(getattr(module, "NAME_MONTHS", ())))
        self.name_titles = frozenset(getattr(module, "NAME_TITLES", ()))
        self.tolerant = Tolerant(getattr(module, "SHORTHAND", {}), getattr(module, "FUZZY_TARGETS", ()),
                                 getattr(module, "FUZZY_KEEP", "").split(), self.known_words, NAMES)
        self.fuzzy_targets = self.tolerant.targets
        self.half_before = bool(getattr(module, "HALF_BEFORE", False))
        # Russian clock words (grammar/counted_hours.py) and German/Russian verbs said last (kinds.py).
        self.counted_hours = bool(getattr(module, "COUNTED_HOURS", False))
        self.half_hours: dict[str, int] = dict(getattr(module, "HALF_HOURS", {}))
        self.hour_fractions: dict[str, int] = dict(getattr(module, "HOUR_FRACTIONS", {}))
        self.infinitive_markers: frozenset[str] = frozenset(getattr(module, "INFINITIVE_MARKERS", ()))
        self.compounds: dict[str, tuple[str, ...]] = dict(getattr(module, "COMPOUND_WORDS", {}))
        self.kind_endings: dict[str, PhraseTable] = {
            k: PhraseTable(v) for k, v in getattr(module, "KIND_ENDINGS", {}).items()}
        self.kind_frames: dict[str, frozenset[tuple[str, str]]] = {
            k: frozenset(v) for k, v in getattr(module, "KIND_FRAMES", {}).items()}


LEXICONS: dict[str, Lexicon] = {m.CODE: Lexicon(m) for m in (lexicon_en, lexicon_de, lexicon_ru)}

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_GERMAN_CHARS = re.compile(r"[äöüß]", re.IGNORECASE)
# Words not glued to a number: "10am" / "10 am" is a meridiem, not the German "am".
_WORD = re.compile(r"(?<![\d\w])(?<!\d )[^\W\d_]+", re.UNICODE)
# "3 o'clock am": the clock word follows a number, so `_WORD` skips it; it still marks English.
_EN_CLOCK = re.compile(r"\do[’']?clock\b|\d\s+o[’']?clock\b", re.IGNORECASE)
# "14-15 Uhr", "10h", "Do 9:30", "20.-22.4.": the German clock word follows a number, so `_WORD`
# skips it; a two-letter weekday before a number opens terse German notes; and days are written
# with a dot. Each marks German.
_DE_CLOCK = re.compile(r"\d\s*uhr\b|\b\d{1,2}h\b|^\s*(?:mo|di|mi|do|fr|sa|so)\.?,?\s+\d"
                       r"|\b\d{1,2}\.\s*(?:-|–|bis)\s*\d{1,2}\.\d{1,2}\.", re.IGNORECASE)
# Words that are common in German requests and rare in English ones.
_GERMAN_HINTS = frozenset({
    # "in" is German as much as English: it must not tip "Notiz: Mieter in 2B meldet Schimmel"
    "in", "um", "uhr", "am", "morgen", "heute", "übermorgen", "mit", "beim", "bei", "termin", "nächsten",
    "nächste", "und", "im", "zum", "zur", "der", "die", "das", "den", "dem", "ich", "mich",
    "erinnere", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
    "treffen", "besprechung", "abends", "morgens", "nachmittags", "woche", "für", "von", "bis",
    "januar", "februar", "märz", "mai", "juni", "juli", "oktober", "dezember", "ist", "ein", "eine",
    "zahnarzt", "arzt", "friseur", "urlaub", "geburtstag", "uhr", "vom", "halb", "viertel", "nach",
    "vor", "mittagessen", "abendessen", "frühstück", "kaffee", "erinnerung", "erinnere", "nächste",
    "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "zwölf", "wochen",
    "stunde", "stunden", "minuten", "tagen", "tage", "jeden", "jede", "jedes", "idee", "notiz", "auf",
    "einem", "einer", "einen", "dass", "merk", "merke", "später", "früher", "lieber", "doch", "kommt",
    "auch", "hab", "habe", "gibt", "wann", "los", "sag", "streich", "verschieb", "verschiebe", "finde",
    "such", "mir", "dir", "außerdem", "diese", "diesen", "dieser", "abend", "nachmittag", "vormittag",
    "werktags", "täglich", "nicht", "vergessen", "wir", "uns", "können", "kannst", "bitte", "zeit",
    "frei", "bin", "steht", "montags", "dienstags", "mittwochs", "donnerstags", "freitags", "samstags",
    "sonntags", "erinner", "abholen", "anrufen", "zu", "ab", "eins", "halbe", "halben", "bis",
    "mo", "di", "mi", "fr", "kw", "welche", "ganztägig", "ganztags", "heuer", "jänner", "feber",
    "ohne", "sondern", "stattdessen", "draus", "daraus", "länger", "kürzer", "vorher", "danach", "nachher",
}) | frozenset(lexicon_de.COMPOUND_WORDS)
# Endings of German nouns that English words do not have ("Chorprobe", "Besprechung", "Arzttermin").
_GERMAN_ENDINGS = ("termin", "ung", "ungen", "keit", "heit", "schaft", "abend", "mittag", "probe", "arzt",
                   "feier", "besuch", "gespräch", "stunde", "woche")
_ENGLISH_HINTS = frozenset({
    "at", "on", "the", "with", "tomorrow", "today", "and", "to", "for", "in", "my", "me", "pm",
    "remind", "meeting", "call", "next", "every", "is", "a", "of", "what", "from", "i",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
    "wed", "thu", "thurs", "fri", "sat", "sun", "tmrw", "lunch", "dinner", "coffee", "week",
    "cancel", "move", "find", "tonight", "morning", "evening", "afternoon", "w",
    # clock words, so "ten thirty am" and "3 o'clock am" are not read as German "am"
    "oclock", "o'clock", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "quarter", "half", "past", "noon",
    "midnight", "now", "minutes", "hours", "seconds", "ago",
})


def detect_language(text: str, lang: str | None = None) -> Lexicon:
    """The lexicon for `lang` when known, else guessed from the script and common words."""
    if lang:
        code = lang.lower().split("-")[0].split("_")[0]
        if code in LEXICONS:
            return LEXICONS[code]
    if _CYRILLIC.search(text):
        return LEXICONS["ru"]
    words = [w.lower() for w in _WORD.findall(text[:400])]
    german = sum(w in _GERMAN_HINTS or len(w) > 7 and w.endswith(_GERMAN_ENDINGS) for w in words) \
        + 2 * bool(_GERMAN_CHARS.search(text)) + bool(_DE_CLOCK.search(text))
    english = sum(w in _ENGLISH_HINTS for w in words) + bool(_EN_CLOCK.search(text))
    if german >= 2 and german > english or german == 1 and english == 0 and len(words) <= 6:
        return LEXICONS["de"]            # "zahnarzt morgen 9": one German word is enough alone
    return LEXICONS["en"]
