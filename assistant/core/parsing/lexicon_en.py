"""English word tables. Pure data: `lexicons.Lexicon` compiles them into lookups.

Adding a language means writing a module like this one (see `lexicon_de.py`, `lexicon_ru.py`);
any key left out falls back to an empty table. Multi-word entries are matched token by token.
"""

CODE = "en"

WEEKDAYS = {
    "monday": 0, "mon": 0, "mo": 0,
    "tuesday": 1, "tue": 1, "tues": 1, "tu": 1,
    "wednesday": 2, "wed": 2, "weds": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "th": 3,
    "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
# "Mondays" means every Monday.
WEEKDAY_PLURALS = {
    "mondays": 0, "tuesdays": 1, "wednesdays": 2, "thursdays": 3, "fridays": 4,
    "saturdays": 5, "sundays": 6,
}

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
# Abbreviations that are also ordinary words: only a month when a day number is next to them.
AMBIGUOUS_MONTHS = {"mar", "may", "jun", "dec", "sat", "sun", "wed"}

# Day offsets from today.
RELATIVE_DAYS = {
    "today": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1, "tmrow": 1, "tomorow": 1, "tommorow": 1,
    "tommorrow": 1, "2moro": 1, "day after tomorrow": 2, "the day after tomorrow": 2,
    "overmorrow": 2, "the day after next": 2, "day after next": 2, "yesterday": -1, "the day before yesterday": -2, "day before yesterday": -2,
    "todays": 0, "tomorrows": 1, "yesterdays": -1,       # possessives typed without the apostrophe
    # said alone (an item said before makes them relative to it: anchored.py reads them first)
    "next day": 1, "the next day": 1, "following day": 1, "the following day": 1,
    "previous day": -1, "the previous day": -1,
}

# Part of the day -> (default hour, minute, meridiem hint for a bare hour next to it, day offset or None)
DAYPARTS = {
    "morning": (9, 0, "am", None), "in the morning": (9, 0, "am", None),
    "this morning": (9, 0, "am", 0),
    "afternoon": (15, 0, "pm", None), "in the afternoon": (15, 0, "pm", None),
    "this afternoon": (15, 0, "pm", 0),
    "evening": (19, 0, "pm", None), "in the evening": (19, 0, "pm", None),
    "this evening": (19, 0, "pm", 0),
    "tonight": (20, 0, "pm", 0), "tonite": (20, 0, "pm", 0), "this night": (20, 0, "pm", 0),
    "at night": (20, 0, "pm", None), "in the night": (20, 0, "pm", None),
    "noon": (12, 0, None, None), "midday": (12, 0, None, None), "lunchtime": (12, 0, None, None),
    "at lunchtime": (12, 0, None, None),
    "midnight": (0, 0, None, None),
    "end of day": (17, 0, None, None), "end of the day": (17, 0, None, None), "eod": (17, 0, None, None),
    "cob": (17, 0, None, None), "first thing": (9, 0, "am", None),
    "last night": (20, 0, "pm", -1), "after lunch": (13, 0, "pm", None), "after work": (18, 0, "pm", None),
    "after school": (15, 0, "pm", None), "mid day": (12, 0, None, None), "mid-day": (12, 0, None, None),
    "at lunch": (12, 0, None, None), "in the am": (9, 0, "am", None), "in the pm": (15, 0, "pm", None),
    "early morning": (7, 0, "am", None), "late morning": (11, 0, "am", None),
    "early afternoon": (13, 0, "pm", None), "late afternoon": (17, 0, "pm", None),
    "late evening": (21, 0, "pm", None), "late tonight": (21, 0, "pm", 0),
    "night": (20, 0, "pm", None), "mid night": (0, 0, None, None), "mid - night": (0, 0, None, None),
    "mid - day": (12, 0, None, None), "morningish": (9, 0, "am", None), "afternoonish": (15, 0, "pm", None),
    "eveningish": (19, 0, "pm", None),
    "in the mornings": (9, 0, "am", None), "in the evenings": (19, 0, "pm", None),
    "in the afternoons": (15, 0, "pm", None), "noonish": (12, 0, None, None),
}
# Parts of the day that are one only right after a day ("tomorrow night", "Friday night"), not in
# "game night" or "a 2 night stay".
DAY_BOUND_DAYPARTS = {"night"}
# Dayparts that are exact times ("at noon") rather than loose hints ("in the morning").
EXACT_DAYPARTS = {"noon", "midday", "midnight", "lunchtime", "at lunchtime", "mid day", "mid-day", "at lunch",
                  "noonish"}

NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
    "a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3, "a pair of": 2,
    "several": 3,                   # as few as "a few": a guess the preview shows
}
TENS = {"twenty", "thirty", "forty", "fourty", "fifty", "sixty", "seventy", "eighty", "ninety"}
# Spoken years: "two thousand and fifteen", "nineteen hundred", "nineteen eighty six" (tokens.py).
THOUSAND = {"thousand"}
HUNDRED = {"hundred"}
YEAR_CUES = {"in", "of", "year", "since", ",", "until", "by"}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}
ORDINAL_SUFFIXES = ("st", "nd", "rd", "th")
LAST_WORDS = {"last", "final"}

MERIDIEMS = {"am": "am", "pm": "pm", "a.m.": "am", "p.m.": "pm", "a.m": "am", "p.m": "pm"}
OCLOCK = {"o'clock", "oclock", "o’clock", "ish"}      # "8ish" is a time too
OH = {"oh", "o", "ou"}              # "ten oh five"
HALF = {"half"}
QUARTER = {"quarter"}
PAST = {"past", "after"}
TO_HOUR = {"to", "till", "before", "of"}

