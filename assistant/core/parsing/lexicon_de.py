"""German word tables (partial: enough for everyday requests). Same keys as `lexicon_en`."""
from .lexicon_en import CITY_ZONES, MERIDIEMS, UNITS as _EN_UNITS, ZONES

CODE = "de"

WEEKDAYS = {
    "montag": 0, "mo": 0, "dienstag": 1, "di": 1, "mittwoch": 2, "mi": 2, "donnerstag": 3, "do": 3,
    "freitag": 4, "fr": 4, "samstag": 5, "sa": 5, "sonnabend": 5, "sonntag": 6, "so": 6,
}
WEEKDAY_PLURALS = {"montags": 0, "dienstags": 1, "mittwochs": 2, "donnerstags": 3, "freitags": 4,
                   "samstags": 5, "sonntags": 6}
MONTHS = {
    "januar": 1, "jan": 1, "jänner": 1, "februar": 2, "feb": 2, "märz": 3, "maerz": 3, "mär": 3,
    "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8,
    "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11,
    "nov": 11, "dezember": 12, "dez": 12,
}
AMBIGUOUS_MONTHS = {"mai"}
RELATIVE_DAYS = {"heute": 0, "morgen": 1, "übermorgen": 2, "uebermorgen": 2, "gestern": -1}
DAYPARTS = {
    "morgens": (9, 0, "am", None), "vormittags": (10, 0, "am", None), "früh": (9, 0, "am", None),
    "am morgen": (9, 0, "am", None), "am vormittag": (10, 0, "am", None),
    "mittags": (12, 0, None, None), "mittag": (12, 0, None, None),
    "nachmittags": (15, 0, "pm", None), "am nachmittag": (15, 0, "pm", None),
    "abends": (19, 0, "pm", None), "am abend": (19, 0, "pm", None),
    "heute abend": (20, 0, "pm", 0), "heute morgen": (9, 0, "am", 0), "heute nachmittag": (15, 0, "pm", 0),
    "heute mittag": (12, 0, None, 0), "mitternacht": (0, 0, None, None),
    "nachts": (22, 0, "pm", None),
}
EXACT_DAYPARTS = {"mittags", "mittag", "mitternacht", "heute mittag"}
NUMBERS = {"null": 0, "eins": 1, "ein": 1, "eine": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4,
           "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11,
           "zwölf": 12, "dreißig": 30, "zwanzig": 20, "fünfzehn": 15, "fünfundvierzig": 45,
           "ein paar": 2, "paar": 2}
ORDINALS = {"ersten": 1, "erste": 1, "zweiten": 2, "dritten": 3, "vierten": 4, "fünften": 5}
ORDINAL_SUFFIXES = (".",)
MERIDIEMS = MERIDIEMS
OCLOCK = {"uhr", "h"}
HALF = {"halb"}
HALF_BEFORE = True          # "halb elf" is 10:30: half *to* eleven
QUARTER = {"viertel"}
PAST = {"nach"}
TO_HOUR = {"vor"}
UNITS = dict(_EN_UNITS, minute=1, minuten=1, stunde=60, stunden=60, std=60, tag=1440, tage=1440,
             tagen=1440, woche=10080, wochen=10080, monat=43200, monate=43200, monaten=43200)
ARTICLES = {"eine", "einen", "ein"}
AND = {"und", "&"}
AT = {"um", "gegen", "ab"}
ON = {"am", "an"}
IN = {"in"}
FOR = {"für"}
FROM = {"von", "vom", "ab"}
RANGE_TO = {"bis", "-", "–"}
BETWEEN = {"zwischen"}
UNTIL = {"bis"}
STARTING = {"ab"}
THE = {"den", "dem", "der", "die", "das"}
OF = set()
NEXT = {"nächsten", "nächste", "nächster", "naechsten", "kommenden", "kommende"}
THIS = {"diesen", "diese", "dieser", "diesem"}
EVERY = {"jeden", "jede", "jedes", "jeder", "alle"}
WEEK_WORDS = {"woche": "week", "wochenende": "weekend", "monat": "month", "jahr": "year"}
DAILY = {"täglich": "DAILY", "wöchentlich": "WEEKLY", "monatlich": "MONTHLY", "jährlich": "YEARLY",
         "jeden tag": "DAILY", "jede woche": "WEEKLY", "jeden monat": "MONTHLY"}
WEEKDAY_SETS = {"werktags": (0, 1, 2, 3, 4), "wochentags": (0, 1, 2, 3, 4)}
ZONES = ZONES
CITY_ZONES = CITY_ZONES
ZONE_SUFFIX = {"zeit"}
KIND_PREFIXES = {
    "note": ["notiz", "idee", "merke", "notiere"],
    "reminder": ["erinnere mich daran", "erinnere mich an", "erinnere mich", "erinnerung"],
    "cancel": ["sage ab", "sag ab", "absagen", "lösche", "storniere", "streiche"],
    "reschedule": ["verschiebe", "verlege", "verschieben"],
    "find_time": ["finde einen termin", "finde zeit", "finde einen slot"],
    "query": ["was habe ich", "was steht", "was ist", "habe ich", "bin ich frei", "wann ist"],
}
LEADING_FILLER = {"bitte", "hallo", "hi", "hey", "kannst", "du"}
EVENT_PREFIXES = ["trage ein", "plane", "neuer termin", "eintragen"]
TASK_VERBS = {"bezahle", "kaufe", "sende", "schicke", "zahle"}
ATTENDEE_PREFIXES = {"mit"}
NOT_NAMES = {"dem", "der", "den", "meinem", "meiner", "team", "chef"}
NAME_BREAKS = {"am", "um", "im", "in", "über", "wegen", "für", "heute", "morgen", "und", "zum", "zur"}
LOCATION_PREPS = {"im", "in", "bei", "beim"}
PLACE_NOUNS = {"büro", "buero", "zuhause", "raum", "café"}
EVENT_NOUNS = {"termin", "treffen", "besprechung", "meeting", "anruf", "mittagessen", "abendessen",
               "zahnarzt", "arzt", "ärztin", "essen", "kaffee", "telefonat", "friseur", "frisör",
               "physio", "tierarzt", "anwalt", "steuerberater", "urlaub", "geburtstag", "training"}
TITLE_TRIM = {"am", "um", "im", "in", "an", "für", "von", "bis", "mit", "und", "den", "dem", "der",
              "die", "das", "zu", "zum", "zur", ",", ".", "-", ":", "!", "?", "uhr", "bitte"}
TITLE_LEAD_TRIM = TITLE_TRIM - {"der", "die", "das"}
HINT_TRIM = {"meinen", "meine", "mein", "den", "die", "das"}
NAME_SUFFIXES: list = []
