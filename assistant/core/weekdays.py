"""The days of the week, Monday first (index = `date.weekday()`): short codes, RRULE codes, English names.

The one table of them outside the parser's lexicons (words per language are the lexicons' data).
"""
from __future__ import annotations

CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""As the configuration writes them (`work_days = ["mon", …]`)."""
RRULE = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
"""As iCalendar's BYDAY writes them."""
NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""In English, as previews and questions show them (`NAMES[d][:3]` is the short form)."""
WORK_WEEK = CODES[:5]
"""Monday to Friday."""
