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
    "nov": 11, "dezember": 12, "dez": 12, "feber": 2, "jän": 1,        # Austrian "Jänner", "Feber"
}
AMBIGUOUS_MONTHS = {"mai"}
RELATIVE_DAYS = {"heute": 0, "morgen": 1, "übermorgen": 2, "uebermorgen": 2, "gestern": -1,
                 "heut": 0, "morgn": 1, "vorgestern": -2}
DAYPARTS = {
    "morgens": (9, 0, "am", None), "vormittags": (10, 0, "am", None), "früh": (9, 0, "am", None),
    "am morgen": (9, 0, "am", None), "am vormittag": (10, 0, "am", None),
    "mittags": (12, 0, None, None), "mittag": (12, 0, None, None),
    "nachmittags": (15, 0, "pm", None), "am nachmittag": (15, 0, "pm", None),
    "abends": (19, 0, "pm", None), "am abend": (19, 0, "pm", None),
    "heute abend": (19, 0, "pm", 0), "heute morgen": (9, 0, "am", 0), "heute nachmittag": (15, 0, "pm", 0),
    "heute mittag": (12, 0, None, 0), "mitternacht": (0, 0, None, None),
    "nachts": (22, 0, "pm", None),
    # "morgen Abend", "Freitag Nachmittag": the bare nouns after a day
    "abend": (19, 0, "pm", None), "nachmittag": (15, 0, "pm", None), "vormittag": (10, 0, "am", None),
    "in der früh": (9, 0, "am", None), "frühmorgens": (7, 0, "am", None), "spätabends": (21, 0, "pm", None),
    "heute nacht": (20, 0, "pm", 0), "nacht": (20, 0, "pm", None), "nach feierabend": (18, 0, "pm", None),
    "nach der arbeit": (18, 0, "pm", None), "mittagszeit": (12, 0, None, None),
    # Swiss and Austrian: "übermorgen z'Mittag", "am Freitag z'Nacht", "z'Morge"
    "z'mittag": (12, 0, None, None), "zu mittag": (12, 0, None, None), "z'nacht": (19, 0, "pm", None),
    "z'morge": (9, 0, "am", None), "z'morgen": (9, 0, "am", None), "auf die nacht": (19, 0, "pm", None),
    "auf d'nacht": (19, 0, "pm", None), "heut abend": (19, 0, "pm", 0), "heut früh": (9, 0, "am", 0),
}
EXACT_DAYPARTS = {"mittags", "mitternacht", "heute mittag", "z'mittag", "zu mittag"}     # "Mittag mit Kollegen um halb eins": a meal
NUMBERS = {"null": 0, "eins": 1, "ein": 1, "eine": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4,
           "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11,
           "zwölf": 12, "dreißig": 30, "zwanzig": 20, "fünfzehn": 15, "fünfundvierzig": 45,
           "ein paar": 2, "paar": 2, "dreizehn": 13, "vierzehn": 14, "sechzehn": 16, "siebzehn": 17,
           "achtzehn": 18, "neunzehn": 19, "vierzig": 40, "fünfzig": 50, "sechzig": 60, "neunzig": 90,
           **{f"{u}und{t}": tv + uv for t, tv in (("zwanzig", 20), ("dreißig", 30), ("vierzig", 40), ("fünfzig", 50))
              for u, uv in (("ein", 1), ("zwei", 2), ("drei", 3), ("vier", 4), ("fünf", 5), ("sechs", 6),
                            ("sieben", 7), ("acht", 8), ("neun", 9))}}