# Duration units in minutes (months and years are handled as calendar steps).
UNITS = {
    "minute": 1, "minutes": 1, "min": 1, "mins": 1, "m": 1, "mn": 1,
    "hour": 60, "hours": 60, "hr": 60, "hrs": 60, "h": 60,
    "day": 1440, "days": 1440, "d": 1440,
    "week": 10080, "weeks": 10080, "wk": 10080, "wks": 10080, "fortnight": 20160, "fortnights": 20160,
    "month": 43200, "months": 43200,
    "year": 525600, "years": 525600,
    "second": 1 / 60, "seconds": 1 / 60, "sec": 1 / 60, "secs": 1 / 60,
    "mo": 43200, "mos": 43200, "mth": 43200, "mths": 43200, "yr": 525600, "yrs": 525600,
}
ARTICLES = {"a", "an", "one"}
AND = {"and", "&", "n"}

# Prepositions and markers, by role.
AT = {"at", "@", "around", "by", "about"}
ON = {"on"}
IN = {"in", "within"}
FOR = {"for"}
FROM = {"from", "starting", "beginning"}
RANGE_TO = {"to", "till", "until", "til", "through", "thru", "-", "–", "—", "~"}
BETWEEN = {"between"}
UNTIL = {"until", "till", "til", "through"}
STARTING = {"starting", "beginning", "from", "effective", "commencing"}
OF = {"of"}
THE = {"the"}
# "next Friday" is next week's; "this coming Friday" the first one ahead.
NEXT = {"next": "next", "coming": "bare", "this coming": "bare", "the coming": "bare",
        "following": "next", "the following": "next", "upcoming": "bare", "the upcoming": "bare"}
THIS = {"this"}
OWN = {"my", "our"}                 # "my week" = this week (only before week words)
PREV = {"last", "previous"}
EVERY = {"every", "each", "every single"}
OTHER = {"other"}
WEEK_WORDS = {"week": "week", "weekend": "weekend", "month": "month", "year": "year",
              "yr": "year", "quarter": "quarter", "qtr": "quarter", "season": "season",
              "seasons": "season", "fortnight": "fortnight", "decade": "decade", "century": "century"}
# Spans coarser than a day (grammar/calendar_periods.py).
SEASONS = {"spring": 0, "summer": 1, "autumn": 2, "fall": 2, "winter": 3}
PERIOD_EDGES = {"early": "early", "beginning of": "early", "the beginning of": "early",
                "start of": "early", "the start of": "early", "mid": "mid", "middle of": "mid",
                "the middle of": "mid", "late": "late"}
PERIOD_ABBREVIATIONS = {"boy": ("early", "year"), "eoy": ("end", "year"), "bom": ("early", "month"),
                        "eom": ("end", "month")}
PERIOD_CUES = {"in", "during", "throughout", "since", "until", "till", "by", "before", "after",
               "around", "of", "for"}
STRONG_PERIOD_CUES = {"in", "during", "throughout", "until", "till", "since"}     # even before "May"
PERIOD_VAGUE = {"sometime", "anytime"}          # "sometime next week": the period, said loosely
PERIOD_PREV = {"past", "this past", "previous", "the past", "the last", "the previous", "last"}
PERIOD_NEXT = {"next", "coming", "upcoming", "the next", "the coming", "the upcoming", "following"}
PERIOD_WITHIN = {"within", "over the next", "in the next", "in the coming", "during the next", "within the next",
                 "within next", "over the coming", "during the coming"}
PERIOD_WHOLE = {"all", "the whole", "whole", "the entire", "entire", "all of the", "throughout the"}
PERIOD_REST = {"rest of", "the rest of", "remainder of", "the remainder of"}
PERIOD_WEEK_OF = {"the week of", "week of"}
CURRENT = {"current", "the current"}
QUARTER_WORDS = {"quarter", "quarters", "qtr", "qtrs"}
# Numbered and named spans (grammar/numbered_periods.py, grammar/workdays.py).
ISO_WEEK_WORDS = {"week", "wk", "cw", "kw"}          # "week 31", "CW 12", "KW 12" (German, said in English too)
CENTURY_WORDS = {"century"}
DECADES = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
           "seventies": 70, "eighties": 80, "nineties": 90, "noughties": 0}
BUSINESS_DAY_WORDS = {"workday", "workdays", "weekday", "weekdays"}     # "in 3 workdays"
BUSINESS_QUALIFIERS = {"business", "working", "work"}                   # "3 business days", "working week"
WORK_WEEK_WORDS = {"workweek", "workweeks"}
ERA_WORDS = {"ad", "a.d.", "ce"}
VERB_MONTHS = {"march"}             # a month only when said as a time ("in March")
AFTER = {"after"}
ANCHOR_AFTER = {"from", "after"}            # "a week from Friday", "3 days after the launch"
ANCHOR_BEFORE = {"before", "prior"}         # "2 days before Friday"
FROM_NOW = {"from now", "later", "from today", "from now on", "hence", "from right now"}
AGO = {"ago", "back", "before now", "earlier"}
END = {"end", "the end"}
ALL_DAY = {"all day", "all-day", "the whole day", "whole day"}

