"""The date/time grammar: scan tokens for when-expressions and collect what they say.

`Scanner.scan()` walks the tokens once. At each position a short list of matchers tries to read
one expression — "next Tuesday at 8:15", "from 2pm to 5:30pm", "every other Monday", "in 2
hours", "9am Pacific" — and records it in a `Found`. Matchers never resolve against the clock
except for plain calendar facts (which year "March 24" falls in); turning the findings into
datetimes is `dates.resolve()`'s job. Tokens a matcher reads are marked as used so the title and
location extraction skip them.

Reading order for a newcomer: found.py (the records), base.py (shared helpers), scanner.py (the
loop and the matcher order), then times, days, periods, amounts, spans, recurrence.
"""
from .found import (MONTH_NAMES, WEEKDAY_NAMES, Daypart, Found, Recurrence, TimeOfDay, add_months,
                    next_weekday)
from .scanner import Scanner, scan

__all__ = ["Found", "TimeOfDay", "Daypart", "Recurrence", "Scanner", "scan", "next_weekday",
           "add_months", "MONTH_NAMES", "WEEKDAY_NAMES"]