TENS = {"zwanzig", "dreißig", "vierzig", "fünfzig"}
# Ordinals in every ending ("am zwanzigsten März", "jeden Ersten", "zum dritten"): stem + e/en/er/es/em.
_ORDINAL_STEMS = {
    1: "erst", 2: "zweit", 3: "dritt", 4: "viert", 5: "fünft", 6: "sechst", 7: "siebt", 8: "acht",
    9: "neunt", 10: "zehnt", 11: "elft", 12: "zwölft", 13: "dreizehnt", 14: "vierzehnt", 15: "fünfzehnt",
    16: "sechzehnt", 17: "siebzehnt", 18: "achtzehnt", 19: "neunzehnt", 20: "zwanzigst", 30: "dreißigst",
    **{v: f"{u}und{t}st" for t, tv in (("zwanzig", 20),) for u, v in (
        ("ein", 21), ("zwei", 22), ("drei", 23), ("vier", 24), ("fünf", 25), ("sechs", 26), ("sieben", 27),
        ("acht", 28), ("neun", 29))},
    31: "einunddreißigst",
}
ORDINALS = {stem + end: n for n, stem in _ORDINAL_STEMS.items() for end in ("e", "en", "er", "es", "em")}
ORDINAL_SUFFIXES = (".",)
MERIDIEMS = MERIDIEMS
OCLOCK = {"uhr", "h"}
HALF = {"halb", "halbe", "halben"}
HALF_BEFORE = True          # "halb elf" is 10:30: half *to* eleven
QUARTER = {"viertel"}
PAST = {"nach"}
TO_HOUR = {"vor"}
UNITS = dict(_EN_UNITS, minute=1, minuten=1, stunde=60, stunden=60, std=60, tag=1440, tage=1440,
             tagen=1440, woche=10080, wochen=10080, monat=43200, monate=43200, monaten=43200,
             minütchen=1, stündchen=60, viertelstunde=15, jahr=525600, jahre=525600, jahren=525600)
ARTICLES = {"eine", "einen", "ein", "einer", "einem"}
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
THE = {"den", "dem", "der", "die", "das", "zum", "zur"}
OF = {"im", "des"}                # "am letzten Freitag im April", "am 15. des Monats"
NEXT = {"nächsten": "next", "nächste": "next", "nächster": "next", "nächstes": "next", "naechsten": "next",
        "naechste": "next", "kommenden": "bare", "kommende": "bare", "kommender": "bare"}
THIS = {"diesen", "diese", "dieser", "diesem", "dieses"}
EVERY = {"jeden", "jede", "jedes", "jeder", "jedem", "alle"}
OTHER = {"zweiten", "zweite"}
WEEK_WORDS = {"woche": "week", "wochenende": "weekend", "monat": "month", "jahr": "year", "monats": "month",
              "wochen": "week"}
DAILY = {"täglich": "DAILY", "wöchentlich": "WEEKLY", "monatlich": "MONTHLY", "jährlich": "YEARLY",
         "jeden tag": "DAILY", "jede woche": "WEEKLY", "jeden monat": "MONTHLY", "jedes jahr": "YEARLY",
         "jeden morgen": "DAILY@morgens", "jeden abend": "DAILY@abends", "alle zwei wochen": "WEEKLY/2",
         "jede zweite woche": "WEEKLY/2", "jeden zweiten tag": "DAILY/2", "einmal die woche": "WEEKLY",
         "einmal im monat": "MONTHLY", "vierzehntägig": "WEEKLY/2", "zweiwöchentlich": "WEEKLY/2",
         "an wochentagen": "WEEKLY:0,1,2,3,4", "an werktagen": "WEEKLY:0,1,2,3,4",
         "jeden werktag": "WEEKLY:0,1,2,3,4", "an wochenenden": "WEEKLY:5,6", "jedes wochenende": "WEEKLY:5,6"}
DAILY.update({
    "jedes quartal": "MONTHLY/3", "vierteljährlich": "MONTHLY/3", "quartalsweise": "MONTHLY/3",
    "einmal im quartal": "MONTHLY/3", "einmal pro quartal": "MONTHLY/3", "in jedem quartal": "MONTHLY/3",
    "halbjährlich": "MONTHLY/6", "jedes halbjahr": "MONTHLY/6", "jedes halbe jahr": "MONTHLY/6",
    "zweimal im jahr": "MONTHLY/6", "zweimal jährlich": "MONTHLY/6", "alle zwei monate": "MONTHLY/2",
    "alle drei monate": "MONTHLY/3", "alle sechs monate": "MONTHLY/6"})
WEEKDAY_SETS = {"werktags": (0, 1, 2, 3, 4), "wochentags": (0, 1, 2, 3, 4), "werktag": (0, 1, 2, 3, 4),
                "wochenends": (5, 6)}