# Recurrence words.
DAILY = {"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY", "yearly": "YEARLY",
         "annually": "YEARLY", "biweekly": "WEEKLY/2", "fortnightly": "WEEKLY/2",
         "every day": "DAILY", "every week": "WEEKLY", "every month": "MONTHLY",
         "every year": "YEARLY", "each day": "DAILY", "each week": "WEEKLY",
         "each month": "MONTHLY", "each year": "YEARLY", "every morning": "DAILY@morning",
         "every evening": "DAILY@evening", "every night": "DAILY@night",
         "every afternoon": "DAILY@afternoon", "nightly": "DAILY@night",
         "every other day": "DAILY/2", "every other week": "WEEKLY/2",
         "every other month": "MONTHLY/2", "once a week": "WEEKLY", "once a month": "MONTHLY",
         "hourly": "HOURLY", "every hour": "HOURLY", "each hour": "HOURLY",
         "every day except weekends": "WEEKLY:0,1,2,3,4", "every day except the weekend": "WEEKLY:0,1,2,3,4",
         "daily except weekends": "WEEKLY:0,1,2,3,4", "every day except weekend": "WEEKLY:0,1,2,3,4",
         "once a year": "YEARLY", "once a day": "DAILY", "bi - weekly": "WEEKLY/2", "bi weekly": "WEEKLY/2",
         "bi - monthly": "MONTHLY/2", "bimonthly": "MONTHLY/2", "every two weeks": "WEEKLY/2"}
# Quarters and half years repeat by months ("every quarter" is read in grammar/recurrence.py).
DAILY.update({
    "quarterly": "MONTHLY/3", "once a quarter": "MONTHLY/3", "once per quarter": "MONTHLY/3",
    "semiannually": "MONTHLY/6", "semi - annually": "MONTHLY/6", "semi annually": "MONTHLY/6",
    "biannually": "MONTHLY/6", "bi - annually": "MONTHLY/6", "half - yearly": "MONTHLY/6",
    "half yearly": "MONTHLY/6", "twice a year": "MONTHLY/6", "twice yearly": "MONTHLY/6",
    "twice per year": "MONTHLY/6", "every half year": "MONTHLY/6", "every half - year": "MONTHLY/6",
    "biennially": "YEARLY/2", "biennial": "YEARLY/2"})
# Before a noun these name the event, one meeting of a series ("Quarterly review on 3/30"); said
# alone or before a date ("budget review quarterly", "quarterly on the 1st") they repeat.
NAMING_FREQUENCIES = {"quarterly", "biennial"}
WEEKDAY_SETS = {
    "weekday": (0, 1, 2, 3, 4), "weekdays": (0, 1, 2, 3, 4), "workday": (0, 1, 2, 3, 4),
    "workdays": (0, 1, 2, 3, 4), "working day": (0, 1, 2, 3, 4), "working days": (0, 1, 2, 3, 4),
    "business day": (0, 1, 2, 3, 4), "business days": (0, 1, 2, 3, 4),
    "weekend": (5, 6), "weekends": (5, 6),
}
TIMES_WORDS = {"times", "occurrences", "sessions"}

# Named time zones. Cities are matched as "<city> time"; bare abbreviations anywhere after a time.
# An abbreviation names its region's zone, daylight saving included (the README rule): people write
# "PST" and "EST" all year for Pacific and Eastern time. Explicit offsets ("UTC+2") are fixed (times.py).
ZONES = {
    "pacific": "America/Los_Angeles", "pacific time": "America/Los_Angeles", "pt": "America/Los_Angeles",
    "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "mountain": "America/Denver", "mountain time": "America/Denver", "mt": "America/Denver",
    "mst": "America/Denver", "mdt": "America/Denver",
    "central": "America/Chicago", "central time": "America/Chicago", "ct": "America/Chicago",
    "cst": "America/Chicago", "cdt": "America/Chicago",
    "eastern": "America/New_York", "eastern time": "America/New_York", "et": "America/New_York",
    "est": "America/New_York", "edt": "America/New_York", "akst": "America/Anchorage", "akdt": "America/Anchorage",
    "utc": "UTC", "gmt": "Etc/GMT", "z": "UTC", "zulu": "UTC",
    "cet": "Europe/Berlin", "cest": "Europe/Berlin", "central european time": "Europe/Berlin",
    "bst": "Europe/London", "uk time": "Europe/London", "british time": "Europe/London",
    "wet": "Europe/Lisbon", "eet": "Europe/Athens", "eest": "Europe/Athens",
    "msk": "Europe/Moscow", "ist": "Asia/Kolkata", "india time": "Asia/Kolkata",
    "jst": "Asia/Tokyo", "kst": "Asia/Seoul", "sgt": "Asia/Singapore", "hkt": "Asia/Hong_Kong",
    "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland", "hst": "Pacific/Honolulu", "hast": "Pacific/Honolulu",
    "alaska time": "America/Anchorage", "hawaii time": "Pacific/Honolulu",
    "pacific standard time": "America/Los_Angeles", "pacific daylight time": "America/Los_Angeles",
    "mountain standard time": "America/Denver", "mountain daylight time": "America/Denver",
    "central standard time": "America/Chicago", "central daylight time": "America/Chicago",
    "eastern standard time": "America/New_York", "eastern daylight time": "America/New_York",
    "british summer time": "Europe/London", "central european summer time": "Europe/Berlin",
    "greenwich mean time": "Etc/GMT", "coordinated universal time": "UTC",
}
CITY_ZONES = {
    "london": "Europe/London", "dublin": "Europe/Dublin", "lisbon": "Europe/Lisbon",
    "paris": "Europe/Paris", "berlin": "Europe/Berlin", "madrid": "Europe/Madrid",
    "rome": "Europe/Rome", "amsterdam": "Europe/Amsterdam", "brussels": "Europe/Brussels",
    "zurich": "Europe/Zurich", "vienna": "Europe/Vienna", "prague": "Europe/Prague",
    "munich": "Europe/Berlin", "frankfurt": "Europe/Berlin", "hamburg": "Europe/Berlin",
    "milan": "Europe/Rome", "barcelona": "Europe/Madrid", "budapest": "Europe/Budapest",
    "warsaw": "Europe/Warsaw", "stockholm": "Europe/Stockholm", "oslo": "Europe/Oslo",
    "copenhagen": "Europe/Copenhagen", "helsinki": "Europe/Helsinki", "athens": "Europe/Athens",
    "istanbul": "Europe/Istanbul", "kyiv": "Europe/Kyiv", "kiev": "Europe/Kyiv",
    "moscow": "Europe/Moscow", "dubai": "Asia/Dubai", "tel aviv": "Asia/Jerusalem",
    "mumbai": "Asia/Kolkata", "delhi": "Asia/Kolkata", "bangalore": "Asia/Kolkata",
    "singapore": "Asia/Singapore", "hong kong": "Asia/Hong_Kong", "shanghai": "Asia/Shanghai",
    "beijing": "Asia/Shanghai", "tokyo": "Asia/Tokyo", "seoul": "Asia/Seoul",
    "bangkok": "Asia/Bangkok", "jakarta": "Asia/Jakarta", "manila": "Asia/Manila",
    "sydney": "Australia/Sydney", "melbourne": "Australia/Melbourne", "perth": "Australia/Perth",
    "auckland": "Pacific/Auckland", "new york": "America/New_York", "nyc": "America/New_York",
    "ny": "America/New_York", "boston": "America/New_York", "miami": "America/New_York",
    "atlanta": "America/New_York", "toronto": "America/Toronto", "chicago": "America/Chicago",
    "austin": "America/Chicago", "dallas": "America/Chicago", "houston": "America/Chicago",
    "denver": "America/Denver", "phoenix": "America/Phoenix",
    "los angeles": "America/Los_Angeles", "la": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles", "sf": "America/Los_Angeles",
    "seattle": "America/Los_Angeles", "vancouver": "America/Vancouver",
    "mexico city": "America/Mexico_City", "sao paulo": "America/Sao_Paulo",
    "são paulo": "America/Sao_Paulo", "buenos aires": "America/Argentina/Buenos_Aires",
    "cairo": "Africa/Cairo", "johannesburg": "Africa/Johannesburg", "lagos": "Africa/Lagos",
    "nairobi": "Africa/Nairobi", "honolulu": "Pacific/Honolulu", "hawaii": "Pacific/Honolulu",
    "alaska": "America/Anchorage", "anchorage": "America/Anchorage", "arizona": "America/Phoenix",
    "california": "America/Los_Angeles", "utc": "UTC",
}
ZONE_SUFFIX = {"time", "tz"}
ZONE_PREFIX = {"in", "at"}
# The moment of speaking: a start of "now" ("call the bank ASAP", "remind me now").
NOW = {"now", "right now", "just now", "at the moment", "atm", "asap", "a.s.a.p.", "as soon as possible",
       "immediately", "right away", "straight away", "at once", "at this moment", "this instant",
       "at present", "at the present time", "at the present moment", "at this time", "at the current time",
       "right this minute", "this very moment"}
APPROX = {"about", "around", "approximately", "approx", "roughly", "circa", "ca", "some", "~"}
MORE = {"more", "additional", "extra", "further"}          # "in 2 more minutes"
ALTERNATIVES = {"or"}                 # "at 12 or 12:30": the first one said is the start
TIMER_WORDS = {"timer", "countdown", "wait"}               # "set a timer for 5 minutes", "wait 5 minutes"
ALARM_WORDS = {"alarm", "alarms", "wake-up", "wakeup"}      # "set an alarm for 6": a clock time

# Request kinds: phrases matched at the start of the text (after greetings), longest first.
KIND_PREFIXES = {
    "note": ["note to self", "note that", "note down", "note", "notes", "idea", "ideas", "jot down",
             "jot", "write down", "memo", "remember that", "save this", "save", "fyi", "thought",
             "add a note", "add note", "make a note", "make a note that", "take a note", "new note",
             "make note", "take note", "take note that",
             "quick note"],
    "reminder": ["remind me to", "remind me about", "remind me of", "remind me that", "remind me",
                 "reminder to", "reminder", "set a reminder to", "set a reminder for",
                 "set a reminder", "don't forget to", "dont forget to", "do not forget to",
                 "remember to", "ping me to", "ping me", "remember me to", "remember me", "nudge me to", "alert me to", "alert me",
                 "nudge me", "text me to", "text me", "message me", "notify me", "buzz me",
                 "send me a reminder", "give me a heads up", "give me a heads-up",
                 "can you remind me to", "please remind me to", "todo", "to do", "to-do", "task",
                 "don't forget", "dont forget", "do not forget", "don't let me forget to",
                 "don't let me forget", "set a timer", "set timer", "start a timer", "timer",
                 "set an alarm for", "set an alarm", "set alarm for", "set alarm", "wake me up", "wake me"],
    "cancel": ["cancel", "delete", "remove", "call off", "scrap", "drop", "clear", "cancelled", "canceled",
               "get rid of", "cancel the", "unschedule", "kill", "nix", "call off the", "axe"],
    "reschedule": ["reschedule", "move", "push", "postpone", "shift", "bring forward",
                   "pull forward", "delay", "change", "rearrange", "bump", "put off"],
    "find_time": ["find a time", "find time", "find a slot", "find me a slot", "find a", "find me",
                  "find some time", "when can i meet", "when am i free to meet", "suggest a time",
                  "when are", "when is everyone free", "look for a slot", "look for time",
                  "schedule some time", "find an hour", "find half an hour", "find a free slot",
                  "get a slot", "find slot", "find free time", "when could i meet",
                  "when am i free", "when am i available", "when are we free", "find",
                  "when can i fit", "when could i fit", "where can i fit", "can i fit",
                  "when can i squeeze", "look for a", "look for", "search for a", "search for"],
    "query": ["what do i have", "what have i got", "what's on", "whats on", "what is on",
              "what's happening", "what is happening", "what's planned", "what is planned",
              "what's next", "whats next", "what's my", "what is my", "what are my",
              "am i free", "am i busy", "am i available", "do i have", "have i got",
              "is there anything", "anything on", "anything planned", "show me", "show",
              "list", "when is my", "when's my", "when is the", "when's the",
              "when do i", "where is my", "where's my", "how does my", "how's my", "what does my",
              "how busy", "agenda", "my agenda", "my schedule", "my calendar", "is my",
              "what meetings", "which meetings", "any meetings", "how many meetings", "when is",
              "read me", "read my", "read out",
              "what time is my", "what time is the",
              "what happened", "what did i have", "what did i do", "what was on", "what was planned",
              "anything scheduled", "anything booked", "any plans", "what are my plans",
              "what were my plans"],
}
# Words allowed before a kind prefix without changing it.
LEADING_FILLER = {"please", "pls", "plz", "hey", "hi", "hello", "ok", "okay", "so", "and", "also",
                  "can", "could", "would", "you", "will", "kindly", "quick", "assistant",
                  "bot", "actually", "oh", "um", "uh", "i", "need", "want", "to", "me", "let's", "lets",
                  "we", "have", "unfortunately", "sadly", "afraid", "i'm", "must", "gotta", "just"}