ZONES = ZONES
# "um 14 Uhr Londoner Zeit", "9 Uhr japanischer Zeit": the adjective of a city or country before "Zeit".
CITY_ZONES = dict(CITY_ZONES, **{
    "londoner": "Europe/London", "britischer": "Europe/London", "berliner": "Europe/Berlin",
    "deutscher": "Europe/Berlin", "mitteleuropäischer": "Europe/Berlin", "münchner": "Europe/Berlin",
    "frankfurter": "Europe/Berlin", "hamburger": "Europe/Berlin", "pariser": "Europe/Paris",
    "wiener": "Europe/Vienna", "zürcher": "Europe/Zurich", "züricher": "Europe/Zurich",
    "moskauer": "Europe/Moscow", "tokioter": "Asia/Tokyo", "japanischer": "Asia/Tokyo",
    "chinesischer": "Asia/Shanghai", "indischer": "Asia/Kolkata", "new yorker": "America/New_York",
    "chicagoer": "America/Chicago", "kalifornischer": "America/Los_Angeles", "pazifischer": "America/Los_Angeles",
})
ZONE_SUFFIX = {"zeit"}
_REMIND = ("erinnere", "erinner", "erinnre")
KIND_PREFIXES = {
    "note": ["notiz", "idee", "merke", "notiere", "merk dir", "merke dir", "merk dir dass", "merke dir dass",
             "notier", "notiere dir", "notier dir", "schreib auf", "gedanke", "info"],
    "reminder": [f"{v} {rest}" for v in _REMIND for rest in (
        "mich daran", "mich an", "mich", "mich bitte an", "mich bitte daran", "mich bitte")]
    + ["erinnerung", "nicht vergessen", "vergiss nicht", "denk dran", "denk daran", "denke daran",
       "todo", "aufgabe"],
    "cancel": ["sage ab", "sag ab", "absagen", "lösche", "lösch", "storniere", "stornier", "streiche",
               "streich", "cancel", "cancele", "entferne", "entfern"],
    "reschedule": ["verschiebe", "verschieb", "verlege", "verleg", "verschieben", "schieb", "schiebe",
                   "leg", "lege", "pack", "packe", "setz", "setze"],
    "find_time": ["finde einen termin", "finde zeit", "finde einen slot", "finde", "find", "such mir",
                  "suche mir", "such", "suche", "wann hätte ich", "wann habe ich zeit", "wann hab ich zeit"],
    "query": ["haben wir was", "haben wir", "hab ich was", "habe ich was", "welche termine", "welche termine habe ich", "welche termine hab ich", "was habe ich", "was hab ich", "was steht", "was ist", "habe ich", "hab ich", "bin ich frei",
              "bin ich", "wann ist", "wann habe ich", "wann hab ich", "was gibt es", "was gibt's",
              "was liegt", "was ist los", "zeig mir", "zeige mir", "gibt es", "gibt's", "wie sieht",
              "ist", "sind", "hast du", "steht"],
}
# Verbs said at the end ("den Termin am 18.3. absagen", "sag das Meeting morgen ab"):
# the last word names the kind; a separable verb's particle only with its verb first.
KIND_ENDINGS = {
    "cancel": ["absagen", "streichen", "löschen", "stornieren", "canceln", "abblasen", "entfernen",
               "entfallen", "ausfallen", "fällt aus", "fällt leider aus", "abgesagt", "gestrichen"],
    "reschedule": ["verschieben", "verlegen", "umlegen", "vorverlegen", "verschoben", "verlegt"],
}
KIND_FRAMES = {
    "cancel": [("sag", "ab"), ("sage", "ab"), ("sagt", "ab"), ("blas", "ab"), ("blase", "ab")],
    "reschedule": [("leg", "um"), ("lege", "um"), ("schieb", "auf"), ("schiebe", "auf")],
}
LEADING_FILLER = {"bitte", "hallo", "hi", "hey", "kannst", "du", "könntest", "kannste", "mal", "doch",
                  "ok", "okay", "also", "und", "außerdem", "ach", "ja", "noch", "dann"}