# Reminder words that make an undated request a note ("todo: renew passport").
UNDATED_NOTES = {"todo", "to do", "to-do", "task"}
# Phrases that make a message a request for an event without being part of the title.
EVENT_PREFIXES = ["schedule a", "schedule an", "schedule", "book a", "book an", "add a",
                  "add an", "add", "create a", "create an", "create", "set up a", "set up an",
                  "set up", "put", "put in", "block", "block out", "block off", "plan a", "plan",
                  "organize a", "organise a", "arrange a", "arrange", "new event", "event",
                  "calendar", "meeting:", "new meeting", "please add", "pencil in", "reserve",
                  "set aside", "hold", "block time", "block some time", "save time",
                  "put in a", "add to calendar", "add to my calendar", "put in calendar",
                  "put in my calendar", "put in the calendar", "put into calendar",
                  "put into my calendar", "put on my calendar", "put on the calendar",
                  "add to the calendar", "add in calendar"]
# Phrases that only address the assistant; kept out of titles.
FILLER_PHRASES = ["on my calendar", "in my calendar", "to my calendar", "on the calendar",
                  "in the calendar", "to the calendar", "in my diary", "to my diary", "for me",
                  "on my schedule", "to my schedule", "in my schedule", "in calendar", "to calendar",
                  "into calendar", "into my calendar", "into the calendar", "on calendar",
                  "um", "umm", "uh", "uhh", "uhm", "erm", "hmm"]     # dictation's hesitations
# Words that say nothing about which items a query means ("what's on my calendar").
QUERY_NOISE = {"calendar", "schedule", "agenda", "anything", "something", "planned", "on", "for",
               "events", "plans", "diary", "day", "in", "coming", "up", "booked", "free", "busy",
               "look", "looks", "looking", "like", "does", "do", "did", "i", "i'm", "am", "have",
               "had", "got", "what", "what's", "whats", "how", "how's", "many", "when", "who",
               "where", "is", "are", "need", "know", "about", "cards", "seeing", "check", "if",
               "whether", "any", "there", "today", "be", "can", "could", "would", "you", "see",
               "to", "available", "please"}
# Imperative verbs that make an untimed request a to-do reminder rather than an all-day event.
TASK_VERBS = {"pay", "buy", "send", "submit", "renew", "file", "water", "return", "order",
              "email", "e-mail", "text", "take", "check", "pick", "bring", "feed", "clean",
              "finish", "prepare", "print", "sign", "mail", "charge", "write", "transfer",
              "backup", "wash", "empty", "cancel", "refill", "collect", "drop"}
# Meals and outings that set am/pm for a bare hour against the default rule ("dinner at 8").
PM_NOUNS = {"dinner", "drinks", "supper", "party", "concert", "show", "movie", "cinema", "theatre",
            "theater", "date night", "bar", "pub", "nightcap", "gig", "opera", "ballet"}
AM_NOUNS = {"breakfast", "wake", "alarm", "wakeup", "wake-up"}      # "wake me up at 6:30" is morning

# Words that can introduce the people taking part.
WITH = {"with", "w", "w/", "featuring", "including", "incl", "and", "plus", "invite", "cc"}
ATTENDEE_PREFIXES = {"with", "w/", "w"}
# Lower-case words after "with" that are not people's names.
NOT_NAMES = {"the", "my", "our", "his", "her", "their", "your", "a", "an", "team", "legal", "client",
             "clients", "everyone", "everybody", "all", "family", "friends", "boss", "manager",
             "sales", "marketing", "hr", "support", "investors", "board", "staff", "colleagues",
             "him", "them", "us", "me", "you", "someone", "somebody", "people", "folks", "guys",
             "kids", "parents", "mom", "dad", "mum", "wife", "husband", "partner", "doctor",
             "dentist", "engineering", "design", "finance", "ops", "product", "leadership", "it",
             "this", "that", "whom", "who", "regard", "respect", "reference", "regards",
             "love", "thanks", "care", "pleasure", "joy", "help", "no", "out", "up", "new", "old",
             "customer", "customers", "supplier", "suppliers", "vendor", "vendors", "partners",
             "landlord", "tenant", "tenants", "accountant", "lawyer", "attorney", "teacher",
             "teachers", "coach", "tutor", "students", "student", "candidate", "candidates",
             "recruiter", "neighbour", "neighbor", "neighbours", "neighbors", "plumber",
             "electrician", "mechanic", "vet", "nurse", "therapist", "cousin", "cousins", "uncle",
             "aunt", "grandma", "grandpa", "grandparents", "sister", "brother", "son", "daughter",
             "baby", "girlfriend", "boyfriend", "roommate", "flatmate", "colleague", "coworker",
             "coworkers", "cofounder", "co-founder", "founders", "ceo", "cto", "cfo", "agency"}
# Words between a name and the next part of the sentence that end a name list.
NAME_BREAKS = {"about", "to", "for", "regarding", "re", "on", "at", "in", "from", "by", "via",
               "over", "the", "a", "an", "tomorrow", "today", "tonight", "next", "this", "every",
               "and", "or", "but", "so", "if", "when", "who", "which", "that", "please", "pls",
               "too", "also", "as", "instead", "is", "are", "can", "joins", "coming",
               "not", "then", "tmrw"}

# Location markers and lower-case place nouns that make "at the office" a place.
LOCATION_PREPS = {"at", "in", "@", "inside", "location", "loc", "venue", "place", "where"}
PLACE_NOUNS = {"office", "home", "work", "gym", "school", "cafe", "café", "coffee shop",
               "restaurant", "hotel", "airport", "station", "clinic", "hospital", "library",
               "park", "room", "hq", "headquarters", "studio", "bar", "pub", "church", "mall",
               "beach", "lobby", "kitchen", "canteen", "cafeteria", "club", "court", "field",
               "pool", "center", "centre", "building", "campus", "lab", "warehouse", "store",
               "shop", "garage", "house", "place", "apartment", "flat", "downtown", "city",
               "conference room", "meeting room", "boardroom", "auditorium", "hall", "floor",
               "reception", "venue", "branch", "site", "factory", "university", "uni", "college",
               "church", "temple", "mosque", "theater", "theatre", "cinema", "museum", "zoo",
               "stadium", "arena", "market", "bakery", "salon", "barber", "spa", "dentist's",
               "doctor's", "vet", "pharmacy", "bank", "post office", "embassy", "consulate",
               "courthouse", "town hall", "zoom", "teams", "meet", "google meet", "skype",
               "garden", "gardens", "harbour", "harbor", "marina", "pier", "square", "plaza", "clubhouse"}

# Signature lines of forwarded messages: "Best, Mark", "Thanks - Julia", "- Julia".
SIGNOFFS = {"best", "best regards", "kind regards", "regards", "warm regards", "cheers", "thanks",
            "thank you", "thx", "many thanks", "sincerely", "yours", "all the best", "br", "kr",
            "talk soon", "see you", "love", "xoxo", "warmly", "best wishes", "greetings", "ta"}
GREETINGS = {"hi", "hello", "hey", "dear", "good morning", "good afternoon", "good evening",
             "hiya", "yo", "greetings"}
# Forwarded asks: "could we meet", "are you available ... for a quick call".
MEETING_ASKS = ["could we meet", "can we meet", "shall we meet", "let's meet", "lets meet",
                "could we", "can we", "shall we", "are you available", "are you free",
                "would you be available", "do you have time", "do you have a minute",
                "would you like to", "want to grab", "wanna grab", "how about", "what about",
                "does", "would", "is", "let's", "lets"]
# Nouns that name an event when a forwarded ask does not say what it is.
EVENT_NOUNS = {"meeting", "meet", "call", "chat", "lunch", "dinner", "breakfast", "coffee",
               "sync", "catch-up", "catchup", "catch", "interview", "demo", "review",
               "appointment", "session", "workshop", "standup", "stand-up", "1:1", "one-on-one",
               "drinks", "talk", "presentation", "party", "class", "lesson", "training",
               "webinar", "conference", "visit", "trip", "flight", "dentist", "doctor",
               "checkup", "haircut", "game", "match", "practice", "rehearsal", "date", "brunch",
               "gym", "yoga", "run", "walk", "tennis", "football", "birthday", "anniversary",
               "wedding", "concert", "show", "movie", "vacation", "holiday", "offsite", "retreat",
               "mtg", "appt", "meetup", "hangout", "event", "deadline", "exam", "test", "massage",
               "therapy", "physio", "standup", "planning", "retro", "kickoff", "kick-off"}
EVENT_NOUN_TITLES = {"meet": "Meeting", "call": "Call", "chat": "Chat", "lunch": "Lunch",
                     "dinner": "Dinner", "coffee": "Coffee", "breakfast": "Breakfast",
                     "sync": "Sync", "catch-up": "Catch-up", "catchup": "Catch-up",
                     "drinks": "Drinks", "demo": "Demo", "interview": "Interview",
                     "review": "Review", "meeting": "Meeting", "talk": "Talk",
                     "catch": "Catch-up"}

# Title clean-up: request words and dangling words trimmed from either end.
TITLE_TRIM = {"to", "on", "at", "in", "for", "from", "by", "the", "a", "an", "and", "of", "with",
              "w", "w/", "about", "that", "my", "me", "please", "pls", "is", "it", "-", ",", ".",
              ":", ";", "!", "?", "—", "–", "around", "starting", "until", "till", "lasting",
              "also", "then", "from", "between", "this", "next", "every", "each", "or", "but",
              "there", "thx", "thanks", "@", "/", "(", ")", "[", "]", "'", '"'}
TITLE_LEAD_TRIM = {"to", "on", "at", "in", "for", "from", "by", "the", "a", "an", "and", "of",
                   "that", "about", "please", "pls", "-", ",", ".", ":", ";", "!", "?", "—", "–",
                   "also", "then", "i", "need", "want", "have", "has", "got", "gotta", "must",
                   "should", "going", "we", "our", "you", "are", "is", "there", "@", "/", "(",
                   ")", "'", '"', "myself", "us", "it", "be", "will", "i'll", "i'm", "ill",
                   "we're", "we'll", "having", "im", "ive", "i've", "we've", "gonna", "wanna"}