EVENT_PREFIXES = ["trage ein", "trag ein", "plane", "plan", "neuer termin", "eintragen", "trag", "trage"]
TASK_VERBS = {"bezahle", "kaufe", "sende", "schicke", "zahle", "bezahlen", "kaufen", "anrufen", "abholen"}
ATTENDEE_PREFIXES = {"mit"}
NOT_NAMES = {"dem", "der", "den", "meinem", "meiner", "team", "chef", "chefin", "kollegen", "kollegin",
             "kolleginnen", "eltern", "familie", "freunden", "kunden", "kunde", "kundin", "kindern", "mama",
             "papa", "oma", "opa", "nachbarn", "leuten", "allen", "abteilung", "vorstand"}
PM_NOUNS = {"abendessen", "abendbrot", "party", "konzert", "kino", "theater", "kneipe", "bar", "stammtisch",
            "dinner", "feier", "grillen"}
AM_NOUNS = {"frühstück", "fruehstueck", "wecker", "aufstehen"}
NAME_BREAKS = {"am", "um", "im", "in", "über", "wegen", "für", "heute", "morgen", "und", "zum", "zur",
               "übermorgen", "auf", "ab", "nächste", "nächsten", "diese", "diesen", "jeden", "kommt", "ist",
               "auch", "zu", "nach", "vor", "bis", "von", "vom"}
LOCATION_PREPS = {"im", "in", "bei", "beim"}
PLACE_NOUNS = {"büro", "buero", "zuhause", "raum", "café", "schule", "kita", "praxis", "halle",
               "kirche", "restaurant", "kneipe", "bar", "park", "studio", "fitnessstudio", "uni",
               "bahnhof", "flughafen", "rathaus", "krankenhaus", "klinik", "kantine", "besprechungsraum",
               "konferenzraum", "hotel", "kino", "theater", "stadion", "schwimmbad", "hause"}
EVENT_NOUNS = {"termin", "treffen", "besprechung", "meeting", "anruf", "mittagessen", "abendessen",
               "zahnarzt", "arzt", "ärztin", "essen", "kaffee", "telefonat", "friseur", "frisör",
               "physio", "tierarzt", "anwalt", "steuerberater", "urlaub", "geburtstag", "training",
               "call", "gespräch", "sitzung", "zahnarzttermin", "arzttermin", "abendessen", "frühstück",
               "workshop", "präsentation", "standup", "konferenz", "kino", "party", "feier"}
TITLE_TRIM = {"am", "um", "im", "in", "an", "für", "von", "bis", "mit", "und", "den", "dem", "der",
              "die", "das", "zu", "zum", "zur", ",", ".", "-", ":", "!", "?", "uhr", "bitte", "ab", "auf",
              "außerdem", "auch", "noch", "dann", "daran", "dass", "mich", "mir", "ich", "doch", "mal",
              "gegen", "vom", "diesen", "nächsten", "jeden", "–",
              "findet", "statt", "beginnt", "startet", "ist", "sind", "leider", "muss", "wird", "bin", "wir"}
TITLE_LEAD_TRIM = TITLE_TRIM - {"der", "die", "das"}
HINT_TRIM = {"meinen", "meine", "mein", "den", "die", "das", "dem", "unseren", "unsere", "unser"}
NAME_SUFFIXES: list = []

# Replies that edit the open item ("eine Stunde später", "lieber um 14:30", "Tom kommt auch mit").
EDIT_FILLER = {"bitte", "doch", "lieber", "besser", "mach", "mache", "machen", "es", "das", "daraus", "draus",
               "stattdessen", "statt", "auf", "um", "am", "an", "ja", "nein", "ok", "okay", "also", "dann",
               "nee", "ne", "eher", "vielleicht", "mal", "den", "die", "der", "dem", "termin", "treffen",
               "verschieb", "verschiebe", "schieb", "schiebe", "leg", "lege", "ihn", "sie", "ihm", "zeit",
               "uhrzeit", "tag", "ändern", "ändere", "änder", "setz", "setze", "auch", "und", "noch",
               "wir", "lass", "lasst", "uns", "sagen", "sag", "wäre", "ist", "gut", "passt", "geht",
               "sorry", "ach", "äh", "ähm", "hm", "besser", "gleiche", "gleichen", "selbe", "selben",
               "zur", "zum", "für", "um", ",", ".", "!", "?", "-", ":", "nach", "vor", "bis", "von",
               "bloß", "nur", "aber", "schon", "gerne", "gern"}