# Leading "my"/"the" dropped for cancel/reschedule hints ("cancel my 3pm meeting" -> "meeting").
HINT_TRIM = {"my", "the", "our", "that", "this", "a", "an", "'s", "s"}

# Edits of a pending item.
EDIT_FILLER = {"make", "it", "instead", "please", "pls", "change", "the", "time", "date", "to",
               "actually", "no", "sorry", "rather", "move", "set", "put", "be", "let's", "lets",
               "that", "should", "and", "also", "then", "ok", "okay", "oh", "wait", "hmm", "just",
               "day", "start", "starting", "starts", "shift", "push", "reschedule", "for", "on",
               "at", "in", "so", "duration", "length", "long", "lasting", "last", "make", "can",
               "you", "could", "would", "better", "i", "mean", "meant", "is", "was", "a", "an",
               "of", "rather", "than", "yes", "yeah", "but", "with", "have", "do", "we", "it's",
               "its", "one", "until", "till", "end", "ending", "ends", "finish", "finishing",
               ",", ".", "!", "?", "-", ":", "by", "same", "instead", "into", "turn", "as", "move",
               "moved", "bring", "push", "pull", "to", "make", "go", "do", "same", "time", "please",
               "thanks", "thank", "actually", "rather", "okay", "let's", "go", "with", "them", "him",
               "her", "us", "meeting", "event", "appointment", "reminder", "entry", "slot", "there",
               "works", "work", "nope", "nah", "from", "maybe", "perhaps", "repeat", "recurring",
               "fine", "good", "suits", "suit", "bit", "little", "tad", "slightly", "say", "like", "only",
               "calendar", "diary"}
EDIT_ADD = {"add", "invite", "include", "plus", "also invite", "bring", "and", "loop in", "cc",
            "add in", "bring in", "also add"}
EDIT_REMOVE = {"remove", "drop", "uninvite", "without", "exclude", "minus", "take off", "delete", "no",
               "skip"}
EDIT_RENAME = {"call it", "rename it to", "rename to", "rename it", "rename", "name it",
               "title it", "title", "change the title to", "change title to", "retitle",
               "retitle to", "new title", "call this", "make the title", "label it", "subject"}
EDIT_NO_LOCATION = {"no location", "remove location", "remove the location", "drop the location",
                    "clear location", "clear the location", "without location", "no place",
                    "delete the location", "nowhere", "online", "location none"}
EDIT_NO_REPEAT = {"no repeat", "don't repeat", "do not repeat", "just once", "only once", "once",
                  "not recurring", "no recurrence", "one-off", "one off", "stop repeating",
                  "non-recurring", "one time"}
EDIT_LOCATION_WORDS = {"location", "place", "venue", "where"}
# "not Boris, Bill" / "replace Boris with Bill" / "swap Boris for Bill": one person for another.
EDIT_NOT = {"not"}
EDIT_SWAP = {"replace", "swap", "switch", "substitute"}
# "Sam is coming too", "with Anna too", "Sam joins": words around people who join.
EDIT_LEAVING = {"can't", "cannot", "cant", "isn't", "isnt", "won't", "wont", "not", "out", "dropped",
                "drops", "left", "leaving", "anymore", "longer", "cancelled", "canceled", "cancels"}
EDIT_JOINING = {"too", "also", "as", "well", "coming", "comes", "come", "joining", "joins", "join",
                "will", "is", "are", "can", "make", "it", "there", "attending", "attends", "along"}
# Moving the item ("an hour later", "push it by 30 min") and changing its length ("30 min longer").
EDIT_LATER = {"later", "back", "delay", "delayed", "postpone", "postponed", "push", "pushed", "after"}
EDIT_EARLIER = {"earlier", "forward", "sooner", "pull", "pulled", "before", "up", "advance"}
EDIT_LONGER = {"longer", "extend", "extended", "lengthen", "more", "add", "extra"}
EDIT_SHORTER = {"shorter", "shorten", "shortened", "cut", "less", "trim", "reduce"}
# A clause turning the item's day or time down: "tomorrow doesn't work, Thursday?".
EDIT_REFUSED = {"doesn't", "doesnt", "won't", "wont", "isn't", "isnt", "can't", "cant", "cannot",
                "bad", "impossible"}
# Keeping only some days of a repeating item: "weekdays only", "just Mondays".
EDIT_ONLY = {"only", "just"}
# Moving with no direction said ("shift it by an hour", "bump it 30 min"): later.
EDIT_MOVE = {"shift", "shifted", "bump", "bumped", "move", "moved", "slide", "nudge"}
# A new kind for the open item: "make it a reminder", "as an event".
EDIT_KIND = {"a reminder": "reminder", "reminder": "reminder", "remind me": "reminder",
             "an event": "event", "event": "event", "a meeting": "event", "an appointment": "event",
             "a calendar event": "event", "a note": "note"}
# Days from an item said before: "move it to the day after", "remind me the day before".
ANCHOR_DAYS = {"the day after": 1, "day after": 1, "the next day": 1, "the following day": 1,
               "next day": 1, "the day before": -1, "day before": -1, "the previous day": -1,
               "the same day": 0, "same day": 0, "that day": 0, "that same day": 0, "on the day": 0,
               "the week after": 7, "a week after": 7, "the week before": -7, "the morning of": 0}
# The time of an item said before: "a follow-up the next day at the same time" (anchored.py).
SAME_TIME = {"at the same time", "the same time", "same time", "at that time", "at the same hour",
             "same hour", "same time slot", "the same slot", "same slot"}
# "15 minutes before the meeting at 3": an amount counted from a clock time said later (anchored.py).
EVENT_ANCHORS = {"before": -1, "prior to": -1, "ahead of": -1, "after": 1, "following": 1}
EVENT_POINTERS = {"the", "my", "our", "your", "his", "her", "their", "this", "that"}