EDIT_LATER = {"später", "spaeter", "nach", "hinten", "verschieben", "nachher"}
EDIT_EARLIER = {"früher", "frueher", "vorziehen", "vor", "eher", "vorverlegen"}
EDIT_LONGER = {"länger", "laenger", "verlängern", "verlängere"}
EDIT_SHORTER = {"kürzer", "kuerzer", "verkürzen", "verkürze", "kürze"}
EDIT_ADD = {"lade", "einladen", "füge", "hinzu", "plus", "dazu", "auch"}
EDIT_REMOVE = {"ohne", "entferne", "lösche", "streiche", "nimm", "raus"}
EDIT_JOINING = {"kommt", "kommen", "auch", "mit", "dabei", "ist", "sind", "dazu", "noch", "ebenfalls"}
EDIT_LEAVING = {"nicht", "abgesagt", "fällt", "aus", "kein", "keine"}
EDIT_NOT = {"nicht"}
EDIT_SWAP = {"ersetze", "tausche", "statt"}
EDIT_KIND = {"eine erinnerung": "reminder", "erinnerung": "reminder", "ein termin": "event",
             "termin": "event", "eine notiz": "note", "notiz": "note"}
EDIT_NO_REPEAT = {"nur einmal", "einmalig", "nicht wiederholen", "keine wiederholung"}
EDIT_RENAME = {"nenn es", "nenne es", "nenn ihn", "titel", "umbenennen in", "benenne um in", "heißt"}
ANCHOR_DAYS = {"am tag danach": 1, "tag danach": 1, "am nächsten tag": 1, "am tag davor": -1,
               "tag davor": -1, "am vortag": -1, "am selben tag": 0, "am gleichen tag": 0,
               "eine woche später": 7, "eine woche davor": -7}
SAME_TIME = {"zur selben zeit", "zur gleichen zeit", "um dieselbe zeit", "um die gleiche zeit",
             "selbe zeit", "gleiche zeit", "zur selben uhrzeit", "zur gleichen uhrzeit", "um die selbe zeit"}
EVENT_ANCHORS = {"vor": -1, "nach": 1}                 # "15 Minuten vor dem Meeting um 3"
EVENT_POINTERS = {"dem", "der", "den", "meinem", "meiner", "unserem", "unserer", "seinem", "ihrem"}

# One word for a day and a part of it ("Mittwochabend", "Freitagnachmittag", "sonntagmorgens"): the
# tokenizer splits it into the keys the tables know ("-morgen" is the morning, not tomorrow).
_DAY_STEMS = ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag")
_PART_KEYS = {"morgen": "morgens", "morgens": "morgens", "vormittag": "vormittag", "vormittags": "vormittags",
              "mittag": "mittag", "mittags": "mittags", "nachmittag": "nachmittag",
              "nachmittags": "nachmittags", "abend": "abend", "abends": "abends", "nacht": "nacht"}
COMPOUND_WORDS = {day + part: (day, key) for day in _DAY_STEMS for part, key in _PART_KEYS.items()}

# The moment of speaking ("ruf die Bank sofort an"); seconds as a unit ("in 30 Sekunden").
NOW = {"jetzt", "sofort", "jetzt gleich", "gleich jetzt", "umgehend", "asap", "im moment", "momentan"}
UNITS = dict(UNITS, sekunde=1 / 60, sekunden=1 / 60, sek=1 / 60)

# Spans coarser than a day (grammar/calendar_periods.py): "Urlaub im August", "während 2027".
PERIOD_CUES = {"im", "in", "während"}
STRONG_PERIOD_CUES = {"im", "in", "während"}
PERIOD_PREV = {"letzte", "letzten", "letztes", "letzter", "vergangene", "vergangenen"}
PERIOD_EDGES = {"anfang": "early", "mitte": "mid"}
ISO_WEEK_WORDS = {"kw", "kalenderwoche", "woche"}                        # "in KW 12"
# Windows of N units (grammar/period_windows.py): "in den nächsten 3 Tagen" from today, "die
# nächsten 3 Wochen" the whole weeks after this one.
PERIOD_WITHIN = {"innerhalb", "innerhalb von", "binnen", "in den nächsten", "in den kommenden"}
PERIOD_NEXT = {"die nächsten", "nächsten", "die kommenden", "kommenden"}
BUSINESS_DAY_WORDS = {"werktag", "werktage", "werktagen", "arbeitstag", "arbeitstage", "arbeitstagen"}
WORK_WEEK_WORDS = {"arbeitswoche"}
# A month abbreviation that is also a first name: after "mit" it is a person ("Telefonat mit Jan").
NAME_MONTHS = {"jan"}
NAME_TITLES = {"herr", "herrn", "frau", "dr", "dr.", "prof", "prof."}

# Letters and e-mails: "Liebe Kolleginnen und Kollegen,", "Sehr geehrte Frau Meier," open them,
# "Viele Grüße" closes them.
GREETINGS = {"hallo", "hi", "hey", "moin", "servus", "grüezi", "grüß gott", "guten morgen", "guten tag",
             "guten abend", "liebe", "lieber", "liebes", "sehr geehrte", "sehr geehrter", "hallo zusammen",
             "hallo alle", "hallo ihr lieben", "liebe kolleginnen und kollegen", "liebes team", "hallo team",
             "sehr geehrte damen und herren", "liebe alle", "hoi", "salü", "grüß dich", "griaß di"}
SIGNOFFS = {"viele grüße", "beste grüße", "liebe grüße", "herzliche grüße", "freundliche grüße",
            "mit freundlichen grüßen", "mfg", "lg", "vg", "gruß", "grüße", "danke", "vielen dank", "bis dann",
            "ciao", "tschüss", "servus", "schöne grüße", "gruss", "grüsse", "liebe grüsse", "viele grüsse"}
# "... und erinnere mich eine Stunde vorher": a later request pointing back at the first.
ANCHOR_BEFORE = {"vorher", "davor", "zuvor"}
ANCHOR_AFTER = {"danach", "nachher"}
# "dreiviertel fünf" 4:45 and "viertel fünf" 4:15: the hour in progress, named by the next one
# (grammar/counted_hours.py), then the hour rule (16:45).
COUNTED_HOURS = True
HOUR_FRACTIONS = {"dreiviertel": -15, "viertel": -45}
# "nicht Lisa, sondern Maria": the word between the person leaving and the one taking the place.
EDIT_BUT = {"sondern", "aber", "lieber"}
# "jeden ersten Montag im Monat", "am 1. jedes Monats": a monthly rule (grammar/recurrence.py).
MONTH_TAILS = {"im monat", "jeden monats", "jedes monats", "eines jeden monats", "des monats", "pro monat",
               "monatlich", "in jedem monat", "jeden monat"}
DATE_WORDS = {"tag"}
# "jeden letzten Freitag im Monat", "am letzten Tag des Monats"
LAST_WORDS = {"letzten", "letzte", "letzter", "letztes"}
# Words to the reader, not part of the item: "Zur Info: vom 6. bis 10. April bin ich im Urlaub".
FILLER_PHRASES = ["zur info", "zur information", "nur zur info", "kurze info", "fyi", "in meinen kalender",
                  "in den kalender", "im kalender", "in meinem kalender", "für mich"]
# A reminder said as a "zu" clause ("…, die Steuer zu bezahlen"): the title drops "zu" and the article.
INFINITIVE_MARKERS = {"zu"}
# "in die Werkstatt", "in den Service": after "in", the accusative says where to, not where (places.py).
DIRECTION_ARTICLES = {"die", "das", "den"}
# Southern German says the hour with an "-e": "um zwölfe", "um neune", "um fünfe".
NUMBERS = dict(NUMBERS, **{w + "e": n for w, n in (("zwei", 2), ("drei", 3), ("vier", 4), ("fünf", 5), ("sechs", 6),
                                                    ("neun", 9), ("zehn", 10), ("elf", 11), ("zwölf", 12))},
               siebene=7)
# Days left out of a repetition ("jeden Tag außer Freitag" / "каждый день кроме пятницы").
EXCEPT = {"außer", "ausser", "ausgenommen", "aber", "nicht"}
EXCEPT_LEAD = {"aber"}
# A question in the past tense looks back ("what did I have on Monday?", "was war am Montag?").
PAST_TENSE = {"war", "waren", "hatte", "hatten", "gewesen"}