# Name normalisation: this language needs none (see lexicon_ru for an inflected one).
NAME_SUFFIXES: list = []

# Chat shorthand -> the word the tables know. The title keeps what was typed ("Budget mtg").
SHORTHAND = {
    "nxt": "next", "nex": "next", "2morrow": "tomorrow", "2moro": "tomorrow", "2morow": "tomorrow",
    "2mrw": "tomorrow", "2mro": "tomorrow", "2mrow": "tomorrow", "tmw": "tomorrow", "tmrrw": "tomorrow",
    "tomoz": "tomorrow", "tmorrow": "tomorrow", "2day": "today", "tdy": "today", "2nite": "tonight",
    "2night": "tonight", "tonite": "tonight", "nite": "night", "ystrdy": "yesterday", "yday": "yesterday",
    "remnd": "remind", "rmnd": "remind", "rmd": "remind", "remmind": "remind", "anythng": "anything",
    "anythin": "anything", "nething": "anything", "anyting": "anything", "mtg": "meeting",
    "mtgs": "meetings", "mtng": "meeting", "appt": "appointment", "appts": "appointments",
    "wk": "week", "wks": "weeks", "wkly": "weekly", "wknd": "weekend", "wkend": "weekend",
    "yr": "year", "yrs": "years", "mos": "months", "mth": "month", "mnth": "month", "mths": "months",
    "b4": "before", "abt": "about", "thru": "through", "pls": "please", "plz": "please",
    "sched": "schedule", "resched": "reschedule", "cxl": "cancel", "cncl": "cancel",
    "morn": "morning", "arvo": "afternoon", "aft": "afternoon",
    "bday": "birthday", "b'day": "birthday", "evry": "every", "evey": "every", "hrly": "hourly", "dly": "daily",
    "tomrow": "tomorrow", "tomm": "tomorrow", "tmrow": "tomorrow", "tmro": "tomorrow",
    "ppl": "people", "u": "you", "ur": "your", 
}
# Words a typo one letter off may mean ("thrusday", "evning", "remnid"): edit distance 1 for
# words of 4+ letters that no table knows, unless the word is a real one (FUZZY_KEEP) or a name.
FUZZY_TARGETS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mondays",
    "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays", "sundays", "january", "february",
    "march", "april", "june", "july", "august", "september", "october", "november", "december",
    "today", "tomorrow", "tonight", "yesterday", "morning", "afternoon", "evening", "midnight",
    "midday", "lunchtime", "minute", "minutes", "hour", "hours", "week", "weeks", "month", "months",
    "year", "years", "every", "daily", "weekly", "monthly", "yearly", "hourly", "weekday", "weekdays",
    "weekend", "weekends", "fortnightly", "biweekly", "remind", "reminder", "cancel", "reschedule",
    "schedule", "scheduled", "postpone", "anything", "meeting", "appointment", "calendar",
    "available", "later", "earlier", "longer", "shorter", "instead", "until", "through", "between",
    "starting", "before", "after", "next", "o'clock", "quarter", "noon", "tomorrow's", "birthday",
    "with", "about",
}
# Real words one edit from a FUZZY_TARGETS word ("your" ~ "hour", "wine" ~ "nine"): never corrected.
# Made from the English frequency list of the pyspellchecker package (words seen 100+ times).
FUZZY_KEEP = """
abort abut alter appointments arch avery bear bears birthdays boon bout calendars cancer cater
coon corning dairy daisy dally dearly dears doily dour duly dune ears eater emery evenings ever
fear fears fours friday's gaily gear gears geek geeks goon hater hear hears hoar horus hour's
jane jude judy juke jung junk jury jute kith lager laker lamer laser latex lather latter layer
lear leek leeks linger liter lodger logger loner longed loon mach marc marco marcy marsh mater
meek meekly melting midway minuet minute's moaning monday's monger monte month's monty moon mooning
mornings moth moths mourning mouth mouths near nearly nears neat neon nest newt nook noun ours
pear pearly pears peek peeks pith poon pour pours quarters quartet rafter rear rears reek reeks
remainder remand reminded reminders reminds rescheduled rewind rune saturday's schedules sear
sears seek seeks sext shooter shorted slater smarting sorter sour sours staring starling
starring startling starving stating sundae sundaes sunday's sundry tater tear tears thorough
though thursday's toady toddy tomorrows tour tours trough tuesday's tune untie very weak weakly
wear wears wednesday's weed weeds week's weekend's weep weeps width wish witch wits year's yearn
yearns yeas yeats yesterdays
"""
# Month names that are also first names: after "with" they are people ("lunch with Jan").
NAME_MONTHS = {"jan", "may", "june", "april", "august", "julia", "julie", "summer", "autumn"}
# Titles before a surname: "doctor patel", "Dr. Lee", "Mrs Brown" name a person.
NAME_TITLES = {"dr", "doctor", "mr", "mrs", "ms", "miss", "prof", "professor", "dr.", "mr.", "mrs.",
               "ms.", "sir", "madam", "coach", "uncle", "aunt", "auntie", "grandma", "grandpa"}
# A kind said at the end, after what it is about: "the meeting with Bill is cancelled".
KIND_ENDINGS = {"cancel": ["cancelled", "canceled", "called off", "is off", "scrapped"]}
# Days left out of a repetition, said after it: "every day at 9 except weekends", "but not on Fridays".
EXCEPT = {"except", "excluding", "exc", "excl", "but", "not"}
EXCEPT_LEAD = {"but"}
# A question in the past tense looks back ("what did I have on Monday?", "was war am Montag?").
PAST_TENSE = {"did", "was", "were", "happened", "had"}
